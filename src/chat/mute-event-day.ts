/**
 * A trading day to offer when a close or an open is asked of what is no one day (until march close,
 * 下週收盤, 到週末收盤: chat/parse-mute.ts refuses those naming it). Pure.
 */
import { addDays, addMonths } from '../domain/dates.ts';
import { isTradingDay } from '../domain/nyse-calendar.ts';
import type { MuteDay } from '../domain/mute-length.ts';

/** The last trading day on or before `date`. */
const tradingOnOrBefore = (date: string): string => {
  let d = date;
  while (!isTradingDay(d)) d = addDays(d, -1);
  return d;
};
/** The last trading day of the month that starts on `first`. */
const monthsLastTradingDay = (first: string): string => tradingOnOrBefore(addDays(addMonths(first, 1), -1));
/** The week's Friday (Monday first) from `today`, or the next week's. */
const fridayOf = (today: string, next: boolean): string => addDays(today, 4 - ((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7) + (next ? 7 : 0));

/** The first trading day on or after `date`. */
const tradingOnOrAfter = (date: string): string => {
  let d = date;
  while (!isTradingDay(d)) d = addDays(d, 1);
  return d;
};

/**
 * A trading day in what `day` names, to offer for a close or an open of no one day: a month's last for its
 * close (the month-end close), its first for its open; a week's Friday, or its Monday for its open.
 */
export function dayIn(day: MuteDay, event: 'open' | 'close', today: string): string | undefined {
  const [year, month] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  const thisMonth = `${today.slice(0, 7)}-01`;
  switch (day.kind) {
    case 'month': {
      const first = `${day.month >= month ? year : year + 1}-${String(day.month).padStart(2, '0')}-01`;
      return event === 'open' ? tradingOnOrAfter(first > today ? first : addMonths(first, 12)) : monthsLastTradingDay(first);
    }
    case 'nextMonth': {
      const last = monthsLastTradingDay(thisMonth);
      return last >= today ? last : monthsLastTradingDay(addMonths(thisMonth, 1));
    }
    case 'nextYear':
      return monthsLastTradingDay(`${year}-12-01`);
    case 'weekend':
      return tradingOnOrBefore(fridayOf(today, day.next));
    case 'weekday':
      return event === 'open' ? tradingOnOrAfter(addDays(fridayOf(today, day.nextWeek), -4)) : tradingOnOrBefore(fridayOf(today, day.nextWeek));
    default:
      return undefined;
  }
}
