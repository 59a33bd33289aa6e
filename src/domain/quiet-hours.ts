/**
 * Quiet hours, pure: a chat's local window (`23:00-07:00` in an IANA zone) and, at an instant,
 * whether the chat is inside it and when the window ends. Time is an argument. The window is read
 * on the wall clock: 23:00-07:00 stays 23:00-07:00 local across a DST change, so the night it
 * covers is an hour shorter or longer in UTC, never shifted.
 */
import { numberText } from './han-fold.ts';
import { DAY_PARTS, parseDigestTime, namesDayPart, zoneOffsetMs, zonedInstant } from './digest-schedule.ts';
import { addDays } from './dates.ts';

export interface QuietSpan {
  /** 'HH:MM', local: the window starts here (inclusive)... */
  readonly start: string;
  /** ...and ends here (exclusive). Before `start`: the window crosses midnight. */
  readonly end: string;
}

export interface QuietWindow extends QuietSpan {
  /** IANA zone the wall clock is read in. */
  readonly zone: string;
}

/**
 * Whether a chat's zone is UTC for want of any (a subscription's until /digest or /quiet sets one): no zone the
 * chat chose, so a reply says UTC was taken, never "this chat's zone". A zone chosen as UTC reads the same
 * once stored: the replies that know it was typed (/digest 08:00 UTC) say it as set.
 */
export const isZoneUnset = (zone: string): boolean => zone === 'UTC';

/**
 * The chat's zone, for a time given without one and for the times it is shown: its digest's (kept
 * on the subscription by /digest; UTC until one is set), else its quiet hours', else UTC.
 */
export function chatZoneOf(digest: { readonly time: string | null; readonly timezone: string }, quiet: QuietWindow | undefined): string {
  return digest.time !== null || !isZoneUnset(digest.timezone) ? digest.timezone : (quiet?.zone ?? digest.timezone);
}

export type QuietSpanResult =
  | { readonly ok: true; readonly value: QuietSpan }
  | { readonly ok: false; readonly reason: 'format' | 'empty' }
  /** A window's shape whose side `time` holds a number but is no time of day (`25:00-07:00`, `23:00-7:75`). */
  | { readonly ok: false; readonly reason: 'time'; readonly time: string }
  /**
   * Two bare hours from 1 to 12 that, read on the 24-hour clock, make a window longer than 12
   * hours (`10-6`: 10:00-06:00, twenty hours): `typed` that window, `meant` the two of 12 hours or
   * less a reader may have meant (22:00-06:00, 10:00-18:00), to ask which.
   */
  | { readonly ok: false; readonly reason: 'ambiguous'; readonly typed: QuietSpan; readonly meant: readonly [QuietSpan, QuietSpan] };

/** What people put between a window's two times: a hyphen, dash or minus sign, a tilde (full-width from a Chinese keyboard), 至 or 到 (or `to`). */
const SEPARATORS = '-–—−~～－至到';
/** One separator, alone (chat/commands/quiet.ts joins a window typed as three words around it). */
export const SPAN_SEPARATOR = new RegExp(`^[${SEPARATORS}]$`);
/** Two times around the first separator; a time may hold a space (`11 pm - 7 am`, `11 pm to 7 am`). */
const SPAN = new RegExp(`^\\s*([^${SEPARATORS}]+?)\\s*(?:[${SEPARATORS}]|\\s(?:to|until|till|til)\\s)\\s*([^${SEPARATORS}]+?)\\s*$`, 'i');
/** The next day named before an end (次日早上7點, 第二天7点, 隔天早上6點): a window's end after its start is on the next day already. */
const NEXT_DAY = /^(?:次日|第二天|隔天|翌日|隔日)\s*/;
/**
 * Two Chinese times with nothing between them but the end's part of the day (晚10早7, 晚上10點早上7點,
 * 晚10次日早7): split where that part starts, after the start's last digit or 點.
 */
const GLUED = new RegExp(`^(.*?[\\d點点時时半分])\\s*((?:次日|第二天|隔天|翌日|隔日)?(?:${DAY_PARTS})\\s*[\\d零一二兩两三四五六七八九十].*)$`);

/**
 * `23:00-07:00` (also `23:00–07:00`, `23:00 - 07:00`, `23-7`, `11pm-7am`, `11 pm to 7 am`, `11 pm until 7 am`, `23:00～07:00`,
 * `23:00至07:00`, `晚上10點至次日早上7點`).
 * Each side is a time the digest accepts; the same time on both sides is an empty window and refused (not read as "all day").
 */
export function parseQuietSpan(input: string): QuietSpanResult {
  // A window said in a sentence: `from 10pm to 7am`, `between 10pm and 7am`, 從晚上10點到早上7點, ending 。.
  const said = numberText(input)
    .trim()
    .replace(/\s*[.。!！]+$/, '')
    .replace(/^(?:from|從|从|自)\s*/i, '')
    .replace(/^between\s+(.+?)\s+and\s+(.+)$/i, '$1 to $2');
  const m = SPAN.exec(said) ?? GLUED.exec(said);
  if (m === null) return { ok: false, reason: 'format' };
  const [, from = '', typedTo = ''] = m;
  const to = typedTo.replace(NEXT_DAY, '');
  const typedStart = parseDigestTime(from);
  const typedEnd = parseDigestTime(to);
  if (!typedStart.ok || !typedEnd.ok) {
    const bad = (typedStart.ok ? to : from).trim();
    return /[\d〇零一二兩两三四五六七八九十]/.test(bad) ? { ok: false, reason: 'time', time: bad } : { ok: false, reason: 'format' };
  }
  let start = typedStart.value;
  let end = typedEnd.value;
  // One side names its part of the day (9am, 5pm, 上午9點, 晚上10點) and the other is a bare hour
  // from 1 to 12 (5, 5:30, 5點, 五點; not 05, 17 or 0, which are the 24-hour clock's): the bare side
  // is read in whichever half of the day makes the window 12 hours or shorter, as people shorten a
  // span they say aloud. 9am-5 and 上午9點-5點 are 09:00-17:00 (not 09:00-05:00, twenty hours quiet);
  // 3pm-5 and 下午3點-5點 15:00-17:00; 1-5pm 13:00-17:00; 11-7am 23:00-07:00; 9-5pm stays 09:00-17:00
  // and 10pm-7, 晚上10點-7點 stay 22:00-07:00, across midnight. The two readings are 12 hours apart,
  // so exactly one gives a window longer than nothing and no longer than 12 hours.
  const fromPart = namesDayPart(from);
  const toPart = namesDayPart(to);
  if (fromPart && !toPart && bareTwelveHour(to, end)) end = shortWindowReading(end, (e) => windowMinutes(typedStart.value, e));
  if (toPart && !fromPart && bareTwelveHour(from, start)) start = shortWindowReading(start, (s) => windowMinutes(s, typedEnd.value));
  if (start === end) return { ok: false, reason: 'empty' };
  // Both bare (10-6, 9-5, 10點-6點): as written on the 24-hour clock, unless that keeps the chat
  // quiet more than 12 hours, which few mean; then asked, never guessed (9-5 may be 09:00-17:00 or
  // 21:00-05:00). Zero-padded (10:00-06:00) is the 24-hour clock's, taken as written.
  if (!fromPart && !toPart && bareTwelveHour(from, start) && bareTwelveHour(to, end) && windowMinutes(start, end) > 720)
    return {
      ok: false,
      reason: 'ambiguous',
      typed: { start, end },
      meant: [
        { start: otherHalf(start), end },
        { start, end: otherHalf(end) },
      ],
    };
  return { ok: true, value: { start, end } };
}

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
};

/** How long a window from `start` to `end` lasts, in minutes (0 when they are the same; across midnight when `end` is earlier). */
export const windowMinutes = (start: string, end: string): number => (minutesOf(end) - minutesOf(start) + 1440) % 1440;

/** A time typed as an hour from 1 to 12 without its part of the day: `5`, `5:30`, `5點`, `五點` (not `05`, `0`, `17`). */
export function bareTwelveHour(typed: string, hhmm: string): boolean {
  const h = Number(hhmm.slice(0, 2));
  return h >= 1 && h <= 12 && /^[1-9一二兩两三四五六七八九十]/.test(numberText(typed).trim());
}

/** `hhmm` or the same clock time in the other half of the day: the one whose window lasts more than nothing and at most 12 hours. */
function shortWindowReading(hhmm: string, length: (t: string) => number): string {
  const l = length(hhmm);
  return l > 0 && l <= 720 ? hhmm : otherHalf(hhmm);
}

/** The same clock time in the other half of the day: 05:30 ↔ 17:30, 12:00 ↔ 00:00. */
export const otherHalf = (hhmm: string): string => `${String((Number(hhmm.slice(0, 2)) + 12) % 24).padStart(2, '0')}${hhmm.slice(2)}`;

/** The wall clock in `zone` at an instant: its local date and minutes since local midnight. */
function wallClock(instantMs: number, zone: string): { readonly date: string; readonly minutes: number } {
  const local = new Date(instantMs + zoneOffsetMs(instantMs, zone));
  return { date: local.toISOString().slice(0, 10), minutes: local.getUTCHours() * 60 + local.getUTCMinutes() };
}

function inside(span: QuietSpan, minutes: number): boolean {
  const s = minutesOf(span.start);
  const e = minutesOf(span.end);
  return s < e ? minutes >= s && minutes < e : minutes >= s || minutes < e;
}

export function isQuiet(nowMs: number, w: QuietWindow): boolean {
  return inside(w, wallClock(nowMs, w.zone).minutes);
}

/**
 * The instants on `localDate` when the wall clock in `zone` first reads `time` or later: one on a
 * normal day, two when clocks go back through it (the hour repeats), and when clocks go forward
 * over it, the instant of the jump (the first moment the clock reads later than `time`).
 */
function wallInstants(localDate: string, time: string, zone: string): number[] {
  const first = zonedInstant(localDate, time, zone);
  const target = minutesOf(time);
  const seen = wallClock(first, zone);
  if (seen.date !== localDate || seen.minutes !== target) {
    // In a gap: zonedInstant moved past it. The clock jumped somewhere in the hour before.
    let lo = first - 3 * 3_600_000;
    let hi = first;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 2 / 60_000) * 60_000;
      const w = wallClock(mid, zone);
      if (w.date > localDate || (w.date === localDate && w.minutes >= target)) hi = mid;
      else lo = mid;
    }
    return [hi];
  }
  const out = [first];
  // The repeated hour: the same wall time again one offset change later.
  for (const shift of [30, 60, 120].map((m) => m * 60_000)) {
    const again = first + shift;
    const w = wallClock(again, zone);
    if (w.date === localDate && w.minutes === target) out.push(again);
  }
  return out;
}

/**
 * When the quiet window around `nowMs` ends (UTC ms), or undefined when `nowMs` is not inside it.
 * The end is the first instant after `nowMs` at which the local clock reaches `end`: in the
 * repeated hour of a DST change that is the next occurrence, not one already past.
 */
export function quietEnd(nowMs: number, w: QuietWindow): number | undefined {
  const wall = wallClock(nowMs, w.zone);
  if (!inside(w, wall.minutes)) return undefined;
  for (const date of [wall.date, addDays(wall.date, 1)]) {
    const next = wallInstants(date, w.end, w.zone).find((t) => t > nowMs);
    if (next !== undefined) return next;
  }
  throw new Error(`bug: no end of quiet window ${w.start}-${w.end} ${w.zone} after ${new Date(nowMs).toISOString()}`);
}

/**
 * Whether `nowMs` is inside the window; `until`: the window's end when inside, else the next instant
 * it starts; `validUntil`: the first instant a fresh look may answer differently, for callers that
 * reuse the answer (reading a zone's clock costs tens of µs: the dispatcher asks once per window,
 * not per row). That is `until`, unless the clocks change before it and the wall clock jumps out of
 * (or into) the window: 01:30-02:30 New York, quiet at 01:40 EDT, is not at 01:10 EST, ten minutes
 * after the clocks went back, though its end is 02:30 EST.
 */
export function quietState(nowMs: number, w: QuietWindow): { readonly quiet: boolean; readonly until: number; readonly validUntil: number } {
  const until = quietUntil(nowMs, w);
  const quiet = until.quiet;
  const change = offsetChange(nowMs, until.at, w.zone);
  const validUntil = change !== undefined && change < until.at && isQuiet(change, w) !== quiet ? change : until.at;
  return { quiet, until: until.at, validUntil };
}

function quietUntil(nowMs: number, w: QuietWindow): { readonly quiet: boolean; readonly at: number } {
  const end = quietEnd(nowMs, w);
  if (end !== undefined) return { quiet: true, at: end };
  const wall = wallClock(nowMs, w.zone);
  for (const date of [wall.date, addDays(wall.date, 1)]) {
    const next = wallInstants(date, w.start, w.zone).find((t) => t > nowMs);
    if (next !== undefined) return { quiet: false, at: next };
  }
  throw new Error(`bug: no start of quiet window ${w.start}-${w.end} ${w.zone} after ${new Date(nowMs).toISOString()}`);
}

/**
 * The first whole minute after `fromMs`, up to `toMs`, at which `zone`'s offset from UTC is no
 * longer what it was at `fromMs`; undefined when it is the same at both ends (a zone changes its
 * clocks at most twice a year, never twice within the day between them).
 */
function offsetChange(fromMs: number, toMs: number, zone: string): number | undefined {
  const before = zoneOffsetMs(fromMs, zone);
  if (zoneOffsetMs(toMs, zone) === before) return undefined;
  // Offsets change on whole minutes: search the minutes, the first one with the new offset.
  let lo = Math.floor(fromMs / 60_000);
  let hi = Math.ceil(toMs / 60_000);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (zoneOffsetMs(mid * 60_000, zone) === before) lo = mid;
    else hi = mid;
  }
  return hi * 60_000;
}

/** `2026-03-08 23:41` on the wall clock of `zone`: when something happened, as the chat's night read it. */
export function wallTime(instantMs: number, zone: string): string {
  const local = new Date(instantMs + zoneOffsetMs(instantMs, zone));
  return `${local.toISOString().slice(0, 10)} ${local.toISOString().slice(11, 16)}`;
}
