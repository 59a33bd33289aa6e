/** How chat replies name things: pairs, levels, a level's distance, a moment in the chat's time zone. */
import { hasKey, LANG_INFO, t, type Lang } from '../domain/i18n/index.ts';
import type { PairId } from '../domain/instruments.ts';
import type { Level } from '../domain/levels.ts';
import { fmtAgo, fmtDate, fmtList, formatLevel } from '../domain/i18n/format.ts';
import { fixedOffsetOf, zoneLabel, type ZoneAnswer } from '../domain/digest-schedule.ts';
import { wallClock, type WallClock } from '../domain/fixed-offset.ts';

export const pairName = (lang: Lang, pair: PairId): string => t(lang, `pair.${pair}`);

/** `2.5`, or `0.6–0.7` for a zone: the one level formatter (domain/i18n/format.ts). */
export const levelText = (level: Pick<Level, 'low' | 'high'>, lang: Lang): string => formatLevel(level, lang);

/**
 * Between a label and its value on one line: a space in English, a full-width colon in Chinese
 * (a space between two Han words reads as a typo there).
 */
export const labelSep = (lang: Lang): string => t(lang, 'chat.label.sep');

/** Between two words: a space in English, nothing where Han characters run together. */
export const gap = (lang: Lang): string => (LANG_INFO[lang].spacesBetweenWords ? ' ' : '');

/** The one distance to a level (to its nearest edge, % of the value): domain/levels.ts. */
export { distancePct, ratioNear } from '../domain/levels.ts';

/** `2026-11-24 09:30 (Taipei time)` / `2026年11月24日 09:30（台北時間）`: a moment in the chat's time zone, named by zoneName. */
export function formatMoment(ms: number, timeZone: string, lang: Lang): string {
  let zone = timeZone;
  let w: WallClock;
  try {
    w = wallClock(ms, zone);
  } catch {
    // A zone the runtime does not know must not break the reply.
    zone = 'UTC';
    w = wallClock(ms, zone);
  }
  const two = (n: number) => String(n).padStart(2, '0');
  const moment = `${fmtDate(`${String(w.year).padStart(4, '0')}-${two(w.month)}-${two(w.day)}`, lang)} ${two(w.hour)}:${two(w.minute)}`;
  return t(lang, 'moment.zone', { moment, zone: zoneName(lang, zone) });
}

/** A line for a zone that is a fixed offset (Etc/GMT-8 typed as UTC+8, UTC+3:30): that it does not follow daylight saving; none for a place's zone. */
export function fixedOffsetLines(lang: Lang, zone: string): string[][] {
  const offset = fixedOffsetOf(zone);
  return offset === undefined ? [] : [[t(lang, 'chat.zone.fixedOffset', { offset })]];
}

/** The zone as an input names it: UTC+8 for Etc/GMT-8 (domain/digest-schedule.ts); for examples of what to type. */
export { zoneLabel } from '../domain/digest-schedule.ts';

/**
 * A chat's zone as its readers name its clock (台北時間, 北京时间, Taipei time: the catalogue's
 * `zone.clock.*`, as the quiet summary's footer says it; else by its place, `zone.city.*`: 巴黎時間, Paris time),
 * else as zoneLabel (America/Boise, UTC+8).
 * For a setting said back; an example of what to type keeps zoneLabel, which /digest reads.
 */
export function zoneName(lang: Lang, zone: string): string {
  const named = `zone.clock.${zone}`;
  if (hasKey(named)) return t(lang, named);
  // A place the catalogue names but whose clock it does not (巴黎, 都柏林): its clock by the place (巴黎時間, Paris time).
  const city = `zone.city.${zone}`;
  return hasKey(city) && zone !== 'UTC' ? t(lang, 'zone.clock.ofCity', { city: t(lang, city) }) : zoneLabel(zone);
}

/**
 * A zone on a button, as its readers name the place (台北, 紐約, New York: the catalogue's `zone.city.*`),
 * else the IANA name's city (Los Angeles for America/Los_Angeles). The button's action keeps the IANA zone.
 */
export function zoneButtonLabel(lang: Lang, zone: string): string {
  const named = `zone.city.${zone}`;
  return hasKey(named) ? t(lang, named) : (fixedOffsetOf(zone) ?? (zone.split('/').at(-1) ?? zone).replaceAll('_', ' '));
}

/**
 * A clock offered beside another clock (Urumqi's two: 北京時間 and 新疆時間, Beijing time and Xinjiang
 * time): named as a clock, so the two labels read alike, not a city (北京) beside a clock; a zone the
 * catalogue names no clock of, as its button (zoneButtonLabel). Typed back, either is that clock.
 */
export function clockLabel(lang: Lang, zone: string): string {
  const clock = `zone.clock.${zone}`;
  return hasKey(clock) ? t(lang, clock) : zoneButtonLabel(lang, zone);
}

/**
 * A zone among an abbreviation's choices (IST: India, Dublin, Jerusalem), to be typed by its IANA name:
 * that name, with the place as its readers name it when that says more than the name's city does
 * (印度 Asia/Kolkata, 都柏林 Europe/Dublin, Asia/Shanghai for Beijing; America/Chicago alone in English).
 */
export function zoneChoiceNamed(lang: Lang, zone: string): string {
  const city = zoneButtonLabel(lang, zone);
  return city === (zone.split('/').at(-1) ?? zone).replaceAll('_', ' ') || city === zone ? zone : t(lang, 'zone.named', { city, zone });
}

/**
 * What a place typed as a zone that keeps two clocks is said to be (Urumqi: Beijing's, the official
 * one, and Xinjiang's own, two hours behind), first in /digest's, /quiet's and /mute's question
 * alike; undefined for a name of several zones (CST), each command asking that in its own words.
 */
export function twoClocksSaid(lang: Lang, z: { readonly abbreviation: string; readonly twoClocks?: true }): string | undefined {
  return z.twoClocks === true ? t(lang, 'zone.twoClocks', { place: z.abbreviation }) : undefined;
}

/**
 * The refusal of /quiet and /mute (no buttons: the zone is typed) for a zone typed that is not one:
 * `several` (their own words for CST's zones), or a place's two clocks said as twoClocksSaid says them;
 * each choice by its IANA name (zoneChoiceNamed), and `example` a line with the first.
 */
export function whichZoneError(
  lang: Lang,
  z: ZoneAnswer & { readonly kind: 'ambiguous' },
  several: string,
  example: string,
): { readonly key: string; readonly params: Record<string, string> } {
  const clocks = twoClocksSaid(lang, z);
  // A place's clocks each by its clock's name (北京時間 Asia/Shanghai, 新疆時間 Asia/Urumqi), as its buttons name them.
  const choices = fmtList(
    z.choices.map((c) => (clocks === undefined ? zoneChoiceNamed(lang, c) : t(lang, 'zone.named', { city: clockLabel(lang, c), zone: c }))),
    lang,
  );
  return clocks === undefined
    ? { key: several, params: { abbreviation: z.abbreviation, choices, example } }
    : { key: 'zone.whichClock', params: { clocks, choices, example } };
}

/** The day `ms` falls on in a zone (UTC when the runtime does not know it), printed the language's way. */
export function dayIn(ms: number, timeZone: string, lang: Lang): string {
  let w: WallClock;
  try {
    w = wallClock(ms, timeZone);
  } catch {
    w = wallClock(ms, 'UTC');
  }
  return fmtDate(`${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`, lang);
}

/**
 * When a stopped chat's alerts stopped, in its zone and language ("Stopped on 2026-11-03
 * (21 days ago)."); none when the store does not know (a stop older than migration 015).
 */
export function stoppedOnLines(lang: Lang, sub: { readonly deactivatedAt: number | null; readonly timezone: string }, nowMs: number): string[][] {
  if (sub.deactivatedAt === null) return [];
  const date = dayIn(sub.deactivatedAt, sub.timezone, lang);
  // Under a minute (a right taken and given back at once; another replica's clock a little ahead): no "0 min ago".
  if (nowMs - sub.deactivatedAt < 60_000) return [[t(lang, 'chat.sub.stoppedNow', { date })]];
  return [[t(lang, 'chat.sub.stoppedOn', { date, ago: fmtAgo(nowMs - sub.deactivatedAt, lang) })]];
}
