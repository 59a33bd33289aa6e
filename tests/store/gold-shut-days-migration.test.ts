/**
 * Migration 019: a database that took gold closes dated a day neither London fixes nor COMEX settles
 * (every import of gold_daily.csv before the rule: 2025-12-25, 2026-01-01, 2026-04-03, 2026-05-25)
 * loses those rows, once, on both engines; the data version moves (charts drawn again), what was
 * decided from them stays, and the removal is said once, naming the rows.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../../src/store/db.ts';
import { onSqlite, type StoreDb } from '../../src/store/engine.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { goldShutDayStatements } from '../../src/store/migrations/019-gold-shut-days.ts';
import { openPostgres } from '../../src/store/postgres.ts';
import { removedGoldLine, takeRemovedGold } from '../../src/store/removed-closes.ts';
import { describeWithPostgres, freshPgDatabase } from '../helpers/postgres.ts';
import { upgradedStore } from '../helpers/old-store.ts';
import { runCliInProcess as cli } from '../helpers/cli.ts';
import { describeWithHistory, HISTORY_DIR, HISTORY_FILES } from '../helpers/history.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

const BEFORE = MIGRATIONS.filter((m) => m.version < 19);
const SHUT = ['2025-12-25', '2026-01-01', '2026-04-03', '2026-05-25'];

/** The real file's gold rows from 2025-12-01 to 2026-06-05, as an import before the rule stored them. */
function realGold(): { date: string; close: string }[] {
  return readFileSync(join(HISTORY_DIR, HISTORY_FILES.gold), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => {
      const [date, close] = l.split(',');
      return { date: date!, close: close! };
    })
    .filter((r) => r.date >= '2025-12-01' && r.date <= '2026-06-05');
}

function rowsBefore(): string[] {
  const gold = realGold();
  return [
    `INSERT INTO closes (instrument, date, close, source, updated_at) VALUES ${gold.map((r) => `('gold', '${r.date}', ${r.close}, 'import:gold_daily.csv', 'x')`).join(', ')}`,
    `INSERT INTO closes (instrument, date, close, source, updated_at) VALUES ('spx', '2025-12-26', 6929.94, 'yahoo', 'x')`,
    `INSERT INTO held_quotes (instrument, date, price, source, held_at) VALUES ('gold', '2026-04-03', 5000, 'yahoo', 'x')`,
    `INSERT INTO events (id, date, pair, level_id, watch_key, kind, direction, value, level_value, basis, created_at) VALUES
      (7, '2025-12-26', 'spx-gold', 'spx-gold-1.5', 'spx-gold-1.5', 'cross-up', 'up', 1.547, 1.5, 'close', 1)`,
    `UPDATE meta SET value = '41' WHERE key = 'data_version'`,
  ];
}

async function expectMigrated(db: StoreDb): Promise<void> {
  const gold = realGold();
  const dates = (await sql<{ date: string }>`SELECT date FROM closes WHERE instrument = 'gold' ORDER BY date`.execute(db.k)).rows.map((r) => r.date);
  expect(dates).toEqual(gold.map((r) => r.date).filter((d) => !SHUT.includes(d)));
  expect((await sql<{ n: number }>`SELECT count(*) AS n FROM closes WHERE instrument = 'spx'`.execute(db.k)).rows.map((r) => Number(r.n))).toEqual([1]);
  expect((await sql`SELECT date FROM held_quotes`.execute(db.k)).rows).toEqual([]);
  // What was decided from those ratios stays as it was decided.
  expect((await sql<{ id: number }>`SELECT id FROM events`.execute(db.k)).rows.map((r) => Number(r.id))).toEqual([7]);
  expect((await sql<{ value: string }>`SELECT value FROM meta WHERE key = 'data_version'`.execute(db.k)).rows).toEqual([{ value: '42' }]);
  const removed = await takeRemovedGold(db);
  const closeOf = (d: string) => Number(gold.find((r) => r.date === d)!.close);
  expect(removed).toEqual(SHUT.map((date) => ({ date, close: closeOf(date), source: 'import:gold_daily.csv' })));
  expect(removedGoldLine(removed)).toBe(
    `removed 4 gold closes dated a day London does not fix gold nor COMEX settle it: 2025-12-25 ${closeOf('2025-12-25')} (import:gold_daily.csv), ` +
      `2026-01-01 ${closeOf('2026-01-01')} (import:gold_daily.csv), 2026-04-03 ${closeOf('2026-04-03')} (import:gold_daily.csv), ` +
      `2026-05-25 ${closeOf('2026-05-25')} (import:gold_daily.csv); each was an earlier price carried forward, and the ratios of the days after now use the gold price of the day before (alerts and events already decided from them are kept)`,
  );
  // Said once: the notes are gone with the first that took them.
  expect(await takeRemovedGold(db)).toEqual([]);
}

describeWithHistory('migration 019 on SQLite', () => {
  test("GIVEN a file that imported the real gold file before the rule THEN its four shut days' rows go, noted once, the data version moves, the event stays", async () => {
    await expectMigrated(await upgradedStore('sqlite', BEFORE, rowsBefore()));
  });

  test('GIVEN a database with no such row THEN nothing is noted and the data version stays', async () => {
    const db = openDatabase(':memory:');
    cleanups.push(() => db.close());
    const store = onSqlite(db);
    expect(await takeRemovedGold(store)).toEqual([]);
    expect(removedGoldLine([])).toBeUndefined();
    expect((await sql<{ value: string }>`SELECT value FROM meta WHERE key = 'data_version'`.execute(store.k)).rows).toEqual([{ value: '0' }]);
  });
});

describeWithHistory('migration 019 on PostgreSQL (real history)', () => {
  describeWithPostgres('migration 019 on PostgreSQL', () => {
    test("GIVEN a database that imported the real gold file before the rule THEN its four shut days' rows go, noted once, the data version moves, the event stays", async () => {
      await expectMigrated(await upgradedStore('postgres', BEFORE, rowsBefore()));
    });
  });
});

describe('the days 019 removes', () => {
  test('GIVEN the rule THEN the list holds the shut weekdays the real file carried', () => {
    const steps = goldShutDayStatements();
    for (const d of SHUT) expect(steps[2]).toContain(`'${d}'`);
    expect(steps[2]).not.toContain("'2025-12-26'"); // Boxing Day on a Friday: COMEX settled
  });
});

describeWithPostgres('goldratio import on a PostgreSQL database from before 019', () => {
  test('GIVEN gold of 2026-04-03 stored before the rule THEN the import migrates the database, says once which row went, and the next import says nothing of it', async () => {
    const fresh = await freshPgDatabase();
    cleanups.push(() => fresh.drop());
    const old = await openPostgres(fresh.url, { what: 'GOLDRATIO_TEST_PG_URL', max: 1, migrations: BEFORE });
    await sql
      .raw(`INSERT INTO closes (instrument, date, close, source, updated_at) VALUES
      ('gold', '2026-04-02', 4676.74, 'import:gold_daily.csv', 'x'), ('gold', '2026-04-03', 4676.74, 'import:gold_daily.csv', 'x')`)
      .execute(old.db);
    await old.close();
    const dir = mkdtempSync(join(tmpdir(), 'goldratio-019-cli-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'spx.csv');
    writeFileSync(file, 'date,close\n2026-04-02,6575.32\n2026-04-06,6611.83\n');
    const env = { DATABASE_URL: fresh.url, DATA_DIR: dir, LOG_FORMAT: 'pretty' };
    const r = await cli(['import', 'spx', file], env);
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.includes('removed'))).toEqual([
      expect.stringContaining('removed 1 gold close dated a day London does not fix gold nor COMEX settle it: 2026-04-03 4676.74 (import:gold_daily.csv)'),
    ]);
    const again = await cli(['import', 'spx', file], env);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain('removed');
  });
});
