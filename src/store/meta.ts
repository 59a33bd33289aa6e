/**
 * The `meta` key/value table for what a room keeps beside its own tables without a migration
 * (a platform adapter's notes: Discord's channel guilds and command hash). Keys are namespaced by
 * their owner (`discord:...`); the store's own counters (`data_version`, `subs_version`) are theirs.
 * The same queries on SQLite and PostgreSQL.
 */
import { sql } from 'kysely';
import type { StoreDb } from './engine.ts';

export class MetaStore {
  readonly #db: StoreDb;

  constructor(db: StoreDb) {
    this.#db = db;
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.#db.k.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst())?.value;
  }

  async set(key: string, value: string): Promise<void> {
    await this.#db.k
      .insertInto('meta')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }

  /** Every entry whose key starts with `prefix` (a LIKE pattern's wildcards in it are taken literally). */
  async withPrefix(prefix: string): Promise<{ key: string; value: string }[]> {
    const pattern = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // ESCAPE spelled out: SQLite has no default escape character (PostgreSQL's is the backslash).
    return this.#db.k.selectFrom('meta').select(['key', 'value']).where(sql<boolean>`key LIKE ${pattern} ESCAPE '\\'`).execute();
  }
}
