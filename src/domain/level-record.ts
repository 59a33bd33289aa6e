/**
 * What the stored closes show for an essay level's era: its highest close for a resistance or a
 * ceiling, its lowest for a support or a floor, and where that close lay against the level. /levels
 * prints it beside the essay's label, so a reader can check the label against the data (the
 * essay's "2000 peak" of SPX/Gold closed highest in July 1999; its "key resistance" 0.25 of QQQ/Gold
 * was never reached in 2012–2024).
 */
import { addDays, daysBetween } from './dates.ts';
import { QQQ_LAUNCH, PAIRS } from './instruments.ts';
import { ERAS, isZone, type Level } from './levels.ts';
import { pointOnOrBefore, type Point } from './series.ts';

interface RecordBase {
  /** The highest close (resistance, ceiling) or the lowest (support, floor). */
  readonly side: 'high' | 'low';
  /** Of the level's era, or of the whole stored history for a level without one. */
  readonly scope: 'era' | 'all';
  readonly value: number;
  /** The first close at that extreme. */
  readonly date: string;
  /**
   * The day of the gold price that close's ratio divides by, when older than `date` (a London
   * holiday such as 2021-12-27: gold of 2021-12-24 carried, domain/ratio.ts); undefined when the
   * same day's, or when no gold series was given.
   */
  readonly goldDate?: string;
}

/**
 * `short`: never reached the level; `beyond`: closed past it (above a resistance, below a support),
 * with `pct`, how far the close lay from the level's nearer edge in % of that edge (always > 0: a %
 * of the level, not of the close as distancePct, since the sentence is "the high stayed 9.6% below
 * 0.25", the level being what it is measured against); `inside`: reached a zone without passing it;
 * `on`: closed exactly on a line.
 */
export type LevelRecord = RecordBase &
  ({ readonly outcome: 'short' | 'beyond'; readonly pct: number } | { readonly outcome: 'inside' | 'on'; readonly pct: undefined });

/** How far a series may start after (or end before) an era's edge and still be that era's: a year's first or last trading day, a holiday, a missing fix. */
const EDGE_SLACK_DAYS = 7;

/**
 * The record of `level` in `series` (the pair's daily ratio closes, ascending), or undefined: a
 * chat's own level (no era to check it against), or a series that does not cover the era (a fresh
 * install's few years would otherwise pass for the era's extreme). `gold`, the closes the ratio
 * divides by, tells the extreme's day that used an older gold price (goldDate).
 */
export function levelRecord(level: Level, series: readonly Point[], gold?: readonly Point[]): LevelRecord | undefined {
  const side = level.kind === 'resistance' || level.kind === 'ceiling' ? 'high' : level.kind === 'support' || level.kind === 'floor' ? 'low' : undefined;
  if (side === undefined || series.length === 0) return undefined;
  const era = level.era === undefined ? undefined : ERAS.find((e) => e.id === level.era);
  const first = series[0]!.date;
  const last = series.at(-1)!.date;
  // A pair has no closes before its numerator traded (QQQ/Gold before QQQ's launch): that is no gap.
  const pairStart = PAIRS[level.pair].numerator === 'qqq' ? QQQ_LAUNCH : undefined;
  if (era !== undefined) {
    const from = pairStart !== undefined && pairStart > era.from ? pairStart : era.from;
    if (first > addDays(from, EDGE_SLACK_DAYS)) return undefined;
    if (era.to !== undefined && last < era.to && daysBetween(last, era.to) > EDGE_SLACK_DAYS) return undefined;
  }
  let best: Point | undefined;
  for (const p of series) {
    if (era !== undefined && (p.date < era.from || (era.to !== undefined && p.date > era.to))) continue;
    if (best === undefined || (side === 'high' ? p.value > best.value : p.value < best.value)) best = p;
  }
  if (best === undefined) return undefined;
  const v = best.value;
  const scope = era === undefined ? 'all' : 'era';
  // The edge the extreme comes at first (a resistance's low edge from below) and the one it passes (its high edge).
  const [near, far] = side === 'high' ? [level.low, level.high] : [level.high, level.low];
  const past = side === 'high' ? v > far : v < far;
  const short = side === 'high' ? v < near : v > near;
  const goldDay = gold === undefined ? undefined : pointOnOrBefore(gold, best.date)?.date;
  const base = { side, scope, value: v, date: best.date, ...(goldDay !== undefined && goldDay < best.date ? { goldDate: goldDay } : {}) } as const;
  if (past) return { ...base, outcome: 'beyond', pct: (Math.abs(v - far) / far) * 100 };
  if (short) return { ...base, outcome: 'short', pct: (Math.abs(near - v) / near) * 100 };
  return { ...base, outcome: isZone(level) ? 'inside' : 'on', pct: undefined };
}
