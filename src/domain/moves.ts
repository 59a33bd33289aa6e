/**
 * Move alerts, pure: "the ratio moved at least P% up or down over N trading days", decided on
 * daily closes. Like a level, a move watch keeps state so it speaks on a change, not every day:
 * it fires when the N-day change reaches P% while armed, then holds that direction until the change
 * falls back under P% (one fast fall is one alert, not twenty). A change past P% the other way is
 * a new event even without easing first: a sharp reversal can jump from -8% to +6% between two
 * closes, and the rise is news. The level alerts' cooldown applies too:
 * no second event of the same watch within `cooldownDays` calendar days of the last one; a move
 * still past P% when the cooldown ends fires then (late, never lost).
 */
import { addDays, daysBetween } from './dates.ts';
import { parsePair, type PairId } from './instruments.ts';
import { isTradingDay } from './nyse-calendar.ts';
import type { Point } from './series.ts';

/** Percent limits: under 1% is daily noise; a ratio cannot fall more than 100%. */
export const MIN_MOVE_PCT = 1;
export const MAX_MOVE_PCT = 100;
/**
 * Trading days: five trading years of 252 at most (a year, 12 months, 52 weeks all fit). A watch's
 * check costs the same whatever its span (two closes compared: bench/alerts-reach.ts), and every
 * pair's stored history reaches five years back (QQQ's from 1999), so a longer span would only
 * ask for a move no chart or alert here shows whole.
 */
export const MAX_MOVE_DAYS = 1260;
/** Move alerts one chat may keep. */
export const MAX_MOVES_PER_CHAT = 5;

export interface MoveSpec {
  readonly pair: PairId;
  /** At least this many percent, either way. */
  readonly pct: number;
  /** Over this many trading days (closes). */
  readonly days: number;
}

/**
 * A watch as the engine decides it: with when its first chat made it (ms). A close set before then
 * is history to it (decided as its start state, never an event): the bot catching up on days it was
 * down must not alert a move that was over before anyone asked for it.
 */
export interface MadeMove extends MoveSpec {
  readonly madeAt: number;
}

export interface MoveState {
  /** The next time the change reaches pct, it fires. */
  readonly armed: boolean;
  /** While not armed: the direction held (a change past pct this way is the same move; the other way is a new one). Absent in states stored before it existed. */
  readonly held?: 'up' | 'down';
  /** The date of the last event (the cooldown counts from it). */
  readonly firedOn?: string;
}

export interface MoveEvent {
  readonly date: string;
  readonly pair: PairId;
  readonly pct: number;
  readonly days: number;
  readonly direction: 'up' | 'down';
  /** The change over the N days, in % (signed). */
  readonly changePct: number;
  readonly fromDate: string;
  readonly fromValue: number;
  readonly value: number;
  /**
   * The trading days of its N closes on which the ratio has no close (tradingDaysWithoutClose): the
   * move took N + these trading days, and says so. Absent when none (every close of the span there).
   */
  readonly without?: readonly string[];
}

/** A move's percent as written back to the reader: `10`, `2.5` (no float noise). */
export const pctText = (n: number): string => String(Number(n.toPrecision(6)));

/** The one key a watch is stored and shared under: `move:spx-gold:10:20`. Every chat that asked for the same move shares it. */
export const moveKey = (m: MoveSpec): string => `move:${m.pair}:${pctText(m.pct)}:${m.days}`;

/** Back from a key (store rows); undefined for anything that is not one. */
export function moveFromKey(key: string): MoveSpec | undefined {
  const m = /^move:([a-z-]+):([\d.]+):(\d+)$/.exec(key);
  const pair = m ? parsePair(m[1]!) : undefined;
  return pair && m ? { pair, pct: Number(m[2]), days: Number(m[3]) } : undefined;
}

/** The change in % from `days` closes before index `i` to index `i`, or undefined when history is shorter. */
export function changeAt(closes: readonly Point[], i: number, days: number): number | undefined {
  const from = closes[i - days];
  const to = closes[i];
  if (from === undefined || to === undefined || !(from.value > 0)) return undefined;
  return (to.value / from.value - 1) * 100;
}

/**
 * The trading days after `fromDate`, to `toDate`, on which `closes` (ascending) has no close: a move
 * over N closes then spans more than N trading days. The ratio has none on a day gold's price was
 * over GOLD_CARRY_DAYS old (ratio.ts): 1973-12-26 and 1984-12-26, a Christmas on a Tuesday with
 * London shut from the Friday's fix to the Thursday, so 20 closes there spanned 21 trading days; and
 * the nine trading days of March 1968 London's gold market was shut (1968-03-19 to 03-29). None since.
 */
export function tradingDaysWithoutClose(closes: readonly Point[], fromDate: string, toDate: string): string[] {
  let lo = 0;
  let hi = closes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (closes[mid]!.date <= fromDate) lo = mid + 1;
    else hi = mid;
  }
  const out: string[] = [];
  for (let d = addDays(fromDate, 1), i = lo; d <= toDate; d = addDays(d, 1)) {
    while (i < closes.length && closes[i]!.date < d) i++;
    if (closes[i]?.date !== d && isTradingDay(d)) out.push(d);
  }
  return out;
}

/** The state for where history starts (the close at `i`): a move already under way fires nothing. */
export function initialMoveState(m: MoveSpec, closes: readonly Point[], i: number): MoveState {
  const c = changeAt(closes, i, m.days);
  return c === undefined || Math.abs(c) < m.pct ? { armed: true } : { armed: false, held: directionOf(c) };
}

const directionOf = (c: number): 'up' | 'down' => (c > 0 ? 'up' : 'down');

export interface MoveStep {
  readonly state: MoveState;
  readonly event: MoveEvent | undefined;
  readonly changed: boolean;
}

/** Decides the close at index `i` of `closes` (ascending, one per trading day). */
export function moveStep(m: MoveSpec, state: MoveState, closes: readonly Point[], i: number, cooldownDays: number): MoveStep {
  const c = changeAt(closes, i, m.days);
  const point = closes[i]!;
  if (c === undefined) return { state, event: undefined, changed: false };
  const past = Math.abs(c) >= m.pct;
  const direction = directionOf(c);
  if (state.armed && !past) return { state, event: undefined, changed: false };
  if (!state.armed && !past) return { state: { armed: true, ...(state.firedOn !== undefined && { firedOn: state.firedOn }) }, event: undefined, changed: true };
  // Not armed and past pct: the same move while it goes the held way. A state stored without
  // `held` was not armed at the close before this one either, so that close's sign is the way held.
  const held = state.armed || state.held !== undefined ? state : { ...state, held: directionOf(changeAt(closes, i - 1, m.days) ?? c) };
  const quiet = { state: held, event: undefined, changed: held !== state };
  if (!state.armed && held.held === direction) return quiet;
  if (state.firedOn !== undefined && daysBetween(state.firedOn, point.date) < cooldownDays) return quiet;
  const from = closes[i - m.days]!;
  // A close missing for a ratio (gold over four days old, a source's gap) in the span: N closes took more trading days.
  const without = tradingDaysWithoutClose(closes, from.date, point.date);
  const event: MoveEvent = {
    date: point.date,
    pair: m.pair,
    pct: m.pct,
    days: m.days,
    direction,
    changePct: c,
    fromDate: from.date,
    fromValue: from.value,
    value: point.value,
    ...(without.length > 0 && { without }),
  };
  return { state: { armed: false, held: direction, firedOn: point.date }, event, changed: true };
}

/** A replayed event and how far its move went before it eased (the alert fires at the threshold, not at the peak). */
export interface ReplayedMove extends MoveEvent {
  /** The largest N-day change the same way until the watch re-armed (or the series ended), in %. */
  readonly peakPct: number;
  readonly peakDate: string;
  /** The trading days of the peak's N closes without a close of the ratio, as the event's `without`. */
  readonly peakWithout?: readonly string[];
}

/**
 * Every event of one move watch over a whole series from a fresh state (replay); with `from`, of a
 * watch made that day: its state is the last close's before it (as a live watch's, made from the
 * stored closes), and it decides the closes from `from` on.
 */
export function replayMoves(m: MoveSpec, closes: readonly Point[], cooldownDays: number, from?: string): ReplayedMove[] {
  const out: ReplayedMove[] = [];
  if (closes.length <= m.days) return out;
  const firstFrom = from === undefined ? -1 : closes.findIndex((p) => p.date >= from);
  if (from !== undefined && firstFrom < 0) return out;
  const start = Math.max(m.days, firstFrom - 1);
  let state = initialMoveState(m, closes, start);
  let open: { event: MoveEvent; peakPct: number; peakDate: string; peakFrom: string } | undefined;
  const close = () => {
    if (open !== undefined) {
      const peakWithout = tradingDaysWithoutClose(closes, open.peakFrom, open.peakDate);
      out.push({
        ...open.event,
        peakPct: open.peakPct,
        peakDate: open.peakDate,
        ...(peakWithout.length > 0 && { peakWithout }),
      });
    }
    open = undefined;
  };
  for (let i = start + 1; i < closes.length; i++) {
    const r = moveStep(m, state, closes, i, cooldownDays);
    state = r.state;
    if (r.event !== undefined) {
      close();
      open = { event: r.event, peakPct: r.event.changePct, peakDate: r.event.date, peakFrom: r.event.fromDate };
    } else if (open !== undefined) {
      if (state.armed) close();
      else {
        const c = changeAt(closes, i, m.days)!;
        if (Math.sign(c) === Math.sign(open.peakPct) && Math.abs(c) > Math.abs(open.peakPct))
          open = { ...open, peakPct: c, peakDate: closes[i]!.date, peakFrom: closes[i - m.days]!.date };
      }
    }
  }
  close();
  return out;
}
