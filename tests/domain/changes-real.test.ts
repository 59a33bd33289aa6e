/**
 * /ratio's 1D, 1M and YTD and the digest's 1W on boundary days of the real history
 * (GOLDRATIO_HISTORY_DIR), against the same changes computed here from the CSV files alone
 * (helpers/history.ts independentRatio): a month-end whose month back has no such day (03-31 to
 * 02-28, a Saturday), the first close of a year (YTD = 1D), Boxing Day and Easter Monday (London
 * shut, New York open: the gold price before stands in), the close before Good Friday.
 */
import { expect, test } from 'vitest';
import { onSqlite } from '../../src/store/engine.ts';
import { openDatabase } from '../../src/store/db.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { MarketView } from '../../src/store/market-view.ts';
import { digestOf } from '../../src/store/digest-view.ts';
import { digestLines } from '../../src/domain/digest.ts';
import { describeWithHistory, independentRatio, loadHistory } from '../helpers/history.ts';

/** The change from the last close on or before `base` to the last close, in %, from the files. */
function truth(stock: 'spx' | 'qqq', last: string, base: string): number {
  const s = independentRatio(stock, '1999-03-10', last);
  const end = s[s.length - 1]!;
  const from = s.filter((p) => p.date <= base).at(-1)!;
  return (end.value / from.value - 1) * 100;
}

const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describeWithHistory('the changes /ratio and the digest give, on boundary days of the real history', () => {
  test.each([
    ['2026-03-31', '2026-02-28'],
    ['2026-01-02', '2025-12-02'],
    ['2025-12-26', '2025-11-26'],
    ['2026-04-06', '2026-03-06'],
    ['2024-03-28', '2024-02-28'],
    ['2024-04-01', '2024-03-01'],
  ])("GIVEN the closes to %s THEN 1D, 1M (from the last close on or before %s), YTD and 1W are the files'", async (last, monthBack) => {
    const db = openDatabase(':memory:');
    try {
      const store = new QuoteStore(onSqlite(db));
      await loadHistory(store, '2023-01-01', last);
      const view = new MarketView(store);
      const digest = (await digestOf(view, { approachPct: 3 }))!;
      for (const [stock, pair] of [
        ['spx', 'spx-gold'],
        ['qqq', 'qqq-gold'],
      ] as const) {
        const s = independentRatio(stock, '2023-01-01', last);
        expect(s.at(-1)!.date).toBe(last);
        const r = (await view.report(pair, Date.parse(`${last}T23:00:00Z`)))!;
        expect(r.closeDate).toBe(last);
        expect(r.change1d).toBeCloseTo(truth(stock, last, s.at(-2)!.date), 6);
        expect(r.change1m).toBeCloseTo(truth(stock, last, monthBack), 6);
        expect(r.changeYtd).toBeCloseTo(truth(stock, last, `${Number(last.slice(0, 4)) - 1}-12-31`), 6);
        const d = digest.pairs.find((p) => p.pair === pair)!;
        expect(d.change1w).toBeCloseTo(truth(stock, last, shift(last, -7)), 6);
      }
    } finally {
      db.close();
    }
  });
});

describeWithHistory("the 1D on the reopening after the exchange's own closures, from the real history", () => {
  test.each([
    ['2001-09-17', '2001-09-10', 'The 1D is since the close of 2001-09-10: the exchange was closed 2001-09-11 – 2001-09-14.'],
    ['2012-10-31', '2012-10-26', 'The 1D is since the close of 2012-10-26: the exchange was closed 2012-10-29 – 2012-10-30.'],
    ['2025-01-10', '2025-01-08', 'The 1D is since the close of 2025-01-08: the exchange was closed 2025-01-09.'],
  ])('GIVEN the closes to %s THEN /ratio and the digest give a 1D from %s and say the exchange was shut between', async (last, base, line) => {
    const db = openDatabase(':memory:');
    try {
      const store = new QuoteStore(onSqlite(db));
      await loadHistory(store, `${Number(last.slice(0, 4)) - 1}-01-01`, last);
      const view = new MarketView(store);
      const digest = (await digestOf(view, { approachPct: 3 }))!;
      expect(digest.date).toBe(last);
      for (const [stock, pair] of [
        ['spx', 'spx-gold'],
        ['qqq', 'qqq-gold'],
      ] as const) {
        const r = (await view.report(pair, Date.parse(`${last}T23:00:00Z`)))!;
        expect(r.closeDate).toBe(last);
        expect(r.change1d).toBeCloseTo(truth(stock, last, base), 6);
        expect(r.change1dSince?.base).toBe(base);
        const d = digest.pairs.find((p) => p.pair === pair)!;
        expect(d.change1d).toBeCloseTo(truth(stock, last, base), 6);
      }
      expect(digestLines(digest, 'en').core).toContain(line);
      expect(digestLines(digest, 'zh-TW').core.join('\n')).toContain('休市');
    } finally {
      db.close();
    }
  });

  test('GIVEN the real closes with one trading day taken out THEN no 1D: a missing close is not a closure', async () => {
    const db = openDatabase(':memory:');
    try {
      const store = new QuoteStore(onSqlite(db));
      await loadHistory(store, '2024-01-01', '2025-01-07');
      await loadHistory(store, '2025-01-10', '2025-01-10');
      const r = (await new MarketView(store).report('spx-gold', Date.parse('2025-01-10T23:00:00Z')))!;
      expect(r.closeDate).toBe('2025-01-10');
      expect(r.change1d).toBeUndefined();
    } finally {
      db.close();
    }
  });
});
