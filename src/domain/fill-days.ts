/**
 * The days of a fetch that another source of the instrument should price: those whose price the
 * source gave was refused as impossible (0, negative, outside the plausible band), and those it left
 * out (a null close) between its first and last rows, on a day that has a close. Without this the
 * day carries the close before it (for gold: the ratios over an older gold price, up to 4 days).
 * Days already stored are left alone: what is there stays.
 */
import { closeDateProblem } from './close-calendar.ts';
import type { CloseRow } from './close-row.ts';
import { addDays } from './dates.ts';
import { INSTRUMENT_INFO, type InstrumentId } from './instruments.ts';
import { isTradingDay } from './nyse-calendar.ts';
import { priceProblem } from './acceptance.ts';

export interface DayToFill {
  readonly date: string;
  /** Why the source's own price is not stored: its refusal, or none given. */
  readonly why: string;
}

export function daysToFill(instrument: InstrumentId, rows: readonly CloseRow[], stored: ReadonlySet<string>, nowMs: number): DayToFill[] {
  if (INSTRUMENT_INFO[instrument].frequency !== 'daily' || rows.length === 0) return [];
  const hasClose = (d: string) => closeDateProblem(instrument, d, nowMs) === undefined && isTradingDay(d);
  const priced = new Set<string>();
  const out: DayToFill[] = [];
  for (const r of rows) {
    const problem = priceProblem(instrument, r.close);
    if (problem === undefined) priced.add(r.date);
    else if (!stored.has(r.date) && hasClose(r.date)) out.push({ date: r.date, why: `${r.source}'s ${problem}` });
  }
  const source = rows[0]!.source;
  for (let d = rows[0]!.date; d <= rows.at(-1)!.date; d = addDays(d, 1)) {
    if (!priced.has(d) && !stored.has(d) && hasClose(d) && !out.some((f) => f.date === d))
      out.push({ date: d, why: `${source} has no ${instrument} price for that day` });
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
