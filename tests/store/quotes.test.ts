import { describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseVersionError, openDatabase, schemaVersion } from '../../src/store/db.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { QuoteStore } from '../../src/store/quotes.ts';

function tempDb() {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-'));
  return { path: join(dir, 'sub', 'test.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('database file', () => {
  test('GIVEN a new file THEN every migration is applied, recorded and WAL is on', () => {
    const t = tempDb();
    const db = openDatabase(t.path);
    expect(schemaVersion(db)).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
    const recorded = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[];
    expect(recorded.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    // Reopening applies nothing twice.
    const again = openDatabase(t.path);
    expect((again.prepare('SELECT count(*) n FROM schema_migrations').get() as { n: number }).n).toBe(MIGRATIONS.length);
    again.close();
    t.cleanup();
  });

  test('GIVEN a database from a newer version THEN it is refused with a clear message', () => {
    const t = tempDb();
    const db = openDatabase(t.path);
    db.pragma('user_version = 999');
    db.close();
    expect(() => openDatabase(t.path)).toThrow(DatabaseVersionError);
    expect(() => openDatabase(t.path)).toThrow(/newer goldratio \(schema version 999/);
    t.cleanup();
  });
});

describe('closes', () => {
  test('GIVEN the same rows twice THEN the second upsert changes nothing', () => {
    const t = tempDb();
    const db = openDatabase(t.path);
    const store = new QuoteStore(db);
    const rows = [
      { date: '2024-01-02', close: 4742.83, source: 'yahoo' },
      { date: '2024-01-03', close: 4704.81, source: 'yahoo' },
    ];
    expect(store.upsertCloses('spx', rows)).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
    const v = store.dataVersion();
    expect(store.upsertCloses('spx', rows)).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
    expect(store.dataVersion()).toBe(v);
    expect(store.upsertCloses('spx', [{ date: '2024-01-03', close: 4705, source: 'lbma' }])).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    expect(store.dataVersion()).toBe(v + 1);
    expect(store.closes('spx')).toEqual([
      { date: '2024-01-02', value: 4742.83 },
      { date: '2024-01-03', value: 4705 },
    ]);
    expect(store.lastClose('spx')).toMatchObject({ date: '2024-01-03', source: 'lbma' });
    db.close();
    t.cleanup();
  });

  test('GIVEN an older latest quote THEN it does not overwrite a newer one', () => {
    const t = tempDb();
    const db = openDatabase(t.path);
    const store = new QuoteStore(db);
    store.setLatestQuote('gold', { price: 4000, asOf: 2000, source: 'yahoo' });
    store.setLatestQuote('gold', { price: 3900, asOf: 1000, source: 'lbma' });
    expect(store.latestQuote('gold')).toMatchObject({ price: 4000, source: 'yahoo' });
    db.close();
    t.cleanup();
  });
});
