/**
 * A mute's typed end (until monday 9am, 到明天早上) as a zone button carries it: `mute:<end>.<at>:<zone>`,
 * where <end> is the end read back to its parts (a day, a time) and <at> the moment it was typed
 * (seconds, base 36), so a press reads the SAME end, typed then, on that zone's clock: "tomorrow"
 * pressed the day after is still the day it meant. Within Telegram's 64 bytes of callback_data
 * (the longest, a date with a time in America/New_York, is about 45).
 *
 * <end> is `<day>_<time>`: day '' (a time alone), `d20261224`, `m1224`, `w1`/`W1` (of next week),
 * `+1` (days from today), `x1` (`next monday`, typed so), `e`/`E` (this or next weekend), `o24` (a day of the month), `M3`, `n`
 * (next month), `y` (next year), `L5` (the first lunar month's 5th, `L0` its eve); time '' (a day's
 * 00:00), `0900`, or `0900h` (either half of the day); then `e` when typed as the end of day (EOD, 今天結束),
 * whose line the reply says again.
 */
import { daysBetween, isIsoDate } from '../domain/dates.ts';
import type { MuteDay, MuteUntil } from '../domain/mute-length.ts';
import { lunarDay } from './mute-day.ts';

const two = (n: number): string => String(n).padStart(2, '0');

function dayCode(d: MuteDay | undefined, time: string | undefined): string | undefined {
  if (d === undefined) return '';
  switch (d.kind) {
    case 'date':
      return `d${d.date.replaceAll('-', '')}`;
    case 'monthDay':
      return `m${two(d.month)}${two(d.day)}`;
    case 'weekday':
      return `${d.nextWeek ? 'W' : d.nextSaid === true ? 'x' : 'w'}${d.weekday}`;
    case 'days':
      return `+${d.days}`;
    // Without a time, the week's last close: New York's, its week read on New York's calendar in a chat with no zone.
    case 'weekend':
      return time === undefined ? undefined : d.next ? 'E' : 'e';
    case 'dayOfMonth':
      return `o${d.day}`;
    case 'month':
      return `M${d.month}`;
    case 'nextMonth':
      return 'n';
    case 'nextYear':
      return 'y';
    case 'nextOf': {
      // A day of the lunar table (its eve, New Year's Day, 初五, 元宵): its day of the first month.
      const first = d.dates[0];
      const n = first === undefined ? undefined : daysBetween(lunarDay(1)[0]!, first) + 1;
      return n !== undefined && lunarDay(n).join() === d.dates.join() ? `L${n}` : undefined;
    }
    // New York's open or close: no reader's clock to read it on.
    case 'market':
      return undefined;
  }
}

/**
 * `until` as a button carries it with the moment it was typed, or undefined when no zone would
 * change it: typed with its own zone, or the market's open or close (New York's), the weekend's among them.
 */
export function muteEndCode(until: MuteUntil, typedAtMs: number): string | undefined {
  if (until.zone !== undefined) return undefined;
  const day = dayCode(until.day, until.time);
  if (day === undefined) return undefined;
  const time = until.time === undefined ? '' : `${until.time.replace(':', '')}${until.eitherHalf === true ? 'h' : ''}`;
  // End of day said (EOD, 今天結束): its line is said again on a press.
  return `${day}_${time}${until.said === 'eod' ? 'e' : ''}.${Math.floor(typedAtMs / 1000).toString(36)}`;
}

function readDay(code: string): MuteDay | undefined | false {
  if (code === '') return undefined;
  const m = /^(?:d(\d{4})(\d\d)(\d\d)|m(\d\d)(\d\d)|([wWx])([0-6])|\+(\d\d?)|([eE])|o(\d\d?)|M(\d\d?)|(n)|(y)|L(\d\d?))$/.exec(code);
  if (m === null) return false;
  if (m[1] !== undefined) {
    const date = `${m[1]}-${m[2]}-${m[3]}`;
    return isIsoDate(date) ? { kind: 'date', date } : false;
  }
  if (m[4] !== undefined) {
    const month = Number(m[4]);
    const day = Number(m[5]);
    // A day some year has (Feb 29 a leap year's, 2000): a day no year has (Feb 31, April 31) would
    // send muteUntilEnd looking for its next coming year after year, for ever.
    return isIsoDate(`2000-${m[4]}-${m[5]}`) ? { kind: 'monthDay', month, day } : false;
  }
  if (m[6] !== undefined) {
    const weekday = Number(m[7]);
    return m[6] === 'x' ? { kind: 'weekday', weekday, nextWeek: false, nextSaid: true } : { kind: 'weekday', weekday, nextWeek: m[6] === 'W' };
  }
  if (m[8] !== undefined) return { kind: 'days', days: Number(m[8]) };
  if (m[9] !== undefined) return { kind: 'weekend', next: m[9] === 'E' };
  if (m[10] !== undefined) return Number(m[10]) >= 1 && Number(m[10]) <= 31 ? { kind: 'dayOfMonth', day: Number(m[10]) } : false;
  if (m[11] !== undefined) return Number(m[11]) >= 1 && Number(m[11]) <= 12 ? { kind: 'month', month: Number(m[11]) } : false;
  if (m[12] !== undefined) return { kind: 'nextMonth' };
  if (m[13] !== undefined) return { kind: 'nextYear' };
  return Number(m[14]) <= 15 ? { kind: 'nextOf', dates: lunarDay(Number(m[14])) } : false;
}

/** A button's `<end>.<at>` read back, or undefined when it is no such code (forged, or from no keyboard of ours). */
export function readMuteEndCode(code: string): { readonly until: MuteUntil; readonly typedAtMs: number } | undefined {
  const m = /^([^_.]*)_(?:(\d\d)(\d\d)(h?))?(e?)\.([0-9a-z]{1,8})$/.exec(code);
  if (m === null) return undefined;
  const day = readDay(m[1]!);
  if (day === false) return undefined;
  if (m[2] !== undefined && (Number(m[2]) > 23 || Number(m[3]) > 59)) return undefined;
  // A day needs no time (its 00:00); no day and no time is no end.
  if (day === undefined && m[2] === undefined) return undefined;
  const until: MuteUntil = {
    ...(day !== undefined ? { day } : {}),
    ...(m[2] !== undefined ? { time: `${m[2]}:${m[3]}` } : {}),
    ...(m[4] === 'h' ? { eitherHalf: true as const } : {}),
    ...(m[5] === 'e' ? { said: 'eod' as const } : {}),
  };
  return { until, typedAtMs: parseInt(m[6]!, 36) * 1000 };
}
