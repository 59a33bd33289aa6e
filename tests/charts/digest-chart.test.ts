/** The digest chart: both ratios over one year, the essay's nearest levels kept in view, one render per language. */
import { afterEach, describe, expect, test } from 'vitest';
import { decodePng, hexRgb, pngSize, seedRatio, tempStore, weekdays, type Fixture } from '../helpers/charts-fixtures.ts';
import { renderSpec } from '../../src/charts/render.ts';
import { pixelOf } from '../../src/charts/axis.ts';
import { HEIGHT, WIDTH } from '../../src/charts/spec.ts';
import { ChartService } from '../../src/charts/service.ts';
import { digestSpecs } from '../../src/charts/spec-digest.ts';
import { PALETTES } from '../../src/charts/theme.ts';
import { ChartDataError } from '../../src/charts/errors.ts';
import { noteFull } from '../../src/charts/note-layout.ts';

let fx: Fixture | undefined;
afterEach(() => {
  fx?.cleanup();
  fx = undefined;
});

async function seeded(): Promise<Fixture> {
  fx = tempStore();
  const days = weekdays('2025-06-02', 320);
  await seedRatio(fx.store, 'spx', days, (i) => 1.6 + 0.2 * Math.sin(i / 30));
  await seedRatio(fx.store, 'qqq', days, (i) => 0.15 + 0.02 * Math.sin(i / 25));
  return fx;
}

describe('digest chart', () => {
  test('GIVEN a fresh database with a week of closes THEN each panel is titled by the days it shows, not "1 year"', async () => {
    fx = tempStore();
    const days = weekdays('2026-08-17', 5);
    await seedRatio(fx.store, 'spx', days, (i) => 1.7 + i / 100);
    await seedRatio(fx.store, 'qqq', days, (i) => 0.15 + i / 1000);
    const frame = { sources: 'test', stale: false };
    const [spx, qqq] = digestSpecs({
      lang: 'zh-TW',
      palette: PALETTES.light,
      series: { 'spx-gold': await fx.view.ratio('spx-gold'), 'qqq-gold': await fx.view.ratio('qqq-gold') },
      frames: { 'spx-gold': frame, 'qqq-gold': frame },
    });
    expect(spx!.title).toBe('每日摘要 · 標普500/黃金 · 2026年8月17日至2026年8月21日');
    expect(qqq!.title).toBe('每日摘要 · QQQ/黃金 · 2026年8月17日至2026年8月21日');
  });

  test('GIVEN a year near 1.6 and 0.15 THEN each panel draws the nearest level above and below (2.5 and 0.6–0.7; 0.25 and 0.03), the rest as notes', async () => {
    const f = await seeded();
    const frame = { sources: 'test', stale: false };
    const [spx, qqq] = digestSpecs({
      lang: 'en',
      palette: PALETTES.light,
      series: { 'spx-gold': await f.view.ratio('spx-gold'), 'qqq-gold': await f.view.ratio('qqq-gold') },
      frames: { 'spx-gold': frame, 'qqq-gold': frame },
    });
    expect(spx!.title).toBe('Daily digest · SPX/Gold · 1 year');
    expect(spx!.hlines.map((h) => h.value)).toEqual([2.5]);
    expect(spx!.hbands.map((b) => [b.low, b.high])).toEqual([[0.6, 0.7]]);
    expect(spx!.notes.map(noteFull).join(' ')).toContain('5.5');
    expect(qqq!.hlines.map((h) => h.value).sort()).toEqual([0.03, 0.25]);
    expect(qqq!.notes.map(noteFull).join(' ')).toContain('0.4');
    expect(spx!.y.min).toBeLessThan(0.6);
    expect(spx!.y.max).toBeGreaterThan(2.5);
  });

  test('GIVEN two languages and many asks THEN one render per language, two panels in one PNG', async () => {
    const charts = new ChartService((await seeded()).view);
    const en = await Promise.all([1, 2, 3].map(() => charts.render({ kind: 'digest' }, { lang: 'en' })));
    const zh = await charts.render({ kind: 'digest' }, { lang: 'zh-TW' });
    expect(charts.stats().renders).toBe(2);
    expect(en.every((r) => r.png === en[0]!.png)).toBe(true);
    expect(zh.png.equals(en[0]!.png)).toBe(false);
    expect(pngSize(en[0]!.png)).toEqual({ width: 1200, height: 1260 });
  });

  test('GIVEN no QQQ data THEN a clear ChartDataError naming the pair', async () => {
    fx = tempStore();
    await seedRatio(fx.store, 'spx', weekdays('2025-06-02', 50), () => 1.6);
    await expect(new ChartService(fx.view).render({ kind: 'digest' }, { lang: 'en' })).rejects.toThrow(ChartDataError);
    await expect(new ChartService(fx.view).render({ kind: 'digest' }, { lang: 'en' })).rejects.toThrow(/QQQ\/Gold/);
  });

  test("GIVEN a last value just above a tick (0.1579 over 0.15) THEN the latest-value tag takes that label's place: no half label peeks out beside it; the other labels are drawn", async () => {
    fx = tempStore();
    const days = weekdays('2025-06-02', 320);
    await seedRatio(fx.store, 'spx', days, (i) => 1.6 + 0.2 * Math.sin(i / 30));
    await seedRatio(fx.store, 'qqq', days, (i) => (i === days.length - 1 ? 0.1579 : 0.15 + 0.03 * Math.sin(i / 25)));
    const frame = { sources: 'test', stale: false };
    const palette = PALETTES.light;
    const [spx, qqq] = digestSpecs({
      lang: 'en',
      palette,
      series: { 'spx-gold': await fx.view.ratio('spx-gold'), 'qqq-gold': await fx.view.ratio('qqq-gold') },
      frames: { 'spx-gold': frame, 'qqq-gold': frame },
    });
    expect(qqq!.y.ticks.map((t) => t.label)).toContain('0.15');
    const r = await renderSpec(qqq!);
    const img = await decodePng(r.png);
    const bg = hexRgb(palette.background);
    /** Pixels of ink (not background) right of the plot, clear of the tick marks, in rows [y0, y1). */
    const ink = (y0: number, y1: number) => {
      let n = 0;
      for (let y = Math.max(0, Math.round(y0)); y < Math.min(HEIGHT, Math.round(y1)); y++)
        for (let x = Math.ceil(r.chartArea.right) + 10; x < WIDTH; x++) {
          const i = (y * img.width + x) * 4;
          if (Math.max(Math.abs(img.rgba[i]! - bg[0]), Math.abs(img.rgba[i + 1]! - bg[1]), Math.abs(img.rgba[i + 2]! - bg[2])) > 60) n++;
        }
      return n;
    };
    const tag = pixelOf(r.axes.y, 0.1579);
    const label = pixelOf(r.axes.y, 0.15);
    expect(label - tag).toBeGreaterThan(4); // the 0.15 label would reach past the tag's lower edge (11 px below its centre)
    expect(ink(tag + 12, label + 10)).toBe(0);
    const other = pixelOf(r.axes.y, 0.1);
    expect(ink(other - 8, other + 8)).toBeGreaterThan(20);
    // Both panels keep one y axis width: their plots end at the same x, so their dates line up.
    expect((await renderSpec(spx!)).chartArea.right).toBe(r.chartArea.right);
  });
});
