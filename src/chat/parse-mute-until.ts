/**
 * A mute's end instead of its length (chat/parse-mute.ts asks for it after a length): `until monday 9am`,
 * `到明天早上`, `until 9am Taipei`, each as people type it; the day itself is chat/mute-day.ts's.
 */
import { namesDayPart, parseDigestTime, resolveTimeZoneIn, type ZoneAnswer } from '../domain/digest-schedule.ts';
import { numberText } from '../domain/han-fold.ts';
import type { MuteUntil } from '../domain/mute-length.ts';
import { bareTwelveHour } from '../domain/quiet-hours.ts';
import { nearestName } from '../domain/nearest.ts';
import type { Lang } from '../domain/i18n/index.ts';
import { DAY_WORDS, EOD, muteDay, SLASH_DATE, type SlashOrder } from './mute-day.ts';
import { sentenceWords } from './parse-duration.ts';

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
export function endThenZone(
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

/**
 * The longest time of day a reader types beside a mute's day (`at 07:30 p.m.`, `晚上九點半`, `9 in
 * the morning`), as Discord's time options are bounded (platforms/discord/manifest.ts: 64, a zone
 * too). Before, every split point of the end was tried: 30-90 ms for a 4,000-character word.
 */
export const TIME_TEXT_MAX = 64;

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
  // The afternoon's close (到下午收盤, 明天下午收盤) is that day's close, today's when no day is typed.
  x = x.replace(/^下午(?=收盤|收盘|收市)/, '今天').replace(/(?<=.)下午(?=收盤|收盘|收市)/, '');
  // The bell (until the bell): the closing bell while the market is open, else the next opening bell, as
  // chat/commands/settings.ts reads it at the moment typed; the reply says which.
  if (/^(?:the )?(?:market )?bell(?: rings)?$/.test(x)) return { day: { kind: 'market', event: 'close' }, said: 'bell' };
  const time = (s: string): string | undefined => {
    // 20h as Europe writes 20:00 only after until/到: alone, `5h` is five hours (`1 5h` no end at 15:00).
    if (!prefixed && /^\d+h\d*$/.test(s)) return undefined;
    const r = parseDigestTime(s.replace(/^(?:at|@)\s*/, ''));
    return r.ok ? r.value : undefined;
  };
  // Spaces between Chinese words and numbers are no part of them: 到 3 月, 到週一 早上9點.
  // Between two numbers a space stays: 12/24/2026 9am is a date and a time.
  x = dayPartWords(x.replace(/(?<=[\u3400-\u9fff])\s+(?=[\d\u3400-\u9fff])|(?<=\d)\s+(?=[\u3400-\u9fff])/g, ''));
  // 24:00 is the day's end: the next day's 00:00; so is tonight's midnight (今晚12點, 晚上十二點, 半夜, 午夜, midnight tonight,
  // tonight 12am), which read as today's 00:00 was refused as passed.
  if (
    /^24[:：]00$|^(?:今天)?晚上(?:12|十二)[點点](?:鐘|钟)?整?$|^(?:今天(?:晚上)?)?(?:半夜|午夜)(?:(?:12|十二)[點点](?:鐘|钟)?整?)?$|^(?:midnight tonight|tonight (?:at )?(?:midnight|12 ?am|12:00 ?am))$/.test(
      x,
    )
  )
    return { day: { kind: 'days', days: 1 } };
  const whole = muteDay(x, order, lang);
  if (whole !== undefined) {
    const said = COB_SAID.test(x) ? 'cob' : EOD_SAID.test(x) ? 'eod' : undefined;
    return said === undefined ? { day: whole } : { day: whole, said };
  }
  // A day then a time (`monday 9am`, `tomorrow at 9`, `明天早上9點`, `12月24日 9:00`), split where both
  // read; or a time then its day (`5pm tomorrow`, `9am on monday`). The time is the short side
  // (TIME_TEXT_MAX): split only that near either end, so a long line costs its length, not its square.
  for (let i = 1; i < x.length; i++) {
    if (i > TIME_TEXT_MAX && i < x.length - TIME_TEXT_MAX) i = x.length - TIME_TEXT_MAX;
    // Never inside a number or a date (13/13 is no 13/1 and a 3 o'clock).
    if (/[\d/.:-]/.test(x[i - 1]!) && /[\d/.:-]/.test(x[i]!)) continue;
    // The short side read first: the day, perhaps long, only when the time reads.
    const at = x.length - i <= TIME_TEXT_MAX ? time(x.slice(i).trim()) : undefined;
    const day = at === undefined ? undefined : muteDay(x.slice(0, i).trim(), order, lang);
    if (day !== undefined && at !== undefined) return { day, time: at };
    const first = i <= TIME_TEXT_MAX && /\s$/.test(x.slice(0, i + 1)) ? time(x.slice(0, i).trim()) : undefined;
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
