/**
 * The market commands on PostgreSQL (DATABASE_URL), end to end through the bin's `main`: backfill
 * from the quote fake, import of a CSV, then the reading commands over what landed; `backup` says
 * what to use instead. The same commands on SQLite are tested beside (tests/cli/backfill.test.ts,
 * tests/bad-input.test.ts).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliInProcess as cli, startHistoryMarket } from '../helpers/cli.ts';
import { adminQuery, describeWithPostgres, freshPgDatabase } from '../helpers/postgres.ts';
import type { QuoteServer } from '../fakes/quote-server.ts';

describeWithPostgres('market commands on PostgreSQL', () => {
  let server: QuoteServer;
  let db: { url: string; drop(): Promise<void> };
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    const market = await startHistoryMarket();
    server = market.server;
    db = await freshPgDatabase({ migrated: true });
    dir = mkdtempSync(join(tmpdir(), 'goldratio-pg-cli-'));
    // DATA_DIR holds no database here: DATABASE_PATH is left unset, as DATABASE_URL asks.
    env = { DATABASE_URL: db.url, DATA_DIR: dir, ...market.env };
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('GIVEN DATABASE_URL THEN backfill, import, ratio, history, status and power run on PostgreSQL, and nothing is written beside DATA_DIR', async () => {
    const fill = await cli(['backfill'], env);
    expect(fill.stderr).toBe('');
    expect(fill.code).toBe(0);
    expect(fill.stdout).toMatch(/^spx\s+1999-03-10\.\.\S+ from yahoo: \d+ fetched, \d+ new/m);
    const stored = await adminQuery(db.url, 'SELECT instrument, count(*)::int AS n FROM closes GROUP BY instrument ORDER BY instrument');
    expect(stored.rows.map((r: { instrument: string }) => r.instrument)).toEqual(['gold', 'm2', 'qqq', 'spx']);

    // An import lands in the same database, one transaction, counted against what backfill stored.
    const csv = join(dir, 'spx.csv');
    writeFileSync(csv, 'date,close\n2002-01-02,1154.67\n2002-01-03,1165.27\n');
    const imp = await cli(['import', 'spx', csv], env, { nowMs: Date.parse('2002-01-04T22:00:00Z') });
    expect(imp.stderr).toBe('');
    expect(imp.code).toBe(0);
    expect(imp.stdout).toMatch(/^spx: 2 good rows \(2 new, 0 updated, 0 unchanged\), 0 bad rows skipped, 2002-01-02 \.\. 2002-01-03$/m);
    const again = await cli(['import', 'spx', csv], env, { nowMs: Date.parse('2002-01-04T22:00:00Z') });
    expect(again.stdout).toMatch(/\(0 new, 0 updated, 2 unchanged\)/);

    const ratio = await cli(['ratio', '--json'], env, { nowMs: Date.parse('2002-01-04T22:00:00Z') });
    expect(ratio.stderr).toBe('');
    expect(ratio.code).toBe(0);
    const reports = JSON.parse(ratio.stdout) as { pair: string; closeDate: string }[];
    expect(reports.map((r) => r.pair)).toEqual(['spx-gold', 'qqq-gold']);

    const history = await cli(['history', 'qqq-gold', '--from', '2000-03-01', '--to', '2000-03-31', '--json'], env);
    expect(history.code).toBe(0);
    expect((JSON.parse(history.stdout) as unknown[]).length).toBeGreaterThan(15);

    const status = await cli(['status'], env);
    expect(status.code).toBe(0);
    // Where the data is, without the password; the rows of the import counted.
    expect(status.stdout.split('\n')[0]).toBe(`database ${db.url.replace(/:[^:@/]*@/, '@').replace(/\/$/, '')}`);
    expect(status.stdout).not.toContain(':pw@');
    expect(status.stdout).toMatch(/^spx\s+\d+ rows {2}last 2002-01-03 1165\.27 \(import:spx\.csv, /m);

    const power = await cli(['power', '--json'], env);
    expect(power.stderr).toBe('');
    expect(power.code).toBe(0);

    // No SQLite file appeared anywhere: the commands never opened DATABASE_PATH.
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(dir)).toEqual(['spx.csv']);
  }, 60_000);

  test('GIVEN DATABASE_URL THEN backup says in one line that the server does backups, exit 2, nothing written', async () => {
    const out = join(dir, 'copy.db');
    const r = await cli(['backup', out], env);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^goldratio backup: .*PostgreSQL.*pg_dump.*\n$/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('GIVEN DATABASE_URL THEN copy-data (SQLite into PostgreSQL only) says what it copies and that there is no way back, not that a default SQLite file is missing', async () => {
    const r = await cli(['copy-data', '--to', db.url], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^goldratio copy-data: copies only from SQLite \(DATABASE_PATH\) into PostgreSQL, and DATABASE_URL is set: run it with DATABASE_PATH=<the \.db file> and without DATABASE_URL \(there is no copy from PostgreSQL back to SQLite\)\n$/,
    );
  });

  test('GIVEN an unreachable DATABASE_URL THEN a reading command is one line naming where, exit 2', async () => {
    const r = await cli(['status'], { DATA_DIR: dir, DATABASE_URL: 'postgres://gr:secret-pw@127.0.0.1:1/g' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^goldratio status: cannot reach PostgreSQL at 127\.0\.0\.1:1 \(DATABASE_URL: postgres:\/\/gr@127\.0\.0\.1:1\/g\): ECONNREFUSED/);
    expect(r.stderr).not.toContain('secret-pw');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
