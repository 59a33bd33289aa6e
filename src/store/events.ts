/** Decided level events (one row per event, whoever receives it). */
import type { Db } from './db.ts';
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
});

export class EventStore {
  readonly #db: Db;
  readonly #insert;

  constructor(db: Db) {
    this.#db = db;
    this.#insert = db.prepare(
      `INSERT INTO events (date, pair, level_id, watch_key, kind, direction, value, level_value, basis, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /** Newest first. */
  recent(limit: number, pair?: PairId): LevelEvent[] {
    const rows =
      pair === undefined
        ? this.#db.prepare<[number], Row>('SELECT * FROM events ORDER BY id DESC LIMIT ?').all(limit)
        : this.#db.prepare<[string, number], Row>('SELECT * FROM events WHERE pair = ? ORDER BY id DESC LIMIT ?').all(pair, limit);
    return rows.map(fromRow);
  }

  byId(id: number): LevelEvent | undefined {
    const r = this.#db.prepare<[number], Row>('SELECT * FROM events WHERE id = ?').get(id);
    return r && fromRow(r);
  }

  /** Call inside the pipeline's transaction. */
  insert(e: NewLevelEvent): number {
    return Number(this.#insert.run(e.date, e.pair, e.levelId, e.watchKey, e.kind, e.direction, e.value, e.levelValue, e.basis, e.createdAt).lastInsertRowid);
  }
}
