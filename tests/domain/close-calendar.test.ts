/** Which days carry a close (domain/close-calendar.ts), on made-up instants and on the whole real history. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { closeDateProblem } from '../../src/domain/close-calendar.ts';
import type { InstrumentId } from '../../src/domain/instruments.ts';
import { describeWithHistory, HISTORY_DIR, HISTORY_FILES } from '../helpers/history.ts';

describe('closeDateProblem', () => {
  test.each([
    // instrument, date, now (UTC), refused?
    ['spx', '2026-08-21', '2026-08-21T20:01:00Z', false], // Friday, 16:01 New York
    ['spx', '2026-08-21', '2026-08-21T19:59:00Z', true], // 15:59: still trading
    ['spx', '2026-01-19', '2026-08-21T22:00:00Z', true], // MLK Day 2026
    ['spx', '1997-01-20', '2026-08-21T22:00:00Z', false], // MLK Day 1997: the NYSE was open
    ['spx', '1970-02-16', '2026-08-21T22:00:00Z', false], // third Monday of Feb 1970: open, Washington's Birthday was the 23rd
    ['spx', '1970-02-23', '2026-08-21T22:00:00Z', true],
    ['spx', '2026-01-02', '2026-01-02T21:30:00Z', false], // winter: 16:30 EST
    ['spx', '2026-11-27', '2026-11-27T18:01:00Z', false], // the day after Thanksgiving, an early close: 13:01 EST
    ['qqq', '2026-11-27', '2026-11-27T17:59:00Z', true], // 12:59: still trading
    ['spx', '2026-12-24', '2026-12-24T18:30:00Z', false], // Christmas Eve, 13:30
    ['spx', '2025-07-03', '2025-07-03T17:05:00Z', false], // July 3, 13:05 EDT
    ['spx', '2025-07-03', '2025-07-03T16:55:00Z', true], // 12:55 EDT
    ['spx', '2026-11-30', '2026-11-30T18:30:00Z', true], // a full day at 13:30: still trading
    ['gold', '2026-08-21', '2026-08-21T14:01:00Z', false], // 15:01 London (BST)
    ['gold', '2026-08-21', '2026-08-21T13:59:00Z', true],
    ['gold', '2026-01-19', '2026-08-21T22:00:00Z', false], // MLK Day: gold fixed in London
    ['gold', '2026-04-06', '2026-08-21T22:00:00Z', false], // Easter Monday: London shut, COMEX settles
    ['gold', '2025-12-26', '2026-08-21T22:00:00Z', false], // Boxing Day: the same
    ['gold', '2026-04-03', '2026-08-21T22:00:00Z', true], // Good Friday: neither
    ['gold', '2025-12-25', '2026-08-21T22:00:00Z', true], // Christmas: neither
    ['gold', '2027-01-01', '2027-08-21T22:00:00Z', true], // New Year's Day: neither
    ['gold', '1973-01-01', '2026-08-21T22:00:00Z', false], // no English bank holiday before 1974
    ['gold', '2022-12-26', '2026-08-21T22:00:00Z', true], // Christmas on a Sunday: Monday shut in both
    ['gold', '2023-01-02', '2026-08-21T22:00:00Z', true], // New Year on a Sunday: the same
    ['gold', '2021-12-27', '2026-08-21T22:00:00Z', false], // Christmas on a Saturday: London shut Monday, COMEX open
    ['gold', '2022-05-30', '2026-08-21T22:00:00Z', false], // Memorial Day of a jubilee year: London fixed
    ['gold', '2026-05-25', '2026-08-21T22:00:00Z', true], // Memorial Day and the Spring Bank Holiday
    ['gold', '2026-08-21', '2026-08-21T23:30:00Z', false], // London is past midnight already
    ['m2', '2026-07-01', '2026-08-01T12:00:00Z', false],
    ['m2', '2026-08-01', '2026-08-31T23:00:00Z', true],
  ] as const)('%s %s at %s → refused %s', (instrument, date, now, refused) => {
    expect(closeDateProblem(instrument, date, Date.parse(now)) !== undefined).toBe(refused);
  });
  test.each([
    ['spx', '2026-11-27T17:00:00Z', 'spx 2026-11-27 is today and its close is not final yet (after 13:00 New York)'],
    ['qqq', '2026-12-24T15:00:00Z', 'qqq 2026-12-24 is today and its close is not final yet (after 13:00 New York)'],
    ['spx', '2026-11-30T17:00:00Z', 'spx 2026-11-30 is today and its close is not final yet (after 16:00 New York)'],
    // Gold's London fix is no earlier on the stocks' early close.
    ['gold', '2026-12-24T14:30:00Z', 'gold 2026-12-24 is today and its close is not final yet (after 15:00 London)'],
  ] as const)('GIVEN %s of today at %s THEN the time its close is final named: %s', (instrument, now, why) => {
    expect(closeDateProblem(instrument, now.slice(0, 10), Date.parse(now))).toBe(why);
  });
  test.each([
    ['2025-01-09', 'spx 2025-01-09 is not an NYSE trading day (closed: day of mourning for President Carter)'],
    ['2012-10-30', 'spx 2012-10-30 is not an NYSE trading day (closed: Hurricane Sandy)'],
    ['2025-12-25', 'spx 2025-12-25 is not an NYSE trading day (a market holiday)'],
  ])('GIVEN an spx close on %s THEN refused, saying why the exchange was shut', (date, why) => {
    expect(closeDateProblem('spx', date, Date.parse('2026-08-21T22:00:00Z'))).toBe(why);
  });
});

describeWithHistory('the real history passes the calendar whole', () => {
  test.each(Object.entries(HISTORY_FILES) as [InstrumentId, string][])('not one %s row of %s is refused', (instrument, file) => {
    const dates = readFileSync(join(HISTORY_DIR, file), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]!);
    const refused = dates.map((d) => [d, closeDateProblem(instrument, d, Date.parse('2026-12-01T00:00:00Z'))]).filter(([, p]) => p !== undefined);
    expect(dates.length).toBeGreaterThan(300);
    // Gold's spot tail carries a price over the three days neither London nor COMEX prices gold: those alone.
    expect(refused.map(([d]) => d)).toEqual(instrument === 'gold' ? ['2025-12-25', '2026-01-01', '2026-04-03', '2026-05-25'] : []);
  });

  test('GIVEN the gold rows refused for a day London and COMEX were shut THEN each repeats the close before it: a price carried, not a fix', () => {
    const rows = readFileSync(join(HISTORY_DIR, HISTORY_FILES.gold), 'utf8').trim().split('\n').slice(1);
    const carried = rows.flatMap((line, i) => {
      const [date, close] = line.split(',');
      if (i === 0 || closeDateProblem('gold', date!, Date.parse('2026-12-01T00:00:00Z')) === undefined) return [];
      return [[date, close === rows[i - 1]!.split(',')[1]]];
    });
    expect(carried).toEqual([
      ['2025-12-25', true],
      ['2026-01-01', true],
      ['2026-04-03', true],
      ['2026-05-25', true],
    ]);
  });
});
