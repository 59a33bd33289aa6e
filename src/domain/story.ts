/**
 * Where each ratio stands in the essay's story, from the whole stored history run through the same
 * crossing engine as `goldratio replay` (domain/crossing.ts `replay`). Pure: series and options in.
 *
 * Definitions (the tests hold the real history to them):
 * - a break is any replay event that is not an approach (cross-up/-down, zone-enter/-exit);
 * - the last break of a pair is its latest break; "how long ago" counts calendar days to the
 *   pair's last close;
 * - a retest is one approach episode of the engine after the pair's last break: the ratio came
 *   within the approach % of a level's nearest edge (the engine fires `approach` once per
 *   episode, and re-arms only once the ratio is farther than twice that % away again). Since no
 *   break of the pair follows its last break, every such episode fell back without crossing,
 *   except one still open today (the ratio is within the approach % of that level now): that one
 *   is "approaching", not a retest.
 */
import { replay, type CrossingOptions, type ReplayEvent } from './crossing.ts';
import { daysBetween } from './dates.ts';
import type { PairId } from './instruments.ts';
import { eraOf, ESSAY_LEVELS, isZone, levelById, type Era, type Level } from './levels.ts';
import type { Point } from './series.ts';

export const isBreak = (e: Pick<ReplayEvent, 'kind'>): boolean => e.kind !== 'approach';

export interface Retests {
  readonly level: Level;
  /** Episodes that came within the approach % and fell back. */
  readonly count: number;
  readonly first: string;
  readonly last: string;
  /** The side the ratio came from (below: it rose towards the level). */
  readonly from: 'below' | 'above';
}

export interface PairStory {
  readonly pair: PairId;
  /** The pair's last close. */
  readonly asOf: string;
  readonly value: number;
  readonly era: Era | undefined;
  readonly lastBreak: ReplayEvent | undefined;
  /** Calendar days from the last break to `asOf`. */
  readonly daysSinceBreak: number | undefined;
  /** Per level with at least one retest since the last break, most retests first. */
  readonly retests: readonly Retests[];
  /** Levels the ratio is within the approach % of today (an episode still open). */
  readonly approaching: readonly Level[];
}

/** Distance from `value` to the level's nearest edge in % of the edge (the engine's approach measure). */
export function edgeDistancePct(value: number, level: Level): number {
  if (isZone(level) && value >= level.low && value <= level.high) return 0;
  const edge = value < level.low ? level.low : level.high;
  return (Math.abs(value - edge) / edge) * 100;
}

export function pairStory(
  pair: PairId,
  series: readonly Point[],
  events: readonly ReplayEvent[],
  o: CrossingOptions,
  levels: readonly Level[] = ESSAY_LEVELS,
): PairStory | undefined {
  const last = series[series.length - 1];
  if (last === undefined) return undefined;
  const own = events.filter((e) => e.pair === pair);
  let lastBreak: ReplayEvent | undefined;
  for (const e of own) if (isBreak(e)) lastBreak = e;
  const since = own.filter((e) => e.kind === 'approach' && (lastBreak === undefined || e.date > lastBreak.date));
  const approaching = levels.filter((l) => l.pair === pair && o.approachPct > 0 && edgeDistancePct(last.value, l) <= o.approachPct);
  const byLevel = new Map<string, ReplayEvent[]>();
  for (const e of since) byLevel.set(e.levelId, [...(byLevel.get(e.levelId) ?? []), e]);
  const retests: Retests[] = [];
  for (const [id, list] of byLevel) {
    const level = levels.find((l) => l.id === id) ?? levelById(id);
    if (level === undefined) continue;
    // The open episode is the latest approach of a level the ratio is still near.
    const closed = approaching.includes(level) ? list.slice(0, -1) : list;
    if (closed.length === 0) continue;
    retests.push({
      level,
      count: closed.length,
      first: closed[0]!.date,
      last: closed[closed.length - 1]!.date,
      from: closed[closed.length - 1]!.direction === 'up' ? 'below' : 'above',
    });
  }
  retests.sort((a, b) => b.count - a.count || (a.last < b.last ? 1 : -1));
  return {
    pair,
    asOf: last.date,
    value: last.value,
    era: eraOf(last.date),
    lastBreak,
    daysSinceBreak: lastBreak === undefined ? undefined : daysBetween(lastBreak.date, last.date),
    retests,
    approaching,
  };
}

/** The story of every pair with data, and the replay it came from (the historic breaks `/history` shows). */
export function story(
  series: Readonly<Partial<Record<PairId, readonly Point[]>>>,
  o: CrossingOptions,
  levels: readonly Level[] = ESSAY_LEVELS,
): { readonly pairs: readonly PairStory[]; readonly events: readonly ReplayEvent[] } {
  const events = replay(series, levels, o);
  const pairs: PairStory[] = [];
  for (const pair of Object.keys(series) as PairId[]) {
    const s = pairStory(pair, series[pair] ?? [], events, o, levels);
    if (s !== undefined) pairs.push(s);
  }
  return { pairs, events };
}
