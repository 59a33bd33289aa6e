/**
 * /mute's argument (errors are i18n keys, like chat/parse.ts): a length (chat/parse-duration.ts) or an
 * end (chat/parse-mute-until.ts), and what is asked instead of guessed (`3月`: March or three months;
 * `3M`: minutes or months; `until 2027`: a year or 20:27).
 */
import { numberText } from '../domain/han-fold.ts';
import type { MuteLength, MuteUntil } from '../domain/mute-length.ts';
import { ok } from '../domain/series.ts';
import { fail, spanRangeRefusal, WHICH_MONTH, type Parsed } from './parse.ts';
import { bareUnitSpan } from '../domain/span-unit-words.ts';
import { LANG_INFO, type Lang } from '../domain/i18n/index.ts';
import { eventOfNoDay, hanMonth, type SlashOrder } from './mute-day.ts';
import { dayIn } from './mute-event-day.ts';
import { lengthRange, parseDuration, sentenceWords } from './parse-duration.ts';
import { endThenZone, parseMuteUntil, slashOrderAsked } from './parse-mute-until.ts';
import { holidayEnd, unknownEnd } from './mute-named-ends.ts';
import { whichZoneError } from './labels.ts';

/** Half a day (半天, half a day): 12 hours, the reply saying so and offering the rest of the session (到收盤). */
const HALF_DAY = /^(?:for )?(?:half a day|a half day|half day|半天|半日|半天時間|半天时间)$/;

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
  // 3/4 in English (or no language known): March 4 or 3 April, asked, offering both (Chinese writes 月/日: read so; langs.ts `slashDates`).
  const order: SlashOrder = lang === undefined ? 'ask' : LANG_INFO[lang].slashDates;
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
  if (length.ok && HALF_DAY.test(sentenceWords(numberText(input).toLowerCase()).replace(/\s+/g, ' ')))
    return ok({ ...length.value, halfDaySaid: input.trim() });
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
  // A US market holiday (until thanksgiving): the last close before it.
  const holiday = today === undefined ? undefined : holidayEnd(input, today);
  if (holiday !== undefined) return ok(holiday);
  const until = parseMuteUntil(input, order, lang);
  if (until !== undefined) return ok(until);
  // What no clock of ours reads (到下班, 到台股收盤): refused saying what to type.
  const unknown = unknownEnd(input);
  if (unknown !== undefined) return unknown;
  // An end then a zone that names several (until 9am CST in English): which one is asked, naming them.
  const zoned = endThenZone(input, order, lang);
  if (zoned?.zone.kind === 'ambiguous') {
    const { key, params } = whichZoneError(lang ?? 'en', zoned.zone, 'chat.err.muteWhichZone', `/mute ${zoned.end} ${zoned.zone.choices[0]}`);
    return fail(key, params);
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
