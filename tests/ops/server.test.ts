/**
 * The operations server as `npm start` runs it (startApp, HTTP_PORT=0) against the quote and
 * Telegram fakes: a real command and a real alert dispatch, then /metrics scraped over HTTP.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { startApp } from '../../src/main.ts';
import { afterEach, describe, expect, test } from 'vitest';
import { memoryLogger } from '../../src/log.ts';
import { createMetrics } from '../../src/ops/metrics.ts';
import { createReadiness } from '../../src/ops/readiness.ts';
import { startOpsServer } from '../../src/ops/server.ts';
import { breakNextWeek, weekdays } from '../fakes/quote-server.ts';
import { bootApp, CLOCK_DRIVEN_ENV, SATURDAY, type Cleanups } from '../helpers/app.ts';
import { latestVersion, MIGRATIONS } from '../../src/store/migrations/index.ts';
import { pgProxy } from '../helpers/pg-proxy.ts';
import { until } from '../helpers/replicas.ts';
import { opsPort } from '../helpers/ops-port.ts';
import { adminQuery, describeWithPostgres, freshPgDatabase } from '../helpers/postgres.ts';
import { metricSources, quotesFresh } from '../../src/ops/checks.ts';
import { openPostgres, postgresProblem } from '../../src/store/postgres.ts';
import { onPostgres } from '../../src/store/engine.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { MarketView } from '../../src/store/market-view.ts';
import { OutboxStore } from '../../src/store/outbox.ts';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The value of one series in Prometheus text, e.g. series(text, 'goldratio_sends_total', { platform: 'telegram', outcome: 'sent' }). */
function series(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m === null || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('ops server', () => {
  test('GIVEN a command and an alert sent through Telegram THEN /metrics shows them, and the process metrics', async () => {
    const { app, base, server, tg } = await bootApp(cleanups, { telegram: true, now: Date.parse('2025-03-22T15:00:00Z') });

    tg.textMessage(4242, '/subscribe spx');
    await tg.waitFor((c) => c.method === 'sendMessage' && c.chatId === '4242');
    tg.textMessage(4242, '/ratio');
    await tg.waitFor((c) => c.method === 'sendPhoto' && c.chatId === '4242');
    // The same chart again comes from the cache.
    tg.textMessage(4242, '/ratio');
    await tg.waitFor(() => tg.callsTo('sendPhoto', 4242).length === 2);
    // One 429 on a command reply is counted.
    tg.fault(4242, { kind: 'too-many', retryAfter: 1 }, { times: 1, methods: ['sendMessage'] });
    tg.textMessage(4242, '/help');
    await tg.waitFor((c) => c.method === 'sendMessage' && c.chatId === '4242' && c.status === 429);

    breakNextWeek(server);
    server.setSeries(
      'QQQ',
      weekdays('2024-01-02', '2025-03-21').map((date) => ({ date, value: 400 })),
    );
    await app.closeStep();
    expect(tg.callsTo('sendPhoto', 4242).filter((c) => c.status === 200)).toHaveLength(3);

    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(series(text, 'goldratio_commands_total', { platform: 'telegram', command: 'ratio' })).toBe(2);
    expect(series(text, 'goldratio_commands_total', { platform: 'telegram', command: 'subscribe' })).toBe(1);
    expect(series(text, 'goldratio_command_duration_seconds_count', { platform: 'telegram', command: 'ratio' })).toBe(2);
    expect(series(text, 'goldratio_command_duration_seconds_sum', { platform: 'telegram', command: 'ratio' })).toBeGreaterThan(0);
    expect(series(text, 'goldratio_sends_total', { platform: 'telegram', outcome: 'sent' })).toBe(1);
    expect(series(text, 'goldratio_send_duration_seconds_count', { platform: 'telegram' })).toBe(1);
    expect(series(text, 'goldratio_rate_limited_total', { platform: 'telegram' })).toBeGreaterThanOrEqual(1);
    expect(series(text, 'goldratio_events_decided_total', { kind: 'cross-up' })).toBe(1);
    expect(series(text, 'goldratio_quotes_fetched_total', { source: 'yahoo', instrument: 'spx' })).toBeGreaterThanOrEqual(2);
    expect(series(text, 'goldratio_quotes_fetched_total', { source: 'fred', instrument: 'm2' })).toBeGreaterThanOrEqual(1);
    expect(series(text, 'goldratio_pair_ratio', { pair: 'spx-gold' })).toBeCloseTo(2.6, 6);
    expect(series(text, 'goldratio_pair_ratio', { pair: 'qqq-gold' })).toBeCloseTo(0.2, 6);
    // Last close Friday 2025-03-21 at 16:00 New York (20:00 UTC, daylight time), scraped Saturday 15:00 UTC:
    // 19 hours, the age `goldratio status` says ("19 h old"), not 39 (since that Friday's midnight UTC).
    expect(series(text, 'goldratio_last_close_age_seconds', { instrument: 'spx' })).toBe(19 * 3600);
    // Gold's close from Yahoo (GC=F) was set at the COMEX settlement, 13:30 New York (17:30 UTC): 21.5 hours.
    expect(series(text, 'goldratio_last_close_age_seconds', { instrument: 'gold' })).toBe(21.5 * 3600);
    expect(series(text, 'goldratio_chart_render_duration_seconds_count')).toBeGreaterThanOrEqual(2);
    expect(series(text, 'goldratio_chart_cache_hits_total')).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(text).toMatch(/^process_resident_memory_bytes /m);
    // The one process on SQLite leads from the start.
    expect(text).toMatch(/^goldratio_leader 1$/m);
    expect(text).toMatch(/^goldratio_leader_changes_total 1$/m);
    expect(text).toMatch(/^goldratio_cannot_lead 0$/m);
  });

  test('GIVEN a Telegram command answered and one that failed (the disk full) THEN goldratio_commands_total counts each, by outcome, as Discord does', async () => {
    const { app, base, tg } = await bootApp(cleanups, { telegram: true });
    const answered = async (chat: number, text: string) => {
      const before = tg.callsTo('sendMessage', chat).length;
      // A user each: one user's eleventh command in 10 s would meet the flood limit.
      tg.textMessage(chat, text, { id: chat, first_name: 'U' });
      await tg.waitFor(() => tg.callsTo('sendMessage', chat).length > before);
    };
    await answered(4300, '/subscribe');
    // No page may be added to the file: the next subscriptions fail (SQLITE_FULL) and are apologised for.
    app.db.pragma(`max_page_count = ${app.db.pragma('page_count', { simple: true }) as number}`);
    let chat = 4300;
    do await answered(++chat, '/subscribe');
    while (!/disk space/.test(String(tg.callsTo('sendMessage', chat).at(-1)?.params.text)) && chat < 4400);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/^# HELP goldratio_commands_total Chat commands handled, per platform, command and outcome/m);
    expect(series(text, 'goldratio_commands_total', { platform: 'telegram', command: 'subscribe', outcome: 'failed' })).toBe(1);
    expect(series(text, 'goldratio_commands_total', { platform: 'telegram', command: 'subscribe', outcome: 'ok' })).toBe(chat - 4300);
    expect(series(text, 'goldratio_command_duration_seconds_count', { platform: 'telegram', command: 'subscribe' })).toBe(chat - 4300 + 1);
  });

  test('/livez, /readyz (ready, then the reason once Telegram stops), 404, 405', async () => {
    const { app, base } = await bootApp(cleanups, { telegram: true });
    expect((await fetch(`${base}/livez`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect([ready.status, await ready.text()]).toEqual([200, 'ready (leader)\n']);
    const fresh = await fetch(`${base}/freshz`);
    expect([fresh.status, await fresh.text()]).toEqual([200, 'fresh\n']);
    expect(series(await (await fetch(`${base}/metrics`)).text(), 'goldratio_quotes_stale')).toBe(0);
    // A path guessed (/health, as other services name theirs): the 404 names the ones there are.
    const guessed = await fetch(`${base}/health`);
    expect([guessed.status, await guessed.text()]).toEqual([404, 'not found: /health; the paths are /livez (or /healthz), /readyz, /freshz and /metrics\n']);
    const post = await fetch(`${base}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');

    await app.platforms.find((p) => p.platform === 'telegram')!.stop();
    const down = await fetch(`${base}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.text()).toContain('telegram: not receiving updates');
    expect((await fetch(`${base}/livez`)).status).toBe(200);
    // The data is as fresh as before: a platform down is no staleness.
    expect((await fetch(`${base}/freshz`)).status).toBe(200);
  });

  test('GIVEN a probe of /healthz (load balancers ask it) THEN it answers as /livez does, even while not ready', async () => {
    const readiness = createReadiness([{ name: 'database', check: () => 'closed' }]);
    const ops = await startOpsServer({ host: '127.0.0.1', port: 0, metrics: createMetrics({ defaults: false }), readiness, log: memoryLogger('warn') });
    cleanups.push(() => ops.close());
    const base = `http://127.0.0.1:${ops.port}`;
    for (const path of ['/livez', '/healthz']) {
      const r = await fetch(`${base}${path}`);
      expect([path, r.status, await r.text(), r.headers.get('cache-control')]).toEqual([path, 200, 'ok\n', 'no-store']);
      expect((await fetch(`${base}${path}`, { method: 'HEAD' })).status).toBe(200);
    }
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
  });

  test('GIVEN a probe in flight WHEN the ops server closes (the last step of a stop) THEN that probe is answered, not cut off, and the next one is refused', async () => {
    let answer!: (why: string | undefined) => void;
    const readiness = createReadiness([{ name: 'goldratio', check: () => new Promise<string | undefined>((r) => (answer = r)) }]);
    const ops = await startOpsServer({ host: '127.0.0.1', port: 0, metrics: createMetrics({ defaults: false }), readiness, log: memoryLogger('warn') });
    const base = `http://127.0.0.1:${ops.port}`;
    const inFlight = fetch(`${base}/readyz`);
    await until('the probe asked', () => (answer === undefined ? undefined : true), 5000);
    const closed = ops.close();
    answer('shutting down');
    const res = await inFlight;
    expect([res.status, await res.text()]).toEqual([503, 'not ready\ngoldratio: shutting down\n']);
    await closed;
    await expect(fetch(`${base}/livez`)).rejects.toThrow();
  });

  test('GIVEN closes older than their schedule allows THEN /readyz is 200 saying them as warnings (the replica still serves), /freshz 503 naming each, goldratio_quotes_stale 1', async () => {
    const { base } = await bootApp(cleanups, { now: Date.parse('2025-04-15T15:00:00Z') });
    const ready = await fetch(`${base}/readyz`);
    const body = await ready.text();
    expect(ready.status).toBe(200);
    const lines = body.trim().split('\n');
    expect(lines[0]).toBe('ready (leader)');
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^warning: quotes: spx last close 2025-03-14 is older than 7 days; qqq last close .*gold last close /),
    ]);

    const fresh = await fetch(`${base}/freshz`);
    expect(fresh.status).toBe(503);
    const why = (await fresh.text()).trim().split('\n');
    expect(why[0]).toBe('not fresh');
    expect(why.slice(1)).toEqual([lines[1]!.replace(/^warning: /, '')]);
    expect(fresh.headers.get('cache-control')).toBe('no-store');

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^# HELP goldratio_quotes_stale /m);
    expect(series(metrics, 'goldratio_quotes_stale')).toBe(1);
  });

  test('GIVEN M2 older than its schedule allows THEN /freshz names its last month, as `goldratio status` does, not a close', async () => {
    const { base } = await bootApp(cleanups, { now: Date.parse('2026-01-15T15:00:00Z') });
    const why = (await (await fetch(`${base}/freshz`)).text()).trim();
    expect(why).toMatch(/; m2 last month \d{4}-\d{2} is older than 120 days/);
    expect(why).not.toMatch(/m2 last close/);
  });

  test('GIVEN stale closes AND the database file deleted under the bot THEN /readyz is 503 for the database (the stale quotes not asked through it), /freshz 503 for the same cause', async () => {
    const { base, path } = await bootApp(cleanups, { now: Date.parse('2025-04-15T15:00:00Z') });
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    const reason = `database: database ${path} (DATABASE_PATH) was deleted while goldratio had it open`;
    expect((await ready.text()).trim().split('\n')).toEqual(['not ready (leader)', expect.stringContaining(reason)]);
    const fresh = await fetch(`${base}/freshz`);
    expect(fresh.status).toBe(503);
    expect((await fresh.text()).trim().split('\n')).toEqual(['not fresh', expect.stringContaining(reason)]);
    // As /freshz: not known to be fresh, so empty (an alert on "== 1" or on its absence), never 0 from what the process still holds.
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^# HELP goldratio_quotes_stale /m);
    expect(series(metrics, 'goldratio_quotes_stale')).toBeUndefined();
  });

  test('GIVEN /readyz answering 200 and then 503 THEN the README in en, zh-TW and zh-CN names the first line of each, where its /readyz bullet says what a probe reads', async () => {
    const { base, path } = await bootApp(cleanups, { now: Date.parse('2025-04-15T15:00:00Z') });
    const first = async () => (await (await fetch(`${base}/readyz`)).text()).split('\n')[0]!;
    const ready = await first();
    rmSync(path, { force: true });
    const notReady = await first();
    expect([ready, notReady]).toEqual(['ready (leader)', 'not ready (leader)']);
    for (const readme of ['README.md', 'README.zh-TW.md', 'README.zh-CN.md']) {
      const bullet = readFileSync(readme, 'utf8')
        .split('\n')
        .find((l) => l.startsWith('- `GET http://127.0.0.1:9464/readyz`'));
      expect(bullet, readme).toContain(`200 \`${ready}\``);
      expect(bullet, readme).toContain(`503 \`${notReady}\``);
    }
  });

  test('GIVEN the app stopping THEN it is not ready: out of its Service before its platforms stop', async () => {
    const { app } = await bootApp(cleanups, { telegram: true });
    expect((await app.readiness.evaluate()).ready).toBe(true);
    const stopped = app.stop();
    const e = await app.readiness.evaluate();
    await stopped;
    expect(e.reasons[0]).toBe('goldratio: shutting down');
    expect(e.ready).toBe(false);
  });
});

describeWithPostgres('ops server on PostgreSQL', () => {
  /** /readyz's reasons and warnings (stale quotes), one a line, without the first ("ready (…)" or "not ready (…)"). */
  const reasons = async (base: string) => (await (await fetch(`${base}/readyz`)).text()).trim().split('\n').slice(1);

  test("GIVEN PostgreSQL gone THEN /readyz gives one reason, the database's, not also each check that reads through it", async () => {
    const d = await freshPgDatabase({ migrated: true });
    cleanups.push(() => d.drop());
    const proxy = await pgProxy(d.url);
    cleanups.push(() => proxy.close());
    const { base } = await bootApp(cleanups, { databaseUrl: proxy.url });
    // The closes arrive once this replica leads and backfills.
    await until('ready', async () => ((await reasons(base)).length === 0 ? true : undefined), 20_000);
    expect(series(await (await fetch(`${base}/metrics`)).text(), 'goldratio_quotes_stale')).toBe(0);
    proxy.cut();
    expect(await reasons(base)).toEqual([expect.stringMatching(/^database: PostgreSQL at postgres:\/\/\S+ is unavailable: /)]);
    // The quotes cannot be read: goldratio_quotes_stale is empty, as the README says, not 0 ("fresh").
    const scraped = await fetch(`${base}/metrics`);
    const metrics = await scraped.text();
    expect(scraped.status, metrics.slice(0, 300)).toBe(200);
    expect(metrics).toMatch(/^# HELP goldratio_quotes_stale /m);
    expect(series(metrics, 'goldratio_quotes_stale')).toBeUndefined();
    // What reads the store is empty; the rest of the scrape is there (a 500 would read as the process down).
    expect(series(metrics, 'goldratio_last_close_age_seconds', { instrument: 'spx' })).toBeUndefined();
    expect(metrics).toMatch(/^process_cpu_seconds_total \d/m);
  }, 30_000);

  /** A request that must answer: one still pending after `ms` fails the test (instead of hanging it) naming the path. */
  const answered = async (url: string, ms = 10_000) => {
    const res = await fetch(url, { signal: AbortSignal.timeout(ms) }).catch((e: unknown) => {
      throw new Error(`${url} gave no answer within ${ms} ms: ${String(e)}`);
    });
    return { status: res.status, lines: (await res.text()).trim().split('\n') };
  };

  /** A replica ready on PostgreSQL through the proxy, its closes loaded. */
  const readyReplica = async () => {
    const d = await freshPgDatabase({ migrated: true });
    cleanups.push(() => d.drop());
    const proxy = await pgProxy(d.url);
    cleanups.push(() => proxy.close());
    const { base } = await bootApp(cleanups, { databaseUrl: proxy.url });
    await until('ready', async () => ((await reasons(base)).length === 0 ? true : undefined), 20_000);
    return { base, proxy };
  };

  test("GIVEN the database silent (queries sent, nothing back) THEN /readyz and /freshz are 503 naming it within the probe bound, /metrics 200 without the store's gauges", async () => {
    const { base, proxy } = await readyReplica();
    const silent = proxy.stall();
    // Released first at the cleanup: a pool does not end while a query of it waits.
    cleanups.push(() => silent.release());
    const [ready, fresh, scraped] = await Promise.all([answered(`${base}/readyz`), answered(`${base}/freshz`), answered(`${base}/metrics`)]);
    expect(ready).toEqual({ status: 503, lines: ['not ready (leader)', 'database: no answer within 0.8 s'] });
    expect(fresh).toEqual({ status: 503, lines: ['not fresh', 'database: no answer within 0.8 s'] });
    const metrics = scraped.lines.join('\n');
    expect(scraped.status).toBe(200);
    // What reads the store is empty (unknown, not 0); the rest of the scrape is there.
    expect(metrics).toMatch(/^# HELP goldratio_quotes_stale /m);
    for (const name of [
      'goldratio_quotes_stale',
      'goldratio_last_close_age_seconds',
      'goldratio_pair_ratio',
      'goldratio_outbox_pending_messages',
      'goldratio_webhooks',
    ])
      expect(metrics, name).not.toMatch(new RegExp(`^${name}[ {]`, 'm'));
    expect(metrics).toMatch(/^goldratio_database_waiting 0$/m);
    expect(metrics).toMatch(/^process_cpu_seconds_total \d/m);
    silent.release();
    await until('ready again', async () => ((await reasons(base)).length === 0 ? true : undefined), 20_000);
    // Answering again, the store's gauges are back: the webhooks' states read from PostgreSQL (none added here).
    const again = (await answered(`${base}/metrics`)).lines;
    for (const state of ['ok', 'failing', 'deactivated']) expect(again).toContain(`goldratio_webhooks{state="${state}"} 0`);
  }, 60_000);

  test("GIVEN the closes' read silent THEN /readyz answers 200 (the quotes unanswered, a warning), /freshz 503 naming it, goldratio_quotes_stale empty", async () => {
    const { base, proxy } = await readyReplica();
    // On every connection: the scheduler's or a chart's read of the data version may go first on
    // another pooled connection, and a hold of that one alone let the probe's read through (a
    // fresh-clone CI at load 18 saw /readyz answer "ready (leader)" with no warning).
    const held = proxy.hold('data_version', { every: true });
    cleanups.push(() => held.release());
    const ready = answered(`${base}/readyz`);
    await held.seen;
    expect(await ready).toEqual({ status: 200, lines: ['ready (leader)', 'warning: quotes: no answer within 0.8 s'] });
    // The quotes' check still waits for its read: the next probes wait for that one, not a read of their own.
    expect(await answered(`${base}/freshz`)).toEqual({ status: 503, lines: ['not fresh', 'quotes: no answer within 0.8 s'] });
    const scraped = await answered(`${base}/metrics`);
    expect(scraped.status).toBe(200);
    // Not known either way: empty, neither 1 ("stale") nor 0 ("fresh").
    expect(series(scraped.lines.join('\n'), 'goldratio_quotes_stale')).toBeUndefined();
    held.release();
    await until('fresh again', async () => ((await answered(`${base}/freshz`)).status === 200 ? true : undefined), 20_000);
    expect(series((await answered(`${base}/metrics`)).lines.join('\n'), 'goldratio_quotes_stale')).toBe(0);
  }, 60_000);

  test('GIVEN a scrape THEN it asks the store what its gauges read, once each, not every readiness check; a scrape and a probe arriving together share what is in flight', async () => {
    const d = await freshPgDatabase({ migrated: true });
    cleanups.push(() => d.drop());
    const proxy = await pgProxy(d.url);
    cleanups.push(() => proxy.close());
    // main.ts's wiring of the ops server, on a store of its own: every query through the proxy is a probe's.
    const pg = await openPostgres(proxy.url, { what: 'DATABASE_URL', max: 4 });
    cleanups.push(() => pg.close());
    const store = onPostgres(pg);
    const quotes = new QuoteStore(store);
    const view = new MarketView(quotes);
    const now = () => SATURDAY;
    const readiness = createReadiness([
      { name: 'goldratio', check: () => undefined },
      { name: 'database', check: () => postgresProblem(pg) },
      quotesFresh(quotes, view, now, now()),
      { name: 'telegram', check: () => undefined },
    ]);
    const metrics = createMetrics({ defaults: false });
    metrics.watch(metricSources(view, new OutboxStore(store), now, readiness));
    const ops = await startOpsServer({ host: '127.0.0.1', port: 0, metrics, readiness, log: memoryLogger('warn') });
    cleanups.push(() => ops.close());
    const base = `http://127.0.0.1:${ops.port}`;
    const cost = async (paths: readonly string[]) => {
      const sent = proxy.queries.length;
      await Promise.all(paths.map(async (p) => (await fetch(`${base}${p}`)).text()));
      return proxy.queries.slice(sent);
    };
    // The first asks load the closes (once per data version); from then on each costs what is counted here.
    await cost(['/metrics']);
    const version = 'select "value" from "meta" where "key" = $1';
    const depth = expect.stringMatching(/from "outbox"/);
    const schema = "SELECT max(version) AS v, pg_is_in_recovery() AS standby, current_setting('transaction_read_only') AS ro FROM schema_migrations";
    // The data version, read once for both gauges of the closes; the outbox's depth; the freshness
    // check's database, then its data version. Not the platforms' checks, nor a second read for the ratios.
    expect((await cost(['/metrics'])).toSorted()).toEqual([version, version, depth, schema].toSorted());
    // A kubelet's probe during a scrape waits for the checks in flight rather than asking again.
    const together = await cost(['/metrics', '/readyz', '/freshz']);
    expect(together.filter((q) => q === schema)).toHaveLength(1);
  }, 30_000);

  test('GIVEN a replica whose database is open but whose start is not done (no platform, no leadership yet) THEN /readyz is 503 "start: still starting", not 200', async () => {
    const d = await freshPgDatabase({ migrated: true });
    cleanups.push(() => d.drop());
    const proxy = await pgProxy(d.url);
    cleanups.push(() => proxy.close());
    // The start's first read once the database is open (store/removed-closes.ts), kept back: the start waits there.
    const held = proxy.hold('"key" like');
    cleanups.push(() => held.release());
    const dir = mkdtempSync(join(tmpdir(), 'goldratio-starting-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const config = loadConfig({
      ...CLOCK_DRIVEN_ENV,
      DATABASE_URL: proxy.url,
      DATA_DIR: dir,
      CHART_WORKERS: '0',
      CHART_WARMUP: 'off',
      HTTP_RETRIES: '0',
      // The kernel's free port at the listen, read back from the "ops server on" line.
      HTTP_PORT: '0',
    });
    const log = memoryLogger('info');
    const starting = startApp(config, log, { out: () => {}, now: () => SATURDAY, skipInitialSync: true });
    cleanups.push(async () => (await starting.catch(() => undefined))?.stop());
    await held.seen;
    const port = opsPort(log.lines.join('\n'));
    expect(await answered(`http://127.0.0.1:${port}/readyz`)).toEqual({ status: 503, lines: ['not ready', 'start: still starting'] });
    held.release();
    await starting;
    // Its role once its leader election has answered (until then "(leader election not answered yet)": tests/ops/standby-start.test.ts).
    await until(
      'the election answered',
      async () => (/\((leader|standby)\)$/.test((await answered(`http://127.0.0.1:${port}/readyz`)).lines[0] ?? '') ? true : undefined),
      20_000,
    );
    expect(await answered(`http://127.0.0.1:${port}/readyz`)).toEqual({
      status: 200,
      lines: [expect.stringMatching(/^ready \((leader|standby)\)$/), expect.stringMatching(/^warning: quotes: /)],
    });
  }, 40_000);

  test('GIVEN the database migrated by a newer goldratio THEN /readyz names it once, in plain words', async () => {
    const d = await freshPgDatabase({ migrated: true });
    cleanups.push(() => d.drop());
    const { base } = await bootApp(cleanups, { databaseUrl: d.url });
    await until('ready', async () => ((await reasons(base)).length === 0 ? true : undefined), 20_000);
    const known = latestVersion(MIGRATIONS);
    await adminQuery(d.url, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'next', 'now')", [known + 1]);
    expect(await reasons(base)).toContain(
      `database: ${d.url.replace(/:[^:@/]*@/, '@')} was migrated by a newer goldratio (schema version ${known + 1}; this replica knows up to ${known}): replace this replica with the new version`,
    );
    // It led: it lets go at its next heartbeat and, as an old standby does, says it cannot lead, on /readyz and to an alert rule.
    await until('let go', async () => ((await (await fetch(`${base}/readyz`)).text()).startsWith('not ready (standby') ? true : undefined), 20_000);
    // Why it cannot lead is the database's reason: said once, not again as the role's note.
    expect((await (await fetch(`${base}/readyz`)).text()).trim().split('\n')).toEqual([
      'not ready (standby, cannot lead)',
      `database: ${d.url.replace(/:[^:@/]*@/, '@')} was migrated by a newer goldratio (schema version ${known + 1}; this replica knows up to ${known}): replace this replica with the new version`,
    ]);
    expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/^goldratio_cannot_lead 1$/m);
  }, 30_000);
});
