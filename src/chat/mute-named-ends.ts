/**
 * Ends of a mute named by what they are rather than by a day or a time (chat/parse-mute.ts asks these
 * before the days): a US market holiday (until thanksgiving: the last close before it), the end of
 * the working day (到下班: no office hours known here, refused saying what to type), and another
 * market's close (到台股收盤, A股收盘, 到港股收市: the close here is New York's, refused naming it). Pure.
 */
import { numberText } from '../domain/han-fold.ts';
import type { MuteUntil } from '../domain/mute-length.ts';
import { addDays } from '../domain/dates.ts';
import { holidayOn, isTradingDay, type NamedHoliday } from '../domain/nyse-calendar.ts';
import { fail, type Parsed } from './parse.ts';
import { sentenceWords } from './parse-duration.ts';

/** The words of an end, as the end readers see them: lowercased, one space, `until` / 到 left out, and `the` (the 4th of july). */
const endWords = (input: string): string =>
  sentenceWords(numberText(input).toLowerCase())
    .replace(/\s+/g, ' ')
    .replace(/^(?:(?:until|till|til|to) (?:the )?|the |(?:直到|到|至)\s*)/, '')
    .replace(/\s*(?:為止|为止)$/, '');

/** The US market holidays as readers name them, in English and either Chinese script (勞動節 is May 1st there: not Labor Day). */
const HOLIDAY_WORDS: readonly (readonly [RegExp, NamedHoliday])[] = [
  [/^(?:thanksgiving(?: day)?|感恩節|感恩节)$/, 'thanksgiving'],
  [/^(?:christmas|xmas|x-mas)(?: day)?$|^(?:聖誕節?|圣诞节?|耶誕節?|耶诞节?)$/, 'christmas'],
  // 新年 alone is the calendar's (新曆): the lunar one is 過年, 春節, 農曆新年 (chat/mute-day.ts).
  [/^(?:the )?new year(?:'s|’s|s)?(?: day)?$|^(?:元旦|新年元旦|新年)$/, 'newYear'],
  [/^(?:independence day|(?:4th|fourth) of july|(?:美國)?獨立紀念日|(?:美国)?独立(?:纪念)?日)$/, 'independence'],
  [/^(?:labou?r day|(?:美國)?勞工節|(?:美国)?劳工节)$/, 'labor'],
  [/^(?:memorial day|(?:美國)?陣亡將士紀念日|(?:美国)?阵亡将士纪念日)$/, 'memorial'],
  [/^(?:good friday|耶穌受難日|耶稣受难日)$/, 'goodFriday'],
  [/^(?:juneteenth(?: day)?|六月節|六月节)$/, 'juneteenth'],
  [/^(?:mlk(?: jr\.?)?(?: day)?|martin luther king(?: jr\.?)?(?: day)?|馬丁路德金恩?紀念日|马丁·?路德·?金纪念日)$/, 'mlk'],
  [/^(?:presidents?['’]? day|washington['’]?s birthday|(?:美國)?總統日|(?:美国)?总统日)$/, 'presidents'],
];

/**
 * A US market holiday named (until thanksgiving, 到感恩節): the exchange is shut that day, so the mute ends
 * at the last close before its next coming after `today` (New York's date), the reply naming the holiday and
 * that close. Else undefined.
 */
export function holidayEnd(input: string, today: string): MuteUntil | undefined {
  const x = endWords(input);
  const name = HOLIDAY_WORDS.find(([re]) => re.test(x))?.[1];
  if (name === undefined) return undefined;
  const year = Number(today.slice(0, 4));
  const date = [year, year + 1, year + 2].map((y) => holidayOn(name, y)).find((d) => d !== undefined && d > today);
  if (date === undefined) return undefined;
  let close = addDays(date, -1);
  while (!isTradingDay(close)) close = addDays(close, -1);
  return { day: { kind: 'market', event: 'close', on: { kind: 'date', date: close } }, holiday: { name, date } };
}

/** The end of a working day (下班, 放工, after work): office hours are each reader's own. */
const OFF_WORK =
  /^(?:下班|放工|收工|下班時間|下班时间)(?:之|以)?(?:前|後|后)?$|^(?:(?:the )?end of (?:the |my )?work ?day|(?:i )?(?:get |am |go )?off work|after work|work ends|(?:the )?end of (?:my )?shift|quitting time)$/;

/** Another market's close or open (台股收盤, A股收盘, 港股收市, the hong kong close), by the market: its local close and zone to type. */
const OTHER_MARKETS: readonly (readonly [RegExp, 'tw' | 'hk' | 'cn'])[] = [
  [/^(?:台股|臺股|台灣股市|台湾股市|taiwan|taiex|twse)/, 'tw'],
  [/^(?:港股|香港股市|恒指|恆指|hong kong|hk|hang seng|hsi)/, 'hk'],
  [/^(?:a股|陸股|陆股|滬深|沪深|上證|上证|大陸股市|大陆股市|china|shanghai|a-shares?)/, 'cn'],
];
const OTHER_EVENT =
  /^\S+?(?: (?:market|stock market|stocks?|exchange))?(?:['’]s)?\s*(?:的)?(?:今天|今日|明天)?(?:的)?(?: (?:close|closing|open|opening)(?: bell)?|收盤|收盘|收市|開盤|开盘|開市|开市)(?:之|以)?(?:前|後|后)?$/;

/**
 * An end no clock of ours can read, refused with what to type: 到下班 (office hours are no one's known here:
 * today's close or a time), 到台股收盤 (the close here is New York's: that one, or the other market's
 * close as a time on its clock). Else undefined.
 */
export function unknownEnd(input: string): Parsed<never> | undefined {
  const x = endWords(input);
  if (OFF_WORK.test(x)) return fail('chat.err.muteOffWork', { input: input.trim() });
  const market = OTHER_MARKETS.find(([re]) => re.test(x))?.[1];
  // One word for the market (台股, hong kong as one: hk), then its close or open.
  const oneWord = x.replace(/^(?:hong kong|hang seng|a-shares?)/, 'hk');
  if (market !== undefined && OTHER_EVENT.test(oneWord)) return fail(`chat.err.muteOtherMarket.${market}`, { input: input.trim() });
  return undefined;
}
