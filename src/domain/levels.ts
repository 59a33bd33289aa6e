/**
 * The essay's levels, as data. A level is a line (`value`) or a zone (`low`..`high`).
 * Chats may add their own levels per pair (custom levels carry ids like `spx-gold-custom-1.8`).
 */
import type { PairId } from './instruments.ts';
import { inEveryLang, t, type Lang } from './i18n/index.ts';
import { formatLevelValue, formatRatio, formatRatioBeside } from './i18n/format.ts';

// Names and notes are texts like any other: in the catalogue (i18n/levels.ts), read here in every language.
const eraName = (id: Era['id']) => inEveryLang((lang) => t(lang, `era.${id}`));
const levelNote = (id: string) => inEveryLang((lang) => t(lang, `level.note.${id}`));

export type LevelKind = 'resistance' | 'support' | 'ceiling' | 'floor' | 'custom';

export interface Era {
  readonly id: 'bubble' | 'gold' | 'qe' | 'reset';
  readonly from: string;
  /** Inclusive last date; undefined for the current era. */
  readonly to: string | undefined;
  readonly name: Readonly<Record<Lang, string>>;
}

/** The four eras the essay reads the ratios through. */
export const ERAS: readonly Era[] = [
  {
    id: 'bubble',
    from: '1999-01-01',
    to: '2002-12-31',
    name: eraName('bubble'),
  },
  {
    id: 'gold',
    from: '2003-01-01',
    to: '2011-12-31',
    name: eraName('gold'),
  },
  {
    id: 'qe',
    from: '2012-01-01',
    to: '2024-12-31',
    name: eraName('qe'),
  },
  { id: 'reset', from: '2025-01-01', to: undefined, name: eraName('reset') },
];

export interface Level {
  /** `spx-gold-2.5`, `spx-gold-0.6-0.7`, `qqq-gold-0.03`. */
  readonly id: string;
  readonly pair: PairId;
  readonly kind: LevelKind;
  /** For a line, low === high. */
  readonly low: number;
  readonly high: number;
  readonly era: Era['id'] | undefined;
  readonly note: Readonly<Record<Lang, string>>;
}

export const isZone = (l: Level): boolean => l.high > l.low;

/** The level's representative value: the line, or the middle of the zone. */
export const levelValue = (l: Level): number => (l.low + l.high) / 2;

export const ESSAY_LEVELS: readonly Level[] = [
  {
    id: 'spx-gold-5.5',
    pair: 'spx-gold',
    kind: 'resistance',
    low: 5.5,
    high: 5.5,
    era: 'bubble',
    note: levelNote('spx-gold-5.5'),
  },
  {
    id: 'spx-gold-2.5',
    pair: 'spx-gold',
    kind: 'resistance',
    low: 2.5,
    high: 2.5,
    era: 'qe',
    note: levelNote('spx-gold-2.5'),
  },
  {
    id: 'spx-gold-0.6-0.7',
    pair: 'spx-gold',
    kind: 'support',
    low: 0.6,
    high: 0.7,
    era: 'gold',
    note: levelNote('spx-gold-0.6-0.7'),
  },
  {
    id: 'qqq-gold-0.4',
    pair: 'qqq-gold',
    kind: 'ceiling',
    low: 0.4,
    high: 0.4,
    era: 'bubble',
    note: levelNote('qqq-gold-0.4'),
  },
  {
    id: 'qqq-gold-0.25',
    pair: 'qqq-gold',
    kind: 'resistance',
    low: 0.25,
    high: 0.25,
    era: 'qe',
    note: levelNote('qqq-gold-0.25'),
  },
  {
    id: 'qqq-gold-0.03',
    pair: 'qqq-gold',
    kind: 'floor',
    low: 0.03,
    high: 0.03,
    era: 'gold',
    note: levelNote('qqq-gold-0.03'),
  },
];

export function essayLevels(pair: PairId): Level[] {
  return ESSAY_LEVELS.filter((l) => l.pair === pair);
}

export function levelById(id: string): Level | undefined {
  return ESSAY_LEVELS.find((l) => l.id === id);
}

/**
 * The one distance from a value to a level, in % of the value: to the nearest edge of a zone (0
 * inside it), negative when the level is below. Chart, chat, alerts, CLI and digest all use it.
 */
export function distancePct(value: number, level: Pick<Level, 'low' | 'high'>): number {
  if (value >= level.low && value <= level.high) return 0;
  const edge = value < level.low ? level.low : level.high;
  return ((edge - value) / value) * 100;
}

/** A chat's own level: a line at `value`. */
export function customLevel(pair: PairId, value: number): Level {
  const text = formatLevelValue(value);
  return {
    id: `${pair}-custom-${text}`,
    pair,
    kind: 'custom',
    low: value,
    high: value,
    era: undefined,
    // Its value is said beside it wherever it is shown (1.8 This chat's level, 2.45 · This chat's level): not again in the note.
    note: inEveryLang((lang) => t(lang, 'level.note.custom')),
  };
}

/** The era a date falls in. */
export function eraOf(date: string): Era | undefined {
  return ERAS.find((e) => date >= e.from && (e.to === undefined || date <= e.to));
}

export interface NearestLevels {
  /** The nearest level strictly above the value, with its distance in % of the value. */
  readonly above: { level: Level; distancePct: number } | undefined;
  readonly below: { level: Level; distancePct: number } | undefined;
  /** A zone the value is inside, if any. */
  readonly inside: Level | undefined;
  /**
   * A line the value is exactly on, if any: neither up nor down, and no zone to be inside
   * (QQQ/Gold closed at 27.33 / 911 = 0.03 on 2009-03-04, and /ratio named no 0.03 at all).
   */
  readonly on: Level | undefined;
}

export function nearestLevels(value: number, levels: readonly Level[]): NearestLevels {
  let above: NearestLevels['above'];
  let below: NearestLevels['below'];
  let inside: Level | undefined;
  let on: Level | undefined;
  for (const l of levels) {
    if (value >= l.low && value <= l.high && isZone(l)) {
      inside = l;
      continue;
    }
    if (value === l.low && !isZone(l)) {
      on = l;
      continue;
    }
    const d = distancePct(value, l);
    if (l.low > value) {
      if (above === undefined || d < above.distancePct) above = { level: l, distancePct: d };
    } else if (l.high < value) {
      if (below === undefined || d > below.distancePct) below = { level: l, distancePct: d };
    }
  }
  return { above, below, inside, on };
}

/**
 * A ratio shown beside the levels nearest it (/ratio, /levels, the digest): with the digits it
 * takes to differ from the nearer of them (2.49996, not 2.500 beside "Next level up: 2.5").
 */
export function ratioNear(value: number, near: NearestLevels): string {
  if (near.inside !== undefined || near.on !== undefined) return formatRatio(value);
  const sides = [near.above, near.below].filter((x) => x !== undefined);
  if (sides.length === 0) return formatRatio(value);
  const nearest = sides.reduce((a, b) => (Math.abs(b.distancePct) < Math.abs(a.distancePct) ? b : a));
  return formatRatioBeside(value, nearest.level);
}
