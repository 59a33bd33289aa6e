/**
 * The alert engine's unit of work: everything one point decided (new level states, the pair's
 * cursor, the events, their messages and one outbox row per chat that takes each) is written in
 * one transaction. A crash either loses the whole point (it is run again from the stored closes)
 * or keeps all of it (never re-fired). The engine (src/alerts/pipeline.ts) decides in memory
 * and hands the decision here; it never sees SQL or a transaction.
 */
import type { Db } from './db.ts';
import type { PairId } from '../domain/instruments.ts';
import type { Point } from '../domain/series.ts';
import type { LevelState } from '../domain/crossing.ts';
import type { Message } from '../domain/message.ts';
import { EventStore, type LevelEvent, type NewLevelEvent } from './events.ts';
import { LevelStateStore, type Cursor } from './level-state.ts';
import { OutboxStore } from './outbox.ts';
import { MoveStore, type StoredMoveEvent } from './moves.ts';
import { onSqlite } from './engine.ts';
import { driveSqlite } from './unit.ts';
import type { MoveEvent, MoveSpec, MoveState } from '../domain/moves.ts';

/** What a daily close decided about move watches (domain/moves.ts). */
export interface MoveDecision {
  readonly states: readonly { readonly key: string; readonly pair: PairId; readonly state: MoveState }[];
  readonly events: readonly { readonly key: string; readonly event: MoveEvent; readonly message: Message }[];
}

export interface PointDecision {
  readonly pair: PairId;
  readonly point: Point;
  /** A daily close (moves the "last decided close" cursor) or a live point. */
  readonly isClose: boolean;
  readonly nowMs: number;
  /** Watch states that changed (or are new). */
  readonly states: readonly { readonly key: string; readonly pair: PairId; readonly state: LevelState }[];
  /** Events to record, each with its message, fanned out to the chats of its watch. */
  readonly events: readonly { readonly event: NewLevelEvent; readonly isApproach: boolean; readonly message: Message }[];
  /** Move watches decided at this close (closes only), fanned out like level events. */
  readonly moves?: MoveDecision;
}

export interface RecordedPoint {
  readonly events: readonly LevelEvent[];
  readonly moves?: readonly StoredMoveEvent[];
  /** Outbox rows written (chats to notify). */
  readonly queued: number;
}

export class DecisionStore {
  readonly #db: Db;
  readonly #events: EventStore;
  readonly #outbox: OutboxStore;
  readonly #state: LevelStateStore;
  readonly #moves: MoveStore;

  constructor(db: Db) {
    this.#db = db;
    this.#events = new EventStore(db);
    this.#outbox = new OutboxStore(db);
    this.#state = new LevelStateStore(db);
    this.#moves = new MoveStore(onSqlite(db));
  }

  /** The distinct move watches of active chats (what the engine decides at each close). */
  moveWatches(): Promise<MoveSpec[]> {
    return this.#moves.distinct();
  }

  /** Every move watch's stored state. */
  moveStates(): Promise<Map<string, MoveState>> {
    return this.#moves.states();
  }

  /** Every watch's stored crossing state. */
  states(): Map<string, LevelState> {
    return this.#state.all();
  }

  cursor(pair: PairId): Cursor | undefined {
    return this.#state.cursor(pair);
  }

  /** Writes one point's decision, all or nothing. */
  record(d: PointDecision): RecordedPoint {
    return this.#db
      .transaction((): RecordedPoint => {
        for (const s of d.states) this.#state.save(s.key, s.pair, s.state, d.nowMs);
        const events: LevelEvent[] = [];
        let queued = 0;
        for (const { event, isApproach, message } of d.events) {
          const id = this.#events.insert(event);
          const messageId = this.#outbox.addMessage('alert', message, `event:${id}`, d.nowMs);
          queued += this.#outbox.fanOut(messageId, event.watchKey, isApproach, d.nowMs);
          const { watchKey: _, ...stored } = event;
          events.push({ ...stored, id });
        }
        const moves: StoredMoveEvent[] = [];
        for (const s of d.moves?.states ?? []) driveSqlite(this.#db, this.#moves.saveState(s.key, s.pair, s.state, d.nowMs));
        for (const { key, event, message } of d.moves?.events ?? []) {
          const id = driveSqlite(this.#db, this.#moves.insertEvent(key, event, d.nowMs));
          const messageId = this.#outbox.addMessage('alert', message, `move:${id}`, d.nowMs);
          queued += driveSqlite(this.#db, this.#moves.fanOut(messageId, key, d.nowMs));
          moves.push({ ...event, id });
        }
        this.#state.setCursor(d.pair, d.point, d.isClose, d.nowMs);
        return moves.length > 0 ? { events, moves, queued } : { events, queued };
      })
      .immediate();
  }
}
