/**
 * The `meta` key/value table for what a room keeps beside its own tables without a migration
 * (a platform adapter's notes: Discord's channel guilds and command hash; outgoing webhooks). Keys
 * are namespaced by their owner (`discord:...`); the store's own counters (`data_version`,
 * `subs_version`) are theirs.
 *
 * Several replicas may share the table (PostgreSQL), so a value that is read, changed and written
 * back goes through `update`: a compare-and-set on the value read, tried again when another
 * writer got there first, so neither write is lost. The same statements run on both engines.
 */
import { sql } from 'kysely';
import type { StoreDb } from './engine.ts';

/** Tries of a compare-and-set before giving up: only a key written this often by others runs out. */
const MAX_TRIES = 50;

export class MetaStore {
  readonly #db: StoreDb;

  constructor(db: StoreDb) {
    this.#db = db;
  }

  /** The handle, for a room that reads its meta notes joined with its own tables in one query (store/discord.ts). */
  get db(): StoreDb {
    return this.#db;
  }

  async get(key: string): Promise<string | undefined> {
    const r = await this.#db.k.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
    return r?.value;
  }

  async set(key: string, value: string): Promise<void> {
    await this.#db.k
      .insertInto('meta')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }

  async delete(key: string): Promise<boolean> {
    const r = await this.#db.k.deleteFrom('meta').where('key', '=', key).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /**
   * Reads a key, writes `change(value)` back only if nobody changed it in between, and tries again
   * if somebody did. `change` returning undefined leaves the key as it is (nothing to do); the
   * key missing gives `change` undefined and, unless it returns undefined, creates it. Returns the
   * value written (or undefined when nothing was).
   */
  async update(key: string, change: (value: string | undefined) => string | undefined): Promise<string | undefined> {
    for (let i = 0; i < MAX_TRIES; i++) {
      const cur = await this.get(key);
      const next = change(cur);
      if (next === undefined) return undefined;
      const r =
        cur === undefined
          ? await this.#db.k
              .insertInto('meta')
              .values({ key, value: next })
              .onConflict((oc) => oc.column('key').doNothing())
              .executeTakeFirst()
          : await this.#db.k.updateTable('meta').set({ value: next }).where('key', '=', key).where('value', '=', cur).executeTakeFirst();
      const changed = 'numUpdatedRows' in r ? r.numUpdatedRows : r.numInsertedOrUpdatedRows;
      if (Number(changed ?? 0n) > 0) return next;
    }
    throw new Error(`meta ${key}: changed by others ${MAX_TRIES} times in a row; not written`);
  }

  /** Every entry whose key starts with `prefix` (a LIKE pattern's wildcards in it are taken literally). */
  async withPrefix(prefix: string): Promise<{ key: string; value: string }[]> {
    const pattern = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.#db.k.selectFrom('meta').select(['key', 'value']).where(sql<boolean>`key LIKE ${pattern} ESCAPE '\\'`).orderBy('key').execute();
  }
}
