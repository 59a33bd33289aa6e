/**
 * Accepting a price: the one policy for daily closes (market/sync-closes.ts) and latest quotes
 * (market/latest.ts). Pure: data, "today" and "now" in, a verdict out, never a throw.
 *
 * - The verdict: a price must be a finite, positive number inside the instrument's plausible band,
 *   not dated in the future, and (a latest quote) not stale.
 * - The hold: a move larger than MAX_MOVE_PCT (15% by default) from the last accepted price is held,
 *   not stored, until it is confirmed.
 * - Confirmation: by a second source reporting the same date within CONFIRM_TOLERANCE_PCT
 *   (`secondSays`, `others` in the contexts), by a later fetch reporting the held price again (`held`
 *   in the contexts) at least HOLD_CONFIRM_MINUTES after the hold was written (`heldAt`,
 *   `confirmAfterMs`: a fetch a minute later, a restart's backfill, reads the same wrong level from
 *   the same cache; without a Twelve Data or FRED key the S&P 500 and QQQ have no second source, so
 *   this is their only check),
 *   or, inside one history batch, by the next day staying at the new level (a real crash persists; a
 *   bad tick reverts). A repeat too soon keeps the hold as it was written, its time included.
 * - A dispute: a second source whose price for that day is more than MAX_MOVE_PCT away from the move
 *   (Yahoo's gold a hundredth of the LBMA fix) outweighs the source repeating itself, whatever the
 *   repeats or the next days say: the move is refused and the second source's price stored for the
 *   day when it is in line with the closes before, else the move stays held until a source agrees or
 *   it expires. A unit or contract error persists in its source, so a repeat alone would let it
 *   through, and its level breaks to every chat.
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

/** Another source's price for the same day, asked about a move beyond MAX_MOVE_PCT. */
export interface SecondOpinion {
  readonly price: number;
  readonly source: string;
}

/**
 * What the second sources say about a move to `price`: one that agrees (within the tolerance), else
 * one that disputes it (more than `maxMovePct` from it, in % of its own price), else neither (none
 * priced the day, or one priced it a few % off, as GC=F and the fix differ on a volatile day).
 */
export function secondSays(
  price: number,
  opinions: readonly SecondOpinion[],
  maxMovePct: number,
  tolerancePct: number = CONFIRM_TOLERANCE_PCT,
): { readonly agrees: SecondOpinion } | { readonly disputes: SecondOpinion } | undefined {
  const agrees = opinions.find((o) => confirms(price, o.price, tolerancePct));
  if (agrees !== undefined) return { agrees };
  const disputes = opinions.find((o) => movePct(o.price, price) > maxMovePct);
  return disputes === undefined ? undefined : { disputes };
}

/** The line of a disputed move: `gold moved 99.0% on … (2000 → 20), more than 15%, and lbma has 2001 for that day: yahoo's price held until a source agrees`. */
export function disputedReason(move: string, source: string, by: SecondOpinion): string {
  return `${move}, and ${by.source} has ${by.price} for that day: ${source}'s price held until a source agrees`;
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
  /** The other sources' prices by date (asked about the dates in a first verdict's `jumped`): they confirm or dispute a move. */
  readonly others?: ReadonlyMap<string, readonly SecondOpinion[]>;
  /** When each of `held` was written (ms): a repeat confirms it from `confirmAfterMs` after. */
  readonly heldAt?: ReadonlyMap<string, number>;
  /** How long after its hold a repeat confirms a move (HOLD_CONFIRM_MINUTES); 0 or absent: any later fetch. */
  readonly confirmAfterMs?: number;
}

/**
 * Why a repeat of a held price does not confirm it yet (seen again too soon after the hold was
 * written), or undefined when it does.
 */
export function repeatTooSoon(heldAtMs: number | undefined, nowMs: number, confirmAfterMs: number | undefined): string | undefined {
  if (heldAtMs === undefined || confirmAfterMs === undefined || confirmAfterMs <= 0) return undefined;
  const after = nowMs - heldAtMs;
  if (after >= confirmAfterMs) return undefined;
  const min = (ms: number) => `${Math.max(0, Math.floor(ms / 60_000))} min`;
  return `seen again ${min(after)} after it was held, and a repeat confirms from ${min(confirmAfterMs)} on (HOLD_CONFIRM_MINUTES): still held`;
}

export interface Rejected {
  readonly row: CloseRow;
  readonly reason: string;
}

export interface HeldRow {
  readonly row: CloseRow;
  readonly reason: string;
  /** A hold repeated too soon: kept as written then (ms), not written again with a new time. */
  readonly heldAt?: number;
}

export interface SeriesVerdict {
  readonly accepted: CloseRow[];
  readonly held: HeldRow[];
  readonly rejected: Rejected[];
  /** Dates that were held before and are now confirmed (release them from the hold). */
  readonly confirmed: string[];
  /** Dates whose price moved more than maxMovePct from the close before: the ones to ask other sources about. */
  readonly jumped: string[];
  /** Moves accepted because another source agreed (`others`), with that source's price. */
  readonly seconded: { readonly row: CloseRow; readonly by: SecondOpinion }[];
}

export function validateSeries(rows: readonly CloseRow[], ctx: SeriesContext): SeriesVerdict {
  const tol = ctx.confirmPct ?? CONFIRM_TOLERANCE_PCT;
  const accepted: CloseRow[] = [];
  const held: HeldRow[] = [];
  const rejected: Rejected[] = [];
  const confirmed: string[] = [];
  const jumped: string[] = [];
  const seconded: { row: CloseRow; by: SecondOpinion }[] = [];

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
    jumped.push(row.date);
    const move = `${ctx.instrument} moved ${jump.toFixed(1)}% on ${row.date} (${prev} → ${row.close}), more than ${ctx.maxMovePct}%`;
    const second = secondSays(row.close, ctx.others?.get(row.date) ?? [], ctx.maxMovePct, tol);
    const next = sane[i + 1];
    if (second !== undefined && 'disputes' in second) {
      const by = second.disputes;
      // The source that disputes it stays with the closes before (a move within maxMovePct): its
      // price is that day's, as a fallback's fills a day the first source lacks; else neither is.
      if (prev !== undefined && movePct(prev, by.price) <= ctx.maxMovePct) {
        rejected.push({ row, reason: `${move}, where ${by.source} has ${by.price}, in line with the closes before and stored instead` });
        accepted.push({ date: row.date, close: by.price, source: by.source });
        if (heldBefore !== undefined) confirmed.push(row.date);
        prev = by.price;
      } else held.push({ row, reason: disputedReason(move, row.source, by) });
      continue;
    }
    if (second !== undefined) {
      seconded.push({ row, by: second.agrees });
      if (heldBefore !== undefined) confirmed.push(row.date);
    } else if (heldBefore !== undefined && confirms(heldBefore, row.close, tol)) {
      const heldAt = ctx.heldAt?.get(row.date);
      const soon = repeatTooSoon(heldAt, ctx.nowMs, ctx.confirmAfterMs);
      if (soon !== undefined) {
        held.push({ row, reason: `${move}, ${soon}`, ...(heldAt === undefined ? {} : { heldAt }) });
        continue;
      }
      confirmed.push(row.date);
    } else if (next === undefined || movePct(row.close, next.close) > ctx.maxMovePct) {
      held.push({ row, reason: `${move}: held until confirmed` });
      continue;
    }
    accepted.push(row);
    prev = row.close;
  }
  return { accepted, held, rejected, confirmed, jumped, seconded };
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
  /** The other sources' latest prices, asked about a move beyond maxMovePct: they confirm or dispute it. */
  readonly others?: readonly SecondOpinion[];
  /** When `held` was written (ms), and how long after it a repeat confirms it (SeriesContext). */
  readonly heldAt?: number;
  readonly confirmAfterMs?: number;
}

/** Whether two moves from `from` go the same way (both up or both down). */
function sameSide(from: number, a: number, b: number): boolean {
  return a > from === b > from;
}

export type QuoteVerdict =
  | { readonly kind: 'accept'; readonly confirmed: boolean }
  /**
   * `since`: the hold's first time, kept when the price is written again (a repeat seen too soon, or
   * a price moved on beyond MAX_MOVE_PCT the same way: a crash that goes on falling is not held anew
   * every fetch, its confirmation measured from when it was first held).
   */
  | { readonly kind: 'hold'; readonly reason: string; readonly since?: number }
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
  const tol = ctx.confirmPct ?? CONFIRM_TOLERANCE_PCT;
  const move = `${ctx.instrument} moved ${jump.toFixed(1)}% (${ctx.previous} → ${q.price}), more than ${ctx.maxMovePct}%`;
  const second = secondSays(q.price, ctx.others ?? [], ctx.maxMovePct, tol);
  if (second !== undefined && 'agrees' in second) return { kind: 'accept', confirmed: true };
  // A repeat of the held price confirms it unless another source disputes it (then: refused, as a close is).
  if (second !== undefined) return { kind: 'reject', reason: `${move}, and ${second.disputes.source} has ${second.disputes.price} now` };
  if (ctx.held !== undefined && confirms(ctx.held, q.price, tol)) {
    const soon = repeatTooSoon(ctx.heldAt, ctx.nowMs, ctx.confirmAfterMs);
    if (soon === undefined) return { kind: 'accept', confirmed: true };
    return { kind: 'hold', reason: `${move}, ${soon}`, ...(ctx.heldAt === undefined ? {} : { since: ctx.heldAt }) };
  }
  const since = ctx.held !== undefined && sameSide(ctx.previous, ctx.held, q.price) ? ctx.heldAt : undefined;
  return { kind: 'hold', reason: `${move}: held until confirmed`, ...(since === undefined ? {} : { since }) };
}

/** Holds older than this were outside every later fetch window (daily closes). */
export const HOLD_EXPIRY_DAYS = 30;
/** The same for monthly series (M2 is revised for months). */
export const HOLD_EXPIRY_MONTHS = 12;

/**
 * The holds (date → price) that can no longer be confirmed and are dropped, given the dates this run
 * settled: released (confirmed), or held again (a fetch that reaches back that far, a backfill, saw
 * the day move again: its new hold replaces the old one and must not be dropped with it).
 */
export function expiredHolds(
  instrument: InstrumentId,
  held: ReadonlyMap<string, number>,
  settled: readonly string[],
  today: string,
): [date: string, price: number][] {
  const expiry = INSTRUMENT_INFO[instrument].frequency === 'monthly' ? addMonths(today, -HOLD_EXPIRY_MONTHS) : addDays(today, -HOLD_EXPIRY_DAYS);
  return [...held].filter(([date]) => date < expiry && !settled.includes(date));
}
