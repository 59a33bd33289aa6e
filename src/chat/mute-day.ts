/**
 * The day a mute ends on, as people type it (chat/parse-mute.ts reads the rest of an end around it):
 * `monday`, `tomorrow`, `2026-12-24`, `Dec 24`, `12/24`, `the 24th`, `下週一`, `明天`, `12月24日`, `24號`,
 * and the day words a typo is read as. Pure.
 */
import { addDays, isIsoDate } from '../domain/dates.ts';
import { countOf } from '../domain/han-numbers.ts';
import { MARKET_DAY_KINDS, type MarketDay, type MuteDay } from '../domain/mute-length.ts';
import { LANG_INFO, type Lang, type SlashOrder } from '../domain/i18n/index.ts';
import { lunarFestival } from './lunar-festivals.ts';

/**
 * Words a typo is read as (nearest.ts: within two edits, one clearly nearest): the days a mute ends
 * on and the words around them, so that a right word is never taken for another one.
 */
export const DAY_WORDS = [
  'tomorrow',
  'today',
  'tonight',
  'until',
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'weekend',
  'christmas',
  // The market's: `the opening` is no `evening`.
  'market',
  'close',
  'closing',
  'opening',
  // Words around an end, right as typed: `after` is no `afternoon` (until after the weekend).
  'after',
  'morning',
  'afternoon',
  'evening',
  'night',
  'next',
  'this',
];

const EN_WEEKDAYS: readonly (readonly string[])[] = [
  ['sunday', 'sun'],
  ['monday', 'mon'],
  ['tuesday', 'tue', 'tues'],
  ['wednesday', 'wed'],
  ['thursday', 'thu', 'thur', 'thurs'],
  ['friday', 'fri'],
  ['saturday', 'sat'],
];
const HAN_WEEKDAYS = '日一二三四五六';
/** A month's English name, whole or cut to three letters or more (march, mar, sept): its number, else 0. */
const EN_MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const enMonth = (word: string): number => (word.length < 3 ? 0 : EN_MONTH_NAMES.findIndex((name) => name.startsWith(word)) + 1);
/** A month alone as Chinese names it: 3月, 三月, 十二月, 3月份 (never a count of months: those are 3個月). */
const HAN_MONTH = /^(\d{1,2}|[一二三四五六七八九十]{1,3})月份?$/;
export const hanMonth = (x: string): number | undefined => {
  const m = HAN_MONTH.exec(x);
  const n = m === null ? undefined : countOf(m[1]!);
  return n !== undefined && n >= 1 && n <= 12 ? n : undefined;
};
const EN_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Lunar New Year's Day (正月初一) in the coming years, as Taiwan's and China's calendars print it, each
 * checked against the Moon and the Sun (tests/chat/lunar-new-year.test.ts: 2034's is the third new
 * moon after the solstice, 2033 having a leap 11th month). Past the last, the mute is refused as
 * passed: a date is given instead, never a guessed one.
 */
const LUNAR_NEW_YEAR = [
  '2026-02-17',
  '2027-02-06',
  '2028-01-26',
  '2029-02-13',
  '2030-02-03',
  '2031-01-23',
  '2032-02-11',
  '2033-01-31',
  '2034-02-19',
  '2035-02-08',
  '2036-01-28',
  '2037-02-15',
  '2038-02-04',
  '2039-01-24',
  '2040-02-12',
  '2041-02-01',
  '2042-01-22',
  '2043-02-10',
  '2044-01-30',
  '2045-02-17',
  '2046-02-06',
  '2047-01-26',
  '2048-02-14',
  '2049-02-02',
  '2050-01-23',
] as const;

/** Days named by a holiday on a fixed date: Christmas, its eve, New Year's Day (元旦, whose next is always the next year's) and its eve. */
const FIXED_HOLIDAYS: readonly (readonly [RegExp, MuteDay])[] = [
  [/^(?:christmas|xmas|x-mas)(?: day)?$|^(?:聖誕節?|圣诞节?|耶誕節?|耶诞节?)$/, { kind: 'monthDay', month: 12, day: 25 }],
  [/^(?:christmas|xmas|x-mas) eve$|^(?:平安夜|聖誕夜|圣诞夜|耶誕夜|耶诞夜)$/, { kind: 'monthDay', month: 12, day: 24 }],
  [/^(?:the )?new year(?:'s|’s|s)?(?: day)?$|^(?:元旦|新年元旦)$/, { kind: 'nextYear' }],
  [/^new year(?:'s|’s|s)? eve$|^nye$/, { kind: 'monthDay', month: 12, day: 31 }],
  // Labour Day, 1 May on the mainland and in Taiwan alike (not the US Labor Day the market shuts for: no English here).
  [/^(?:五一|(?:五一|國際|国际)?(?:勞動節|劳动节))$/, { kind: 'monthDay', month: 5, day: 1 }],
  [/^(?:雙十|双十)(?:節|节)?$/, { kind: 'monthDay', month: 10, day: 10 }],
];
/** National Day (國慶, 国庆): 1 October on the mainland, 10 October (雙十) in Taiwan, as the chat's language says where it is read (langs.ts `nationalDay`). */
const NATIONAL_DAY = /^(?:國慶|国庆)(?:節|节|日)?$/;
/** Lunar New Year's Eve (除夕, 大年夜): the day before each, the last of the lunar year (its 29th or 30th). */
const LUNAR_NEW_YEARS_EVE = LUNAR_NEW_YEAR.map((d) => addDays(d, -1));
/** The first month's `n`th day (初五, 正月初八, 元宵 the 15th) of each year of the table. */
export const lunarDay = (n: number): readonly string[] => LUNAR_NEW_YEAR.map((d) => addDays(d, n - 1));
/**
 * The day after the New Year (過完年, 年後, 春節後, after Lunar New Year), as each reader means it: the
 * day work starts again, which each government sets year by year around its holiday (no table of
 * those is kept). In Taiwan, 初五 (開工, as businesses open after 初五迎財神; the holiday's first four
 * days are 初一 to 初四), in an English chat too; on the mainland 初八 (初八开工, after the seven or
 * eight days of the 春节 holiday): each language's `workResumes` in langs.ts. The reply names the
 * date; another is typed as one (到2月23日).
 */
const AFTER_NEW_YEAR =
  /^(?:after (?:the )?(?:(?:lunar|chinese) new year|cny|spring festival)(?: holidays?)?|過完年|过完年|過完春節|过完春节|(?:過|过)?年(?:後|后)|(?:春節|春节|農曆年|农历年|農曆新年|农历新年)(?:假期)?(?:過後|过后|後|后|結束|结束)|開工|开工|開工日|开工日)$/;

/** A real month and day (Feb 29 is one: a leap year's). */
const monthDayOk = (month: number, day: number): boolean => month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(2024, month, 0)).getUTCDate();

/**
 * A month and day written with a slash (12/24, 24/12, 12/24/2026), in the order `order` reads one
 * whose both numbers could be a month (3/4): month first in Chinese, asked in English (an
 * American's March 4 is a European's 3 April: slashOrderAsked). Undefined when no such date.
 */
export const SLASH_DATE = /^(\d{1,2})\/(\d{1,2})(?:\/(\d{4}))?$/;
function slashDay(x: string, order: SlashOrder): MuteDay | undefined {
  const m = SLASH_DATE.exec(x);
  if (m === null) return undefined;
  const [a, b] = [Number(m[1]), Number(m[2])];
  // A number over 12 is the day, whichever side it is on; both 12 or under: the order read.
  const [month, day] = a > 12 ? [b, a] : b > 12 || a === b || order === 'md' ? [a, b] : [0, 0];
  if (!monthDayOk(month, day)) return undefined;
  if (m[3] === undefined) return { kind: 'monthDay', month, day };
  const date = `${m[3]}-${two(month)}-${two(day)}`;
  return isIsoDate(date) ? { kind: 'date', date } : undefined;
}
const two = (n: number): string => String(n).padStart(2, '0');
/** How a slash date whose numbers could both be a month is read: month first (月/日, zh), or asked (en): each language's `slashDates` in langs.ts. */
export type { SlashOrder };

/** A day of the month alone (the 24th, 24th, 24號): its next coming, this month's or the next that has it. */
function dayOfMonth(x: string): MuteDay | undefined {
  const m = /^(?:the\s*)?(\d{1,2})(?:st|nd|rd|th)$|^(?:the\s+)(\d{1,2})$|^(\d{1,2})\s*[日號号]$/.exec(x);
  const day = m === null ? 0 : Number(m[1] ?? m[2] ?? m[3]);
  return day >= 1 && day <= 31 ? { kind: 'dayOfMonth', day } : undefined;
}

/** The market's close and open as English names them: the close, the market close, the closing bell, the open. */
const EN_MARKET = '(?:market |stock market |nyse |us market )?';
/** Close of business (COB, end of business) is the market's close here: the reply says so (chat.readAs.cob). */
const EN_COB = '(?:the )?close of business(?: day)?|c\\.?o\\.?b\\.?|end of business(?: day)?|eob';
const EN_EVENT = { close: `(?:${EN_MARKET}(?:close|closing)(?: bell)?|${EN_COB})`, open: `${EN_MARKET}(?:open|opening)(?: bell)?` } as const;
const HAN_EVENT = { close: '(?:收盤|收盘|收市)', open: '(?:開盤|开盘|開市|开市)' } as const;
const OF_DAY = (['close', 'open'] as const).flatMap((event) => [
  // The event then its day: the close tomorrow, the close on friday, the market open of monday.
  { event, re: new RegExp(`^(?:the )?${EN_EVENT[event]} (?:on |of )?(.+)$`) },
  // The day then its event: friday close, tomorrow's close, monday's market open.
  { event, re: new RegExp(`^(.+?)(?:'s|’s)? ${EN_EVENT[event]}$`) },
  // 明天收盤, 週五收盤, 下週一收盘, 明天的收盤, 週五美股收盤, 週一開盤.
  { event, re: new RegExp(`^(.+?)的?(?:美股)?${HAN_EVENT[event]}$`) },
]);
/** The close or the open of a day named (a day, a weekday, a date: never a month or a weekend), else undefined. */
function marketOfDay(x: string, order: SlashOrder, lang: Lang | undefined): MuteDay | undefined {
  for (const { event, re } of OF_DAY) {
    const m = re.exec(x);
    const on = m === null ? undefined : muteDay(m[1]!.trim(), order, lang);
    // A week's (next week's close, 下週收盤) is no one day's: its Monday's or its Friday's, not guessed.
    if (on?.kind === 'weekday' && !WEEKDAY_NAMED.test(m![1]!)) continue;
    if (on !== undefined && isMarketDay(on)) return { kind: 'market', event, on };
  }
  return undefined;
}
const isMarketDay = (d: MuteDay): d is MarketDay => MARKET_DAY_KINDS.has(d.kind);
/** A weekday named by its name (friday, fri, 週五, 禮拜天), not a week's words. */
const WEEKDAY_NAMED = /(?:sun|mon|tue|wed|thu|fri|sat)[a-z]*\.?$|(?:週|周|星期|禮拜|礼拜)[日天一二三四五六]$/;

/** The day's end, midnight on the chat's clock: end of day, EOD, the rest of the day, 今天結束(前) (chat.readAs.eod says so). */
export const EOD =
  /^(?:(?:the )?end of (?:the |to)?day|eod(?: today)?|(?:for )?(?:the )?rest of (?:the |to)?day|(?:今天|今日)?(?:結束|结束)(?:前|之前|以前)?|(?:今天|今日)(?:剩下的時間|剩下的时间))$/;

/** The day a mute ends on, as typed (`monday`, `tomorrow`, `2026-12-24`, `Dec 24`, `下週一`, `明天`, `12月24日`), or undefined. */
export function muteDay(x: string, order: SlashOrder = 'ask', lang?: Lang): MuteDay | undefined {
  const slash = slashDay(x, order);
  if (slash !== undefined) return slash;
  const nth = dayOfMonth(x);
  if (nth !== undefined) return nth;
  if (/^(?:today|今天|今日)$/.test(x)) return { kind: 'days', days: 0 };
  if (/^(?:tomorrow|tmr|tmrw|明天|明日)$/.test(x)) return { kind: 'days', days: 1 };
  if (/^(?:後天|后天|(?:the )?day after tomorrow|overmorrow)$/.test(x)) return { kind: 'days', days: 2 };
  if (/^(?:大後天|大后天)$/.test(x)) return { kind: 'days', days: 3 };
  // Next week: its Monday (下週, 下周, 下星期, next week).
  if (/^(?:next week|下(?:個|个)?(?:週|周|星期|禮拜|礼拜))$/.test(x)) return { kind: 'weekday', weekday: 1, nextWeek: true };
  // The day's end is the next day's start (end of day, 今天結束); the month's, the next month's
  // first day (end of the month, 月底, 下個月, next month); the year's, 1 January (明年, next year).
  if (EOD.test(x)) return { kind: 'days', days: 1 };
  // The end of a month named (end of march, 三月底, 3月底): the next month's first day, as 月底 is this month's.
  const monthEnd = /^(?:the )?end of ([a-z]+)$/.exec(x) ?? /^(\d{1,2}|[一二三四五六七八九十]{1,3})月(?:底|末)$/.exec(x);
  const ended = monthEnd === null ? 0 : /^[a-z]/.test(monthEnd[1]!) ? enMonth(monthEnd[1]!) : (hanMonth(`${monthEnd[1]}月`) ?? 0);
  if (ended > 0) return ended === 12 ? { kind: 'nextYear' } : { kind: 'month', month: ended + 1 };
  if (/^(?:(?:the )?end of (?:the |this )?month|eom|next month|(?:這個|这个|本)?月(?:底|末)|下(?:個|个)?月初?|月初)$/.test(x)) return { kind: 'nextMonth' };
  if (/^(?:next year|明年|(?:今年)?年(?:底|末))$/.test(x)) return { kind: 'nextYear' };
  // The week's end is the next week's Monday, as the day's is the next day's 00:00 (end of the week,
  // 週末結束, after the weekend, for the weekend: through it).
  if (
    /^(?:(?:the )?end of (?:the |this )?week(?:end)?|eow|(?:for|over) (?:the |this )?weekend|after (?:the |this )?weekend|(?:the )?weekend is over)$|^(?:這|这|本)?(?:個|个)?(?:週|周|星期|禮拜|礼拜)(?:(?:末)?(?:結束|结束|過完|过完|過後|过后)|末(?:後|后|以後|以后|之後|之后))$/.test(
      x,
    )
  )
    return { kind: 'weekday', weekday: 1, nextWeek: true };
  // Holidays on a fixed day: Christmas (聖誕節) and its eve, New Year's Day (元旦) and its eve.
  const holiday = FIXED_HOLIDAYS.find(([re]) => re.test(x));
  if (holiday !== undefined) return holiday[1];
  if (NATIONAL_DAY.test(x)) return { kind: 'monthDay', ...LANG_INFO[lang ?? 'en'].nationalDay };
  // Lunar New Year moves each year: its next date from the table (the reply names it).
  if (/^(?:(?:the )?(?:lunar|chinese) new year(?:'s|’s|s)?(?: day)?|cny|過年|过年|春節|春节|農曆(?:新)?年|农历(?:新)?年|大年初一|正月初一)$/.test(x)) {
    return { kind: 'nextOf', dates: LUNAR_NEW_YEAR };
  }
  if (/^(?:(?:the )?(?:lunar|chinese) new year(?:'s|’s|s)? eve|cny eve|除夕(?:夜)?|大年夜|大年三十)$/.test(x)) {
    return { kind: 'nextOf', dates: LUNAR_NEW_YEARS_EVE };
  }
  // After it: the day work starts again, the reader's (langs.ts `workResumes`); a day of its first month by its number (正月初五, 大年初八), 元宵 the 15th.
  if (AFTER_NEW_YEAR.test(x)) return { kind: 'nextOf', dates: lunarDay(LANG_INFO[lang ?? 'en'].workResumes) };
  // 初五 alone names the 5th of any lunar month, as 初一 does: none is guessed (tests/chat/mute-until.test.ts).
  const lunar = /^(?:正月|大年)初([二三四五六七八九十])$/.exec(x);
  if (lunar !== null) return { kind: 'nextOf', dates: lunarDay(countOf(lunar[1]!)!) };
  if (/^(?:正月十五|元宵(?:節|节)?|lantern festival)$/.test(x)) return { kind: 'nextOf', dates: lunarDay(15) };
  // 端午 and 中秋 move with the lunar calendar as 過年 does: their next date from a table (the reply names it).
  const festival = lunarFestival(x);
  if (festival !== undefined) return { kind: 'nextOf', dates: festival };
  // The market's next open or close, New York time (mute-length.ts: 16:00, an early close's 13:00).
  if (
    /^(?:(?:the )?(?:market |stock market |nyse |us market )?(?:close|closing)(?: bell)?|(?:the )?(?:market|nyse) closes?|(?:美股)?(?:收盤|收盘|收市))$/.test(
      x,
    ) ||
    new RegExp(`^(?:${EN_COB})$`).test(x)
  )
    return { kind: 'market', event: 'close' };
  if (
    /^(?:(?:the )?(?:market |stock market |nyse |us market )?(?:open|opening)(?: bell)?|(?:the )?(?:market|nyse) opens?|(?:美股)?(?:開盤|开盘|開市|开市))$/.test(
      x,
    )
  )
    return { kind: 'market', event: 'open' };
  // The close or the open of a day (tomorrow's close, friday close, the close on monday, monday open, 到明天收盤, 到下週一收盘).
  const ofDay = marketOfDay(x, order, lang);
  if (ofDay !== undefined) return ofDay;
  // The weekend: its Saturday, this week's (週末, the weekend) or the next week's (下週末, next weekend).
  if (/^(?:(?:the|this) )?weekend$|^(?:這|这|本)?(?:個|个)?(?:週末|周末)$/.test(x)) return { kind: 'weekend', next: false };
  if (/^next weekend$|^下(?:個|个)?(?:週末|周末)$/.test(x)) return { kind: 'weekend', next: true };
  const en = /^(?:(next|this)\s+)?([a-z]+)\.?$/.exec(x);
  const enDay = en === null ? -1 : EN_WEEKDAYS.findIndex((names) => names.includes(en[2]!));
  if (enDay >= 0)
    return en![1] === 'next' ? { kind: 'weekday', weekday: enDay, nextWeek: false, nextSaid: true } : { kind: 'weekday', weekday: enDay, nextWeek: false };
  // A month alone: its first day (until march, 到3月, 直到三月).
  const month = hanMonth(x) ?? (en !== null && en[1] === undefined ? enMonth(en[2]!) : 0);
  if (month > 0) return { kind: 'month', month };
  const han = /^(下|這|这|本)?(?:個|个)?(?:週|周|星期|禮拜|礼拜)([日天一二三四五六])$/.exec(x);
  if (han !== null) return { kind: 'weekday', weekday: han[2] === '天' ? 0 : HAN_WEEKDAYS.indexOf(han[2]!), nextWeek: han[1] === '下' };
  const iso = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(x) ?? /^(\d{4})年(\d{1,2})月(\d{1,2})[日號号]$/.exec(x);
  if (iso !== null) {
    const date = `${iso[1]}-${iso[2]!.padStart(2, '0')}-${iso[3]!.padStart(2, '0')}`;
    return isIsoDate(date) ? { kind: 'date', date } : undefined;
  }
  const md =
    /^(\d{1,2})月(\d{1,2})[日號号]$/.exec(x) ??
    (() => {
      const m = /^([a-z]{3})[a-z]*\.?\s*(\d{1,2})(?:st|nd|rd|th)?$/.exec(x) ?? /^(\d{1,2})(?:st|nd|rd|th)?\s*([a-z]{3})[a-z]*\.?$/.exec(x);
      if (m === null) return null;
      const [name, day] = /^\d/.test(m[1]!) ? [m[2]!, m[1]!] : [m[1]!, m[2]!];
      const month = EN_MONTHS.indexOf(name) + 1;
      return month > 0 ? ['', String(month), day] : null;
    })();
  if (md !== null) {
    const month = Number(md[1]);
    const day = Number(md[2]);
    return monthDayOk(month, day) ? { kind: 'monthDay', month, day } : undefined;
  }
  return undefined;
}

/** A close or an open of what is no one day (march close, next week's close, 週末收盤, 月底收盤): what it named, else undefined. */
export function eventOfNoDay(
  x: string,
  order: SlashOrder,
  lang: Lang | undefined,
): { readonly event: 'open' | 'close'; readonly day: MuteDay; readonly typed: string } | undefined {
  for (const { event, re } of OF_DAY) {
    const m = re.exec(x);
    const on = m === null ? undefined : muteDay(m[1]!.trim(), order, lang);
    if (on === undefined) continue;
    if (!isMarketDay(on) || (on.kind === 'weekday' && !WEEKDAY_NAMED.test(m![1]!))) return { event, day: on, typed: m![1]!.trim() };
  }
  return undefined;
}
