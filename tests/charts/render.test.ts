/** Every chart kind renders a real 1200×630 PNG, and level lines land where the axis maps their value. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodePng, hexRgb, pngSize, rowShare, seedHistory, seedRatio, tempStore, weekdays, type Fixture } from '../helpers/charts-fixtures.ts';
import { describeWithHistory } from '../helpers/history.ts';
import { ratioSpec } from '../../src/charts/spec-ratio.ts';
import { renderSpec, renderStack } from '../../src/charts/render.ts';
import { pixelOf } from '../../src/charts/axis.ts';
import { PALETTES } from '../../src/charts/theme.ts';
import { ChartService } from '../../src/charts/service.ts';
import { essayLevels } from '../../src/domain/levels.ts';
import type { ChartRequest } from '../../src/domain/chart-request.ts';
import { addDays } from '../../src/domain/dates.ts';
import { noteFull } from '../../src/charts/note-layout.ts';

let fx: Fixture;
// 9 years of weekdays; SPX/Gold sweeps 0.65 → 5.8 → 0.65 → 1.7 (log-spread), QQQ/Gold 0.2 ↔ 0.3.
const DATES = weekdays('2016-01-04', 9 * 261);
const spxRatio = (i: number) => {
  const u = i / (DATES.length - 1);
  return u < 0.3 ? 0.65 * (5.8 / 0.65) ** (u / 0.3) : u < 0.7 ? 5.8 * (0.65 / 5.8) ** ((u - 0.3) / 0.4) : 0.65 * (1.7 / 0.65) ** ((u - 0.7) / 0.3);
};

beforeAll(async () => {
  fx = tempStore();
  await seedRatio(fx.store, 'spx', DATES, spxRatio);
  await fx.store.upsertCloses(
    'qqq',
    DATES.map((date, i) => ({ date, close: 1000 * (0.25 + 0.05 * Math.sin(i / 40)), source: 'test' })),
  );
  await fx.store.upsertCloses(
    'm2',
    DATES.filter((d) => d.endsWith('-01') || d.slice(8) <= '03').map((date) => ({ date, close: 20_000, source: 'test' })),
  );
});
afterAll(() => fx.cleanup());

describe('each chart kind', () => {
  const requests: [string, ChartRequest][] = [
    ['ratio MAX (log)', { kind: 'ratio', pair: 'spx-gold', range: 'MAX' }],
    ['ratio 1Y (linear)', { kind: 'ratio', pair: 'qqq-gold', range: '1Y' }],
    ['ratio 1M', { kind: 'ratio', pair: 'spx-gold', range: '1M' }],
    ['alert', { kind: 'alert', pair: 'qqq-gold', levelId: 'qqq-gold-0.25', date: DATES[1500]!, value: 0.251 }],
    ['power', { kind: 'power', base: '2016-01-04' }],
  ];
  test.each(requests)('GIVEN a %s chart THEN it is a valid 1200×630 PNG in both themes and languages', async (_name, req) => {
    const charts = new ChartService(fx.view);
    for (const theme of ['light', 'dark'] as const) {
      for (const lang of ['en', 'zh-TW'] as const) {
        const { png, filename } = await charts.render(req, { theme, lang });
        expect(pngSize(png)).toEqual({ width: 1200, height: 630 });
        expect(filename).toMatch(/^goldratio-[\w.-]+\.png$/);
        const img = await decodePng(png);
        // The background is the theme's, not a transparent canvas.
        const bg = hexRgb(PALETTES[theme].background);
        expect(rowShare(img, 5, 0, 1200, bg, 2)).toBeGreaterThan(0.5);
      }
    }
  });
});

/** Drawn once per scale and range for the file: the tests below read the same image. */
const drawnLevelRows = new Map<string, ReturnType<typeof drawLevelRows>>();
function levelRows(scale: 'linear' | 'logarithmic', range: 'MAX' | '5Y') {
  const key = `${scale} ${range}`;
  let drawn = drawnLevelRows.get(key);
  if (drawn === undefined) drawnLevelRows.set(key, (drawn = drawLevelRows(scale, range)));
  return drawn;
}

async function drawLevelRows(scale: 'linear' | 'logarithmic', range: 'MAX' | '5Y') {
  const palette = PALETTES.light;
  const spec = ratioSpec({
    pair: 'spx-gold',
    range,
    series: await fx.view.ratio('spx-gold'),
    levels: essayLevels('spx-gold'),
    lang: 'en',
    palette,
    sources: 'test',
    stale: false,
    scale,
  });
  const r = await renderSpec(spec);
  const img = await decodePng(r.png);
  const colour = hexRgb(palette.resistance);
  // Left half of the plot: level labels sit at the right.
  const x0 = Math.ceil(r.chartArea.left) + 2;
  const x1 = Math.floor((r.chartArea.left + r.chartArea.right) / 2);
  // A 1.5 px line centred on a pixel boundary paints the two rows either side of it.
  const share = (v: number, offset = 0) => {
    const row = Math.round(pixelOf(r.axes.y, v)) + offset;
    return Math.max(rowShare(img, row - 1, x0, x1, colour), rowShare(img, row, x0, x1, colour));
  };
  return { r, share, spec };
}

describe('level lines sit where the axis maps their value', () => {
  test.each(['linear', 'logarithmic'] as const)('GIVEN a %s axis THEN the 2.5 and 5.5 lines are on their rows and nowhere near', async (scale) => {
    const { share, r, spec } = await levelRows(scale, 'MAX');
    expect(r.axes.y.type).toBe(scale);
    expect(spec.hlines.map((l) => l.value).sort()).toEqual([2.5, 5.5]);
    for (const v of [2.5, 5.5]) {
      // Dashes 8 on, 5 off: about 60% of the row, broken only where the ratio line crosses.
      expect(share(v)).toBeGreaterThan(0.4);
      expect(share(v, -6)).toBeLessThan(0.05);
      expect(share(v, 6)).toBeLessThan(0.05);
    }
  });

  test('GIVEN a log axis THEN 2.5 is not where a linear axis would put it', async () => {
    const { r, share } = await levelRows('logarithmic', 'MAX');
    const logRow = Math.round(pixelOf(r.axes.y, 2.5));
    const linearRow = Math.round(pixelOf({ ...r.axes.y, type: 'linear' }, 2.5));
    expect(Math.abs(linearRow - logRow)).toBeGreaterThan(20);
    expect(share(2.5)).toBeGreaterThan(0.4);
    expect(share(2.5, linearRow - logRow)).toBeLessThan(0.05);
  });

  test('GIVEN a range far from some levels THEN those are named in a margin note, not drawn', async () => {
    const spec = ratioSpec({
      pair: 'spx-gold',
      range: '1M',
      series: await fx.view.ratio('spx-gold'),
      levels: essayLevels('spx-gold'),
      lang: 'en',
      palette: PALETTES.light,
      sources: 'test',
      stale: false,
    });
    expect(spec.y.type).toBe('linear');
    expect(spec.hlines).toEqual([]);
    expect(spec.notes.map(noteFull).join('\n')).toMatch(/Above the chart: 2\.5 · .*\(\+[\d.]+%\); 5\.5 · Epic resistance/);
    expect(spec.notes.map(noteFull).join('\n')).toMatch(/Below the chart: 0\.6–0\.7 · Historic support zone/);
  });
});

describeWithHistory('real history (GOLDRATIO_HISTORY_DIR)', () => {
  test('GIVEN the real closes THEN the MAX chart shows the 2000 peak and the 2011 bottom exactly, after decimation', async () => {
    const real = tempStore();
    try {
      await seedHistory(real.store);
      const series = (await real.view.ratio('spx-gold')).filter((p) => p.date >= '1999-03-10');
      const spec = ratioSpec({
        pair: 'spx-gold',
        range: 'MAX',
        series: await real.view.ratio('spx-gold'),
        levels: essayLevels('spx-gold'),
        lang: 'en',
        palette: PALETTES.dark,
        sources: 'x',
        stale: false,
      });
      const drawn = spec.series[0]!.points;
      expect(drawn.length).toBeLessThan(series.length);
      expect(Math.max(...drawn.map((p) => p.y))).toBe(Math.max(...series.map((p) => p.value)));
      expect(Math.min(...drawn.map((p) => p.y))).toBe(Math.min(...series.map((p) => p.value)));
      expect(pngSize((await renderSpec(spec)).png)).toEqual({ width: 1200, height: 630 });
    } finally {
      real.cleanup();
    }
  });
});

describe('PNG writer', () => {
  test('GIVEN known pixels THEN an independent decoder reads the same pixels back', async () => {
    const { encodePng } = await import('../../src/charts/png.ts');
    const rgba = Buffer.from([255, 0, 0, 255, 0, 128, 255, 255, 10, 20, 30, 255, 0, 0, 0, 255, 255, 255, 255, 255, 1, 2, 3, 255]);
    const png = await encodePng(rgba, 3, 2);
    expect(pngSize(png)).toEqual({ width: 3, height: 2 });
    const img = await decodePng(png);
    expect(Buffer.from(img.rgba)).toEqual(rgba);
    await expect(encodePng(rgba, 4, 2)).rejects.toThrow(/expected 32 RGBA bytes, got 24/);
  });
});

test('GIVEN y ticks of one digit (2000–2008: 1 to 6) THEN the latest-value tag still fits inside the image, its right margin too', async () => {
  // Falling from 5.6 to 1.044 over nine years: a linear axis ticked 1, 2, …, 6, narrower than the tag's "1.044".
  const series = Array.from({ length: 3288 }, (_, i) => ({ date: addDays('2000-01-01', i), value: 5.6 - (4.556 * i) / 3287 }));
  for (const theme of ['light', 'dark'] as const) {
    const spec = ratioSpec({
      pair: 'spx-gold',
      lang: 'en',
      palette: PALETTES[theme],
      sources: 'test',
      stale: false,
      series,
      range: 'MAX',
      levels: [],
      scale: 'linear',
    });
    expect(spec.y.ticks.every((t) => t.label.length === 1)).toBe(true);
    expect(spec.latest!.label).toBe('1.044');
    const r = await renderSpec(spec);
    const img = await decodePng(r.png);
    const row = Math.round(pixelOf(r.axes.y, spec.latest!.y));
    const bg = hexRgb(PALETTES[theme].background);
    // The tag is drawn there (so this looks at the right row) and ends at least 6 px before the edge.
    const tagAt = Math.ceil(r.chartArea.right) + 4;
    expect(rowShare(img, row, tagAt, tagAt + 16, hexRgb(PALETTES[theme].line), 40)).toBeGreaterThan(0.5);
    expect(rowShare(img, row, 1194, 1200, bg, 30)).toBe(1);
  }
});

describe('one canvas per size for every render of a thread (render.ts)', () => {
  type Lang = 'en' | 'zh-TW';
  const spec = async (pair: 'spx-gold' | 'qqq-gold', range: '1M' | '1Y' | 'MAX', lang: Lang, theme: 'light' | 'dark') =>
    ratioSpec({
      pair,
      range,
      series: await fx.view.ratio(pair),
      levels: essayLevels(pair),
      lang,
      palette: PALETTES[theme],
      sources: 'test',
      stale: theme === 'dark',
    });

  test('GIVEN a chart drawn, then others of another theme, language, axis and size THEN drawn again, and as a one-panel stack, it is the same PNG, byte for byte', async () => {
    const first = await spec('qqq-gold', '1Y', 'en', 'light');
    const before = (await renderSpec(first)).png;
    await renderSpec(await spec('spx-gold', 'MAX', 'zh-TW', 'dark'));
    await renderStack([await spec('spx-gold', '1M', 'zh-TW', 'dark'), await spec('qqq-gold', 'MAX', 'en', 'dark')]);
    await renderStack([await spec('spx-gold', '1Y', 'en', 'dark')]);
    expect((await renderSpec(first)).png.equals(before)).toBe(true);
    // A one-panel stack is the chart itself, drawn on a canvas of its own height.
    expect((await renderStack([first])).png.equals(before)).toBe(true);
  });

  test('GIVEN charts and stacks asked for at once THEN each PNG is the one it gives alone', async () => {
    const specs = [await spec('spx-gold', 'MAX', 'en', 'light'), await spec('qqq-gold', '1M', 'zh-TW', 'dark'), await spec('spx-gold', '1Y', 'zh-TW', 'light')];
    const stack = [specs[1]!, specs[2]!];
    const alone: Buffer[] = [];
    for (const s of specs) alone.push((await renderSpec(s)).png);
    const stackAlone = (await renderStack(stack)).png;
    const together = await Promise.all([...specs.map(async (s) => (await renderSpec(s)).png), renderStack(stack).then((r) => r.png)]);
    expect(together.map((png, i) => png.equals([...alone, stackAlone][i]!))).toEqual([true, true, true, true]);
    expect(pngSize(stackAlone)).toEqual({ width: 1200, height: 1260 });
  });
});
