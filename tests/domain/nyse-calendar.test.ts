import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays } from '../../src/domain/dates.ts';
import {
  CLOSURES_KNOWN_FROM,
  closeTimeOf,
  closuresBetween,
  earlyClose,
  inRegularHours,
  isEarlyClose,
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
    ['2026-11-27T17:59:00Z', true, '12:59 on the day after Thanksgiving'],
    ['2026-11-27T18:00:00Z', false, '13:00 on the day after Thanksgiving: an early close'],
    ['2026-12-24T19:00:00Z', false, '14:00 on Christmas Eve'],
  ])('GIVEN %s THEN market open is %s (%s)', (instant, expected) => {
    expect(isMarketOpen(new Date(instant))).toBe(expected);
  });
  test.each([
    ['2026-11-27T18:00:00Z', true, '13:00 on an early close: still polled'],
    ['2026-11-27T20:59:00Z', true, '15:59 on an early close'],
    ['2026-11-27T21:00:00Z', false, '16:00'],
    ['2026-11-27T14:29:00Z', false, '09:29'],
    ['2026-11-26T15:00:00Z', false, 'Thanksgiving'],
  ])('GIVEN %s THEN in the regular (polling) hours is %s (%s)', (instant, expected) => {
    expect(inRegularHours(new Date(instant))).toBe(expected);
  });
});

/**
 * Every early close (13:00 New York) of 1999 to 2027, as the exchange kept them (its published
 * calendars, its history of closings): the day after Thanksgiving each year, Christmas Eve on a Monday
 * to Thursday, July 3 on a Monday, Tuesday or Thursday (a Wednesday since 2013; the Friday July 5
 * before), and 2003-12-26.
 */
const EARLY_CLOSES_1999_2027 = [
  ['1999-11-26', 'day after Thanksgiving'],
  ['2000-07-03', 'day before Independence Day'],
  ['2000-11-24', 'day after Thanksgiving'],
  ['2001-07-03', 'day before Independence Day'],
  ['2001-11-23', 'day after Thanksgiving'],
  ['2001-12-24', 'Christmas Eve'],
  ['2002-07-05', 'day after Independence Day'],
  ['2002-11-29', 'day after Thanksgiving'],
  ['2002-12-24', 'Christmas Eve'],
  ['2003-07-03', 'day before Independence Day'],
  ['2003-11-28', 'day after Thanksgiving'],
  ['2003-12-24', 'Christmas Eve'],
  ['2003-12-26', 'day after Christmas'],
  ['2004-11-26', 'day after Thanksgiving'],
  ['2005-11-25', 'day after Thanksgiving'],
  ['2006-07-03', 'day before Independence Day'],
  ['2006-11-24', 'day after Thanksgiving'],
  ['2007-07-03', 'day before Independence Day'],
  ['2007-11-23', 'day after Thanksgiving'],
  ['2007-12-24', 'Christmas Eve'],
  ['2008-07-03', 'day before Independence Day'],
  ['2008-11-28', 'day after Thanksgiving'],
  ['2008-12-24', 'Christmas Eve'],
  ['2009-11-27', 'day after Thanksgiving'],
  ['2009-12-24', 'Christmas Eve'],
  ['2010-11-26', 'day after Thanksgiving'],
  ['2011-11-25', 'day after Thanksgiving'],
  ['2012-07-03', 'day before Independence Day'],
  ['2012-11-23', 'day after Thanksgiving'],
  ['2012-12-24', 'Christmas Eve'],
  ['2013-07-03', 'day before Independence Day'],
  ['2013-11-29', 'day after Thanksgiving'],
  ['2013-12-24', 'Christmas Eve'],
  ['2014-07-03', 'day before Independence Day'],
  ['2014-11-28', 'day after Thanksgiving'],
  ['2014-12-24', 'Christmas Eve'],
  ['2015-11-27', 'day after Thanksgiving'],
  ['2015-12-24', 'Christmas Eve'],
  ['2016-11-25', 'day after Thanksgiving'],
  ['2017-07-03', 'day before Independence Day'],
  ['2017-11-24', 'day after Thanksgiving'],
  ['2018-07-03', 'day before Independence Day'],
  ['2018-11-23', 'day after Thanksgiving'],
  ['2018-12-24', 'Christmas Eve'],
  ['2019-07-03', 'day before Independence Day'],
  ['2019-11-29', 'day after Thanksgiving'],
  ['2019-12-24', 'Christmas Eve'],
  ['2020-11-27', 'day after Thanksgiving'],
  ['2020-12-24', 'Christmas Eve'],
  ['2021-11-26', 'day after Thanksgiving'],
  ['2022-11-25', 'day after Thanksgiving'],
  ['2023-07-03', 'day before Independence Day'],
  ['2023-11-24', 'day after Thanksgiving'],
  ['2024-07-03', 'day before Independence Day'],
  ['2024-11-29', 'day after Thanksgiving'],
  ['2024-12-24', 'Christmas Eve'],
  ['2025-07-03', 'day before Independence Day'],
  ['2025-11-28', 'day after Thanksgiving'],
  ['2025-12-24', 'Christmas Eve'],
  ['2026-11-27', 'day after Thanksgiving'],
  ['2026-12-24', 'Christmas Eve'],
  ['2027-11-26', 'day after Thanksgiving'],
] as const;

describe('early closes', () => {
  test('GIVEN every day of 1999 to 2027 THEN the early closes are exactly the known ones, with their reasons', () => {
    const found: [string, string][] = [];
    for (let d = '1999-01-01'; d <= '2027-12-31'; d = addDays(d, 1)) {
      const why = earlyClose(d);
      if (why !== undefined) found.push([d, why]);
    }
    expect(found).toEqual(EARLY_CLOSES_1999_2027);
  });
  test.each(EARLY_CLOSES_1999_2027)('GIVEN %s (%s) THEN a trading day closing at 13:00', (date) => {
    expect(isTradingDay(date)).toBe(true);
    expect(isEarlyClose(date)).toBe(true);
    expect(closeTimeOf(date)).toBe('13:00');
  });
  test.each([
    ['2002-07-03', 'a Wednesday July 3 before 2013: the Friday after closed early instead'],
    ['2013-07-05', 'the Friday after a Thursday July 4 from 2013: a full day'],
    ['2021-12-23', 'Christmas observed on Friday the 24th: the Thursday before is a full day'],
    ['2027-12-23', 'the same in 2027'],
    ['2027-07-02', 'July 4 on a Sunday, observed Monday: the Friday before is a full day'],
    ['2025-12-26', 'the Friday after Christmas 2025 traded a full day'],
    ['2008-12-26', 'the Friday after Christmas 2008 too'],
    ['2026-11-25', 'the day before Thanksgiving'],
    ['2026-12-31', "New Year's Eve"],
  ])('GIVEN %s THEN a full day to 16:00 (%s)', (date) => {
    expect(isTradingDay(date)).toBe(true);
    expect(earlyClose(date)).toBeUndefined();
    expect(closeTimeOf(date)).toBe('16:00');
  });
  test.each([
    ['2026-07-03', 'Independence Day observed on a Friday July 3'],
    ['2021-12-24', 'Christmas observed on a Friday Dec 24'],
    ['2026-11-26', 'Thanksgiving'],
    ['2022-12-24', 'a Saturday'],
  ])('GIVEN %s THEN no session and no early close (%s)', (date) => {
    expect(isTradingDay(date)).toBe(false);
    expect(isEarlyClose(date)).toBe(false);
  });
  test('GIVEN the years before 1993 THEN no early close is claimed (known from 1993; 1997-12-26 is one of its own)', () => {
    expect(isEarlyClose('1992-11-27')).toBe(false);
    expect(earlyClose('1993-11-26')).toBe('day after Thanksgiving');
    expect(earlyClose('1996-07-05')).toBe('day after Independence Day');
    expect(earlyClose('1997-12-26')).toBe('day after Christmas');
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
