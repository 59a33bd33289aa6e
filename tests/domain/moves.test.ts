/**
 * Move detection, pure, as one table: a path of daily closes in, events out. One fast fall is one
 * alert; a watch re-arms only when the move eases; the cooldown delays a second alert (late, never
 * lost); a move already under way where history starts fires nothing.
 */
import { describe, expect, test } from 'vitest';
import { addDays } from '../../src/domain/dates.ts';
import { changeAt, moveFromKey, moveKey, moveStep, initialMoveState, replayMoves, type MoveSpec } from '../../src/domain/moves.ts';
import { moveMessage } from '../../src/domain/move-message.ts';
import { localize } from '../../src/domain/message.ts';
import type { Point } from '../../src/domain/series.ts';

/** Consecutive calendar days from 2026-01-01 (the rule counts closes, so weekends do not matter here). */
const path = (values: readonly number[], start = '2026-01-01'): Point[] => values.map((value, i) => ({ date: addDays(start, i), value }));
const M: MoveSpec = { pair: 'spx-gold', pct: 10, days: 2 };
const brief = (cooldown: number, values: readonly number[]) =>
  replayMoves(M, path(values), cooldown).map((e) => `${e.date.slice(5)} ${e.direction} ${e.changePct.toFixed(1)}`);

describe('moveStep over a path (10% over 2 closes)', () => {
  test.each([
    ['a flat path fires nothing', 0, [100, 101, 100, 101, 100, 101], []],
    ['a 12% fall over two closes fires once, on the close it reaches 10%', 0, [100, 100, 100, 95, 88, 88, 88], ['01-05 down -12.0']],
    ['the fall goes on: still one alert (the watch waits until the move eases)', 0, [100, 100, 100, 95, 88, 80, 70, 65], ['01-05 down -12.0']],
    ['eased, then a rise of 12%: a second alert, up', 0, [100, 100, 100, 95, 88, 88, 88, 95, 99, 99], ['01-05 down -12.0', '01-09 up 12.5']],
    [
      'a second move inside the cooldown waits for it to end, then fires if still past 10% (late, never lost)',
      5,
      [100, 100, 100, 95, 88, 88, 88, 95, 99, 99, 110, 112],
      ['01-05 down -12.0', '01-11 up 11.1'],
    ],
    ['a second move inside the cooldown that eased before it ended never fires', 5, [100, 100, 100, 95, 88, 88, 88, 95, 99, 99, 99, 99], ['01-05 down -12.0']],
    ['a move already past 10% where history starts fires nothing until it eases and comes again', 0, [100, 100, 85, 84, 84, 84, 75], ['01-07 down -10.7']],
    ['exactly 10% counts', 0, [100, 100, 100, 100, 110], ['01-05 up 10.0']],
    [
      'a fall, then straight past 10% up without easing first: the rise is a new event',
      0,
      [100, 100, 100, 95, 88, 85, 97, 99],
      ['01-05 down -12.0', '01-07 up 10.2'],
    ],
    [
      'a reversal past 10% inside the cooldown fires when it ends, if still past 10% (late, never lost)',
      4,
      [100, 100, 100, 95, 88, 85, 97, 99, 107, 110],
      ['01-05 down -12.0', '01-09 up 10.3'],
    ],
  ])('%s', (_name, cooldown, values, events) => {
    expect(brief(cooldown, values)).toEqual(events);
  });

  test('GIVEN a state stored before it named the direction held THEN the same move stays held and a reversal fires', () => {
    const closes = path([100, 100, 100, 95, 88, 85, 97]);
    const same = moveStep(M, { armed: false, firedOn: '2026-01-05' }, closes, 5, 0);
    expect(same).toEqual({ state: { armed: false, held: 'down', firedOn: '2026-01-05' }, event: undefined, changed: true });
    expect(moveStep(M, { armed: false, firedOn: '2026-01-05' }, closes, 6, 0).event).toMatchObject({ date: '2026-01-07', direction: 'up' });
  });

  test('GIVEN fewer closes than the span THEN nothing is decided and the state does not change', () => {
    const closes = path([100, 80]);
    const s = initialMoveState(M, closes, 0);
    expect(changeAt(closes, 1, 2)).toBeUndefined();
    expect(moveStep(M, s, closes, 1, 0)).toEqual({ state: s, event: undefined, changed: false });
  });

  test('replay records how far each move went before it eased', () => {
    const [e] = replayMoves(M, path([100, 100, 100, 95, 88, 80, 70, 75, 90, 100]), 0);
    expect(e).toMatchObject({ date: '2026-01-05', changePct: -12, peakDate: '2026-01-07' });
    expect(e!.peakPct).toBeCloseTo(-20.4545, 3);
  });
});

describe("the tester's sharp reversal: /move spx 5 5, cooldown 14 days", () => {
  /** NYSE trading days from 2026-08-26 to 2026-10-16 (Labor Day, 09-07, is closed). */
  const dates: string[] = [];
  for (let d = '2026-08-26'; d <= '2026-10-16'; d = addDays(d, 1)) {
    const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (wd !== 0 && wd !== 6 && d !== '2026-09-07') dates.push(d);
  }
  const fixed: Record<string, number> = { '2026-09-03': 2.5, '2026-09-04': 2.47, '2026-09-08': 2.44, '2026-09-09': 2.42, '2026-09-10': 2.3 };
  const closes: Point[] = [];
  for (const date of dates) {
    const last = closes.at(-1)?.value;
    let value: number;
    if (date <= '2026-09-02') value = 2.53;
    else if (fixed[date] !== undefined) value = fixed[date];
    else if (date <= '2026-09-25')
      value = last! * 0.98; // the fall goes on: the 5-day change stays under -5%
    else if (date === '2026-09-28')
      value = closes.at(-5)!.value * 1.059; // straight from -9.6% to +5.9%, never under 5% between
    else if (date <= '2026-10-09') value = last! * 1.04;
    else value = last!;
    closes.push({ date, value });
  }

  test('GIVEN the fall alerted on 09-10 THEN the rally alerts on 09-28, the first close past +5% after the cooldown, and only once', () => {
    const m: MoveSpec = { pair: 'spx-gold', pct: 5, days: 5 };
    const i28 = dates.indexOf('2026-09-28');
    expect(changeAt(closes, i28 - 1, 5)!).toBeLessThan(-5);
    const events = replayMoves(m, closes, 14).map((e) => `${e.date} ${e.direction} ${e.changePct.toFixed(2)} from ${e.fromDate}`);
    expect(events).toEqual(['2026-09-10 down -9.09 from 2026-09-02', '2026-09-28 up 5.90 from 2026-09-21']);
    // The live engine, one close at a time, agrees with replay.
    let state = initialMoveState(m, closes, 5);
    const live: string[] = [];
    for (let i = 6; i < closes.length; i++) {
      const r = moveStep(m, state, closes, i, 14);
      state = r.state;
      if (r.event) live.push(`${r.event.date} ${r.event.direction}`);
    }
    expect(live).toEqual(['2026-09-10 down', '2026-09-28 up']);
  });
});

describe('keys and messages', () => {
  test('a key names the watch and reads back; anything else is not a move key', () => {
    expect(moveKey({ pair: 'qqq-gold', pct: 7.5, days: 60 })).toBe('move:qqq-gold:7.5:60');
    expect(moveFromKey('move:qqq-gold:7.5:60')).toEqual({ pair: 'qqq-gold', pct: 7.5, days: 60 });
    expect(moveFromKey('spx-gold-2.5')).toBeUndefined();
  });

  test('GIVEN a move over 1 trading day THEN the English reads a day, not days', () => {
    const en = localize(
      moveMessage({
        date: '2026-03-20',
        pair: 'qqq-gold',
        pct: 3,
        days: 1,
        direction: 'up',
        changePct: 4,
        fromDate: '2026-03-19',
        fromValue: 0.15,
        value: 0.156,
      }),
      'en',
    );
    expect(en.title).toBe('QQQ/Gold rose 4.00% in 1 trading day: now 0.1560');
    expect(en.lines[1]).toBe("This chat's move alert: 3% or more over 1 trading day");
  });

  test('GIVEN a 12.3% fall over 20 trading days THEN the alert reads it in both languages, with a chart of the pair', () => {
    const m = moveMessage({
      date: '2026-03-20',
      pair: 'spx-gold',
      pct: 10,
      days: 20,
      direction: 'down',
      changePct: -12.3,
      fromDate: '2026-02-20',
      fromValue: 1.5,
      value: 1.3156,
    });
    const en = localize(m, 'en');
    expect(en.title).toBe('SPX/Gold fell 12.3% in 20 trading days: now 1.316');
    expect(en.lines).toEqual([
      'From 1.500 on 2026-02-20 to 1.316 on 2026-03-20',
      "This chat's move alert: 10% or more over 20 trading days",
      'Daily close of 2026-03-20',
    ]);
    expect(en.tone).toBe('down');
    expect(en.chart).toEqual({ kind: 'ratio', pair: 'spx-gold', range: '3M' });
    const zh = localize(m, 'zh-TW');
    expect(zh.title).toBe('標普500/黃金在 20 個交易日內下跌 12.3%：目前 1.316');
    expect(zh.lines).toEqual(['由2026年2月20日的 1.500 到2026年3月20日的 1.316', '本聊天室的急漲急跌通知：20 個交易日內漲跌 10% 以上', '2026年3月20日收盤']);
    const cn = localize(m, 'zh-CN');
    expect(cn.title).toBe('标普500/黄金在 20 个交易日内下跌 12.3%：当前 1.316');
    expect(cn.lines).toEqual(['从2026年2月20日的 1.500 到2026年3月20日的 1.316', '本聊天的急涨急跌提醒：20 个交易日内涨跌 10% 以上', '2026年3月20日收盘']);
  });
});
