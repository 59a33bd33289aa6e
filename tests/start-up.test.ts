/**
 * A first start whose sources cannot be reached (offline, a DNS failure at boot): the bot does not
 * wait for the next trading day's close to try again (after a Friday evening start, three days),
 * and a reader asking meanwhile is told why there is nothing and when the next try is, in the
 * chat's language. Through the composition root, the quote fake failing and then answering, the
 * console's typed commands, on the app's own clock.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadConfig } from '../src/config.ts';
import { HISTORY_RETRY_KEY } from '../src/domain/history-retry.ts';
import { memoryLogger } from '../src/log.ts';
import { startApp } from '../src/main.ts';
import { openDatabase } from '../src/store/db.ts';
import { onSqlite } from '../src/store/engine.ts';
import { SubscriptionStore } from '../src/store/subscriptions.ts';
import { quoteServerConfig, startFlatMarket } from './fakes/quote-server.ts';
import { FakeTelegram } from './fakes/telegram.ts';
import type { Cleanups } from './helpers/app.ts';
import { adminQuery, describeWithPostgres, freshPgDatabase } from './helpers/postgres.ts';
import { pgProxy } from './helpers/pg-proxy.ts';
import { sourcesAt } from './helpers/sources.ts';
import { eventually } from './helpers/eventually.ts';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Every path the sources ask for (Yahoo's three symbols, FRED's M2, LBMA's gold). */
const PATHS = ['/v8/finance/chart/^GSPC', '/v8/finance/chart/QQQ', '/v8/finance/chart/GC=F', '/graph/fredgraph.csv', '/json/gold_pm.json'];

test('GIVEN every source failing at the first start THEN readers are told why and when; the retry is due in a minute, not at the next close, and once the sources answer the history is there and the note is gone', async () => {
  const server = await startFlatMarket('2025-03-14');
  cleanups.push(() => server.close());
  for (const p of PATHS) server.fault(p, { kind: 'status', status: 503, body: 'Service Unavailable' });
  // Friday 2025-03-14 after the close: the next close job is on Monday.
  let clock = Date.parse('2025-03-14T22:00:00Z');
  const config = quoteServerConfig(server, { BACKFILL_FROM: '2024-01-02', CHART_WARMUP: 'off', CHART_WORKERS: '0', CONSOLE_COMMANDS: 'on' });
  const input = new PassThrough();
  const out: string[] = [];
  const log = memoryLogger('info');
  const app = await startApp(config, log, { out: (t) => out.push(t), input, now: () => clock });
  cleanups.push(() => app.stop());
  await app.ready;
  expect(log.lines.some((l) => /WARN .*no history yet: .*tries again at 2025-03-14T22:01:00\.000Z \(in 1 min\)/.test(l))).toBe(true);

  // Half a minute later: why there is nothing (under a minute ago, not "1 min" rounded up nor "0 min"), and about when the next try is.
  clock += 30_000;
  const ask = async (line: string, answers: number) => {
    input.write(`${line}\n`);
    await eventually(() => out.length >= answers);
    return out[answers - 1]!;
  };
  expect(await ask('/ratio spx', 1)).toBe('No SPX/Gold yet: the data sources could not be reached (under a minute ago). The bot tries again in about 1 min.');
  const status = await ask('/status', 2);
  expect(status).toContain('No history yet for S&P 500, QQQ, Gold, M2 money supply: the data sources could not be reached (under a minute ago).');
  expect(await ask('/power', 3)).toBe('No history yet: the data sources could not be reached (under a minute ago). The bot tries again in about 1 min.');
  await ask('/lang zh-TW', 4);
  expect(await ask('/chart qqq', 5)).toBe('QQQ/黃金尚無資料：暫時無法連上資料來源（不到一分鐘前）。機器人約 1 分鐘後會再試一次。');
  await ask('/lang zh-CN', 6);
  expect(await ask('/ratio qqq', 7)).toBe('QQQ/黄金暂无数据：暂时无法连接数据源（不到一分钟前）。机器人约 1 分钟后会再试一次。');

  // Not due yet: the minute's tick leaves the sources alone.
  const asked = server.requests.length;
  expect(await app.scheduler.trigger('history')).toBe('ran');
  expect(server.requests.length).toBe(asked);

  // Still failing a minute on: tried again, and the next try is two minutes after that one.
  clock += 31_000;
  await app.scheduler.trigger('history');
  expect(server.requests.length).toBeGreaterThan(asked);
  expect(log.lines.some((l) => /INFO .*history: trying again for spx, qqq, gold, m2 \(try 2\)/.test(l))).toBe(true);
  clock += 60_000;
  const before = server.requests.length;
  await app.scheduler.trigger('history');
  expect(server.requests.length).toBe(before);

  // The sources are back: the next due try loads the history, and readers get their numbers.
  server.clearFaults();
  clock += 61_000;
  await app.scheduler.trigger('history');
  expect(log.lines.some((l) => /INFO .*history: every series has its history now \(after 3 tries\)/.test(l))).toBe(true);
  await ask('/lang en', 8);
  expect(await ask('/ratio spx', 9)).toMatch(/^SPX\/Gold \d\.\d+ \(close 2025-03-1\d\)\n/);
  expect(await ask('/status', 10)).not.toContain('could not be reached');
  // Nothing pending: later ticks fetch nothing.
  const settled = server.requests.length;
  clock += 3_600_000;
  await app.scheduler.trigger('history');
  expect(server.requests.length).toBe(settled);
});

test('GIVEN no source reachable at the first start THEN its first lines name, once, every source it waits on, in turn, and when it says more: not yahoo alone, then silence', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-offline-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const clock = Date.parse('2025-03-14T22:00:00Z');
  // Nothing listens on port 9: every source refuses, as a machine without network does at once.
  const config = loadConfig({
    DATABASE_PATH: join(dir, 'goldratio.db'),
    DATA_DIR: dir,
    ...sourcesAt(),
    HTTP_TIMEOUT_MS: '3000',
    HTTP_RETRIES: '2',
    HTTP_BACKOFF_MS: '1',
    CHART_WARMUP: 'off',
    CHART_WORKERS: '0',
  });
  const log = memoryLogger('info');
  const app = await startApp(config, log, { out: () => {}, now: () => clock });
  cleanups.push(() => app.stop());
  await app.ready;
  const market = log.lines.filter((l) => /\/market: /.test(l) && !/quote sources? .*skipped/.test(l)).map((l) => l.replace(/^.*?\/market: /, ''));
  expect(market[0]).toMatch(/^yahoo could not be reached \(ECONNREFUSED: .*\) for \^GSPC; trying again 2 times/);
  // Five requests (spx, qqq and gold from yahoo, gold from lbma, m2 from fred), each at most 3 tries of 3 s and 1 + 2 ms of backoff.
  expect(market[1]).toBe(
    'waiting on yahoo (spx, qqq, gold), then lbma (gold), fred (m2): more is said as each is tried, about every 30 s while one keeps failing, and when the sync ends, by 2025-03-14T22:00:46.000Z (in 46 s) at the latest, should every try time out',
  );
  expect(log.lines.filter((l) => /waiting on /.test(l))).toHaveLength(1);
});

test('GIVEN a restart (or a replica taking the lead) while the history is still missing THEN its note names the next try the stored tries set, not "in 1 minute"', async () => {
  const server = await startFlatMarket('2025-03-14');
  cleanups.push(() => server.close());
  for (const p of PATHS) server.fault(p, { kind: 'status', status: 503, body: 'Service Unavailable' });
  let clock = Date.parse('2025-03-14T22:00:00Z');
  // One database file for both starts: the tries so far are kept in it, as on PostgreSQL for every replica.
  const config = quoteServerConfig(server, { BACKFILL_FROM: '2024-01-02', CHART_WARMUP: 'off', CHART_WORKERS: '0' });
  const first = memoryLogger('info');
  const a = await startApp(config, first, { out: () => {}, now: () => clock });
  await a.ready;
  await a.stop();
  expect(first.lines.filter((l) => /no history yet/.test(l))).toEqual([
    expect.stringMatching(/WARN .*tries again at 2025-03-14T22:01:00\.000Z \(in 1 min\), then after 2, 5, 10/),
  ]);

  clock += 90_000;
  const second = memoryLogger('info');
  const b = await startApp(config, second, { out: () => {}, now: () => clock });
  cleanups.push(() => b.stop());
  await b.ready;
  // The start's sync was the 2nd try: the next is due 2 minutes after it (22:03:30), and runs at the
  // history job's first whole-minute tick from then, 150 s off: said so in both lines, not "in 3
  // minutes" (the minutes rounded up) in one and "in 150 s" in the other.
  const due = '2025-03-14T22:04:00.000Z';
  expect(second.lines.filter((l) => /no history yet/.test(l))).toEqual([
    expect.stringMatching(
      new RegExp(
        `WARN .*no history yet: the quote sources could not be reached \\(2 tries so far\\)\\. goldratio tries again at ${due.replace(/\./g, '\\.')} \\(in 150 s\\), then after 5, 10 and every 15 minutes until it has it; or load CSVs now`,
      ),
    ),
  ]);
  expect(second.lines.some((l) => l.includes(`history: still none for spx, qqq, gold, m2; next try at ${due} (in 150 s)`))).toBe(true);
});

test('GIVEN a database without closes THEN the start says it loads the history from the start date; GIVEN one holding them (a restart, a replica taking the lead, copied data) THEN only what is missing', async () => {
  const server = await startFlatMarket('2025-03-14');
  cleanups.push(() => server.close());
  const config = quoteServerConfig(server, { BACKFILL_FROM: '2024-01-02', CHART_WARMUP: 'off', CHART_WORKERS: '0' });
  const run = async () => {
    const log = memoryLogger('info');
    const app = await startApp(config, log, { out: () => {}, now: () => Date.parse('2025-03-14T22:00:00Z') });
    await app.ready;
    await app.stop();
    return log.lines.filter((l) => /loading history/.test(l)).map((l) => l.replace(/^.*? INFO\s+\S+: /, ''));
  };
  expect(await run()).toEqual(['loading history in the background: none stored yet, since 2024-01-02']);
  expect(await run()).toEqual(['loading history in the background: what is missing after the stored closes']);
});

/** A tokenless start with every quote source unreachable: the start-up is about the console. */
function offline(extra: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-console-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return loadConfig({
    DATA_DIR: dir,
    CHART_WORKERS: '0',
    CHART_WARMUP: 'off',
    ...sourcesAt(),
    HTTP_RETRIES: '0',
    ...extra,
  });
}

const consoleLines = (lines: readonly string[]) => lines.filter((l) => /console subscription/.test(l)).map((l) => l.replace(/^.*? (INFO|WARN)\s+\S+: /, '$1 '));

describe('the console subscription at a tokenless start', () => {
  test('GIVEN one goldratio on SQLite THEN its first start says it created the console subscription, the next that it was there, and one after /unsubscribe that alerts are not printed', async () => {
    const config = offline({});
    const run = async () => {
      const log = memoryLogger('info');
      const app = await startApp(config, log, { out: () => {} });
      await app.stop();
      return consoleLines(log.lines);
    };
    expect(await run()).toEqual(['INFO no bot token: alerts go to the console (default console subscription created)']);
    expect(await run()).toEqual(['INFO no bot token: alerts go to the console (console subscription already there)']);
    const db = openDatabase(config.databasePath);
    await new SubscriptionStore(onSqlite(db), { approachPct: 3, lang: 'en' }).deactivate('console', 'console', 'unsubscribed');
    db.close();
    expect(await run()).toEqual([
      'WARN no bot token, but the console subscription is stopped (unsubscribed with /unsubscribe): alerts are not printed; /subscribe in the terminal brings them back',
    ]);
  });
});

describeWithPostgres('the console subscription at tokenless replicas on one PostgreSQL', () => {
  test('GIVEN two replicas starting together THEN one says it created the console subscription, the other that another replica did, and a later one that it was there: one row', async () => {
    const pg = await freshPgDatabase({ migrated: true });
    cleanups.push(() => pg.drop());
    // Replica a has found no console subscription and its insert is on the wire, held, while b starts.
    const proxy = await pgProxy(pg.url);
    cleanups.push(() => proxy.close());
    const held = proxy.hold('insert into "subscriptions"');
    cleanups.push(() => held.release());
    const replica = (url: string) => {
      const log = memoryLogger('info');
      const started = startApp(offline({ DATABASE_URL: url }), log, { out: () => {} }).then((app) => {
        cleanups.push(() => app.stop());
        return app;
      });
      return { log, started };
    };
    const a = replica(proxy.url);
    await held.seen;
    const b = replica(pg.url);
    await b.started;
    held.release();
    await a.started;
    const c = replica(pg.url);
    await c.started;
    const where = 'no bot token: alerts go to the console of the replica that leads';
    expect(consoleLines(b.log.lines)).toEqual([`INFO ${where} (default console subscription created)`]);
    expect(consoleLines(a.log.lines)).toEqual([`INFO ${where} (default console subscription created by another replica starting at the same time)`]);
    expect(consoleLines(c.log.lines)).toEqual([`INFO ${where} (console subscription already there)`]);
    const rows = await adminQuery(pg.url, "SELECT id FROM subscriptions WHERE platform = 'console'");
    expect(rows.rows).toHaveLength(1);
    // The marker of the default names that row (a chat platform configured later retires it).
    const marker = await adminQuery(pg.url, "SELECT value FROM meta WHERE key = 'console.default_subscription'");
    expect(marker.rows).toEqual([{ value: String(rows.rows[0].id) }]);
  }, 60_000);

  test('GIVEN a standby replica WHEN asked /status THEN it says why the leader found no history, as the leader does, never that it is loading the history itself', async () => {
    const pg = await freshPgDatabase({ migrated: true });
    cleanups.push(() => pg.drop());
    const replica = async () => {
      const input = new PassThrough();
      const out: string[] = [];
      const app = await startApp(offline({ DATABASE_URL: pg.url, CONSOLE_COMMANDS: 'on' }), memoryLogger('info'), { out: (t) => out.push(t), input });
      cleanups.push(() => app.stop());
      return { app, input, out };
    };
    const a = await replica();
    await eventually(() => a.app.leadership.role() === 'leader');
    const b = await replica();
    // The leader's first sync found every source unreachable and noted its next try (bounded by a
    // loaded machine's time, failing if never: 200 polls of 25 ms fell through silently after 5 s).
    await eventually(async () => (await adminQuery(pg.url, 'SELECT 1 FROM meta WHERE key = $1', [HISTORY_RETRY_KEY])).rows.length > 0, 40_000, 25);
    await eventually(() => b.app.leadership.role() === 'standby');
    expect(b.app.historyLoading()).toBe(false);
    b.input.write('/status\n');
    await eventually(() => b.out.length > 0);
    expect(b.out[0]).toContain('No history yet for S&P 500, QQQ, Gold, M2 money supply: the data sources could not be reached');
    expect(b.out[0]).not.toMatch(/still loading|Updating the history/);
  }, 60_000);

  test('GIVEN the default console subscription WHEN two replicas with a bot token start together THEN one says it retired it, the other that another replica did', async () => {
    const pg = await freshPgDatabase({ migrated: true });
    cleanups.push(() => pg.drop());
    const first = await startApp(offline({ DATABASE_URL: pg.url }), memoryLogger('info'), { out: () => {} });
    await first.stop();
    const tg = await FakeTelegram.start();
    cleanups.push(() => tg.close());
    // Replica a has found the default still active and its locking read is on the wire, held, while b starts.
    const proxy = await pgProxy(pg.url);
    cleanups.push(() => proxy.close());
    const held = proxy.hold('from "subscriptions" where "platform" = $1 and "chat_id" = $2 for update');
    cleanups.push(() => held.release());
    const replica = (url: string) => {
      const log = memoryLogger('info');
      const started = startApp(offline({ DATABASE_URL: url, TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot }), log, { out: () => {} }).then(
        (app) => {
          cleanups.push(() => app.stop());
          return app;
        },
      );
      return { log, started };
    };
    const a = replica(proxy.url);
    await held.seen;
    const b = replica(pg.url);
    await b.started;
    held.release();
    await a.started;
    expect(consoleLines(b.log.lines)).toEqual([
      'INFO a chat platform is configured (telegram): the default console subscription is retired, alerts no longer go to the console (/subscribe in the terminal brings it back)',
    ]);
    expect(consoleLines(a.log.lines)).toEqual([
      'INFO a chat platform is configured (telegram): the default console subscription was retired by another replica starting at the same time, alerts no longer go to the console',
    ]);
    const rows = await adminQuery(pg.url, "SELECT active, deactivated_reason FROM subscriptions WHERE platform = 'console'");
    expect(rows.rows).toEqual([{ active: 0, deactivated_reason: 'retired: a chat platform is configured' }]);
  }, 60_000);
});
