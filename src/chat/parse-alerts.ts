/**
 * Parsers for the arguments of /quiet and /move (errors are i18n keys, like chat/parse.ts): a
 * quiet window `23:00-07:00`, a move's percent and its number of trading days.
 */
import { numberText } from '../domain/han-fold.ts';
import { numberSeparators } from '../domain/number-separators.ts';
import { err, ok } from '../domain/series.ts';
import { parseQuietSpan, windowMinutes, type QuietSpan } from '../domain/quiet-hours.ts';
import { MAX_MOVE_DAYS, MAX_MOVE_PCT, MIN_MOVE_PCT } from '../domain/moves.ts';
import { countOf, englishCounts, englishNumbers, hanDecimal, hanPercent, HAN_NUMERALS, isPercentText, fewSaid } from '../domain/han-numbers.ts';
import { echo, spanRangeRefusal, type Parsed } from './parse.ts';
import { bareUnitSpan } from '../domain/span-unit-words.ts';

export function parseQuietSpanArg(input: string): Parsed<QuietSpan> {
  const r = parseQuietSpan(input);
  if (r.ok) return ok(r.value);
  if (r.reason === 'ambiguous') {
    const span = (w: QuietSpan) => `${w.start}-${w.end}`;
    return err({
      key: 'chat.err.quietAmbiguous',
      params: {
        input: echo(input),
        typed: span(r.typed),
        length: windowMinutes(r.typed.start, r.typed.end) / 60,
        one: span(r.meant[0]),
        two: span(r.meant[1]),
      },
    });
  }
  if (r.reason === 'time') return err({ key: 'chat.err.quietTime', params: { input: echo(input), time: echo(r.time) } });
  return err({ key: r.reason === 'empty' ? 'chat.err.quietEmpty' : 'chat.err.quietSpan', params: { input: echo(input) } });
}

/**
 * `10`, `7.5`, `10%`, `2,5`, `１０％`, `10pct`, in English words (`ten percent`, `five per cent`), and in Chinese numerals `十`, `十二%`, `十二點五`, `百分之十五`,
 * `百分之百`, `百分之零點五` (read as 0.5, then refused as under the least), or in points and tenths
 * (`10个百分点`, `10個百分點`, `5个点`, `1成`, `兩成半`): from 1 to 100. A move counts either way, and so may its percent
 * be written: `±10`, `+/-10%`, `+10`, `漲跌10%`.
 */
export function parseMovePct(input: string): Parsed<number> {
  // A space before the sign only (`10 %`): `10 0` is no number.
  // A number in English words too (`ten percent`, `five per cent`): as digits. A vague one (`a few
  // percent`) is no size to alert at: refused as typed.
  const folded = numberText(englishNumbers(input)).trim();
  // 成 is a tenth, as Chinese writes a share: `0.5成` is 5%, `三成` 30%; and a half more after it: `兩成半` 25%, `半成` 5%.
  const share = /^(.+?)\s*成(半)?$/.exec(folded);
  const tenths = share?.[1];
  const halfTenth = share?.[2] === undefined ? 0 : 0.5;
  const unsigned = (tenths ?? folded)
    // 趴 is how Taiwan says percent (漲10趴); 个点 how the mainland's market talk does (涨了5个点: 5%), never a bare 点 (5点 is a time).
    .replace(/\s*(?:[%％]|per\s*cent|pct|趴|(?:個|个)?百分(?:點|点)|(?:個|个)(?:點|点))$/i, '')
    .replace(/^(?:±|\+\/?-|\+|漲跌|涨跌|上下)\s*/, '')
    // 。 between digits: a Chinese IME's full stop typed for the decimal point (1。5%), as a level's is read.
    .replace(/(?<=\d)。(?=\d)/, '.');
  // The separators as every number of the chat is read (domain/number-separators.ts): `2,5` is 2.5, `1,500` asked.
  const read = numberSeparators(unsigned);
  if (!read.ok) return err({ key: 'chat.err.numberEither', params: { input: echo(unsigned), decimal: read.asDecimal, thousands: read.asThousands } });
  const s = read.text;
  const digits = /^(\d+\.?\d*|\.\d+)$/.test(s);
  const n = digits ? Number(s) : s === '半' && tenths !== undefined ? 0.5 : (hanPercent(s) ?? hanDecimal(s) ?? countOf(s) ?? Number.NaN);
  const v = Number((tenths === undefined ? n : (n + halfTenth) * 10).toPrecision(6));
  if (!(v >= MIN_MOVE_PCT && v <= MAX_MOVE_PCT)) {
    const params = { input: echo(input), min: MIN_MOVE_PCT, max: MAX_MOVE_PCT };
    // Written out (百分之零點五, 一百零五, 0.05成): said as the number it was read as, so the refusal is of that number.
    return err(
      (digits && tenths === undefined) || Number.isNaN(v)
        ? { key: 'chat.err.movePct', params }
        : { key: 'chat.err.movePctRead', params: { ...params, value: String(v) } },
    );
  }
  return ok(v);
}

/** Trading days in a week, a month, a quarter and a year, as a move's span is counted (a year of 252, a month of 252 / 12, a quarter of three months). */
export const TRADING_DAYS_PER = { week: 5, month: 21, quarter: 63, year: 252 } as const;

/** A move's span: its trading days, and the weeks, months or years it was typed as (said in the reply). */
export interface MoveDays {
  readonly days: number;
  readonly typed?: { readonly count: number; readonly unit: MoveUnit };
  /** The word for a few typed (`a few` weeks, 幾週): read as 3, which the reply says naming it. */
  readonly fewSaid?: string;
}
export type MoveUnit = keyof typeof TRADING_DAYS_PER;

/** The refusal of a span typed in a unit past the most a move spans, per unit: what it comes to and the most of that unit. */
const SPAN_LONG: Readonly<Record<MoveUnit, string>> = {
  week: 'chat.err.moveSpanLong.week',
  month: 'chat.err.moveSpanLong.month',
  quarter: 'chat.err.moveSpanLong.quarter',
  year: 'chat.err.moveSpanLong.year',
};
/** The unit of a span refused as too long (SPAN_LONG), else undefined: another refusal. */
export const spanLongUnit = (key: string): MoveUnit | undefined => (Object.keys(SPAN_LONG) as MoveUnit[]).find((u) => SPAN_LONG[u] === key);

// Words around the span that say nothing more: `over 20 days`, `in 20 days`, `within 4 weeks`, `過去20天`, `20天內`.
const SPAN_BEFORE =
  /^(?:(?:over|in|within|for|during)\s+(?:the\s+)?(?:last|past|next)|the\s+(?:last|past)|over|in|within|for|across|during|last|past|過去|过去|最近|近)\s*/;
const SPAN_AFTER = /\s*(?:內|内|之內|之内|以內|以内|裡|里)$/;
/** The calendar's last week, month, quarter or year said in Chinese: a move reads each as the rolling span of one (上一季: 1 quarter). */
const LAST_ONE: Readonly<Record<string, string>> = {
  ...Object.fromEntries(['上週', '上周', '上星期', '上禮拜', '上礼拜', '上個星期', '上个星期', '上一週', '上一周'].map((w) => [w, '1 week'])),
  ...Object.fromEntries(['上個月', '上个月', '上月', '上一個月', '上一个月'].map((w) => [w, '1 month'])),
  ...Object.fromEntries(['上一季', '上季', '上個季度', '上个季度', '上一季度', '前一季'].map((w) => [w, '1 quarter'])),
  ...Object.fromEntries(['去年', '上一年'].map((w) => [w, '1 year'])),
};
/** A period running now, on the calendar (this quarter, 本季, 今年, mtd): from a day that moves, no span to watch a move over. */
const THIS_PERIOD =
  /^(?:this|the current|current) (?:week|month|quarter|qtr|year)$|^(?:mtd|qtd|ytd|month to date|quarter to date|year to date)$|^(?:本|這|这|今)(?:個|个)?(?:週|周|星期|月|季|季度)$|^(?:本|這|这)(?:一)?(?:個|个)?季(?:度)?$|^今年$/;
// Business days, sessions, 工作天, 營業日: a market's are its trading days.
const DAY_UNIT = '(?:d|days?|(?:trading|business|market)\\s*days?|sessions?|td|天|日|(?:個|个)?(?:交易|工作|營業|营业)(?:日|天))';
const WEEK_UNIT = '(?:w|wks?|weeks?|週|周|星期|禮拜|礼拜|(?:個|个)(?:星期|禮拜|礼拜))';
const MONTH_UNIT = '(?:m|mo|mos|mths?|months?|(?:個|个)?月)';
const YEAR_UNIT = '(?:y|yrs?|years?|年)';
// A quarter (一季, 兩季, 1季, 一個季度, 2 quarters, 1q): its length, 63 trading days. 一季度 too, which names Q1 as a
// date but can only be a length here (a move's span is no calendar period).
const QUARTER_UNIT = '(?:q|qtrs?|quarters?|(?:個|个)?季度?)';
const NUMBER = `(\\d{1,4}|[${HAN_NUMERALS}]{1,8})`;
const SPAN = new RegExp(`^${NUMBER}\\s*(?:(${DAY_UNIT})|(${WEEK_UNIT})|(${MONTH_UNIT})|(${YEAR_UNIT})|(${QUARTER_UNIT}))?$`);
/** A count said with an article, as people write a span: `a quarter`, `an hour`; `a half` is no count. */
const ARTICLE_COUNT = /^an?\s+(?=[a-z])(?!half)/;
/** Half a month (半個月, 半个月, half a month): 10 trading days, half of 21 rounded down, said so in the reply. */
const HALF_MONTH = /^(?:(?:a\s+)?half(?:\s+a|-)?\s*months?|半(?:個|个)?月)$/;
/** Half a week (半週, 半周, half a week): 2.5 trading days, no whole count: refused naming 2 and 3. */
const HALF_WEEK = /^(?:(?:a\s+)?half(?:\s+a|-)?\s*weeks?|半(?:個|个)?(?:週|周|星期|禮拜|礼拜))$/;
/**
 * Half a year, or whole years and a half: `半年`, `half a year`, `1年半`, `一年半`, `1.5y`, `2.5 years`,
 * `1 and a half years` (group 1: the whole years, none for half a year alone).
 */
const HALF_YEARS = new RegExp(`^(?:(?:a\\s+)?half(?:\\s+a|-)?\\s*years?|半年|${NUMBER}\\s*(?:年半|\\.5\\s*${YEAR_UNIT}|\\s+and\\s+a\\s+half\\s+years?))$`);

/**
 * A move's span, from 1 to MAX_MOVE_DAYS trading days: days with their unit written or not (`20`, `20d`,
 * `20天`, `二十個交易日`, `20 trading days`), or weeks, months and years read as trading days (5 a week,
 * 21 a month, 63 a quarter, 252 a year: `4週`, `2w`, `1m`, `4 weeks`, `1個月`, `一季`, `2 quarters`, `1y`, `1年`; a count in
 * words: `a quarter`, `two weeks`; and a half: `半年`, `1.5y`, `一年半`, `半個月` as 10), with the words people
 * put around it (`over 20 days`, `in 20 days`, `20天內`).
 */
export function parseMoveSpan(input: string): Parsed<MoveDays> {
  // A period on the calendar running now (this quarter, 本季, 今年): no span of trading days a move is watched over.
  if (THIS_PERIOD.test(numberText(input).trim().toLowerCase().replace(/\s+/g, ' '))) return err({ key: 'chat.err.movePeriod', params: { input: echo(input) } });
  // Counts in English words too (`two weeks`, `three months`): as digits. A unit alone is one of it (`week`, 週).
  const stripped = numberText(englishCounts(bareUnitSpan(input) ?? input))
    .trim()
    .toLowerCase()
    .replace(SPAN_BEFORE, '')
    .replace(SPAN_AFTER, '')
    .trim();
  // The last or past one (last quarter, past month, 上一季, 上個月, 去年): the rolling span, one of it, as the reply says.
  const spanText = (bareUnitSpan(stripped) ?? LAST_ONE[stripped] ?? stripped)
    .replace(ARTICLE_COUNT, '1 ')
    // Spaces between Chinese words and numbers are no part of them (兩 個 月, 20 個交易日); between two numbers (2 0) they part two.
    .replace(/(?<=[\u3400-\u9fff])\s+(?=[\d\u3400-\u9fff])|(?<=\d)\s+(?=[\u3400-\u9fff])/g, '');
  // The separators as every number of the chat is read (domain/number-separators.ts): `1,5y` is 1.5 years, `1,000` asked.
  const lead = /^\d[\d,]*,\d+/.exec(spanText)?.[0];
  const read = lead === undefined ? undefined : numberSeparators(lead);
  if (read?.ok === false) return err({ key: 'chat.err.numberEither', params: { input: lead!, decimal: read.asDecimal, thousands: read.asThousands } });
  const text = read === undefined ? spanText : `${read.text}${spanText.slice(lead!.length)}`;
  if (HALF_MONTH.test(text)) return ok({ days: Math.floor(TRADING_DAYS_PER.month / 2), typed: { count: 0.5, unit: 'month' } });
  if (HALF_WEEK.test(text)) return err({ key: 'chat.err.moveHalfWeek', params: { input: echo(input) } });
  const half = HALF_YEARS.exec(text);
  const m = half === null ? SPAN.exec(text) : null;
  // Years and a half count as years do (126 trading days a half), said as 0.5 or 1.5 years.
  const count = half !== null ? (half[1] === undefined ? 0 : (countOf(half[1]) ?? Number.NaN)) + 0.5 : m === null ? Number.NaN : (countOf(m[1]!) ?? Number.NaN);
  const unit: MoveUnit | undefined =
    half !== null || m?.[5] !== undefined
      ? 'year'
      : m?.[3] !== undefined
        ? 'week'
        : m?.[4] !== undefined
          ? 'month'
          : m?.[6] !== undefined
            ? 'quarter'
            : undefined;
  const days = unit === undefined ? count : count * TRADING_DAYS_PER[unit];
  if (!(days >= 1 && days <= MAX_MOVE_DAYS)) {
    // A second percent where the span goes (`/move spx 10 20%`): refused as a percent, not as no count.
    if (isPercentText(numberText(input))) return err({ key: 'chat.err.moveDaysPercent', params: { input: echo(input) } });
    // Weeks, months or years beyond the limit: said in them, with what they come to and the most of them a move spans.
    if (unit !== undefined && count >= 1)
      return err({
        key: SPAN_LONG[unit],
        params: { input: echo(input), days, max: MAX_MOVE_DAYS, most: Math.floor(MAX_MOVE_DAYS / TRADING_DAYS_PER[unit]) },
      });
    // A range (`a week or two`, 一兩週): one number is needed, its ends the example.
    return spanRangeRefusal(input) ?? err({ key: 'chat.err.moveDays', params: { input: echo(input), max: MAX_MOVE_DAYS } });
  }
  const said = fewSaid(input);
  const few = said === undefined ? {} : { fewSaid: said };
  return ok(unit === undefined ? { days, ...few } : { days, typed: { count, unit }, ...few });
}
