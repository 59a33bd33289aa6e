/**
 * Move alerts in SQLite: each chat's move watches (move_watches), the engine's state per distinct
 * watch (move_state), and the decided moves (move_events) with their fan-out to the chats of a
 * watch. Changing a chat's watches bumps the same `subs_version` as subscriptions do, so the
 * pipeline re-reads the distinct watches only when one changed.
 */
import type { Db } from './db.ts';
import type { PairId } from '../domain/instruments.ts';
import { moveKey, type MoveEvent, type MoveSpec, type MoveState } from '../domain/moves.ts';

export interface StoredMoveEvent extends MoveEvent {
  readonly id: number;
}

export class MoveStore {
  readonly #db: Db;
  readonly #list;
  readonly #add;
  readonly #remove;
  readonly #bump;
  readonly #saveState;
  readonly #insertEvent;
  readonly #fanOut;

  constructor(db: Db) {
    this.#db = db;
    this.#list = db.prepare<[number], { pair: string; pct: number; days: number }>(
      'SELECT pair, pct, days FROM move_watches WHERE subscription_id = ? ORDER BY created_at, watch_key',
    );
    this.#add = db.prepare('INSERT OR IGNORE INTO move_watches (watch_key, subscription_id, pair, pct, days, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.#remove = db.prepare('DELETE FROM move_watches WHERE watch_key = ? AND subscription_id = ?');
    this.#bump = db.prepare("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'subs_version'");
    this.#saveState = db.prepare(
      `INSERT INTO move_state (watch_key, pair, state, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (watch_key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
    );
    this.#insertEvent = db.prepare(
      `INSERT INTO move_events (date, pair, watch_key, pct, days, direction, change_pct, from_date, from_value, value, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#fanOut = db.prepare(
      `INSERT OR IGNORE INTO outbox (message_id, subscription_id, platform, chat_id, created_at)
       SELECT ?, s.id, s.platform, s.chat_id, ?
         FROM move_watches w JOIN subscriptions s ON s.id = w.subscription_id
        WHERE w.watch_key = ? AND s.active = 1 AND (s.muted_until IS NULL OR s.muted_until <= ?)`,
    );
  }

  /** A chat's move watches, oldest first. */
  list(subscriptionId: number): MoveSpec[] {
    return this.#list.all(subscriptionId).map((r) => ({ pair: r.pair as PairId, pct: r.pct, days: r.days }));
  }

  /**
   * Adds a watch unless the chat has `max` already (or this one): true when added. The count and
   * the insert are one transaction, so two admins at once cannot make a sixth.
   */
  add(subscriptionId: number, m: MoveSpec, max: number, nowMs: number): 'added' | 'exists' | 'full' {
    return this.#db
      .transaction(() => {
        const list = this.list(subscriptionId);
        if (list.some((x) => moveKey(x) === moveKey(m))) return 'exists';
        if (list.length >= max) return 'full';
        this.#add.run(moveKey(m), subscriptionId, m.pair, m.pct, m.days, nowMs);
        this.#bump.run();
        return 'added';
      })
      .immediate();
  }

  remove(subscriptionId: number, m: MoveSpec): boolean {
    return this.#db
      .transaction(() => {
        const n = this.#remove.run(moveKey(m), subscriptionId).changes;
        if (n > 0) this.#bump.run();
        return n > 0;
      })
      .immediate();
  }

  /** The distinct move watches of active chats: what the engine decides, whatever the number of chats. */
  distinct(): MoveSpec[] {
    return this.#db
      .prepare<[], { pair: string; pct: number; days: number }>(
        `SELECT DISTINCT w.watch_key, w.pair, w.pct, w.days FROM move_watches w JOIN subscriptions s ON s.id = w.subscription_id
          WHERE s.active = 1 ORDER BY w.watch_key`,
      )
      .all()
      .map((r) => ({ pair: r.pair as PairId, pct: r.pct, days: r.days }));
  }

  /** Every distinct watch's stored state. */
  states(): Map<string, MoveState> {
    const rows = this.#db.prepare<[], { watch_key: string; state: string }>('SELECT watch_key, state FROM move_state').all();
    return new Map(rows.map((r) => [r.watch_key, JSON.parse(r.state) as MoveState]));
  }

  /** Call inside a unit of work (store/decisions.ts). */
  saveState(key: string, pair: PairId, state: MoveState, nowMs: number): void {
    this.#saveState.run(key, pair, JSON.stringify(state), nowMs);
  }

  /** Call inside a unit of work. */
  insertEvent(key: string, e: MoveEvent, nowMs: number): number {
    return Number(this.#insertEvent.run(e.date, e.pair, key, e.pct, e.days, e.direction, e.changePct, e.fromDate, e.fromValue, e.value, nowMs).lastInsertRowid);
  }

  /** One outbox row per active, unmuted chat watching `key`. Call inside a unit of work. */
  fanOut(messageId: number, key: string, nowMs: number): number {
    return this.#fanOut.run(messageId, nowMs, key, nowMs).changes;
  }

  /** Newest first. */
  recentEvents(limit: number): StoredMoveEvent[] {
    return this.#db
      .prepare<[number], Record<string, string | number>>('SELECT * FROM move_events ORDER BY id DESC LIMIT ?')
      .all(limit)
      .map((r) => ({
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
