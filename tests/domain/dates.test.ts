/** Spans back as people type them (domain/dates.ts): what /chart and /power read as a start. */
import { describe, expect, test } from 'vitest';
import { readDateSpan, spanBackFrom, spanMonths, spanWords, taiwanYear, yearLastDays } from '../../src/domain/dates.ts';
import { yearlessDays } from '../../src/domain/yearless-days.ts';

const TODAY = '2026-11-21';

describe('a span back', () => {
  test.each([
    ['2y', '2024-11-21'],
    ['18m', '2025-05-21'],
    ['3w', '2026-10-31'],
    ['10d', '2026-11-11'],
    ['2年', '2024-11-21'],
    ['十八個月', '2025-05-21'],
    // With what people put before it.
    ['last 2 years', '2024-11-21'],
    ['the past 3 weeks', '2026-10-31'],
    ['past year', '2025-11-21'],
    ['過去兩年', '2024-11-21'],
    ['最近十八個月', '2025-05-21'],
    ['近3週', '2026-10-31'],
    // Or after it: ten years ago, 十年前.
    ['十年前', '2016-11-21'],
    ['2 years ago', '2024-11-21'],
    ['3個月前', '2026-08-21'],
    ['三个月前', '2026-08-21'],
  ])('GIVEN %j THEN it starts on %s', (typed, day) => {
    expect(spanBackFrom(typed, TODAY)).toBe(day);
  });

  test.each(['12月', '0y', 'y', 'last', 'past 2020', 'lastly 2y', '2 0y', '', 'ago', '前', '2020前'])('GIVEN %j THEN no span', (typed) => {
    expect(spanBackFrom(typed, TODAY)).toBeUndefined();
  });

  test('its length in months, for the ranges; its words without the prefix', () => {
    // A unit alone is one of it: `year` is 12 months, as `1 year` is.
    expect(['5 years', 'last 60 months', '過去一年', '3w', 'year', 'weekly'].map(spanMonths)).toEqual([60, 60, 12, undefined, 12, undefined]);
    expect(['Last 5 Years', 'past month', '近5年', '2020'].map(spanWords)).toEqual(['5years', '1month', '5年', '2020']);
  });
});

describe('a day with its year last', () => {
  test.each([
    ['27/12/2021', ['2021-12-27']],
    ['12/27/2021', ['2021-12-27']],
    ['27.12.2021', ['2021-12-27']],
    ['２７／１２／２０２１', ['2021-12-27']],
    ['5/5/2021', ['2021-05-05']],
    ['05/06/2021', ['2021-06-05', '2021-05-06']],
    ['31/13/2021', []],
    ['30/02/2021', []],
    ['2021/12/27', []],
  ])('GIVEN %s THEN the days it may be: %j', (typed, days) => {
    expect(yearLastDays(typed)).toEqual(days);
  });

  test('GIVEN one reading THEN that day; two THEN no date (asked); none THEN the day-first one, on no calendar', () => {
    expect(readDateSpan('27/12/2021')).toEqual({ from: '2021-12-27', to: '2021-12-27' });
    expect(readDateSpan('05/06/2021')).toBeUndefined();
    expect(readDateSpan('31/13/2021')).toEqual({ from: '2021-13-31', to: '2021-13-31' });
  });
});

describe('a date in Chinese numerals', () => {
  test.each([
    ['二〇二一年', { from: '2021-01-01', to: '2021-12-31' }],
    ['二零二一年十二月', { from: '2021-12-01', to: '2021-12-31' }],
    ['一九九九年三月十日', { from: '1999-03-10', to: '1999-03-10' }],
    ['二〇二一年十二月二十七號', { from: '2021-12-27', to: '2021-12-27' }],
    ['二〇二一年十三月', { from: '2021-13-01', to: '2021-13-01' }],
  ])('GIVEN %s THEN read as in digits: %j', (typed, span) => {
    expect(readDateSpan(typed)).toEqual(span);
  });

  test('GIVEN a count of years (二年) or a year without 年 THEN not a date here', () => {
    expect(readDateSpan('二年')).toBeUndefined();
    expect(readDateSpan('二〇二一')).toBeUndefined();
  });
});

describe('a 民國 (ROC) year, as Taiwan writes dates', () => {
  test.each([
    ['民國100年', { from: '2011-01-01', to: '2011-12-31' }],
    ['民國110年3月', { from: '2021-03-01', to: '2021-03-31' }],
    ['民国 88 年 3 月 10 日', { from: '1999-03-10', to: '1999-03-10' }],
    ['民國一一〇年三月', { from: '2021-03-01', to: '2021-03-31' }],
    ['民國八十八年', { from: '1999-01-01', to: '1999-12-31' }],
    ['民國一百年', { from: '2011-01-01', to: '2011-12-31' }],
    ['民國一百零五年三月', { from: '2016-03-01', to: '2016-03-31' }],
    ['民國一百一十年', { from: '2021-01-01', to: '2021-12-31' }],
    ['民國一百十四年', { from: '2025-01-01', to: '2025-12-31' }],
    ['2021年十二月', { from: '2021-12-01', to: '2021-12-31' }],
  ])('GIVEN %s THEN the year N + 1911: %j', (typed, span) => {
    expect(readDateSpan(typed)).toEqual(span);
  });

  test.each([
    ['100年', '民國100年'],
    ['110年3月', '民國110年3月'],
    ['５１年', '民國51年'],
    ['12年3月', '民國12年3月'],
    // Spans back, a chart range's name among them.
    ['50年', '50年'],
    ['5年', '5年'],
    ['過去100年', '過去100年'],
    ['過去120年', '過去120年'],
    // A 民國 year not reached yet is still one (refused as not yet come: chat/parse.ts), never 116 years back.
    ['116年', '民國116年'],
    ['120年', '民國120年'],
    ['116年3月', '民國116年3月'],
    // As Taiwan's forms print a 民國 date: slashes, dots, dashes.
    ['113/5', '民國113年5月'],
    ['113/05/20', '民國113年5月20日'],
    ['113.05.20', '民國113年5月20日'],
    ['113-5', '民國113年5月'],
    ['99/12/31', '民國99年12月31日'],
    // No 民國 date: a day without its year (12 and 31 may be a month or a day), no month 13, a decimal, mixed marks.
    ['12/25', '12/25'],
    ['31/12', '31/12'],
    ['113/13', '113/13'],
    ['52.5', '52.5'],
    ['113/05-20', '113/05-20'],
  ])('GIVEN %s in a zh-TW chat THEN read as %s', (typed, read) => {
    expect(taiwanYear(typed)).toBe(read);
  });
});

describe('a day typed without its year', () => {
  test.each([
    ['12/25', ['2025-12-25']],
    ['25/12', ['2025-12-25']],
    ['12-25', ['2025-12-25']],
    ['１２／２５', ['2025-12-25']],
    ['12月25日', ['2025-12-25']],
    ['12月25號', ['2025-12-25']],
    ['12月25', ['2025-12-25']],
    ['Dec 25', ['2025-12-25']],
    ['December 25th', ['2025-12-25']],
    ['25th of December', ['2025-12-25']],
    ['2 dec', ['2025-12-02']],
    // Today is this year's; tomorrow last year's.
    ['11/18', ['2026-11-18']],
    ['11/19', ['2025-11-19']],
    ['5/5', ['2026-05-05']],
    // The latest 29 February.
    ['2/29', ['2024-02-29']],
    // May 6 or 5 June: both, month first, to be asked.
    ['05/06', ['2026-05-06', '2026-06-05']],
    // No such day, or no date at all.
    ['2/30', []],
    ['13/13', []],
    ['5y', []],
    ['1st', []],
    ['3 days', []],
    ['2020', []],
    ['113/5', []],
  ])('GIVEN %s on 2026-11-18 THEN %j', (typed, days) => {
    expect(yearlessDays(typed, '2026-11-18')).toEqual(days);
  });
});

describe('a date with its month named in English', () => {
  test.each([
    ['March 1999', { from: '1999-03-01', to: '1999-03-31' }],
    ['dec. 2021', { from: '2021-12-01', to: '2021-12-31' }],
    ['Sept 2021', { from: '2021-09-01', to: '2021-09-30' }],
    ['27 Dec 2021', { from: '2021-12-27', to: '2021-12-27' }],
    ['December 27th 2021', { from: '2021-12-27', to: '2021-12-27' }],
    ['Dec 27, 2021', { from: '2021-12-27', to: '2021-12-27' }],
    ['31 Feb 2021', { from: '2021-02-31', to: '2021-02-31' }],
  ])('GIVEN %s THEN %j', (typed, span) => {
    expect(readDateSpan(typed)).toEqual(span);
  });

  test.each(['Ma 2021', 'Foo 2021', 'Marchh 2021', 'March'])('GIVEN %s THEN no date', (typed) => {
    expect(readDateSpan(typed)).toBeUndefined();
  });
});
