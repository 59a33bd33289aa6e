/**
 * Move alerts in the store: each chat's move watches (move_watches) and the decided moves
 * (move_events); the engine's side (distinct watches, state, events and their fan-out, pieces of
 * the decision's unit of work) is ./move-state.ts. Changing a chat's watches bumps the same
 * `subs_version` as subscriptions do, so the pipeline re-reads the distinct watches only when one changed.
 */
import type { Kysely } from 'kysely';
import type { StoreDb } from './engine.ts';
import type { Tables } from './tables.ts';
import { bump } from './subscriptions.ts';
import { rows, run, runUnit, type Unit } from './unit.ts';
import type { PairId } from '../domain/instruments.ts';
import { moveKey, type MoveEvent, type MoveSpec } from '../domain/moves.ts';

export interface StoredMoveEvent extends MoveEvent {
  readonly id: number;
}

export class MoveStore {
  readonly #db: StoreDb;
  readonly #k: Kysely<Tables>;

  constructor(db: StoreDb) {
    this.#db = db;
    this.#k = db.k;
  }

  /** A chat's move watches, oldest first. */
  async list(subscriptionId: number): Promise<MoveSpec[]> {
    return runUnit(this.#db, () => this.#listOps(subscriptionId), { transaction: false });
  }

  *#listOps(subscriptionId: number): Unit<MoveSpec[]> {
    const found = yield* rows(
      this.#k
        .selectFrom('move_watches')
        .select(['pair', 'pct', 'days'])
        .where('subscription_id', '=', subscriptionId)
        .orderBy('created_at')
        .orderBy('watch_key'),
    );
    return found.map((r) => ({ pair: r.pair as PairId, pct: r.pct, days: r.days }));
  }

  /**
   * Adds a watch unless the chat has `max` already (or this one): true when added. The count and
   * the insert are one transaction, and the chat's row is locked first (an update of its own
   * `updated_at`), so two admins at once cannot make a sixth, on either engine.
   */
  async add(subscriptionId: number, m: MoveSpec, max: number, nowMs: number): Promise<'added' | 'exists' | 'full'> {
    const k = this.#k;
    const db = this.#db;
    const self = this;
    return runUnit(db, function* () {
      yield* run(k.updateTable('subscriptions').set({ updated_at: nowMs }).where('id', '=', subscriptionId));
      const list = yield* self.#listOps(subscriptionId);
      if (list.some((x) => moveKey(x) === moveKey(m))) return 'exists' as const;
      if (list.length >= max) return 'full' as const;
      yield* run(
        k
          .insertInto('move_watches')
          .values({ watch_key: moveKey(m), subscription_id: subscriptionId, pair: m.pair, pct: m.pct, days: m.days, created_at: nowMs })
          .onConflict((oc) => oc.doNothing()),
      );
      yield* bump(db);
      return 'added' as const;
    });
  }

  async remove(subscriptionId: number, m: MoveSpec): Promise<boolean> {
    const k = this.#k;
    const db = this.#db;
    return runUnit(db, function* () {
      const n = (yield* run(k.deleteFrom('move_watches').where('watch_key', '=', moveKey(m)).where('subscription_id', '=', subscriptionId))).changes;
      if (n > 0) yield* bump(db);
      return n > 0;
    });
  }

  /** Newest first; withdrawn ones (their close corrected) left out. */
  async recentEvents(limit: number): Promise<StoredMoveEvent[]> {
    const found = await this.#k.selectFrom('move_events').selectAll().where('withdrawn_at', 'is', null).orderBy('id', 'desc').limit(limit).execute();
    return found.map((r) => ({
      id: Number(r.id),
      date: String(r.date),
      pair: r.pair as PairId,
      pct: Number(r.pct),
      days: Number(r.days),
      direction: r.direction as 'up' | 'down',
      changePct: Number(r.change_pct),
      fromDate: String(r.from_date),
      fromValue: Number(r.from_value),
      value: Number(r.value),
    }));
  }
}
