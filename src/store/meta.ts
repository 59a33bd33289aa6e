/**
 * The `meta` key/value table for what a room keeps beside its own tables without a migration
 * (a platform adapter's notes: Discord's channel guilds and command hash). Keys are namespaced by
 * their owner (`discord:...`); the store's own counters (`data_version`, `subs_version`) are theirs.
 */
import type { Db } from './db.ts';

export class MetaStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  get(key: string): string | undefined {
    return this.#db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value;
  }

  set(key: string, value: string): void {
    this.#db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
  }

  delete(key: string): void {
    this.#db.prepare('DELETE FROM meta WHERE key = ?').run(key);
  }

  /** Every entry whose key starts with `prefix` (a LIKE pattern's wildcards in it are taken literally). */
  withPrefix(prefix: string): { key: string; value: string }[] {
    const pattern = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.#db.prepare<[string], { key: string; value: string }>("SELECT key, value FROM meta WHERE key LIKE ? ESCAPE '\\'").all(pattern);
  }
}
