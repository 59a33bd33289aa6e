/**
 * The chart warm-up: after a data change the charts the commands ask for are rendered ahead, one at
 * a time, yielding to users' renders, stopping at the next data change; `npm start` runs it after
 * the first sync (CHART_WARMUP=on, the default) and not when it is off.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedRatio, tempStore, weekdays, type Fixture } from '../helpers/charts-fixtures.ts';
import { ChartService } from '../../src/charts/service.ts';
import { askedCharts } from '../../src/chat/index.ts';
import { CHART_RANGES, type ChartRequest } from '../../src/domain/chart-request.ts';
import { QQQ_LAUNCH } from '../../src/domain/instruments.ts';
import { loadConfig } from '../../src/config.ts';
import { memoryLogger } from '../../src/log.ts';
import { startApp } from '../../src/main.ts';
import { startFlatMarket } from '../fakes/quote-server.ts';
import { sourcesAt } from '../helpers/sources.ts';

const cleanups: (() => Promise<void> | void)[] = [];
let fx: Fixture | undefined;
afterEach(async () => {
  fx?.cleanup();
  fx = undefined;
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function seeded(): Promise<Fixture> {
  fx = tempStore();
  await seedRatio(fx.store, 'spx', weekdays('2025-01-02', 300), (i) => 1.5 + 0.3 * Math.sin(i / 20));
  return fx;
}

const SPX: ChartRequest[] = [
  { kind: 'ratio', pair: 'spx-gold', range: '1Y' },
  { kind: 'ratio', pair: 'spx-gold', range: '6M' },
];

describe('ChartService.warmUp', () => {
  test('GIVEN charts rendered ahead THEN users asking for them in either language get them from the cache', async () => {
    const charts = new ChartService((await seeded()).view);
    expect(await charts.warmUp(SPX, ['en', 'zh-TW'])).toBe(4);
    expect(charts.stats()).toMatchObject({ renders: 4, hits: 0 });
    for (const req of SPX) for (const lang of ['en', 'zh-TW'] as const) await charts.render(req, { lang });
    expect(charts.stats()).toMatchObject({ renders: 4, hits: 4 });
    // Already in the cache: a second warm-up at the same data version renders nothing.
    expect(await charts.warmUp(SPX, ['en', 'zh-TW'])).toBe(0);
  });

  test('GIVEN a chart the data cannot make (no QQQ history) THEN it is skipped and the rest is rendered', async () => {
    const charts = new ChartService((await seeded()).view);
    const n = await charts.warmUp([{ kind: 'ratio', pair: 'qqq-gold', range: '1Y' }, SPX[0]!], ['en']);
    expect(n).toBe(1);
  });

  test("GIVEN a user's render in progress THEN the warm-up starts only after it", async () => {
    const charts = new ChartService((await seeded()).view);
    const user = charts.render({ kind: 'ratio', pair: 'spx-gold', range: '1M' }, { lang: 'en' });
    const warm = charts.warmUp(SPX, ['en']);
    await user;
    expect(charts.stats().renders).toBe(1);
    expect(await warm).toBe(2);
  });

  test('GIVEN new data during the warm-up THEN it stops after the render in progress', async () => {
    const f = await seeded();
    const charts = new ChartService(f.view);
    const warm = charts.warmUp(SPX, ['en', 'zh-TW']);
    await f.store.upsertCloses('spx', [{ date: '2026-02-20', close: 1700, source: 'test' }]);
    expect(await warm).toBe(1);
  });

  test('GIVEN a warm-up running THEN a second call joins it; aborted THEN it stops', async () => {
    const charts = new ChartService((await seeded()).view);
    const a = charts.warmUp(SPX, ['en']);
    expect(charts.warming()).toBe(a);
    expect(charts.warmUp(SPX, ['zh-TW'])).toBe(a);
    expect(await a).toBe(2);
    expect(charts.warming()).toBeUndefined();
    const stop = new AbortController();
    stop.abort();
    expect(await charts.warmUp(SPX, ['zh-TW'], stop.signal)).toBe(0);
  });
});

describe('askedCharts', () => {
  test('GIVEN a trading date THEN every pair × range and one power chart per distinct base, the defaults first', () => {
    const list = askedCharts('2026-11-25');
    const ratio = list.filter((r) => r.kind === 'ratio');
    expect(ratio).toHaveLength(2 * CHART_RANGES.length);
    expect(ratio.slice(0, 2)).toEqual([
      { kind: 'ratio', pair: 'spx-gold', range: '1Y' },
      { kind: 'ratio', pair: 'qqq-gold', range: '1Y' },
    ]);
    const power = list.filter((r) => r.kind === 'power');
    expect(power[0]).toEqual({ kind: 'power', base: QQQ_LAUNCH });
    expect(power).toContainEqual({ kind: 'power', base: '2026-10-25' });
    expect(new Set(power.map((p) => (p.kind === 'power' ? p.base : ''))).size).toBe(power.length);
  });
});

describe('goldratio start', () => {
  async function app(warm: 'on' | 'off') {
    const server = await startFlatMarket('2025-03-14');
    cleanups.push(() => server.close());
    const dir = mkdtempSync(join(tmpdir(), 'goldratio-warm-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const config = loadConfig({
      DATABASE_PATH: join(dir, 'g.db'),
      DATA_DIR: dir,
      BACKFILL_FROM: '2024-01-02',
      CHART_WORKERS: '0',
      CHART_WARMUP: warm,
      ...sourcesAt(server.url),
      HTTP_RETRIES: '1',
      HTTP_BACKOFF_MS: '1',
    });
    const a = await startApp(config, memoryLogger('warn'), { out: () => {} });
    cleanups.push(() => a.stop());
    await a.ready;
    return a;
  }

  test('GIVEN CHART_WARMUP=on (the default) THEN after the first sync the asked charts are rendered ahead in both languages', async () => {
    const a = await app('on');
    const n = await a.charts.warming();
    expect(n).toBeGreaterThanOrEqual(2 * 2 * CHART_RANGES.length);
    // (Power charts whose base is older than this short history cannot be drawn: skipped.)
    const renders = a.charts.stats().renders;
    await a.charts.render({ kind: 'ratio', pair: 'qqq-gold', range: '5Y' }, { lang: 'zh-TW' });
    expect(a.charts.stats()).toMatchObject({ renders, hits: 1 });
    // Every pair × range in two languages rendered in this process (CHART_WORKERS=0): CPU-bound, it
    // took over 30 s on a niced worker under a load of 15-22, so its time is the test's own.
  }, 120_000);

  test('GIVEN CHART_WARMUP=off THEN nothing is rendered ahead', async () => {
    const a = await app('off');
    expect(a.charts.warming()).toBeUndefined();
    expect(a.charts.stats().renders).toBe(0);
  });
});
