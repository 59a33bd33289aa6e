/**
 * Where each ratio stands in the essay's story, told from the stored closes (domain/level-history.ts:
 * a break holds after HOLD_CLOSES closes beyond, and is dated by the first). Not from the alert
 * engine: its cooldown and hysteresis band decide when to alert, and would move or hide breaks.
 * Pure: series and the approach % in.
 *
 * - the last break of a pair is its latest held break; "how long ago" counts calendar days to the
 *   pair's last close;
 * - since that break: the closes beyond a level that did not hold (how many runs of them, how many
 *   closes, the first and the last), the retests (visits within the
 *   approach % that did not close beyond), and closes beyond that are still pending today.
 */
import { daysBetween } from './dates.ts';
import type { ReplayEvent } from './crossing.ts';
import type { PairId } from './instruments.ts';
import { levelHistory, type LevelHistory, type Side, type Unheld } from './level-history.ts';
import { eraOf, ESSAY_LEVELS, isZone, levelById, type Era, type Level } from './levels.ts';
import type { Point } from './series.ts';

export interface StoryOptions {
  /** Distance in % of the ratio (as every distance is shown) that counts as a retest; 0 counts none. */
  readonly approachPct: number;
}

export interface Retests {
  readonly level: Level;
  /** Episodes that came within the approach % and turned without closing beyond. */
  readonly count: number;
  readonly first: string;
  readonly last: string;
  /** The side the ratio came from: below, it rose towards the level and fell back; above, it held. */
  readonly from: Side;
}

/**
 * Closes beyond one level (one kind and direction) that did not hold, since the last break: `count`
 * runs of them, `closes` closes in all (a reader counting the closes above 2.5 counts these), from
 * the first close of the first run to the last close of the last.
 */
export interface UnheldCloses {
  readonly level: Level;
  readonly kind: Unheld['kind'];
  readonly direction: 'up' | 'down';
  readonly count: number;
  /** Closes in all (for closes into a zone, the ones inside it). */
  readonly closes: number;
  readonly first: string;
  /** The last close beyond (inside the zone, for closes into one), not the first of the last run. */
  readonly last: string;
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
  /** Since the last break, per level (and direction), most recent last. */
  readonly unheld: readonly UnheldCloses[];
  /** Per level with at least one retest since the last break, most retests first. */
  readonly retests: readonly Retests[];
  /** Closes beyond a level at the end of the data, not yet enough to hold. */
  readonly pending: readonly Unheld[];
  /**
   * Levels the ratio is within the approach % of today, from outside, in an episode still open: not
   * one it has closes beyond (pending), nor one just broken that it has not yet left (level-history.ts).
   */
  readonly approaching: readonly Level[];
}

/** Distance from `value` to the level's nearest edge in % of the value (the engine's approach measure, and what the bot shows: levels.ts distancePct). */
export function edgeDistancePct(value: number, level: Level): number {
  if (isZone(level) && value >= level.low && value <= level.high) return 0;
  const edge = value < level.low ? level.low : level.high;
  return (Math.abs(edge - value) / value) * 100;
}

/** The levels `value` is within `approachPct` of, from outside: a ratio inside a zone is in it, not approaching it. */
export function approachingLevels(value: number, levels: readonly Level[], approachPct: number): Level[] {
  if (!(approachPct > 0)) return [];
  return levels.filter((l) => !(isZone(l) && value >= l.low && value <= l.high) && edgeDistancePct(value, l) <= approachPct);
}

const levelOf = (id: string, levels: readonly Level[]): Level | undefined => levels.find((l) => l.id === id) ?? levelById(id);

/**
 * Closes beyond a zone's edge into the zone, pending, while the last close is already past the far
 * edge too: "closed inside the zone since" would be false today. The far edge's own pending
 * closes tell where the ratio is (each edge is walked on its own, so they are always there).
 */
function leftThroughFarEdge(p: Unheld, value: number, levels: readonly Level[]): boolean {
  const level = levelOf(p.levelId, levels);
  return p.kind === 'zone-enter' && level !== undefined && edgeDistancePct(value, level) > 0;
}

function grouped<T extends { date: string }, K>(items: readonly T[], keyOf: (x: T) => string, make: (first: T, list: T[]) => K | undefined): K[] {
  const by = new Map<string, T[]>();
  for (const x of items) by.set(keyOf(x), [...(by.get(keyOf(x)) ?? []), x]);
  const out: K[] = [];
  for (const list of by.values()) {
    const k = make(list[0]!, list);
    if (k !== undefined) out.push(k);
  }
  return out;
}

export function pairStory(
  pair: PairId,
  series: readonly Point[],
  history: LevelHistory,
  o: StoryOptions,
  levels: readonly Level[] = ESSAY_LEVELS,
): PairStory | undefined {
  const last = series[series.length - 1];
  if (last === undefined) return undefined;
  let lastBreak: ReplayEvent | undefined;
  for (const e of history.breaks) if (e.pair === pair) lastBreak = e;
  const since = (d: string) => lastBreak === undefined || d > lastBreak.date;
  const own = (id: string) => levelOf(id, levels)?.pair === pair;
  const unheld = grouped(
    // Closes below 0.7 that were all below 0.6 too never closed inside the zone: the 0.6 edge tells them.
    history.unheld.filter((u) => own(u.levelId) && since(u.date) && u.outside < u.closes),
    (u) => `${u.levelId}|${u.kind}|${u.direction}`,
    (u, list): UnheldCloses | undefined => {
      const level = levelOf(u.levelId, levels);
      const closes = list.reduce((n, x) => n + x.closes - x.outside, 0);
      return level && { level, kind: u.kind, direction: u.direction, count: list.length, closes, first: u.date, last: list[list.length - 1]!.end };
    },
  ).sort((a, b) => (a.last < b.last ? -1 : 1));
  const retests = grouped(
    history.retests.filter((r) => own(r.levelId) && since(r.date)),
    (r) => `${r.levelId}|${r.from}`,
    (r, list): Retests | undefined => {
      const level = levelOf(r.levelId, levels);
      return level && { level, count: list.length, first: r.date, last: list[list.length - 1]!.date, from: r.from };
    },
  ).sort((a, b) => b.count - a.count || (a.last < b.last ? 1 : -1));
  const pending = history.pending.filter((p) => p.pair === pair && !leftThroughFarEdge(p, last.value, levels));
  return {
    pair,
    asOf: last.date,
    value: last.value,
    era: eraOf(last.date),
    lastBreak,
    daysSinceBreak: lastBreak === undefined ? undefined : daysBetween(lastBreak.date, last.date),
    unheld,
    retests,
    pending,
    // Only an open episode (level-history.ts): not a level just broken, nor one closed beyond today.
    approaching: approachingLevels(
      last.value,
      levels.filter((l) => l.pair === pair),
      o.approachPct,
    ).filter((l) => history.approaching.some((a) => a.levelId === l.id)),
  };
}

/** The story of every pair with data, and every held break (the historic breaks `/history` shows). */
export function story(
  series: Readonly<Partial<Record<PairId, readonly Point[]>>>,
  o: StoryOptions,
  levels: readonly Level[] = ESSAY_LEVELS,
): { readonly pairs: readonly PairStory[]; readonly breaks: readonly ReplayEvent[] } {
  const history = levelHistory(series, levels, o.approachPct);
  const pairs: PairStory[] = [];
  for (const pair of Object.keys(series) as PairId[]) {
    const s = pairStory(pair, series[pair] ?? [], history, o, levels);
    if (s !== undefined) pairs.push(s);
  }
  return { pairs, breaks: history.breaks };
}
