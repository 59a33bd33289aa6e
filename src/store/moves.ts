/**
 * Move alerts in the store: each chat's move watches (move_watches), the engine's state per distinct
 * watch (move_state), and the decided moves (move_events) with their fan-out to the chats of a
 * watch. Changing a chat's watches bumps the same `subs_version` as subscriptions do, so the
 * pipeline re-reads the distinct watches only when one changed. `saveState`, `insertEvent` and
 * `fanOut` are pieces of the decision's unit of work (store/decisions.ts): `yield*` them there.
 */
import { sql, type Kysely } from 'kysely';
import type { StoreDb } from './engine.ts';
import type { Tables } from './tables.ts';
import { bump } from './subscriptions.ts';
import { first, rows, run, runUnit, type Unit } from './unit.ts';
import type { PairId } from '../domain/instruments.ts';
import { moveKey, type MoveEvent, type MoveSpec, type MoveState } from '../domain/moves.ts';

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

  /** The distinct move watches of active chats: what the engine decides, whatever the number of chats. */
  async distinct(): Promise<MoveSpec[]> {
    const found = await this.#k
      .selectFrom('move_watches as w')
      .innerJoin('subscriptions as s', 's.id', 'w.subscription_id')
      .select(['w.watch_key', 'w.pair', 'w.pct', 'w.days'])
      .distinct()
      .where('s.active', '=', 1)
      .orderBy('w.watch_key')
      .execute();
    return found.map((r) => ({ pair: r.pair as PairId, pct: r.pct, days: r.days }));
  }

  /** Every distinct watch's stored state. */
  async states(): Promise<Map<string, MoveState>> {
    const found = await this.#k.selectFrom('move_state').select(['watch_key', 'state']).execute();
    return new Map(found.map((r) => [r.watch_key, JSON.parse(r.state) as MoveState]));
  }

  /** A piece of a unit of work (store/decisions.ts). */
  *saveState(key: string, pair: PairId, state: MoveState, nowMs: number): Unit<void> {
    const value = JSON.stringify(state);
    yield* run(
      this.#k
        .insertInto('move_state')
        .values({ watch_key: key, pair, state: value, updated_at: nowMs })
        .onConflict((oc) => oc.column('watch_key').doUpdateSet({ state: value, updated_at: nowMs })),
    );
  }

  /** A piece of a unit of work. */
  *insertEvent(key: string, e: MoveEvent, nowMs: number): Unit<number> {
    const r = yield* first(
      this.#k
        .insertInto('move_events')
        .values({
          date: e.date,
          pair: e.pair,
          watch_key: key,
          pct: e.pct,
          days: e.days,
          direction: e.direction,
          change_pct: e.changePct,
          from_date: e.fromDate,
          from_value: e.fromValue,
          value: e.value,
          created_at: nowMs,
        })
        .returning('id'),
    );
    return Number(r!.id);
  }

  /** One outbox row per active, unmuted chat watching `key`, in one statement. A piece of a unit of work. */
  *fanOut(messageId: number, key: string, nowMs: number): Unit<number> {
    return (yield* run(
      this.#k
        .insertInto('outbox')
        .columns(['message_id', 'subscription_id', 'platform', 'chat_id', 'created_at'])
        .expression(
          this.#k
            .selectFrom('move_watches as w')
            .innerJoin('subscriptions as s', 's.id', 'w.subscription_id')
            .select([
              sql<number>`CAST(${messageId} AS BIGINT)`.as('message_id'),
              's.id',
              's.platform',
              's.chat_id',
              sql<number>`CAST(${nowMs} AS BIGINT)`.as('created_at'),
            ])
            .where('w.watch_key', '=', key)
            .where('s.active', '=', 1)
            .where((eb) => eb.or([eb('s.muted_until', 'is', null), eb('s.muted_until', '<=', nowMs)])),
        )
        .onConflict((oc) => oc.doNothing()),
    )).changes;
  }

  /** Newest first. */
  async recentEvents(limit: number): Promise<StoredMoveEvent[]> {
    const found = await this.#k.selectFrom('move_events').selectAll().orderBy('id', 'desc').limit(limit).execute();
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
