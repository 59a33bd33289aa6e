/**
 * A chart registers only the font files its text needs (fonts.ts): all ~200 of a family cost ~0.3 s
 * of CPU to register and as much again on the first text drawn, at every bot start and in every
 * test worker. The cases run in processes of their own (Skia's font collection is the process's):
 * the small texts' steps in one, in an order where each step's check still means what it says, a real
 * chart's text one process per language. Each counts the files registered and draws the characters
 * that must not come out as tofu.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { expect, test } from 'vitest';
import { createCanvas } from '@napi-rs/canvas';
import { ensureFonts, facesOf, font, textOf } from '../../src/charts/fonts.ts';
import { runChildScript } from '../helpers/process.ts';
import { realHistoryCharts } from '../helpers/charts-fixtures.ts';
import { describeWithHistory } from '../helpers/history.ts';
import type { Lang } from '../../src/domain/i18n/index.ts';
import { LANGS } from '../../src/domain/i18n/index.ts';

const CHILD = new URL('../helpers/fonts-child.ts', import.meta.url).pathname;

async function steps(...s: { lang?: Lang; text?: string; check?: string }[]): Promise<{ registered: number; tofu: string[] }[]> {
  const r = await runChildScript(CHILD, [JSON.stringify(s)]);
  expect(r.code, r.out).toBe(0);
  return JSON.parse(r.out) as { registered: number; tofu: string[] }[];
}

const css = (pkg: string, weight: number) => {
  const root = dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`));
  return readFileSync(join(root, `${weight}.css`), 'utf8');
};

test('GIVEN a fontsource stylesheet THEN every woff2 file it lists is read with its unicode-range, and 图 lies in one file', () => {
  const faces = facesOf(css('@fontsource/noto-sans-sc', 400));
  expect(faces.length).toBe((css('@fontsource/noto-sans-sc', 400).match(/\.woff2\)/g) ?? []).length);
  expect(faces.length).toBeGreaterThan(90);
  const holding = (ch: string) => faces.filter((f) => f.ranges.some(([lo, hi]) => ch.codePointAt(0)! >= lo && ch.codePointAt(0)! <= hi)).map((f) => f.file);
  expect(holding('图')).toHaveLength(1);
  // Ranges may overlap (ASCII is in the Latin file and in a CJK slice): each file holding a character is registered.
  expect(holding('A')).toContain('noto-sans-sc-latin-400-normal.woff2');
});

test('GIVEN an English chart THEN its separators (·, •) draw narrow, as Latin text sets them; a Chinese chart keeps them a full em, as Chinese sets them', () => {
  const sep = '·•';
  for (const lang of LANGS) ensureFonts(lang, sep);
  const ctx = createCanvas(10, 10).getContext('2d');
  const width = (ch: string, weight: 400 | 700, lang: Lang) => {
    ctx.font = font(20, weight, lang);
    return ctx.measureText(ch).width;
  };
  for (const weight of [400, 700] as const)
    for (const ch of sep) {
      // Noto Sans TC drew both 20 px wide at 20 px, with a space either side: "SPX/Gold  ·  year to date".
      expect(width(ch, weight, 'en'), `${ch}@${weight}`).toBeLessThan(10);
      expect(width(ch, weight, 'en'), `${ch}@${weight}`).toBeGreaterThan(2);
      for (const lang of ['zh-TW', 'zh-CN'] as const) expect(width(ch, weight, lang), `${lang} ${ch}@${weight}`).toBeCloseTo(20, 2);
    }
});

/**
 * The steps of the three tests below, in one process: its first step meets a fresh process (the
 * English count), and no Simplified face is registered before the control's step (the 图 tofu).
 */
let shared: Promise<{ registered: number; tofu: string[] }[]> | undefined;
const sharedSteps = () =>
  (shared ??= steps(
    { lang: 'en', text: 'S&P 500/Gold · since 1999-03-10 … 2.5 resistance • ↑', check: 'S&P5Gg…·•↑' },
    // The control: a Simplified character no face registered so far draws tofu (so the test can fail).
    { lang: 'en', text: 'S&P 500/Gold', check: '图' },
    { lang: 'zh-CN', text: '以黄金（盎司）计价的标普500指数 · 图表上方', check: '图价标黄盎' },
    { lang: 'zh-TW', text: '以黃金（盎司）計價的標普500指數 · 基準 = 100', check: '圖價標黃基準' },
    // The same text again.
    { lang: 'zh-TW', text: '以黃金（盎司）計價的標普500指數 · 基準 = 100' },
  ));

test('GIVEN an English chart’s text THEN a few font files are registered, not the family’s ~200, and its letters draw', async () => {
  const [en] = await sharedSteps();
  expect(en!.registered).toBeGreaterThan(0);
  expect(en!.registered).toBeLessThan(30);
  expect(en!.tofu).toEqual([]);
});

test('GIVEN a Simplified chart after an English one THEN its characters (图, 价) are registered on its render and draw real glyphs, as do the Traditional ones of a zh-TW chart', async () => {
  const [, en, cn, tw] = await sharedSteps();
  expect(en!.tofu).toEqual(['图@400', '图@700']);
  expect(cn!.registered).toBeGreaterThan(0);
  expect(cn!.tofu).toEqual([]);
  expect(tw!.tofu).toEqual([]);
});

test('GIVEN the same text again THEN nothing more is registered', async () => {
  const [, , , first, again] = await sharedSteps();
  expect(first!.registered).toBeGreaterThan(0);
  expect(again!.registered).toBe(0);
});

describeWithHistory('a real chart’s text', () => {
  test('GIVEN the MAX charts in every language THEN textOf holds every label, tick and note, and their glyphs draw from the files registered for it', async () => {
    const { charts, cleanup } = await realHistoryCharts();
    try {
      const texts: { lang: Lang; text: string }[] = [];
      for (const lang of LANGS) {
        const spec = await charts.spec({ kind: 'ratio', pair: 'spx-gold', range: 'MAX' }, { lang });
        const text = textOf(spec);
        expect(text).toContain(spec.title);
        for (const t of spec.x.ticks) expect(text).toContain(t.label);
        for (const l of spec.hlines) expect(text).toContain(l.label);
        texts.push({ lang, text });
      }
      // Only the text's own characters are drawn, in a process that registered nothing else: one
      // a language, side by side (one after another, three tsx starts took 30 s on a loaded machine).
      const drawn = await Promise.all(texts.map(({ lang, text }) => steps({ lang, text, check: [...new Set(text.replace(/\s/g, ''))].join('') })));
      drawn.forEach(([r], i) => expect(r!.tofu, texts[i]!.lang).toEqual([]));
    } finally {
      cleanup();
    }
  });
});
