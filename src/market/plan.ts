/**
 * What to fetch: the date ranges a backfill, the daily sync and the M2 sync ask the sources for.
 * Pure: what is stored and today in, ranges out.
 */
import { addDays, addMonths, daysBetween } from '../domain/dates.ts';
import { INSTRUMENT_INFO, type InstrumentId } from '../domain/instruments.ts';

/** Re-fetch this many days before the last stored close so late revisions land (upserts are idempotent). */
export const OVERLAP_DAYS = 7;
/** M2 is revised for months after release: re-fetch this many months. */
export const M2_OVERLAP_MONTHS = 6;
/** syncDaily looks back this far: covers a long weekend plus a missed run or two. */
export const DAILY_LOOKBACK_DAYS = 10;
/** The instruments with daily closes (and latest quotes). */
export const DAILY: readonly InstrumentId[] = ['spx', 'qqq', 'gold'];
export const ALL: readonly InstrumentId[] = ['spx', 'qqq', 'gold', 'm2'];

export interface DateRange {
  readonly from: string;
  readonly to: string;
}

/** What the store holds of one instrument, as far as planning needs to know. */
export interface Stored {
  /** The last stored date, if any. */
  lastDate(instrument: InstrumentId): Promise<string | undefined>;
  /** The first stored date in [from, to], if any. */
  firstDate(instrument: InstrumentId, from: string, to: string): Promise<string | undefined>;
}

/**
 * What a backfill asks for: everything from BACKFILL_FROM when empty; otherwise from the last date
 * minus an overlap, plus the head when the stored history starts late (a store that syncDaily
 * filled first, or a source that failed on the first backfill). A source whose data really starts
 * later (GC=F: 2000-08-30) answers that head request with no rows: one cheap request.
 */
export async function backfillRanges(instrument: InstrumentId, stored: Stored, backfillFrom: string, today: string): Promise<DateRange[]> {
  const to = today;
  const monthly = INSTRUMENT_INFO[instrument].frequency === 'monthly';
  // M2 is dated the 1st: the month of BACKFILL_FROM already covers its first days.
  const start = monthly ? `${backfillFrom.slice(0, 7)}-01` : backfillFrom;
  const last = await stored.lastDate(instrument);
  if (last === undefined) return [{ from: start, to }];
  const tailFrom = monthly ? addMonths(last, -M2_OVERLAP_MONTHS) : addDays(last, -OVERLAP_DAYS);
  const first = await stored.firstDate(instrument, start, to);
  const headCovered = first === undefined || first <= (monthly ? addMonths(start, 1) : addDays(start, OVERLAP_DAYS));
  if (headCovered) return [{ from: tailFrom, to }];
  const headTo = addDays(first, -1);
  return headTo >= tailFrom
    ? [{ from: start, to }]
    : [
        { from: start, to: headTo },
        { from: tailFrom, to },
      ];
}

/** What the daily sync asks for: the last DAILY_LOOKBACK_DAYS days. */
export function dailyRanges(today: string): DateRange[] {
  return [{ from: addDays(today, -DAILY_LOOKBACK_DAYS), to: today }];
}

/**
 * Whether to ask the later sources for the head the used one lacks: when its data starts well after
 * `from` (GC=F starts 2000-08-30; the essay's 2000 peak is before it). Returns that head's range.
 */
export function missingHead(from: string, firstFetched: string): DateRange | undefined {
  return daysBetween(from, firstFetched) <= OVERLAP_DAYS ? undefined : { from, to: addDays(firstFetched, -1) };
}

/** Ranges sorted, those that overlap or touch joined: what a sync asks, each day once. */
export function joinRanges(ranges: readonly DateRange[]): DateRange[] {
  const out: DateRange[] = [];
  for (const r of [...ranges].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))) {
    const last = out.at(-1);
    if (last !== undefined && r.from <= addDays(last.to, 1)) out[out.length - 1] = { from: last.from, to: [r.to, last.to].sort()[1]! };
    else out.push(r);
  }
  return out;
}

/**
 * The unfetched ranges kept after a sync (store/unfetched.ts): those kept before less the ranges the
 * sync fetched whole (`done`), plus what it could not fetch (`left`).
 */
export function stillUnfetched(kept: readonly DateRange[], done: readonly DateRange[], left: readonly DateRange[]): DateRange[] {
  let out = joinRanges(kept);
  for (const d of done) {
    out = out.flatMap((r) => {
      if (d.to < r.from || d.from > r.to) return [r];
      return [...(r.from < d.from ? [{ from: r.from, to: addDays(d.from, -1) }] : []), ...(r.to > d.to ? [{ from: addDays(d.to, 1), to: r.to }] : [])];
    });
  }
  return joinRanges([...out, ...left]);
}
