import { describe, expect, test } from 'vitest';
import { isMarketOpen, isTradingDay, nyseHolidays, tradingDate } from '../../src/domain/nyse-calendar.ts';

describe('NYSE calendar', () => {
  test("GIVEN 2025 THEN the exchange's published holidays", () => {
    expect([...nyseHolidays(2025)].sort()).toEqual([
      '2025-01-01',
      '2025-01-20',
      '2025-02-17',
      '2025-04-18',
      '2025-05-26',
      '2025-06-19',
      '2025-07-04',
      '2025-09-01',
      '2025-11-27',
      '2025-12-25',
    ]);
  });
  test('GIVEN 2026 THEN Independence Day on a Saturday is observed on Friday 3 July', () => {
    expect([...nyseHolidays(2026)].sort()).toEqual([
      '2026-01-01',
      '2026-01-19',
      '2026-02-16',
      '2026-04-03',
      '2026-05-25',
      '2026-06-19',
      '2026-07-03',
      '2026-09-07',
      '2026-11-26',
      '2026-12-25',
    ]);
  });
  test.each([
    ['2022-01-01', false, 'New Year on a Saturday: no holiday on Friday 31 Dec'],
    ['2021-12-31', true, 'the Friday before that Saturday trades'],
    ['2023-01-02', false, 'New Year on a Sunday is observed Monday'],
    ['2021-06-18', true, 'Juneteenth was not an NYSE holiday before 2022'],
    ['2022-06-20', false, 'Juneteenth 2022 on a Sunday is observed Monday'],
    ['2026-11-21', false, 'a Saturday'],
    ['2026-11-23', true, 'a Monday'],
    ['2026-11-26', false, 'Thanksgiving'],
  ])('GIVEN %s THEN trading day is %s (%s)', (date, expected) => {
    expect(isTradingDay(date)).toBe(expected);
  });
  test.each([
    ['2026-11-23T14:29:00Z', false, '09:29 New York'],
    ['2026-11-23T14:30:00Z', true, '09:30 New York (EST)'],
    ['2026-11-23T20:59:00Z', true, '15:59'],
    ['2026-11-23T21:00:00Z', false, '16:00'],
    ['2026-07-06T13:30:00Z', true, '09:30 EDT: the session moves with DST'],
    ['2026-07-06T20:00:00Z', false, '16:00 EDT'],
    ['2026-11-26T15:00:00Z', false, 'Thanksgiving'],
    ['2026-11-22T15:00:00Z', false, 'Sunday'],
  ])('GIVEN %s THEN market open is %s (%s)', (instant, expected) => {
    expect(isMarketOpen(new Date(instant))).toBe(expected);
  });
});

describe('tradingDate (the market\'s "today")', () => {
  test.each([
    ['2026-11-24T04:59:00Z', '2026-11-23', 'still Monday evening in New York'],
    ['2026-11-24T05:00:00Z', '2026-11-24', 'midnight EST'],
    ['2026-07-07T03:59:00Z', '2026-07-06', 'EDT is UTC-4'],
  ])('GIVEN %s THEN %s (%s)', (instant, date) => {
    expect(tradingDate(Date.parse(instant))).toBe(date);
  });
});
