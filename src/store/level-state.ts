/** Crossing state per watch and the per-pair cursor of the alert engine. */
import type { Db } from './db.ts';
import type { PairId } from '../domain/instruments.ts';
import type { Point } from '../domain/series.ts';
import type { LevelState } from '../domain/crossing.ts';

export interface Cursor {
  /** The last point run through the engine (close or live). */
  readonly date: string;
  readonly value: number;
  /** The last daily close decided; closes on or before it are never run again. */
  readonly lastCloseDate: string | null;
}

export class LevelStateStore {
  readonly #db: Db;
  readonly #save;
  readonly #cursor;
  readonly #setCursor;

  constructor(db: Db) {
    this.#db = db;
    this.#save = db.prepare(
      `INSERT INTO level_state (watch_key, pair, state, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (watch_key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
    );
    this.#cursor = db.prepare<[string], { last_date: string; last_value: number; last_close_date: string | null }>(
      'SELECT last_date, last_value, last_close_date FROM alert_cursor WHERE pair = ?',
    );
    this.#setCursor = db.prepare(
      `INSERT INTO alert_cursor (pair, last_date, last_value, last_close_date, updated_at) VALUES (@pair, @date, @value, @close, @now)
       ON CONFLICT (pair) DO UPDATE SET last_date = excluded.last_date, last_value = excluded.last_value,
         last_close_date = coalesce(excluded.last_close_date, alert_cursor.last_close_date), updated_at = excluded.updated_at`,
    );
  }

  all(): Map<string, LevelState> {
    const rows = this.#db.prepare<[], { watch_key: string; state: string }>('SELECT watch_key, state FROM level_state').all();
    return new Map(rows.map((r) => [r.watch_key, JSON.parse(r.state) as LevelState]));
  }

  save(key: string, pair: PairId, state: LevelState, now: number): void {
    this.#save.run(key, pair, JSON.stringify(state), now);
  }

  cursor(pair: PairId): Cursor | undefined {
    const r = this.#cursor.get(pair);
    return r && { date: r.last_date, value: r.last_value, lastCloseDate: r.last_close_date };
  }

  setCursor(pair: PairId, point: Point, isClose: boolean, now: number): void {
    this.#setCursor.run({ pair, date: point.date, value: point.value, close: isClose ? point.date : null, now });
  }
}
