/**
 * One suite, both engines: `describeOnEngines(name, body)` runs `body` once on SQLite (a real file
 * in a temp folder) and once on PostgreSQL (a database of its own on the test server; see
 * ./postgres.ts for when that half runs, skips or fails). `body` gets `open()`, which returns a
 * fresh, migrated store handle and cleans it up after the test.
 */
import { afterEach, describe } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/db.ts';
import { writeDatabase } from './sqlite-image.ts';
import { onPostgres, onSqlite, type StoreDb } from '../../src/store/engine.ts';
import { openPostgres } from '../../src/store/postgres.ts';
import type { Engine } from '../../src/store/migrations/index.ts';
import { describeWithPostgres, freshPgDatabase } from './postgres.ts';

/** A fresh store, and the variables that point a `goldratio` command at it (DATABASE_PATH or DATABASE_URL). */
export interface EngineStore {
  readonly store: StoreDb;
  readonly env: Readonly<Record<string, string>>;
}

export type OpenStore = (() => Promise<StoreDb>) & { readonly withEnv: () => Promise<EngineStore> };

function suite(engine: Engine, body: (open: OpenStore, engine: Engine) => void): () => void {
  return () => {
    const cleanups: (() => unknown)[] = [];
    afterEach(async () => {
      for (const f of cleanups.splice(0).reverse()) await f();
    });
    const withEnv = async (): Promise<EngineStore> => {
      if (engine === 'sqlite') {
        const dir = mkdtempSync(join(tmpdir(), 'goldratio-engine-'));
        const path = writeDatabase(join(dir, 'g.db'));
        const db = openDatabase(path);
        cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
        cleanups.push(() => db.close());
        return { store: onSqlite(db), env: { DATABASE_PATH: path } };
      }
      const d = await freshPgDatabase({ migrated: true });
      cleanups.push(() => d.drop());
      const pg = await openPostgres(d.url, { what: 'GOLDRATIO_TEST_PG_URL', max: 4 });
      cleanups.push(() => pg.close());
      return { store: onPostgres(pg), env: { DATABASE_URL: d.url } };
    };
    const open: OpenStore = Object.assign(async () => (await withEnv()).store, { withEnv });
    body(open, engine);
  };
}

export function describeOnEngines(name: string, body: (open: OpenStore, engine: Engine) => void): void {
  describe(`${name} (sqlite)`, suite('sqlite', body));
  describeWithPostgres(`${name} (postgres)`, suite('postgres', body));
}
