/**
 * A span's unit said without its count, and a span said as a range of counts: what /move's span,
 * /mute's length and /chart's start (and the CLI's --from) read alike. A unit alone is one of it
 * (`week`, 週, `month`: as 1w, 1個月); a range (`a week or two`, 一兩週, 兩三天, `2-3 days`) is no one
 * length, and is refused naming the two ends as examples, never guessed.
 */
import { numberText } from './han-fold.ts';
import { countOf } from './han-numbers.ts';

/** A span's units; a length's too (minute, hour: a mute's, never a span back's or a move's: spanRange's `lengths`). */
export type SpanUnit = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

/** The words of a unit alone, as people write one: English, either Chinese script. 日 alone is a date's, not a day. */
const BARE_UNITS: Readonly<Record<string, SpanUnit>> = {
  ...Object.fromEntries(['day', '天'].map((w) => [w, 'day'])),
  ...Object.fromEntries(['week', 'wk', '週', '周', '星期', '禮拜', '礼拜'].map((w) => [w, 'week'])),
  ...Object.fromEntries(['month', '月', '個月', '个月'].map((w) => [w, 'month'])),
  ...Object.fromEntries(['quarter', 'qtr', '季', '季度', '個季度', '个季度'].map((w) => [w, 'quarter'])),
  ...Object.fromEntries(['year', 'yr', '年'].map((w) => [w, 'year'])),
};

/** Folded as the parsers fold: NFKC, lowercase, spaces between words one. */
const folded = (text: string): string => numberText(text).trim().toLowerCase().replace(/\s+/g, ' ');

/** A unit alone (`week`, `月`, `quarter`) as one of it in words every span parser reads (`1 week`), else undefined. */
export function bareUnitSpan(text: string): string | undefined {
  const unit = BARE_UNITS[folded(text)];
  return unit === undefined ? undefined : `1 ${unit}`;
}

// Never a bare m (minutes or months).
const EN_UNIT = '(minutes?|mins?|hours?|hrs?|h|days?|weeks?|wks?|months?|mos?|quarters?|qtrs?|years?|yrs?)';
// 月 only after 個/个: 2-3月 is February to March.
const HAN_UNIT = '(天|日|週|周|星期|禮拜|礼拜|(?:個|个)(?:星期|禮拜|礼拜|月)|季度?|(?:個|个)季度|年|(?:個|个)?(?:小時|小时|鐘頭|钟头)|分鐘|分钟|分)';
const EN_COUNTS: Readonly<Record<string, number>> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };
// A fraction (1.5-2 hours) is a length's: a span back's counts are whole (spanRange drops it there).
const EN_COUNT = `(an?|one|two|three|four|five|six|seven|eight|nine|ten|\\d{1,2}(?:\\.\\d)?)`;
/** `a week or two`, `2 days or 3`. */
const UNIT_OR = new RegExp(`^${EN_COUNT} ${EN_UNIT} or ${EN_COUNT}$`);
/** `1-2 weeks`, `two or three days`, `2 to 3 months`, `2-3天`, `2到3週`, `一到兩個月`. */
const COUNT_TO = new RegExp(
  `^${EN_COUNT}\\s*(?:-|–|~|～|to|or)\\s*${EN_COUNT}\\s*${EN_UNIT}$|^(\\d{1,2}(?:\\.\\d)?|[一二兩两三四五六七八九十]{1,3})\\s*(?:-|–|~|～|到|至|或)\\s*(\\d{1,2}(?:\\.\\d)?|[一二兩两三四五六七八九十]{1,3})\\s*${HAN_UNIT}$`,
);
/** Two numerals side by side, as Chinese says about so many: 一兩週, 兩三天, 三五個月 (never with 十: 九十天 is 90). */
const HAN_PAIR = new RegExp(`^([一二兩两三四五六七八九])([二兩两三四五六七八九])\\s*${HAN_UNIT}$`);
/** Two tens side by side (二三十分鐘: 20 or 30, 三四十天), or two past ten (十一二天: 11 or 12). */
const HAN_TENS = new RegExp(`^([一二兩两三四五六七八])([二兩两三四五六七八九])十\\s*${HAN_UNIT}$`);
const HAN_TEENS = new RegExp(`^十([一二兩两三四五六七八])([二兩两三四五六七八九])\\s*${HAN_UNIT}$`);
/** Ten and some (十幾分鐘, 十多天, 二十幾天, 三十来分钟): past ten (or twenty, thirty) by one to nine, no one count. */
const HAN_TENS_SOME = new RegExp(`^([二兩两三四五六七八九])?十(?:幾|几|多|來|来)\\s*${HAN_UNIT}$`);

const unitOf = (word: string): SpanUnit => {
  if (/^(?:h|(?:個|个)?(?:小時|小时|鐘頭|钟头))/.test(word)) return 'hour';
  if (/^(?:min|分)/.test(word)) return 'minute';
  if (/^(?:d|天|日)/.test(word)) return 'day';
  if (/^(?:w|週|周|星期|禮拜|礼拜|(?:個|个)(?:星期|禮拜|礼拜))/.test(word)) return 'week';
  if (/^(?:mo|(?:個|个)月)/.test(word)) return 'month';
  if (/^(?:q|季|(?:個|个)季)/.test(word)) return 'quarter';
  return 'year';
};
const countIn = (word: string): number | undefined => EN_COUNTS[word] ?? (/^\d+\.\d$/.test(word) ? Number(word) : countOf(word));

/**
 * A span said as a range of counts (`a week or two`, 一兩週, 兩三天, `1-2 weeks`): its two ends and unit, else
 * undefined. In hours or minutes too (`an hour or two`, 兩三個小時, `5-10 minutes`) with `lengths` (a mute's).
 */
export function spanRange(
  text: string,
  lengths: 'lengths' | 'spans' = 'spans',
): { readonly low: number; readonly high: number; readonly unit: SpanUnit } | undefined {
  const s = folded(text).replace(/(?<=[\u3400-\u9fff\d])\s+(?=[\u3400-\u9fff])/g, '');
  const or = UNIT_OR.exec(s);
  const to = or === null ? COUNT_TO.exec(s) : null;
  const pair = or === null && to === null ? HAN_PAIR.exec(s) : null;
  // 二三十分鐘, 十一二天: the pair's counts are tens, or past ten.
  const tens = or === null && to === null && pair === null ? HAN_TENS.exec(s) : null;
  const teens = tens === null && or === null && to === null && pair === null ? HAN_TEENS.exec(s) : null;
  const some = tens === null && teens === null ? HAN_TENS_SOME.exec(s) : null;
  if (some !== null && or === null && to === null && pair === null) {
    const base = 10 * (some[1] === undefined ? 1 : (countIn(some[1]) ?? 1));
    const of = unitOf(some[2]!);
    return lengths === 'spans' && (of === 'hour' || of === 'minute') ? undefined : { low: base + 1, high: base + 9, unit: of };
  }
  if (tens !== null || teens !== null) {
    const m = (tens ?? teens)!;
    const [x, y] = [countIn(m[1]!), countIn(m[2]!)];
    if (x === undefined || y === undefined || !(y > x)) return undefined;
    const of = unitOf(m[3]!);
    if (lengths === 'spans' && (of === 'hour' || of === 'minute')) return undefined;
    return tens !== null ? { low: x * 10, high: y * 10, unit: of } : { low: 10 + x, high: 10 + y, unit: of };
  }
  const [a, b, unit] =
    or !== null
      ? [or[1]!, or[3]!, or[2]!]
      : to !== null
        ? to[1] !== undefined
          ? [to[1], to[2]!, to[3]!]
          : [to[4]!, to[5]!, to[6]!]
        : pair !== null
          ? [pair[1]!, pair[2]!, pair[3]!]
          : [];
  if (a === undefined || b === undefined || unit === undefined) return undefined;
  const [low, high] = [countIn(a), countIn(b)];
  if (low === undefined || high === undefined || !(low >= 1 && high > low)) return undefined;
  const of = unitOf(unit);
  if (lengths === 'spans' && (!Number.isInteger(low) || !Number.isInteger(high))) return undefined;
  return lengths === 'spans' && (of === 'hour' || of === 'minute') ? undefined : { low, high, unit: of };
}
