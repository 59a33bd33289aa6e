import { describe, expect, test } from 'vitest';
import { historyLines, historyList, runStart, type DecidedEvent } from '../../src/domain/history-list.ts';
import type { ReplayEvent } from '../../src/domain/crossing.ts';
import type { Point } from '../../src/domain/series.ts';

const series = (values: readonly number[]): Point[] => values.map((value, i) => ({ date: `2024-01-${String(i + 2).padStart(2, '0')}`, value }));
// 01-02 … 01-09: below 2.5, then beyond it from 01-05 (2.51 inside the band, 2.53 past it).
const S = series([2.45, 2.46, 2.49, 2.51, 2.53, 2.56, 2.57, 2.58]);

describe('runStart: the first close of the run of closes beyond the edge', () => {
  test.each<[string, string, 'up' | 'down', string | undefined]>([
    ['GIVEN the close past the band THEN the run began at the first close beyond the edge', '2024-01-06', 'up', '2024-01-05'],
    ['GIVEN the first close beyond THEN itself', '2024-01-05', 'up', '2024-01-05'],
    ['GIVEN a date without a close after the run (a live point) THEN the run of the closes before it', '2024-01-10', 'up', '2024-01-05'],
    ['GIVEN a close that is not beyond (corrected since) THEN none', '2024-01-04', 'up', undefined],
    ['GIVEN a live point after closes on the old side THEN the point itself', '2024-01-10', 'down', '2024-01-10'],
  ])('%s', (_name, date, direction, expected) => {
    expect(runStart(S, 2.5, direction, date)).toBe(expected);
  });
});

describe('historyList: each break once', () => {
  const base = { pair: 'spx-gold', levelId: 'spx-gold-2.5', kind: 'cross-up', direction: 'up', levelValue: 2.5 } as const;
  const story: ReplayEvent = { ...base, date: '2024-01-05', value: 2.51 };

  test('GIVEN the alert at the close past the band and the story’s break of the same run THEN one line at the story’s date, the alert’s beside it', () => {
    const events: DecidedEvent[] = [{ ...base, date: '2024-01-06', value: 2.53 }];
    expect(historyList(events, [story], { 'spx-gold': S }, 10)).toEqual([
      { ...base, date: '2024-01-05', value: 2.51, alerted: { date: '2024-01-06', late: false }, historic: false },
    ]);
  });

  test('GIVEN the same break decided by two watches (the essay level at a chat’s own approach %) THEN one line', () => {
    const e: DecidedEvent = { ...base, date: '2024-01-06', value: 2.53 };
    expect(historyList([e, e], [story], { 'spx-gold': S }, 10)).toHaveLength(1);
  });

  test('GIVEN an alert whose run the story does not hold, after a held break the other way THEN it stands at its own close, and the story’s break apart', () => {
    const other: ReplayEvent = { ...story, kind: 'cross-down', direction: 'down', date: '2024-01-02' };
    const lines = historyList([{ ...base, date: '2024-01-06', value: 2.53 }], [other], { 'spx-gold': S }, 10);
    expect(lines.map((l) => `${l.date} ${l.historic ? 'history' : 'alert'} ${l.alerted?.date ?? '-'}`)).toEqual(['2024-01-06 alert -', '2024-01-02 history -']);
  });

  test('GIVEN a late alert the story does not hold THEN it stands at the day it was held since, reported late', () => {
    const e: DecidedEvent = { ...base, date: '2024-01-09', value: 2.58, heldSince: '2024-01-06', heldValue: 2.53 };
    expect(historyList([e], [], { 'spx-gold': S }, 10)).toEqual([
      { ...base, date: '2024-01-06', value: 2.53, alerted: { date: '2024-01-09', late: true }, historic: false },
    ]);
  });

  // 01-03 above 2.5, 01-04 back below, above from 01-05 for good: the alert came at the first run, the story holds the second.
  const S2 = series([2.45, 2.51, 2.48, 2.52, 2.53, 2.54, 2.55, 2.56]);
  const held: ReplayEvent = { ...base, date: '2024-01-05', value: 2.52 };

  test('GIVEN an alert at a close beyond that came back, and the break that held after it with nothing of that edge between THEN one line, the held break’s, naming the earlier alert', () => {
    expect(historyList([{ ...base, date: '2024-01-03', value: 2.51 }], [held], { 'spx-gold': S2 }, 10)).toEqual([
      { ...base, date: '2024-01-05', value: 2.52, alerted: { date: '2024-01-03', late: false }, historic: false },
    ]);
  });

  test('GIVEN an alert the other way between them (the engine said it came back) THEN each stands: up, down, up', () => {
    const events: DecidedEvent[] = [
      { ...base, kind: 'cross-down', direction: 'down', date: '2024-01-04', value: 2.48 },
      { ...base, date: '2024-01-03', value: 2.51 },
    ];
    const lines = historyList(events, [held], { 'spx-gold': S2 }, 10);
    expect(lines.map((l) => `${l.date} ${l.direction} ${l.historic ? 'history' : 'alert'}`)).toEqual([
      '2024-01-05 up history',
      '2024-01-04 down alert',
      '2024-01-03 up alert',
    ]);
  });

  // The QQQ/Gold event stands for the newest ones fetched; the alert of 01-03 is the next older one, not fetched.
  const newer: DecidedEvent = {
    pair: 'qqq-gold',
    levelId: 'qqq-gold-0.03',
    kind: 'approach',
    direction: 'down',
    levelValue: 0.03,
    date: '2024-01-08',
    value: 0.0305,
  };
  test.each<[string, readonly DecidedEvent[], boolean, string, boolean]>([
    ['GIVEN only newer events fetched, more there may be THEN the held break is listed but needs the older ones', [newer], false, '2024-01-05 history', true],
    [
      'GIVEN every event THEN the held break names its alert, nothing more needed',
      [newer, { ...base, date: '2024-01-03', value: 2.51 }],
      true,
      '2024-01-05 alerted 2024-01-03',
      false,
    ],
    ['GIVEN only newer events, and they are all there are THEN the held break is history', [newer], true, '2024-01-05 history', false],
  ])('%s', (_name, events, complete, line, needsOlder) => {
    const r = historyLines(events, [held], { 'spx-gold': S2, 'qqq-gold': [] }, 10, complete);
    expect(r.lines.filter((l) => l.pair === 'spx-gold').map((l) => `${l.date} ${l.historic ? 'history' : `alerted ${l.alerted?.date}`}`)).toEqual([line]);
    expect(r.needsOlder).toBe(needsOlder);
  });

  test('GIVEN the oldest fetched event an alert after a held break of its direction THEN it needs the events before it (one between would make them two moves)', () => {
    // Below 2.5 held from 01-02 (alerted or not, unknown), the alert of 01-06 the oldest fetched: an alert up between is unknown.
    const down: ReplayEvent = { ...base, kind: 'cross-down', direction: 'down', date: '2024-01-02', value: 2.45 };
    const e: DecidedEvent = { ...base, kind: 'cross-down', direction: 'down', date: '2024-01-06', value: 2.44 };
    expect(historyLines([e], [down], { 'spx-gold': S }, 10, false).needsOlder).toBe(true);
    expect(historyLines([newer, e], [down], { 'spx-gold': S }, 10, false).needsOlder).toBe(true);
  });
});
