/**
 * Ratios of two price series, and purchasing power since a base date. Pure: series in, series out.
 */
import type { Point } from './series.ts';
import { daysBetween } from './dates.ts';

/**
 * Gold has no fix on London holidays: carry the last one forward at most this many calendar days.
 * England's holidays come in pairs beside a weekend (Good Friday and Easter Monday, Christmas and
 * Boxing Day), while New York trades on Easter Monday and on Boxing Day: Thursday's fix is the
 * latest there is for that Monday, four days later. With three, those closes had no ratio at all,
 * and the next day's "1D" compared two sessions.
 */
export const GOLD_CARRY_DAYS = 4;

/**
 * For each date of `dates` (ascending), the last value of `series` (ascending) on or before it,
 * if that value is at most `maxCarryDays` calendar days old; otherwise undefined. One linear pass.
 */
export function valuesAsOf(dates: readonly string[], series: readonly Point[], maxCarryDays: number): (number | undefined)[] {
  return asOf(dates, series, maxCarryDays, (p) => p.value);
}

/** As valuesAsOf, but the points themselves: which observation each date reads. */
export function pointsAsOf(dates: readonly string[], series: readonly Point[], maxCarryDays: number): (Point | undefined)[] {
  return asOf(dates, series, maxCarryDays, (p) => p);
}

function asOf<T>(dates: readonly string[], series: readonly Point[], maxCarryDays: number, pick: (p: Point) => T): (T | undefined)[] {
  const out: (T | undefined)[] = new Array<T | undefined>(dates.length);
  let j = -1;
  for (let i = 0; i < dates.length; i++) {
    const date = dates[i]!;
    while (j + 1 < series.length && series[j + 1]!.date <= date) j++;
    const p = j >= 0 ? series[j] : undefined;
    out[i] = p !== undefined && daysBetween(p.date, date) <= maxCarryDays ? pick(p) : undefined;
  }
  return out;
}

/**
 * numerator ÷ denominator on the numerator's dates (US trading days). The denominator (gold) is
 * carried forward at most `maxCarryDays`; a date with no usable denominator is left out, never invented.
 */
export function ratioSeries(numerator: readonly Point[], denominator: readonly Point[], maxCarryDays: number = GOLD_CARRY_DAYS): Point[] {
  const den = valuesAsOf(
    numerator.map((p) => p.date),
    denominator,
    maxCarryDays,
  );
  const out: Point[] = [];
  for (let i = 0; i < numerator.length; i++) {
    const d = den[i];
    const n = numerator[i]!;
    if (d !== undefined && d > 0 && Number.isFinite(n.value)) out.push({ date: n.date, value: n.value / d });
  }
  return out;
}

export interface Quote {
  readonly price: number;
  /** When the price was observed (ms since epoch). */
  readonly asOf: number;
  readonly source: string;
}

export interface LiveRatio {
  readonly value: number;
  readonly numeratorAgeMs: number;
  readonly denominatorAgeMs: number;
}

/**
 * While the market is open, a live quote older than this (six missed 5-minute runs) means fetching is
 * stuck (/readyz says so), and a live ratio over it is no live ratio: ALERT_MODE=intraday decides none
 * from it (schedule/jobs.ts).
 */
export const LIVE_QUOTE_MAX_AGE_MS = 30 * 60_000;

/** The ratio from the latest quotes, with the age of each leg at `nowMs`. */
export function liveRatio(numerator: Quote, denominator: Quote, nowMs: number): LiveRatio | undefined {
  if (!(numerator.price > 0) || !(denominator.price > 0)) return undefined;
  return {
    value: numerator.price / denominator.price,
    numeratorAgeMs: Math.max(0, nowMs - numerator.asOf),
    denominatorAgeMs: Math.max(0, nowMs - denominator.asOf),
  };
}

export interface PowerSeries {
  readonly base: string;
  /** Dates shared by SPX, QQQ and gold (US trading days from the base on). */
  readonly dates: readonly string[];
  readonly spxUsd: readonly number[];
  readonly spxGold: readonly number[];
  /**
   * Deflated by M2: these and m2Months cover the first `m2Months.length` dates only, those M2 is
   * recent enough for (M2_CARRY_DAYS). The USD and gold lines need no M2 and go on to the last close.
   */
  readonly spxM2: readonly number[];
  readonly qqqUsd: readonly number[];
  readonly qqqGold: readonly number[];
  readonly qqqM2: readonly number[];
  /** The M2 observation (its month's first day) each date reads: M2 is monthly and published weeks late. */
  readonly m2Months: readonly string[];
}

/** M2 is monthly and published about 7 weeks late: carry a month's value up to this many days. */
export const M2_CARRY_DAYS = 100;

/**
 * Purchasing power since `base`: SPX and QQQ in USD, in gold, and deflated by M2, each indexed
 * to 100 on the first date on or after `base` where every input has a value. A date past the
 * latest M2 by more than M2_CARRY_DAYS keeps its USD and gold figures; the ÷ M2 lines end before it.
 */
export function purchasingPower(
  input: { spx: readonly Point[]; qqq: readonly Point[]; gold: readonly Point[]; m2: readonly Point[] },
  base: string,
): PowerSeries | undefined {
  const spxFrom = input.spx.filter((p) => p.date >= base);
  const dates = spxFrom.map((p) => p.date);
  const qqq = valuesAsOf(dates, input.qqq, 0);
  const gold = valuesAsOf(dates, input.gold, GOLD_CARRY_DAYS);
  // Any month on record, then cut where it is too old: M2 is one continuous monthly series, so the
  // dates it is recent enough for are the ones up to its last month plus the carry.
  const m2 = pointsAsOf(dates, input.m2, Number.POSITIVE_INFINITY);

  const rows: { date: string; spx: number; qqq: number; gold: number; m2: Point | undefined }[] = [];
  for (let i = 0; i < dates.length; i++) {
    const q = qqq[i];
    const g = gold[i];
    const m = m2[i];
    if (q === undefined || g === undefined || (rows.length === 0 && (m === undefined || daysBetween(m.date, dates[i]!) > M2_CARRY_DAYS))) continue;
    rows.push({ date: dates[i]!, spx: spxFrom[i]!.value, qqq: q, gold: g, m2: m });
  }
  const b = rows[0];
  if (b === undefined) return undefined;
  let withM2 = rows.length;
  while (withM2 > 0 && daysBetween(rows[withM2 - 1]!.m2!.date, rows[withM2 - 1]!.date) > M2_CARRY_DAYS) withM2--;
  const m2Rows = rows.slice(0, withM2);
  const m2Of = (r: (typeof rows)[number]) => r.m2!.value;
  const idx = (v: number, b0: number) => (100 * v) / b0;
  return {
    base: b.date,
    dates: rows.map((r) => r.date),
    spxUsd: rows.map((r) => idx(r.spx, b.spx)),
    spxGold: rows.map((r) => idx(r.spx / r.gold, b.spx / b.gold)),
    spxM2: m2Rows.map((r) => idx(r.spx / m2Of(r), b.spx / m2Of(b))),
    qqqUsd: rows.map((r) => idx(r.qqq, b.qqq)),
    qqqGold: rows.map((r) => idx(r.qqq / r.gold, b.qqq / b.gold)),
    qqqM2: m2Rows.map((r) => idx(r.qqq / m2Of(r), b.qqq / m2Of(b))),
    m2Months: m2Rows.map((r) => r.m2!.date),
  };
}

/** Whether M2 changed between the base and the `i`th date (default the last M2 covers): M2 is monthly, so a short span can read one month at both ends. */
export function m2Changes(p: PowerSeries, i: number = p.m2Months.length - 1): boolean {
  return i < p.m2Months.length && p.m2Months[i]! > p.m2Months[0]!;
}

/** Percentage change from `from` to `to`. */
export function pctChange(from: number, to: number): number {
  return ((to - from) / from) * 100;
}
