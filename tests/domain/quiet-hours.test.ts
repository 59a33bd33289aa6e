/**
 * Quiet hours, pure: the window is read on the wall clock of its zone, across midnight and across
 * both DST changes (New York and London), and its end is always the next instant the clock reaches
 * it (never one already past in a repeated hour, never a whole day late).
 */
import { describe, expect, test } from 'vitest';
import { isQuiet, parseQuietSpan, quietEnd, quietState, wallTime, type QuietWindow } from '../../src/domain/quiet-hours.ts';
import { quietSummary } from '../../src/domain/quiet-summary.ts';
import { localize } from '../../src/domain/message.ts';
import { LANGS } from '../../src/domain/i18n/index.ts';
import { alertMessage } from '../../src/domain/alert-message.ts';
import { moveMessage } from '../../src/domain/move-message.ts';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('parseQuietSpan', () => {
  test.each([
    ['23:00-07:00', { start: '23:00', end: '07:00' }],
    ['7:30-9:00', { start: '07:30', end: '09:00' }],
    ['22:00 – 06:00', { start: '22:00', end: '06:00' }],
    ['00:00-23:59', { start: '00:00', end: '23:59' }],
    // Shorthand and other keyboards' separators.
    ['23-7', { start: '23:00', end: '07:00' }],
    ['23:00-7', { start: '23:00', end: '07:00' }],
    ['11pm-7am', { start: '23:00', end: '07:00' }],
    ['11 pm - 7 am', { start: '23:00', end: '07:00' }],
    ['11 pm to 7 am', { start: '23:00', end: '07:00' }],
    ['10:30 P.M. TO 6 A.M.', { start: '22:30', end: '06:00' }],
    ['23：00～07：00', { start: '23:00', end: '07:00' }],
    ['23:00至07:00', { start: '23:00', end: '07:00' }],
    ['22:30—6:30', { start: '22:30', end: '06:30' }],
    // The minus sign (U+2212), which some keyboards and autocorrect put for a hyphen, as /chart's ranges read it.
    ['23:00−07:00', { start: '23:00', end: '07:00' }],
    ['23 − 7', { start: '23:00', end: '07:00' }],
    // An end without the part of the day the start named is in that part when the window then ends later the same day.
    ['下午3點-5點', { start: '15:00', end: '17:00' }],
    ['下午三点到五点半', { start: '15:00', end: '17:30' }],
    ['晚上8點-11點', { start: '20:00', end: '23:00' }],
    ['3pm-5', { start: '15:00', end: '17:00' }],
    ['1:30 pm to 4', { start: '13:30', end: '16:00' }],
    // ...else it is read as written: across midnight, or already later.
    ['晚上10點-7點', { start: '22:00', end: '07:00' }],
    ['晚上十點到早上七點', { start: '22:00', end: '07:00' }],
    ['10pm-7', { start: '22:00', end: '07:00' }],
    ['下午3點-2點', { start: '15:00', end: '02:00' }],
    ['下午3點-17點', { start: '15:00', end: '17:00' }],
    ['早上7點-9點', { start: '07:00', end: '09:00' }],
    // A bare hour from 1 to 12 beside a side that names its half of the day: the half that keeps the window at most 12 hours.
    ['9am-5', { start: '09:00', end: '17:00' }],
    ['9am - 5:30', { start: '09:00', end: '17:30' }],
    ['９ａｍ－５', { start: '09:00', end: '17:00' }],
    ['上午9點-5點', { start: '09:00', end: '17:00' }],
    ['上午九点到五点', { start: '09:00', end: '17:00' }],
    ['早上８點～６點', { start: '08:00', end: '18:00' }],
    ['9am-9', { start: '09:00', end: '21:00' }],
    ['1-5pm', { start: '13:00', end: '17:00' }],
    ['12-5pm', { start: '12:00', end: '17:00' }],
    ['11-7am', { start: '23:00', end: '07:00' }],
    ['10:30-6am', { start: '22:30', end: '06:00' }],
    ['9-5pm', { start: '09:00', end: '17:00' }],
    ['3pm-1', { start: '15:00', end: '01:00' }],
    // A 24-hour clock's hour (a leading zero, 0, 13 and up) is read as written.
    ['9am-05', { start: '09:00', end: '05:00' }],
    ['9am-17', { start: '09:00', end: '17:00' }],
    ['13-5pm', { start: '13:00', end: '17:00' }],
    ['0-7am', { start: '00:00', end: '07:00' }],
    ['07-5pm', { start: '07:00', end: '17:00' }],
    // Two bare hours: the 24-hour clock, when that is 12 hours or less; zero-padded, whatever its length.
    ['1-9', { start: '01:00', end: '09:00' }],
    // Noon and midnight name their part of the day.
    ['noon-5', { start: '12:00', end: '17:00' }],
    ['10pm-midnight', { start: '22:00', end: '00:00' }],
    ['midnight - 7', { start: '00:00', end: '07:00' }],
    ['午夜-7點', { start: '00:00', end: '07:00' }],
    ['11-midnight', { start: '23:00', end: '00:00' }],
    ['10:00-06:00', { start: '10:00', end: '06:00' }],
    ['09-05', { start: '09:00', end: '05:00' }],
  ])('GIVEN %j THEN %j', (input, value) => {
    expect(parseQuietSpan(input)).toEqual({ ok: true, value });
  });

  // A window's shape with a side that is no time of day: that side named, not the shape asked for again.
  test.each([
    ['25:00-7', '25:00'],
    ['23:00-7:60', '7:60'],
    ['11pm-13pm', '13pm'],
    ['晚上25點到早上7點', '晚上25點'],
  ])('GIVEN %j THEN refused naming %j as no time of day', (input, time) => {
    expect(parseQuietSpan(input)).toEqual({ ok: false, reason: 'time', time });
  });

  test.each([
    ['23:00', 'format'],
    ['late-early', 'format'],
    ['23--7', 'format'],
    ['23:00-07:00-08:00', 'format'],
    ['', 'format'],
    ['07:00-07:00', 'empty'],
    ['7:00-07:00', 'empty'],
  ])('GIVEN %j THEN refused (%s)', (input, reason) => {
    expect(parseQuietSpan(input)).toEqual({ ok: false, reason });
  });

  test.each([
    ['9-5', ['09:00', '05:00'], ['21:00', '05:00'], ['09:00', '17:00']],
    ['10-6', ['10:00', '06:00'], ['22:00', '06:00'], ['10:00', '18:00']],
    ['10點到6點', ['10:00', '06:00'], ['22:00', '06:00'], ['10:00', '18:00']],
    ['１２－８', ['12:00', '08:00'], ['00:00', '08:00'], ['12:00', '20:00']],
    ['10:30 - 6', ['10:30', '06:00'], ['22:30', '06:00'], ['10:30', '18:00']],
  ])('GIVEN %j (two bare hours, more than 12 hours on the 24-hour clock) THEN asked: as typed %j, or %j, or %j', (input, typed, one, two) => {
    const span = ([start, end]: string[]) => ({ start, end });
    expect(parseQuietSpan(input)).toEqual({ ok: false, reason: 'ambiguous', typed: span(typed), meant: [span(one), span(two)] });
  });
});

describe('a window across midnight', () => {
  const w: QuietWindow = { start: '23:00', end: '07:00', zone: 'Asia/Taipei' };
  test.each([
    ['2026-11-24T14:59:00Z', undefined], // 22:59 Taipei
    ['2026-11-24T15:00:00Z', '2026-11-24T23:00:00.000Z'], // 23:00 → 07:00 the next local morning
    ['2026-11-24T16:30:00Z', '2026-11-24T23:00:00.000Z'], // 00:30
    ['2026-11-24T22:59:00Z', '2026-11-24T23:00:00.000Z'], // 06:59
    ['2026-11-24T23:00:00Z', undefined], // 07:00: over (the end is exclusive)
    ['2026-11-25T04:00:00Z', undefined], // noon
  ])('GIVEN %s THEN quiet until %s', (now, end) => {
    expect(iso(quietEnd(at(now), w))).toBe(end);
    expect(isQuiet(at(now), w)).toBe(end !== undefined);
  });

  test('quietState: outside, until the next start; inside, until the end', () => {
    expect(quietState(at('2026-11-24T04:00:00Z'), w)).toEqual({ quiet: false, until: at('2026-11-24T15:00:00Z'), validUntil: at('2026-11-24T15:00:00Z') });
    expect(quietState(at('2026-11-24T16:00:00Z'), w)).toEqual({ quiet: true, until: at('2026-11-24T23:00:00Z'), validUntil: at('2026-11-24T23:00:00Z') });
    expect(quietState(at('2026-11-24T23:00:00Z'), w)).toEqual({ quiet: false, until: at('2026-11-25T15:00:00Z'), validUntil: at('2026-11-25T15:00:00Z') });
  });

  test('GIVEN a window inside one day (13:00-14:00) THEN only that hour is quiet', () => {
    const noon: QuietWindow = { start: '13:00', end: '14:00', zone: 'UTC' };
    expect(quietEnd(at('2026-11-24T12:59:00Z'), noon)).toBeUndefined();
    expect(iso(quietEnd(at('2026-11-24T13:00:00Z'), noon))).toBe('2026-11-24T14:00:00.000Z');
    expect(quietEnd(at('2026-11-24T23:30:00Z'), noon)).toBeUndefined();
  });
});

describe('across a DST change', () => {
  const ny: QuietWindow = { start: '22:00', end: '07:00', zone: 'America/New_York' };
  test('GIVEN the night clocks go forward (2026-03-08, New York) THEN the window still ends at 07:00 local, now EDT: one hour shorter in UTC', () => {
    // 22:30 EST on the 7th = 03:30Z on the 8th; 07:00 EDT = 11:00Z.
    expect(iso(quietEnd(at('2026-03-08T03:30:00Z'), ny))).toBe('2026-03-08T11:00:00.000Z');
    // 03:30 EDT (07:30Z), just after the jump: still quiet, same end.
    expect(iso(quietEnd(at('2026-03-08T07:30:00Z'), ny))).toBe('2026-03-08T11:00:00.000Z');
    // 07:00 EDT: over.
    expect(quietEnd(at('2026-03-08T11:00:00Z'), ny)).toBeUndefined();
    // The night before, still EST: 07:00 EST = 12:00Z.
    expect(iso(quietEnd(at('2026-03-07T04:00:00Z'), ny))).toBe('2026-03-07T12:00:00.000Z');
  });

  test('GIVEN the night clocks go back (2026-11-01, New York) THEN the window ends at 07:00 EST: one hour longer in UTC', () => {
    // 22:30 EDT on Oct 31 = 02:30Z; 07:00 EST = 12:00Z.
    expect(iso(quietEnd(at('2026-11-01T02:30:00Z'), ny))).toBe('2026-11-01T12:00:00.000Z');
    // Both 01:30s of the repeated hour are quiet, with the same end.
    expect(iso(quietEnd(at('2026-11-01T05:30:00Z'), ny))).toBe('2026-11-01T12:00:00.000Z');
    expect(iso(quietEnd(at('2026-11-01T06:30:00Z'), ny))).toBe('2026-11-01T12:00:00.000Z');
  });

  test('GIVEN a window that ends inside the repeated hour (00:30-01:30, New York, 2026-11-01) THEN each 01:10 ends at the 01:30 that follows it, not a day later', () => {
    const w: QuietWindow = { start: '00:30', end: '01:30', zone: 'America/New_York' };
    // 01:10 EDT (05:10Z) → 01:30 EDT (05:30Z); 01:10 EST (06:10Z) → 01:30 EST (06:30Z).
    expect(iso(quietEnd(at('2026-11-01T05:10:00Z'), w))).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(quietEnd(at('2026-11-01T06:10:00Z'), w))).toBe('2026-11-01T06:30:00.000Z');
  });

  test('GIVEN a window that ends inside the skipped hour (23:00-02:30, New York, 2026-03-08) THEN it ends when the clock jumps past 02:30 (03:00 EDT)', () => {
    const w: QuietWindow = { start: '23:00', end: '02:30', zone: 'America/New_York' };
    // 01:59 EST = 06:59Z; the clock jumps from 02:00 EST to 03:00 EDT at 07:00Z.
    expect(iso(quietEnd(at('2026-03-08T06:59:00Z'), w))).toBe('2026-03-08T07:00:00.000Z');
    expect(quietEnd(at('2026-03-08T07:00:00Z'), w)).toBeUndefined();
  });

  test('GIVEN London on the night clocks go forward (2026-03-29) THEN 23:00-07:00 ends at 07:00 BST (06:00Z)', () => {
    const w: QuietWindow = { start: '23:00', end: '07:00', zone: 'Europe/London' };
    expect(iso(quietEnd(at('2026-03-28T23:30:00Z'), w))).toBe('2026-03-29T06:00:00.000Z');
    expect(quietEnd(at('2026-03-29T06:00:00Z'), w)).toBeUndefined();
  });

  test('GIVEN 01:30-02:30 New York the night clocks go back THEN quiet at 01:40 EDT until 02:30 EST, an answer good only until the clock goes back at 06:00Z, when it reads 01:00 EST, outside', () => {
    const w: QuietWindow = { start: '01:30', end: '02:30', zone: 'America/New_York' };
    expect(quietState(at('2026-11-01T05:40:00Z'), w)).toEqual({ quiet: true, until: at('2026-11-01T07:30:00Z'), validUntil: at('2026-11-01T06:00:00Z') });
    expect(quietState(at('2026-11-01T06:00:00Z'), w)).toEqual({ quiet: false, until: at('2026-11-01T06:30:00Z'), validUntil: at('2026-11-01T06:30:00Z') });
    // 23:00-07:00 the same night: the clock goes back inside the window and stays in it.
    const night: QuietWindow = { start: '23:00', end: '07:00', zone: 'America/New_York' };
    expect(quietState(at('2026-11-01T05:40:00Z'), night)).toEqual({ quiet: true, until: at('2026-11-01T12:00:00Z'), validUntil: at('2026-11-01T12:00:00Z') });
  });

  test('GIVEN Adelaide (UTC+9:30, UTC+10:30 in summer) on both nights its clocks change THEN 23:00-07:00 stays on the wall clock', () => {
    const w: QuietWindow = { start: '23:00', end: '07:00', zone: 'Australia/Adelaide' };
    // 2026-10-04 02:00 ACST → 03:00 ACDT: starts 23:00 ACST (13:30Z), ends 07:00 ACDT (20:30Z): 7 h.
    expect(quietState(at('2026-10-03T13:29:00Z'), w)).toEqual({ quiet: false, until: at('2026-10-03T13:30:00Z'), validUntil: at('2026-10-03T13:30:00Z') });
    expect(iso(quietEnd(at('2026-10-03T13:30:00Z'), w))).toBe('2026-10-03T20:30:00.000Z');
    expect(quietEnd(at('2026-10-03T20:30:00Z'), w)).toBeUndefined();
    // 2026-04-05 03:00 ACDT → 02:00 ACST: starts 23:00 ACDT (12:30Z), ends 07:00 ACST (21:30Z): 9 h.
    expect(quietState(at('2026-04-04T12:29:00Z'), w)).toEqual({ quiet: false, until: at('2026-04-04T12:30:00Z'), validUntil: at('2026-04-04T12:30:00Z') });
    expect(iso(quietEnd(at('2026-04-04T16:45:00Z'), w))).toBe('2026-04-04T21:30:00.000Z');
  });
});

describe('a fixed half- or quarter-hour offset', () => {
  test('GIVEN 23:00-07:00 at UTC+5:45 THEN quiet from 17:15Z to 01:15Z, every day of the year', () => {
    const w: QuietWindow = { start: '23:00', end: '07:00', zone: 'UTC+5:45' };
    for (const day of ['2026-01-10', '2026-07-10']) {
      expect(isQuiet(at(`${day}T17:14:00Z`), w)).toBe(false);
      expect(isQuiet(at(`${day}T17:15:00Z`), w)).toBe(true);
      expect(iso(quietEnd(at(`${day}T17:15:00Z`), w))).toBe(`${day.slice(0, 8)}${String(Number(day.slice(8)) + 1).padStart(2, '0')}T01:15:00.000Z`);
    }
    expect(wallTime(at('2026-11-21T17:15:00Z'), 'UTC-3:30')).toBe('2026-11-21 13:45');
  });
});

describe('the summary message', () => {
  const event = (date: string, value: number) =>
    alertMessage({ date, pair: 'spx-gold', levelId: 'spx-gold-2.5', kind: 'cross-down', direction: 'down', value, levelValue: 2.5, basis: 'close' });

  test('GIVEN three held alerts out of order THEN one message lists them oldest first, each with its local time, in each language', () => {
    const held = [
      { message: event('2026-11-24', 2.49), decidedAt: at('2026-11-24T21:10:00Z') },
      { message: event('2026-11-23', 2.51), decidedAt: at('2026-11-23T21:10:00Z') },
      { message: event('2026-11-25', 2.45), decidedAt: at('2026-11-25T21:10:00Z') },
    ];
    const en = localize(quietSummary(held, 'Asia/Taipei'), 'en');
    expect(en.title).toBe('Quiet hours are over: 3 alerts while you were away, oldest first');
    expect(en.lines).toEqual([
      '2026-11-24 05:10: SPX/Gold fell below 2.5: then 2.510',
      '2026-11-25 05:10: SPX/Gold fell below 2.5: then 2.490',
      '2026-11-26 05:10: SPX/Gold fell below 2.5: then 2.450',
    ]);
    expect(en.footer).toBe('Times in Taipei time.');
    expect(en.mention).toBe(true);
    const zh = localize(quietSummary(held, 'Asia/Taipei'), 'zh-TW');
    expect(zh.title).toBe('勿擾時段結束：期間共有 3 則通知，依時間先後列出');
    expect(zh.lines[0]).toBe('2026年11月24日 05:10：標普500/黃金跌破 2.5：當時 2.510');
    // The zone as readers name its clock: 台北時間, not an IANA name.
    expect(zh.footer).toBe('以上為台北時間。');
    const cn = localize(quietSummary(held, 'Asia/Taipei'), 'zh-CN');
    expect(cn.title).toBe('免打扰时段结束：期间共有 3 条提醒，按时间先后列出');
    expect(cn.lines[0]).toBe('2026年11月24日 05:10：标普500/黄金跌破 2.5：当时 2.510');
    expect(cn.footer).toBe('以上均为台北时间。');
    // Other zones by their local names, where the catalogue has one; else by the IANA name.
    const footer = (zone: string) => LANGS.map((l) => localize(quietSummary(held, zone), l).footer);
    expect(footer('Asia/Shanghai')).toEqual(['Times in Beijing time.', '以上為北京時間。', '以上均为北京时间。']);
    expect(footer('America/New_York')).toEqual(['Times in New York time.', '以上為美東時間。', '以上均为美东时间。']);
    // A place named but not its clock: its clock by the place; neither, the IANA name.
    expect(footer('Europe/Paris')).toEqual(['Times in Paris time.', '以上為巴黎時間。', '以上均为巴黎时间。']);
    expect(footer('America/Boise')).toEqual(['Times in America/Boise.', '時間以 America/Boise 為準。', '时间以 America/Boise 为准。']);
    expect(footer('UTC')).toEqual(['Times in UTC.', '時間以 UTC 為準。', '时间以 UTC 为准。']);
    // A fixed offset is named as people write it, not by its Etc name (whose sign reads the other way).
    expect(localize(quietSummary(held, 'Etc/GMT-8'), 'en').footer).toBe('Times in UTC+8.');
  });

  test.each([
    [
      'New York, whose clocks go back at 02:00 EDT on Sunday 2026-11-01',
      'America/New_York',
      ['2026-11-01T06:15:00Z', '2026-11-01T05:30:00Z', '2026-11-01T07:10:00Z', '2026-11-01T04:50:00Z', '2026-11-01T05:45:00Z'],
      [
        ['2026-11-01 00:50', '2026年11月1日 00:50'],
        ['2026-11-01 01:30 (UTC-4)', '2026年11月1日 01:30（UTC-4）'],
        ['2026-11-01 01:45 (UTC-4)', '2026年11月1日 01:45（UTC-4）'],
        ['2026-11-01 01:15 (UTC-5)', '2026年11月1日 01:15（UTC-5）'],
        ['2026-11-01 02:10', '2026年11月1日 02:10'],
      ],
    ],
    [
      // A weekday: Egypt's summer time ends at midnight on the last Thursday of October, and the repeated
      // hour holds the New York close's decisions (17:30 New York is 23:30 in Cairo that night).
      'Cairo, whose clocks go back at midnight on Thursday 2025-10-30',
      'Africa/Cairo',
      ['2025-10-30T21:35:00Z', '2025-10-30T22:10:00Z', '2025-10-30T20:45:00Z'],
      [
        ['2025-10-30 23:45 (UTC+3)', '2025年10月30日 23:45（UTC+3）'],
        ['2025-10-30 23:35 (UTC+2)', '2025年10月30日 23:35（UTC+2）'],
        ['2025-10-31 00:10', '2025年10月31日 00:10'],
      ],
    ],
  ])(
    'GIVEN alerts held through the night in %s THEN listed in the order they happened, each in the repeated hour with its offset, in each language',
    (_, zone, times, want) => {
      const held = times.map((t, i) => ({ message: event('2026-11-23', 2.4 + i / 100), decidedAt: at(t) }));
      const when = (lang: 'en' | 'zh-TW' | 'zh-CN') => localize(quietSummary(held, zone), lang).lines.map((l) => l.replace(/[:：] ?(SPX|標普|标普).*$/u, ''));
      // Before: the times alone, 01:30, 01:45, 01:15 (23:45, 23:35 in Cairo), read as going backwards.
      expect(when('en')).toEqual(want.map(([en]) => en));
      expect(when('zh-TW')).toEqual(want.map(([, zh]) => zh));
      expect(when('zh-CN')).toEqual(want.map(([, zh]) => zh));
    },
  );

  test('GIVEN a summary held again with a newer alert THEN one list of every item, not a summary inside a summary', () => {
    const first = quietSummary(
      [
        { message: event('2026-11-23', 2.51), decidedAt: at('2026-11-23T21:10:00Z') },
        { message: event('2026-11-24', 2.49), decidedAt: at('2026-11-24T21:10:00Z') },
      ],
      'UTC',
    );
    const again = localize(
      quietSummary(
        [
          { message: event('2026-11-25', 2.45), decidedAt: at('2026-11-25T21:10:00Z') },
          { message: first, decidedAt: at('2026-11-25T07:00:00Z') },
        ],
        'UTC',
      ),
      'en',
    );
    expect(again.title).toBe('Quiet hours are over: 3 alerts while you were away, oldest first');
    expect(again.lines).toEqual([
      '2026-11-23 21:10: SPX/Gold fell below 2.5: then 2.510',
      '2026-11-24 21:10: SPX/Gold fell below 2.5: then 2.490',
      '2026-11-25 21:10: SPX/Gold fell below 2.5: then 2.450',
    ]);
  });

  test('GIVEN held alerts of every kind that says "now" (approach, late break, move) and one of an older close THEN no item says now: each its value then, the older close as it was', () => {
    const approach = alertMessage({
      date: '2026-11-23',
      pair: 'qqq-gold',
      levelId: 'qqq-gold-0.25',
      kind: 'approach',
      direction: 'up',
      value: 0.2431,
      levelValue: 0.25,
      basis: 'intraday',
    });
    const late = alertMessage(
      { date: '2026-11-24', pair: 'spx-gold', levelId: 'spx-gold-2.5', kind: 'cross-down', direction: 'down', value: 2.47, levelValue: 2.5, basis: 'close' },
      { since: '2026-11-20', value: 2.48, after: '2026-11-18', days: 5 },
    );
    const move = moveMessage({
      date: '2026-11-24',
      pair: 'spx-gold',
      direction: 'up',
      changePct: 6,
      fromValue: 1.7,
      fromDate: '2026-11-20',
      value: 1.802,
      days: 2,
      pct: 5,
    });
    const older = alertMessage(
      { date: '2026-11-20', pair: 'spx-gold', levelId: 'spx-gold-2.5', kind: 'cross-down', direction: 'down', value: 2.48, levelValue: 2.5, basis: 'close' },
      undefined,
      true,
    );
    const held = [approach, late, move, older].map((message, i) => ({ message, decidedAt: at(`2026-11-24T2${i}:00:00Z`) }));
    const lines = (lang: 'en' | 'zh-TW' | 'zh-CN') => localize(quietSummary(held, 'UTC'), lang).lines;
    expect(lines('en')).toEqual([
      '2026-11-24 20:00: QQQ/Gold was approaching 0.25 from below: then 0.2431 (2.84% away)',
      '2026-11-24 21:00: SPX/Gold fell below 2.5 on 2026-11-20 (reported late): then 2.470',
      '2026-11-24 22:00: SPX/Gold rose 6.00% in 2 trading days: then 1.802',
      '2026-11-24 23:00: SPX/Gold fell below 2.5 on 2026-11-20: closed at 2.480',
    ]);
    for (const lang of ['en', 'zh-TW', 'zh-CN'] as const) for (const line of lines(lang)) expect(line).not.toMatch(/\bnow\b|目前|当前/);
    expect(lines('zh-TW')[2]).toMatch(/：當時 1\.802$/);
    expect(lines('zh-CN')[0]).toMatch(/：当时 0\.2431（相距 2\.84%）$/);
  });

  test('GIVEN held alerts whose ratio used an older gold price (London shut, New York open) THEN each item names that day, as the alert itself did, in each language', () => {
    const level = alertMessage(
      { date: '2026-12-28', pair: 'spx-gold', levelId: 'spx-gold-2.5', kind: 'cross-down', direction: 'down', value: 2.49, levelValue: 2.5, basis: 'close' },
      undefined,
      false,
      '2026-12-24',
    );
    const move = moveMessage(
      { date: '2026-12-28', pair: 'qqq-gold', direction: 'up', changePct: 6, fromValue: 0.2, fromDate: '2026-12-21', value: 0.212, days: 5, pct: 5 },
      false,
      '2026-12-24',
    );
    const plain = event('2026-12-29', 2.45);
    // The alert carries the line the item keeps.
    expect(localize(level, 'en').lines).toContain('The ratio uses the gold price of 2026-12-24, the latest at the close of 2026-12-28.');
    const held = [level, move, plain].map((message, i) => ({ message, decidedAt: at(`2026-12-2${8 + (i === 2 ? 1 : 0)}T2${i}:00:00Z`) }));
    const lines = (lang: 'en' | 'zh-TW' | 'zh-CN') => localize(quietSummary(held, 'UTC'), lang).lines;
    expect(lines('en')).toEqual([
      '2026-12-28 20:00: SPX/Gold fell below 2.5: then 2.490 (on the gold price of 2026-12-24)',
      '2026-12-28 21:00: QQQ/Gold rose 6.00% in 5 trading days: then 0.2120 (on the gold price of 2026-12-24)',
      '2026-12-29 22:00: SPX/Gold fell below 2.5: then 2.450',
    ]);
    expect(lines('zh-TW')[0]).toBe('2026年12月28日 20:00：標普500/黃金跌破 2.5：當時 2.490（採2026年12月24日的金價）');
    expect(lines('zh-CN')[1]).toMatch(/：当时 0\.2120（采用2026年12月24日的金价）$/);
    expect(lines('zh-TW')[2]).not.toMatch(/金價/);
  });

  test('wallTime reads the zone at that instant (DST included)', () => {
    expect(wallTime(at('2026-07-01T12:00:00Z'), 'America/New_York')).toBe('2026-07-01 08:00');
    expect(wallTime(at('2026-12-01T12:00:00Z'), 'America/New_York')).toBe('2026-12-01 07:00');
  });
});
