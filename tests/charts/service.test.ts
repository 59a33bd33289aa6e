/** ChartService: render once per key, bounded cache, new data re-renders, clear errors for short data. */
import { afterEach, describe, expect, test } from 'vitest';
import { pngSize, seedRatio, tempStore, weekdays, type Fixture } from '../helpers/charts-fixtures.ts';
import { ChartService, resolveLevel } from '../../src/charts/service.ts';
import { ChartDataError } from '../../src/charts/errors.ts';
import { decimateMinMax, logTicks, dateTicks } from '../../src/charts/axis.ts';
import { defaultScale, rangeStart } from '../../src/charts/spec-ratio.ts';
import type { ChartRequest } from '../../src/domain/chart-request.ts';

let fx: Fixture | undefined;
afterEach(() => {
  fx?.cleanup();
  fx = undefined;
});

async function seeded(days = 300): Promise<Fixture> {
  fx = tempStore();
  await seedRatio(fx.store, 'spx', weekdays('2025-01-02', days), (i) => 1.5 + 0.3 * Math.sin(i / 20));
  return fx;
}

const RATIO: ChartRequest = { kind: 'ratio', pair: 'spx-gold', range: '6M' };

describe('render cache', () => {
  test('GIVEN one alert sent to many chats at once THEN it is rendered once and all get the same PNG', async () => {
    const f = await seeded();
    const charts = new ChartService(f.view);
    const req: ChartRequest = { kind: 'alert', pair: 'spx-gold', levelId: 'spx-gold-2.5', date: '2025-06-02', value: 1.79 };
    const results = await Promise.all(Array.from({ length: 50 }, () => charts.render(req, { lang: 'en' })));
    expect(charts.stats().renders).toBe(1);
    expect(new Set(results.map((r) => r.key)).size).toBe(1);
    expect(results.every((r) => r.png === results[0]!.png)).toBe(true);
    expect(pngSize(results[0]!.png)).toEqual({ width: 1200, height: 630 });
  });

  test('GIVEN another theme or language THEN it is another chart; the same again THEN a hit', async () => {
    const charts = new ChartService((await seeded()).view);
    const a = await charts.render(RATIO, { lang: 'en' });
    const b = await charts.render(RATIO, { lang: 'zh-TW' });
    const c = await charts.render(RATIO, { lang: 'en', theme: 'dark' });
    const again = await charts.render(RATIO, { lang: 'en' });
    expect(new Set([a.key, b.key, c.key]).size).toBe(3);
    expect(again.key).toBe(a.key);
    expect(charts.stats()).toMatchObject({ renders: 3, hits: 1 });
  });

  test('GIVEN a new close (data version bumps) THEN the chart is rendered again under a new key', async () => {
    const f = await seeded();
    const charts = new ChartService(f.view);
    const before = await charts.render(RATIO, { lang: 'en' });
    await f.store.upsertCloses('spx', [{ date: '2026-02-20', close: 1700, source: 'test' }]);
    await f.store.upsertCloses('gold', [{ date: '2026-02-20', close: 1000, source: 'test' }]);
    const after = await charts.render(RATIO, { lang: 'en' });
    expect(after.key).not.toBe(before.key);
    expect(charts.stats().renders).toBe(2);
  });

  test('GIVEN a cache of 2 THEN it holds at most 2 charts, dropping the least recently used', async () => {
    const charts = new ChartService((await seeded()).view, { cacheSize: 2 });
    await charts.render({ kind: 'ratio', pair: 'spx-gold', range: '1M' }, { lang: 'en' });
    await charts.render({ kind: 'ratio', pair: 'spx-gold', range: '3M' }, { lang: 'en' });
    await charts.render({ kind: 'ratio', pair: 'spx-gold', range: '1M' }, { lang: 'en' }); // hit, now most recent
    await charts.render({ kind: 'ratio', pair: 'spx-gold', range: '6M' }, { lang: 'en' }); // evicts 3M
    expect(charts.stats().size).toBe(2);
    await charts.render({ kind: 'ratio', pair: 'spx-gold', range: '1M' }, { lang: 'en' });
    expect(charts.stats()).toMatchObject({ renders: 3, hits: 2 });
    await charts.render({ kind: 'ratio', pair: 'spx-gold', range: '3M' }, { lang: 'en' });
    expect(charts.stats().renders).toBe(4);
  });

  test('GIVEN many chats with their own levels asking for charts THEN those charts take slots of their own pool, and the shared charts stay in memory', async () => {
    const charts = new ChartService((await seeded()).view, { cacheSize: 2, ownCacheSize: 2 });
    const shared: ChartRequest[] = [
      { kind: 'ratio', pair: 'spx-gold', range: '1M' },
      { kind: 'ratio', pair: 'spx-gold', range: '3M' },
    ];
    for (const req of shared) await charts.render(req, { lang: 'en' });
    // Five chats, each with a level of its own: five charts of their own, drawn once each.
    const own = [1.61, 1.62, 1.63, 1.64, 1.65].map((v): ChartRequest => ({ kind: 'ratio', pair: 'spx-gold', range: '1M', own: [v] }));
    for (const req of own) await charts.render(req, { lang: 'en' });
    expect(charts.stats()).toMatchObject({ renders: 7, size: 2, ownSize: 2 });
    // The shared charts were not pushed out: hits, no render.
    for (const req of shared) await charts.render(req, { lang: 'en' });
    expect(charts.stats()).toMatchObject({ renders: 7, hits: 2 });
    // The own pool keeps its most recent (the last two chats'); the first chat's is drawn again.
    await charts.render(own[4]!, { lang: 'en' });
    expect(charts.stats().renders).toBe(7);
    await charts.render(own[0]!, { lang: 'en' });
    expect(charts.stats().renders).toBe(8);
  });
});

describe('too little data gives a clear ChartDataError, not a crash', () => {
  const cases: [string, (f: Fixture) => Promise<void> | void, ChartRequest, RegExp][] = [
    ['an empty store, ratio chart', () => {}, RATIO, /Not enough data for the SPX\/Gold chart \(6 months\): 0 points,/],
    ['one point', (f) => seedRatio(f.store, 'spx', ['2025-03-03'], () => 1.5), RATIO, /1 point, at least 2 needed/],
    ['an empty store, power chart', () => {}, { kind: 'power', base: '1999-03-10' }, /purchasing-power chart since 1999-03-10/],
    [
      'an empty store, alert chart',
      () => {},
      { kind: 'alert', pair: 'qqq-gold', levelId: 'qqq-gold-0.25', date: '2025-03-03', value: 0.26 },
      /QQQ\/Gold chart/,
    ],
    [
      'an unknown level',
      (f) => seedRatio(f.store, 'spx', weekdays('2025-01-02', 30), () => 1.5),
      { kind: 'alert', pair: 'spx-gold', levelId: 'qqq-gold-0.25', date: '2025-01-10', value: 0.26 },
      /Unknown level "qqq-gold-0.25"/,
    ],
  ];
  test.each(cases)('GIVEN %s THEN ChartDataError', async (_name, seed, req, message) => {
    fx = tempStore();
    await seed(fx);
    const charts = new ChartService(fx.view);
    const e = await charts.render(req, { lang: 'en' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ChartDataError);
    expect((e as Error).message).toMatch(message);
    // A failure is not cached: once the data is there, the same request renders.
    expect(charts.stats().size).toBe(0);
  });

  test('GIVEN zh-TW THEN the message is Chinese', async () => {
    fx = tempStore();
    const e = await new ChartService(fx.view).render(RATIO, { lang: 'zh-TW' }).catch((x: unknown) => x);
    expect((e as Error).message).toContain('資料不足');
  });
});

describe('a window of days', () => {
  test('GIVEN stale data (the clock a year on) THEN the recent chart says so, a window that ended before the data does not; each is its own chart', async () => {
    const f = await seeded();
    const charts = new ChartService(f.view, { now: () => Date.parse('2027-03-01T00:00:00Z') });
    const window: ChartRequest = { kind: 'ratio', pair: 'spx-gold', range: '6M', window: { from: '2025-02-01', to: '2025-06-30' } };
    expect((await charts.spec(RATIO, { lang: 'en' })).footer).toContain('(stale)');
    const w = await charts.spec(window, { lang: 'en' });
    expect(w.footer).not.toContain('(stale)');
    expect(w.footer).toContain('as of 2025-06-30');
    expect(w.corner).toMatch(/ on 2025-06-30$/);
    const [a, b] = [await charts.render(RATIO, { lang: 'en' }), await charts.render(window, { lang: 'en' })];
    expect(a.key).not.toBe(b.key);
    expect(b.filename).toMatch(/2025-02-01-2025-06-30/);
  });
});

describe('pure helpers', () => {
  test.each([
    ['1M', '2026-03-31', '2026-02-28', 'linear'],
    ['1Y', '2026-02-20', '2025-02-20', 'linear'],
    // Year to date: at the year before's last close, the base of /ratio's YTD change (2022-12-31 was a Saturday).
    ['YTD', '2026-08-21', '2025-12-31', 'linear'],
    ['YTD', '2023-01-03', '2022-12-30', 'linear'],
    ['10Y', '2026-02-20', '2016-02-20', 'logarithmic'],
    ['MAX', '2026-02-20', '1999-03-10', 'logarithmic'],
  ] as const)('GIVEN range %s ending %s THEN it starts %s on a %s axis', (range, last, start, scale) => {
    expect(rangeStart(range, last)).toBe(start);
    expect(defaultScale(range)).toBe(scale);
  });

  test('GIVEN 7,000 noisy points THEN min/max decimation keeps every extreme and order', () => {
    const pts = Array.from({ length: 7000 }, (_, i) => ({ x: i, y: Math.sin(i * 0.37) + (i === 1234 ? 9 : 0) - (i === 4321 ? 9 : 0) }));
    const d = decimateMinMax(pts, 500);
    expect(d.length).toBeLessThanOrEqual(1002);
    expect(Math.max(...d.map((p) => p.y))).toBe(Math.max(...pts.map((p) => p.y)));
    expect(Math.min(...d.map((p) => p.y))).toBe(Math.min(...pts.map((p) => p.y)));
    expect(d.every((p, i) => i === 0 || p.x > d[i - 1]!.x)).toBe(true);
    expect(d[0]).toBe(pts[0]);
    expect(d.at(-1)).toBe(pts.at(-1));
  });

  test('GIVEN axis spans THEN ticks are few and readable', () => {
    expect(logTicks(0.025, 0.5).map((t) => t.label)).toEqual(['0.03', '0.04', '0.05', '0.07', '0.1', '0.15', '0.2', '0.3', '0.4', '0.5']);
    expect(dateTicks(10660, 20600, 'en').every((t) => /^\d{4}$/.test(t.label))).toBe(true);
    // Days apart (Wednesday 2026-08-19 to Friday 08-21): each day; Mon/Wed/Fri over a week and a half.
    const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
    expect(dateTicks(day('2026-08-19'), day('2026-08-21'), 'en').map((t) => t.label)).toEqual(['08-19', '08-20', '08-21']);
    expect(dateTicks(day('2026-08-14'), day('2026-08-18'), 'en').map((t) => t.label)).toEqual(['08-14', '08-17', '08-18']);
    expect(dateTicks(day('2026-08-10'), day('2026-08-21'), 'en').map((t) => t.label)).toEqual(['08-10', '08-12', '08-14', '08-17', '08-19', '08-21']);
  });

  test.each([
    ['en', ['12-15', '12-22', '12-29', '2026-01-05', '01-12'], ['12-29', '12-30', '12-31', '2026-01-01', '01-02']],
    ['zh-TW', ['12月15日', '12月22日', '12月29日', '2026年1月5日', '1月12日'], ['12月29日', '12月30日', '12月31日', '2026年1月1日', '1月2日']],
    ['zh-CN', ['12月15日', '12月22日', '12月29日', '2026年1月5日', '1月12日'], ['12月29日', '12月30日', '12月31日', '2026年1月1日', '1月2日']],
  ] as const)(
    'GIVEN a window across New Year in %s THEN the first tick of the new year carries its year, as the language writes a date',
    (lang, weeks, days) => {
      const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
      expect(dateTicks(day('2025-12-15'), day('2026-01-12'), lang).map((t) => t.label)).toEqual(weeks);
      // Days apart across New Year (Monday 2025-12-29 to Friday 2026-01-02): the year's first day.
      expect(dateTicks(day('2025-12-29'), day('2026-01-02'), lang).map((t) => t.label)).toEqual(days);
    },
  );

  test('GIVEN level ids THEN essay and custom levels resolve, others do not', () => {
    expect(resolveLevel('spx-gold', 'spx-gold-2.5')?.low).toBe(2.5);
    expect(resolveLevel('spx-gold', 'spx-gold-custom-1.8')).toMatchObject({ kind: 'custom', low: 1.8 });
    expect(resolveLevel('spx-gold', 'qqq-gold-0.25')).toBeUndefined();
    expect(resolveLevel('spx-gold', 'spx-gold-custom-abc')).toBeUndefined();
  });
});

describe('the footer names the sources of the closes drawn', () => {
  /** 300 weekdays from `old` sources, then a week from `new` ones (the repro: a small CSV imported over the history). */
  async function twoSources(): Promise<Fixture> {
    fx = tempStore();
    const dates = weekdays('2025-01-02', 300);
    await fx.store.upsertCloses(
      'gold',
      dates.map((date) => ({ date, close: 1000, source: 'import:gold_daily.csv' })),
    );
    await fx.store.upsertCloses(
      'spx',
      dates.map((date, i) => ({ date, close: 1500 + i, source: 'import:spx_daily.csv' })),
    );
    const later = weekdays('2026-03-02', 5);
    await fx.store.upsertCloses(
      'gold',
      later.map((date) => ({ date, close: 1000, source: 'import:gold2.csv' })),
    );
    await fx.store.upsertCloses(
      'spx',
      later.map((date) => ({ date, close: 1900, source: 'import:spx2.csv' })),
    );
    return fx;
  }

  test('GIVEN a window that ends before the newest closes THEN only the sources of its own closes, not the newest ones', async () => {
    const charts = new ChartService((await twoSources()).view);
    const w = await charts.spec({ kind: 'ratio', pair: 'spx-gold', range: '1Y', window: { from: '2025-02-01', to: '2025-06-30' } }, { lang: 'en' });
    expect(w.sources).toEqual(['import:spx_daily.csv', 'import:gold_daily.csv']);
    // Named as a reader reads them: the two imports are one imported CSV, never the raw tags.
    expect(w.footer).toBe('Data: imported CSV · as of 2025-06-30 · goldratio');
    const zh = await charts.spec({ kind: 'ratio', pair: 'spx-gold', range: '1Y', window: { from: '2025-02-01', to: '2025-06-30' } }, { lang: 'zh-TW' });
    expect(zh.sources.join()).not.toContain('2.csv');
    expect(zh.footer).toMatch(/^資料來源：匯入的 CSV · /);
  });

  test('GIVEN a range that spans both THEN every source drawn; the power chart the same', async () => {
    const f = await twoSources();
    await f.store.upsertCloses(
      'qqq',
      weekdays('2025-01-02', 300).map((date, i) => ({ date, close: 400 + i, source: 'import:qqq_daily.csv' })),
    );
    const months = Array.from({ length: 16 }, (_, i) => `${2024 + Math.floor((11 + i) / 12)}-${String(((11 + i) % 12) + 1).padStart(2, '0')}-01`);
    await f.store.upsertCloses(
      'm2',
      months.map((date, i) => ({ date, close: 21000 + i, source: 'fred' })),
    );
    const charts = new ChartService(f.view);
    const all = await charts.spec({ kind: 'ratio', pair: 'spx-gold', range: '1Y' }, { lang: 'en' });
    expect(all.sources).toEqual(expect.arrayContaining(['import:spx_daily.csv', 'import:spx2.csv', 'import:gold2.csv']));
    const power = await charts.spec({ kind: 'power', base: '2025-01-02', to: '2025-06-30' }, { lang: 'en' });
    expect(power.sources).toEqual(['import:spx_daily.csv', 'import:qqq_daily.csv', 'import:gold_daily.csv', 'fred']);
    expect(power.footer).toBe('Data: imported CSV, FRED · as of 2025-06-30 · goldratio');
    const cn = await charts.spec({ kind: 'power', base: '2025-01-02', to: '2025-06-30' }, { lang: 'zh-CN' });
    expect(cn.footer).toMatch(/^数据来源：导入的 CSV、FRED · /);
  });
});
