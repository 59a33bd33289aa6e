/**
 * /mute's argument (errors are i18n keys, like chat/parse.ts): a length (`2h`, `3 months`,
 * `一個半小時`) or an end (`until monday 9am`, `到明天早上`, `until 9am Taipei`), each as people type
 * it, and what is asked instead of guessed (`3月`: March or three months; `3M`: minutes or months).
 */
import { namesDayPart, parseDigestTime, resolveTimeZoneIn, type ZoneAnswer } from '../domain/digest-schedule.ts';
import { numberText } from '../domain/han-fold.ts';
import { countOf, englishCounts, fewSaid, HAN_NUMERALS } from '../domain/han-numbers.ts';
import type { MuteLength, MuteUntil } from '../domain/mute-length.ts';
import { bareTwelveHour } from '../domain/quiet-hours.ts';
import { ok } from '../domain/series.ts';
import { fail, SPAN_RANGE, spanRangeRefusal, WHICH_MONTH, type Parsed } from './parse.ts';
import { bareUnitSpan } from '../domain/span-unit-words.ts';
import { nearestName } from '../domain/nearest.ts';
import type { Lang } from '../domain/i18n/index.ts';
import { fmtList } from '../domain/i18n/format.ts';
import { DAY_WORDS, EOD, eventOfNoDay, hanMonth, muteDay, SLASH_DATE, type SlashOrder } from './mute-day.ts';
import { dayIn } from './mute-event-day.ts';

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
    const whole = m === null ? undefined : m[1] === '半' ? 0.5 : /^an?$/.test(m[1]!) ? 1 : /^\d/.test(m[1]!) ? Number(m[1]!.replace(',', '.')) : countOf(m[1]!);
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

/**
 * A part of the day a mute may end at without its hour, as calendars and mail apps read one: the
 * morning at 08:00, the afternoon at 13:00, the evening (tonight, 晚上, 今晚) at 18:00. The reply
 * names the end, so the reading is never silent; the night's small hours (夜裡, 深夜) are no end.
 */
const MUTE_DAY_PARTS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(['morning', '早上', '上午', '早晨', '清晨'].map((w) => [w, '08:00'])),
  ...Object.fromEntries(['afternoon', '下午'].map((w) => [w, '13:00'])),
  ...Object.fromEntries(['evening', 'night', '傍晚', '晚上', '晚間', '晚间'].map((w) => [w, '18:00'])),
};
const MUTE_DAY_PART = new RegExp(`^(.*?)\\s*(?:in the |the )?(${Object.keys(MUTE_DAY_PARTS).join('|')})$`);
/** A day and its part said as one word: tonight, this morning, 今晚, 明早. */
const dayPartWords = (x: string): string =>
  x
    // Tonight at an evening's time (tonight 10pm, tonight at 21:00): today's; an hour alone (tonight 9) is no reading.
    .replace(/^tonight (?=(?:at |@)?(?:\d{1,2}(?::\d{2})?\s*pm|(?:1[2-9]|2[0-3])[:：]\d{2})$)/, 'today ')
    .replace(/^tonight$/, 'today evening')
    .replace(/^this (morning|afternoon|evening)$/, 'today $1')
    // With a time after them too: 今晚10點, 明早9点.
    .replace(/^今(?:晚|夜)/, '今天晚上')
    .replace(/^今(?:早|晨)/, '今天早上')
    .replace(/^明(?:早|晨)/, '明天早上')
    .replace(/^明晚/, '明天晚上');

/**
 * A mute's end instead of its length: `until monday`, `tomorrow`, `until 2026-12-24`, `until Dec
 * 24`, `until 9am`, `until monday 9am`, `到明天`, `到下週一`, `直到周一`, `到週一早上9點`. A time alone
 * needs `until`/`到` or a clock's shape (`9am`, `9:00`, `9點`): `/mute 9` is no end. The instant
 * is the chat's own, or the zone's typed after it (mute-length.ts: muteUntilEnd).
 */
export function parseMuteUntil(input: string, order: SlashOrder = 'ask', lang?: Lang): MuteUntil | undefined {
  const end = readMuteUntil(input, order, lang);
  if (end !== undefined) return end;
  // A zone after the end (`until 9am Taipei`, `到晚上8點 台北`, `until 9am UTC+8`): the end read on that
  // zone's clock. A zone that names several (CST) is no reading: the words are refused.
  const zoned = endThenZone(input, order, lang);
  return zoned?.zone.kind === 'zone' ? { ...zoned.at, zone: zoned.zone.zone } : undefined;
}

/** An end, then the zone typed after it (one or two words), as typed: the zone may name several (CST in English). */
function endThenZone(
  input: string,
  order: SlashOrder,
  lang: Lang | undefined,
): { readonly at: MuteUntil; readonly end: string; readonly zone: ZoneAnswer } | undefined {
  // A zone in brackets glued to the end (到明天早上9點（台北）) is a word of its own.
  const words = sentenceWords(numberText(input))
    .replace(/\s*([(（[【][^()（）[\]【】]+[)）\]】])$/u, ' $1')
    .split(/\s+/);
  for (const k of [1, 2]) {
    if (words.length <= k) break;
    const zone = resolveTimeZoneIn(words.slice(-k).join(' '), lang);
    const end = words.slice(0, -k).join(' ');
    const at = zone.kind === 'unknown' ? undefined : readMuteUntil(end, order, lang);
    if (at !== undefined) return { at, end, zone };
  }
  return undefined;
}

/** Close of business and end of day as typed (mute-day.ts reads them): the reply says what each was read as. */
const COB_SAID = /(?:close of business|(?<![a-z])c\.?o\.?b(?![a-z])|end of business|(?<![a-z])eob(?![a-z]))/;
const EOD_SAID = EOD;

function readMuteUntil(input: string, order: SlashOrder, lang: Lang | undefined): MuteUntil | undefined {
  // What a sentence ends with is no part of the end: `until monday.`, `到明天。`, `until friday 🙏`.
  // A day's name misspelt (tomorow, tommorow, wendesday) is read as the day: the reply names the end.
  let x = sentenceWords(numberText(input).toLowerCase())
    .replace(/\s+/g, ' ')
    // As texts spell them: tonite, 2nite, 2morrow, 2moro (before typos are read: `morrow` is no typo here).
    .replace(/(?<![a-z0-9])(?:tonite|2nite)(?![a-z0-9])/g, 'tonight')
    .replace(/(?<![a-z0-9])nite(?![a-z0-9])/g, 'night')
    // Overnight, for the night: until the next morning (its 08:00, as a morning is read below).
    .replace(/^(?:overnight|over night|for the night|through the night|(?:整晚|一整晚|今晚整夜|過夜|过夜))$/, 'morning')
    .replace(/(?<![a-z0-9])(?:2morrow|2morow|2moro|2mrw|tmw|tomoz)(?![a-z0-9])/g, 'tomorrow')
    .replace(/[a-z]{5,}/g, (w) => nearestName(w, DAY_WORDS) ?? w);
  // Before a close or an open is until it (before tomorrow's close, 明天收盤前, 收盘之前): the mute ends as the market does.
  x = x
    .replace(/^(?:(?:right|just) )?(?:before|by) (?=(?:.+ )?(?:close|closing|open|opening|cob|c\.o\.b\.?|close of business|eob)(?: bell)?$)/, 'until ')
    .replace(/(收盤|收盘|收市|開盤|开盘|開市|开市)(?:之|以)?前$/, '$1')
    // After the close is once it has come (until after the close, 到收盤後): the close.
    .replace(/^((?:until|till|til) )after (?=(?:the )?(?:market )?(?:close|closing|open|opening)(?: bell)?$)/, '$1')
    .replace(/(收盤|收盘|收市|開盤|开盘|開市|开市)(?:之|以)?(?:後|后)$/, '$1');
  // `to` of `tomorrow` is no prefix: an English one is a whole word.
  const PREFIX = /^(?:(?:until|untill|unitl|till|til|to)\b|直到|到|至)\s*/;
  const prefixed = PREFIX.test(x);
  x = x
    .replace(PREFIX, '')
    .replace(/\s*(?:為止|为止)$/, '')
    .trim();
  if (x === '') return undefined;
  const time = (s: string): string | undefined => {
    // 20h as Europe writes 20:00 only after until/到: alone, `5h` is five hours (`1 5h` no end at 15:00).
    if (!prefixed && /^\d+h\d*$/.test(s)) return undefined;
    const r = parseDigestTime(s.replace(/^(?:at|@)\s*/, ''));
    return r.ok ? r.value : undefined;
  };
  // Spaces between Chinese words and numbers are no part of them: 到 3 月, 到週一 早上9點.
  // Between two numbers a space stays: 12/24/2026 9am is a date and a time.
  x = dayPartWords(x.replace(/(?<=[\u3400-\u9fff])\s+(?=[\d\u3400-\u9fff])|(?<=\d)\s+(?=[\u3400-\u9fff])/g, ''));
  // 24:00 is the day's end: the next day's 00:00; so is tonight's midnight (今晚12點, 晚上十二點, midnight tonight,
  // tonight 12am), which read as today's 00:00 was refused as passed.
  if (/^24[:：]00$|^(?:今天)?晚上(?:12|十二)[點点](?:鐘|钟)?整?$|^(?:midnight tonight|tonight (?:at )?(?:midnight|12 ?am|12:00 ?am))$/.test(x))
    return { day: { kind: 'days', days: 1 } };
  const whole = muteDay(x, order, lang);
  if (whole !== undefined) {
    const said = COB_SAID.test(x) ? 'cob' : EOD_SAID.test(x) ? 'eod' : undefined;
    return said === undefined ? { day: whole } : { day: whole, said };
  }
  // A day then a time (`monday 9am`, `tomorrow at 9`, `明天早上9點`, `12月24日 9:00`), split where both
  // read; or a time then its day (`5pm tomorrow`, `9am on monday`).
  for (let i = 1; i < x.length; i++) {
    // Never inside a number or a date (13/13 is no 13/1 and a 3 o'clock).
    if (/[\d/.:-]/.test(x[i - 1]!) && /[\d/.:-]/.test(x[i]!)) continue;
    const day = muteDay(x.slice(0, i).trim(), order, lang);
    const at = day === undefined ? undefined : time(x.slice(i).trim());
    if (day !== undefined && at !== undefined) return { day, time: at };
    const first = /\s$/.test(x.slice(0, i + 1)) ? time(x.slice(0, i).trim()) : undefined;
    const then =
      first === undefined
        ? undefined
        : muteDay(
            x
              .slice(i)
              .trim()
              .replace(/^on\s+/, ''),
            order,
            lang,
          );
    if (first !== undefined && then !== undefined) return { day: then, time: first };
  }
  const alone = time(x);
  // Without until, digits alone (9, 1 30) are no end: a length was more likely meant.
  if (alone !== undefined && (prefixed || !/^[\d\s]+$/.test(x))) {
    const typed = x.replace(/^(?:at|@)\s*/, '');
    return !namesDayPart(typed) && bareTwelveHour(typed, alone) ? { time: alone, eitherHalf: true } : { time: alone };
  }
  // A part of the day, after a day or alone (`tomorrow morning`, `tonight`, `到明天下午`, `到晚上`).
  const part = MUTE_DAY_PART.exec(dayPartWords(x));
  if (part !== null) {
    const at = MUTE_DAY_PARTS[part[2]!]!;
    if (part[1] === '') return { time: at };
    const day = muteDay(part[1]!.trim(), order, lang);
    if (day !== undefined) return { day, time: at };
  }
  return undefined;
}

/**
 * A slash date in `input` that English readers read two ways (3/4: March 4 in the US, 3 April in
 * Europe), as its two readings, month first; undefined when there is none or it reads one way.
 */
export function slashOrderAsked(input: string): { readonly typed: string; readonly md: [number, number] } | undefined {
  for (const word of sentenceWords(numberText(input)).split(/\s+/)) {
    const m = SLASH_DATE.exec(word.replace(/^(?:until|till|til|to)?/i, ''));
    if (m === null) continue;
    const [a, b] = [Number(m[1]), Number(m[2])];
    if (a !== b && a <= 12 && b <= 12 && a >= 1 && b >= 1) return { typed: `${m[1]}/${m[2]}`, md: [a, b] };
  }
  return undefined;
}

/** Words that say a length is about so long, before it or after it. */
const ABOUT_BEFORE = /^(?<before>about|around|roughly|approximately|approx\.?|~|約|约|大約|大约|大概)\s*(?<rest>.+)$/i;
const ABOUT_AFTER = /^(?<rest>.+?)\s*(?<after>or so|-?ish|左右|上下)$/i;

/** A mute for good, as people ask for one: no end (the longest is a year). */
const FOREVER =
  /^(?:for ?ever|indefinitely|permanently|for good|always|no end|until further notice|永久|永遠|永远|一直|無限期|无限期|無期限|无期限|永久靜音|永久静音|一直靜音|一直静音)$/;
const EN_MONTHS_FULL = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const EN_MONTH_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** /mute's argument: a length (parseDuration), else an end (parseMuteUntil); neither is refused as no duration. */
export function parseMuteArg(input: string, lang: Lang | undefined, today?: string): Parsed<MuteLength | MuteUntil> {
  // until 2027: a year ahead or 20:27, as a clock of four digits reads (0830): asked, offering both.
  const four = /^(?:until|till|til|to|到|直到)\s*((\d{2})(\d{2}))$/.exec(sentenceWords(numberText(input).toLowerCase()).trim());
  if (four !== null && today !== undefined && Number(four[1]) >= Number(today.slice(0, 4)) && Number(four[2]) <= 23 && Number(four[3]) <= 59) {
    return fail('chat.err.muteYearOrTime', { input: four[1]!, time: `${four[2]}:${four[3]}`, date: `${four[1]}-01-01` });
  }
  // For good (forever, 永久, 一直): no mute lasts that long; said so, with the longest and /unsubscribe.
  if (FOREVER.test(sentenceWords(numberText(input).toLowerCase()).replace(/\s+/g, ' '))) return fail('chat.err.muteForever', { input });
  // 3/4 in English (or no language known): March 4 or 3 April, asked, offering both (Chinese writes 月/日: read so).
  const order: SlashOrder = lang === 'zh-TW' || lang === 'zh-CN' ? 'md' : 'ask';
  // 幾月 asks which month (幾個月 is a few months): no month and no length to read.
  if (
    WHICH_MONTH.test(
      sentenceWords(numberText(input))
        .replace(/\s+/g, '')
        .replace(/^(?:until|till|到|直到)/i, ''),
    )
  ) {
    return fail('chat.err.whichMonth.mute', { input: input.trim() });
  }
  // 3月 alone is March, not three months (3個月): which was meant is asked, offering both.
  const month = hanMonth(numberText(input).replace(/\s+/g, ''));
  if (month !== undefined) return fail('chat.err.muteMonthName', { input, n: month });
  // A month and its day (12月24日, 1月5號) is a date: months and days as a length are written 3個月15天.
  if (/^\s*\d{1,2}\s*月\s*\d{1,2}\s*[日號号]\s*$/.test(numberText(input))) {
    const date = parseMuteUntil(input, order, lang);
    if (date !== undefined) return ok(date);
  }
  // A length said about (`an hour or so`, `about 2 hours`, `2h-ish`, 一個小時左右, 大約兩小時): that length, the reply saying so.
  const about = ABOUT_BEFORE.exec(input.trim()) ?? ABOUT_AFTER.exec(input.trim());
  if (about !== null) {
    const [rest, word] = about.groups?.before !== undefined ? [about.groups.rest!, about.groups.before] : [about.groups!.rest!, about.groups!.after!];
    const length = parseDuration(bareUnitSpan(rest) ?? rest);
    if (length.ok && word !== '') return ok({ ...length.value, aboutSaid: input.trim() });
  }
  // A unit alone is one of it (`week`, 週, `month`: a week, a month).
  const bare = bareUnitSpan(input);
  const length = parseDuration(bare ?? input);
  if (length.ok || (bare === undefined && length.error.key !== 'chat.err.duration')) return length;
  // A length first: 1/2 hour is half an hour, no date.
  const asked = order === 'ask' ? slashOrderAsked(input) : undefined;
  if (asked !== undefined) {
    const [a, b] = asked.md;
    return fail('chat.err.muteSlashDate', {
      input: asked.typed,
      md: `${EN_MONTHS_FULL[a - 1]} ${b}`,
      dm: `${a} ${EN_MONTHS_FULL[b - 1]}`,
      mdEx: `${EN_MONTH_SHORT[a - 1]} ${b}`,
      dmEx: `${EN_MONTH_SHORT[b - 1]} ${a}`,
    });
  }
  const until = parseMuteUntil(input, order, lang);
  if (until !== undefined) return ok(until);
  // An end then a zone that names several (until 9am CST in English): which one is asked, naming them.
  const zoned = endThenZone(input, order, lang);
  if (zoned?.zone.kind === 'ambiguous') {
    const { abbreviation, choices } = zoned.zone;
    return fail('chat.err.muteWhichZone', { abbreviation, choices: fmtList(choices, lang ?? 'en'), example: `/mute ${zoned.end} ${choices[0]}` });
  }
  // The close of a month, a week or the weekend (until march close, 下週收盤, 到週末收盤): no one day's; a trading day that works is named.
  const noDay = today === undefined ? undefined : closeOfNoDay(input, order, lang, today);
  if (noDay !== undefined) return noDay;
  // A range (`a day or two`, 兩三天, 半小時到一小時): one length is needed, its ends the example.
  const range = input.replace(/^\s*(?:for|in)\s+/i, '');
  return spanRangeRefusal(range, 'lengths') ?? lengthRange(range) ?? fail('chat.err.duration', { input });
}

/**
 * A close or an open of what is no one day (`until march close`, `next week's close`, 到下週收盤, 週末收盤):
 * refused naming a trading day in it that would work, as it is typed. Else undefined.
 */
function closeOfNoDay(input: string, order: SlashOrder, lang: Lang | undefined, today: string): Parsed<never> | undefined {
  const x = sentenceWords(numberText(input).toLowerCase())
    .replace(/\s+/g, ' ')
    .replace(/^(?:(?:right|just) )?(?:before|by|until|till|til|to) |^(?:直到|到|至)\s*/, '')
    .replace(/(?<=[\u3400-\u9fff])\s+(?=[\d\u3400-\u9fff])|(?<=\d)\s+(?=[\u3400-\u9fff])/g, '')
    .replace(/(收盤|收盘|收市|開盤|开盘|開市|开市)(?:之|以)?前$/, '$1');
  const named = eventOfNoDay(x, order, lang);
  const date = named === undefined ? undefined : dayIn(named.day, named.event, today);
  if (named === undefined || date === undefined) return undefined;
  return fail(`chat.err.muteEventNoDay.${named.event}`, { input: input.trim(), date }, { dates: ['date'] });
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
function lengthRange(input: string): Parsed<never> | undefined {
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
