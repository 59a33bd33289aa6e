import { expect, test } from 'vitest';
import { englishCounts, fewSaid, hanNumber } from '../../src/domain/han-numbers.ts';

test.each([
  ['零', 0],
  ['一', 1],
  ['兩', 2],
  ['两', 2],
  ['八', 8],
  ['十', 10],
  ['十一', 11],
  ['二十', 20],
  ['二十三', 23],
  ['九十九', 99],
  // Past ninety-nine: the places from the largest, 零 where some are skipped, 十 for 一十.
  ['一百', 100],
  ['一百零五', 105],
  ['一百〇五', 105],
  ['一百一十', 110],
  ['一百十', 110],
  ['一百二十', 120],
  ['二百', 200],
  ['兩百五十', 250],
  ['两百五十', 250],
  ['一千二百六十', 1260],
  ['一千零五', 1005],
  ['一千零五十', 1050],
  ['九千九百九十九', 9999],
  // The next place said without its unit, as people say it: 一百五 is 150, 兩百五 250, 一千二 1200.
  ['一百五', 150],
  ['兩百五', 250],
  ['一千二', 1200],
])('GIVEN %s THEN %i', (s, n) => expect(hanNumber(s)).toBe(n));

test.each(['', '十十', '百', '千', '8', '二十三四', '半', '一百百', '十百', '一百零', '零五', '一百零十', '一百零零五', '一一〇', '百五'])(
  'GIVEN %j THEN no number',
  (s) => expect(hanNumber(s)).toBeUndefined(),
);

test.each([
  ['廿', 20],
  ['廿五', 25],
  ['卅', 30],
  ['卅一', 31],
  ['一百廿', 120],
] as const)('GIVEN %s (廿 for 二十, 卅 for 三十) THEN hanNumber reads %d', (typed, n) => {
  expect(hanNumber(typed)).toBe(n);
});

test('GIVEN a couple of and a few before a unit THEN englishCounts reads 2 and 3, and fewSaid names the few as typed', () => {
  expect(['a couple of hours', 'couple days', 'A Couple of Weeks', 'a few days', 'two hours'].map(englishCounts)).toEqual([
    '2 hours',
    '2 days',
    '2 Weeks',
    '3 days',
    '2 hours',
  ]);
  expect(['a few days', 'A  few weeks', 'a couple of days', 'few', 'a few'].map(fewSaid)).toEqual(['a few', 'A few', undefined, undefined, undefined]);
});

test('GIVEN 幾 or 几 before a unit of time THEN read as 3 and named as typed; after a number, after 好, before a percent or no unit THEN left as typed', () => {
  const few = ['幾天', '几天', '幾個月', '几个月', '幾週', '几周', '幾小時', '几小时', '幾個交易日', '過去幾年', '幾 天'];
  expect(few.map(englishCounts)).toEqual(['3天', '3天', '3個月', '3个月', '3週', '3周', '3小時', '3小时', '3個交易日', '過去3年', '3 天']);
  expect(few.map(fewSaid)).toEqual(['幾', '几', '幾', '几', '幾', '几', '幾', '几', '幾', '幾', '幾']);
  // Ten-odd days, twenty-odd years, quite a few days, tens of days, a few percent, what time: no count of 3.
  const not = ['十幾天', '二十幾年', '20幾天', '好幾天', '幾十天', '幾%', '几个百分点', '幾點', '幾'];
  expect(not.map(englishCounts)).toEqual(not);
  expect(not.map(fewSaid)).toEqual(not.map(() => undefined));
});
