/** The alert a chat reads, built from the stored event in the chat's language at send time. */
import { t, type Lang } from '../domain/i18n/index.ts';
import { formatLevel, formatPct, formatRatio } from '../domain/i18n/format.ts';
import { ERAS, customLevel, distancePct, levelById, type Level } from '../domain/levels.ts';
import type { LevelEvent } from '../store/events.ts';

function levelOf(e: LevelEvent): Level {
  return levelById(e.levelId) ?? customLevel(e.pair, e.levelValue);
}

export function alertText(e: LevelEvent, lang: Lang): string {
  const level = levelOf(e);
  const key = e.kind === 'cross-up' || e.kind === 'cross-down' ? `alert.${e.kind}` : `alert.${e.kind}.${e.direction}`;
  const distance = formatPct(Math.abs(distancePct(e.value, level)), false);
  const lines = [
    t(lang, key, { pair: t(lang, `pair.${e.pair}`), level: formatLevel(level, lang), value: formatRatio(e.value), distance }),
    level.note[lang],
  ];
  const era = ERAS.find((x) => x.id === level.era);
  if (era !== undefined) lines.push(t(lang, 'alert.level.era', { era: era.name[lang] }));
  lines.push(t(lang, e.basis === 'close' ? 'alert.basis.close' : 'alert.basis.intraday', { date: e.date }));
  return lines.join('\n');
}
