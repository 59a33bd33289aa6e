/** Calendar arithmetic on ISO dates (`YYYY-MM-DD`), done in UTC so it never depends on the host's zone. */
import { numberText } from './han-fold.ts';
import { countOf, englishCounts, HAN_NUMERALS, hanNumber } from './han-numbers.ts';
import { wallClock } from './fixed-offset.ts';
import { bareUnitSpan } from './span-unit-words.ts';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
const digit = (s: string, i: number) => s.charCodeAt(i) - 48;

/** `YYYY-MM-DD` in shape, whether or not that day exists (2023-02-30 is in shape, not on the calendar). */
export function isIsoDateShape(s: string): boolean {
  return ISO_DATE.test(s);
}

/** A real calendar day as `YYYY-MM-DD` (proleptic Gregorian, years 0100-9999). Called once per CSV row: no Date. */
export function isIsoDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const y = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const m = digit(s, 5) * 10 + digit(s, 6);
  const d = digit(s, 8) * 10 + digit(s, 9);
  // Years before 100 are refused, as Date.UTC (which reads them as 1900-1999) always had them.
  if (y < 100 || m < 1 || m > 12 || d < 1) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= (m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31);
}

/**
 * Days since 1970-01-01 of an ISO date. Hot path of series alignment (tens of thousands of calls per
 * recompute), so it reads the digits directly instead of going through Date.parse: Hinnant's days_from_civil.
 */
export function toEpochDay(date: string): number {
  let y = digit(date, 0) * 1000 + digit(date, 1) * 100 + digit(date, 2) * 10 + digit(date, 3);
  const m = digit(date, 5) * 10 + digit(date, 6);
  const d = digit(date, 8) * 10 + digit(date, 9);
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function fromEpochDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return fromEpochDay(toEpochDay(date) + days);
}

export function daysBetween(from: string, to: string): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** The calendar date of an instant in an IANA time zone (e.g. America/New_York) or a fixed offset (UTC+3:30: fixed-offset.ts). */
export function dateInZone(instant: Date, timeZone: string): string {
  const { year, month, day } = wallClock(instant.getTime(), timeZone);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

export function startOfYear(date: string): string {
  return `${date.slice(0, 4)}-01-01`;
}

/** A day, a month or a year as people type them: 2020-03-05, 2020/3/5, 2020-03, 03/2020, 2020, 2020年3月5日, 2020年 (and a day with its year last: YEAR_LAST). */
const TYPED_DAY = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$|^(\d{4})年(\d{1,2})月(\d{1,2})[日號号]?$/;
const TYPED_MONTH = /^(\d{4})[-/.](\d{1,2})$|^(\d{4})年(\d{1,2})月$|^(\d{1,2})[-/.](\d{4})$/;
const TYPED_YEAR = /^(\d{4})年?$/;
const pad2 = (n: string) => n.padStart(2, '0');
/** The digits of a year written in Chinese numerals, one by one: 二〇二一 (also 二零二一) is 2021. */
const HAN_DIGITS = ['〇零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const hanDigit = (c: string): string => String(HAN_DIGITS.findIndex((d) => d.includes(c)));

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
/** A month's English name, whole or cut (march, mar, mar., sept), as its number; undefined for other words. */
export function monthNumber(word: string): number | undefined {
  const w = word.replace(/\.$/, '');
  const i = w.length < 3 ? -1 : MONTHS.findIndex((name) => name.startsWith(w));
  return i < 0 ? undefined : i + 1;
}
const NAMED_MONTH = /^([a-z]+\.?),?(\d{4})$/;
const NAMED_DAY_FIRST = /^(\d{1,2})(?:st|nd|rd|th)?([a-z]+\.?),?(\d{4})$/;
const NAMED_MONTH_FIRST = /^([a-z]+\.?)(\d{1,2})(?:st|nd|rd|th)?,?(\d{4})$/;

/**
 * A date with its month named in English, as the ISO text readDateSpan reads: March 1999 → 1999-03,
 * 27 Dec 2021 and Dec 27, 2021 → 2021-12-27 (spaces already gone). Other text as it was.
 */
function namedMonthDate(s: string): string {
  const x = s.toLowerCase();
  const m = NAMED_MONTH.exec(x);
  if (m !== null) {
    const mo = monthNumber(m[1]!);
    return mo === undefined ? s : `${m[2]}-${pad2(String(mo))}`;
  }
  const d = NAMED_DAY_FIRST.exec(x);
  if (d !== null) {
    const mo = monthNumber(d[2]!);
    return mo === undefined ? s : `${d[3]}-${pad2(String(mo))}-${pad2(d[1]!)}`;
  }
  const f = NAMED_MONTH_FIRST.exec(x);
  if (f !== null) {
    const mo = monthNumber(f[1]!);
    return mo === undefined ? s : `${f[3]}-${pad2(String(mo))}-${pad2(f[2]!)}`;
  }
  return s;
}

/**
 * A date written in Chinese numerals as in digits: 二〇二一年 → 2021年, 二〇二一年十二月二十七日 →
 * 2021年12月27日 (the year digit by digit, the month and day as numbers: hanMonthDay). Other text as it was.
 */
const hanDate = (s: string): string => hanMonthDay(hanYear(s));

/** A year written in Chinese numerals before 年, digit by digit, in digits: 二〇二四年全年 → 2024年全年. Other text as it was. */
export function hanYear(s: string): string {
  const year = /^([〇零一二三四五六七八九]{4})年/.exec(s);
  return year === null ? s : `${[...year[1]!].map(hanDigit).join('')}年${s.slice(year[0].length)}`;
}

/**
 * A month in Chinese numerals after a year in digits (2021年十二月, 民國一一〇年三月 once 2021年三月), and one with its day
 * with or without a year (十二月二十五日, 十二月廿五日, 三月十號, 2021年十二月廿五日), as digits: 12月25日, as 12月25日 is
 * read. A month alone (三月) stays as typed, as 3月 names no date. Spaces already gone; other text as it was.
 */
export function hanMonthDay(s: string): string {
  const m = HAN_MONTH_DAY.exec(s);
  if (m === null) return s;
  const [, year = '', month = '', day, mark = ''] = m;
  const mo = hanNumber(month);
  const d = day === undefined ? undefined : hanNumber(day);
  // Out of range (十三月) as typed in digits (13月): refused as that month or day, as the digits are.
  if (mo === undefined || (day === undefined ? year === '' : d === undefined)) return s;
  return `${year}${mo}月${d ?? ''}${mark}`;
}
const HAN_MONTH_DAY = /^(\d{4}年)?([一二三四五六七八九十]{1,2})月(?:([〇零一二三四五六七八九十廿卅]{1,3})([日號号])?)?$/;

/** The year 民國 1 (the Republic of China's era, Taiwan's official calendar) is 1912: 民國 N 年 is N + 1911. */
export const ROC_ERA = 1911;
const ROC_YEAR = /^民[國国]([〇零一二三四五六七八九十百]+|\d{1,3})年/;

/** A 民國 year as its year in digits (民國100年 → 2011年, 民國一一〇年三月 → 2021年三月); other text as it was. */
function rocYear(s: string): string {
  const m = ROC_YEAR.exec(s);
  if (m === null) return s;
  const typed = m[1]!;
  // 一一〇 digit by digit, 八十八 as a number, 一百, 一百零五 and 一百一十 past a hundred.
  const hundred = /^一百(?:零?(.+))?$/.exec(typed);
  const past = hundred?.[1] === undefined ? 0 : hanNumber(hundred[1]);
  const n =
    hundred !== null
      ? past === undefined
        ? undefined
        : 100 + past
      : /^[〇零一二三四五六七八九]{2,3}$/.test(typed)
        ? Number([...typed].map(hanDigit).join(''))
        : countOf(typed);
  return n === undefined || n < 1 ? s : `${n + ROC_ERA}年${s.slice(m[0].length)}`;
}

/** A year of two or three digits, with or without its month and day or a part of it: 100年, 110年3月, 115年10月20日, 109年第一季, 114年底. */
const SHORT_YEAR = /^(\d{2,3})年(\d{1,2}月(?:\d{1,2}[日號]?)?|第?[1-4一二三四首]季度?|[qQ][1-4]|[上下]半年?|[初底末尾終终])?$/;

/**
 * A 民國 date written with slashes, dots or dashes, as Taiwan's forms and receipts print one: 113/5,
 * 113/05/20, 113.05.20, 99/12/31. A year of three digits, or of two past 31 (no month or day): 12/25
 * is a day without its year (yearlessDays), never 民國12年.
 */
const SHORT_YEAR_NUMERIC = /^(\d{2,3})([/-])(\d{1,2})(?:\2(\d{1,2}))?$|^(\d{2,3})\.(\d{1,2})\.(\d{1,2})$/;

/**
 * How a zh-TW chat's year of two or three digits reads: as Taiwan writes dates, a 民國 year
 * (100年 → 民國100年, 2011; 113/5 → 民國113年5月), with its month and day or a part of it, and,
 * alone, past 民國50年 (1961): 5年, 10年 and 30年 are spans back (a chart range's name among them),
 * as they always were. One still ahead (120年, 民國120年: 2031) is that year too, refused as not yet
 * come: as a span back it would reach before any close the history holds (1928). Other text as it
 * was. The reply names the date used, so the reading is never silent.
 */
export function taiwanYear(text: string): string {
  const x = numberText(text).replace(/\s+/g, '');
  const n = SHORT_YEAR_NUMERIC.exec(x);
  if (n !== null) {
    const [year, month, day] = [n[1] ?? n[5]!, n[3] ?? n[6]!, n[4] ?? n[7]];
    const fits = Number(year) > 31 && Number(month) >= 1 && Number(month) <= 12 && (day === undefined || (Number(day) >= 1 && Number(day) <= 31));
    return fits ? `民國${Number(year)}年${Number(month)}月${day === undefined ? '' : `${Number(day)}日`}` : text;
  }
  const m = SHORT_YEAR.exec(x);
  if (m === null) return text;
  return m[2] !== undefined || Number(m[1]) > 50 ? `民國${m[0]}` : text;
}

/** Whether a 民國 year read by taiwanYear is still ahead of `today`'s year (民國120年 in 2026). */
export const rocYearAhead = (roc: string, today: string): boolean => {
  const span = readDateSpan(roc);
  return span !== undefined && Number(span.from.slice(0, 4)) > Number(today.slice(0, 4));
};

/** A day with its year last, as most of the world writes it day first (27/12/2021, 27.12.2021) and the US month first (12/27/2021). */
const YEAR_LAST = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/;

/**
 * The days a year-last date may be, as YYYY-MM-DD: one when only one reading is on the calendar
 * (27/12/2021: there is no month 27) or both readings are the same day (5/5/2021); two, day first
 * then month first, when it may be either (05/06/2021: 5 June or May 6), which is asked, never
 * guessed; none when neither is a day (31/13/2021), or the text is no such date.
 */
export function yearLastDays(text: string): string[] {
  const m = YEAR_LAST.exec(numberText(text).replace(/\s+/g, ''));
  if (m === null) return [];
  const [, a = '', b = '', y = ''] = m;
  return [...new Set([`${y}-${pad2(b)}-${pad2(a)}`, `${y}-${pad2(a)}-${pad2(b)}`])].filter(isIsoDate);
}

/** A quarter's number as typed: 1-4 or 一-四 (首 is the first). */
const QUARTER_NUMBER: Readonly<Record<string, number>> = { '1': 1, '2': 2, '3': 3, '4': 4, 一: 1, 二: 2, 三: 3, 四: 4, 首: 1 };
/** A quarter: Q1 2020, 2020Q1, 2020-Q1, 2020年第一季, 2020年Q1, 2020年一季度, 2020年首季 (spaces already gone, lowercase). */
const QUARTER = [/^q([1-4])[-/']?(\d{4})$/, /^(\d{4})年?[-/]?(?:q([1-4])|第?([1-4一二三四首])季度?)$/];
/** A half year: H1 2020, 2020H2, 2020年上半年, 2020年下半年. */
const HALF = [/^h([12])[-/']?(\d{4})$/, /^(\d{4})年?[-/]?(?:h([12])|([上下])半年?)$/];
/** A year's start or end as one day: 2020年初, 2020年底 (年末, 年尾, 年終), start of 2020, beginning of 2020, end of 2020. */
const YEAR_START = [/^(?:the)?(?:startof|beginningof)(\d{4})$/, /^(\d{4})年?初$/];
const YEAR_END = [/^(?:the)?endof(\d{4})$/, /^(\d{4})年?(?:底|末|尾|終|终)$/];
/** An ISO week, 2026-W46 (2026w46): its Monday to its Friday, the week's trading days. */
export const ISO_WEEK = /^(\d{4})-?w(\d{1,2})$/;

/** The ISO week a day is in (Monday first, week 1 the one with the year's first Thursday), as `2026-W46`. */
export function isoWeekOf(day: string): string {
  const monday = addDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));
  const thursday = addDays(monday, 3);
  const week = Math.floor((Date.parse(`${thursday}T00:00:00Z`) - Date.parse(`${thursday.slice(0, 4)}-01-01T00:00:00Z`)) / (7 * 86_400_000)) + 1;
  return `${thursday.slice(0, 4)}-W${pad2(String(week))}`;
}

/** An ISO week's Monday and Friday, or undefined when the year has no such week (2026-W54; 2025-W53, 2025 having 52). */
function isoWeekSpan(year: string, week: number): { readonly from: string; readonly to: string } | undefined {
  const jan4 = `${year}-01-04`;
  const from = addDays(addDays(jan4, -((new Date(`${jan4}T00:00:00Z`).getUTCDay() + 6) % 7)), (week - 1) * 7);
  return week >= 1 && isoWeekOf(from) === `${year}-W${pad2(String(week))}` ? { from, to: addDays(from, 4) } : undefined;
}

/**
 * A year of two digits as a quarter or a half is dated in reports (Q1'20, 1Q20, 2H19): 00-49 are
 * 20xx, 50-99 19xx (no close before 1928 is stored, and a year ahead is refused as the future).
 */
export const fullYear = (yy: string): string => (yy.length === 4 ? yy : String((Number(yy) < 50 ? 2000 : 1900) + Number(yy)));
/** Q1'20, Q1’20, 1Q20, 1Q2020, H2'19, 2H19 as the plain forms (q12020, h22019) periodSpan reads. */
const SHORT_PERIOD = /^(?:([qh])([1-4])['’]|([1-4])([qh])['’]?)(\d{2}|\d{4})$/;
function shortPeriod(s: string): string {
  const m = SHORT_PERIOD.exec(s);
  return m === null ? s : `${m[1] ?? m[4]}${m[2] ?? m[3]}${fullYear(m[5]!)}`;
}

/** The span of a quarter, a half year, or a year's first or last day, as typed; undefined for other text. */
function periodSpan(s: string): { readonly from: string; readonly to: string } | undefined {
  const first = (res: readonly RegExp[]) => res.map((re) => re.exec(s)).find((m) => m !== null);
  const months = (year: string, firstMonth: number, count: number) => {
    const from = `${year}-${pad2(String(firstMonth))}-01`;
    return { from, to: addDays(addMonths(from, count), -1) };
  };
  const q = first(QUARTER);
  if (q) {
    const [year, n] = /^\d{4}$/.test(q[1]!) ? [q[1]!, q[2] ?? q[3]!] : [q[2]!, q[1]!];
    return months(year, (QUARTER_NUMBER[n]! - 1) * 3 + 1, 3);
  }
  const h = first(HALF);
  if (h) {
    const [year, n] = /^\d{4}$/.test(h[1]!) ? [h[1]!, h[2] ?? (h[3] === '上' ? '1' : '2')] : [h[2]!, h[1]!];
    return months(year, n === '1' ? 1 : 7, 6);
  }
  const start = first(YEAR_START);
  if (start) return { from: `${start[1]}-01-01`, to: `${start[1]}-01-01` };
  const week = ISO_WEEK.exec(s);
  if (week !== null) return isoWeekSpan(week[1]!, Number(week[2]));
  const end = first(YEAR_END);
  return end ? { from: `${end[1]}-12-31`, to: `${end[1]}-12-31` } : undefined;
}

/**
 * The span a typed date names: one day, or a month's, a quarter's (Q1 2020, 2020年第一季), a half
 * year's (H1 2020, 2020年上半年) or a year's first and last day, or a year's first or last day alone
 * (2020年初, end of 2020), as `YYYY-MM-DD` (full-width digits and spaces allowed). `from` may not be on the calendar
 * (2023-02-30, 2023-13): check it with isIsoDate. undefined when the text is no date at all.
 */
export function readDateSpan(text: string): { readonly from: string; readonly to: string } | undefined {
  const s = namedMonthDate(hanDate(rocYear(numberText(text).replace(/\s+/g, ''))));
  const period = periodSpan(shortPeriod(s.toLowerCase()));
  if (period !== undefined) return period;
  let m = TYPED_DAY.exec(s);
  if (m !== null) {
    const [y, mo, d] = m[1] !== undefined ? [m[1], m[2]!, m[3]!] : [m[4]!, m[5]!, m[6]!];
    const day = `${y}-${pad2(mo)}-${pad2(d)}`;
    return { from: day, to: day };
  }
  if (YEAR_LAST.test(s)) {
    // One reading on the calendar is that day; two are no one date (yearLastDays says which); none,
    // the day-first reading, which is on no calendar, to be refused as that.
    const days = yearLastDays(s);
    if (days.length > 1) return undefined;
    const [, a = '', b = '', y = ''] = YEAR_LAST.exec(s)!;
    const day = days[0] ?? `${y}-${pad2(b)}-${pad2(a)}`;
    return { from: day, to: day };
  }
  m = TYPED_MONTH.exec(s);
  if (m !== null) {
    // The month first too (03/2020), as a card's expiry is written: a year is never one or two digits.
    const [y, mo] = m[1] !== undefined ? [m[1], m[2]!] : m[3] !== undefined ? [m[3], m[4]!] : [m[6]!, m[5]!];
    const from = `${y}-${pad2(mo)}-01`;
    return { from, to: isIsoDate(from) ? addDays(addMonths(from, 1), -1) : from };
  }
  m = TYPED_YEAR.exec(s);
  return m === null ? undefined : { from: `${m[1]}-01-01`, to: `${m[1]}-12-31` };
}

/**
 * A span back as people type it, in English and Chinese: years, quarters (1q, a quarter, 一季, 兩個季度: three months
 * each), months (never a bare 月: 12月 is December), weeks, days.
 */
const SPAN_UNIT = '(decades?|y|yr|yrs|years?|年|q|qtrs?|quarters?|季|季度|個季度|个季度|m|mo|mos|months?|個月|个月|w|wk|wks|weeks?|週|周|星期|d|days?|天|日)';
const SPAN_BACK = new RegExp(`^(\\d{1,3}|[${HAN_NUMERALS}]{1,8})${SPAN_UNIT}$`);
/** What may come before a span back: `last 5 years`, `the past year`, `過去一年`, `最近三個月`, `近5年`. */
const SPAN_PREFIX = /^(?:the)?(?:last|past|previous|過去|过去|最近|近)/;
/** What may come after one: `10 years ago`, `十年前` (a bare 前 with no count before it is 前年's, read elsewhere). */
const SPAN_SUFFIX = /(?<=\D)(?:ago|前)$/;
/** A unit alone after such a word is one of it: `past year`, `the last month`, `過去一週`. */
const BARE_UNIT = /^(decade|year|yr|quarter|qtr|month|mo|week|wk|day)$/;

/**
 * A span back's text without what may come before or after it (`last 5 years` → `5years`, `past year` →
 * `1year`, `過去一年` → `一年`, `十年前` → `十年`), folded (NFKC, lowercase, no spaces). Text with no such word is
 * only folded.
 */
export function spanWords(text: string): string {
  // Spaces go, except between two digits: `2 0y` is no 20 years.
  // A count said with an article (`a year`, `an hour`) is one; `a half` is no count.
  // A unit alone is one of it: `week`, 週, `month` (as `1 week`).
  const s = numberText(englishCounts((bareUnitSpan(text) ?? text).replace(/^\s*an?\s+(?=[a-z])(?!half|couple|few\b)/i, '1 ')))
    .toLowerCase()
    .replace(/(?<!\d)\s+|\s+(?!\d)/g, '');
  // `last year` and `last month` are calendar ones, as 去年 and 上個月 are (chat/parse.ts reads them),
  // not the year or month back `past year` and `past month` are.
  if (s === 'lastyear' || s === 'previousyear' || s === 'lastmonth' || s === 'previousmonth') return s;
  const bare = s.replace(SPAN_PREFIX, '').replace(SPAN_SUFFIX, '');
  if (bare === s) return s;
  return BARE_UNIT.test(bare) ? `1${bare}` : bare;
}

/** A span back's count and unit (`18m` → 18 months, `兩年` → 2 years), or undefined when the text is no such span (or a zero one). */
function spanBack(text: string): { readonly n: number; readonly unit: 'y' | 'm' | 'w' | 'd' } | undefined {
  const m = SPAN_BACK.exec(spanWords(text));
  // The count in digits or in Chinese numerals (十八個月, 兩年).
  const n = m === null ? undefined : countOf(m[1]!);
  // 一千年 is as long as 1000y: refused as too long (spanTooLong), never read.
  if (m === null || n === undefined || n === 0 || n > MAX_SPAN_COUNT) return undefined;
  const unit = m[2]!;
  // A decade is ten years: last decade, past 2 decades.
  if (/^decades?$/.test(unit)) return { n: 10 * n, unit: 'y' };
  if (/^(y|yr|yrs|years?|年)$/.test(unit)) return { n, unit: 'y' };
  if (/^(m|mo|mos|months?|個月|个月)$/.test(unit)) return { n, unit: 'm' };
  if (/^(q|qtrs?|quarters?|季|季度|個季度|个季度)$/.test(unit)) return { n: 3 * n, unit: 'm' };
  return { n, unit: /^(w|wk|wks|weeks?|週|周|星期)$/.test(unit) ? 'w' : 'd' };
}

/** The most a span back counts of its unit (999y, 999m): three digits. */
export const MAX_SPAN_COUNT = 999;
const LONG_SPAN = new RegExp(`^\\d{4,}${SPAN_UNIT}$`);

/**
 * Whether the text is a span back but a longer one than is read (`1000y`, `99999m`): a span, so
 * it is refused as too long, not as no date. `2020年` is a year, not this: ask readDateSpan first.
 */
export function spanTooLong(text: string): boolean {
  const words = spanWords(text);
  if (LONG_SPAN.test(words)) return true;
  const han = SPAN_BACK.exec(words);
  return han !== null && (countOf(han[1]!) ?? 0) > MAX_SPAN_COUNT;
}

/** A count of a unit that no span back is: zero, signed or a fraction (`0y`, `-5y`, `+2m`, `1.5y`, `0年`). */
const BAD_COUNT_SPAN = new RegExp(`^(?:[-+−]\\d+(?:[.,]\\d+)?|\\d+[.,]\\d+|0+|零)${SPAN_UNIT}$`);

/**
 * Whether the text is shaped as a span back but counts no whole number from 1 (`0y`, `-5y`,
 * `1.5y`): a span mistyped, to be refused as one, not as no date.
 */
export const spanBadCount = (text: string): boolean => BAD_COUNT_SPAN.test(spanWords(text));

/** A span back in months (years × 12), or undefined when it is in weeks or days, or no span. */
export function spanMonths(text: string): number | undefined {
  const s = spanBack(text);
  return s === undefined ? undefined : s.unit === 'y' ? 12 * s.n : s.unit === 'm' ? s.n : undefined;
}

/**
 * The day a span back from `today` starts on (`2y`, `18m`, `3w`, `10d`, `2年`, `十八個月`, `last 2
 * years`, `過去兩年`), or undefined when the text is no such span (or a zero one).
 */
export function spanBackFrom(text: string, today: string): string | undefined {
  const s = spanBack(text);
  if (s === undefined) return undefined;
  if (s.unit === 'y' || s.unit === 'm') return addMonths(today, -(s.unit === 'y' ? 12 : 1) * s.n);
  return addDays(today, -(s.unit === 'w' ? 7 : 1) * s.n);
}
