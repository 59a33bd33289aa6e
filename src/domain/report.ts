/**
 * What `ratio` says about a pair: the value now, its changes, the essay's nearest levels and
 * the age of the data. Pure: series, quotes and the clock come in as arguments.
 */
import type { PairId } from './instruments.ts';
import { pointOnOrBefore, type Point } from './series.ts';
import { addMonths, startOfYear } from './dates.ts';
import { liveRatio, pctChange, type Quote } from './ratio.ts';
import { nearestLevels, type Level, type NearestLevels } from './levels.ts';
import { CLOSURES_KNOWN_FROM, closuresBetween, tradingDate, tradingDaysBetween } from './nyse-calendar.ts';

export interface PairReport {
  readonly pair: PairId;
  /** The value shown: the live ratio when both legs have a fresh quote newer than the last close, else the last close. */
  readonly value: number;
  readonly basis: 'live' | 'close';
  /** Date of the last daily close used (the "as of" of a close-based value). */
  readonly closeDate: string;
  readonly lastClose: number;
  readonly change1d: number | undefined;
  /** The 1D's base, when the exchange was shut by a closure of its own between it and the value (a reopening after 9/11). */
  readonly change1dSince?: DaySpan;
  readonly change1m: number | undefined;
  readonly changeYtd: number | undefined;
  readonly levels: NearestLevels;
  /** Age of each leg in ms at `now`, numerator first. */
  readonly ageMs: { readonly numerator: number; readonly denominator: number };
  /**
   * The day of the gold price a close-based value divides by, when it is older than closeDate (a
   * London holiday, or the fix not fetched yet): said beside the value, as the digest and /power say it.
   */
  readonly goldDate?: string;
}

/** A live quote counts when it is newer than the end of the last close's day and at most this old. */
export const LIVE_MAX_AGE_MS = 36 * 3_600_000;

/** Calendar days a "1D" base may lie before the close it compares, before CLOSURES_KNOWN_FROM (a long weekend with a holiday: 4). */
export const MAX_DAY_GAP = 5;

/**
 * Whether the close of `prev` is the one before `last`'s trading day, so a change between them is a 1D:
 * no trading day lies between (a reopening after days of closure has its 1D; a close missing from the
 * data leaves none). Before 1960 the calendar lacks the exchange's odd closures: calendar days decide.
 */
export function isDayBase(prev: string, last: string): boolean {
  return last < CLOSURES_KNOWN_FROM ? daysBetween(prev, last) <= MAX_DAY_GAP : tradingDaysBetween(prev, last) === 0;
}

/** A 1D's base day and the closures it spans (the exchange's own: 9/11, a funeral, a hurricane; not a regular holiday). */
export interface DaySpan {
  readonly base: string;
  readonly closed: readonly string[];
}

/** The span of a 1D from `base` to `to`, when a special closure lies between; undefined otherwise. */
export function daySpan(base: string, to: string): DaySpan | undefined {
  const closed = closuresBetween(base, to);
  return closed.length > 0 ? { base, closed } : undefined;
}
/** Days a "1W" or "1M" base may lie before the week- or month-ago date (a holiday and a weekend: 4). */
export const MAX_BASE_SLACK = 7;
export const daysBetween = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / 86_400_000;

export function pairReport(input: {
  pair: PairId;
  /** Daily ratio series, ascending. */
  series: readonly Point[];
  levels: readonly Level[];
  numeratorQuote: Quote | undefined;
  denominatorQuote: Quote | undefined;
  /** When the last close of each leg was stored/observed (ms), for the age of close-based values. */
  closeAsOfMs: { numerator: number; denominator: number };
  /** The day of the denominator's (gold's) close under the series' last point: its own day, or an earlier one carried. */
  denominatorDate?: string | undefined;
  nowMs: number;
}): PairReport | undefined {
  const last = input.series[input.series.length - 1];
  if (last === undefined) return undefined;
  const closeEndMs = Date.parse(`${last.date}T23:59:59Z`);
  const n = input.numeratorQuote;
  const d = input.denominatorQuote;
  const live =
    n && d && n.asOf > closeEndMs - 86_400_000 && input.nowMs - n.asOf <= LIVE_MAX_AGE_MS && input.nowMs - d.asOf <= LIVE_MAX_AGE_MS
      ? liveRatio(n, d, input.nowMs)
      : undefined;
  const value = live?.value ?? last.value;
  const prev = input.series[input.series.length - 2];
  // With a live value, "1D" compares with the last close; otherwise the last close with the one before.
  // A base much older than its label (closes missing after an outage) is no 1D or 1M: none is given.
  const dayBase = live ? last : prev !== undefined && isDayBase(prev.date, last.date) ? prev : undefined;
  const span = dayBase === undefined ? undefined : daySpan(dayBase.date, live ? tradingDate(input.nowMs) : last.date);
  const monthTarget = addMonths(last.date, -1);
  const monthPoint = pointOnOrBefore(input.series, monthTarget);
  const monthBase = monthPoint !== undefined && daysBetween(monthPoint.date, monthTarget) <= MAX_BASE_SLACK ? monthPoint : undefined;
  const ytdBase = pointOnOrBefore(input.series, addDaysIso(startOfYear(last.date), -1));
  return {
    pair: input.pair,
    value,
    basis: live ? 'live' : 'close',
    closeDate: last.date,
    lastClose: last.value,
    change1d: dayBase ? pctChange(dayBase.value, value) : undefined,
    ...(span !== undefined && { change1dSince: span }),
    change1m: monthBase ? pctChange(monthBase.value, value) : undefined,
    changeYtd: ytdBase ? pctChange(ytdBase.value, value) : undefined,
    levels: nearestLevels(value, input.levels),
    ageMs: live
      ? { numerator: live.numeratorAgeMs, denominator: live.denominatorAgeMs }
      : {
          numerator: Math.max(0, input.nowMs - input.closeAsOfMs.numerator),
          denominator: Math.max(0, input.nowMs - input.closeAsOfMs.denominator),
        },
    ...(!live && input.denominatorDate !== undefined && input.denominatorDate < last.date ? { goldDate: input.denominatorDate } : {}),
  };
}

/** One "the ratio uses the gold price of {gold}" note: a gold day under a close's date, and how many of the ratios shown use it. */
export interface GoldOlderNote {
  readonly gold: string;
  readonly date: string;
  readonly pairs: number;
}

/** The notes /ratio and `ratio` add under their reports: once per gold day and close, not once per pair. */
export function goldOlderNotes(reports: readonly PairReport[]): GoldOlderNote[] {
  const notes = new Map<string, GoldOlderNote>();
  for (const r of reports) {
    if (r.goldDate === undefined) continue;
    const key = `${r.goldDate}:${r.closeDate}`;
    notes.set(key, { gold: r.goldDate, date: r.closeDate, pairs: (notes.get(key)?.pairs ?? 0) + 1 });
  }
  return [...notes.values()];
}

function addDaysIso(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
