import { describe, expect, test } from 'vitest';
import { isMarketOpen, isTradingDay, nyseHolidays } from '../src/domain/nyse-calendar.ts';
import { createScheduler } from '../src/schedule/scheduler.ts';
import { memoryLogger } from '../src/log.ts';

describe('NYSE calendar', () => {
  test('GIVEN 2025 THEN the exchange\'s published holidays', () => {
    expect([...nyseHolidays(2025)].sort()).toEqual([
      '2025-01-01', '2025-01-20', '2025-02-17', '2025-04-18', '2025-05-26', '2025-06-19', '2025-07-04', '2025-09-01', '2025-11-27', '2025-12-25',
    ]);
  });
  test('GIVEN 2026 THEN Independence Day on a Saturday is observed on Friday 3 July', () => {
    expect([...nyseHolidays(2026)].sort()).toEqual([
      '2026-01-01', '2026-01-19', '2026-02-16', '2026-04-03', '2026-05-25', '2026-06-19', '2026-07-03', '2026-09-07', '2026-11-26', '2026-12-25',
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
  ])('GIVEN %s THEN market open is %s (%s)', (instant, expected) => {
    expect(isMarketOpen(new Date(instant))).toBe(expected);
  });
});

describe('scheduler', () => {
  function gate() {
    let open!: () => void;
    const p = new Promise<void>((r) => (open = r));
    return { p, open };
  }

  test('GIVEN a job still running THEN the next tick is skipped, and stop() waits for it', async () => {
    const g = gate();
    let runs = 0;
    let finished = false;
    const s = createScheduler(
      [{ name: 'slow', cron: '0 0 1 1 *', timezone: 'UTC', run: async () => { runs++; await g.p; finished = true; } }],
      memoryLogger(),
    );
    const first = s.trigger('slow');
    expect(await s.trigger('slow')).toBe('skipped-overlap');
    expect(s.running()).toEqual(['slow']);
    let stopDone = false;
    const stopping = s.stop().then(() => (stopDone = true));
    await new Promise((r) => setImmediate(r));
    expect(stopDone).toBe(false);
    g.open();
    await stopping;
    expect(finished).toBe(true);
    expect(await first).toBe('ran');
    expect(runs).toBe(1);
    expect(await s.trigger('slow')).toBe('skipped-stopped');
  });

  test('GIVEN a calendar rule THEN the job runs only when it allows', async () => {
    let runs = 0;
    const s = createScheduler(
      [{ name: 'quotes', cron: '*/5 9-16 * * 1-5', timezone: 'America/New_York', when: isMarketOpen, run: async () => void runs++ }],
      memoryLogger(),
    );
    expect(await s.trigger('quotes', { now: new Date('2026-11-26T15:00:00Z') })).toBe('skipped-calendar');
    expect(await s.trigger('quotes', { now: new Date('2026-11-27T15:00:00Z') })).toBe('ran');
    expect(runs).toBe(1);
    await s.stop();
  });

  test('GIVEN a failing job THEN it is logged and the scheduler carries on', async () => {
    const log = memoryLogger();
    let calls = 0;
    const s = createScheduler([{ name: 'flaky', cron: '* * * * *', timezone: 'UTC', run: async () => { calls++; throw new Error('yahoo unreachable'); } }], log);
    expect(await s.trigger('flaky')).toBe('failed');
    expect(await s.trigger('flaky')).toBe('failed');
    expect(calls).toBe(2);
    expect(log.lines.some((l) => l.includes('flaky: failed: yahoo unreachable'))).toBe(true);
    await s.stop();
  });

  test('GIVEN a bad cron expression THEN a clear error names the job', () => {
    expect(() => createScheduler([{ name: 'close', cron: 'every day', timezone: 'UTC', run: async () => {} }], memoryLogger())).toThrow(
      /schedule for close is not a valid cron expression: "every day"/,
    );
  });

  test('GIVEN a per-second cron THEN node-cron really fires the job', async () => {
    let runs = 0;
    const s = createScheduler([{ name: 'tick', cron: '* * * * * *', timezone: 'UTC', run: async () => void runs++ }], memoryLogger());
    s.start();
    const deadline = Date.now() + 5_000;
    while (runs === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await s.stop();
    expect(runs).toBeGreaterThan(0);
  });
});
