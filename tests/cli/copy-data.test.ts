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
import { onSqlite } from '../../src/store/engine.ts';
import { MetaStore } from '../../src/store/meta.ts';
import { TokenNotes } from '../../src/store/token-notes.ts';
import { DiscordStore } from '../../src/store/discord.ts';
import { RIGHTS_SCAN_META, TYPE_SCAN_META } from '../../src/store/per-process-meta.ts';
import { TYPE_SCAN_KEY } from '../../src/platforms/telegram/type-scan.ts';
import { RIGHTS_SCAN_KEY } from '../../src/platforms/telegram/rights-scan.ts';

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

describeWithPostgres("copy-data and one process's meta rows", () => {
  test("GIVEN a SQLite file holding a refused-token note and the claims of Telegram scans under way THEN they are not copied and the summary says so; the data's meta rows are", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'goldratio-copy-meta-'));
    const target = await freshPgDatabase();
    try {
      const source = join(dir, 'g.db');
      const db = openDatabase(source);
      const store = onSqlite(db);
      await new TokenNotes(store).put({ platform: 'telegram', by: 'host-a pid 7', reason: 'off: the Telegram token was refused', since: 1, leads: false });
      const meta = new MetaStore(store);
      await meta.set(TYPE_SCAN_KEY, '1765000000000');
      await meta.set(RIGHTS_SCAN_KEY, '1765000000000.0');
      await new DiscordStore(store).setUnexplained('748000000000000001', { count: 2, until: 1765000000000 });
      db.close();

      const r = await runCliInProcess(['copy-data', '--to', target.url], { DATABASE_PATH: source, DATA_DIR: dir });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^meta\s+\d+ -> \d+ {2}\(3 left out\)$/m);
      expect(r.stdout.trim().split('\n').at(-1)).toMatch(
        /every count matches; left out, as they are one process's on the SQLite file and mean nothing in PostgreSQL: 1 meta row\(s\), refused-token note of a process on the SQLite file; 1 meta row\(s\), claim of a Telegram chat-type scan under way \(a process's lease\); 1 meta row\(s\), claim of a Telegram rights-back scan under way \(a process's lease\)$/,
      );
      const keys = await adminQuery(
        target.url,
        "SELECT key FROM meta WHERE key LIKE 'telegram.%' OR key LIKE '%token_refused%' OR key LIKE 'discord:%' ORDER BY key",
      );
      expect(keys.rows.map((k: { key: string }) => k.key)).toEqual(['discord:unexplained:748000000000000001']);
    } finally {
      await target.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test("per-process-meta.ts names the scans' keys as the scans write them", () => {
  expect([TYPE_SCAN_META, RIGHTS_SCAN_META]).toEqual([TYPE_SCAN_KEY, RIGHTS_SCAN_KEY]);
});
