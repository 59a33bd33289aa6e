/**
 * Claiming outbox rows for sending, for more than one replica: a claim is a lease (who, until
 * when) written on the row. The sender that claimed a row sends it; nobody else picks it while the
 * lease runs; if that sender dies, the row becomes claimable again when its lease ends, so a new
 * leader resends at most the sends that were in flight. On PostgreSQL the pick skips rows another
 * transaction has locked (FOR UPDATE SKIP LOCKED), so claimers running at the same moment never
 * block on each other nor take the same row; on SQLite one writer at a time does the same.
 */
import { sql } from 'kysely';
import type { StoreDb } from './engine.ts';
import { rows, runUnit, type Op } from './unit.ts';
import { outboxRow, outboxRows, type OutboxRow } from './outbox.ts';
import type { Platform } from '../domain/platform.ts';

export interface ClaimOptions {
  readonly platform: Platform;
  readonly nowMs: number;
  readonly limit: number;
  /** How long the claim holds: longer than one send takes, with its retries. */
  readonly leaseMs: number;
  /**
   * Who claims (a replica's name, one per sender). A sender may take its own claims again: it
   * claims a batch only once the previous one is done, so a row still claimed by it was left
   * unsent (the drain stopped, a record met a busy database).
   */
  readonly owner: string;
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
  const skipLocked = db.engine === 'postgres' ? sql`FOR UPDATE SKIP LOCKED` : sql``;
  // The pick is a MATERIALIZED CTE, run once: as `WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP
  // LOCKED)` PostgreSQL may run the subquery again per outer row, each run skipping the rows this
  // statement has already locked, and claim more than `limit` (CI once saw 5 of 3).
  // A picked row is then taken only if every earlier pending row of its chat was picked with it.
  // The pick alone does not ensure that: the LIMIT may cut a chat's rows after a later one (a
  // row retried and due again sorts by its new next_at, after the chat's later rows), and SKIP
  // LOCKED passes over an earlier row that a claimer running at the same moment has locked and not
  // yet marked. Either way that chat's later row would go first; it waits for the next claim.
  const claim = sql<{ id: number }>`
    WITH picked AS MATERIALIZED (
      SELECT id, subscription_id FROM outbox o
       WHERE status = 'pending' AND platform = ${o.platform} AND next_at <= ${o.nowMs}
         AND (claimed_until IS NULL OR claimed_until <= ${o.nowMs} OR claimed_by = ${o.owner})
         AND NOT EXISTS (
           SELECT 1 FROM outbox e
            WHERE e.subscription_id = o.subscription_id AND e.status = 'pending' AND e.id < o.id
              AND (e.next_at > ${o.nowMs} OR (e.claimed_until > ${o.nowMs} AND e.claimed_by <> ${o.owner})))
       ORDER BY next_at, id LIMIT ${o.limit} ${skipLocked})
    UPDATE outbox SET claimed_until = ${o.nowMs + o.leaseMs}, claimed_by = ${o.owner}
     WHERE id IN (
       SELECT p.id FROM picked p
        WHERE NOT EXISTS (
          SELECT 1 FROM outbox e
           WHERE e.subscription_id = p.subscription_id AND e.status = 'pending' AND e.id < p.id
             AND e.id NOT IN (SELECT id FROM picked)))
    RETURNING id`;
  const ids = (yield* rows<{ id: number }>({ compile: () => claim.compile(db.k) })).map((r) => r.id);
  if (ids.length === 0) return [];
  const found = yield* rows(outboxRows(db).where('o.id', 'in', ids).orderBy('o.next_at').orderBy('o.id'));
  return found.map(outboxRow);
}
