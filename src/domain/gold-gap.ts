/**
 * A day the stocks closed and gold has no price for (a UK bank holiday, the fix not fetched yet or
 * skipped by the source): what `status` and /status say beside gold's last price, so "1 d old"
 * does not read as nothing missing. Pure: the stored last dates in, the gap out.
 */
import { daysBetween } from './dates.ts';
import { GOLD_CARRY_DAYS } from './ratio.ts';

export interface GoldGap {
  /** The latest stock close, which has no gold price of its own day. */
  readonly date: string;
  /** Gold's last price's day, before `date`. */
  readonly gold: string;
  /** The ratios of `date` use gold's last price (carried at most GOLD_CARRY_DAYS); otherwise that day has no ratio. */
  readonly carried: boolean;
}

/** The gap when gold's last price is older than the latest of the stocks' closes; undefined when there is none. */
export function goldGap(gold: string | undefined, stockDates: readonly (string | undefined)[]): GoldGap | undefined {
  const date = stockDates.reduce<string | undefined>((a, d) => (d !== undefined && (a === undefined || d > a) ? d : a), undefined);
  if (gold === undefined || date === undefined || gold >= date) return undefined;
  return { date, gold, carried: daysBetween(gold, date) <= GOLD_CARRY_DAYS };
}
