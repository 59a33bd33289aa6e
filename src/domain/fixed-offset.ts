/**
 * A fixed UTC offset that no Etc zone holds (Etc zones are whole hours): UTC+3:30, UTC-3:30,
 * UTC+5:45. Kept as that very text, the offset as people write it, and read by our own clock
 * arithmetic: Node 20's Intl refuses offset zones. Whole hours stay Etc zones (Etc/GMT-8 is UTC+8).
 */

/** The half- and quarter-hour offsets clocks keep or have kept somewhere (tzdata, 2026). */
const IN_USE = new Set(['-9:30', '-3:30', '-2:30', '+3:30', '+4:30', '+5:30', '+5:45', '+6:30', '+8:45', '+9:30', '+10:30', '+12:45', '+13:45']);

const ZONE = /^UTC([+-])(\d{1,2}):(\d{2})$/;

/** The zone of a half- or quarter-hour offset in use (`+`, 3, 30 → UTC+3:30), or undefined for one no clock keeps (+3:07, +5:15). */
export function fractionalOffsetZone(sign: '+' | '-', hours: number, minutes: number): string | undefined {
  const offset = `${sign}${hours}:${String(minutes).padStart(2, '0')}`;
  return IN_USE.has(offset) ? `UTC${offset}` : undefined;
}

/** The offset from UTC, in ms, of a zone fractionalOffsetZone made (UTC+3:30: 3.5 h), or undefined for any other zone. */
export function fixedZoneOffsetMs(zone: string): number | undefined {
  const m = ZONE.exec(zone);
  if (m === null || !IN_USE.has(zone.slice(3))) return undefined;
  return (m[1] === '+' ? 1 : -1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
}

/** A wall clock's reading: the calendar date and the time of day, to the second (month 1-12, hour 0-23). */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const wallFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The wall clock of a zone at an instant, for either kind of zone: a fixed offset (UTC+3:30) is
 * UTC's clock moved by the offset, any other zone Intl's (and an unknown one throws Intl's
 * RangeError). The one place that tells the two apart: dates.ts (dateInZone), zoneOffsetMs and
 * chat/labels.ts (formatMoment) read their dates and times here.
 */
export function wallClock(instantMs: number, zone: string): WallClock {
  const fixed = fixedZoneOffsetMs(zone);
  if (fixed !== undefined) {
    const d = new Date(instantMs + fixed);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    };
  }
  // Building a formatter costs ~100 µs, formatting a few: keep one per zone.
  let f = wallFormatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    wallFormatters.set(zone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(instantMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { year: p.year!, month: p.month!, day: p.day!, hour: p.hour! % 24, minute: p.minute!, second: p.second! };
}

/** An offset from UTC as people write it: 5.5 h → UTC+5:30, 8 h → UTC+8, -3.5 h → UTC-3:30, 0 → UTC+0. */
export function offsetText(offsetMs: number): string {
  const total = Math.round(Math.abs(offsetMs) / 60_000);
  const minutes = total % 60;
  return `UTC${offsetMs < 0 ? '-' : '+'}${Math.floor(total / 60)}${minutes === 0 ? '' : `:${String(minutes).padStart(2, '0')}`}`;
}
