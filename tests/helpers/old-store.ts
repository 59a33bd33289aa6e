/**
 * A store as an older goldratio left it, opened as today's does: the upgrade tests' one setup.
 * `upgradedStore(engine, before, fill)` writes a store with the `before` migrations only (on SQLite a
 * file in a temp folder, on PostgreSQL a new database of its own on the test server), fills it
 * (`fill`: SQL statements of that schema, or a function given the old store), closes it, and opens
 * it again with every migration, as a restarted bot would: the migrations after `before` run on
 * those rows. Everything is undone when the test ends.
 */
import { onTestFinished } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../../src/store/db.ts';
import { onPostgres, onSqlite, type StoreDb } from '../../src/store/engine.ts';
import type { Engine, Migration } from '../../src/store/migrations/index.ts';
import { openPostgres } from '../../src/store/postgres.ts';
import { freshPgDatabase } from './postgres.ts';

/** What the old version wrote: statements run one by one, or writes through the old store. */
export type OldRows = readonly string[] | ((old: StoreDb) => Promise<void>);

export async function upgradedStore(engine: Engine, before: readonly Migration[], fill: OldRows, opts: { readonly max?: number } = {}): Promise<StoreDb> {
  const undo: (() => unknown)[] = [];
  onTestFinished(async () => {
    for (const f of undo.splice(0).reverse()) await f();
  });
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'goldratio-upgrade-'));
    undo.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'goldratio.db');
    const old = openDatabase(path, before);
    try {
      if (typeof fill === 'function') await fill(onSqlite(old));
      else for (const s of fill) old.exec(s);
    } finally {
      old.close();
    }
    const db = openDatabase(path);
    undo.push(() => db.close());
    return onSqlite(db);
  }
  const fresh = await freshPgDatabase();
  undo.push(() => fresh.drop());
  const old = await openPostgres(fresh.url, { what: 'GOLDRATIO_TEST_PG_URL', max: 1, migrations: before });
  try {
    if (typeof fill === 'function') await fill(onPostgres(old));
    else for (const s of fill) await sql.raw(s).execute(old.db);
  } finally {
    await old.close();
  }
  const store = await openPostgres(fresh.url, { what: 'GOLDRATIO_TEST_PG_URL', max: opts.max ?? 1 });
  undo.push(() => store.close());
  return onPostgres(store);
}
