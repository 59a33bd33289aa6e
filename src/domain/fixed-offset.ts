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

/** An offset from UTC as people write it: 5.5 h → UTC+5:30, 8 h → UTC+8, -3.5 h → UTC-3:30, 0 → UTC+0. */
export function offsetText(offsetMs: number): string {
  const total = Math.round(Math.abs(offsetMs) / 60_000);
  const minutes = total % 60;
  return `UTC${offsetMs < 0 ? '-' : '+'}${Math.floor(total / 60)}${minutes === 0 ? '' : `:${String(minutes).padStart(2, '0')}`}`;
}
