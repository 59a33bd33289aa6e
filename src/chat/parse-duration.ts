/**
 * A mute's length as people type it (errors are i18n keys, like chat/parse.ts): `2h`, `3 months`,
 * `一個半小時`, `1h30m`; and two lengths joined as a range (`半小時到一小時`), refused as one.
 */
import { numberText } from '../domain/han-fold.ts';
import { numberSeparators } from '../domain/number-separators.ts';
import { countOf, englishCounts, fewSaid, HAN_NUMERALS } from '../domain/han-numbers.ts';
import type { MuteLength } from '../domain/mute-length.ts';
import { ok } from '../domain/series.ts';
import { fail, SPAN_RANGE, type Parsed } from './parse.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/**
 * A command's words without what a sentence puts around them: an emoji (`🔕 2h`, `until friday 🙏`),
 * a full stop, an exclamation or a question mark at the end (`1 day.`, `三天。`, `3 days!`, `2小時？`). Trimmed.
 */
export const sentenceWords = (text: string): string =>
  text
    .replace(/^(?:[\s\p{Extended_Pictographic}]|\uFE0F|\u200D)+/u, '')
    .replace(/(?:[\s.。!！?？…\p{Extended_Pictographic}]|\uFE0F|\u200D)+$/u, '')
    .trim();

/** The units of a mute, longest first; a year is 365 days, a month a calendar month (mute-length.ts). */
const UNIT_MS = { y: 365 * DAY_MS, mo: 0, w: 7 * DAY_MS, d: DAY_MS, h: 3_600_000, m: MINUTE_MS } as const;
type DurationUnit = keyof typeof UNIT_MS;
/** A month's share of the longest mute, to weigh months against it: 12 months are a year. */
const MONTH_SHARE_MS = (365 * DAY_MS) / 12;
/** The longest mute, as the refusal says it: a year (1y, 52w, 365d; 366d is more). */
export const MAX_MUTE_MS = UNIT_MS.y;

/** A duration's units as people write them, in English and Chinese, to the unit's letter. */
const DURATION_UNITS: Readonly<Record<string, DurationUnit>> = {
  ...Object.fromEntries(['m', 'min', 'mins', 'minute', 'minutes', '分', '分鐘', '分钟'].map((u) => [u, 'm'])),
  ...Object.fromEntries(['h', 'hr', 'hrs', 'hour', 'hours', '小時', '小时', '鐘頭', '钟头', '時', '时'].map((u) => [u, 'h'])),
  ...Object.fromEntries(['d', 'day', 'days', '天', '日'].map((u) => [u, 'd'])),
  ...Object.fromEntries(['w', 'wk', 'week', 'weeks', '週', '周', '星期', '禮拜', '礼拜'].map((u) => [u, 'w'])),
  // Never a bare `m` (minutes); 月 after its count (3個月, 三个月, 3月): a count of months here, no date.
  ...Object.fromEntries(['mo', 'mos', 'mth', 'mths', 'month', 'months', '月'].map((u) => [u, 'mo'])),
  ...Object.fromEntries(['y', 'yr', 'yrs', 'year', 'years', '年'].map((u) => [u, 'y'])),
};

/** A count, its unit and a half after it: `一天半`, `兩小時半`, `一百二十天半`. */
const HALF_AFTER_UNIT = new RegExp(`^(\\d+|[${HAN_NUMERALS}]{1,8})\\s*(天|日|小時|小时|鐘頭|钟头|週|周|星期|禮拜|礼拜)半$`);

/**
 * One part of a duration from where the last ended: a count (digits, a fraction, Chinese numerals
 * or 半) and its unit (the longest that fits: `minutes`, not `m` and `inutes`). A space between
 * the count and its unit only: `1 5h` is no count.
 */
const DURATION_PART = new RegExp(
  `\\s*(\\d+(?:[.,]\\d+)?|an?(?=\\s)|半|[${HAN_NUMERALS}]{1,8})\\s*(?:個|个)?(半)?\\s*(?:個|个)?\\s*(${Object.keys(DURATION_UNITS)
    .sort((a, b) => b.length - a.length)
    .join('|')})`,
  'y',
);

/**
 * A mute length: `30m`, `2h`, `1d`, `1w`, `3mo`, `1y` (at least a minute and up to a year), the
 * unit also spelt out (`2 hours`, `3 months`, `a week`), the count too (`two hours`), a fraction (`1.5h`), in Chinese (`2小時`, `一天`,
 * `兩週`, `半小時`, `3個月`), or several units from the largest down (`1h30m`, `2d 12h`,
 * `1小時30分`). Months are whole calendar months (mute-length.ts: their end is a date in the
 * chat's zone). A count of any length: `999999999999w` is too long a mute, not something other
 * than a duration.
 */
export function parseDuration(input: string): Parsed<MuteLength> {
  // A count with a capital M alone (3M, 1M): minutes here, but months on every chart range this
  // bot shows (1M, 3M, 6M). Asked, not guessed: a 3-minute mute for a meant quarter is worse.
  const capitalM = /^(?:for |in )?(\d+)\s*M$/.exec(sentenceWords(numberText(input)));
  if (capitalM !== null) return fail('chat.err.durationCapitalM', { input, n: Number(capitalM[1]) });
  // Parts joined as people join them: `1 month and 2 days`, `1 month, 2 days` (a comma in a number, 1,5h, stays).
  const s = sentenceWords(numberText(englishCounts(input)).toLowerCase())
    // A half said in words: `half an hour`, `an hour and a half`, `一天半`, `兩小時半` (一個半小時 is read below).
    .replace(/^half an? /, '0.5 ')
    .replace(/^(an?|\d+) (\w+) and a half$/, (_, n: string, unit: string) => `${/^an?$/.test(n) ? 1 : n}.5 ${unit}`)
    .replace(/^(\d+) and a half (\w+)$/, (_, n: string, unit: string) => `${n}.5 ${unit}`)
    // A whole one (一整天, 整整一週 is typed as 一週): one of it.
    .replace(/^(?:一|1)?整(?:個|个)?(天|日|週|周|星期|禮拜|礼拜|月|年)$/, '1$1')
    .replace(HALF_AFTER_UNIT, (all, n: string, unit: string) => {
      const count = countOf(n);
      return count === undefined ? all : `${count}.5${unit}`;
    })
    // A quarter of an hour as Chinese counts one (一刻鐘, 三刻钟, 1小時一刻): 15 minutes each.
    .replace(/(?<![\d一二兩两三])([1-3一二兩两三])\s*刻(?:鐘|钟)?$/, (_, n: string) => `${15 * (countOf(n) ?? 0)}分`)
    .replace(/\s*(?:,|，)\s+|\s*，\s*|\s+(?:and|&)\s+/g, ' ')
    // A fraction before its unit: `1/2 hour`, `3/4 hour`, `1/2小時` (1/2 alone is a date, read elsewhere).
    .replace(/(?<![\d/])(\d{1,2})\/([1-9]\d?)(?![\d/])(?=\s*[a-z\u3400-\u9fff])/g, (_, a: string, b: string) => String(Number(a) / Number(b)))
    // `for 2 hours`, `in 2 hours`, `2 hours from now`, `2小時後`, `2小时以后`: the length itself.
    .replace(/^(?:for|in)\s+/, '')
    .replace(/\s*(?:from now|later)$|\s*(?:之|以)?(?:後|后)$/, '');
  const units = Object.keys(UNIT_MS) as DurationUnit[];
  let total = 0;
  let months = 0;
  let last = -1;
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < s.length) {
    const from = DURATION_PART.lastIndex;
    const m = DURATION_PART.exec(s);
    // Minutes after hours without their unit, as a clock writes them: `1hr30`, `2h05`, `1小時30` (two
    // digits under 60: `1h90` and `1h 2` are no time).
    const tail = m === null && last === units.indexOf('h') ? /^\s*(\d{2})\s*$/.exec(s.slice(from)) : null;
    if (tail !== null && Number(tail[1]) < 60) {
      total += Number(tail[1]) * MINUTE_MS;
      break;
    }
    const unit = m === null ? undefined : DURATION_UNITS[m[3]!];
    // A count in digits (a fraction too: 1.5h), or in Chinese numerals (一天, 兩小時, 十二小時), or half of one (半小時).
    // `a week`, `an hour`: one.
    // And a half after a count (一個半小時, 兩個半鐘頭, 1個半小時): one and a half.
    // The separators as every number of the chat is read (domain/number-separators.ts): `1,5h` is 1.5 hours, `1,500m` asked.
    const digits = m !== null && /^\d/.test(m[1]!) ? numberSeparators(m[1]!) : undefined;
    if (digits?.ok === false) return fail('chat.err.numberEither', { input: m![1]!, decimal: digits.asDecimal, thousands: digits.asThousands });
    const whole = m === null ? undefined : m[1] === '半' ? 0.5 : /^an?$/.test(m[1]!) ? 1 : digits !== undefined ? Number(digits.text) : countOf(m[1]!);
    const count = whole === undefined || m?.[2] === undefined ? whole : m[1] === '半' ? undefined : whole + 0.5;
    // Each unit once, the larger first: `1h1h` and `30m2h` are no duration.
    const rank = unit === undefined ? -1 : units.indexOf(unit);
    if (m === null || unit === undefined || count === undefined || rank <= last) return fail('chat.err.duration', { input });
    // A month is a calendar month: a fraction of one (1.5 months, 半個月) has no length to take.
    if (unit === 'mo' && !Number.isInteger(count)) return fail('chat.err.durationMonths', { input });
    if (unit === 'mo') months = count;
    else total += count * UNIT_MS[unit];
    last = rank;
  }
  if (last === -1) return fail('chat.err.duration', { input });
  // Whole minutes: 0.01h is refused, not a 36-second mute.
  const ms = Math.round(total / MINUTE_MS) * MINUTE_MS;
  if (!((ms > 0 || months > 0) && months * MONTH_SHARE_MS + ms <= MAX_MUTE_MS)) return fail('chat.err.durationRange', { input });
  const few = fewSaid(input);
  return ok(few === undefined ? { months, ms } : { months, ms, fewSaid: few });
}

/** A range's two ends joined as people join them: `30 min to an hour`, `半小時到一小時`, `1h-1h30`, `30分鐘～1小時`. */
const LENGTH_RANGE = /^(.+?)\s*(?:-|–|~|～|到|至|\bto\b)\s*(.+)$/;
/** The units a range of lengths is said back in, largest first; a half of one is still said in it (1.5h). */
const RANGE_UNITS = [
  ['week', 7 * DAY_MS],
  ['day', DAY_MS],
  ['hour', UNIT_MS.h],
  ['minute', MINUTE_MS],
] as const;

/**
 * Two lengths, each with its unit, joined as a range (`半小時到一小時`, `30 min to an hour`, `1.5 to 2
 * hours`): refused as the range it is, its two ends said in the largest unit both are whole or half
 * counts of (30m or 60m, 1.5h or 2h). Else undefined.
 */
export function lengthRange(input: string): Parsed<never> | undefined {
  const m = LENGTH_RANGE.exec(sentenceWords(numberText(input)).toLowerCase());
  if (m === null) return undefined;
  const high = parseDuration(m[2]!);
  if (!high.ok || high.value.months > 0) return undefined;
  // The first end's unit left to the second's (1.5-2 hours, 一到一個半小時).
  const unit = /(?:\s*(?:個|个))?\s*[a-z\u3400-\u9fff]+$/.exec(m[2]!)?.[0] ?? '';
  const bare = /^(?:\d+(?:[.,]\d+)?|半|[一二兩两三四五六七八九十]{1,3})$/.test(m[1]!.trim());
  const low = parseDuration(bare ? `${m[1]!.trim()}${unit}` : m[1]!);
  if (!low.ok || low.value.months > 0 || !(low.value.ms < high.value.ms)) return undefined;
  const [name, ms] = RANGE_UNITS.find(([, u]) => low.value.ms >= u && low.value.ms % (u / 2) === 0 && high.value.ms % (u / 2) === 0) ?? RANGE_UNITS[3];
  return fail(SPAN_RANGE[name], { input, low: low.value.ms / ms, high: high.value.ms / ms });
}
