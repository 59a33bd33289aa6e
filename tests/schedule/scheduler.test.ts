import { describe, expect, test, vi } from 'vitest';
import { createScheduler, type JobSpec } from '../../src/schedule/scheduler.ts';
import { isMarketOpen } from '../../src/domain/nyse-calendar.ts';
import { memoryLogger } from '../../src/log.ts';
import { sleep } from '../../src/sleep.ts';
import { blockEventLoop } from '../helpers/block.ts';
import { linkedSignal } from '../../src/linked-signal.ts';
import { AbortFanOut } from '../../src/abort-fan-out.ts';
import { CreditBudget } from '../../src/market/credits.ts';

/** A job its cron never runs (1 January, midnight): it runs when a test triggers it. */
const triggered = (name: string, run: JobSpec['run']): JobSpec => ({ name, cron: '0 0 1 1 *', timezone: 'UTC', run });

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
      [
        triggered('slow', async () => {
          runs++;
          await g.p;
          finished = true;
        }),
      ],
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

  test('GIVEN one job sleeping before its next try and one in flight WHEN stop() comes THEN the sleeper ends at once, the other keeps its grace and ends at its next sleep', async () => {
    const log = memoryLogger();
    const g = gate();
    const asleep = gate();
    const said: string[] = [];
    let inFlightSignal: AbortSignal | undefined;
    const s = createScheduler(
      [
        triggered('sleeper', async (signal) => {
          const p = sleep(3_600_000, signal);
          asleep.open();
          said.push(`sleeper slept whole: ${await p}`);
        }),
        triggered('busy', async (signal) => {
          inFlightSignal = signal;
          await g.p;
          said.push(`busy aborted after its request: ${signal.aborted}`);
          // Its request failed: it would wait an hour before the next; the stop has come, so it ends instead.
          said.push(`busy slept whole: ${await sleep(3_600_000, signal)}`);
        }),
      ],
      log,
    );
    const runs = [s.trigger('sleeper'), s.trigger('busy')];
    await asleep.p;
    // A grace of an hour: whatever ends here ends without it.
    const stopped = s.stop(3_600_000);
    expect(await runs[0]).toBe('ran');
    expect(inFlightSignal?.aborted).toBe(false);
    g.open();
    await stopped;
    expect(await runs[1]).toBe('ran');
    expect(said).toEqual(['sleeper slept whole: false', 'busy aborted after its request: false', 'busy slept whole: false']);
    expect(log.lines.filter((l) => / to finish| at once|still running/.test(l)).map((l) => l.replace(/^.*?: /, ''))).toEqual([
      'sleeper only waiting to try again: stopped at once',
      'waiting for busy to finish',
    ]);
  });

  test.for<[string, (signal: AbortSignal) => Promise<unknown>]>([
    ['a signal linked from its own (linkedSignal)', (signal: AbortSignal) => sleep(3_600_000, linkedSignal([signal, new AbortController().signal]).signal)],
    [
      "a credits wait (a backfill's minute of Twelve Data credits spent) on a linked signal",
      async (signal: AbortSignal) => {
        const credits = new CreditBudget(
          { twelvedata: { perMinute: 1, perDay: undefined, env: { perMinute: 'TWELVEDATA_CREDITS_PER_MINUTE' } } },
          { now: Date.now, wait: true },
        );
        const linked = linkedSignal([signal]).signal;
        await credits.take('twelvedata', 'SPX', linked);
        return credits.take('twelvedata', 'SPX', linked).then(
          () => true,
          () => false,
        );
      },
    ],
  ])('GIVEN a job sleeping on %s WHEN stop() comes THEN it ends at once, not after the grace', { timeout: 30_000 }, async ([, sleeps]) => {
    const log = memoryLogger();
    const asleep = gate();
    let slept: unknown;
    const s = createScheduler(
      [
        triggered('sleeper', async (signal) => {
          const p = sleeps(signal);
          asleep.open();
          slept = await p;
        }),
      ],
      log,
    );
    const ran = s.trigger('sleeper');
    await asleep.p;
    // The credits' wait may begin after the stop (its ledger's step first): it ends the run at once all the same.
    // A grace of an hour: the job ends without it, or the test's own timeout fails it.
    await s.stop(3_600_000);
    expect(await ran).toBe('ran');
    expect(slept).toBe(false);
    // Stopped at once when asleep at the stop, or at its sleep's start when the stop came first: never after the grace.
    expect(log.lines.filter((l) => /still running after/.test(l))).toEqual([]);
  });

  test('GIVEN two side-by-side waiters of a fan-out, one asleep for its slot, one in flight WHEN stop() comes THEN the one in flight keeps its grace', async () => {
    const log = memoryLogger();
    const asleep = gate();
    const g = gate();
    let inFlight: AbortSignal | undefined;
    const s = createScheduler(
      [
        triggered('drain', async (signal) => {
          const fan = new AbortFanOut(linkedSignal([signal]).signal);
          const a = fan.child();
          const b = fan.child();
          inFlight = b.signal;
          // The sleeper ends when the send in flight does (in the dispatcher: at the grace's end, or its slot's).
          const end = new AbortController();
          const waiting = sleep(3_600_000, linkedSignal([a.signal!, end.signal]).signal);
          asleep.open();
          await g.p;
          end.abort();
          await waiting;
        }),
      ],
      log,
    );
    const ran = s.trigger('drain');
    await asleep.p;
    const stopped = s.stop(3_600_000);
    // The stop has been handled (it says it waits); the send in flight is not cut by it.
    await vi.waitFor(() => expect(log.lines.some((l) => /waiting for drain to finish/.test(l))).toBe(true));
    expect(inFlight?.aborted).toBe(false);
    g.open();
    await stopped;
    expect(await ran).toBe('ran');
  }, 30_000);

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
    const s = createScheduler(
      [
        {
          name: 'flaky',
          cron: '* * * * *',
          timezone: 'UTC',
          run: async () => {
            calls++;
            throw new Error('yahoo unreachable');
          },
        },
      ],
      log,
    );
    expect(await s.trigger('flaky')).toBe('failed');
    expect(await s.trigger('flaky')).toBe('failed');
    expect(calls).toBe(2);
    expect(log.lines.some((l) => l.includes('flaky: failed: yahoo unreachable'))).toBe(true);
    // When it is tried again: the next whole minute, in UTC and how far off.
    expect(log.lines.some((l) => /flaky: failed: yahoo unreachable; next run at \d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z \(in \d+ s\)$/.test(l))).toBe(true);
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
    while (runs === 0 && Date.now() < deadline) await sleep(50);
    await s.stop();
    expect(runs).toBeGreaterThan(0);
  });

  // The next two wait in real time on purpose: what they check is node-cron's own clock (its 1 s
  // tolerance of a late tick) and our line when it gives up on one; no fake clock reaches inside it.
  test('GIVEN the event loop blocked past a tick THEN the missed run is our log line, not node-cron’s coloured line on stderr in the middle of the JSON log', async () => {
    const printed = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const log = memoryLogger('debug');
    const s = createScheduler([{ name: 'dispatch', cron: '* * * * * *', timezone: 'UTC', run: async () => {} }], log);
    try {
      s.start();
      await sleep(1100);
      // Blocked: node-cron's timer cannot fire, so a second is missed.
      blockEventLoop(2500);
      await sleep(1500);
      expect(printed.mock.calls.map((c) => String(c[0]))).toEqual([]);
      expect(log.records.filter((r) => /missed/.test(String(r.msg)))).toEqual([
        expect.objectContaining({
          level: 'warn',
          msg: expect.stringMatching(/^dispatch: missed its run at .+ \(the process was busy\); running it now$/),
        }),
      ]);
    } finally {
      await s.stop();
      printed.mockRestore();
    }
  });

  test('GIVEN a daily job’s one run falls while the event loop is blocked (a long SQLite lock wait) THEN it runs as soon as the loop is free, not a day later', async () => {
    const log = memoryLogger('debug');
    const runs: number[] = [];
    // The job's only time in the next minute: two seconds from now, as a daily close job's 17:30 is.
    const at = new Date(Date.now() + 2000);
    const s = createScheduler(
      [
        {
          name: 'close',
          cron: `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} * * *`,
          timezone: 'UTC',
          run: async () => void runs.push(Date.now()),
        },
      ],
      log,
    );
    try {
      s.start();
      await sleep(500);
      // Blocked across the job's time, past node-cron's 1 s tolerance.
      blockEventLoop(at.getTime() + 2500 - Date.now());
      const freed = Date.now();
      // As soon as the loop is free, not a day later: seconds at most, however loaded the machine.
      for (let waited = 0; runs.length === 0 && waited < 10_000; waited += 50) await sleep(50);
      await sleep(300);
      expect(runs).toHaveLength(1);
      expect(runs[0]! - freed).toBeLessThan(10_000);
      expect(log.records.filter((r) => /missed/.test(String(r.msg))).map((r) => r.msg)).toEqual([
        expect.stringMatching(/^close: missed its run at .+ \(the process was busy\); running it now$/),
      ]);
    } finally {
      await s.stop();
    }
  });
});
