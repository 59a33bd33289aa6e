import { describe, expect, test } from 'vitest';
import { liveRatio, purchasingPower, ratioSeries } from '../../src/domain/ratio.ts';
import type { Point } from '../../src/domain/series.ts';

const pts = (s: string): Point[] =>
  s
    .trim()
    .split(/\s+/)
    .map((x) => {
      const [date, value] = x.split('=');
      return { date: date!, value: Number(value) };
    });

describe('ratioSeries: alignment and gold carry-forward', () => {
  test.each([
    ['GIVEN gold on every date THEN one ratio per stock date', '2024-01-02=10 2024-01-03=20', '2024-01-02=2 2024-01-03=4', '2024-01-02=5 2024-01-03=5'],
    ['GIVEN a London holiday THEN gold is carried one day', '2024-01-02=10 2024-01-03=20', '2024-01-02=2', '2024-01-02=5 2024-01-03=10'],
    ['GIVEN gold 3 days old THEN it is still carried', '2024-01-05=12', '2024-01-02=4', '2024-01-05=3'],
    // Good Friday and Easter Monday: London fixes on neither, New York trades on the Monday.
    [
      'GIVEN Easter Monday THEN the fix of the Thursday before it is carried over the two London holidays',
      '2025-04-17=10 2025-04-21=12',
      '2025-04-17=2',
      '2025-04-17=5 2025-04-21=6',
    ],
    ['GIVEN gold 5 days old THEN no ratio is invented', '2024-01-07=12', '2024-01-02=4', ''],
    ['GIVEN gold only after the stock date THEN nothing', '2024-01-02=12', '2024-01-03=4', ''],
    ['GIVEN gold on a weekend-free gap THEN stock days decide the dates', '2024-01-08=9', '2024-01-05=3 2024-01-09=1', '2024-01-08=3'],
  ])('%s', (_name, num, den, expected) => {
    const out = ratioSeries(pts(num), pts(den));
    expect(out).toEqual(expected === '' ? [] : pts(expected));
  });
});

describe('liveRatio', () => {
  test('GIVEN two quotes THEN the ratio and the age of each leg', () => {
    const r = liveRatio({ price: 7000, asOf: 1_000, source: 'yahoo' }, { price: 4000, asOf: 400, source: 'lbma' }, 2_000);
    expect(r).toEqual({ value: 1.75, numeratorAgeMs: 1_000, denominatorAgeMs: 1_600 });
  });
  test('GIVEN a zero price THEN no ratio', () => {
    expect(liveRatio({ price: 7000, asOf: 0, source: 'x' }, { price: 0, asOf: 0, source: 'x' }, 0)).toBeUndefined();
  });
});

describe('purchasingPower', () => {
  test('GIVEN stocks doubling while gold quadruples THEN 200 in USD, 50 in gold', () => {
    const spx = pts('1999-03-10=100 2000-03-10=200');
    const qqq = pts('1999-03-10=50 2000-03-10=150');
    const gold = pts('1999-03-10=250 2000-03-09=1000');
    const m2 = pts('1999-03-01=4000 2000-03-01=8000');
    const p = purchasingPower({ spx, qqq, gold, m2 }, '1999-03-10')!;
    expect(p.base).toBe('1999-03-10');
    expect(p.spxUsd).toEqual([100, 200]);
    expect(p.spxGold).toEqual([100, 50]);
    expect(p.spxM2).toEqual([100, 100]);
    expect(p.qqqUsd).toEqual([100, 300]);
    expect(p.qqqGold[1]).toBeCloseTo(75);
    expect(p.qqqM2[1]).toBeCloseTo(150);
  });
  test('GIVEN no data after the base THEN undefined', () => {
    expect(purchasingPower({ spx: [], qqq: [], gold: [], m2: [] }, '1999-03-10')).toBeUndefined();
  });
});

describe('toEpochDay', () => {
  test('GIVEN dates across leap years and centuries THEN it agrees with Date.parse', async () => {
    const { toEpochDay, fromEpochDay } = await import('../../src/domain/dates.ts');
    for (const d of ['1970-01-01', '1900-03-01', '2000-02-29', '1999-12-31', '2024-02-29', '2024-03-01', '1968-01-02', '2100-12-31']) {
      expect(toEpochDay(d)).toBe(Date.parse(`${d}T00:00:00Z`) / 86_400_000);
      expect(fromEpochDay(toEpochDay(d))).toBe(d);
    }
  });
});
