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
    // A Friday after Thanksgiving, then the Monday: a weekend is still the day before.
    { date: '2026-11-30', value: 1.21 },
    { date: '2026-12-04', value: 1.331 },
  ]);
  expect(r.change1d).toBeCloseTo(10, 6);
  expect(r.change1m).toBeCloseTo(33.1, 6);
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
