/**
 * Retention: delivered, dead or merged (folded into a quiet-hours summary) outbox rows older than
 * RETENTION_DAYS are deleted, in small batches, each one statement, with the event loop free
 * between batches, so a send in flight is never held up for more than one batch. Pending and held
 * rows are never touched; events (the alert history: /history, replay, the digest's story) and
 * their messages are kept (one row per event or digest, and the message's dedupe key keeps it
 * from being queued twice). The chart uploads remembered that long ago go too, and the chat types of
 * chats whose subscription and settings are gone for good (pruneChatTypes), Discord's counts of
 * unexplained refusals of channels no longer subscribed (a channel deleted, unsubscribed or stopped:
 * nothing will be sent there to end the row) whose wait ended before the cut-off, and on PostgreSQL
 * the refused-token notes of replicas gone (not connected now, the note written before the cut-off:
 * a replica killed cannot remove its own).
 *
 * No index is needed: a batch walks the outbox by id from where the previous one stopped, and
 * ids grow with created_at, so each old row is visited about once per run. The same statement
 * runs on SQLite and PostgreSQL (DELETE … RETURNING).
 */
import type { StoreDb } from './engine.ts';
import { DiscordStore } from './discord.ts';
import { TokenNotes } from './token-notes.ts';

export const DEFAULT_PRUNE_BATCH = 500;

export interface PruneResult {
  readonly deleted: number;
  readonly batches: number;
  /** Chart uploads remembered for the replicas (store/chart-uploads.ts) older than the cut-off, deleted. */
  readonly uploads: number;
  /** Chats' types (store/chat-types.ts) recorded before the cut-off whose chat has no subscription or settings left, deleted. */
  readonly chatTypes: number;
  /** Discord's rows of unexplained refusals (store/discord.ts) of channels with no active subscription, their wait ended before the cut-off. */
  readonly unexplained: number;
  /** Refused-token notes (store/token-notes.ts) of replicas not connected, written before the cut-off (PostgreSQL). */
  readonly tokenNotes: number;
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
  const chatTypes = opts.signal?.aborted === true ? 0 : await pruneChatTypes(db, opts.olderThanMs);
  const unexplained = opts.signal?.aborted === true ? 0 : await new DiscordStore(db).pruneGoneUnexplained(opts.olderThanMs);
  const tokenNotes = opts.signal?.aborted === true ? 0 : await new TokenNotes(db).pruneGone(opts.olderThanMs);
  return { deleted, batches, uploads, chatTypes, unexplained, tokenNotes };
}

/**
 * A chat's type (store/chat-types.ts) is kept while its chat has a subscription row (its settings,
 * an active or stopped subscription: a stopped chat told of its stop is named as what it is). It goes
 * when that row is gone for good: none ever (a chat that only asked for /ratio), a group moved to its
 * supergroup (`moved to …`, the new id has its own), a chat Telegram says is no more (`gone: …`);
 * and only when recorded before the cut-off, so a chat that talks to the bot now keeps it meanwhile.
 * One statement; a chat heard from again is recorded again (a process's memory of it is bounded).
 */
async function pruneChatTypes(db: StoreDb, olderThanMs: number): Promise<number> {
  const r = await db.k
    .deleteFrom('chat_types')
    .where('updated_at', '<', olderThanMs)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('subscriptions as s')
            .select('s.id')
            .whereRef('s.platform', '=', 'chat_types.platform')
            .whereRef('s.chat_id', '=', 'chat_types.chat_id')
            .where((eb) =>
              eb.or([
                eb('s.active', '=', 1),
                eb('s.deactivated_reason', 'is', null),
                eb.and([eb('s.deactivated_reason', 'not like', 'moved to %'), eb('s.deactivated_reason', 'not like', 'gone:%')]),
              ]),
            ),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
