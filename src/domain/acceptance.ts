/**
 * Accepting a price: the one policy for daily closes (market/sync-closes.ts) and latest quotes
 * (market/latest.ts). Pure: data, "today" and "now" in, a verdict out, never a throw.
 *
 * - The verdict: a price must be a finite, positive number inside the instrument's plausible band,
 *   not dated in the future, and (a latest quote) not stale.
 * - The hold: a move larger than MAX_MOVE_PCT (15% by default) from the last accepted price is held,
 *   not stored, until it is confirmed.
 * - Confirmation: by a second source reporting the same date within CONFIRM_TOLERANCE_PCT
 *   (`confirmedBy`), by a later fetch reporting the held price again (`held` in the contexts), or,
 *   inside one history batch, by the next day staying at the new level (a real crash persists; a bad
 *   tick reverts).
 * - Expiry: a hold older than every later fetch window can never be confirmed and is dropped
 *   (`expiredHolds`). A held price that never gets confirmed is never stored.
 */
import { addDays, addMonths } from './dates.ts';
import { INSTRUMENT_INFO, type InstrumentId } from './instruments.ts';
import type { Quote } from './ratio.ts';
import type { CloseRow } from './close-row.ts';
import { closeDateProblem } from './close-calendar.ts';

export const CONFIRM_TOLERANCE_PCT = 2;
/** A quote time this far ahead of our clock is a clock or parsing error, not the future. */
export const FUTURE_SLACK_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

export function movePct(from: number, to: number): number {
  return (Math.abs(to - from) / from) * 100;
}

/**
 * Why a price cannot be right for this instrument, or undefined when it can. `written`: the price
 * as its source wrote it (a CSV cell), quoted instead of the number's own form (1e+23).
 */
export function priceProblem(instrument: InstrumentId, price: number, written?: string): string | undefined {
  // M2 is a money stock in billions of dollars, not a price: say what the figure is.
  const shown = (v: number | string) => written ?? String(v);
  const figure = (v: number | string) => (instrument === 'm2' ? `m2 ${shown(v)} (billions of dollars)` : `${instrument} price ${shown(v)}`);
  if (typeof price !== 'number' || !Number.isFinite(price)) return `${figure(String(price))} is not a number`;
  if (price <= 0) return `${figure(price)} is not positive`;
  const { min, max } = INSTRUMENT_INFO[instrument].plausible;
  if (price < min || price > max) return `${figure(price)} is outside the plausible range ${min}–${max}`;
  return undefined;
}

export function confirms(held: number, other: number, tolerancePct: number = CONFIRM_TOLERANCE_PCT): boolean {
  return movePct(held, other) <= tolerancePct;
}

export interface SeriesContext {
  readonly instrument: InstrumentId;
  /** Today in the instrument's market: a later date is in the future. */
  readonly today: string;
  /** Now: a close of a day with no close, or of today before its session ended, is refused (close-calendar.ts). */
  readonly nowMs: number;
  /** The last accepted close before the batch's first date, if any. */
  readonly previous: number | undefined;
  /** Prices held earlier, by date: a batch reporting the same price again confirms them. */
  readonly held: ReadonlyMap<string, number>;
  readonly maxMovePct: number;
  readonly confirmPct?: number;
}

export interface Rejected {
  readonly row: CloseRow;
  readonly reason: string;
}

export interface HeldRow {
  readonly row: CloseRow;
  readonly reason: string;
}

export interface SeriesVerdict {
  readonly accepted: CloseRow[];
  readonly held: HeldRow[];
  readonly rejected: Rejected[];
  /** Dates that were held before and are now confirmed (release them from the hold). */
  readonly confirmed: string[];
}

export function validateSeries(rows: readonly CloseRow[], ctx: SeriesContext): SeriesVerdict {
  const tol = ctx.confirmPct ?? CONFIRM_TOLERANCE_PCT;
  const accepted: CloseRow[] = [];
  const held: HeldRow[] = [];
  const rejected: Rejected[] = [];
  const confirmed: string[] = [];

  const sane: CloseRow[] = [];
  for (const row of rows) {
    const problem =
      priceProblem(ctx.instrument, row.close) ??
      (row.date > ctx.today ? `${ctx.instrument} ${row.date} is in the future` : closeDateProblem(ctx.instrument, row.date, ctx.nowMs));
    if (problem !== undefined) rejected.push({ row, reason: problem });
    else sane.push(row);
  }

  let prev = ctx.previous;
  for (let i = 0; i < sane.length; i++) {
    const row = sane[i]!;
    const heldBefore = ctx.held.get(row.date);
    const jump = prev === undefined ? 0 : movePct(prev, row.close);
    if (jump <= ctx.maxMovePct) {
      accepted.push(row);
      if (heldBefore !== undefined) confirmed.push(row.date);
      prev = row.close;
      continue;
    }
    const next = sane[i + 1];
    if (heldBefore !== undefined && confirms(heldBefore, row.close, tol)) {
      confirmed.push(row.date);
    } else if (next === undefined || movePct(row.close, next.close) > ctx.maxMovePct) {
      held.push({
        row,
        reason: `${ctx.instrument} moved ${jump.toFixed(1)}% on ${row.date} (${prev} → ${row.close}), more than ${ctx.maxMovePct}%: held until confirmed`,
      });
      continue;
    }
    accepted.push(row);
    prev = row.close;
  }
  return { accepted, held, rejected, confirmed };
}

export interface QuoteContext {
  readonly instrument: InstrumentId;
  readonly nowMs: number;
  /** The last accepted price (latest quote or close). */
  readonly previous: number | undefined;
  /** A price held earlier for the same day, if any. */
  readonly held: number | undefined;
  readonly maxMovePct: number;
  readonly confirmPct?: number;
}

export type QuoteVerdict =
  | { readonly kind: 'accept'; readonly confirmed: boolean }
  | { readonly kind: 'hold'; readonly reason: string }
  | { readonly kind: 'reject'; readonly reason: string };

export function validateQuote(q: Quote, ctx: QuoteContext): QuoteVerdict {
  const problem = priceProblem(ctx.instrument, q.price);
  if (problem !== undefined) return { kind: 'reject', reason: problem };
  if (!Number.isFinite(q.asOf) || q.asOf > ctx.nowMs + FUTURE_SLACK_MS) {
    return { kind: 'reject', reason: `${ctx.instrument} quote from ${q.source} is dated in the future` };
  }
  const staleDays = INSTRUMENT_INFO[ctx.instrument].staleAfterDays;
  if (ctx.nowMs - q.asOf > staleDays * DAY_MS) {
    return { kind: 'reject', reason: `${ctx.instrument} quote from ${q.source} is stale (older than ${staleDays} days)` };
  }
  if (ctx.previous === undefined) return { kind: 'accept', confirmed: false };
  const jump = movePct(ctx.previous, q.price);
  if (jump <= ctx.maxMovePct) return { kind: 'accept', confirmed: ctx.held !== undefined };
  if (ctx.held !== undefined && confirms(ctx.held, q.price, ctx.confirmPct ?? CONFIRM_TOLERANCE_PCT)) return { kind: 'accept', confirmed: true };
  return {
    kind: 'hold',
    reason: `${ctx.instrument} moved ${jump.toFixed(1)}% (${ctx.previous} → ${q.price}), more than ${ctx.maxMovePct}%: held until confirmed`,
  };
}

/** Which of the held rows a second source's prices (by date) confirm. */
export function confirmedBy(held: readonly HeldRow[], second: ReadonlyMap<string, number>, tolerancePct: number = CONFIRM_TOLERANCE_PCT): HeldRow[] {
  return held.filter((h) => {
    const price = second.get(h.row.date);
    return price !== undefined && confirms(h.row.close, price, tolerancePct);
  });
}

/** Holds older than this were outside every later fetch window (daily closes). */
export const HOLD_EXPIRY_DAYS = 30;
/** The same for monthly series (M2 is revised for months). */
export const HOLD_EXPIRY_MONTHS = 12;

/** The holds (date → price) that can no longer be confirmed and are dropped, given those just released. */
export function expiredHolds(
  instrument: InstrumentId,
  held: ReadonlyMap<string, number>,
  released: readonly string[],
  today: string,
): [date: string, price: number][] {
  const expiry = INSTRUMENT_INFO[instrument].frequency === 'monthly' ? addMonths(today, -HOLD_EXPIRY_MONTHS) : addDays(today, -HOLD_EXPIRY_DAYS);
  return [...held].filter(([date]) => date < expiry && !released.includes(date));
}
