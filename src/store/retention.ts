/**
 * Retention: delivered or dead outbox rows older than RETENTION_DAYS are deleted, in small
 * batches, each its own short transaction, with the event loop free between batches, so a send
 * in flight is never held up for more than one batch. Pending rows are never touched; events
 * (the alert history: /history, replay, the digest's story) and their messages are kept (one row
 * per event or digest, and the message's dedupe key keeps it from being queued twice).
 *
 * No index is needed: a batch walks the outbox by id from where the previous one stopped, and
 * ids grow with created_at, so each old row is visited about once per run.
 */
import type { Db } from './db.ts';

export const DEFAULT_PRUNE_BATCH = 500;

export interface PruneResult {
  readonly deleted: number;
  readonly batches: number;
}

export async function pruneOutbox(db: Db, opts: { olderThanMs: number; batch?: number; signal?: AbortSignal }): Promise<PruneResult> {
  const batch = Math.max(1, opts.batch ?? DEFAULT_PRUNE_BATCH);
  const pick = db.prepare<[number, number, number], { id: number }>(
    "SELECT id FROM outbox WHERE id > ? AND created_at < ? AND status IN ('sent', 'dead') ORDER BY id LIMIT ?",
  );
  const del = db.prepare('DELETE FROM outbox WHERE id = ?');
  const step = db.transaction((after: number): { n: number; last: number } => {
    const ids = pick.all(after, opts.olderThanMs, batch);
    for (const { id } of ids) del.run(id);
    return { n: ids.length, last: ids.at(-1)?.id ?? after };
  });
  let deleted = 0;
  let batches = 0;
  let after = 0;
  while (opts.signal?.aborted !== true) {
    const { n, last } = step.immediate(after);
    if (n === 0) break;
    deleted += n;
    batches++;
    after = last;
    if (n < batch) break;
    // Let sends and updates run between batches.
    await new Promise((r) => setImmediate(r));
  }
  return { deleted, batches };
}
