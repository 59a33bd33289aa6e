/** How chat replies name things: pairs, levels, a level's distance, a moment in the chat's time zone. */
import { t, type Lang } from '../domain/i18n/index.ts';
import type { PairId } from '../domain/instruments.ts';
import { isZone, type Level } from '../domain/levels.ts';

export const pairName = (lang: Lang, pair: PairId): string => t(lang, `pair.${pair}`);

/** `2.5`, or `0.6–0.7` for a zone. */
export function levelText(level: Pick<Level, 'low' | 'high'>): string {
  const n = (v: number) => String(Number(v.toPrecision(6)));
  return level.high > level.low ? `${n(level.low)}–${n(level.high)}` : n(level.low);
}

/** Distance from `value` to the level's nearest edge in % of `value`; 0 inside a zone. */
export function distancePct(value: number, level: Level): number {
  if (isZone(level) && value >= level.low && value <= level.high) return 0;
  const edge = value < level.low ? level.low : level.high;
  return ((edge - value) / value) * 100;
}

/** `2026-11-24 09:30 (Asia/Taipei)`: a moment in the chat's time zone. */
export function formatMoment(ms: number, timeZone: string): string {
  let zone = timeZone;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = fmt(zone).formatToParts(new Date(ms));
  } catch {
    // A zone the runtime does not know must not break the reply.
    zone = 'UTC';
    parts = fmt(zone).formatToParts(new Date(ms));
  }
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const hour = get('hour') === '24' ? '00' : get('hour');
  return `${get('year')}-${get('month')}-${get('day')} ${hour}:${get('minute')} (${zone})`;
}

function fmt(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}
