/** Charts drawn in worker threads (a digest's stacked panels too): the same PNG as on the main thread, each distinct chart once, the event loop free meanwhile. */
import { afterEach, describe, expect, test } from 'vitest';
import { pngSize, seedRatio, tempStore, weekdays, type Fixture } from '../helpers/charts-fixtures.ts';
import { ChartService } from '../../src/charts/service.ts';
import { createRenderPool, defaultPoolSize, type RenderPool } from '../../src/charts/pool.ts';
import type { ChartRequest } from '../../src/chat/reply.ts';

let fx: Fixture | undefined;
let pool: RenderPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
  fx?.cleanup();
  fx = undefined;
});

describe('chart worker pool', () => {
  test('GIVEN a pool THEN the worker draws the same PNG the main thread draws', async () => {
    fx = tempStore();
    await seedRatio(fx.store, 'spx', weekdays('2025-01-02', 300), (i) => 1.5 + 0.3 * Math.sin(i / 20));
    pool = createRenderPool(1);
    const req: ChartRequest = { kind: 'ratio', pair: 'spx-gold', range: '6M' };
    const inWorker = await new ChartService(fx.view, { pool, now: () => Date.parse('2026-01-01T00:00:00Z') }).render(req, { lang: 'zh-TW' });
    const onMain = await new ChartService(fx.view, { now: () => Date.parse('2026-01-01T00:00:00Z') }).render(req, { lang: 'zh-TW' });
    expect(pool.completed()).toBe(1);
    expect(pngSize(inWorker.png)).toEqual({ width: 1200, height: 630 });
    expect(inWorker.png.equals(onMain.png)).toBe(true);
  });

  test("GIVEN a pool THEN a digest's stacked panels are drawn in the worker too, the same PNG the main thread draws", async () => {
    fx = tempStore();
    await seedRatio(fx.store, 'spx', weekdays('2025-01-02', 300), (i) => 1.5 + 0.3 * Math.sin(i / 20));
    await seedRatio(fx.store, 'qqq', weekdays('2025-01-02', 300), (i) => 0.2 + 0.03 * Math.cos(i / 20));
    pool = createRenderPool(1);
    const now = () => Date.parse('2026-01-01T00:00:00Z');
    const inWorker = await new ChartService(fx.view, { pool, now }).render({ kind: 'digest' }, { lang: 'zh-CN' });
    const onMain = await new ChartService(fx.view, { now }).render({ kind: 'digest' }, { lang: 'zh-CN' });
    expect(pool.completed()).toBe(1);
    expect(pngSize(inWorker.png)).toEqual({ width: 1200, height: 1260 });
    expect(inWorker.png.equals(onMain.png)).toBe(true);
  });

  test('GIVEN 60 asks for 3 distinct charts at the same moment THEN 3 renders in the workers, and the main thread keeps turning', async () => {
    fx = tempStore();
    await seedRatio(fx.store, 'spx', weekdays('2025-01-02', 300), (i) => 1.5 + 0.3 * Math.sin(i / 20));
    await seedRatio(fx.store, 'qqq', weekdays('2025-01-02', 300), (i) => 0.2 + 0.03 * Math.cos(i / 20));
    pool = createRenderPool(2);
    const charts = new ChartService(fx.view, { pool });
    const reqs: ChartRequest[] = [
      { kind: 'ratio', pair: 'spx-gold', range: '6M' },
      { kind: 'ratio', pair: 'qqq-gold', range: '6M' },
      { kind: 'ratio', pair: 'spx-gold', range: 'MAX' },
    ];
    let turns = 0;
    const tick = setInterval(() => turns++, 1);
    const out = await Promise.all(Array.from({ length: 60 }, (_, i) => charts.render(reqs[i % 3]!, { lang: 'en' })));
    clearInterval(tick);
    expect(pool.completed()).toBe(3);
    expect(charts.stats()).toMatchObject({ renders: 3, hits: 57 });
    expect(new Set(out.map((r) => r.key)).size).toBe(3);
    // Timers kept firing while the workers drew (on the main thread they could not until each chart was done).
    expect(turns).toBeGreaterThan(3);
  });

  test('default size: one worker per core beyond the main thread, at least one', () => {
    expect([defaultPoolSize(1), defaultPoolSize(2), defaultPoolSize(4)]).toEqual([1, 1, 3]);
  });
});
