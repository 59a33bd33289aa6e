/**
 * Tick → decision → outbox: the engine decides a point in memory (new level states, events, each
 * event's message) and hands the whole decision to the store's unit of work
 * (store/decisions.ts), which writes it in one transaction with one outbox row per chat that
 * takes each event. A crash either loses the whole point or keeps all of it (never re-fired).
 *
 * Deciding never touches subscriptions: the engine runs over the essay's levels plus the
 * DISTINCT extra watches chats asked for (custom levels, own approach %), kept in memory and
 * re-read only when the subscriptions change. Subscriptions are read only to fan an event out.
 */
import type { Logger } from '../log.ts';
import type { PairId } from '../domain/instruments.ts';
import { PAIR_IDS } from '../domain/instruments.ts';
import { pointOnOrBefore, type Point } from '../domain/series.ts';
import { essayLevels } from '../domain/levels.ts';
import { initialState, step, type CrossingOptions, type LevelState } from '../domain/crossing.ts';
import { essayWatch, type Watch } from '../domain/watches.ts';
import { watchFromRow, type SubscriptionStore } from '../store/subscriptions.ts';
import type { LevelEvent } from '../store/events.ts';
import type { Cursor } from '../store/level-state.ts';
import type { DecisionStore, MoveDecision, PointDecision, RevisedPoint } from '../store/decisions.ts';
import type { StoredMoveEvent } from '../store/moves.ts';
import { initialMoveState, MAX_MOVE_DAYS, moveKey, moveStep, type MadeMove, type MoveState } from '../domain/moves.ts';
import { priceSetAt } from '../domain/close-age.ts';
import { moveMessage } from '../domain/move-message.ts';
import { decideCorrectedClose, type CorrectedCloseDeps } from './corrected-close.ts';
import { watchEvents, type Basis } from './watch-events.ts';

export interface PipelineOptions {
  /** The default approach % (config.approachPct): the essay's levels are watched at it. */
  readonly approachPct: number;
  readonly hysteresisPct: number;
  /** Days before a reverse break of the same edge can be decided (config.cooldownDays). Default 0. */
  readonly cooldownDays?: number;
  readonly now?: () => number;
  readonly log?: Logger;
}

export interface TickResult {
  readonly events: readonly LevelEvent[];
  /** Move alerts decided (daily closes only). */
  readonly moves?: readonly StoredMoveEvent[];
  /** Outbox rows written (chats to notify). */
  readonly queued: number;
}

/** Anything that gives daily ratio closes per pair, ascending (MarketView does). */
export interface RatioSource {
  ratio(pair: PairId): readonly Point[];
  /** Gold's stored closes: a close's alert names the older gold price its ratio used (a London holiday), as /ratio does. */
  closes?(instrument: 'gold'): readonly Point[];
}

const EMPTY: TickResult = { events: [], queued: 0 };

export class AlertPipeline {
  readonly #store: DecisionStore;
  readonly #subs: SubscriptionStore;
  readonly #opts: PipelineOptions;
  readonly #now: () => number;
  /** Every watch's state and each pair's cursor, loaded once: this pipeline is the only writer. */
  #states: Map<string, LevelState> | undefined;
  readonly #cursors = new Map<PairId, Cursor | undefined>();
  /** The tick running or last run: the next one starts after it. */
  #queue: Promise<unknown> = Promise.resolve();
  #extra: { version: number; byPair: Map<PairId, Watch[]> } | undefined;
  #moveStates: Map<string, MoveState> | undefined;
  #moveWatches: { version: number; byPair: Map<PairId, MadeMove[]> } | undefined;
  readonly #essay: Map<PairId, Watch[]>;
  readonly #correctedCloseDeps: CorrectedCloseDeps;

  constructor(store: DecisionStore, subs: SubscriptionStore, opts: PipelineOptions) {
    this.#store = store;
    this.#subs = subs;
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
    this.#essay = new Map(PAIR_IDS.map((p) => [p, essayLevels(p).map((l) => essayWatch(l, opts.approachPct))]));
    this.#correctedCloseDeps = {
      store,
      now: this.#now,
      log: opts.log,
      crossing: (w) => this.#crossing(w),
      // Read only once a correction is found: a catch-up without one costs no read.
      load: async (pair) => {
        await this.#load(false);
        return { known: this.#states!, watches: this.#watchesOf(pair) };
      },
      loadMoves: async (pair) => {
        await this.#load(true);
        return { known: this.#moveStates!, specs: this.#moveWatches?.byPair.get(pair) ?? [] };
      },
      cooldownDays: opts.cooldownDays ?? 0,
    };
  }

  /**
   * Runs one point of a pair through every watch. A 'close' point at or before the last decided
   * close is ignored (already decided); 'intraday' points are the live ratio and always run.
   * `closes` (the pair's daily closes up to this one, ascending) lets a close decide the move
   * watches too: a move is measured over trading days, so it needs the closes before it. `past`: a
   * later close of the pair is stored already (a catch-up), so its alerts do not say "now".
   */
  /** `goldDate`: the day of the gold price the point's ratio used, when older than the point (its alerts say so). */
  async tick(pair: PairId, point: Point, basis: Basis, closes?: readonly Point[], past = false, goldDate?: string): Promise<TickResult> {
    if (!(point.value > 0) || !Number.isFinite(point.value)) throw new Error(`bug: ratio point ${point.date}=${point.value} for ${pair}`);
    return this.#queued(() => this.#tick(pair, point, basis, closes, past, goldDate));
  }

  /** One decision at a time: each decides from the states and cursor the previous one left. */
  #queued<T>(f: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(f);
    this.#queue = run.catch(() => {});
    return run;
  }

  async #tick(
    pair: PairId,
    point: Point,
    basis: Basis,
    closes: readonly Point[] | undefined,
    past: boolean,
    goldDate: string | undefined,
  ): Promise<TickResult> {
    const cursor = await this.#cursor(pair);
    if (basis === 'close' && cursor?.lastCloseDate != null && point.date <= cursor.lastCloseDate) return EMPTY;
    const withMoves = basis === 'close' && closes !== undefined;
    let r: TickResult;
    let decision: PointDecision;
    try {
      await this.#load(withMoves);
      const moves = withMoves ? this.#decideMoves(pair, point, closes, past, goldDate) : undefined;
      decision = { ...this.#decide(pair, point, basis, cursor, past, goldDate), ...(moves ? { moves } : {}) };
      r = await this.#store.record(decision);
    } catch (e) {
      // Nothing was written: forget what is cached so it is read again from the database.
      this.#states = undefined;
      this.#moveStates = undefined;
      this.#cursors.delete(pair);
      throw e;
    }
    const states = this.#states!;
    for (const s of decision.states) states.set(s.key, s.state);
    const moveStates = this.#moveStates;
    for (const s of decision.moves?.states ?? []) moveStates?.set(s.key, s.state);
    this.#cursors.set(
      pair,
      basis === 'close'
        ? { date: point.date, value: point.value, lastCloseDate: point.date, lastCloseValue: point.value }
        : { date: point.date, value: point.value, lastCloseDate: cursor?.lastCloseDate ?? null, lastCloseValue: cursor?.lastCloseValue ?? null },
    );
    return r.events.length === 0 && (r.moves?.length ?? 0) === 0 ? EMPTY : r;
  }

  /**
   * Runs the stored daily closes after the last decided close through the engine, oldest first
   * (what happened while the bot was down). On a first start it only sets the state from the
   * latest close: no events for history.
   */
  async catchUp(source: RatioSource): Promise<TickResult> {
    const events: LevelEvent[] = [];
    const moves: StoredMoveEvent[] = [];
    let queued = 0;
    const gold = source.closes?.('gold') ?? [];
    // Each pair's closes new to the engine, from `first` on.
    const todo: { pair: PairId; series: readonly Point[]; first: number }[] = [];
    for (const pair of PAIR_IDS) {
      const series = source.ratio(pair);
      const revised = await this.#queued(() => this.#revise(pair, series, gold));
      if (revised !== undefined) {
        events.push(...revised.events);
        moves.push(...(revised.moves ?? []));
        queued += revised.queued;
      }
      const cursor = await this.cursor(pair);
      // Only live ticks so far: the closes from the last live day on are new to the engine.
      const first =
        cursor === undefined
          ? series.length - 1
          : cursor.lastCloseDate === null
            ? series.findIndex((p) => p.date >= cursor.date)
            : series.findIndex((p) => p.date > cursor.lastCloseDate!);
      if (first >= 0) todo.push({ pair, series, first });
    }
    // Date by date across the pairs (a day's pairs in PAIR_IDS order): the outbox queues a chat's
    // alerts in the order of their closes, so SPX/Gold's break of the 5th comes before QQQ/Gold's of the 7th.
    for (;;) {
      let next: (typeof todo)[number] | undefined;
      for (const t of todo) if (t.first < t.series.length && (next === undefined || t.series[t.first]!.date < next.series[next.first]!.date)) next = t;
      if (next === undefined) break;
      const i = next.first++;
      // The closes a move needs: its longest span before this one.
      // A close a later one follows: its alerts name its day, not "now".
      const past = i < next.series.length - 1;
      // The ratio of a day gold had no price for (London shut) divides by an older one: its alerts name it.
      const goldDay = pointOnOrBefore(gold, next.series[i]!.date)?.date;
      const goldDate = goldDay !== undefined && goldDay < next.series[i]!.date ? goldDay : undefined;
      const r = await this.tick(next.pair, next.series[i]!, 'close', next.series.slice(Math.max(0, i - MAX_MOVE_DAYS - 1), i + 1), past, goldDate);
      events.push(...r.events);
      moves.push(...(r.moves ?? []));
      queued += r.queued;
    }
    if (events.length + moves.length > 0) {
      this.#opts.log?.info(`caught up: ${events.length} level event(s), ${moves.length} move(s), ${queued} message(s) queued`);
    }
    return moves.length > 0 ? { events, moves, queued } : { events, queued };
  }

  /**
   * Drops what is cached from the database (states, cursors, watch lists): a replica that leads
   * again after another one did decides from what that one wrote, not from its own old picture.
   */
  forget(): void {
    this.#states = undefined;
    this.#moveStates = undefined;
    this.#cursors.clear();
    this.#extra = undefined;
    this.#moveWatches = undefined;
  }

  /** The pair's cursor (the last point decided), as the queued ticks leave it. */
  async cursor(pair: PairId): Promise<Cursor | undefined> {
    await this.#queue;
    return this.#cursor(pair);
  }

  async #cursor(pair: PairId): Promise<Cursor | undefined> {
    if (!this.#cursors.has(pair)) this.#cursors.set(pair, await this.#store.cursor(pair));
    return this.#cursors.get(pair);
  }

  /**
   * Reads what deciding needs and is not cached yet: the states once; the extra and move watches
   * when the subscriptions' version in the database moved (one primary-key read per tick, so a
   * change made by any process, another replica's /level, is seen by the next tick).
   */
  async #load(withMoves: boolean): Promise<void> {
    this.#states ??= await this.#store.states();
    const version = await this.#subs.version();
    if (this.#extra?.version !== version) {
      const byPair = new Map<PairId, Watch[]>();
      for (const row of await this.#subs.extraWatches()) {
        const list = byPair.get(row.pair) ?? [];
        list.push(watchFromRow(row));
        byPair.set(row.pair, list);
      }
      this.#extra = { version, byPair };
    }
    if (!withMoves) return;
    this.#moveStates ??= await this.#store.moveStates();
    if (this.#moveWatches?.version !== version) {
      const byPair = new Map<PairId, MadeMove[]>();
      for (const m of await this.#store.moveWatches()) byPair.set(m.pair, [...(byPair.get(m.pair) ?? []), m]);
      this.#moveWatches = { version, byPair };
    }
  }

  /** The point's decision, in memory: which states change, which events fire (with their messages). */
  #decide(pair: PairId, point: Point, basis: Basis, cursor: Cursor | undefined, past: boolean, goldDate: string | undefined): PointDecision {
    const now = this.#now();
    const known = this.#states!;
    const changed = new Map<string, { key: string; pair: PairId; state: LevelState }>();
    // Each changed watch's state before this point: a close keeps them, to be decided again if corrected.
    const before: Record<string, LevelState> = {};
    const events: PointDecision['events'][number][] = [];
    for (const w of this.#watchesOf(pair)) {
      const o = this.#crossing(w);
      let state = changed.get(w.key)?.state ?? known.get(w.key);
      if (state === undefined) {
        // A new watch starts from the last point the pair saw, so a break between that point and
        // this one still counts; with no history at all it starts here, silently.
        state = initialState(w.level, cursor ?? point, o);
        changed.set(w.key, { key: w.key, pair: w.level.pair, state });
      }
      before[w.key] ??= state;
      const r = step(w.level, state, point, o);
      if (r.changed) changed.set(w.key, { key: w.key, pair: w.level.pair, state: r.state });
      events.push(...watchEvents(w, r.events, pair, basis, now, o, past, goldDate));
    }
    const undo = basis === 'close' ? { before: Object.fromEntries([...changed.keys()].map((k) => [k, before[k]!])) } : {};
    return { pair, point, isClose: basis === 'close', nowMs: now, states: [...changed.values()], events, ...undo };
  }

  #watchesOf(pair: PairId): Watch[] {
    return [...(this.#essay.get(pair) ?? []), ...(this.#extraWatches().get(pair) ?? [])];
  }

  #crossing(w: Watch): CrossingOptions {
    return { approachPct: w.approachPct, hysteresisPct: this.#opts.hysteresisPct, cooldownDays: this.#opts.cooldownDays ?? 0 };
  }

  /** The pair's latest decided close decided again if its stored ratio changed (alerts/corrected-close.ts). */
  async #revise(pair: PairId, series: readonly Point[], gold: readonly Point[]): Promise<RevisedPoint | undefined> {
    const r = await decideCorrectedClose(this.#correctedCloseDeps, pair, await this.#cursor(pair), series, gold);
    if (r === undefined) return undefined;
    const known = this.#states!;
    for (const st of r.states) known.set(st.key, st.state);
    for (const st of r.moveStates) this.#moveStates?.set(st.key, st.state);
    this.#cursors.set(pair, r.cursor);
    return r.revised;
  }

  /**
   * The move watches' decision at a close: each distinct watch of the pair (shared by every chat
   * that asked for it) steps once. A watch new since the last close starts from the close before
   * this one, so a move already under way when it was added fires nothing. A close set before the
   * watch was made (a catch-up of days the bot was down, a replica's /move while the leader was
   * behind) is history to it: its start state, no event, whatever the first close of the catch-up.
   */
  #decideMoves(pair: PairId, point: Point, closes: readonly Point[], past: boolean, goldDate: string | undefined): MoveDecision | undefined {
    const specs = this.#moveWatches?.byPair.get(pair) ?? [];
    if (specs.length === 0) return undefined;
    const i = closes.length - 1;
    if (closes[i]?.date !== point.date) throw new Error(`bug: closes for ${pair} end at ${closes[i]?.date}, not at ${point.date}`);
    const known = this.#moveStates!;
    const cooldown = this.#opts.cooldownDays ?? 0;
    const states: MoveDecision['states'][number][] = [];
    const events: MoveDecision['events'][number][] = [];
    // Each changed watch's state before this close: what deciding it again starts from, if it is corrected.
    const before: Record<string, MoveState> = {};
    const setAt = priceSetAt(point.date);
    for (const spec of specs) {
      const key = moveKey(spec);
      const stored = known.get(key);
      if (setAt <= spec.madeAt) {
        const start = initialMoveState(spec, closes, i);
        if (stored === undefined || JSON.stringify(stored) !== JSON.stringify(start)) {
          states.push({ key, pair, state: start });
          before[key] = stored ?? start;
        }
        continue;
      }
      let state = stored;
      let changed = false;
      // New to the engine, or made after the close before this one (a state stored then is another
      // watch's of the same key, since removed): it starts there.
      const prev = closes[i - 1];
      if (state === undefined || (prev !== undefined && priceSetAt(prev.date) <= spec.madeAt)) {
        state = i > 0 ? initialMoveState(spec, closes, i - 1) : { armed: true };
        changed = true;
      }
      const r = moveStep(spec, state, closes, i, cooldown);
      if (r.changed || changed) {
        states.push({ key, pair, state: r.state });
        before[key] = state;
      }
      if (r.event !== undefined) events.push({ key, event: r.event, message: moveMessage(r.event, past, goldDate) });
    }
    return { states, events, before };
  }

  #extraWatches(): Map<PairId, Watch[]> {
    return this.#extra?.byPair ?? new Map();
  }
}
