import { LANG_INFO, type Lang } from '../domain/i18n/index.ts';

/** Light and dark palettes. Colours are picked to stay readable on both backgrounds at 1200×630 (every text colour at 3:1 or more: tests/charts/theme.test.ts). */
export type ThemeName = 'light' | 'dark';

export interface Palette {
  readonly name: ThemeName;
  readonly background: string;
  readonly text: string;
  readonly muted: string;
  readonly grid: string;
  readonly line: string;
  /** Per-level-kind line colours. */
  readonly resistance: string;
  readonly support: string;
  readonly custom: string;
  readonly zoneFill: string;
  /** Alternating era shades and their label colour. */
  readonly eraFills: readonly [string, string];
  readonly eraText: string;
  readonly highlight: string;
  /** A marker that names no direction (a near miss). */
  readonly marker: string;
  /** A break's marker, by the colour its direction reads as in the chart's language (markerColor). */
  readonly markerRed: string;
  readonly markerGreen: string;
  readonly labelBackground: string;
  /** A level label's background where every place for it covers data: see-through, so the line stays in view under it. */
  readonly labelBackgroundOverData: string;
  /** SPX, QQQ lines of the purchasing-power chart, by measure. */
  readonly usd: string;
  readonly gold: string;
  readonly m2: string;
}

export const PALETTES: Readonly<Record<ThemeName, Palette>> = {
  light: {
    name: 'light',
    background: '#ffffff',
    text: '#1b1f24',
    muted: '#5b6470',
    grid: '#e6e8eb',
    line: '#1f4e9c',
    resistance: '#c0392b',
    support: '#1e8449',
    custom: '#7d3c98',
    zoneFill: 'rgba(30, 132, 73, 0.16)',
    eraFills: ['rgba(120, 130, 150, 0.07)', 'rgba(120, 130, 150, 0.15)'],
    eraText: '#5b6470',
    // Was #e67e22: 2.4:1 on an era's shade, the palest text of the alert chart (tests/charts/theme.test.ts).
    highlight: '#c25e00',
    marker: '#d35400',
    markerRed: '#c0392b',
    markerGreen: '#1e8449',
    labelBackground: 'rgba(255, 255, 255, 0.85)',
    labelBackgroundOverData: 'rgba(255, 255, 255, 0.55)',
    usd: '#1f4e9c',
    gold: '#9a7d0a',
    m2: '#1e8449',
  },
  dark: {
    name: 'dark',
    background: '#15181d',
    text: '#e8eaed',
    muted: '#9aa3ad',
    grid: '#2a2f36',
    line: '#6fa8ff',
    resistance: '#ff6b5b',
    support: '#4cd08a',
    custom: '#c39bd3',
    zoneFill: 'rgba(76, 208, 138, 0.16)',
    eraFills: ['rgba(160, 170, 190, 0.05)', 'rgba(160, 170, 190, 0.12)'],
    eraText: '#9aa3ad',
    highlight: '#ffa94d',
    marker: '#ff922b',
    markerRed: '#ff6b5b',
    markerGreen: '#4cd08a',
    labelBackground: 'rgba(21, 24, 29, 0.85)',
    labelBackgroundOverData: 'rgba(21, 24, 29, 0.55)',
    usd: '#6fa8ff',
    gold: '#f4d03f',
    m2: '#4cd08a',
  },
};

/**
 * A break's marker colour: a rise green and a fall red in English, the other way round where the
 * chart's language reads red as up (紅漲綠跌, langs.ts `risesRed`), as Discord's embeds are coloured
 * (platforms/discord/render.ts toneColor).
 */
export function markerColor(palette: Palette, direction: 'up' | 'down', lang: Lang): string {
  const red = LANG_INFO[lang].risesRed ? direction === 'up' : direction === 'down';
  return red ? palette.markerRed : palette.markerGreen;
}
