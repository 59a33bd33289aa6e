/**
 * NYSE trading days and hours. Pure: dates in, answers out. The regular holidays with the exchange's
 * observance rules (Saturday → Friday before, Sunday → Monday after; New Year's Day falling on a
 * Saturday is not observed on the Friday, which is a trading day of the old year).
 *
 * Early closes (earlyClose, closeTimeOf): the session ends at 13:00 New York instead of 16:00 on
 * - the day after Thanksgiving, every year since 1993 (14:00 in 1992, none before);
 * - Christmas Eve when it falls Monday to Thursday (on a Friday it is Christmas observed, on a
 *   weekend there is none, and the Friday or Thursday before is a full day: 2021, 2027);
 * - July 3 when it falls on a Monday, Tuesday or Thursday; on a Wednesday only since 2013 (from 2013
 *   the early close of a week whose July 4 is a Thursday is the Wednesday before: 2013-07-03,
 *   2019-07-03, 2024-07-03; before 2013 it was the Friday after, July 5: 1996-07-05, 2002-07-05, and
 *   2002-07-03 was a full day). A Friday July 3 is Independence Day observed, a weekend one none;
 * - two Fridays after Christmas the exchange chose to close early: 1997-12-26 and 2003-12-26 (EARLY_CLOSES).
 * Sources: NYSE "Holidays and Trading Hours" (nyse.com/markets/hours-calendars) for the years it
 * publishes, and for the years before the exchange's history of closings (the document the
 * market-calendar libraries cite, "Stocks.NYSE-Closings"). Known from EARLY_CLOSES_KNOWN_FROM (1993);
 * before it, a trading day's close is given as the regular 16:00. Closes cut short by an incident
 * (a systems failure, 2005-06-01 at 15:56) were never scheduled and are not here. What tells people
 * when the market closes or whether it is open (a mute until the close, from when a close is final,
 * a close's age, /freshz) asks closeTimeOf; the live quotes' polling keeps 09:30-16:00 (inRegularHours).
 */
import { addDays, dateInZone } from './dates.ts';
import { wallClock } from './fixed-offset.ts';

const NY = 'America/New_York';

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const dow = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

/** The n-th (1-based) weekday `wd` (0 = Sunday) of a month; n = -1 for the last. */
function nthWeekday(y: number, m: number, wd: number, n: number): string {
  if (n > 0) {
    const first = iso(y, m, 1);
    const offset = (wd - dow(first) + 7) % 7;
    return addDays(first, offset + (n - 1) * 7);
  }
  const last = iso(y, m, new Date(Date.UTC(y, m, 0)).getUTCDate());
  return addDays(last, -((dow(last) - wd + 7) % 7));
}

/** Easter Sunday (Gregorian), the anonymous algorithm. */
function easter(y: number): string {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(y, month, day);
}

/** Good Friday of a year: the NYSE, London's gold fix and COMEX are all shut. */
export function goodFriday(year: number): string {
  let day = goodFridays.get(year);
  if (day === undefined) goodFridays.set(year, (day = addDays(easter(year), -2)));
  return day;
}
/** Asked of every day a batch or a migration looks at (close-calendar.ts goldShutDay): worked out once a year. */
const goodFridays = new Map<number, string>();

/** Saturday → Friday before (from 1954: earlier the exchange traded that Friday), Sunday → Monday after. */
function observed(date: string): string {
  const wd = dow(date);
  if (wd === 6) return Number(date.slice(0, 4)) >= 1954 ? addDays(date, -1) : date;
  return wd === 0 ? addDays(date, 1) : date;
}

/** The old fixed-date holidays (Feb 22, May 30) moved to Monday from a Sunday, never to a Friday. */
const onSunday = (date: string): string => (dow(date) === 0 ? addDays(date, 1) : date);

/** Thanksgiving: the last Thursday of November until 1938, the one before it 1939-1941, the fourth since 1942. */
function thanksgiving(year: number): string {
  if (year >= 1942) return nthWeekday(year, 11, 4, 4);
  const last = nthWeekday(year, 11, 4, -1);
  return year >= 1939 ? addDays(last, -7) : last;
}

const cache = new Map<number, ReadonlySet<string>>();

/**
 * The regular holidays of a year, with the rules of that year (the Monday holidays date from 1971,
 * Martin Luther King Jr. Day from 1998), so that closes imported from 1928 on are judged right.
 * Closures of their own (a blizzard, a funeral, 9/11) are in SPECIAL_CLOSURES, not here.
 */
export function nyseHolidays(year: number): ReadonlySet<string> {
  let set = cache.get(year);
  if (set !== undefined) return set;
  const days = [
    year >= 1971 ? nthWeekday(year, 2, 1, 3) : onSunday(iso(year, 2, 22)), // Washington's Birthday
    goodFriday(year),
    year >= 1971 ? nthWeekday(year, 5, 1, -1) : onSunday(iso(year, 5, 30)), // Memorial Day
    observed(iso(year, 7, 4)),
    nthWeekday(year, 9, 1, 1), // Labor Day
    thanksgiving(year),
    observed(iso(year, 12, 25)),
  ];
  if (year >= 1998) days.push(nthWeekday(year, 1, 1, 3)); // Martin Luther King Jr. Day
  const newYear = iso(year, 1, 1);
  if (dow(newYear) !== 6) days.push(observed(newYear));
  if (year >= 2022) days.push(observed(iso(year, 6, 19))); // Juneteenth, observed by NYSE since 2022
  set = new Set(days);
  cache.set(year, set);
  return set;
}

/** The exchange's holidays a reader may name (until thanksgiving, until christmas, 到元旦). */
export const NAMED_HOLIDAYS = [
  'newYear',
  'mlk',
  'presidents',
  'goodFriday',
  'memorial',
  'juneteenth',
  'independence',
  'labor',
  'thanksgiving',
  'christmas',
] as const;
export type NamedHoliday = (typeof NAMED_HOLIDAYS)[number];

/** The day the exchange is shut for `name` in `year` (the observed day: July 4th on a Saturday is the Friday), from 1998 (Juneteenth 2022); New Year's Day on a Saturday is that day. */
export function holidayOn(name: NamedHoliday, year: number): string | undefined {
  switch (name) {
    case 'mlk':
      return nthWeekday(year, 1, 1, 3);
    case 'presidents':
      return nthWeekday(year, 2, 1, 3);
    case 'goodFriday':
      return goodFriday(year);
    case 'memorial':
      return nthWeekday(year, 5, 1, -1);
    case 'juneteenth':
      return year >= 2022 ? observed(iso(year, 6, 19)) : undefined;
    case 'independence':
      return observed(iso(year, 7, 4));
    case 'labor':
      return nthWeekday(year, 9, 1, 1);
    case 'thanksgiving':
      return thanksgiving(year);
    case 'christmas':
      return observed(iso(year, 12, 25));
    // On a Saturday none is observed (the Friday before is the old year's last trading day): the day itself, shut anyway.
    case 'newYear':
      return dow(iso(year, 1, 1)) === 6 ? iso(year, 1, 1) : observed(iso(year, 1, 1));
  }
}

/** From this day on every closure of the exchange is known here; before it only the regular holidays are. */
export const CLOSURES_KNOWN_FROM = '1960-01-01';

/**
 * The exchange's unscheduled closures since 1960 (Election Day, closed until 1980, is a rule below), with the reason. Sources: NYSE, "Closings of the
 * Exchange" (history of market closings, nyse.com) and the exchange's notices for each (e.g. NYSE press
 * release of 2018-12-01 on George H. W. Bush, of 2024-12-30 on Jimmy Carter); each one is also a
 * weekday without a close in the S&P 500 daily history (Yahoo ^GSPC) and, from 1999, in QQQ's.
 */
const SPECIAL_CLOSURES: Readonly<Record<string, string>> = {
  '1961-05-29': 'day before Decoration Day',
  '1963-11-25': 'funeral of President Kennedy',
  '1964-02-21': "Washington's Birthday on a Saturday",
  '1964-05-29': 'Memorial Day on a Saturday',
  '1968-02-12': "Lincoln's Birthday",
  '1968-04-09': 'day of mourning for Martin Luther King Jr.',
  '1968-07-05': 'day after Independence Day',
  '1968-11-11': 'Veterans Day',
  '1969-02-10': 'snowstorm',
  '1969-02-21': "Washington's Birthday on a Saturday",
  '1969-03-31': 'funeral of President Eisenhower',
  '1969-07-21': 'Apollo 11 moon landing',
  '1972-12-28': 'funeral of President Truman',
  '1973-01-25': 'funeral of President Johnson',
  '1977-07-14': 'New York City blackout',
  '1985-09-27': 'Hurricane Gloria',
  '1994-04-27': 'funeral of President Nixon',
  '2001-09-11': 'attacks of September 11',
  '2001-09-12': 'attacks of September 11',
  '2001-09-13': 'attacks of September 11',
  '2001-09-14': 'attacks of September 11',
  '2004-06-11': 'funeral of President Reagan',
  '2007-01-02': 'day of mourning for President Ford',
  '2012-10-29': 'Hurricane Sandy',
  '2012-10-30': 'Hurricane Sandy',
  '2018-12-05': 'day of mourning for President George H. W. Bush',
  '2025-01-09': 'day of mourning for President Carter',
  // The "paperwork crisis": closed on Wednesdays of weeks without a holiday, 12 June to 31 December 1968.
  ...Object.fromEntries(
    ['06-12', '06-19', '06-26', '07-10', '07-17', '07-24', '07-31', '08-07', '08-14', '08-21', '08-28', '09-11', '09-18', '09-25']
      .concat(['10-02', '10-09', '10-16', '10-23', '10-30', '11-20', '12-04', '12-11', '12-18'])
      .map((md) => [`1968-${md}`, 'paperwork crisis']),
  ),
};

/** electionDayClosure's answers by year: asked for every day of a history since 1927 (isTradingDay). */
const electionDays = new Map<number, string>();

/** Election Day (the Tuesday after the first Monday of November): closed every year until 1968, then in presidential years to 1980. */
function electionDayClosure(year: number): string | undefined {
  if (year > 1980 || (year > 1968 && year % 4 !== 0)) return undefined;
  let day = electionDays.get(year);
  if (day === undefined) {
    day = addDays(nthWeekday(year, 11, 1, 1), 1);
    electionDays.set(year, day);
  }
  return day;
}

/** Why the exchange was shut on a weekday outside its regular holidays, or undefined. */
export function specialClosure(date: string): string | undefined {
  const year = Number(date.slice(0, 4));
  if (electionDayClosure(year) === date) return 'Election Day';
  return SPECIAL_CLOSURES[date];
}

export function isNyseHoliday(date: string): boolean {
  return nyseHolidays(Number(date.slice(0, 4))).has(date) || specialClosure(date) !== undefined;
}

export function isTradingDay(date: string): boolean {
  const wd = dow(date);
  return wd !== 0 && wd !== 6 && !isNyseHoliday(date);
}

/**
 * The trading days strictly between two dates (Saturdays, which traded until 1952, are no trading day
 * here, so a Friday and the Saturday after have none between). 0 when `to` is the next trading day after `from`.
 */
export function tradingDaysBetween(from: string, to: string): number {
  let n = 0;
  for (let d = addDays(from, 1); d < to; d = addDays(d, 1)) if (isTradingDay(d)) n++;
  return n;
}

/** The special closures strictly between two dates, oldest first (a reopening's 1D spans them). */
export function closuresBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = addDays(from, 1); d < to; d = addDays(d, 1)) if (specialClosure(d) !== undefined) out.push(d);
  return out;
}

/** From this day on the early closes are known here (EARLY_CLOSES, the rules of earlyClose). */
export const EARLY_CLOSES_KNOWN_FROM = '1993-01-01';

/** Early closes of their own, outside the rules of earlyClose, with the reason. */
const EARLY_CLOSES: Readonly<Record<string, string>> = {
  '1997-12-26': 'day after Christmas',
  '2003-12-26': 'day after Christmas',
};

/**
 * Why the exchange closes early (13:00 New York) on `date`, or undefined: a full day, a day
 * without a session, or a date before EARLY_CLOSES_KNOWN_FROM. The rules are in the file's header.
 */
export function earlyClose(date: string): string | undefined {
  if (date < EARLY_CLOSES_KNOWN_FROM || !isTradingDay(date)) return undefined;
  const year = Number(date.slice(0, 4));
  const md = date.slice(5);
  const wd = dow(date);
  if (date === addDays(thanksgiving(year), 1)) return 'day after Thanksgiving';
  // A Friday Dec 24 is Christmas observed (no trading day, above).
  if (md === '12-24') return 'Christmas Eve';
  if (md === '07-03' && (wd !== 3 || year >= 2013)) return 'day before Independence Day';
  if (md === '07-05' && wd === 5 && year < 2013) return 'day after Independence Day';
  return EARLY_CLOSES[date];
}

export const isEarlyClose = (date: string): boolean => earlyClose(date) !== undefined;

/** The regular close, New York time. */
export const REGULAR_CLOSE = '16:00';
/** The close of an early-close day, New York time. */
export const EARLY_CLOSE = '13:00';

/** When the session of a trading day `date` ends, HH:MM New York: 13:00 on an early close, else 16:00. */
export const closeTimeOf = (date: string): string => (isEarlyClose(date) ? EARLY_CLOSE : REGULAR_CLOSE);

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether `instant` is from 09:30 New York to before `close(date)` on a trading day. */
function inSession(instant: Date, close: (date: string) => string): boolean {
  const date = dateInZone(instant, NY);
  if (!isTradingDay(date)) return false;
  const { hour, minute } = wallClock(instant.getTime(), NY);
  const minutes = hour * 60 + minute;
  return minutes >= 9 * 60 + 30 && minutes < minutesOf(close(date));
}

/** True during the session, 09:30 New York to its close (16:00, 13:00 on an early close), on a trading day. */
export const isMarketOpen = (instant: Date): boolean => inSession(instant, closeTimeOf);

/**
 * True from 09:30 to 16:00 New York on a trading day, an early close's too: the live quotes' polling
 * hours (schedule/jobs.ts), where a few polls past an early close cost nothing and miss nothing.
 */
export const inRegularHours = (instant: Date): boolean => inSession(instant, () => REGULAR_CLOSE);

/** The New York calendar date of an instant. */
export const nyDate = (instant: Date): string => dateInZone(instant, NY);

/**
 * "Today" for the market: the New York calendar date at `nowMs`. The one definition; code that
 * needs today gets it passed in (or a clock to call this with).
 */
export const tradingDate = (nowMs: number): string => dateInZone(new Date(nowMs), NY);
