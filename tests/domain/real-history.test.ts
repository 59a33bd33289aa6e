/**
 * The essay's evidence, checked against the real daily history (GOLDRATIO_HISTORY_DIR, see tests/helpers/history.ts).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { MarketView } from '../../src/store/market-view.ts';
import type { Point } from '../../src/domain/series.ts';
import { pairReport } from '../../src/domain/report.ts';
import { ESSAY_LEVELS } from '../../src/domain/levels.ts';
import { describeWithHistory, historyFile } from '../helpers/history.ts';

const max = (s: Point[]) => s.reduce((a, b) => (b.value > a.value ? b : a));
const min = (s: Point[]) => s.reduce((a, b) => (b.value < a.value ? b : a));

describeWithHistory('real history against the essay', () => {
  let dir: string;
  let db: Db;
  let view: MarketView;
  let store: QuoteStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'goldratio-history-'));
    db = openDatabase(await historyFile(join(dir, 'h.db')));
    store = new QuoteStore(onSqlite(db));
    view = new MarketView(store);
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('SPX/Gold was above 5 in 1999-2000 (the 5.5 epic resistance)', async () => {
    const peak = max(await view.ratio('spx-gold', '1999-01-01', '2000-12-31'));
    expect(peak.value).toBeGreaterThan(5);
    expect(peak.value).toBeLessThan(6);
  });

  test('SPX/Gold was near 0.6 in August 2011 (the 0.6-0.7 support zone)', async () => {
    const bottom = min(await view.ratio('spx-gold', '2011-08-01', '2011-08-31'));
    expect(bottom.value).toBeGreaterThan(0.55);
    expect(bottom.value).toBeLessThan(0.65);
  });

  test('QQQ/Gold was near 0.41 in March 2000 (the 0.40 ceiling)', async () => {
    const peak = max(await view.ratio('qqq-gold', '2000-03-01', '2000-03-31'));
    expect(peak.value).toBeGreaterThan(0.39);
    expect(peak.value).toBeLessThan(0.43);
  });

  test('QQQ/Gold was under 0.03 in 2011 (the 0.03 floor)', async () => {
    expect(min(await view.ratio('qqq-gold', '2011-01-01', '2011-12-31')).value).toBeLessThan(0.03);
  });

  test('SPX/Gold went through 2.5 in the QE era, not "retested and failed" (it peaked near 2.7, far below 2000, and fell back)', async () => {
    const peak = max(await view.ratio('spx-gold', '2012-01-01', '2024-12-31'));
    expect(peak.value).toBeGreaterThan(2.5);
    expect(peak.value).toBeLessThan(2.8);
    const latest = (await view.ratio('spx-gold')).at(-1)!;
    expect(latest.value).toBeLessThan(2.0);
  });

  test('every NYSE close since QQQ began has both ratios: London holidays (Easter Monday, Boxing Day) carry the last fix', async () => {
    const closes = (await store.closesWithSources('spx')).points.map((p) => p.date).filter((d) => d >= '1999-03-10');
    for (const pair of ['spx-gold', 'qqq-gold'] as const) {
      const dates = new Set((await view.ratio(pair, '1999-03-10')).map((p) => p.date));
      expect(
        closes.filter((d) => !dates.has(d)),
        pair,
      ).toEqual([]);
    }
    // Easter Monday 2025: no London fix since Thursday 2025-04-17 (3,324.35), SPX closed at 5,158.20.
    const easter = (await view.ratio('spx-gold', '2025-04-21', '2025-04-21'))[0];
    expect(easter?.value).toBeCloseTo(5158.2 / 3324.35, 6);
  });

  test("/ratio's 1D on the Tuesday after Easter 2025 is one session (against Monday), not two", async () => {
    const series = await view.ratio('spx-gold', '2025-01-01', '2025-04-22');
    const r = pairReport({
      pair: 'spx-gold',
      series,
      levels: ESSAY_LEVELS,
      numeratorQuote: undefined,
      denominatorQuote: undefined,
      closeAsOfMs: { numerator: 0, denominator: 0 },
      nowMs: Date.parse('2025-04-22T21:00:00Z'),
    })!;
    // Monday 5,158.20 / 3,324.35 (Thursday's fix) → Tuesday 5,287.76 / 3,454.70: -1.36%, not Thursday's -3.68%.
    expect(r.change1d).toBeCloseTo((5287.76 / 3454.7 / (5158.2 / 3324.35) - 1) * 100, 6);
  });

  test('purchasing power: SPX in gold lost most of its value since 1999 while it rose in USD', async () => {
    const p = (await view.power('1999-03-10'))!;
    const last = p.dates.length - 1;
    expect(p.base).toBe('1999-03-10');
    expect(p.spxUsd[last]).toBeGreaterThan(300);
    expect(p.spxGold[last]).toBeLessThan(60);
  });
});
