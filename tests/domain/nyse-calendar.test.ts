import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays } from '../../src/domain/dates.ts';
import {
  CLOSURES_KNOWN_FROM,
  closuresBetween,
  isMarketOpen,
  isTradingDay,
  nyseHolidays,
  specialClosure,
  tradingDate,
  tradingDaysBetween,
} from '../../src/domain/nyse-calendar.ts';
import { describeWithHistory, HISTORY_DIR } from '../helpers/history.ts';

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

describe('special closures', () => {
  test.each([
    ['2001-09-11', 'attacks of September 11'],
    ['2001-09-14', 'attacks of September 11'],
    ['2004-06-11', 'funeral of President Reagan'],
    ['2007-01-02', 'day of mourning for President Ford'],
    ['2012-10-29', 'Hurricane Sandy'],
    ['2012-10-30', 'Hurricane Sandy'],
    ['2018-12-05', 'day of mourning for President George H. W. Bush'],
    ['2025-01-09', 'day of mourning for President Carter'],
    ['1980-11-04', 'Election Day'],
  ])('GIVEN %s THEN no trading day (%s)', (date, why) => {
    expect(specialClosure(date)).toBe(why);
    expect(isTradingDay(date)).toBe(false);
  });
  test.each([
    ['2001-09-10', '2001-09-17', 0, ['2001-09-11', '2001-09-12', '2001-09-13', '2001-09-14']],
    ['2025-01-08', '2025-01-10', 0, ['2025-01-09']],
    ['2025-01-07', '2025-01-10', 1, ['2025-01-09']],
    ['1984-11-05', '1984-11-07', 1, []],
    ['1951-06-01', '1951-06-02', 0, []],
  ])('GIVEN %s to %s THEN %i trading days between and closures %j', (from, to, n, closures) => {
    expect(tradingDaysBetween(from, to)).toBe(n);
    expect(closuresBetween(from, to)).toEqual(closures);
  });
});

/** The dates of a history file. */
const datesOf = (file: string) =>
  readFileSync(join(HISTORY_DIR, file), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',')[0]!);

describeWithHistory('the calendar against the real closes', () => {
  test.each([
    ['spx_daily.csv', CLOSURES_KNOWN_FROM],
    ['qqq_daily.csv', '1999-03-10'],
  ])('GIVEN %s from %s THEN every weekday is a close or a closure of the calendar, and no close falls on a closure', (file, from) => {
    const dates = datesOf(file).filter((d) => d >= from);
    const have = new Set(dates);
    const missing: string[] = [];
    for (let d = dates[0]!; d <= dates.at(-1)!; d = addDays(d, 1)) if (isTradingDay(d) !== have.has(d)) missing.push(d);
    expect(missing).toEqual([]);
  });
});
