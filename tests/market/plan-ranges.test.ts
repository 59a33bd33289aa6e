/** The range arithmetic of the unfetched notes (market/plan.ts): joined, struck when fetched whole, added when left. */
import { describe, expect, test } from 'vitest';
import { joinRanges, stillUnfetched } from '../../src/market/plan.ts';

const r = (from: string, to: string) => ({ from, to });

describe('joinRanges', () => {
  test.each([
    { name: 'GIVEN none THEN none', in: [], out: [] },
    {
      name: 'GIVEN two apart THEN both, in order',
      in: [r('2020-03-01', '2020-03-05'), r('2012-01-01', '2012-02-01')],
      out: [r('2012-01-01', '2012-02-01'), r('2020-03-01', '2020-03-05')],
    },
    { name: 'GIVEN two that overlap THEN one', in: [r('2012-01-01', '2012-02-01'), r('2012-01-15', '2012-03-01')], out: [r('2012-01-01', '2012-03-01')] },
    { name: 'GIVEN two that touch THEN one', in: [r('2012-01-01', '2012-01-31'), r('2012-02-01', '2012-02-10')], out: [r('2012-01-01', '2012-02-10')] },
    {
      name: 'GIVEN one inside another THEN the outer',
      in: [r('2012-01-01', '2012-12-31'), r('2012-05-01', '2012-05-02')],
      out: [r('2012-01-01', '2012-12-31')],
    },
  ])('$name', (c) => expect(joinRanges(c.in)).toEqual(c.out));
});

describe('stillUnfetched', () => {
  const kept = [r('2012-11-16', '2019-12-31')];
  test.each([
    { name: 'GIVEN the kept range fetched whole THEN none', done: [r('2012-11-16', '2019-12-31')], left: [], out: [] },
    { name: 'GIVEN a wider range fetched whole THEN none', done: [r('2010-01-01', '2026-12-07')], left: [], out: [] },
    {
      name: 'GIVEN its middle fetched THEN both ends stay',
      done: [r('2015-01-01', '2015-12-31')],
      left: [],
      out: [r('2012-11-16', '2014-12-31'), r('2016-01-01', '2019-12-31')],
    },
    { name: 'GIVEN another range fetched THEN it stays', done: [r('2026-11-27', '2026-12-07')], left: [], out: kept },
    {
      name: 'GIVEN it asked again, fetched up to a day and refused after THEN what was fetched is struck',
      done: [r('2012-11-16', '2015-12-31')],
      left: [r('2016-01-01', '2019-12-31')],
      out: [r('2016-01-01', '2019-12-31')],
    },
    { name: 'GIVEN it asked again and refused outright THEN it stays', done: [], left: [], out: kept },
    {
      name: 'GIVEN a new range left THEN both',
      done: [r('2012-11-16', '2019-12-31')],
      left: [r('2024-01-01', '2024-02-01')],
      out: [r('2024-01-01', '2024-02-01')],
    },
  ])('$name', (c) => expect(stillUnfetched(kept, c.done, c.left)).toEqual(c.out));
});
