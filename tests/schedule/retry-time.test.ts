/**
 * A failed sync says when it is tried again, in UTC and how far off: "will retry at the next run"
 * alone left an operator at 3 a.m. guessing whether that was in a minute or on Monday. Through the
 * composition root, the quote fake failing, on the app's own clock.
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { memoryLogger } from '../../src/log.ts';
import { startApp } from '../../src/main.ts';
import { isTradingDay, nyDate } from '../../src/domain/nyse-calendar.ts';
import { nextRunAt, runSaid } from '../../src/schedule/next-run.ts';
import { quoteServerConfig, startFlatMarket, weekdays } from '../fakes/quote-server.ts';
import type { Cleanups } from '../helpers/app.ts';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const PATHS = ['/v8/finance/chart/^GSPC', '/v8/finance/chart/QQQ', '/v8/finance/chart/GC=F', '/graph/fredgraph.csv', '/json/gold_pm.json'];
const closeJob = { cron: '30 17 * * 1-5', timezone: 'America/New_York', when: (d: Date) => isTradingDay(nyDate(d)) };

test.each([
  ['a Sunday 3 a.m. in New York', '2025-06-29T07:00:00Z', '2025-06-30T21:30:00.000Z (in 38.5 h)'],
  ['a Friday after the close', '2025-03-14T22:00:00Z', '2025-03-17T21:30:00.000Z (in 71.5 h)'],
  ['Christmas Eve after the close (Christmas a holiday)', '2025-12-24T23:00:00Z', '2025-12-26T22:30:00.000Z (in 47.5 h)'],
  ['a minute before a Monday close', '2025-06-30T21:29:00Z', '2025-06-30T21:30:00.000Z (in 1 min)'],
])('GIVEN %s THEN the next close run is %s', (_, now, said) => {
  const at = Date.parse(now);
  expect(runSaid(nextRunAt(closeJob, at)!, at)).toBe(said);
});

test.each([
  // The minutes as written, not in order: the next one that can match is 20, not 40 (the first listed after 10).
  ['08:10 in Taipei, minutes listed 40,5,20', '40,5,20 8 * * 1-5', 'Asia/Taipei', '2026-03-02T00:10:00Z', '2026-03-02T00:20:00.000Z (in 10 min)'],
  ['08:50 in Taipei, no minute left in the hour', '40,5,20 8 * * 1-5', 'Asia/Taipei', '2026-03-02T00:50:00Z', '2026-03-03T00:05:00.000Z (in 23.3 h)'],
  // The same cron in another zone (each read with its own zone's clock): 08:05 New York.
  ['08:10 in Taipei, the cron in New York', '40,5,20 8 * * 1-5', 'America/New_York', '2026-03-02T00:10:00Z', '2026-03-02T13:05:00.000Z (in 12.9 h)'],
  // Nepal's quarter-hour offset (UTC+5:45): 00:50 and 03:10 there.
  ['23:55 UTC in Kathmandu, every 3 h at 50 and 10', '50,10 */3 * * *', 'Asia/Kathmandu', '2025-12-29T17:56:00Z', '2025-12-29T18:25:00.000Z (in 29 min)'],
])('GIVEN %s THEN the next run is the first minute that matches', (_, cron, timezone, now, said) => {
  const at = Date.parse(now);
  expect(runSaid(nextRunAt({ cron, timezone }, at)!, at)).toBe(said);
});

test('GIVEN one expression asked of in two zones, and again THEN each zone its own next run, read once per zone (next-run.ts keeps the readings)', () => {
  const at = Date.parse('2025-06-30T12:00:00Z');
  const runs = () =>
    ['America/New_York', 'Asia/Taipei', 'America/New_York'].map((timezone) => new Date(nextRunAt({ cron: '30 17 * * *', timezone }, at)!).toISOString());
  expect(runs()).toEqual(['2025-06-30T21:30:00.000Z', '2025-07-01T09:30:00.000Z', '2025-06-30T21:30:00.000Z']);
  expect(runs()).toEqual(runs());
});

test('GIVEN a cron with seconds THEN its next run is the next matching second', () => {
  const at = Date.parse('2025-06-29T07:00:03Z');
  expect(runSaid(nextRunAt({ cron: '*/10 * * * * *', timezone: 'UTC' }, at)!, at)).toBe('2025-06-29T07:00:10.000Z (in 7 s)');
});

test('GIVEN a database 107 days stale on a Sunday and the sources unreachable THEN each failure names the next close run (Monday 17:30 New York) in UTC and hours; GIVEN a series without history THEN the history retry a minute away', async () => {
  const server = await startFlatMarket('2025-03-14');
  cleanups.push(() => server.close());
  const config = quoteServerConfig(server, { BACKFILL_FROM: '2024-01-02', CHART_WARMUP: 'off', CHART_WORKERS: '0' });
  // Loaded on Friday 2025-03-14 after the close…
  let clock = Date.parse('2025-03-14T22:00:00Z');
  const a = await startApp(config, memoryLogger('info'), { out: () => {}, now: () => clock });
  await a.ready;
  await a.stop();

  // …and started again 107 days later, Sunday 3 a.m. in New York, offline.
  for (const p of PATHS) server.fault(p, { kind: 'status', status: 503, body: 'Service Unavailable' });
  clock = Date.parse('2025-06-29T07:00:00Z');
  const log = memoryLogger('info');
  const b = await startApp(config, log, { out: () => {}, now: () => clock });
  cleanups.push(() => b.stop());
  await b.ready;
  const failed = log.lines.filter((l) => / failed, /.test(l));
  expect(failed.length).toBe(4);
  for (const l of failed)
    expect(l).toMatch(/WARN .*closes (spx|qqq|gold|m2) \S+ failed, will retry at the next close run, 2025-06-30T21:30:00\.000Z \(in 38\.5 h\): /);
  expect(log.lines.filter((l) => /next run|will retry/.test(l) && !/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \(in [\d.]+ (s|min|h)\)/.test(l))).toEqual([]);

  // Monday 10:07 in New York, the session open: the live quotes' failure names the next quotes run, gold's the next gold run.
  clock = Date.parse('2025-06-30T14:07:00Z');
  expect(await b.scheduler.trigger('quotes', { now: new Date(clock) })).toBe('ran');
  expect(await b.scheduler.trigger('gold', { now: new Date(clock) })).toBe('ran');
  const latest = log.lines.filter((l) => /latest \w+ failed/.test(l)).map((l) => l.replace(/^.* WARN\s+\S+: /, '').replace(/: .*$/, ''));
  expect(latest).toEqual([
    ...['spx', 'qqq', 'gold'].map((i) => `latest ${i} failed, will retry at the next quotes run, 2025-06-30T14:10:00.000Z (in 3 min)`),
    'latest gold failed, will retry at the next gold run, 2025-06-30T14:15:00.000Z (in 8 min)',
  ]);
  await b.stop();

  // A series with nothing stored is tried again by the history job, a minute on, not on Monday.
  const fresh = await startFlatMarket('2025-03-14');
  cleanups.push(() => fresh.close());
  for (const p of PATHS) fresh.fault(p, { kind: 'status', status: 503, body: 'Service Unavailable' });
  const empty = memoryLogger('info');
  const c = await startApp(quoteServerConfig(fresh, { BACKFILL_FROM: '2024-01-02', CHART_WARMUP: 'off', CHART_WORKERS: '0' }), empty, {
    out: () => {},
    now: () => clock,
  });
  cleanups.push(() => c.stop());
  await c.ready;
  const none = empty.lines.filter((l) => / failed, /.test(l));
  expect(none.length).toBe(4);
  for (const l of none)
    expect(l).toMatch(/closes (spx|qqq|gold|m2) \S+ failed, will retry at 2025-06-30T14:08:00\.000Z \(in 1 min\) while it has no history: /);
});

test('GIVEN the quote hosts refusing at the first start THEN the first history sync says each source it tries again, once as its wait starts (someone watches it come up); the scheduled runs after it do not, their failure said once', async () => {
  const gone = await startFlatMarket('2025-03-14');
  const config = quoteServerConfig(gone, { BACKFILL_FROM: '2024-01-02', CHART_WARMUP: 'off', CHART_WORKERS: '0', HTTP_RETRIES: '1' });
  // Its port refuses from here on; its temp folder (the database's) is removed once the app has stopped.
  const dir = dirname(config.databasePath);
  await gone.close();
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const log = memoryLogger('info');
  const app = await startApp(config, log, { out: () => {} });
  cleanups.push(() => app.stop());
  await app.ready;
  // The line as its wait starts: the refusal's, or, when the refusal comes late (a busy machine's
  // event loop let the 3 s timer go first), the answer awaited, which then stands for the wait.
  const waits = () => log.lines.filter((l) => /INFO .*(trying again 1 time over the next|has not answered for .* trying again up to 1 time)/.test(l));
  expect(
    waits().map((l) =>
      l
        .replace(/^.* INFO\s+\S+: /, '')
        .replace(/ \(ECONNREFUSED: .*\) for /, ' for ')
        .replace(/ has not answered for (\S+) in .*$/, ' could not be reached for $1')
        .replace(/;.*$/, ''),
    ),
  ).toEqual([
    // One line per source as its wait starts: yahoo's other requests, refused moments later, are the same wait.
    expect.stringMatching(/^yahoo could not be reached for (\^GSPC|QQQ|GC=F)$/),
    'lbma could not be reached for gold_pm',
    'fred could not be reached for M2SL',
  ]);
  const before = log.lines.length;
  expect(await app.scheduler.trigger('close', { force: true })).toBe('ran');
  expect(log.lines.slice(before).some((l) => / failed, will retry at /.test(l))).toBe(true);
  expect(log.lines.slice(before).filter((l) => /trying again/.test(l))).toEqual([]);
});

test('GIVEN gold from Yahoo since June and LBMA refusing the months before THEN the close run says gold stored in part, the months not fetched and when they are tried again (not "gold: n new" as if whole)', async () => {
  const server = await startFlatMarket('2025-03-14');
  cleanups.push(() => server.close());
  server.setSeries(
    'GC=F',
    weekdays('2024-06-03', '2025-03-14').map((date) => ({ date, value: 2000 })),
  );
  server.fault('/json/gold_pm.json', { kind: 'status', status: 503, body: 'Service Unavailable' });
  const config = quoteServerConfig(server, { BACKFILL_FROM: '2024-01-02', CHART_WARMUP: 'off', CHART_WORKERS: '0', HTTP_RETRIES: '0' });
  const log = memoryLogger('info');
  const app = await startApp(config, log, { out: () => {}, now: () => Date.parse('2025-03-14T22:00:00Z') });
  cleanups.push(() => app.stop());
  await app.ready;
  expect(log.lines.filter((l) => /closes gold/.test(l)).map((l) => l.replace(/^.* (WARN|INFO)\s+\S+: /, '$1 '))).toEqual([
    expect.stringMatching(
      /^WARN closes gold 2024-01-02\.\.2025-03-14 stored in part \(\d+ new, 0 updated from yahoo\); 2024-01-02\.\.2024-06-02 not fetched, will retry at the next close run, 2025-03-17T21:30:00\.000Z \(in 71\.5 h\): .*gold 2024-01-02\.\.2024-06-02 not fetched \(yahoo has nothing before 2024-06-03\); lbma answered 503 for gold_pm/,
    ),
  ]);
});
