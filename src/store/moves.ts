/**
 * Move alerts in SQLite: each chat's move watches (move_watches) and the decided moves
 * (move_events); the engine's side (distinct watches, state, events and their fan-out) is
 * ./move-state.ts. Changing a chat's watches bumps the same `subs_version` as subscriptions do, so the
 * pipeline re-reads the distinct watches only when one changed.
 */
import type { Db } from './db.ts';
import type { PairId } from '../domain/instruments.ts';
import { moveKey, type MoveEvent, type MoveSpec } from '../domain/moves.ts';

export interface StoredMoveEvent extends MoveEvent {
  readonly id: number;
}

export class MoveStore {
  readonly #db: Db;
  readonly #list;
  readonly #add;
  readonly #remove;
  readonly #bump;

  constructor(db: Db) {
    this.#db = db;
    this.#list = db.prepare<[number], { pair: string; pct: number; days: number }>(
      'SELECT pair, pct, days FROM move_watches WHERE subscription_id = ? ORDER BY created_at, watch_key',
    );
    this.#add = db.prepare('INSERT OR IGNORE INTO move_watches (watch_key, subscription_id, pair, pct, days, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.#remove = db.prepare('DELETE FROM move_watches WHERE watch_key = ? AND subscription_id = ?');
    this.#bump = db.prepare("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'subs_version'");
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
