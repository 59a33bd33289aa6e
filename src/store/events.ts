/** Decided level events (one row per event, whoever receives it), on either engine. */
import { sql } from 'kysely';
import type { StoreDb } from './engine.ts';
import { rows, run, type Op } from './unit.ts';
import type { PairId } from '../domain/instruments.ts';

export type EventKind = 'cross-up' | 'cross-down' | 'zone-enter' | 'zone-exit' | 'approach';

export interface LevelEvent {
  readonly id: number;
  readonly date: string;
  readonly pair: PairId;
  readonly levelId: string;
  readonly kind: EventKind;
  readonly direction: 'up' | 'down';
  readonly value: number;
  readonly levelValue: number;
  readonly basis: 'close' | 'intraday';
  readonly createdAt: number;
  /** A break the cooldown held back: the point that broke the edge, and its ratio (`date`/`value`: the close that sent it). */
  readonly heldSince?: string;
  readonly heldValue?: number;
}

export type NewLevelEvent = Omit<LevelEvent, 'id'> & { readonly watchKey: string };

interface Row {
  id: number;
  date: string;
  pair: string;
  level_id: string;
  kind: string;
  direction: string;
  value: number;
  level_value: number;
  basis: string;
  created_at: number;
  held_since: string | null;
  held_value: number | null;
  withdrawn_at: number | null;
}

const fromRow = (r: Row): LevelEvent => ({
  id: r.id,
  date: r.date,
  pair: r.pair as PairId,
  levelId: r.level_id,
  kind: r.kind as EventKind,
  direction: r.direction as 'up' | 'down',
  value: r.value,
  levelValue: r.level_value,
  basis: r.basis as 'close' | 'intraday',
  createdAt: r.created_at,
  ...(r.held_since !== null && r.held_value !== null && { heldSince: r.held_since, heldValue: r.held_value }),
});

export class EventStore {
  readonly #db: StoreDb;

  constructor(db: StoreDb) {
    this.#db = db;
  }

  /**
   * The latest events, newest first, of one pair if given, and of these levels only if given (a
   * chat's: the essay's and its own). Withdrawn ones (their close was corrected) are left out.
   */
  /**
   * The latest events, newest first; with `watchKeys`, only those watches' (domain/watches.ts), and
   * with `approachKeys`, approach events only of those.
   */
  async recent(limit: number, pair?: PairId, watchKeys?: readonly string[], approachKeys?: readonly string[]): Promise<LevelEvent[]> {
    if (watchKeys?.length === 0) return [];
    let q = this.#db.k.selectFrom('events').selectAll().where('withdrawn_at', 'is', null).orderBy('id', 'desc').limit(limit);
    if (pair !== undefined) q = q.where('pair', '=', pair);
    if (watchKeys !== undefined) q = q.where('watch_key', 'in', [...watchKeys]);
    if (approachKeys !== undefined) {
      const keys = [...approachKeys];
      q = q.where((w) => (keys.length === 0 ? w('kind', '<>', 'approach') : w.or([w('kind', '<>', 'approach'), w('watch_key', 'in', keys)])));
    }
    return (await q.execute()).map(fromRow);
  }

  /**
   * The alerts (approaches left out) decided on these watches since `sinceMs`, not withdrawn: how
   * many, and the latest. One query on either engine (a window count beside the newest row); the
   * events table holds one row per event, whoever received it, and is never pruned.
   */
  async since(watchKeys: readonly string[], sinceMs: number): Promise<{ readonly count: number; readonly latest?: LevelEvent }> {
    if (watchKeys.length === 0) return { count: 0 };
    const r = await this.#db.k
      .selectFrom('events')
      .selectAll()
      .select(sql<number | string>`count(*) over ()`.as('n'))
      .where('watch_key', 'in', [...watchKeys])
      .where('kind', '<>', 'approach')
      .where('withdrawn_at', 'is', null)
      .where('created_at', '>=', sinceMs)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r === undefined ? { count: 0 } : { count: Number(r.n), latest: fromRow(r) };
  }

  async byId(id: number): Promise<LevelEvent | undefined> {
    const r = await this.#db.k.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
    return r && fromRow(r);
  }

  /** A step of a unit of work: the events a close of the pair decided, not withdrawn, with their watch. */
  *decidedAt(pair: PairId, date: string): Generator<Op, (LevelEvent & { readonly watchKey: string })[], unknown> {
    const found = yield* rows(
      this.#db.k
        .selectFrom('events')
        .selectAll()
        .where('pair', '=', pair)
        .where('date', '=', date)
        .where('basis', '=', 'close')
        .where('withdrawn_at', 'is', null)
        .orderBy('id'),
    );
    return found.map((r) => ({ ...fromRow(r), watchKey: r.watch_key }));
  }

  /** A step of a unit of work: the event no longer holds (its close was corrected). */
  *withdraw(id: number, nowMs: number): Generator<Op, void, unknown> {
    yield* run(this.#db.k.updateTable('events').set({ withdrawn_at: nowMs }).where('id', '=', id));
  }

  /** A step of the pipeline's unit of work (`yield*`, store/decisions.ts): the new event's id. */
  *insert(e: NewLevelEvent): Generator<Op, number, unknown> {
    const [r] = yield* rows(
      this.#db.k
        .insertInto('events')
        .values({
          date: e.date,
          pair: e.pair,
          level_id: e.levelId,
          watch_key: e.watchKey,
          kind: e.kind,
          direction: e.direction,
          value: e.value,
          level_value: e.levelValue,
          basis: e.basis,
          created_at: e.createdAt,
          held_since: e.heldSince ?? null,
          held_value: e.heldValue ?? null,
        })
        .returning('id'),
    );
    return r!.id;
  }
}
