import { describe, expect, test } from 'vitest';
import { initialState, runSeries, step, type CrossingOptions } from '../../src/domain/crossing.ts';
import { customLevel, levelById, type Level } from '../../src/domain/levels.ts';

const L25 = levelById('spx-gold-2.5')!;
const ZONE = levelById('spx-gold-0.6-0.7')!;
const CUSTOM = customLevel('spx-gold', 1.8);
const o = { approachPct: 3, hysteresisPct: 1 };

/** A path of ratios on consecutive days from 2020-01-01; `null` is a day with no data. */
function path(values: readonly (number | null)[]) {
  const out: { date: string; value: number }[] = [];
  values.forEach((v, i) => {
    if (v !== null) out.push({ date: new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 10), value: v });
  });
  return out;
}
const short = (level: Level, values: readonly (number | null)[], opts: CrossingOptions = o) =>
  runSeries(level, path(values), opts).map((e) => `${e.date.slice(5)} ${e.kind} ${e.direction}`);

describe('crossing rules', () => {
  test.each<[string, Level, (number | null)[], string[]]>([
    ['GIVEN history starting above a line THEN nothing fires for the start', L25, [2.6, 2.6, 2.6], []],
    ['GIVEN a first break upward THEN cross-up at the line itself', L25, [2.3, 2.4, 2.51], ['01-03 cross-up up']],
    ['GIVEN a first break downward THEN cross-down', L25, [2.7, 2.6, 2.49], ['01-03 cross-down down']],
    [
      'GIVEN oscillation within the 1% band after a break THEN one event, not one per wiggle',
      L25,
      [2.3, 2.51, 2.49, 2.51, 2.48, 2.52, 2.49, 2.51],
      ['01-02 cross-up up'],
    ],
    [
      'GIVEN a move back past the band THEN the reverse break fires, and the next needs the band again',
      L25,
      [2.3, 2.51, 2.47, 2.52, 2.53],
      ['01-02 cross-up up', '01-03 cross-down down', '01-05 cross-up up'],
    ],
    [
      'GIVEN gaps in the data THEN the state carries across them',
      L25,
      [2.3, null, null, 2.51, null, 2.49, null, null, 2.4],
      ['01-04 cross-up up', '01-09 cross-down down'],
    ],
    [
      'GIVEN a zone entered from above and exited below THEN enter down, exit down',
      ZONE,
      [0.8, 0.75, 0.69, 0.65, 0.59],
      ['01-03 zone-enter down', '01-05 zone-exit down'],
    ],
    [
      'GIVEN a zone entered from below and exited above THEN enter up, exit up',
      ZONE,
      [0.5, 0.55, 0.61, 0.65, 0.71],
      ['01-03 zone-enter up', '01-05 zone-exit up'],
    ],
    [
      'GIVEN a zone entered from above and left back upward THEN enter down, exit up (past the band)',
      ZONE,
      [0.8, 0.69, 0.705, 0.71],
      ['01-02 zone-enter down', '01-04 zone-exit up'],
    ],
    ['GIVEN a gap that jumps over a whole zone THEN only the exit fires (0.5 was never inside)', ZONE, [0.8, null, 0.5], ['01-03 zone-exit down']],
    ['GIVEN history starting inside a zone THEN leaving it fires only the exit', ZONE, [0.65, 0.72], ['01-02 zone-exit up']],
    ['GIVEN a custom level THEN it follows the same rules', CUSTOM, [2.0, 1.79, 1.81, 1.77], ['01-02 cross-down down']],
  ])('%s', (_name, level, values, expected) => {
    expect(short(level, values, { approachPct: 0, hysteresisPct: 1 })).toEqual(expected);
  });

  test.each<[string, Level, (number | null)[], string[]]>([
    ['GIVEN the ratio comes within 3% from below THEN approach up, once', L25, [2.2, 2.3, 2.43, 2.44, 2.45, 2.44], ['01-03 approach up']],
    ['GIVEN the ratio comes within 3% from above THEN approach down', L25, [2.8, 2.57, 2.56], ['01-02 approach down']],
    [
      'GIVEN the ratio moves away beyond twice the approach distance and returns THEN approach fires again',
      L25,
      [2.2, 2.43, 2.3, 2.44],
      ['01-02 approach up', '01-04 approach up'],
    ],
    [
      'GIVEN the ratio leaves the approach band only slightly (under 6%) and returns THEN no second approach',
      L25,
      [2.2, 2.43, 2.41, 2.44],
      ['01-02 approach up'],
    ],
    ['GIVEN history starting within the band THEN no approach for the start', L25, [2.45, 2.46, 2.44], []],
    ['GIVEN a break in one step THEN the break, without an approach', L25, [2.3, 2.55, 2.56], ['01-02 cross-up up']],
    [
      'GIVEN a break, then the ratio moves away and comes back THEN approach from the other side',
      L25,
      [2.4, 2.43, 2.51, 2.8, 2.56, 2.47],
      ['01-02 approach up', '01-03 cross-up up', '01-05 approach down', '01-06 cross-down down'],
    ],
    ['GIVEN a zone approached from above THEN approach is measured to its high edge', ZONE, [0.8, 0.72], ['01-02 approach down']],
  ])('%s', (_name, level, values, expected) => {
    expect(short(level, values)).toEqual(expected);
  });

  test.each<[string, Level, (number | null)[], string[]]>([
    [
      'GIVEN a reverse break inside the 5-day cooldown that does not last THEN no event at all',
      L25,
      [2.3, 2.51, 2.45, 2.46, 2.52, 2.53, 2.55, 2.56, 2.6],
      ['01-02 cross-up up'],
    ],
    [
      'GIVEN a reverse break inside the cooldown that lasts THEN it fires late, on the first day after the cooldown',
      L25,
      [2.3, 2.51, 2.45, 2.44, 2.43, 2.42, 2.41, 2.4, 2.39],
      ['01-02 cross-up up', '01-07 cross-down down'],
    ],
    [
      'GIVEN a reverse break after the cooldown THEN it fires on its own day',
      L25,
      [2.3, 2.51, 2.52, 2.53, 2.54, 2.55, 2.56, 2.45],
      ['01-02 cross-up up', '01-08 cross-down down'],
    ],
    [
      'GIVEN a zone THEN each edge has its own cooldown: leaving through the other edge is not delayed',
      ZONE,
      [0.8, 0.69, 0.59, 0.58],
      ['01-02 zone-enter down', '01-03 zone-exit down'],
    ],
  ])('%s', (_name, level, values, expected) => {
    expect(short(level, values, { approachPct: 0, hysteresisPct: 1, cooldownDays: 5 })).toEqual(expected);
  });

  // A late event says when the break happened: the first point of the run beyond the line that went
  // past the band during the cooldown (the story's date for it); one back above the line forgets it.
  test.each<[string, (number | null)[], string[]]>([
    [
      'GIVEN a reverse break held by the cooldown THEN the late event names its first point past the band and the break before',
      [2.3, 2.51, 2.45, 2.44, 2.43, 2.42, 2.41, 2.4],
      ['01-02 cross-up', '01-07 cross-down late since 01-03 at 2.45 after 01-02'],
    ],
    [
      'GIVEN a held break that came back above the line and broke again THEN it is dated by the second time',
      [2.3, 2.51, 2.45, 2.52, 2.46, 2.44, 2.43, 2.42],
      ['01-02 cross-up', '01-07 cross-down late since 01-05 at 2.46 after 01-02'],
    ],
    [
      'GIVEN a point below the line but inside the band, then one past it, during the cooldown THEN the late event is dated by the first (its run began there)',
      [2.3, 2.51, 2.49, 2.46, 2.44, 2.43, 2.42, 2.4],
      ['01-02 cross-up', '01-07 cross-down late since 01-03 at 2.49 after 01-02'],
    ],
    [
      'GIVEN a point inside the band that came back above the line, then a run past the band THEN the late event is dated by that run',
      [2.3, 2.51, 2.49, 2.51, 2.48, 2.46, 2.44, 2.43],
      ['01-02 cross-up', '01-07 cross-down late since 01-05 at 2.48 after 01-02'],
    ],
    [
      'GIVEN points inside the band only during the cooldown THEN nothing is held: the break comes at the first point past the band after it, not late',
      [2.3, 2.51, 2.49, 2.49, 2.49, 2.49, 2.49, 2.48, 2.46],
      ['01-02 cross-up', '01-09 cross-down'],
    ],
    ['GIVEN a reverse break after the cooldown THEN it is not late', [2.3, 2.51, 2.52, 2.53, 2.54, 2.55, 2.56, 2.45], ['01-02 cross-up', '01-08 cross-down']],
  ])('%s', (_name, values, expected) => {
    const events = runSeries(L25, path(values), { approachPct: 0, hysteresisPct: 1, cooldownDays: 5 });
    expect(
      events.map(
        (e) => `${e.date.slice(5)} ${e.kind}${e.late ? ` late since ${e.late.since.slice(5)} at ${e.late.value} after ${e.late.after.slice(5)}` : ''}`,
      ),
    ).toEqual(expected);
  });

  // An approach says which side the ratio comes from: it must be on that side now. During a cooldown
  // or inside the band the edge still remembers the old side; replay 2000-11..12 said "approaching
  // 0.2500 from below: now 0.2511".
  test.each<[string, Level, (number | null)[], string[]]>([
    [
      'GIVEN a line broken down, then back above it inside the cooldown THEN no "approach from below" above the line',
      L25,
      [3.0, 2.4, 3.0, 2.51, 2.53, 2.53, 2.53],
      ['01-02 cross-down down', '01-07 cross-up up'],
    ],
    [
      'GIVEN a zone left downward, then back inside it inside the cooldown THEN no "approach from below" from inside',
      ZONE,
      [0.65, 0.55, 0.45, 0.605, 0.61, 0.61, 0.61],
      ['01-02 zone-exit down', '01-07 zone-enter up'],
    ],
    ['GIVEN the ratio back above the line but within the band THEN no approach from below either', L25, [3.0, 2.4, 2.0, 2.51, 2.52], ['01-02 cross-down down']],
    [
      'GIVEN the same line approached honestly from below after the break THEN approach up fires',
      L25,
      [3.0, 2.4, 2.0, 2.45],
      ['01-02 cross-down down', '01-04 approach up'],
    ],
  ])('%s', (_name, level, values, expected) => {
    expect(short(level, values, { approachPct: 3, hysteresisPct: 1, cooldownDays: 5 })).toEqual(expected);
  });

  test('GIVEN a state saved before the cooldown existed (no break date) THEN a reverse break is not held', () => {
    const old = { edges: [{ above: true, armed: false }], approachArmed: false };
    const r = step(L25, old, { date: '2020-01-03', value: 2.45 }, { approachPct: 0, hysteresisPct: 1, cooldownDays: 5 });
    expect(r.events.map((e) => e.kind)).toEqual(['cross-down']);
    expect(r.state.edges[0]).toEqual({ above: false, armed: false, brokeOn: '2020-01-03' });
  });

  test('GIVEN an unchanged state THEN step says so (nothing to persist)', () => {
    const s = initialState(L25, { value: 2.0 }, o);
    const r = step(L25, s, { date: '2020-01-02', value: 2.01 }, o);
    expect(r.changed).toBe(false);
    expect(r.state).toBe(s);
    const r2 = step(L25, s, { date: '2020-01-03', value: 2.6 }, o);
    expect(r2.changed).toBe(true);
    expect(r2.events).toEqual([{ date: '2020-01-03', levelId: 'spx-gold-2.5', kind: 'cross-up', direction: 'up', value: 2.6, levelValue: 2.5 }]);
  });
});
