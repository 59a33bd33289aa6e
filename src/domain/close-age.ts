/**
 * How old a stored close is: the one definition every surface shows (`ratio`, /ratio, a chart's
 * footer, `status`). A close is as old as the time since its day's 16:00 New York close, not since
 * it was written (an import of 2011 data is not fresh), and never less than nothing; shown by
 * formatAge (i18n/format.ts): "16 h" the morning after, "105 d" once it is two days old or more.
 * Staleness (STALE, /status) is a separate rule: calendar days since the close (ops/checks.ts).
 */
import { closeInstant } from './digest-schedule.ts';

/** When the close of `date` became the latest price: its 16:00 New York, or now if that is still ahead. */
export const closeAsOf = (date: string, nowMs: number): number => Math.min(nowMs, closeInstant(date));

/** Milliseconds since the close of `date` at `nowMs` (0 before it). */
export const closeAgeMs = (date: string, nowMs: number): number => nowMs - closeAsOf(date, nowMs);
