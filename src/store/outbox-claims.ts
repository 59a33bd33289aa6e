/**
 * Claiming outbox rows for sending, for more than one replica: a claim is a lease (who, until
 * when) written on the row. The sender that claimed a row sends it; nobody else picks it while the
 * lease runs; if that sender dies, the row becomes claimable again when its lease ends, so a new
 * leader resends at most the sends that were in flight. On PostgreSQL the pick skips rows another
 * transaction has locked (FOR UPDATE SKIP LOCKED), so claimers running at the same moment never
 * block on each other nor take the same row; on SQLite one writer at a time does the same.
 */
import type { StoreDb } from './engine.ts';
import { rows, run, runUnit, type Op } from './unit.ts';
import { outboxRow, outboxRows, type OutboxRow } from './outbox.ts';
import type { Platform } from '../domain/platform.ts';

export interface ClaimOptions {
  readonly platform: Platform;
  readonly nowMs: number;
  readonly limit: number;
  /** How long the claim holds: longer than one send takes, with its retries. */
  readonly leaseMs: number;
  /**
   * Who claims (a replica's name, one per sender). A sender may take its own claims again: a row
   * still claimed by it and not in `except` was left unsent (the drain stopped, a record met a busy
   * database).
   */
  readonly owner: string;
  /**
   * Rows not to take although `owner` holds them: the ones it is still sending (an earlier batch's,
   * while it claims the next). Left out of the pick, they hold their chats' later rows back.
   */
  readonly except?: readonly number[];
}

/**
 * Claims up to `limit` pending rows of a platform that are due and not claimed by someone else, oldest
 * first. A chat's row waits while an earlier row of that chat cannot be taken with it (retried
 * later, or claimed by another sender): a chat gets its rows in queue order.
 */
export function claimDue(db: StoreDb, o: ClaimOptions): Promise<OutboxRow[]> {
  return runUnit(db, () => claimSteps(db, o));
}

function* claimSteps(db: StoreDb, o: ClaimOptions): Generator<Op, OutboxRow[], unknown> {
  const k = db.k;
  // 1. The oldest due rows nobody else holds, locked: an index scan that stops at `limit`. On
  // PostgreSQL it skips rows another transaction has locked (FOR UPDATE SKIP LOCKED), so claimers
  // at the same moment never block on each other nor take the same row.
  let pick = k
    .selectFrom('outbox')
    .select(['id', 'subscription_id'])
    .where('status', '=', 'pending')
    .where('platform', '=', o.platform)
    .where('next_at', '<=', o.nowMs)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', o.nowMs), eb('claimed_by', '=', o.owner)]))
    .orderBy('next_at')
    .orderBy('id')
    .limit(o.limit);
  if (o.except !== undefined && o.except.length > 0) pick = pick.where('id', 'not in', o.except);
  if (db.engine === 'postgres') pick = pick.forUpdate().skipLocked();
  const picked = yield* rows(pick);
  if (picked.length === 0) return [];
  // 2. A picked row is taken only if every earlier pending row of its chat was picked with it: a
  // chat gets its rows in queue order. The pick alone does not ensure that: an earlier row may be
  // due later (retried), held by another sender, locked by a claimer running at this moment (SKIP
  // LOCKED passed over it), or cut off by the LIMIT (a retried row due again sorts by its new
  // due time, after the chat's later rows). Such a chat's rows wait for a later claim.
  // Read as the picked chats' pending rows, one query, and decided here: a correlated look-up of
  // each candidate's earlier rows is what PostgreSQL's planner got wrong right after a fan-out
  // (statistics from before the rows existed: 1-4 s per claim of 2,048 rows, against 0.1 s).
  const kept = yield* inChatOrder(db, picked);
  if (kept.length === 0) return [];
  // 3. The lease, on the rows kept (the others' locks end with the transaction).
  yield* run(
    k
      .updateTable('outbox')
      .set({ claimed_until: o.nowMs + o.leaseMs, claimed_by: o.owner })
      .where('id', 'in', kept),
  );
  const found = yield* rows(outboxRows(db).where('o.id', 'in', kept).orderBy('o.next_at').orderBy('o.id'));
  return found.map(outboxRow);
}

/**
 * Of `picked` (rows due to send), the ids to send now: each with every earlier pending row of its
 * chat among them, so that a chat gets its rows in queue order. One read of those chats' pending
 * rows, the decision made here.
 */
export function* inChatOrder(db: StoreDb, picked: readonly { id: number; subscription_id: number }[]): Generator<Op, number[], unknown> {
  if (picked.length === 0) return [];
  const chats = [...new Set(picked.map((r) => r.subscription_id))];
  const pending = yield* rows(
    db.k.selectFrom('outbox').select(['id', 'subscription_id']).where('status', '=', 'pending').where('subscription_id', 'in', chats).orderBy('id'),
  );
  const taken = new Set(picked.map((r) => r.id));
  const blockedAt = new Map<number, number>();
  for (const r of pending) if (!taken.has(r.id) && !blockedAt.has(r.subscription_id)) blockedAt.set(r.subscription_id, r.id);
  return picked.filter((r) => r.id < (blockedAt.get(r.subscription_id) ?? Number.POSITIVE_INFINITY)).map((r) => r.id);
}
