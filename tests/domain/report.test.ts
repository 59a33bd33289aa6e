import { expect, test } from 'vitest';
import { pairReport } from '../../src/domain/report.ts';

const report = (series: { date: string; value: number }[]) =>
  pairReport({
    pair: 'spx-gold',
    series,
    levels: [],
    numeratorQuote: undefined,
    denominatorQuote: undefined,
    closeAsOfMs: { numerator: 0, denominator: 0 },
    nowMs: Date.parse('2026-12-05T00:00:00Z'),
  })!;

test('GIVEN consecutive closes THEN 1D and 1M compare with the day before and a month before', () => {
  const r = report([
    { date: '2026-11-04', value: 1 },
    { date: '2026-11-27', value: 1.1 },
    { date: '2026-12-03', value: 1.21 },
    { date: '2026-12-04', value: 1.331 },
  ]);
  expect(r.change1d).toBeCloseTo(10, 6);
  expect(r.change1m).toBeCloseTo(33.1, 6);
  expect(r.change1dSince).toBeUndefined();
});

test.each([
  ['2026-11-25', '2026-11-27', 'Thanksgiving between'],
  ['2026-11-27', '2026-11-30', 'a weekend between'],
  ['2025-01-08', '2025-01-10', "the exchange's closure for President Carter between"],
  ['2001-09-10', '2001-09-17', 'four days shut after 9/11, and a weekend'],
])('GIVEN closes of %s and %s (%s) THEN the second has a 1D', (before, last) => {
  const r = report([
    { date: before, value: 1 },
    { date: last, value: 1.1 },
  ]);
  expect(r.change1d).toBeCloseTo(10, 6);
});

test('GIVEN a close missing on a trading day THEN no 1D: the base is two trading days back', () => {
  const r = report([
    { date: '2026-11-30', value: 1 },
    { date: '2026-12-02', value: 1.1 },
  ]);
  expect(r.change1d).toBeUndefined();
});

test('GIVEN the reopening after 9/11 THEN its 1D names its base and the days the exchange was shut', () => {
  const r = report([
    { date: '2001-09-10', value: 1 },
    { date: '2001-09-17', value: 1.1 },
  ]);
  expect(r.change1dSince).toEqual({ base: '2001-09-10', closed: ['2001-09-11', '2001-09-12', '2001-09-13', '2001-09-14'] });
});

test('GIVEN closes missing for weeks (an outage) THEN no 1D or 1M is given from a base far older than its name', () => {
  const r = report([
    { date: '2026-10-01', value: 1 },
    { date: '2026-10-12', value: 1.2 },
    { date: '2026-12-04', value: 1.5 },
  ]);
  expect(r.change1d).toBeUndefined();
  expect(r.change1m).toBeUndefined();
  expect(r.changeYtd).toBeUndefined();
});
