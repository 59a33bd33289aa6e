import { describe, expect, test } from 'vitest';
import { type CrossingEvent, type CrossingOptions, initialState, type LevelState, step } from '../../src/domain/crossing.ts';
import { addDays } from '../../src/domain/dates.ts';
import { customLevel, type Level, levelById } from '../../src/domain/levels.ts';

const ZONE = levelById('spx-gold-0.6-0.7')!;
const L25 = levelById('spx-gold-2.5')!;
// The configured defaults (docs/architecture.md: 1% band, 14-day cooldown).
const o: CrossingOptions = { approachPct: 3, hysteresisPct: 1, cooldownDays: 14 };

function run(level: Level, closes: readonly (readonly [string, number])[], opts: CrossingOptions) {
  let state: LevelState = initialState(level, { value: closes[0]![1] }, opts);
  const events: CrossingEvent[] = [];
  for (const [date, value] of closes.slice(1)) {
    const r = step(level, state, { date, value }, opts);
    state = r.state;
    events.push(...r.events);
  }
  return { state, events };
}

describe('zone events are true at their close', () => {
  // The tester's path: the 0.7 edge broke on 09-21, the 0.6 edge on 09-23; their cooldowns ended on
  // 10-05 and 10-07. At 10-05 the bot said both "entered the zone from below: now 0.8200" and "left
  // the zone upward: now 0.8200", then set the 0.6 edge's break to 10-07 without an event.
  const closes: [string, number][] = [
    ['2026-09-17', 0.75],
    ['2026-09-18', 0.72],
    ['2026-09-21', 0.68],
    ['2026-09-22', 0.65],
    ['2026-09-23', 0.58],
    ['2026-09-24', 0.61],
    ['2026-09-25', 0.66],
    ['2026-09-28', 0.72],
    ['2026-09-29', 0.8],
    ['2026-09-30', 0.79],
    ['2026-10-01', 0.81],
    ['2026-10-02', 0.8],
    ['2026-10-05', 0.82],
    ['2026-10-06', 0.83],
    ['2026-10-07', 0.82],
    ['2026-10-08', 0.84],
  ];

  test('GIVEN the zone left below, re-entered and left above while the low edge is held THEN only the exit fires, at 10-05', () => {
    const { state, events } = run(ZONE, closes, o);
    expect(events.filter((e) => e.kind !== 'approach').map((e) => `${e.date} ${e.kind} ${e.direction} ${e.value}`)).toEqual([
      '2026-09-21 zone-enter down 0.68',
      '2026-09-23 zone-exit down 0.58',
      '2026-10-05 zone-exit up 0.82',
    ]);
    // The low edge was crossed by the 10-05 close too: no silent break on 10-07.
    expect(state.edges).toEqual([
      { above: true, armed: false, brokeOn: '2026-10-05' },
      { above: true, armed: false, brokeOn: '2026-10-05' },
    ]);
  });

  test('GIVEN a state saved with edges that disagree (above 0.7, below 0.6) THEN the later break wins and a fall inside reads as an enter', () => {
    const saved: LevelState = {
      edges: [
        { above: false, armed: false, brokeOn: '2026-09-23' },
        { above: true, armed: false, brokeOn: '2026-10-05' },
      ],
      approachArmed: false,
    };
    const r = step(ZONE, saved, { date: '2026-10-20', value: 0.65 }, o);
    expect(r.events.map((e) => `${e.kind} ${e.direction}`)).toEqual(['zone-enter down']);
    expect(r.state.edges[0]).toEqual({ above: true, armed: false, brokeOn: '2026-10-05' });
  });

  test('GIVEN a fall from above the zone to inside the low edge band THEN an exit, not "entered" at a value below 0.6', () => {
    // The low edge was broken (disarmed) long ago: its reverse break needs the band, 0.594.
    const { events } = run(
      ZONE,
      [
        ['2026-01-02', 0.65],
        ['2026-01-05', 0.55],
        ['2026-01-20', 0.65],
        ['2026-02-02', 0.75],
        ['2026-03-02', 0.598],
      ],
      o,
    );
    expect(events.filter((e) => e.kind !== 'approach').map((e) => `${e.date} ${e.kind} ${e.direction}`)).toEqual([
      '2026-01-05 zone-exit down',
      '2026-01-20 zone-enter up',
      '2026-02-02 zone-exit up',
      '2026-03-02 zone-exit down',
    ]);
  });
});

/** mulberry32: a seeded generator, so a failing path can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** -1 below, 0 inside (edges included), 1 above: where the value really is. */
const where = (level: Level, v: number): -1 | 0 | 1 => (v > level.high ? 1 : v < level.low ? -1 : 0);
/** Where the events so far say the ratio is. */
const told = (e: CrossingEvent): -1 | 0 | 1 =>
  e.kind === 'zone-enter' ? 0 : e.kind === 'zone-exit' || e.kind === 'cross-up' || e.kind === 'cross-down' ? (e.direction === 'up' ? 1 : -1) : 0;

describe('random paths', () => {
  const levels: Level[] = [ZONE, L25, customLevel('spx-gold', 1.8), { ...ZONE, id: 'narrow', low: 1, high: 1.004 }];
  test.each(Array.from({ length: 300 }, (_, i) => i + 1))('seed %i: every event is true at its close, and none is lost', (seed) => {
    const r = rng(seed);
    const level = levels[seed % levels.length]!;
    const mid = (level.low + level.high) / 2;
    const opts: CrossingOptions = { approachPct: Math.floor(r() * 5), hysteresisPct: r() * 3, cooldownDays: Math.floor(r() * 20) };
    const closes: [string, number][] = [];
    let date = '2020-01-01';
    let v = mid * (0.7 + r() * 0.6);
    for (let i = 0; i < 120; i++) {
      closes.push([date, v]);
      date = addDays(date, 1 + Math.floor(r() * r() * 6));
      // Daily moves of a few %, now and then a jump across the whole zone.
      v = r() < 0.05 ? mid * (0.7 + r() * 0.6) : v * (1 + (r() - 0.5) * 0.08);
    }
    // A long quiet tail well away from every edge: whatever the cooldown held must have gone out by its end.
    const end = mid * (r() < 0.5 ? 0.8 : 1.25);
    for (let i = 0; i < 25; i++) {
      closes.push([date, end]);
      date = addDays(date, 1);
    }
    const { events } = run(level, closes, opts);
    let pos = where(level, closes[0]![1]);
    for (const e of events) {
      if (e.kind === 'approach') continue;
      const at = `${e.date} ${e.kind} ${e.direction} ${e.value}`;
      expect(where(level, e.value), at).toBe(told(e));
      if (level.high > level.low) expect(e.value === level.high || e.value === level.low, at).toBe(false);
      expect(told(e), `${at} repeats the last event`).not.toBe(pos);
      pos = told(e);
    }
    expect(pos, 'the events end where the ratio is').toBe(where(level, end));
  });
});
