/** Crossing state per watch and the per-pair cursor of the alert engine, on either engine. */
import { sql } from 'kysely';
import type { StoreDb } from './engine.ts';
import { first, prepare, run, runUnit, type Op } from './unit.ts';
import type { PairId } from '../domain/instruments.ts';
import type { Point } from '../domain/series.ts';
import type { LevelState } from '../domain/crossing.ts';
import type { MoveState } from '../domain/moves.ts';

export interface Cursor {
  /** The last point run through the engine (close or live). */
  readonly date: string;
  readonly value: number;
  /** The last daily close decided; closes on or before it are never run again (but that one is decided again when it is corrected). */
  readonly lastCloseDate: string | null;
  /** The ratio that close was decided at (null: decided before this was kept). */
  readonly lastCloseValue: number | null;
}

/** The states of the watches a close changed, as they were before it (what deciding it again starts from). */
export interface CloseUndo {
  readonly date: string;
  readonly states: Readonly<Record<string, LevelState>>;
  /**
   * The move watches the close changed, as they were before it (absent in a record kept before
   * moves were: their close is not decided again, since what they started from is unknown).
   */
  readonly moves?: Readonly<Record<string, MoveState>>;
}

export class LevelStateStore {
  readonly #db: StoreDb;
  // Built once: every tick reads the cursor and writes it (the quiet tick's whole cost).
  readonly #cursor;
  readonly #setCursor;
  // Built once too: a crossing with many custom levels saves thousands of states in one unit.
  readonly #save;

  constructor(db: StoreDb) {
    this.#db = db;
    const k = db.k;
    this.#cursor = prepare<{ pair: string }, { last_date: string; last_value: number; last_close_date: string | null; last_close_value: number | null }>((p) =>
      k.selectFrom('alert_cursor').select(['last_date', 'last_value', 'last_close_date', 'last_close_value']).where('pair', '=', p('pair')),
    );
    this.#setCursor = prepare<{ pair: string; date: string; value: number; close: string | null; closeValue: number | null; now: number }>((p) =>
      k
        .insertInto('alert_cursor')
        .values({
          pair: p('pair'),
          last_date: p('date'),
          last_value: p('value'),
          last_close_date: p('close'),
          last_close_value: p('closeValue'),
          updated_at: p('now'),
        })
        .onConflict((oc) =>
          oc.column('pair').doUpdateSet({
            last_date: (eb) => eb.ref('excluded.last_date'),
            last_value: (eb) => eb.ref('excluded.last_value'),
            last_close_date: sql`coalesce(excluded.last_close_date, alert_cursor.last_close_date)`,
            last_close_value: sql`coalesce(excluded.last_close_value, alert_cursor.last_close_value)`,
            updated_at: (eb) => eb.ref('excluded.updated_at'),
          }),
        ),
    );
    this.#save = prepare<{ key: string; pair: string; state: string; now: number }>((p) =>
      k
        .insertInto('level_state')
        .values({ watch_key: p('key'), pair: p('pair'), state: p('state'), updated_at: p('now') })
        .onConflict((oc) => oc.column('watch_key').doUpdateSet({ state: (eb) => eb.ref('excluded.state'), updated_at: (eb) => eb.ref('excluded.updated_at') })),
    );
  }

  async all(): Promise<Map<string, LevelState>> {
    const rows = await this.#db.k.selectFrom('level_state').select(['watch_key', 'state']).execute();
    return new Map(rows.map((r) => [r.watch_key, JSON.parse(r.state) as LevelState]));
  }

  /** A step of a unit of work (`yield*`). */
  *save(key: string, pair: PairId, state: LevelState, now: number): Generator<Op, void, unknown> {
    yield* run(this.#save({ key, pair, state: JSON.stringify(state), now }));
  }

  cursor(pair: PairId): Promise<Cursor | undefined> {
    return runUnit(this.#db, () => this.cursorStep(pair), { transaction: false });
  }

  /** The cursor, as a step of a unit of work. */
  *cursorStep(pair: PairId): Generator<Op, Cursor | undefined, unknown> {
    const r = yield* first(this.#cursor({ pair }));
    return r && { date: r.last_date, value: r.last_value, lastCloseDate: r.last_close_date, lastCloseValue: r.last_close_value };
  }

  /** A step of a unit of work (`yield*`). */
  *setCursor(pair: PairId, point: Point, isClose: boolean, now: number): Generator<Op, void, unknown> {
    const close = isClose ? point.date : null;
    yield* run(this.#setCursor({ pair, date: point.date, value: point.value, close, closeValue: isClose ? point.value : null, now }));
  }

  /** The latest close's undo record (null: none kept, or a live point changed a state since). */
  async undo(pair: PairId): Promise<CloseUndo | null> {
    const r = await this.#db.k.selectFrom('alert_cursor').select('undo').where('pair', '=', pair).executeTakeFirst();
    return r?.undo == null ? null : (JSON.parse(r.undo) as CloseUndo);
  }

  /** A step of a unit of work: keeps (or, null, drops) the undo record of the pair's latest close. */
  *setUndo(pair: PairId, undo: CloseUndo | null): Generator<Op, void, unknown> {
    yield* run(
      this.#db.k
        .updateTable('alert_cursor')
        .set({ undo: undo === null ? null : JSON.stringify(undo) })
        .where('pair', '=', pair),
    );
  }

  /** A step of a unit of work: the latest close was decided again at its corrected ratio. */
  *setCloseValue(pair: PairId, value: number, now: number): Generator<Op, void, unknown> {
    yield* run(this.#db.k.updateTable('alert_cursor').set({ last_close_value: value, updated_at: now }).where('pair', '=', pair));
  }
}
