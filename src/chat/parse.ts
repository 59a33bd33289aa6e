/**
 * Pure parsers for chat command arguments. Errors are values carrying an i18n key (not text), so the
 * same parser serves every language: the command translates with `chatMessage(lang, error)`.
 */
import {
  addDays,
  addMonths,
  fullYear,
  hanYear,
  isIsoDate,
  ISO_WEEK,
  isoWeekOf,
  MAX_SPAN_COUNT,
  readDateSpan,
  yearLastDays,
  spanBackFrom,
  spanBadCount,
  spanMonths,
  spanTooLong,
  spanWords,
  rocYearAhead,
  taiwanYear,
} from '../domain/dates.ts';
import { isYearlessNoDay, yearlessDays } from '../domain/yearless-days.ts';
import { LANG_INFO, LANGS, langFromInput, t, type Lang, type Params } from '../domain/i18n/index.ts';
import { parsePair, PAIR_IDS, type PairId } from '../domain/instruments.ts';
import { foldWord, numberText } from '../domain/han-fold.ts';
import { numberSeparators } from '../domain/number-separators.ts';
import { hanDecimal, HAS_NUMERAL, isPercentText } from '../domain/han-numbers.ts';
import { ESSAY_LEVELS, essayLevels, levelById, type Level } from '../domain/levels.ts';
import { err, ok, type Result } from '../domain/series.ts';
import { CHART_RANGES, powerBase, type ChartRange } from '../domain/chart-request.ts';
import { fmtDate, fmtFigure, fmtList, fmtMonth } from '../domain/i18n/format.ts';
import { clipText } from './split.ts';
import { hanMonth } from './mute-day.ts';
import { spanRange, type SpanUnit } from '../domain/span-unit-words.ts';
import { copyable } from './reply.ts';

/** A user-facing failure, translated later: `t(lang, key, params)`. */
export interface ChatError {
  readonly key: string;
  readonly params: Params;
  /** Params that are the bot's own ISO dates, written as the language writes dates (2026年12月3日). */
  readonly dates?: readonly string[];
  /** Params that are the bot's own ISO months (2026-12), written as the language writes months (2026年12月). */
  readonly months?: readonly string[];
  /** Params that are lists of choices, joined as the language lists things (en, zh-TW, zh-CN / en、zh-TW、zh-CN). */
  readonly lists?: Readonly<Record<string, readonly string[]>>;
  /** Params that are lists of catalogue keys, each written in the language and listed its way (`chat.missing.days`). */
  readonly terms?: Readonly<Record<string, readonly string[]>>;
  /**
   * A command line to copy, as `{example}`: the values by argument kind (`{ pair: 'spx', levelRef:
   * '1.8' }`), written for the command and platform at hand (chat/replies.ts `usage`).
   */
  readonly example?: Readonly<Record<string, string>>;
}

export type Parsed<T> = Result<T, ChatError>;

/** What the user typed, as echoed back in a refusal: cut, so a 4,000-character argument stays one short line. */
export const MAX_ECHO = 40;
export const echo = (input: string): string => clipText(input, MAX_ECHO);

/** A refusal: what the user typed (`input`) is cut to an echo; `extra` names the params that are the bot's dates or lists, and the example to copy. */
export const fail = (key: string, params: Params = {}, extra: Pick<ChatError, 'dates' | 'months' | 'lists' | 'terms' | 'example'> = {}): Parsed<never> =>
  err({ key, params: typeof params.input === 'string' ? { ...params, input: echo(params.input) } : params, ...extra });

/** The failure in `lang`. What the user typed is echoed as typed; the bot's own numbers, dates and lists are written the language's way. */
export function chatMessage(lang: Lang, e: ChatError): string {
  const params: Record<string, string | number> = { ...e.params };
  // A number the bot names (a limit, a length, the trading days read) is written as every other number is: 1,260, not 1260.
  // What the reader typed, and a year, are strings: echoed as typed.
  for (const [k, v] of Object.entries(e.params)) if (typeof v === 'number') params[k] = fmtFigure(v, lang);
  for (const k of e.dates ?? []) params[k] = fmtDate(String(e.params[k]), lang);
  for (const k of e.months ?? []) params[k] = fmtMonth(String(e.params[k]), lang);
  for (const [k, list] of Object.entries(e.lists ?? {})) params[k] = fmtList(list, lang);
  for (const [k, keys] of Object.entries(e.terms ?? {}))
    params[k] = fmtList(
      keys.map((key) => t(lang, key)),
      lang,
    );
  return t(lang, e.key, params);
}

/**
 * Text as the user sees it: a command copied from a web page or another chat carries invisible
 * characters, and read as part of a word they made `spx` unknown. A zero-width space parts words
 * (as its name says); a word joiner, a zero-width non-joiner, a direction mark or a soft hyphen is
 * nothing. (The zero-width joiner stays: emoji are built with it.)
 */
/**
 * A value as spoken Chinese ends it: a closing particle after it (`2小時吧`, `到明天了`, `20天啦`,
 * `半年喔`) is no part of it, as a full stop is not. Only after another character: `了` alone stays.
 */
export const withoutParticle = (text: string): string => text.replace(/(?<=\S)\s*[了吧啦喔哦呀囉啰嘛]+[.。!！?？…～~]*\s*$/u, '');

const EMOJI_AROUND =
  /^(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F|\u200D|\s)+|(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F|\u200D|\s)+$/gu;
/**
 * A value as a sentence holds it: without the emoji around it (`20天 🙏`), a closing particle
 * (withoutParticle) and the marks that end a sentence (`20天。`, `1y!`). What Telegram's words already
 * lose (chat/command-words.ts commandWords), a Discord option's value loses here too. An emoji alone stays, to be refused as typed.
 */
export function valueSaid(text: string): string {
  const bare = text.replace(EMOJI_AROUND, '');
  return bare === '' ? text : withoutParticle(bare).replace(/(?<=\S)[!！?？。…]+$/u, '');
}

export const visibleText = (text: string): string => text.replace(/\u200B/g, ' ').replace(/[\u00AD\u200C\u200E\u200F\u2060]/g, '');

/** Ratio levels live far below this; a larger number is a typo (an index level, a price). */
export const MAX_LEVEL = 100;
/** The smallest level kept: far under any the ratios have reached (the essay's lowest is 0.03); 1e-9 is a slip, not a level. */
export const MIN_LEVEL = 0.001;

/** As words are compared: no case, no spaces, full-width forms as half-width (ＳＰＸ, １年), 標普 as 标普 (domain/han-fold.ts). */
export const folded = foldWord;
const wordSets = new Map<string, ReadonlySet<string>>();

/** The words of catalogue key `key` (`input.*`) in every language: a chat's words are not tied to its language. */
function wordsOf(key: string): ReadonlySet<string> {
  let words = wordSets.get(key);
  if (words === undefined) wordSets.set(key, (words = new Set(LANGS.flatMap((l) => t(l, key).split('|')).map(folded))));
  return words;
}

/** The value whose catalogue words (`keyOf`) include what was typed (`標普`, `1年`, `nasdaq`). */
function byWords<T extends string>(input: string, values: readonly T[], keyOf: (v: T) => string): T | undefined {
  const s = folded(input);
  return values.find((v) => wordsOf(keyOf(v)).has(s));
}

export function parsePairArg(input: string): Parsed<PairId> {
  const pair = parsePair(folded(input)) ?? byWords(input, PAIR_IDS, (p) => `input.pair.${p}`);
  if (pair !== undefined) return ok(pair);
  // Gold alone: both ratios divide by it, which the reader asking for it may not know.
  return fail(wordsOf('input.gold').has(folded(input)) ? 'chat.err.pairGold' : 'chat.err.pair', { input });
}

/**
 * A ratio level typed by a user: `0.25`, `.25`, `2,5` (a decimal comma, as European keyboards type it), `１．８`;
 * as Chinese says a ratio, `1點8`, `一點八`, `1.8倍` (times: the ratio is how many times gold's price).
 */
export function parseLevelValue(input: string): Parsed<number> {
  // The separators as every number of the chat is read (domain/number-separators.ts): `1,5` is 1.5, `1,500` asked.
  const digits = levelDigits(input);
  const read = numberSeparators(digits);
  // Echoed in the digits read (`１，５００` as 1,500): the comma asked about shows as the one it was read as.
  if (!read.ok) return fail('chat.err.numberEither', { input: digits, decimal: read.asDecimal, thousands: read.asThousands });
  const s = read.text;
  // A percent where a level is asked (`50%`, `百分之五十`): a level is a value of the ratio, no percent (of what?).
  if (isPercentText(s)) return fail('chat.err.levelPercent', { input });
  // Number('') is 0 and Number('0x10') is 16: only decimals are levels, in scientific notation too
  // (a Discord number option hands 0.0000001 over as 1e-7), whose size is then what is refused.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return fail('chat.err.levelNumber', { input });
  // The limits apply to the value that is kept: 99.9999999 would be stored as 100.
  const v = Number(Number(s).toPrecision(6));
  if (!(v > 0)) return fail('chat.err.levelPositive', { input });
  // Below the bound as typed, at it once kept (99.99999 is kept as 100): said so, not "must be below 100" of what was below it.
  if (v >= MAX_LEVEL && Number(s) < MAX_LEVEL) return fail('chat.err.levelRounds', { input, kept: String(v), max: MAX_LEVEL });
  if (v >= MAX_LEVEL) return fail('chat.err.levelRange', { input, max: MAX_LEVEL });
  if (v < MIN_LEVEL) return fail('chat.err.levelSmall', { input, min: MIN_LEVEL });
  return ok(v);
}

/** A level's text in digits: `1點8`, `一點八`, `1.8倍` as `1.8`; other text folded (numberText) and trimmed. */
function levelDigits(input: string): string {
  const said = numberText(input)
    .trim()
    .replace(/\s*倍$/, '')
    // The minus sign U+2212 (−1.5, as typeset text and some keyboards write it) as the hyphen's: refused as below 0, not as no number.
    .replace(/^\u2212(?=[\d.])/, '-')
    // 。 between digits: a Chinese IME's full stop typed for the decimal point (1。8); one at the end stays a sentence's.
    .replace(/(?<=\d)[點点。](?=\d)/, '.');
  const han = /^\d/.test(said) ? undefined : hanDecimal(said);
  return han === undefined ? said : String(han);
}

export type LevelRef = { readonly kind: 'essay'; readonly level: Level } | { readonly kind: 'custom'; readonly pair: PairId; readonly value: number };

/**
 * A level given to /subscribe: an essay id (`spx-gold-2.5`), a zone (`0.6-0.7`) or a value (`2.5`,
 * `0.65` inside the 0.6-0.7 zone). A value that is no essay level becomes a custom level, but only
 * when exactly one pair is in play: `1.8` alone could mean either pair.
 */
export function parseLevelRef(input: string, pairs: readonly PairId[]): Parsed<LevelRef> {
  const s = levelDigits(input).toLowerCase();
  const byId = levelById(s);
  if (byId !== undefined) {
    return pairs.includes(byId.pair) ? ok({ kind: 'essay', level: byId }) : fail('chat.err.levelPair', { input, pair: byId.pair });
  }
  const zone = /^(\d*\.?\d+)-(\d*\.?\d+)$/.exec(s);
  if (zone) {
    const [low, high] = [Number(zone[1]), Number(zone[2])];
    const level = ESSAY_LEVELS.find((l) => pairs.includes(l.pair) && l.low === low && l.high === high);
    return level ? ok({ kind: 'essay', level }) : fail('chat.err.levelUnknown', { input });
  }
  // A pair after the levels (`2.5 qqq 0.25`, Discord's `levels:0.25 qqq`): said to be one, and where it goes.
  const pair = parsePairArg(input);
  if (pair.ok) {
    const word = pair.value === 'spx-gold' ? 'spx' : 'qqq';
    return fail('chat.err.pairAmongLevels', { input }, { example: { pair: word, levelRef: String(essayLevels(pair.value)[1]!.low) } });
  }
  // A word is more likely a mistyped pair ("dow", "nasdaq") than a mistyped number.
  if (isPercentText(s)) return fail('chat.err.levelPercent', { input });
  if (!/\d/.test(s)) return fail('chat.err.pairOrLevel', { input });
  const value = parseLevelValue(s);
  if (!value.ok) return value;
  const v = value.value;
  const level = ESSAY_LEVELS.find((l) => pairs.includes(l.pair) && v >= l.low && v <= l.high);
  if (level) return ok({ kind: 'essay', level });
  const only = pairs.length === 1 ? pairs[0] : undefined;
  return only === undefined
    ? fail('chat.err.levelAmbiguous', { input }, { example: { pair: 'spx', levelRef: echo(input.trim()) } })
    : ok({ kind: 'custom', pair: only, value: v });
}

/** Whether a typed word is one of catalogue key `key`'s words in any language. */
const isWordOf =
  (key: string) =>
  (input: string | undefined): boolean =>
    // A sentence's end is no part of the word: `OFF.`, `關閉。`.
    input !== undefined && wordsOf(key).has(folded(input.replace(/[.。!！]+\s*$/, '')));
/** `all` where a pair may be named (/unsubscribe all, /ratio 全部): every pair. */
export const isAllWord = isWordOf('input.all');
/** `off` (a digest, quiet hours) in any language's words: off, 關閉, 取消. */
export const isOffWord = isWordOf('input.off');
/** `now` (a digest's preview) in any language's words: now, 現在, 立即. */
export const isNowWord = isWordOf('input.now');

/**
 * An action among `choices` (`add`, `remove`) as typed in any language: the action itself, or one
 * of its catalogue words (`input.choice.*`: 新增, 刪除, 删除, delete), as the menus label it.
 */
export function parseChoice(input: string, choices: readonly string[]): Parsed<string> {
  const s = folded(input);
  const choice = choices.find((c) => c === s || wordsOf(`input.choice.${c}`).has(s));
  return choice !== undefined ? ok(choice) : fail('chat.err.choice', { input }, { lists: { choices } });
}

/** A start as people write one: `since 2020`, `from 2020-03`, `2020 onwards`, `自2020年`, `2020年以來`, `2020起` → the date. */
const sinceDate = (input: string): string =>
  input
    .trim()
    .replace(/^(?:since|from|starting|自|從|从)\s*/i, '')
    .replace(/\s*(?:onwards?|on|以來|以来|起|至今|迄今)$/i, '');

/**
 * A calendar year named by its distance from this one: 去年 (last year, the whole of it; 上一年 too), 前年
 * and 大前年 (three years back), in either script, and English `last year` (or `previous year`), which
 * means the same calendar year as 去年 (the trailing twelve months are `past year`, `the last year`, 1y, 近一年).
 */
const YEARS_AGO: Readonly<Record<string, number>> = {
  去年: 1,
  上一年: 1,
  前年: 2,
  大前年: 3,
  'last year': 1,
  'previous year': 1,
  'the year before last': 2,
};
/**
 * A typed word as YEARS_AGO spells it: lowercase, one space between words, and without what says the
 * year is meant whole (去年全年, 去年一整年, `the whole of last year`, `the entire previous year`): it is already.
 */
const yearsAgo = (word: string): number | undefined =>
  YEARS_AGO[
    word
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .replace(/^(?:(?:the )?whole of|(?:the )?(?:whole|entire|full)) (?=(?:last|previous) year$|the year before last$)/, '')
      .replace(/^(去年|上一年|前年|大前年) ?(?:全年|一整年|整年)$/, '$1')
  ];

/**
 * A year in digits said whole (2025年全年, 2025全年, 2025一整年, `the whole of 2025`, `full year 2025`): the year,
 * drawn whole as 去年 is (二〇二四年全年 too; a year in digits alone, 2025, runs on to the latest close). Else undefined.
 */
function wholeYearSaid(word: string): string | undefined {
  // 二〇二四年全年 as 2024年全年.
  const x = hanYear(word.trim()).toLowerCase().replace(/\s+/g, ' ');
  const m = /^(\d{4}) ?年? ?(?:全年|一整年|整年)$/.exec(x) ?? /^(?:(?:the )?(?:whole|entire|full) (?:of )?(?:year )?|(?:full|whole) year )(\d{4})$/.exec(x);
  return m?.[1];
}

/**
 * The year a word names relative to today's, as digits (去年 in 2026: 2025), else the text as it
 * was. 今年 only as an end (`/chart spx 2020 今年`): as a start it is the YTD range's.
 */
function yearWord(text: string, today: string, side: 'start' | 'end'): string {
  const word = numberText(text).trim();
  const period = periodWord(word, today);
  if (period !== undefined) return period;
  // A month with no year (3月, 三月, 3月份): the latest such month begun on the chat's calendar, as a day with no year is the
  // latest such day (12月25日): 3月 in November is this year's March, 12月 last year's December.
  const month = hanMonth(word.replace(/\s+/g, ''));
  if (month !== undefined) return `${month <= Number(today.slice(5, 7)) ? today.slice(0, 4) : Number(today.slice(0, 4)) - 1}年${month}月`;
  const whole = wholeYearSaid(word);
  if (whole !== undefined) return whole;
  const ago = yearsAgo(word) ?? (side === 'end' && word === '今年' ? 0 : undefined);
  if (ago !== undefined) return String(Number(today.slice(0, 4)) - ago);
  // A part of such a year, as investors date things: 去年底, 今年初, 去年年底, 前年第一季, 去年3月 (去年三月); in English the
  // year's end or start (`end of last year`, `the start of this year`), as 去年底 and 今年初 are.
  const english = /^(?:the )?(end|start|beginning) of (last|this) year$/.exec(word.toLowerCase().replace(/\s+/g, ' '));
  const zh = english === null ? word : `${english[2] === 'last' ? '去年' : '今年'}${english[1] === 'end' ? '底' : '初'}`;
  const part =
    /^(去年|上一年|大前年|前年|今年)年?(初|底|末|尾|終|终|[上下]半年?|第?[1-4一二三四首]季度?|[qQ][1-4]|(?:\d{1,2}|[一二三四五六七八九十]{1,2})月.*)$/.exec(
      zh.replace(/\s+/g, ''),
    );
  return part === null ? text : `${Number(today.slice(0, 4)) - (YEARS_AGO[part[1]!] ?? 0)}年${part[2]}`;
}

const THIS_WEEK = /^(?:this|the current|current) (?:week|wk)$|^(?:wtd|week to date)$|^(?:本|這|这|今)(?:一)?(?:個|个)?(?:週|周|星期|禮拜|礼拜)$/;

/** Whether `word` is this week (本週, this week, wtd), the calendar week running: it may have no close yet (Monday before New York's close). */
export const isThisWeekWord = (word: string): boolean => THIS_WEEK.test(numberText(valueSaid(word)).trim().toLowerCase().replace(/\s+/g, ' '));

/**
 * This week asked before it has a close (on Monday in Taipei while New York's Monday has not closed):
 * not a date to come but a week with nothing stored yet, said so with the week just ended to type
 * instead (as the chat's language types it: langs.ts `lastWeek`, 上週, `last week`). define-command.ts and
 * /chart add the latest close.
 */
export const thisWeekNoClose = (input: string, lang: Lang | undefined): Parsed<never> =>
  fail('chat.err.thisWeekNoClose', { input, lastWeek: copyable(LANG_INFO[lang ?? 'en'].lastWeek) });

/**
 * A calendar month or quarter named by its place from today's, as the calendar's (上個月 in November
 * is October; last quarter, 上一季 the quarter before this one; this quarter, 本季 the one running),
 * as the period's own words (2026年10月, Q3 2026), the reply then naming its dates; else undefined.
 * English `last month` is the calendar month before, as 上個月 is (and `last year` 去年's year, `last
 * quarter` 上一季's); the trailing month is `past month`, `the last month`, 1m, 近一個月.
 */
function periodWord(word: string, today: string): string | undefined {
  const x = word.toLowerCase().replace(/\s+/g, ' ');
  const [year, month] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  const monthBack = /^上(?:一)?(?:個|个)?月(?:份)?$|^(?:last|previous) month$/.test(x)
    ? 1
    : /^(?:本|這|这|今)(?:個|个)?月(?:份)?$|^(?:this month|the current month|mtd|month to date)$/.test(x)
      ? 0
      : undefined;
  if (monthBack !== undefined) {
    const at = year * 12 + month - 1 - monthBack;
    return `${Math.floor(at / 12)}年${(at % 12) + 1}月`;
  }
  // A calendar week, Monday first (上週, last week: the one before this; 本週, this week: the one running, to the latest
  // close), as its ISO week (2026-W46), read as its Monday to its Friday; the trailing seven days are `past week`, 1w, 近一週.
  const weekBack = /^(?:last|previous|prior) (?:week|wk)$|^上(?:一)?(?:個|个)?(?:週|周|星期|禮拜|礼拜)$/.test(x) ? 1 : THIS_WEEK.test(x) ? 0 : undefined;
  if (weekBack !== undefined) return isoWeekOf(addDays(today, -7 * weekBack));
  const quarterBack = /^(?:the )?(?:last|previous|prior) (?:quarter|qtr)$|^(?:上|前)(?:一)?(?:個|个)?季(?:度)?$/.test(x)
    ? 1
    : /^(?:this|the current|current) (?:quarter|qtr)$|^(?:qtd|quarter to date)$|^(?:本|這|这|今)(?:一)?(?:個|个)?季(?:度)?$/.test(x)
      ? 0
      : undefined;
  // 一季度 … 四季度, 1季度, 第二季, 首季 with no year: on the mainland the quarter of the year (二季度 is Q2, as 2020年二季度
  // is), never two quarters back (两个季度, 近两季); the latest such quarter begun, so 四季度 in February is last year's.
  const named = /^(?:第([1-4一二三四])季度?|([1-4一二三四])季度|(首)季度?)$/.exec(x);
  if (named !== null) {
    const n = named[3] !== undefined ? 1 : Math.floor('1一2二3三4四'.indexOf(named[1] ?? named[2]!) / 2) + 1;
    return `Q${n} ${n <= Math.floor((month - 1) / 3) + 1 ? year : year - 1}`;
  }
  // 上半年, 下半年 with no year: this year's half (the latest begun: 下半年 in May is last year's), as 二季度 is its quarter.
  const half = /^([上下])半年(?:度)?$/.exec(x);
  if (half !== null) return `${half[1] === '下' && month < 7 ? year - 1 : year}年${half[1]}半年`;
  if (quarterBack === undefined) return undefined;
  const q = year * 4 + Math.floor((month - 1) / 3) - quarterBack;
  return `Q${(q % 4) + 1} ${Math.floor(q / 4)}`;
}

/**
 * Whether `input` names a calendar month or quarter by its place from today's (last quarter, 上一季, 本季,
 * last month, 上個月): a date, read as the calendar's, never a span back (3M) nor a chart's range.
 */
export const isPeriodWord = (input: string): boolean => periodWord(numberText(valueSaid(input)).trim(), '2000-01-01') !== undefined;

/**
 * The last day of the whole period a start names (none while it runs), drawn whole as a chart's window: a
 * year by its distance (去年, 前年, 大前年, 上一年, `last year`, `the year before last`) or said whole (2024年全年), a quarter or a half
 * (Q1 2020, 2020 H1, 2020年上半年, 2020年第一季, 去年第一季, last quarter, 上一季). Undefined for any other
 * start, which runs to the latest close: a year or a month in digits (2025, 2020-03), `since` (since Q1 2020,
 * 2020年第一季以來), a day (去年底).
 */
export function wholePeriodEnd(input: string, start: string, today: string, lang?: Lang, calendarToday = today): string | undefined {
  const said = numberText(valueSaid(input)).trim();
  if (sinceDate(said) !== said) return undefined;
  const typed = yearWord(said, calendarToday, 'start');
  const span = readDateSpan(readsRoc(lang) ? taiwanYear(typed) : typed);
  // The start read from it must be the period's: `last quarter` read as a span back (3 months) has no quarter's end.
  if (span === undefined || span.from !== start) return undefined;
  const monthsLong = (n: number) => span.to === addDays(addMonths(span.from, n), -1);
  // A month by its place from this one (上個月, last month) is drawn whole as 上一季 is; one in digits (2020-03) runs on.
  const monthNamed = monthsLong(1) && periodWord(said, calendarToday) !== undefined;
  // A week by its place from this one (上週, last week) likewise: Monday to Friday.
  const weekNamed = span.to === addDays(span.from, 4) && periodWord(said, calendarToday) !== undefined;
  if (yearsAgo(said) === undefined && wholeYearSaid(said) === undefined && !monthsLong(3) && !monthsLong(6) && !monthNamed && !weekNamed) return undefined;
  // One still running (this quarter, 本季) runs to the latest close, as a start does.
  return span.to < today ? span.to : undefined;
}

/**
 * Whether a typed date is a whole calendar year named by its distance from this one, alone: 去年,
 * 前年, `last year`, `the year before last` (not `since last year`, 去年以來, 去年底: a start only, or a part).
 */
export const isYearAgoWord = (input: string): boolean => yearsAgo(numberText(valueSaid(input)).trim()) !== undefined;

/** Whether a typed start names a year by its distance from this one (去年, 前年, 去年底, 今年初) or a month or quarter (上個月, last quarter): a date, never a span back. */
const isYearWord = (s: string, today = '2000-01-01'): boolean =>
  yearsAgo(s) !== undefined ||
  /^(?:去年|上一年|大前年|前年|今年)\S/.test(s) ||
  /^(?:the )?(?:end|start|beginning) of (?:last|this) year$/i.test(s.replace(/\s+/g, ' ')) ||
  periodWord(s, today) !== undefined;

/** Whether a start date parseBaseDate took is a span back from today (5y, last 2 years, 18個月), not a day, month or year. */
export const isSpanBack = (input: string): boolean =>
  readDateSpan(sinceDate(input)) === undefined && !isYearWord(numberText(sinceDate(input)).trim()) && yearlessDays(sinceDate(input), '2000-12-31').length === 0;

/** Whether a chat in `lang` reads a year of two or three digits as 民國 (langs.ts `shortYears`: zh-TW). */
const readsRoc = (lang: Lang | undefined): boolean => lang !== undefined && LANG_INFO[lang].shortYears === 'roc';

/**
 * A year of two or three digits that a chat reading 民國 years reads so (taiwanYear), typed in a
 * chat that does not (langs.ts `shortYears`). Where 100年 alone is 100 years (`span`: zh-CN, as the
 * mainland says it) it is a span back, read on; 110年3月 is no mainland date. In an English chat
 * (`ask`), whose reader typed Chinese, either may be meant. Where it is not clear, refused naming
 * both readings (or the 民國 one's date), never guessed.
 */
function rocElsewhere(typed: string, today: string, lang: Lang | undefined): Parsed<never> | undefined {
  const roc = taiwanYear(typed);
  // A 民國 year still ahead (120年: 2031) is no reading to offer outside Taiwan: 120年 is a span back there, as it was.
  if (roc === typed || rocYearAhead(roc, today)) return undefined;
  const bare = /^(\d{2,3})年$/.exec(numberText(typed).replace(/\s+/g, ''));
  if (bare !== null && lang !== undefined && LANG_INFO[lang].shortYears === 'span') return undefined;
  const span = readDateSpan(roc);
  if (span === undefined) return undefined;
  const year = span.from.slice(0, 4);
  if (bare !== null) return fail('chat.err.rocOrSpan', { input: typed.trim(), n: Number(bare[1]), year });
  // The same words with the year as the world counts it: 110年3月 → 2021年3月, 109年第一季 → 2020年第一季;
  // 113/5 → 2024-05, 113/05/20 → 2024-05-20 (as written with slashes, the ISO date).
  const numeric = /^\d{2,3}[/.-]/.test(numberText(typed).trim());
  return fail('chat.err.rocDate', {
    input: typed.trim(),
    iso: numeric
      ? span.from === span.to
        ? span.from
        : span.from.slice(0, 7)
      : numberText(typed)
          .trim()
          .replace(/^\d{2,3}\s*年/, `${year}年`),
  });
}

/** 幾月 (几月, 幾月份, 幾月幾號): which month, a question, no date (幾個月, a few months, is a span back). */
export const WHICH_MONTH = /^[幾几]月份?(?:[幾几][日號号])?$/;

/**
 * Words for a time after today: no date the history holds (明年, 下個月, tomorrow), whatever the
 * command. Read folded (foldWord: either script, any case, full-width, no spaces).
 */
const FUTURE_WORDS = new RegExp(
  `^(?:${[
    '(?:the)?(?:next|coming)(?:year|month|week|quarter|decade)',
    '(?:the)?(?:year|month|week)afternext',
    'next(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend)',
    '(?:the)?dayaftertomorrow',
    'tomorrow',
    '明年',
    '来年',
    '明年初',
    '明年底',
    '明天',
    '明日',
    '后天',
    '大后天',
    '明后天',
    '后年',
    '大后年',
    '下(?:一)?个?月',
    '下下个?月',
    '下(?:一)?个?(?:周|星期|礼拜)[一二三四五六日天1-7]?',
    '下下个?(?:周|星期|礼拜)',
    '下(?:一)?个?季度?',
    '下(?:一)?年',
  ].join('|')})$`,
);

/**
 * A date after today, refused naming today. The command that reads it adds the latest close the
 * data holds (withLatestClose, chat/define-command.ts): a parser knows the calendar, not the data.
 */
const futureDate = (input: string, today: string): Parsed<never> => fail('chat.err.dateFuture', { input, today }, { dates: ['today'] });

/**
 * A date argument (/power's base and end): a day, a month or a year (2020-03 is its first day as a
 * start, its last as an end, which today caps), or a span back from today as /chart names it (5y,
 * 6個月, or max: a start only). Never after today.
 */
export function parseBaseDate(input: string, today: string, side: 'start' | 'end' = 'start', lang?: Lang, calendarToday = today): Parsed<string> {
  // The date itself, as a refusal names it: `since 2099` is in the future as 2099.
  // A sentence's full stop is no part of the date (2020., 2020年。).
  const said = input.replace(/[.。!！]+\s*$/, '');
  if (side === 'end' && TODAY_END.test(said.trim())) return ok(today);
  // 2000–10 with a dash or a tilde (not the ISO hyphen, 2000-10, October): October 2000 or 2000 to
  // 2010 (as 2020–21 is 2020 to 2021). Asked, offering both as they are written to work.
  const dashed = /^(\d{4})\s*[–—~～]\s*(\d{2})$/.exec(numberText(side === 'start' ? sinceDate(said) : said).trim());
  if (dashed !== null) {
    const [first, yy] = [Number(dashed[1]), Number(dashed[2])];
    const second = Math.floor(first / 100) * 100 + yy;
    if (yy >= 1 && yy <= 12 && second > first) {
      return fail('chat.err.monthOrYears', { input: dashed[0], month: `${dashed[1]}-${dashed[2]}`, from: dashed[1]!, to: String(second) });
    }
  }
  if (WHICH_MONTH.test(numberText(sinceDate(said)).replace(/\s+/g, ''))) return fail('chat.err.whichMonth.date', { input: said.trim() });
  // 去年, 上個月 on the chat's calendar (ArgContext.calendarToday); what lies after the market's today is refused below.
  const typed = yearWord(side === 'start' ? sinceDate(said) : said.trim(), calendarToday, side);
  // In a zh-TW chat 100年 is 民國100年 (2011), as Taiwan writes dates. Elsewhere it is asked which was meant.
  if (!readsRoc(lang)) {
    const asked = rocElsewhere(typed, today, lang);
    if (asked !== undefined) return asked;
  }
  const date = readsRoc(lang) ? taiwanYear(typed) : typed;
  const span = readDateSpan(date);
  if (span === undefined) {
    // A span back from today, as a start: a chart range's (5y, 半年, ytd) or any other (2y, 18個月, 3w).
    // MAX (max, all, 全部, 最大) is the whole history: since QQQ's launch, as /power without a date.
    const range = side === 'start' ? parseRange(input) : undefined;
    if (range?.ok === true) return ok(powerBase(range.value, today));
    // As asked, even before QQQ's launch (30y): /power then says it indexes from the launch, and
    // /chart's title names its first close, as for a year typed before it (1998).
    const back = side === 'start' ? spanBackFrom(input, today) : undefined;
    if (back !== undefined) return ok(back);
    // 12/25, 12月25日, Dec 25: the latest such day, on the chat's calendar; 05/06 (May 6 or 5 June) asked,
    // but in a Chinese chat, where 1/5 is 一月五日 (month first, as Taiwan and the mainland write it), read so (langs.ts `slashDates`).
    const readings = yearlessDays(date, calendarToday);
    const yearless = lang !== undefined && LANG_INFO[lang].slashDates === 'md' ? readings.slice(0, 1) : readings;
    if (yearless.length > 1) {
      const [one, two] = [yearless[0]!, yearless[1]!];
      return fail('chat.err.dateOrder', { input: date.trim(), one, two, iso: copyable(one) }, { dates: ['one', 'two'] });
    }
    if (isYearlessNoDay(date)) return fail('chat.err.noSuchDate', { input: date.trim() });
    const day = yearless[0];
    // One on the chat's calendar not yet closed in New York: as an end, today; as a start, not yet come.
    if (day !== undefined) return day <= today ? ok(day) : side === 'end' ? ok(today) : futureDate(sinceDate(said).trim(), today);
    // 05/06/2021: 5 June or May 6, asked.
    const days = yearLastDays(date);
    if (days.length > 1) return fail('chat.err.dateOrder', { input: date, one: days[0]!, two: days[1]!, iso: copyable(days[0]!) }, { dates: ['one', 'two'] });
    // 明年, next year, tomorrow: a date after today, said so, not as a date the bot cannot read.
    if (FUTURE_WORDS.test(foldWord(side === 'start' ? sinceDate(said) : said))) return futureDate(said.trim(), today);
    return (
      (side === 'start' ? (spanRefusal(input) ?? spanRangeRefusal(input)) : undefined) ??
      noOneDate(said, date, today, side, lang) ??
      fail('chat.err.date', { input })
    );
  }
  const { from, to } = span;
  // In the right shape but not on the calendar (1999-02-30, 2023-13): say that, not the shape.
  if (!isIsoDate(from)) return fail('chat.err.noSuchDate', { input: date });
  // An end whose period has begun on the chat's calendar but not yet in New York (今年 on Taipei's New Year's
  // morning, still 31 December there): running, so it ends today, as it would a day later.
  if (from > today && side === 'end' && from <= calendarToday) return ok(today);
  // Named as typed (今年底, not the 2026年底 it was read as), as the words above are; a 民國 year as one (民國116年3月),
  // and one alone (120年) with the span back it is not, to write if that was meant.
  if (from > today) {
    const shown = (side === 'start' ? sinceDate(said) : said).trim();
    const bare = /^(\d{2,3})年$/.exec(numberText(shown).replace(/\s+/g, ''));
    if (side === 'start' && isThisWeekWord(shown)) return thisWeekNoClose(shown, lang);
    if (date === typed) return futureDate(shown, today);
    return bare !== null
      ? fail('chat.err.rocFuture', { input: shown, n: Number(bare[1]), year: from.slice(0, 4), today }, { dates: ['today'] })
      : futureDate(date.trim(), today);
  }
  // A month or a year still running ends today.
  return ok(side === 'start' ? from : to < today ? to : today);
}

/**
 * What people write for a date that names none, refused saying why: a fiscal year (FY2020: each
 * company's and country's starts in its own month), the middle of a year (mid 2020, 2020年中), and
 * an event after since (since covid, 自疫情以來): never a guess at which months were meant.
 * A start after since that is a span back (since last year) is read as that span.
 */
function noOneDate(said: string, date: string, today: string, side: 'start' | 'end', lang: Lang | undefined): Parsed<string> | undefined {
  const x = numberText(date).trim().toLowerCase();
  const week = noSuchWeek(date);
  if (week !== undefined) return week;
  const fy = /^fy\s*['’]?(\d{2}|\d{4})$|^(\d{4})\s*(?:財年|财年|會計年度|会计年度|財政年度|财政年度)$/.exec(x);
  if (fy !== null) {
    const year = Number(fullYear(fy[1] ?? fy[2]!));
    return fail('chat.err.fiscalYear', { input: date.trim(), from: `${year - 1}-10`, to: `${year}-09`, year: String(year) });
  }
  // 去年同期, the same period last year: the same as which period? A comparison's other side, with none
  // named here: asked as days a year back (the 30 to this day last year, as an example), or 去年 whole.
  if (
    /^(?:去年|上年|前一年)同期$|^(?:the )?same (?:period|time|days|weeks) (?:last|a) year(?: ago)?$|^(?:the )?same period (?:of |in )?(?:the )?(?:previous|prior) year$/.test(
      x,
    )
  ) {
    const y = Number(today.slice(0, 4)) - 1;
    const to = isIsoDate(`${y}${today.slice(4)}`) ? `${y}${today.slice(4)}` : `${y}-02-28`;
    return fail('chat.err.samePeriod', { input: date.trim(), from: addDays(to, -30), to });
  }
  const mid = /^mid(?:dle of)?[\s-]*(\d{4})$|^(\d{4})\s*年?\s*(?:中|年中)$|^(\d{4})\s*年?\s*(?:中期)$/.exec(x);
  if (mid !== null) return fail('chat.err.midYear', { input: date.trim(), year: mid[1] ?? mid[2] ?? mid[3]! });
  // A year with what happened in it (2008年金融海嘯, since the 2020 low, the 2008 crash): no date
  // the bot can know; the month or day meant is asked, in that year. A month's name after the year is a date's (read before).
  // In English after `the` or `since` only: `2009 qqq` is a year and a pair, two arguments.
  const afterSince = sinceDate(said).trim() !== said.trim();
  const event = /^(the\s+)?((?:19|20)\d{2})\s*(?:年\s*(?:的\s*)?)?(\p{Script=Han}{2,}|[a-z][a-z'’-]{2,}(?:\s+[a-z][a-z'’-]*)*)$/u.exec(
    numberText(sinceDate(said)).trim().toLowerCase(),
  );
  const words = event?.[3] ?? '';
  if (
    event !== null &&
    (event[1] !== undefined || afterSince || /^\p{Script=Han}/u.test(words)) &&
    !/^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|onward|start|end|begin|first|last|early|late|mid)/.test(words) &&
    !/^(?:the|an?|to|and|or|until|till|thru|through|from|since|vs|now|today|present)(?:\s|$)/.test(words) &&
    !/[月季日號号]/.test(words)
  ) {
    return fail('chat.err.eventDate', { input: sinceDate(said).trim(), year: event[2]! });
  }
  const rest = sinceDate(said);
  // A word that only begins a phrase (since the 2020 low) is not the event: the phrase is refused as a whole.
  if (side === 'start' && rest !== said.trim() && rest !== '' && !HAS_NUMERAL.test(rest) && /^[\p{L}\s'’-]+$/u.test(rest) && !LEAD_WORDS.test(rest)) {
    const back = parseBaseDate(rest, today, side, lang);
    if (back.ok) return back;
    // Days said as words: since yesterday, since today (昨天, 今天).
    const days = DAYS_BACK[rest.toLowerCase()];
    if (days !== undefined) return ok(addDays(today, -days));
    // A month named alone (since january, since jan): its latest 1st, this year's or, still ahead, last year's.
    const month = MONTH_NAMES.findIndex((name) => rest.length >= 3 && name.startsWith(rest.toLowerCase().replace(/\.$/, ''))) + 1;
    if (month > 0) {
      const year = Number(today.slice(0, 4)) - (month > Number(today.slice(5, 7)) ? 1 : 0);
      return ok(`${year}-${String(month).padStart(2, '0')}-01`);
    }
    return fail('chat.err.sinceWhat', { input: rest });
  }
  return undefined;
}
const DAYS_BACK: Readonly<Record<string, number>> = { today: 0, 今天: 0, 今日: 0, yesterday: 1, 昨天: 1, 昨日: 1 };
const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const LEAD_WORDS = /^(?:the|a|an|my|our|its|this|that|last|past)$/i;
/** An end that is today, as people write one: `2020 to now`, `2020 - present`, `2020到現在`, `至今`. */
const TODAY_END = /^(?:now|today|present|date|the present|現在|现在|今天|今日|目前|至今|迄今)$/i;
/** Today or now said alone (`/ratio today`, `/ratio 現在`): what a command that reads the latest close shows anyway. */
export const isTodayWord = (word: string): boolean => /^(?:now|today|現在|现在|今天|今日|目前)$/i.test(word.replace(/[.。!！]+$/, '').trim());

/**
 * A language as users type it: `zh-TW`, `zh`, `繁中`, `zh-hans`, `简体`, `english` (langs.ts lists
 * them); `中文` the chat's Chinese (`current`) if it reads one, else the reader's app's (`reader`).
 */
export function parseLangArg(input: string, current?: Lang, reader?: Lang): Parsed<Lang> {
  const lang = langFromInput(input, current, reader);
  return lang !== undefined ? ok(lang) : fail('chat.err.lang', { input }, { lists: { langs: LANGS } });
}

/** The range a span of months is, if one is (`5 years`, `60 months`: 5Y; `2 years`: none). */
function rangeOfMonths(months: number | undefined): ChartRange | undefined {
  const ranges: Readonly<Record<number, ChartRange>> = { 1: '1M', 3: '3M', 6: '6M', 12: '1Y', 60: '5Y', 120: '10Y' };
  return months === undefined ? undefined : ranges[months];
}

/** The chart ranges as the chat's language names them (1M … MAX; 1個月 … 全部), each also typed so. */
const RANGE_TERMS = { ranges: CHART_RANGES.map((r) => `chart.range.short.${r}`), all: ['chart.range.short.MAX'] };

/**
 * A span back mistyped (`1000y`: longer than is read; `0y`, `-5y`, `1.5y`: no whole count from 1),
 * refused as a span, naming what is wrong and the ranges that work; undefined for other text.
 */
function spanRefusal(input: string): Parsed<never> | undefined {
  if (readDateSpan(input) !== undefined) return undefined;
  if (spanTooLong(input)) return fail('chat.err.spanTooLong', { input, most: MAX_SPAN_COUNT }, { terms: RANGE_TERMS });
  if (spanBadCount(input)) return fail('chat.err.spanCount', { input }, { terms: RANGE_TERMS });
  return undefined;
}

/** An ISO week its year does not have (2025-W53, 2026-W60), refused saying how many weeks the year has, not what a date is; undefined for other text. */
function noSuchWeek(input: string): Parsed<never> | undefined {
  const week = ISO_WEEK.exec(numberText(input).trim().toLowerCase());
  if (week === null || readDateSpan(input.trim().toLowerCase()) !== undefined) return undefined;
  return fail('chat.err.noSuchWeek', { input: input.trim(), year: week[1]!, week: Number(week[2]), weeks: isoWeekOf(`${week[1]}-12-28`).slice(6) });
}

/** A span's range refused (spanRangeRefusal), by its unit: the example is said in it. */
export const SPAN_RANGE: Readonly<Record<SpanUnit, string>> = {
  minute: 'chat.err.spanRange.minute',
  hour: 'chat.err.spanRange.hour',
  day: 'chat.err.spanRange.day',
  week: 'chat.err.spanRange.week',
  month: 'chat.err.spanRange.month',
  quarter: 'chat.err.spanRange.quarter',
  year: 'chat.err.spanRange.year',
};

/** Whether a refusal is of a span back mistyped (spanRefusal) or said as a range (spanRangeRefusal): still a span, to be refused as one. */
export const isSpanRefusal = (e: ChatError): boolean =>
  e.key === 'chat.err.spanTooLong' || e.key === 'chat.err.spanCount' || (Object.values(SPAN_RANGE) as string[]).includes(e.key);

/**
 * A span said as a range (`a week or two`, 一兩週, 兩三天, `1-2 weeks`): refused, its two ends the example
 * (a move's span, a mute's length and a chart's start each need one number; which end was meant is not guessed).
 */
export function spanRangeRefusal(input: string, lengths: 'lengths' | 'spans' = 'spans'): Parsed<never> | undefined {
  const r = spanRange(input, lengths);
  return r === undefined ? undefined : fail(SPAN_RANGE[r.unit], { input, low: r.low, high: r.high });
}

export function parseRange(input: string): Parsed<ChartRange> {
  // `last quarter` is the calendar quarter before this one, as 上一季 is (a start, drawn whole: wholePeriodEnd);
  // the trailing three months are `past quarter`, 3M, 近一季.
  if (isPeriodWord(input)) return fail('chat.err.range', { input }, { terms: { ranges: RANGE_TERMS.ranges } });
  const s = folded(input).toUpperCase();
  const r = (CHART_RANGES as readonly string[]).includes(s)
    ? (s as ChartRange)
    : (byWords(input, CHART_RANGES, (x) => `input.range.${x}`) ??
      byWords(spanWords(input), CHART_RANGES, (x) => `input.range.${x}`) ??
      rangeOfMonths(spanMonths(input)));
  return r !== undefined ? ok(r) : (spanRefusal(input) ?? noSuchWeek(input) ?? fail('chat.err.range', { input }, { terms: { ranges: RANGE_TERMS.ranges } }));
}

export type ChartTarget = PairId | 'power';
export const CHART_TARGETS: readonly ChartTarget[] = [...PAIR_IDS, 'power'];

export function parseChartTarget(input: string): Parsed<ChartTarget> {
  const s = folded(input);
  if (s === 'power' || wordsOf('input.power').has(s)) return ok('power');
  const pair = parsePairArg(input);
  // Gold alone is said as /ratio says it: what both ratios divide by.
  return pair.ok || pair.error.key === 'chat.err.pairGold' ? pair : fail('chat.err.chartTarget', { input });
}
