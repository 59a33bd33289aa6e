/**
 * A command against a PostgreSQL that stops answering (its network silent: nothing refused, nothing
 * answered) ends within DATABASE_QUERY_TIMEOUT_MS with one line naming the server, instead of
 * waiting for good; an import's one long transaction is not cut by that deadline.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliInProcess as cli } from '../helpers/cli.ts';
import { pgProxy } from '../helpers/pg-proxy.ts';
import { adminQuery, describeWithPostgres, freshPgDatabase } from '../helpers/postgres.ts';

/** A command's bound when a wait for good is what it is told from (the test's own is 60 s). */
const WITHIN_MS = 20_000;

describeWithPostgres('goldratio commands on a PostgreSQL that stops answering', () => {
  const dbs: { url: string; drop(): Promise<void> }[] = [];
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'goldratio-pg-silent-'));
  });
  afterAll(async () => {
    for (const d of dbs) await d.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('GIVEN the server silent after the open, or from the start THEN status is one line naming it and the deadline, within it, not a wait for good', async () => {
    const d = await freshPgDatabase({ migrated: true });
    dbs.push(d);
    const proxy = await pgProxy(d.url);
    try {
      const env = { DATABASE_URL: proxy.url, DATA_DIR: dir, DATABASE_QUERY_TIMEOUT_MS: '1500' };
      // The replicas' query (after the open and the quotes' one) never reaches the server, and nothing answers it.
      const held = proxy.hold('pg_stat_activity');
      // Told from a wait for good at a loaded machine's pace: this first command also loads (and
      // vitest transforms) the CLI's modules in this fork, seconds beside the suite's other forks.
      let t0 = Date.now();
      const r = await cli(['status'], env);
      expect(Date.now() - t0).toBeLessThan(WITHIN_MS);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /^goldratio status: PostgreSQL at 127\.0\.0\.1:\d+ did not answer a query within 1.5 s \(DATABASE_URL: postgres:\/\/\S+\); its connection was closed\n$/,
      );
      held.release();

      // Silent before the command connects: the open's connection waits no longer than the deadline (not its 10 s).
      proxy.silenceAll();
      t0 = Date.now();
      const silent = await cli(['status'], env);
      // Its modules loaded above: the 1.5 s deadline and little else, told from the open's 10 s.
      expect(Date.now() - t0).toBeLessThan(8000);
      expect(silent.code).toBe(2);
      expect(silent.stderr).toMatch(/^goldratio status: PostgreSQL at 127\.0\.0\.1:\d+ did not answer within 1.5 s \(DATABASE_URL: postgres:\/\/\S+\)\n$/);
    } finally {
      await proxy.close();
    }
  }, 60_000);

  test('GIVEN connect_timeout=2 in DATABASE_URL and a server that never answers THEN status gives up after about 2 s, in one line naming the option', async () => {
    const d = await freshPgDatabase({ migrated: true });
    dbs.push(d);
    const proxy = await pgProxy(d.url);
    try {
      proxy.silenceAll();
      const url = new URL(proxy.url);
      url.searchParams.set('connect_timeout', '2');
      // The query deadline's default (30 s) leaves goldratio's own 10 s for the connection: the URL's 2 s must win.
      const t0 = Date.now();
      const r = await cli(['status'], { DATABASE_URL: url.toString(), DATA_DIR: dir });
      const took = Date.now() - t0;
      expect(r.stderr).toMatch(
        /^goldratio status: PostgreSQL at 127\.0\.0\.1:\d+ did not answer within 2 s, the URL's connect_timeout \(DATABASE_URL: postgres:\/\/\S+\)\n$/,
      );
      expect(r.code).toBe(2);
      // Loose: never before the 2 s, well before goldratio's own 10 s even on a loaded machine.
      expect(took).toBeGreaterThanOrEqual(1900);
      expect(took).toBeLessThan(9000);
    } finally {
      await proxy.close();
    }
  }, 30_000);

  test('GIVEN an import whose transaction outlasts the query deadline THEN it is not cut by it', async () => {
    const DEADLINE_MS = 1000;
    const d = await freshPgDatabase({ migrated: true });
    dbs.push(d);
    const csv = join(dir, 'gold-slow.csv');
    writeFileSync(csv, 'date,close\n2020-03-02,1588.5\n2020-03-03,1640.9\n');
    const proxy = await pgProxy(d.url);
    try {
      // The import's insert held back on the wire for longer than the deadline, then let through: a slow statement.
      const held = proxy.hold('insert into "closes"');
      const run = cli(['import', 'gold', csv], { DATABASE_URL: proxy.url, DATA_DIR: dir, DATABASE_QUERY_TIMEOUT_MS: String(DEADLINE_MS) });
      await held.seen;
      // Held until the deadline's moment has passed: the CLI runs in this process, and its deadline's
      // timer was set when the insert was sent, before the proxy saw it; a timer of the same length
      // set now fires after that one (Node fires timers in the order they fall due), so by then a
      // deadline that cut the import has cut it (its socket destroyed, the insert failed), whatever the load.
      await new Promise((r) => setTimeout(r, DEADLINE_MS));
      held.release();
      const r = await run;
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    } finally {
      await proxy.close();
    }
    expect((await adminQuery(d.url, 'SELECT count(*)::int AS n FROM closes')).rows[0].n).toBe(2);
  }, 30_000);
});
