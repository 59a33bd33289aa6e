/**
 * What a running goldratio says of a platform that refused its bot's token (a start's, getUpdates',
 * the gateway's or a send's 401), kept in `meta` so that `goldratio status`, another process, says
 * it too: one note per platform and process (`<platform>:token_refused:<process>`), written when the
 * refusal starts and removed when it ends (a send taken again, the process stopping). The process
 * is named as `goldratio status` names a replica ("host pid N"), so status shows only the notes of
 * processes still connected (one that was killed cannot remove its own; the retention job prunes
 * those on PostgreSQL, pruneGone).
 */
import type { StoreDb } from './engine.ts';
import { replicaSessions } from './leader.ts';

export interface TokenNote {
  readonly platform: string;
  /** The process ("host pid N"). */
  readonly by: string;
  /** Its /readyz line for the platform. */
  readonly reason: string;
  /** Since when (ms). */
  readonly since: number;
  /** Whether that process led (replicas) when it wrote the note: it keeps the lead. */
  readonly leads: boolean;
}

const MARK = ':token_refused:';
const keyOf = (platform: string, by: string): string => `${platform}${MARK}${by}`;
/** Whether a meta key is a refused-token note's. */
export const isTokenNoteKey = (key: string): boolean => key.includes(MARK);

export class TokenNotes {
  readonly #db: StoreDb;

  constructor(db: StoreDb) {
    this.#db = db;
  }

  async put(n: TokenNote): Promise<void> {
    const value = JSON.stringify({ reason: n.reason, since: n.since, leads: n.leads });
    await this.#db.k
      .insertInto('meta')
      .values({ key: keyOf(n.platform, n.by), value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }

  /**
   * Writes the note only where it is missing (the retention job pruned it while this replica was not
   * connected): whether it was. One statement, no change to a note that is there.
   */
  async putIfMissing(n: TokenNote): Promise<boolean> {
    const value = JSON.stringify({ reason: n.reason, since: n.since, leads: n.leads });
    const r = await this.#db.k
      .insertInto('meta')
      .values({ key: keyOf(n.platform, n.by), value })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async remove(platform: string, by: string): Promise<void> {
    await this.#db.k.deleteFrom('meta').where('key', '=', keyOf(platform, by)).execute();
  }

  /**
   * The notes left by processes that ended without removing them, removed at a start before this
   * process writes any: those of a process named `by` (one before this of the same name: in a
   * container the host is often kept and the pid is 1 each time, and status takes the note for this
   * one's), and with `everyone` all (SQLite: the one process per file). Matched by the key's end, not
   * LIKE, where a `_` in a host name matches any character.
   */
  async removeLeft(by: string, everyone: boolean): Promise<void> {
    const rows = await this.#db.k.selectFrom('meta').select('key').where('key', 'like', `%${MARK}%`).execute();
    const left = rows.map((r) => r.key).filter((key) => everyone || key.endsWith(`${MARK}${by}`));
    if (left.length > 0) await this.#db.k.deleteFrom('meta').where('key', 'in', left).execute();
  }

  /**
   * On PostgreSQL, the notes of replicas gone: not connected to the database now (replicaSessions, as
   * `goldratio status` tells them) and written before `olderThanMs` (the retention job's cut-off), so
   * a replica reconnecting after a moment's partition keeps its note. A replica killed cannot remove
   * its own, and one of its name (a kept host and pid) may never start again. Deleted; how many. On
   * SQLite nothing: the one process's start removes every note left.
   */
  async pruneGone(olderThanMs: number): Promise<number> {
    const replicas = await replicaSessions(this.#db);
    if (replicas === undefined) return 0;
    const connected = new Set(replicas.map((r) => r.name));
    const rows = await this.#db.k.selectFrom('meta').select(['key', 'value']).where('key', 'like', `%${MARK}%`).execute();
    const gone = rows
      .filter((r) => {
        const at = r.key.indexOf(MARK);
        if (at < 0 || connected.has(r.key.slice(at + MARK.length))) return false;
        try {
          const since = (JSON.parse(r.value) as { since?: unknown } | null)?.since;
          return typeof since !== 'number' || since < olderThanMs;
        } catch {
          return true;
        }
      })
      .map((r) => r.key);
    if (gone.length === 0) return 0;
    return Number((await this.#db.k.deleteFrom('meta').where('key', 'in', gone).executeTakeFirst()).numDeletedRows);
  }

  async all(): Promise<TokenNote[]> {
    const rows = await this.#db.k.selectFrom('meta').select(['key', 'value']).where('key', 'like', `%${MARK}%`).orderBy('key').execute();
    return rows.flatMap((r) => {
      const at = r.key.indexOf(MARK);
      try {
        const v = JSON.parse(r.value) as { reason?: unknown; since?: unknown; leads?: unknown };
        if (typeof v.reason !== 'string' || typeof v.since !== 'number') return [];
        return [{ platform: r.key.slice(0, at), by: r.key.slice(at + MARK.length), reason: v.reason, since: v.since, leads: v.leads === true }];
      } catch {
        return [];
      }
    });
  }
}
