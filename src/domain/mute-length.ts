/**
 * How long a mute lasts: calendar months and a span of time. A month is no fixed number of
 * days, so `/mute 3 months` on Nov 21 ends on Feb 21, at the same time of day, in the chat's zone
 * (a month without that day ends on its last: Jan 31 + 1 month is the last day of February);
 * the rest (`2w`, `1d12h`) is added after, as a span.
 */
import { addDays, addMonths, isIsoDate } from './dates.ts';
import { zonedInstant } from './digest-schedule.ts';
import { wallClock, type WallClock } from './fixed-offset.ts';
import { otherHalf } from './quiet-hours.ts';
import { closeTimeOf, isTradingDay, tradingDate } from './nyse-calendar.ts';

export interface MuteLength {
  /** Whole calendar months, counted in the chat's zone. */
  readonly months: number;
  /** The rest, in ms. */
  readonly ms: number;
  /** The word for a few typed (`a few` days, 幾天): read as 3, which the reply says naming it. */
  readonly fewSaid?: string;
  /** A length said about (`an hour or so`, `about 2h`, 一個小時左右): as typed; the reply says it is read as exactly that length. */
  readonly aboutSaid?: string;
  /** Half a day typed (半天, half a day): read as 12 hours, which the reply says, offering the rest of the session (到收盤). */
  readonly halfDaySaid?: string;
}

const two = (n: number) => String(n).padStart(2, '0');

/** The zone a mute is counted on and its wall clock at `nowMs`: a zone the runtime does not know counts on UTC's calendar (formatMoment shows it so too). */
function calendarOf(nowMs: number, zone: string): { readonly tz: string; readonly w: WallClock } {
  try {
    return { tz: zone, w: wallClock(nowMs, zone) };
  } catch {
    return { tz: 'UTC', w: wallClock(nowMs, 'UTC') };
  }
}

/** The instant a mute of `length` started at `nowMs` ends, its months counted on `zone`'s calendar. */
export function muteEnd(nowMs: number, length: MuteLength, zone: string): number {
  if (length.months === 0) return nowMs + length.ms;
  const { tz, w } = calendarOf(nowMs, zone);
  const date = addMonths(`${w.year}-${two(w.month)}-${two(w.day)}`, length.months);
  // The same wall-clock minute that day (seconds kept: every zone's offset is whole minutes).
  return zonedInstant(date, `${two(w.hour)}:${two(w.minute)}`, tz) + (nowMs % 60_000) + length.ms;
}

/**
 * A mute's end typed as a day and/or a time instead of a length (`until monday`, `tomorrow`,
 * `until 2026-12-24`, `到下週一`, `until 9am`): read on the chat's calendar when it is muted. A day
 * alone means its start, 00:00 there (the reply names that end); a time alone its next coming.
 */
export type MuteDay =
  | { readonly kind: 'date'; readonly date: string }
  /** A month and day without a year: its next coming (this year's, or next year's once passed). */
  | { readonly kind: 'monthDay'; readonly month: number; readonly day: number }
  /**
   * 0 Sunday … 6 Saturday; `nextWeek`: of the next calendar week, Monday first (下週五), else its next coming after today.
   * `nextSaid`: typed `next friday` in English, which readers split on: the coming one, never today (a close's
   * too), this week's on Monday to Thursday, the reply naming the date and how to type the week after's.
   */
  | { readonly kind: 'weekday'; readonly weekday: number; readonly nextWeek: boolean; readonly nextSaid?: true }
  /** Days from today: tomorrow 1, 後天 2, today 0 (with a time only). */
  | { readonly kind: 'days'; readonly days: number }
  /**
   * The weekend: this week's (週末, the weekend), or, `next`, the next calendar week's (下週末); its
   * start for a market bot, the week's last close (weekendCloseDay), or its Saturday with a time. This week's on a Saturday or Sunday is now: weekendNow says so, and the mute is refused.
   */
  | { readonly kind: 'weekend'; readonly next: boolean }
  /** A day of the month alone (until the 24th, 到24號): its next coming, this month's or the next month's that has it. */
  | { readonly kind: 'dayOfMonth'; readonly day: number }
  /** A month alone (until march, 到3月): its first day, this year's, or next year's once that month is past. */
  | { readonly kind: 'month'; readonly month: number }
  /** The next month's first day (下個月, next month, and the end of this one: 月底). */
  | { readonly kind: 'nextMonth' }
  /** The next year's 1 January (明年, next year, 年底). */
  | { readonly kind: 'nextYear' }
  /**
   * A day that moves each year (Lunar New Year: 過年, 春節), from a table of its next dates: the first
   * still ahead (past the table's last, that last: refused as passed, never a guessed date).
   */
  | { readonly kind: 'nextOf'; readonly dates: readonly string[] }
  /**
   * The market's next open or close (到收盤, until the close, 到開盤, until the open): the next
   * trading day's 09:30 or close in New York still ahead (16:00, or 13:00 on an early close:
   * nyse-calendar.ts closeTimeOf), whatever the chat's zone; the reply names it in the chat's,
   * and an early close as one. `on`: the close or the open of that day (到明天收盤, until friday close, 到下週一收盤, until monday open):
   * the day read on the calendar of the zone given (the chat's; New York's in a chat with no zone of its
   * own: chat/commands/settings.ts), a weekday's next coming, today's while its close is ahead; then the
   * exchange's close (or 09:30 open) of that date in New York. A day the market is shut has none (marketShutOn).
   */
  | { readonly kind: 'market'; readonly event: 'open' | 'close'; readonly on?: MarketDay };
/** The days a close or an open may be named by (tomorrow's close, friday close, the close on 12/24, monday open). */
export type MarketDay = Extract<MuteDay, { readonly kind: 'days' | 'weekday' | 'date' | 'monthDay' | 'dayOfMonth' }>;
export const MARKET_DAY_KINDS: ReadonlySet<MuteDay['kind']> = new Set(['days', 'weekday', 'date', 'monthDay', 'dayOfMonth']);

/** The exchange's open and the close of a trading day `date`, New York time. */
const MARKET_AT = { open: () => '09:30', close: closeTimeOf } as const;
const NEW_YORK = 'America/New_York';

export interface MuteUntil {
  readonly day?: MuteDay;
  /** HH:MM; a day without one starts at 00:00. */
  readonly time?: string;
  /** The zone the end was typed in (`until 9am Taipei`), read on its clock; else the chat's. */
  readonly zone?: string;
  /**
   * A time alone typed as an hour from 1 to 12 without its part of the day (`until 5`, `到5點`):
   * the next time a clock shows it, in either half of the day (at 14:00, 17:00), as people mean
   * "back at 5"; its 24-hour reading alone would mute fifteen hours for a meant three.
   */
  readonly eitherHalf?: true;
  /**
   * Said as close of business (COB: the market's close) or end of day (EOD, 今天結束: midnight): the reply says which it was read as.
   * `bell` (until the bell): the closing bell while the market is open, else the next opening bell (chat/commands/settings.ts
   * reads it at the moment typed), the reply saying which.
   */
  readonly said?: 'cob' | 'eod' | 'bell';
  /** A US market holiday named (until thanksgiving): its date, the end being the last close before it (`day`), said so. */
  readonly holiday?: { readonly name: string; readonly date: string };
}

export const isMuteUntil = (x: MuteLength | MuteUntil): x is MuteUntil => !('months' in x);

/** The day of the week of an ISO date: 0 Sunday … 6 Saturday. */
const weekdayOf = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();

/**
 * Today's date on `zone`'s calendar when `until` is this week's weekend and today is in it already
 * (a Saturday or a Sunday there, or past the week's last close): no end ahead to read, asked for one. Else undefined.
 */
export function weekendNow(nowMs: number, until: MuteUntil, zone: string): string | undefined {
  if (until.day?.kind !== 'weekend' || until.day.next) return undefined;
  const { w } = calendarOf(nowMs, zone);
  const today = `${w.year}-${two(w.month)}-${two(w.day)}`;
  const wd = weekdayOf(today);
  if (wd === 0 || wd === 6) return today;
  // Friday evening: the week's last close has passed, the market's weekend has begun.
  const close = weekendCloseDay(nowMs, until, zone);
  return close !== undefined && eventAt('close')(close) <= nowMs ? today : undefined;
}

/** The instant of the exchange's open or close on a date, New York time. */
const eventAt =
  (event: 'open' | 'close') =>
  (date: string): number =>
    zonedInstant(date, MARKET_AT[event](date), NEW_YORK);

/**
 * The New York date whose close `on` names, typed at `nowMs` in a chat on `zone`'s calendar: today,
 * tomorrow (days), a date, a month's day (its next coming whose close is ahead), a weekday (the first
 * whose close is ahead: today's, or in Taipei on Saturday morning Friday's; of next week: that week's).
 */
function marketDate(nowMs: number, on: MarketDay, event: 'open' | 'close', zone: string): string {
  const closeAt = eventAt(event);
  const { w } = calendarOf(nowMs, zone);
  const today = `${w.year}-${two(w.month)}-${two(w.day)}`;
  switch (on.kind) {
    case 'date':
      return on.date;
    case 'days':
      return addDays(today, on.days);
    case 'weekday': {
      const todayWd = weekdayOf(today);
      if (on.nextWeek) return addDays(today, ((8 - todayWd) % 7 || 7) + ((on.weekday + 6) % 7));
      // The first such day whose close is ahead, from the latest one on or before today: east of New York
      // (Taipei's Saturday morning) Friday's close may still be ahead.
      let date = addDays(today, ((on.weekday - todayWd + 7) % 7) - 7);
      // `next friday close` is never today's, as `next friday` is never today.
      while (closeAt(date) <= nowMs || (on.nextSaid === true && date <= today)) date = addDays(date, 7);
      return date;
    }
    case 'monthDay': {
      let year = w.year;
      const of = (y: number) => `${y}-${two(on.month)}-${two(on.day)}`;
      while (!isIsoDate(of(year)) || closeAt(of(year)) <= nowMs) year++;
      return of(year);
    }
    case 'dayOfMonth': {
      let month = `${w.year}-${two(w.month)}-01`;
      const of = (first: string) => `${first.slice(0, 8)}${two(on.day)}`;
      while (!isIsoDate(of(month)) || closeAt(of(month)) <= nowMs) month = addMonths(month, 1);
      return of(month);
    }
  }
}

/** The New York date of the close or open `until` names by its day (until friday close, until monday open), else undefined. */
export function marketDayOf(nowMs: number, until: MuteUntil, zone: string): string | undefined {
  return until.day?.kind === 'market' && until.day.on !== undefined ? marketDate(nowMs, until.day.on, until.day.event, zone) : undefined;
}

/**
 * When `until` is the close of a day the market is shut (a weekend, a holiday: until saturday close, 到元旦收盤):
 * that day, and the next trading day after it with its close, to offer instead. Else undefined.
 */
export function marketShutOn(
  nowMs: number,
  until: MuteUntil,
  zone: string,
): { readonly day: string; readonly next: string; readonly nextAt: number } | undefined {
  const day = marketDayOf(nowMs, until, zone);
  if (day === undefined || until.day?.kind !== 'market' || isTradingDay(day)) return undefined;
  let next = addDays(day, 1);
  while (!isTradingDay(next)) next = addDays(next, 1);
  return { day, next, nextAt: eventAt(until.day.event)(next) };
}

/** The last trading day before `date` (a Friday's, or Thursday's when Friday is a holiday). */
function lastTradingDayBefore(date: string): string {
  let day = addDays(date, -1);
  while (!isTradingDay(day)) day = addDays(day, -1);
  return day;
}

/**
 * The New York date whose close ends a mute until the weekend (the weekend, 到週末, 下週末) typed
 * without a time: the week's last close, the weekend's start for a market bot (its Friday's, or
 * Thursday's when Friday is a holiday). Else undefined.
 */
export function weekendCloseDay(nowMs: number, until: MuteUntil, zone: string): string | undefined {
  if (until.day?.kind !== 'weekend' || until.time !== undefined) return undefined;
  const { w } = calendarOf(nowMs, zone);
  const today = `${w.year}-${two(w.month)}-${two(w.day)}`;
  return lastTradingDayBefore(addDays(today, 6 - ((weekdayOf(today) + 6) % 7) - 1 + (until.day.next ? 7 : 0)));
}

/** The instant a mute `until` ends when typed at `nowMs`, on `zone`'s calendar (may be past or far: the caller checks). */
export function muteUntilEnd(nowMs: number, until: MuteUntil, zone: string): number {
  const { tz, w } = calendarOf(nowMs, zone);
  const today = `${w.year}-${two(w.month)}-${two(w.day)}`;
  const time = until.time ?? '00:00';
  const d = until.day;
  if (d?.kind === 'market' && d.on !== undefined) return eventAt(d.event)(marketDate(nowMs, d.on, d.event, zone));
  if (d?.kind === 'market') {
    let date = tradingDate(nowMs);
    const at = (day: string) => zonedInstant(day, MARKET_AT[d.event](day), NEW_YORK);
    while (!isTradingDay(date) || at(date) <= nowMs) date = addDays(date, 1);
    return at(date);
  }
  if (d === undefined) {
    // A time alone: today's if still ahead, else tomorrow's.
    const next = (hhmm: string): number => {
      const at = zonedInstant(today, hhmm, tz);
      return at > nowMs ? at : zonedInstant(addDays(today, 1), hhmm, tz);
    };
    return until.eitherHalf === true ? Math.min(next(time), next(otherHalf(time))) : next(time);
  }
  let date: string;
  switch (d.kind) {
    case 'date':
      date = d.date;
      break;
    case 'days':
      date = addDays(today, d.days);
      break;
    case 'monthDay': {
      // Its next coming that exists: Feb 29 is the next leap year's (over a year away, then refused).
      let year = w.year;
      const on = (y: number) => `${y}-${two(d.month)}-${two(d.day)}`;
      while (!isIsoDate(on(year)) || zonedInstant(on(year), time, tz) <= nowMs) year++;
      date = on(year);
      break;
    }
    case 'dayOfMonth': {
      // This month's while ahead, else the next month that has that day (the 31st skips November).
      let month = `${w.year}-${two(w.month)}-01`;
      const on = (first: string) => `${first.slice(0, 8)}${two(d.day)}`;
      while (!isIsoDate(on(month)) || zonedInstant(on(month), time, tz) <= nowMs) month = addMonths(month, 1);
      date = on(month);
      break;
    }
    case 'month':
      // That month this year until it is past: in it now, its first day has passed (the caller refuses it).
      date = `${d.month >= w.month ? w.year : w.year + 1}-${two(d.month)}-01`;
      break;
    case 'nextMonth':
      date = addMonths(`${w.year}-${two(w.month)}-01`, 1);
      break;
    case 'nextYear':
      date = `${w.year + 1}-01-01`;
      break;
    case 'nextOf':
      date = d.dates.find((x) => zonedInstant(x, time, tz) > nowMs) ?? d.dates[d.dates.length - 1]!;
      break;
    case 'weekend': {
      // Saturday of this week (Monday first), or of the next one; without a time, the close before it (weekendClose).
      const todayWd = weekdayOf(today);
      date = addDays(today, 6 - ((todayWd + 6) % 7) - 1 + (d.next ? 7 : 0));
      if (until.time === undefined) return eventAt('close')(lastTradingDayBefore(date));
      break;
    }
    case 'weekday': {
      const todayWd = weekdayOf(today);
      if (d.nextWeek) {
        // Monday of next week, then the day in it (Sunday last).
        const toMonday = (8 - todayWd) % 7 || 7;
        date = addDays(today, toMonday + ((d.weekday + 6) % 7));
      } else date = addDays(today, ((d.weekday - todayWd + 6) % 7) + 1);
      break;
    }
  }
  return zonedInstant(date, time, tz);
}
