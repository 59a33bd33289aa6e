/**
 * `goldratio copy-data` and Ctrl-C/SIGTERM: the copy is one PostgreSQL transaction, so a signal
 * rolls it back. It must stop at once and say that nothing was copied, not go on for minutes and
 * then report success as if the signal had not come.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/db.ts';
import { adminQuery, describeWithPostgres, freshPgDatabase } from '../helpers/postgres.ts';
import { spawnBin, type Child } from '../helpers/process.ts';
import { runCliInProcess } from '../helpers/cli.ts';

describeWithPostgres('copy-data stopped by a signal', () => {
  let dir: string;
  let source: string;
  const running: Child[] = [];
  const dbs: { drop(): Promise<void> }[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'goldratio-copy-signal-'));
    source = join(dir, 'big.db');
    const db = openDatabase(source);
    // Enough rows that the copy takes seconds: the signal comes while it is under way.
    const ins = db.prepare("INSERT INTO closes (instrument, date, close, source, updated_at) VALUES (?, ?, ?, 'test', '2026-01-01T00:00:00Z')");
    db.transaction(() => {
      for (const instrument of ['spx', 'qqq', 'gold', 'm2'])
        for (let i = 0; i < 60_000; i++) ins.run(instrument, new Date(Date.UTC(1850, 0, 1) + i * 86_400_000).toISOString().slice(0, 10), 100 + (i % 97));
    })();
    db.close();
    // 240,000 rows: over the 30 s hook timeout at a load of 30.
  }, 120_000);
  afterAll(async () => {
    for (const c of running) c.child.kill('SIGKILL');
    for (const d of dbs) await d.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    'GIVEN a copy under way WHEN %s arrives THEN exit %i, one line saying nothing was copied, the target still empty',
    async (signal, exit) => {
      const target = await freshPgDatabase();
      dbs.push(target);
      const c = spawnBin(['copy-data', '--to', target.url], { DATABASE_PATH: source, LOG_LEVEL: 'debug', LOG_FORMAT: 'pretty' });
      running.push(c);
      // meta is the first table; closes, the big one, comes next.
      await c.waitFor(/table copied\s+table: "meta"/, 60_000);
      c.child.kill(signal);
      const { code } = await c.exited;
      expect(code).toBe(exit);
      expect(c.stderr().trim().split('\n').at(-1)).toMatch(
        new RegExp(`^goldratio copy-data: stopped by ${signal}: nothing was copied; postgres://\\S+ is as empty as before, run copy-data again$`),
      );
      expect(c.stdout()).toBe('');
      const rows = await adminQuery(target.url, 'SELECT count(*)::int AS n FROM closes');
      expect(rows.rows[0].n).toBe(0);
    },
    90_000,
  );
});

describeWithPostgres("copy-data into another application's database", () => {
  test("GIVEN a --to database holding tables that are not goldratio's THEN refused in one line, exit 2, no table of goldratio made there", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'goldratio-copy-foreign-'));
    const target = await freshPgDatabase();
    try {
      const source = join(dir, 'g.db');
      openDatabase(source).close();
      // A slip of the database name (--to …/shop for …/goldratio): the migrations would have made 17 tables among the shop's.
      await adminQuery(target.url, 'CREATE TABLE customers (id int PRIMARY KEY, name text)');
      await adminQuery(target.url, 'CREATE TABLE orders (id int PRIMARY KEY)');
      const r = await runCliInProcess(['copy-data', '--to', target.url], { DATABASE_PATH: source, DATA_DIR: dir });
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toMatch(
        /^goldratio copy-data: postgres:\/\/\S+ holds tables that are not goldratio's \(customers, orders\): copy-data fills only an empty database: create a new one \(createdb\) and copy into it\n$/,
      );
      const tables = await adminQuery(target.url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
      expect(tables.rows.map((t: { tablename: string }) => t.tablename)).toEqual(['customers', 'orders']);
    } finally {
      await target.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
