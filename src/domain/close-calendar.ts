/**
 * Which days can carry a close of an instrument, and from when that close is final. Pure: the
 * clock is an argument. Every write path of closes asks it (acceptance.ts validateSeries), so an
 * import, a backfill and the daily sync refuse the same rows for the same reason.
 *
 * - S&P 500 and QQQ close on NYSE trading days (nyse-calendar.ts), final after 16:00 New York, or
 *   13:00 on an early close (the session is over then: closeTimeOf);
 * - gold is quoted on weekdays (London fixes on US holidays, COMEX trades on UK ones) but the days
 *   neither does (goldShutDay: Christmas, New Year's Day, Good Friday, Memorial Day when it is
 *   London's Spring Bank Holiday), and today's
 *   close is final once the London PM fix is set, 15:00 London (a source with a later close, GC=F,
 *   leaves today's bar out until it settles: market/yahoo.ts);
 * - M2 is monthly, dated the 1st of its month, and a month's figure exists only once it has ended;
 * - nothing before each instrument's first real day.
 */
import { dateInZone } from './dates.ts';
import { wallClock } from './fixed-offset.ts';
import { QQQ_LAUNCH, type InstrumentId } from './instruments.ts';
import { EARLY_CLOSE, goodFriday, isEarlyClose, isTradingDay, specialClosure, tradingDate } from './nyse-calendar.ts';

/** The first day each instrument has a real close, and what that day is. */
export const FIRST_CLOSE: Readonly<Record<InstrumentId, { readonly date: string; readonly why: string }>> = {
  spx: { date: '1927-12-30', why: 'the first close of the S&P index series' },
  qqq: { date: QQQ_LAUNCH, why: "QQQ's first trading day" },
  gold: { date: '1968-01-02', why: 'the first day of the daily London gold price' },
  m2: { date: '1959-01-01', why: 'the first month of the M2 series' },
};

/**
 * How long after a session's end a source's bar dated that day is taken as its close: a source needs
 * a few minutes to settle it (Yahoo's, Twelve Data's; market/yahoo.ts, market/twelvedata.ts).
 */
export const CLOSE_SETTLE_MS = 15 * 60_000;

/** From when a day's close is final, in the zone of its market. */
const FINAL_AFTER: Readonly<Record<Exclude<InstrumentId, 'm2'>, { readonly hour: number; readonly zone: string; readonly place: string }>> = {
  spx: { hour: 16, zone: 'America/New_York', place: 'New York' },
  qqq: { hour: 16, zone: 'America/New_York', place: 'New York' },
  gold: { hour: 15, zone: 'Europe/London', place: 'London' },
};

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const weekday = (date: string): (typeof WEEKDAYS)[number] => WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!;

/** The date and the hour (with fraction) at `nowMs` in `zone`. */
function wallClockAt(nowMs: number, zone: string): { date: string; hour: number } {
  const { hour, minute } = wallClock(nowMs, zone);
  return { date: dateInZone(new Date(nowMs), zone), hour: hour + minute / 60 };
}

/** tradingDate, remembered for the last instant: a batch of 7,000 rows asks with one `nowMs`. */
let memo: { nowMs: number; today: string } | undefined;
function todayAt(nowMs: number): string {
  if (memo?.nowMs !== nowMs) memo = { nowMs, today: tradingDate(nowMs) };
  return memo.today;
}

/**
 * The weekdays gold has no price of its own: London does not fix (an English bank holiday) and COMEX
 * does not settle (CME's metals are shut). A row dated then is the day before's carried forward, as
 * the spot tail of the real gold_daily.csv has on 2025-12-25, 2026-01-01, 2026-04-03 and 2026-05-25: stored, it
 * would stand as that day's price ("the ratios use the gold price of 2025-12-25"). Holidays of one
 * market alone (Easter Monday, most Boxing Days, Thanksgiving) are not here: the other prices gold then.
 */
export function goldShutDay(date: string): string | undefined {
  const md = date.slice(5);
  const year = Number(date.slice(0, 4));
  if (md === '12-25') return 'Christmas Day';
  // New Year's Day is an English bank holiday from 1974.
  if (md === '01-01' && year >= 1974) return "New Year's Day";
  if (date === goodFriday(year)) return 'Good Friday';
  // The rest are Mondays of a few days of the year: the weekday is read for those alone (an import
  // asks of every row, migration 019 of every day from 1968 to 2100).
  if (md !== '12-26' && md !== '01-02' && !(md >= '05-25' && md <= '05-31')) return undefined;
  const day = weekday(date);
  // A Sunday holiday moves to the Monday in both London and New York.
  if (md === '12-26' && day === 'Monday') return 'Boxing Day, Christmas observed in New York';
  if (md === '01-02' && day === 'Monday' && year >= 1974) return "New Year's Day observed";
  // The last Monday of May: London's Spring Bank Holiday and Memorial Day since 1971, but in the jubilee
  // years London's moved to June (the real file has a fix on the Monday of 1977, 2002, 2012 and 2022).
  if (md >= '05-25' && md <= '05-31' && day === 'Monday' && year >= 1971 && ![1977, 2002, 2012, 2022].includes(year)) {
    return 'Spring Bank Holiday and Memorial Day';
  }
  return undefined;
}

/** Why `date` cannot carry a (final) close of `instrument` at `nowMs`, or undefined when it can. */
export function closeDateProblem(instrument: InstrumentId, date: string, nowMs: number): string | undefined {
  const first = FIRST_CLOSE[instrument];
  if (date < first.date) return `${instrument} ${date} is before ${first.date}, ${first.why}`;
  const today = todayAt(nowMs);
  if (instrument === 'm2') {
    if (!date.endsWith('-01')) return `m2 ${date} is not the 1st of a month: M2 is monthly, dated ${date.slice(0, 7)}-01`;
    if (date.slice(0, 7) >= today.slice(0, 7)) return `m2 ${date.slice(0, 7)} has not ended yet (today is ${today} in New York)`;
    return undefined;
  }
  if (date > today) return `${instrument} ${date} is in the future`;
  const day = weekday(date);
  if (instrument === 'gold') {
    if (day === 'Saturday' || day === 'Sunday') return `gold ${date} is a ${day}: gold has no close on weekends`;
    const shut = goldShutDay(date);
    if (shut !== undefined) {
      return `gold ${date} is ${shut}: London does not fix gold nor COMEX settle it that day (a price dated then is an earlier one carried forward)`;
    }
  } else if (!isTradingDay(date)) {
    const closure = specialClosure(date);
    const why = day === 'Saturday' || day === 'Sunday' ? `a ${day}` : closure !== undefined ? `closed: ${closure}` : 'a market holiday';
    return `${instrument} ${date} is not an NYSE trading day (${why})`;
  }
  // Only today's close can be early (the market's date is never behind New York's): the clock is read for it alone.
  if (date !== today) return undefined;
  const regular = FINAL_AFTER[instrument];
  // The stocks' session ends at 13:00 on an early close, and their close is final from then.
  const final = instrument !== 'gold' && isEarlyClose(date) ? { ...regular, hour: Number(EARLY_CLOSE.slice(0, 2)) } : regular;
  const there = wallClockAt(nowMs, final.zone);
  if (date >= there.date && there.hour < final.hour) {
    return `${instrument} ${date} is today and its close is not final yet (after ${final.hour}:00 ${final.place})`;
  }
  return undefined;
}
