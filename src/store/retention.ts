/**
 * Retention: delivered, dead or merged (folded into a quiet-hours summary) outbox rows older than
 * RETENTION_DAYS are deleted, in small batches, each one statement, with the event loop free
 * between batches, so a send in flight is never held up for more than one batch. Pending and held
 * rows are never touched; events (the alert history: /history, replay, the digest's story) and
 * their messages are kept (one row per event or digest, and the message's dedupe key keeps it
 * from being queued twice). The chart uploads remembered that long ago go too.
 *
 * No index is needed: a batch walks the outbox by id from where the previous one stopped, and
 * ids grow with created_at, so each old row is visited about once per run. The same statement
 * runs on SQLite and PostgreSQL (DELETE … RETURNING).
 */
import type { StoreDb } from './engine.ts';

export const DEFAULT_PRUNE_BATCH = 500;

export interface PruneResult {
  readonly deleted: number;
  readonly batches: number;
  /** Chart uploads remembered for the replicas (store/chart-uploads.ts) older than the cut-off, deleted. */
  readonly uploads: number;
}

export async function pruneOutbox(db: StoreDb, opts: { olderThanMs: number; batch?: number; signal?: AbortSignal }): Promise<PruneResult> {
  const batch = Math.max(1, opts.batch ?? DEFAULT_PRUNE_BATCH);
  const step = async (after: number): Promise<{ n: number; last: number }> => {
    const gone = await db.k
      .deleteFrom('outbox')
      .where(
        'id',
        'in',
        db.k
          .selectFrom('outbox')
          .select('id')
          .where('id', '>', after)
          .where('created_at', '<', opts.olderThanMs)
          .where('status', 'in', ['sent', 'dead', 'merged'])
          .orderBy('id')
          .limit(batch),
      )
      .returning('id')
      .execute();
    return { n: gone.length, last: gone.reduce((m, r) => Math.max(m, r.id), after) };
  };
  let deleted = 0;
  let batches = 0;
  let after = 0;
  while (opts.signal?.aborted !== true) {
    const { n, last } = await step(after);
    if (n === 0) break;
    deleted += n;
    batches++;
    after = last;
    if (n < batch) break;
    // Let sends and updates run between batches.
    await new Promise((r) => setImmediate(r));
  }
  // A chart's key holds its data version, so an upload this old is of data that has moved on: its
  // row would never be asked for again. One statement: a few rows per chart and data version. An
  // upload still in flight (empty ref) is left to its lease.
  const uploads =
    opts.signal?.aborted === true
      ? 0
      : Number((await db.k.deleteFrom('chart_uploads').where('created_at', '<', opts.olderThanMs).where('ref', '<>', '').executeTakeFirst()).numDeletedRows);
  return { deleted, batches, uploads };
}
