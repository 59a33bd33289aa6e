/**
 * The store's one handle on either engine: a Kysely instance over SQLite (the better-sqlite3
 * handle db.ts opened) or over PostgreSQL (postgres.ts). A store module written against it runs
 * on both; on SQLite it may also reach the raw handle, to keep a prepared statement on a hot path
 * where Kysely costs more.
 */
import { Kysely, SqliteDialect } from 'kysely';
import type { Db } from './db.ts';
import type { Engine } from './migrations/index.ts';
import type { PgStore } from './postgres.ts';
import type { Tables } from './tables.ts';

export interface StoreDb {
  readonly engine: Engine;
  readonly k: Kysely<Tables>;
  /** The SQLite handle, for prepared statements on hot paths; undefined on PostgreSQL. */
  readonly sqlite: Db | undefined;
}

// One Kysely per SQLite handle: its driver serialises every query and transaction on the one
// connection, which only holds if they all go through the same instance.
const bySqlite = new WeakMap<Db, StoreDb>();

/** The store handle over an open SQLite database (closing stays with whoever opened it). */
export function onSqlite(db: Db): StoreDb {
  let s = bySqlite.get(db);
  if (s === undefined) {
    s = { engine: 'sqlite', k: new Kysely<Tables>({ dialect: new SqliteDialect({ database: db }) }), sqlite: db };
    bySqlite.set(db, s);
  }
  return s;
}

/** The store handle over an open PostgreSQL database. */
export function onPostgres(pg: PgStore): StoreDb {
  return { engine: 'postgres', k: pg.db as unknown as Kysely<Tables>, sqlite: undefined };
}
