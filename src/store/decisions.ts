/**
 * The alert engine's unit of work: everything one point decided (new level states, the pair's
 * cursor, the events, their messages and one outbox row per chat that takes each) is written in
 * one transaction. A crash either loses the whole point (it is run again from the stored closes)
 * or keeps all of it (never re-fired). The engine (src/alerts/pipeline.ts) decides in memory
 * and hands the decision here; it never sees SQL or a transaction.
 */
import type { StoreDb } from './engine.ts';
import { runUnit, type Op } from './unit.ts';
import type { PairId } from '../domain/instruments.ts';
import type { Point } from '../domain/series.ts';
import type { LevelState } from '../domain/crossing.ts';
import type { Message } from '../domain/message.ts';
import { EventStore, type LevelEvent, type NewLevelEvent } from './events.ts';
import { LevelStateStore, type CloseUndo, type Cursor } from './level-state.ts';
import { CORRECTION_KEY, OutboxStore } from './outbox.ts';
import type { StoredMoveEvent } from './moves.ts';
import { MoveStateStore } from './move-state.ts';
import type { MadeMove, MoveEvent, MoveState } from '../domain/moves.ts';
import { priceSetAt } from '../domain/close-age.ts';

/** What a daily close decided about move watches (domain/moves.ts). */
export interface MoveDecision {
  readonly states: readonly { readonly key: string; readonly pair: PairId; readonly state: MoveState }[];
  readonly events: readonly { readonly key: string; readonly event: MoveEvent; readonly message: Message }[];
  /** The states the changed watches had before this close (kept with the level states' undo record). */
  readonly before?: Readonly<Record<string, MoveState>>;
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
  /**
   * A close: the states the changed watches had before it (kept until the next point that changes
   * a state, so a correction of this close can be decided again from them).
   */
  readonly before?: Readonly<Record<string, LevelState>>;
}

type DecidedEvent = PointDecision['events'][number];

/** The latest close decided again at its corrected ratio (alerts/corrected-close.ts). */
export interface Revision {
  readonly pair: PairId;
  /** The close, at its corrected ratio. */
  readonly point: Point;
  readonly nowMs: number;
  /** Watch states that differ from the stored ones once the close is decided again. */
  readonly states: PointDecision['states'];
  /** What the close decides now, each with its message. */
  readonly events: readonly DecidedEvent[];
  /** The message that tells the chats which got `old` that it does not hold at the corrected close; `title` is its stored alert's. */
  correction(old: LevelEvent, title: Message['title']): Message;
  /**
   * The level watches some chat keeps (absent: every one decided). A watch none keeps any more (a
   * chat's own level removed) is decided again only to weigh what the close sent; a break it makes now is for nobody.
   */
  readonly watched?: ReadonlySet<string>;
  /** The close's move watches decided again (absent: not decided again, the close's undo record predating moves'). */
  readonly moves?: {
    readonly states: MoveDecision['states'];
    readonly events: MoveDecision['events'];
    /** The correction of a move alert some chats got, decided at `value`: `title` is its stored message's. */
    correction(value: number, title: Message['title']): Message;
    /**
     * The watches some chat keeps. A watch none keeps any more is decided again only to weigh what
     * the close sent (kept, or corrected to whoever got it); a move it makes now is for nobody.
     */
    readonly watched: ReadonlySet<string>;
  };
}

export interface RevisedPoint {
  /** Events recorded now (a break the correction makes, or one that replaces an unsent one). */
  readonly events: readonly LevelEvent[];
  /** Move alerts recorded now (a move the correction makes, or one that replaces an unsent one). */
  readonly moves?: readonly StoredMoveEvent[];
  /** Events (and moves) taken back: no chat had got them. */
  readonly withdrawn: number;
  /** Events (and moves) some chats had got: those were sent a correction. */
  readonly corrected: number;
  readonly queued: number;
}

/** The same event of the same watch (its value may differ). */
const sameEvent = (a: { watchKey: string; kind: string; direction: string }, b: { watchKey: string; kind: string; direction: string }): boolean =>
  a.watchKey === b.watchKey && a.kind === b.kind && a.direction === b.direction;

export interface RecordedPoint {
  readonly events: readonly LevelEvent[];
  readonly moves?: readonly StoredMoveEvent[];
  /** Outbox rows written (chats to notify). */
  readonly queued: number;
}

export class DecisionStore {
  readonly #db: StoreDb;
  readonly #events: EventStore;
  readonly #outbox: OutboxStore;
  readonly #state: LevelStateStore;
  readonly #moves: MoveStateStore;

  constructor(db: StoreDb) {
    this.#db = db;
    this.#events = new EventStore(db);
    this.#outbox = new OutboxStore(db);
    this.#state = new LevelStateStore(db);
    this.#moves = new MoveStateStore(db);
  }

  /** The distinct move watches of active chats (what the engine decides at each close), each with when it was first made. */
  moveWatches(): Promise<MadeMove[]> {
    return this.#moves.distinct();
  }

  /** The watches whose events the pair's close of `date` decided, not withdrawn (a corrected close weighs them again, kept by a chat or not). */
  eventsDecidedAt(pair: PairId, date: string): Promise<(LevelEvent & { readonly watchKey: string })[]> {
    const events = this.#events;
    return runUnit(this.#db, () => events.decidedAt(pair, date), { transaction: false });
  }

  /** The move watches whose moves the pair's close of `date` decided (a corrected close weighs them again, kept by a chat or not). */
  moveKeysDecidedAt(pair: PairId, date: string): Promise<string[]> {
    return this.#moves.keysDecidedAt(pair, date);
  }

  /** Every move watch's stored state. */
  moveStates(): Promise<Map<string, MoveState>> {
    return this.#moves.states();
  }

  /** Every watch's stored crossing state. */
  states(): Promise<Map<string, LevelState>> {
    return this.#state.all();
  }

  cursor(pair: PairId): Promise<Cursor | undefined> {
    return this.#state.cursor(pair);
  }

  /**
   * Writes one point's decision, all or nothing. Each event's fan-out is one INSERT … SELECT over
   * the chats that watch it (set-based on both engines: 100,000 chats are one statement).
   */
  record(d: PointDecision): Promise<RecordedPoint> {
    const events = this.#events;
    const outbox = this.#outbox;
    const state = this.#state;
    const moveStore = this.#moves;
    // A quiet live point (no state changed, nothing fired) writes only the cursor: one statement, which
    // needs no transaction around it (on PostgreSQL that saves BEGIN and COMMIT, two round trips per
    // tick). A close, quiet or not, also writes its undo record: a transaction, once a day.
    const quiet = d.states.length === 0 && d.events.length === 0 && (d.moves?.states.length ?? 0) === 0 && (d.moves?.events.length ?? 0) === 0;
    return runUnit(
      this.#db,
      function* () {
        for (const s of d.states) yield* state.save(s.key, s.pair, s.state, d.nowMs);
        const { recorded, queued: fanned } = yield* recordEvents(events, outbox, d.events, d.nowMs);
        let queued = fanned;
        const moves: StoredMoveEvent[] = [];
        for (const s of d.moves?.states ?? []) yield* moveStore.saveState(s.key, s.pair, s.state, d.nowMs);
        for (const { key, event, message } of d.moves?.events ?? []) {
          const id = yield* moveStore.insertEvent(key, event, d.nowMs);
          const messageId = yield* outbox.addMessage('alert', message, `move:${id}`, d.nowMs, { key, takes: 'move', pair: event.pair });
          queued += yield* moveStore.fanOut(messageId, key, priceSetAt(event.date), d.nowMs);
          moves.push({ ...event, id });
        }
        yield* state.setCursor(d.pair, d.point, d.isClose, d.nowMs);
        // A close keeps what deciding it again starts from; a live point that changed a state ends
        // that (deciding the close again would undo the live point's decision).
        if (d.isClose)
          yield* state.setUndo(d.pair, {
            date: d.point.date,
            states: d.before ?? {},
            moves: d.moves?.before ?? {},
          } satisfies CloseUndo);
        else if (!quiet) yield* state.setUndo(d.pair, null);
        return moves.length > 0 ? { events: recorded, moves, queued } : { events: recorded, queued };
      },
      { transaction: !(quiet && !d.isClose) },
    );
  }

  /** The undo record of the pair's latest close (null: none, or a live point changed a state since). */
  undo(pair: PairId): Promise<CloseUndo | null> {
    return this.#state.undo(pair);
  }

  /**
   * Writes the latest close's decision again, at its corrected ratio, all or nothing. Against what
   * it decided before (the same watch, kind and direction is the same event):
   * - an event it still makes: kept if any chat got it (never sent twice; its other rows go on),
   *   else taken back and recorded anew at the corrected value;
   * - an event it no longer makes: taken back from the chats that cannot have seen it, withdrawn,
   *   and the chats that got it (or may have: a send in flight) are sent `correction`;
   * - an event it makes now and did not: recorded and fanned out like any other.
   */
  revise(r: Revision): Promise<RevisedPoint> {
    const events = this.#events;
    const outbox = this.#outbox;
    const state = this.#state;
    const moveStore = this.#moves;
    return runUnit(this.#db, function* () {
      const fresh = [...r.events];
      let withdrawn = 0;
      let corrected = 0;
      let queued = 0;
      for (const old of yield* events.decidedAt(r.pair, r.point.date)) {
        const stored = yield* outbox.messageByKey(`event:${old.id}`);
        const i = fresh.findIndex((f) => sameEvent(f.event, old));
        if (i >= 0 && (stored === undefined || (yield* outbox.reached(stored.id, r.nowMs)).length > 0)) {
          fresh.splice(i, 1);
          continue;
        }
        const got = stored === undefined ? [] : yield* outbox.withdraw(stored.id, r.nowMs);
        yield* events.withdraw(old.id, r.nowMs);
        if (i >= 0 || got.length === 0) {
          withdrawn++;
          continue;
        }
        corrected++;
        const title = stored === undefined ? undefined : (JSON.parse(stored.body) as Message).title;
        const messageId = yield* outbox.addMessage('alert', r.correction(old, title), `${CORRECTION_KEY}${old.id}`, r.nowMs);
        queued += yield* outbox.queueTo(messageId, got, r.nowMs);
      }
      const watched = r.watched;
      const recorded = yield* recordEvents(
        events,
        outbox,
        fresh.filter((f) => watched === undefined || watched.has(f.event.watchKey)),
        r.nowMs,
      );
      for (const s of r.states) yield* state.save(s.key, s.pair, s.state, r.nowMs);
      // The close's moves, weighed the same way (the same watch and direction is the same move).
      const moves: StoredMoveEvent[] = [];
      if (r.moves !== undefined) {
        const freshMoves = [...r.moves.events];
        for (const old of yield* moveStore.decidedAt(r.pair, r.point.date)) {
          const stored = yield* outbox.messageByKey(`move:${old.id}`);
          const i = freshMoves.findIndex((f) => f.key === old.key && f.event.direction === old.direction);
          if (i >= 0 && (stored === undefined || (yield* outbox.reached(stored.id, r.nowMs)).length > 0)) {
            freshMoves.splice(i, 1);
            continue;
          }
          const got = stored === undefined ? [] : yield* outbox.withdraw(stored.id, r.nowMs);
          yield* moveStore.withdraw(old.id, r.nowMs);
          if (i >= 0 || got.length === 0 || stored === undefined) {
            withdrawn++;
            continue;
          }
          corrected++;
          const title = (JSON.parse(stored.body) as Message).title;
          const messageId = yield* outbox.addMessage('alert', r.moves.correction(old.value, title), `${CORRECTION_KEY}move:${old.id}`, r.nowMs);
          queued += yield* outbox.queueTo(messageId, got, r.nowMs);
        }
        for (const s of r.moves.states) yield* moveStore.saveState(s.key, s.pair, s.state, r.nowMs);
        for (const { key, event, message } of freshMoves) {
          if (!r.moves.watched.has(key)) continue;
          const id = yield* moveStore.insertEvent(key, event, r.nowMs);
          const messageId = yield* outbox.addMessage('alert', message, `move:${id}`, r.nowMs, { key, takes: 'move', pair: event.pair });
          queued += yield* moveStore.fanOut(messageId, key, priceSetAt(event.date), r.nowMs);
          moves.push({ ...event, id });
        }
      }
      yield* state.setCloseValue(r.pair, r.point.value, r.nowMs);
      return { events: recorded.recorded, ...(moves.length > 0 ? { moves } : {}), withdrawn, corrected, queued: queued + recorded.queued };
    });
  }
}

/** Each event, its message and its fan-out to the chats of its watch: steps of a unit of work. */
function* recordEvents(
  events: EventStore,
  outbox: OutboxStore,
  decided: readonly DecidedEvent[],
  nowMs: number,
): Generator<Op, { recorded: LevelEvent[]; queued: number }, unknown> {
  const recorded: LevelEvent[] = [];
  let queued = 0;
  for (const { event, isApproach, message } of decided) {
    const id = yield* events.insert(event);
    const messageId = yield* outbox.addMessage('alert', message, `event:${id}`, nowMs, {
      key: event.watchKey,
      takes: isApproach ? 'approach' : 'level',
      pair: event.pair,
      level: event.levelId,
    });
    queued += yield* outbox.fanOut(messageId, event.watchKey, isApproach, nowMs);
    const { watchKey: _, ...stored } = event;
    recorded.push({ ...stored, id });
  }
  return { recorded, queued };
}
