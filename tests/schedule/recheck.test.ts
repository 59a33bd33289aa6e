/**
 * A held close re-checked HOLD_CONFIRM_MINUTES after its hold (src/schedule/recheck.ts), through the
 * whole app (startApp) against the quote fake, on the test's clock: the close job and the re-check
 * job triggered as their cron would, on SQLite and PostgreSQL.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { recheckSlots } from '../../src/schedule/recheck.ts';
import type { Cleanups } from '../helpers/app.ts';
import { until } from '../helpers/replicas.ts';
import { describeWithPostgres, freshPgDatabase } from '../helpers/postgres.ts';
import { alerts, CLOSE_RUN, CRASH, led, MIN, mondayAt, recheckLines, recheckWorld, spxOn, trigger } from '../helpers/recheck-world.ts';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('recheckSlots', () => {
  test.each<[string, number, { due?: Slot; next?: Slot }]>([
    ['before the first', 10, { next: { k: 0, at: 30 } }],
    ['at the first', 30, { due: { k: 0, at: 30 }, next: { k: 1, at: 60 } }],
    ['between the second and third', 100, { due: { k: 1, at: 60 }, next: { k: 2, at: 120 } }],
    ['past the last before the close run', 500, { due: { k: 3, at: 240 } }],
  ])('GIVEN a hold at 0, 30 min spans and the close run at 300 min WHEN %s THEN due and next are the doubling spans before the run', (_n, now, want) => {
    const inMs = (s: Slot) => ({ k: s.k, at: s.at * MIN });
    const r = recheckSlots(0, 30 * MIN, now * MIN, 300 * MIN);
    expect(r).toEqual({ ...(want.due ? { due: inMs(want.due) } : {}), ...(want.next ? { next: inMs(want.next) } : {}) });
  });

  test('GIVEN the close run before HOLD_CONFIRM_MINUTES after the hold THEN no re-check: the run is the check', () => {
    expect(recheckSlots(0, 30 * MIN, 40 * MIN, 20 * MIN)).toEqual({});
  });
});

type Slot = { k: number; at: number };
const world = (databaseUrl?: string) => recheckWorld(cleanups, databaseUrl);

function suite(databaseUrl: () => Promise<string | undefined>) {
  test('GIVEN a -20% close held by the close run WHEN re-checked 30 min on and the source repeats it THEN it is stored and the break alerted once, said in info lines', async () => {
    const { server, clock, start } = await world(await databaseUrl());
    const { app, log, out } = await start();
    expect(alerts(out)).toEqual([]);
    mondayAt(server, CRASH);
    clock.now = CLOSE_RUN;
    await trigger(app, 'close');
    expect(await spxOn(app, '2025-03-17')).toBeUndefined();
    expect(alerts(out)).toEqual([]);
    // Ten minutes on: looked at, not yet due.
    clock.now = CLOSE_RUN + 10 * MIN;
    await trigger(app, 'recheck');
    expect(recheckLines(log)).toEqual([
      expect.stringMatching(
        /^INFO spx 2025-03-17 held at 4160 \(yahoo, 2025-03-17T21:30:00\.000Z\): re-checked HOLD_CONFIRM_MINUTES after the hold, at 2025-03-17T22:00:00\.000Z \(in [23]0 min\), then while still held at doubling spans until the close run at 2025-03-18T21:30:00\.000Z$/,
      ),
    ]);
    expect(alerts(out)).toEqual([]);
    clock.now = CLOSE_RUN + 30 * MIN;
    await trigger(app, 'recheck');
    expect(recheckLines(log).at(-1)).toMatch(/^INFO re-check of spx 2025-03-17 held at 4160 \(yahoo, 2025-03-17T21:30:00\.000Z\): confirmed, 4160 stored$/);
    expect(await spxOn(app, '2025-03-17')).toBe(CRASH);
    expect(alerts(out)).toHaveLength(1);
    // Nothing more to re-check; the next close run stores nothing new and alerts nothing again.
    clock.now = CLOSE_RUN + 90 * MIN;
    await trigger(app, 'recheck');
    clock.now = CLOSE_RUN + 24 * 60 * MIN;
    await trigger(app, 'close');
    expect(alerts(out)).toHaveLength(1);
    expect(recheckLines(log)).toHaveLength(2);
  }, 60_000);

  test('GIVEN a -20% close held WHEN the source has the right close again at the re-check (a bad print) THEN it is refused, the right close kept, no alert', async () => {
    const { server, clock, start } = await world(await databaseUrl());
    const { app, log, out } = await start();
    mondayAt(server, CRASH);
    clock.now = CLOSE_RUN;
    await trigger(app, 'close');
    mondayAt(server, 5190);
    clock.now = CLOSE_RUN + 30 * MIN;
    await trigger(app, 'recheck');
    expect(recheckLines(log).at(-1)).toMatch(
      /^INFO re-check of spx 2025-03-17 held at 4160 \(yahoo, 2025-03-17T21:30:00\.000Z\): refused, 5190 stored instead$/,
    );
    expect(await spxOn(app, '2025-03-17')).toBe(5190);
    expect(alerts(out)).toEqual([]);
  }, 60_000);

  test("GIVEN a -20% live price held 5 min before the session ends THEN the re-check 30 min on, after the session, confirms it by the day's close: stored and alerted once", async () => {
    const { server, clock, start } = await world(await databaseUrl());
    const { app, log, out } = await start();
    // Monday 15:55 in New York: the quotes run holds the live price.
    const live = Date.parse('2025-03-17T19:55:00Z');
    clock.now = live;
    server.setLatest('^GSPC', { price: CRASH, timeMs: live });
    await trigger(app, 'quotes');
    expect(log.lines.some((l: string) => / WARN .*spx moved 20\.0% \(5200 → 4160\), more than 15%: held until confirmed$/.test(l))).toBe(true);
    // The session over, the day's close at the same level: the re-check 30 min after the hold stores it.
    mondayAt(server, CRASH);
    clock.now = live + 30 * MIN;
    await trigger(app, 'recheck');
    expect(recheckLines(log).at(-1)).toMatch(/^INFO re-check of spx 2025-03-17 held at 4160 \(yahoo, 2025-03-17T19:55:00\.000Z\): confirmed, 4160 stored$/);
    expect(await spxOn(app, '2025-03-17')).toBe(CRASH);
    expect(alerts(out)).toHaveLength(1);
  }, 60_000);

  test('GIVEN the source down at the re-check THEN the hold stays, said with the next re-check an hour after the hold, and that one stores it', async () => {
    const { server, clock, start } = await world(await databaseUrl());
    const { app, log, out } = await start();
    mondayAt(server, CRASH);
    clock.now = CLOSE_RUN;
    await trigger(app, 'close');
    server.fault('/v8/finance/chart/^GSPC', { kind: 'status', status: 503, body: 'Service Unavailable' }, 1);
    clock.now = CLOSE_RUN + 30 * MIN;
    await trigger(app, 'recheck');
    expect(recheckLines(log).at(-1)).toMatch(
      /^INFO re-check of spx 2025-03-17 held at 4160 .*: not fetched \(.*503.*\): still held, re-checked again at 2025-03-17T22:30:00\.000Z \(in 30 min\)$/,
    );
    expect(await spxOn(app, '2025-03-17')).toBeUndefined();
    // Not again before then; then the repeat.
    clock.now = CLOSE_RUN + 45 * MIN;
    await trigger(app, 'recheck');
    expect(recheckLines(log)).toHaveLength(2);
    clock.now = CLOSE_RUN + 60 * MIN;
    await trigger(app, 'recheck');
    expect(recheckLines(log).at(-1)).toMatch(/^INFO re-check of spx 2025-03-17 held at 4160 .*: confirmed, 4160 stored$/);
    expect(alerts(out)).toHaveLength(1);
  }, 60_000);

  test('GIVEN the re-check waiting on a silent source WHEN the bot stops THEN the scheduler aborts it within its grace, one line says the next start re-checks, and the next start does: stored and alerted once', async () => {
    const { server, clock, start } = await world(await databaseUrl());
    const first = await start();
    mondayAt(server, CRASH);
    clock.now = CLOSE_RUN;
    await trigger(first.app, 'close');
    const chart = '/v8/finance/chart/^GSPC';
    const asked = server.requestsTo(chart).length;
    server.fault(chart, { kind: 'hang' });
    clock.now = CLOSE_RUN + 30 * MIN;
    const running = first.app.scheduler.trigger('recheck', { force: true });
    await until('the re-check asks Yahoo', () => server.requestsTo(chart).length > asked || undefined, 10_000);
    // The stop (STOP_TIMEOUT_SECONDS 10 s) aborts the job after a quarter of it, not the scheduler's 30 s.
    const t0 = Date.now();
    await first.stop();
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(await running).toBe('ran');
    expect(recheckLines(first.log).at(-1)).toBe('INFO re-check of spx stopped by the shutdown: the next start re-checks what is still held');
    expect(recheckLines(first.log).filter((l) => /^INFO re-check of spx 2025-03-17/.test(l))).toEqual([]);
    expect(alerts(first.out)).toEqual([]);

    // What the line promised: the hold is as it was, and the next start re-checks it (its start-up
    // sync, past HOLD_CONFIRM_MINUTES after the hold, is the repeat that confirms it).
    server.clearFaults();
    clock.now = CLOSE_RUN + 35 * MIN;
    const second = await start();
    await trigger(second.app, 'recheck');
    expect(await spxOn(second.app, '2025-03-17')).toBe(CRASH);
    // Sent by the start-up sync's dispatch, which may still be under way.
    await until('the alert', () => alerts(second.out).length > 0 || undefined, 10_000);
    await second.app.dispatcher.settled();
    expect(alerts([...first.out, ...second.out])).toHaveLength(1);
  }, 60_000);

  test('GIVEN a restart between the hold and its re-check THEN the new process re-checks it from the stored hold: stored and alerted once', async () => {
    const { server, clock, start } = await world(await databaseUrl());
    const first = await start();
    mondayAt(server, CRASH);
    clock.now = CLOSE_RUN;
    await trigger(first.app, 'close');
    await first.stop();
    // Restarted 10 min on: its start-up sync sees the repeat too soon (still held, its time kept).
    clock.now = CLOSE_RUN + 10 * MIN;
    const second = await start();
    clock.now = CLOSE_RUN + 31 * MIN;
    await trigger(second.app, 'recheck');
    expect(recheckLines(second.log)).toEqual([
      // Said when this process first looks at the hold: at the re-check itself, or at a tick of the real minute since its start.
      expect.stringMatching(
        /^INFO spx 2025-03-17 held at 4160 .*: (its re-check was due at 2025-03-17T22:00:00\.000Z \(HOLD_CONFIRM_MINUTES after the hold\): re-checked now|re-checked HOLD_CONFIRM_MINUTES after the hold, at 2025-03-17T22:00:00\.000Z \(in 20 min\), .*)$/,
      ),
      expect.stringMatching(/^INFO re-check of spx 2025-03-17 held at 4160 .*: confirmed, 4160 stored$/),
    ]);
    expect(alerts([...first.out, ...second.out])).toHaveLength(1);
  }, 60_000);
}

async function pgUrl(): Promise<string> {
  const pg = await freshPgDatabase({ migrated: true });
  cleanups.push(() => pg.drop());
  return pg.url;
}

describe('a held close re-checked (sqlite)', () => {
  suite(async () => undefined);

  test('GIVEN the holds cannot be read THEN one warn line says it, not one a minute; read again, and said again after a later failure', async () => {
    const { clock, start } = await world();
    const { app, log } = await start();
    const warns = () =>
      log.lines.filter((l: string) => / WARN .*re-check: the held moves could not be read \(.*held_quotes.*\); read again every minute$/.test(l));
    app.db.exec('ALTER TABLE held_quotes RENAME TO held_quotes_gone');
    clock.now += MIN;
    await trigger(app, 'recheck');
    clock.now += MIN;
    await trigger(app, 'recheck');
    expect(warns()).toHaveLength(1);
    app.db.exec('ALTER TABLE held_quotes_gone RENAME TO held_quotes');
    await trigger(app, 'recheck');
    app.db.exec('ALTER TABLE held_quotes RENAME TO held_quotes_gone');
    await trigger(app, 'recheck');
    expect(warns()).toHaveLength(2);
    app.db.exec('ALTER TABLE held_quotes_gone RENAME TO held_quotes');
  }, 60_000);
});
describeWithPostgres('a held close re-checked (postgres)', () => {
  suite(pgUrl);

  test('GIVEN the leader that held the close stops before its re-check THEN the standby that takes over re-checks it: stored and alerted once, by it', async () => {
    const { server, clock, start } = await world(await pgUrl());
    const a = await start();
    const b = await start(false);
    expect(b.app.leadership.leading()).toBe(false);
    mondayAt(server, CRASH);
    clock.now = CLOSE_RUN;
    await trigger(a.app, 'close');
    clock.now = CLOSE_RUN + 10 * MIN;
    await a.stop();
    // b leads, and its start's sync (the repeat too soon: still held; m2 its last line) is over before the clock moves on.
    await led(b.app, b.log);
    expect(await spxOn(b.app, '2025-03-17')).toBeUndefined();
    clock.now = CLOSE_RUN + 30 * MIN;
    await trigger(b.app, 'recheck');
    expect(recheckLines(b.log).at(-1)).toMatch(/^INFO re-check of spx 2025-03-17 held at 4160 .*: confirmed, 4160 stored$/);
    expect(alerts(a.out)).toEqual([]);
    expect(alerts(b.out)).toHaveLength(1);
  }, 60_000);
});
