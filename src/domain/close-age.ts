/**
 * How old a stored close is: the one definition every surface shows (`ratio`, /ratio, a chart's
 * footer, `status`, the close-age metric). A close is as old as the time since its price was set,
 * not since it was written (an import of 2011 data is not fresh), and never less than nothing; shown
 * by formatAge (i18n/format.ts): "16 h" the morning after, "105 d" once it is two days old or more.
 * The stocks' price is set at their day's New York close (16:00, 13:00 on an early close:
 * nyse-calendar.ts closeTimeOf); gold's daily price is set when its
 * source sets it (GOLD_SET_AT), hours before that. Staleness (STALE, /status) is a separate rule:
 * calendar days since the close (ops/checks.ts).
 */
import { zonedInstant } from './digest-schedule.ts';
import type { InstrumentId } from './instruments.ts';
import { closeTimeOf } from './nyse-calendar.ts';

/**
 * When each gold source's daily price of a day is set (docs: shared PROVIDERS.md): the LBMA Gold
 * Price PM is fixed at about 15:00 London (10:00 New York); Yahoo's GC=F daily close is the COMEX
 * settlement, 13:30 New York. A source not listed (Twelve Data's XAU/USD day bar, an import) is
 * counted from the New York close, as the stocks are.
 */
export const GOLD_SET_AT: Readonly<Record<string, { readonly time: string; readonly zone: string }>> = {
  lbma: { time: '15:00', zone: 'Europe/London' },
  yahoo: { time: '13:30', zone: 'America/New_York' },
};

/** Which close: an instrument's, from a source (gold's time depends on it). Without one, a stock's. */
export interface CloseOf {
  readonly instrument: InstrumentId;
  readonly source?: string | undefined;
}

/** When the daily price of `date` was set: gold's by its source, the rest at that day's New York close (13:00 on an early close). */
export function priceSetAt(date: string, of?: CloseOf): number {
  const set = of?.instrument === 'gold' && of.source !== undefined ? GOLD_SET_AT[of.source] : undefined;
  const key = set === undefined ? date : `${date} ${of?.source}`;
  let at = setAt.get(key);
  if (at === undefined) {
    at = set === undefined ? zonedInstant(date, closeTimeOf(date), 'America/New_York') : zonedInstant(date, set.time, set.zone);
    if (setAt.size >= SET_AT_KEPT) setAt.clear();
    setAt.set(key, at);
  }
  return at;
}

/**
 * priceSetAt's answers by day (and gold source): a day's answer never changes, and each costs four
 * readings of a zone's clock (~50 µs); every /ratio, /status and chart footer asks for the same
 * latest days, 200 users at once asked ~600 times (bench/burst.ts).
 */
const setAt = new Map<string, number>();
const SET_AT_KEPT = 1024;

/** When the close of `date` became the latest price: when it was set (priceSetAt), or now if that is still ahead. */
export const closeAsOf = (date: string, nowMs: number, of?: CloseOf): number => Math.min(nowMs, priceSetAt(date, of));

/** Milliseconds since the close of `date` was set, at `nowMs` (0 before it). */
export const closeAgeMs = (date: string, nowMs: number, of?: CloseOf): number => nowMs - closeAsOf(date, nowMs, of);
