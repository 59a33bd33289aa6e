/**
 * The alert engine's side of move watches, on either engine: the distinct watches it decides, its
 * state per watch (move_state), and the decided moves (move_events) with their fan-out to the
 * chats of a watch, as steps of the decision's unit of work (store/decisions.ts). What chats do
 * with their watches (list, add, remove) is ./moves.ts.
 */
import { sql } from 'kysely';
import type { StoreDb } from './engine.ts';
import { rows, run, type Op } from './unit.ts';
import type { PairId } from '../domain/instruments.ts';
import type { MadeMove, MoveEvent, MoveState } from '../domain/moves.ts';

export class MoveStateStore {
  readonly #db: StoreDb;

  constructor(db: StoreDb) {
    this.#db = db;
  }

  /**
   * The distinct move watches of active chats: what the engine decides, whatever the number of
   * chats; each with when its first active chat made it (a close before that is history to it).
   */
  async distinct(): Promise<MadeMove[]> {
    const r = await this.#db.k
      .selectFrom('move_watches as w')
      .innerJoin('subscriptions as s', 's.id', 'w.subscription_id')
      .select((eb) => ['w.watch_key', 'w.pair', 'w.pct', 'w.days', eb.fn.min('w.created_at').as('made')])
      .where('s.active', '=', 1)
      .groupBy(['w.watch_key', 'w.pair', 'w.pct', 'w.days'])
      .orderBy('w.watch_key')
      .execute();
    return r.map((x) => ({ pair: x.pair as PairId, pct: x.pct, days: x.days, madeAt: Number(x.made) }));
  }

  /** Every distinct watch's stored state. */
  async states(): Promise<Map<string, MoveState>> {
    const r = await this.#db.k.selectFrom('move_state').select(['watch_key', 'state']).execute();
    return new Map(r.map((x) => [x.watch_key, JSON.parse(x.state) as MoveState]));
  }

  /** A step of a unit of work (`yield*`). */
  *saveState(key: string, pair: PairId, state: MoveState, nowMs: number): Generator<Op, void, unknown> {
    yield* run(
      this.#db.k
        .insertInto('move_state')
        .values({ watch_key: key, pair, state: JSON.stringify(state), updated_at: nowMs })
        .onConflict((oc) => oc.column('watch_key').doUpdateSet({ state: (eb) => eb.ref('excluded.state'), updated_at: (eb) => eb.ref('excluded.updated_at') })),
    );
  }

  /** A step of a unit of work: the new move event's id. */
  *insertEvent(key: string, e: MoveEvent, nowMs: number): Generator<Op, number, unknown> {
    const [r] = yield* rows(
      this.#db.k
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
    return r!.id;
  }

  /**
   * One outbox row per active, unmuted chat watching `key` since before `closeAtMs` (the decided
   * close's instant: a chat that made the watch later, during a catch-up, is not told a move it
   * asked about after it was over), in one INSERT … SELECT (no ON CONFLICT: see
   * OutboxStore.fanOut). A step of a unit of work.
   */
  *fanOut(messageId: number, key: string, closeAtMs: number, nowMs: number): Generator<Op, number, unknown> {
    const k = this.#db.k;
    const r = yield* run(
      k
        .insertInto('outbox')
        .columns(['message_id', 'subscription_id', 'platform', 'chat_id', 'created_at'])
        .expression(
          k
            .selectFrom('move_watches as w')
            .innerJoin('subscriptions as s', 's.id', 'w.subscription_id')
            .select([sql<number>`cast(${messageId} as bigint)`.as('m'), 's.id', 's.platform', 's.chat_id', sql<number>`cast(${nowMs} as bigint)`.as('t')])
            .where('w.watch_key', '=', key)
            .where('w.created_at', '<', closeAtMs)
            .where('s.active', '=', 1)
            .where((eb) => eb.or([eb('s.muted_until', 'is', null), eb('s.muted_until', '<=', nowMs)])),
        ),
    );
    return r.changes;
  }

  /** A step of a unit of work: the moves a close of the pair decided, not withdrawn (what a correction of that close weighs again). */
  *decidedAt(pair: PairId, date: string): Generator<Op, { id: number; key: string; direction: 'up' | 'down'; value: number }[], unknown> {
    const r = yield* rows(
      this.#db.k
        .selectFrom('move_events')
        .select(['id', 'watch_key', 'direction', 'value'])
        .where('pair', '=', pair)
        .where('date', '=', date)
        .where('withdrawn_at', 'is', null)
        .orderBy('id'),
    );
    return r.map((x) => ({ id: Number(x.id), key: x.watch_key, direction: x.direction as 'up' | 'down', value: Number(x.value) }));
  }

  /** The watches whose moves a close of the pair decided, not withdrawn (outside a unit: the engine is their one writer). */
  async keysDecidedAt(pair: PairId, date: string): Promise<string[]> {
    const r = await this.#db.k
      .selectFrom('move_events')
      .select('watch_key')
      .distinct()
      .where('pair', '=', pair)
      .where('date', '=', date)
      .where('withdrawn_at', 'is', null)
      .execute();
    return r.map((x) => x.watch_key);
  }

  /** A step of a unit of work: a move its corrected close no longer makes, withdrawn (its chats that got it are sent a correction). */
  *withdraw(id: number, nowMs: number): Generator<Op, void, unknown> {
    yield* run(this.#db.k.updateTable('move_events').set({ withdrawn_at: nowMs }).where('id', '=', id));
  }
}
