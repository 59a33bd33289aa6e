/** The digest chart: both ratios over one year, the essay's nearest levels kept in view, one render per language. */
import { afterEach, describe, expect, test } from 'vitest';
import { pngSize, seedRatio, tempStore, weekdays, type Fixture } from './charts-fixtures.ts';
import { ChartService } from '../src/charts/service.ts';
import { digestSpecs } from '../src/charts/spec-digest.ts';
import { PALETTES } from '../src/charts/theme.ts';
import { ChartDataError } from '../src/charts/errors.ts';

let fx: Fixture | undefined;
afterEach(() => {
  fx?.cleanup();
  fx = undefined;
});

function seeded(): Fixture {
  fx = tempStore();
  const days = weekdays('2025-06-02', 320);
  seedRatio(fx.store, 'spx', days, (i) => 1.6 + 0.2 * Math.sin(i / 30));
  seedRatio(fx.store, 'qqq', days, (i) => 0.15 + 0.02 * Math.sin(i / 25));
  return fx;
}

describe('digest chart', () => {
  test('GIVEN a year near 1.6 and 0.15 THEN each panel draws the nearest level above and below (2.5 and 0.6–0.7; 0.25 and 0.03), the rest as notes', () => {
    const f = seeded();
    const frame = { sources: 'test', stale: false };
    const [spx, qqq] = digestSpecs({
      lang: 'en',
      palette: PALETTES.light,
      series: { 'spx-gold': f.view.ratio('spx-gold'), 'qqq-gold': f.view.ratio('qqq-gold') },
      frames: { 'spx-gold': frame, 'qqq-gold': frame },
    });
    expect(spx!.title).toBe('Daily digest · SPX/Gold · 1 year');
    expect(spx!.hlines.map((h) => h.value)).toEqual([2.5]);
    expect(spx!.hbands.map((b) => [b.low, b.high])).toEqual([[0.6, 0.7]]);
    expect(spx!.notes.join(' ')).toContain('5.5');
    expect(qqq!.hlines.map((h) => h.value).sort()).toEqual([0.03, 0.25]);
    expect(qqq!.notes.join(' ')).toContain('0.4');
    expect(spx!.y.min).toBeLessThan(0.6);
    expect(spx!.y.max).toBeGreaterThan(2.5);
  });

  test('GIVEN two languages and many asks THEN one render per language, two panels in one PNG', async () => {
    const charts = new ChartService(seeded().view);
    const en = await Promise.all([1, 2, 3].map(() => charts.render({ kind: 'digest' }, { lang: 'en' })));
    const zh = await charts.render({ kind: 'digest' }, { lang: 'zh-TW' });
    expect(charts.stats().renders).toBe(2);
    expect(en.every((r) => r.png === en[0]!.png)).toBe(true);
    expect(zh.png.equals(en[0]!.png)).toBe(false);
    expect(pngSize(en[0]!.png)).toEqual({ width: 1200, height: 1260 });
  });

  test('GIVEN no QQQ data THEN a clear ChartDataError naming the pair', async () => {
    fx = tempStore();
    seedRatio(fx.store, 'spx', weekdays('2025-06-02', 50), () => 1.6);
    await expect(new ChartService(fx.view).render({ kind: 'digest' }, { lang: 'en' })).rejects.toThrow(ChartDataError);
    await expect(new ChartService(fx.view).render({ kind: 'digest' }, { lang: 'en' })).rejects.toThrow(/QQQ\/Gold/);
  });
});
