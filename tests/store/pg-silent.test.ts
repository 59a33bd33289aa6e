/**
 * A PostgreSQL whose network goes silent (no RST, no FIN, nothing answers): every query on the
 * main pool has a deadline (DATABASE_QUERY_TIMEOUT_MS, here 1 s), fails past it with
 * one line naming the server and the deadline, counts as the server unreachable, and its
 * connection is dropped, never handed to the next query; once the server answers again the next
 * query gets a fresh connection. Long work (migrations, import, copy-data) is not cut by it.
 */
import { executionAsyncId } from 'node:async_hooks';
import { afterEach, expect, test } from 'vitest';
import { sql } from 'kysely';
import { onPostgres } from '../../src/store/engine.ts';
import { openPostgres, postgresProblem } from '../../src/store/postgres.ts';
import { longWork } from '../../src/store/pg-deadline.ts';
import { MIGRATIONS, latestVersion } from '../../src/store/migrations/index.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { isUnreachable } from '../../src/store/busy.ts';
import { describeWithPostgres, freshPgDatabase } from '../helpers/postgres.ts';
import { pgProxy } from '../helpers/pg-proxy.ts';
import { runCliInProcess } from '../helpers/cli.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

/** Also the bound of a new connection: on a loaded machine a connection to the real server can take some hundred ms. */
const DEADLINE = 1000;
/** The one line of a query left unanswered, through the proxy at `port`. */
const silentLine = (port: string) =>
  new RegExp(
    `^PostgreSQL at 127\\.0\\.0\\.1:${port} did not answer a query within 1 s \\(DATABASE_URL: postgres://[^:@/]+@127\\.0\\.0\\.1:${port}/\\w+\\); its connection was closed$`,
  );

async function world(max: number, queryTimeoutMs = DEADLINE, connectTimeoutMs?: number) {
  const d = await freshPgDatabase({ migrated: true });
  cleanups.push(() => d.drop());
  const proxy = await pgProxy(d.url);
  cleanups.push(() => proxy.close());
  const pg = await openPostgres(proxy.url, { what: 'DATABASE_URL', max, queryTimeoutMs, ...(connectTimeoutMs !== undefined ? { connectTimeoutMs } : {}) });
  cleanups.push(() => pg.close());
  const store = onPostgres(pg);
  const subs = new SubscriptionStore(store, { approachPct: 3, lang: 'en' });
  return { d, proxy, pg, store, subs, port: new URL(proxy.url).port };
}

/** How `p` settled, and after how many ms. */
async function settle(p: Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const t0 = Date.now();
  try {
    await p;
    return { ms: Date.now() - t0, error: undefined };
  } catch (error) {
    return { ms: Date.now() - t0, error };
  }
}

/** Three probes of the silent server each say so within their 300 ms; once it answers, the next finds it ready (no probe kept a connection). */
async function probesSilentThenReady(proxy: { silenceAll(): void; speak(): void }, pg: Parameters<typeof postgresProblem>[0]): Promise<void> {
  proxy.silenceAll();
  for (let i = 0; i < 3; i++) {
    expect(await postgresProblem(pg, 300)).toMatch(/^PostgreSQL at postgres:\/\/\S+ is unavailable: no answer within 300 ms$/);
  }
  proxy.speak();
  expect(await postgresProblem(pg, 2000)).toBeUndefined();
}

describeWithPostgres('a PostgreSQL that stops answering', () => {
  test('GIVEN the server silent THEN a read fails within the deadline with one line, counted as unreachable; WHEN it answers again THEN the next read succeeds on a fresh connection', async () => {
    const { proxy, subs, port } = await world(1);
    await subs.upsert('telegram', '1');

    proxy.silenceAll();
    const silent = await settle(subs.get('telegram', '1'));
    expect((silent.error as Error | undefined)?.message).toMatch(silentLine(port));
    expect(isUnreachable(silent.error)).toBe(true);
    expect(silent.ms).toBeGreaterThanOrEqual(DEADLINE - 20);
    expect(silent.ms).toBeLessThan(DEADLINE + 3000);

    proxy.speak();
    // One connection in the pool: had the timed-out one gone back to it, this read would queue behind the unanswered one and fail.
    expect((await settle(subs.get('telegram', '1'))).error).toBeUndefined();
  }, 30_000);

  test('GIVEN the server silent during a unit of work THEN the write fails within the deadline (its rollback does not wait again) and the next one goes through once it answers', async () => {
    const { proxy, subs, store, port } = await world(1);
    await subs.upsert('telegram', '1');

    proxy.silenceAll();
    const silent = await settle(subs.upsert('telegram', '2'));
    expect((silent.error as Error | undefined)?.message).toMatch(silentLine(port));
    expect(silent.ms).toBeLessThan(DEADLINE + 3000);

    proxy.speak();
    await subs.upsert('telegram', '3');
    const chats = (await sql<{ chat_id: string }>`SELECT chat_id FROM subscriptions ORDER BY chat_id`.execute(store.k)).rows.map((r) => r.chat_id);
    expect(chats).toEqual(['1', '3']);
  }, 30_000);

  test('GIVEN idle connections from before the silence THEN the first read after it answers again does not wait a deadline on one of them', async () => {
    const { proxy, subs, store } = await world(4);
    // Four connections made and left idle in the pool.
    await Promise.all(Array.from({ length: 4 }, () => sql`SELECT pg_sleep(0.1)`.execute(store.k)));
    proxy.silenceAll();
    expect((await settle(subs.get('telegram', '1'))).error).toBeInstanceOf(Error);
    proxy.speak();
    // Taken from the pool, one of the four silent ones would fail it past the deadline.
    expect((await settle(subs.get('telegram', '1'))).error).toBeUndefined();
  }, 30_000);

  test('GIVEN the server silent THEN the readiness probe says so within its own wait each time, and is ready again once it answers (no probe keeps a connection)', async () => {
    const { proxy, pg } = await world(1);
    await probesSilentThenReady(proxy, pg);
  }, 30_000);

  test('GIVEN DATABASE_QUERY_TIMEOUT_MS=0 (no bound on queries) and the server silent THEN the readiness probe still bounds its own query: no probe keeps a connection', async () => {
    // A new connection on the silent network is bounded by the connect timeout (10 s by default; 1 s here).
    const { proxy, pg } = await world(1, 0, 1000);
    await probesSilentThenReady(proxy, pg);
  }, 30_000);

  test('GIVEN the migrations, a probe and long work done THEN no async scope is left on: Node 20 tracks every promise of the process while one is (each await 2-4 times dearer)', async () => {
    // Promise hooks off, a continuation runs in no tracked context: its id is 0.
    const untracked = async () => {
      await null;
      return executionAsyncId();
    };
    expect(await untracked()).toBe(0);
    const { pg } = await world(2);
    expect(await postgresProblem(pg, 2000)).toBeUndefined();
    expect((await longWork(() => sql<{ v: number }>`SELECT 1 AS v`.execute(pg.db))).rows).toEqual([{ v: 1 }]);
    // Two at once: the first to end (the probe) leaves the other its bound; its statement after
    // that is still long work, not cut at the 1 s deadline.
    let probed = () => {};
    const slow = longWork(async () => {
      await new Promise<void>((r) => {
        probed = r;
      });
      return sql`SELECT pg_sleep(1.5)`.execute(pg.db);
    });
    expect(await postgresProblem(pg, 2000)).toBeUndefined();
    probed();
    await slow;
    expect(await untracked()).toBe(0);
  }, 30_000);

  test('GIVEN a deadline shorter than a statement THEN an ordinary query is cut by it but long work and the migrations are not', async () => {
    const { store, port } = await world(2);
    const ordinary = await settle(sql`SELECT pg_sleep(1.5)`.execute(store.k));
    // The server did answer in the end; the line still names the deadline that passed.
    expect((ordinary.error as Error | undefined)?.message).toMatch(silentLine(port));
    expect((await settle(longWork(() => sql`SELECT pg_sleep(1.5)`.execute(store.k)))).error).toBeUndefined();

    // A migration whose statement takes longer than the deadline.
    const d = await freshPgDatabase({ migrated: true });
    cleanups.push(() => d.drop());
    const slow = { version: latestVersion(MIGRATIONS) + 1, name: 'slow', steps: () => ['SELECT pg_sleep(1.5)'] };
    const migrated = await openPostgres(d.url, { what: 'DATABASE_URL', max: 1, queryTimeoutMs: DEADLINE, migrations: [...MIGRATIONS, slow] });
    cleanups.push(() => migrated.close());
    const v = await sql<{ v: number }>`SELECT max(version) AS v FROM schema_migrations`.execute(migrated.db);
    expect(v.rows[0]?.v).toBe(slow.version);
  }, 30_000);
  test('GIVEN a connection of the pool THEN the server probes it too, so a session whose client was lost in a partition ends with its locks', async () => {
    const { store } = await world(1);
    const show = async (name: string) => (await sql<Record<string, string>>`SELECT current_setting(${name}) AS v`.execute(store.k)).rows[0]?.v;
    expect([await show('tcp_keepalives_idle'), await show('tcp_keepalives_interval'), await show('tcp_keepalives_count')]).toEqual(['10', '5', '3']);
  }, 30_000);
  test("GIVEN DATABASE_SERVER_KEEPALIVE=off (RDS Proxy, PgBouncer in transaction mode) THEN a command's sessions send no SET, keeping the server's own keepalives; on (the default) they do", async () => {
    const { proxy } = await world(1);
    const dir = mkdtempSync(join(tmpdir(), 'goldratio-keepalive-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const sets = () => proxy.queries.filter((q) => /tcp_keepalives/.test(q)).length;
    const before = sets();
    const off = await runCliInProcess(['status'], { DATABASE_URL: proxy.url, DATA_DIR: dir, DATABASE_SERVER_KEEPALIVE: 'off' });
    expect(off.stderr).not.toMatch(/DATABASE_SERVER_KEEPALIVE/);
    expect(proxy.queries.length).toBeGreaterThan(before);
    expect(sets()).toBe(before);
    await runCliInProcess(['status'], { DATABASE_URL: proxy.url, DATA_DIR: dir });
    expect(sets()).toBeGreaterThan(before);
    const bad = await runCliInProcess(['status'], { DATABASE_URL: proxy.url, DATA_DIR: dir, DATABASE_SERVER_KEEPALIVE: 'no' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/DATABASE_SERVER_KEEPALIVE/);
  }, 30_000);
});
