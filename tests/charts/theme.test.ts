/**
 * Every colour a chart writes text in stays readable on what it is written on, in both themes: WCAG
 * contrast of at least 3:1 (the bar for large text and for lines; chart labels are 12–14 px, so this
 * is the least, not a target). The light theme's alerted level (#e67e22, 2.4:1 on an era's shade) and
 * gold (#b7950b, 2.9:1 on white) were below it: the one label an alert chart is about was the palest.
 */
import { describe, expect, test } from 'vitest';
import { PALETTES, type Palette } from '../../src/charts/theme.ts';

type Rgb = readonly [number, number, number];

function rgba(css: string): [number, number, number, number] {
  if (css.startsWith('#')) {
    const n = Number.parseInt(css.slice(1), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255, 1];
  }
  const [r, g, b, a] = (css.match(/[\d.]+/g) ?? []).map(Number);
  return [r!, g!, b!, a ?? 1];
}

/** `css` painted over `under`. */
function over(css: string, under: Rgb): Rgb {
  const [r, g, b, a] = rgba(css);
  return [r * a + under[0] * (1 - a), g * a + under[1] * (1 - a), b * a + under[2] * (1 - a)];
}

function luminance([r, g, b]: Rgb): number {
  const f = (v: number) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}

function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** The grounds a text is written on: the page (title, notes, end labels), the darker era shade in the plot, a label's box on it. */
function grounds(p: Palette): { readonly page: Rgb; readonly era: Rgb; readonly 'label box': Rgb } {
  const page = over(p.background, [0, 0, 0]);
  const era = over(p.eraFills[1], page);
  return { page, era, 'label box': over(p.labelBackground, era) };
}

describe('text colours against their ground', () => {
  const inPlot = ['eraText', 'muted', 'resistance', 'support', 'custom', 'highlight', 'marker', 'markerRed', 'markerGreen'] as const;
  const onPage = ['text', 'muted', 'usd', 'gold', 'm2'] as const;
  for (const p of Object.values(PALETTES)) {
    test.each(inPlot)(`GIVEN the ${p.name} theme THEN %s reads at 3:1 or more in the plot, on an era's shade and in a label's box`, (key) => {
      const g = grounds(p);
      for (const ground of ['era', 'label box'] as const) expect(contrast(over(p[key], g[ground]), g[ground]), ground).toBeGreaterThanOrEqual(3);
    });
    test.each(onPage)(`GIVEN the ${p.name} theme THEN %s reads at 3:1 or more on the page`, (key) => {
      const { page } = grounds(p);
      expect(contrast(over(p[key], page), page)).toBeGreaterThanOrEqual(3);
    });
    test(`GIVEN the ${p.name} theme THEN the latest-value tag's text (the page colour on the line colour) reads at 4.5:1 or more`, () => {
      const { page } = grounds(p);
      expect(contrast(page, over(p.line, page))).toBeGreaterThanOrEqual(4.5);
    });
  }
});
