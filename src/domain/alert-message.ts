/**
 * A decided level event as an outbox Message: built once when the event is decided, stored as
 * JSON, and read in each chat's language at send time (the texts are i18n keys, not sentences).
 */
import { fmtDate, formatLevel, formatPct, formatRatio } from './i18n/format.ts';
import { inEveryLang, type Lang } from './i18n/index.ts';
import type { PairId } from './instruments.ts';
import { ERAS, customLevel, distancePct, levelById, type Level } from './levels.ts';
import type { Message, Text } from './message.ts';

/** What an alert says about its event (store/events.ts LevelEvent has these fields). */
export interface AlertEvent {
  readonly date: string;
  readonly pair: PairId;
  readonly levelId: string;
  readonly kind: 'cross-up' | 'cross-down' | 'zone-enter' | 'zone-exit' | 'approach';
  readonly direction: 'up' | 'down';
  readonly value: number;
  readonly levelValue: number;
  readonly basis: 'close' | 'intraday';
}

function levelOf(e: AlertEvent): Level {
  return levelById(e.levelId) ?? customLevel(e.pair, e.levelValue);
}

/** The level in each language, by the one level formatter. */
function levelLabel(l: Level): Readonly<Record<Lang, string>> {
  return inEveryLang((lang) => formatLevel(l, lang));
}

export function alertMessage(e: AlertEvent): Message {
  const level = levelOf(e);
  const key = e.kind === 'cross-up' || e.kind === 'cross-down' ? `alert.${e.kind}` : `alert.${e.kind}.${e.direction}`;
  const distance = formatPct(Math.abs(distancePct(e.value, level)), false);
  const lines: Text[] = [level.note];
  const era = ERAS.find((x) => x.id === level.era);
  if (era !== undefined) lines.push({ key: 'alert.level.era', params: { era: era.name } });
  lines.push({ key: e.basis === 'close' ? 'alert.basis.close' : 'alert.basis.intraday', params: { date: inEveryLang((lang) => fmtDate(e.date, lang)) } });
  return {
    title: { key, params: { pair: { key: `pair.${e.pair}` }, level: levelLabel(level), value: formatRatio(e.value), distance } },
    lines,
    chart: { kind: 'alert', pair: e.pair, levelId: e.levelId, date: e.date, value: e.value, event: e.kind },
    mention: true,
    tone: e.direction,
  };
}
