/**
 * How long a mute lasts: calendar months and a span of time. A month is no fixed number of
 * days, so `/mute 3 months` on Nov 21 ends on Feb 21, at the same time of day, in the chat's zone
 * (a month without that day ends on its last: Jan 31 + 1 month is the last day of February);
 * the rest (`2w`, `1d12h`) is added after, as a span.
 */
import { addMonths } from './dates.ts';
import { zonedInstant } from './digest-schedule.ts';
import { wallClock, type WallClock } from './fixed-offset.ts';

export interface MuteLength {
  /** Whole calendar months, counted in the chat's zone. */
  readonly months: number;
  /** The rest, in ms. */
  readonly ms: number;
}

const two = (n: number) => String(n).padStart(2, '0');

/** The instant a mute of `length` started at `nowMs` ends, its months counted on `zone`'s calendar. */
export function muteEnd(nowMs: number, length: MuteLength, zone: string): number {
  if (length.months === 0) return nowMs + length.ms;
  // A zone the runtime does not know counts on UTC's calendar (formatMoment shows it so too).
  let tz = zone;
  let w: WallClock;
  try {
    w = wallClock(nowMs, tz);
  } catch {
    tz = 'UTC';
    w = wallClock(nowMs, tz);
  }
  const date = addMonths(`${w.year}-${two(w.month)}-${two(w.day)}`, length.months);
  // The same wall-clock minute that day (seconds kept: every zone's offset is whole minutes).
  return zonedInstant(date, `${two(w.hour)}:${two(w.minute)}`, tz) + (nowMs % 60_000) + length.ms;
}
