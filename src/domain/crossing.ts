/**
 * The crossing rules, pure: (level, previous state, new point) → (next state, events).
 *
 * A level is a line or a zone; a zone is two edges (low, high). Each edge remembers which side
 * of it the ratio is on. The first break of an edge is decided at the edge itself; after that
 * the edge is disarmed: the ratio must move back past it by the hysteresis band (a % of the
 * edge) before the reverse break counts. That reverse break is itself a break, so from then on
 * the edge works as a Schmitt trigger: a ratio that wiggles around 2.5 reads as one break,
 * not dozens.
 *
 * Cooldown: for `cooldownDays` calendar days after a break, the reverse break of the same edge is
 * not decided yet. A ratio that is still past the band once the cooldown is over breaks then (the
 * event is late, never lost); one that came back never broke. A late event says so (`late`): the
 * first point of the run beyond the edge that went past the band during the cooldown, which every
 * point since stayed beyond (the edge keeps it as `heldSince`; a point back on the old side of the
 * edge forgets it), and the break that started the cooldown. Sent as today's news, it would be
 * false. The run's first point, not its first point past the band: that is the day the ratio
 * closed beyond the level for good, the date the story gives the same break (level-history.ts). The band alone is 1% by default,
 * and QQQ/Gold moves 2-3% a day near its 2011 floor: without the cooldown 0.03 read as ten breaks
 * in two months.
 *
 * A zone's edges keep their own band and cooldown, but a close past both edges breaks both (see
 * crossWholeZone): a zone event is always true at its close, an enter inside, an exit outside.
 *
 * Approach (within N% of the nearest edge, from outside, and only from the side the ratio is on) fires once; it re-arms only once the
 * ratio is farther than 2×N% away again (the ratio's daily swings are a few %: a tighter re-arm
 * reads as the same approach announced three times). A break disarms it too.
 * The first point only sets the state: no event is fired for where history starts.
 */
import type { Level } from './levels.ts';
import type { Point } from './series.ts';
import { daysBetween } from './dates.ts';

export type CrossingKind = 'cross-up' | 'cross-down' | 'zone-enter' | 'zone-exit' | 'approach';

export interface EdgeState {
  /** The ratio is above this edge (with hysteresis). */
  readonly above: boolean;
  /** No break decided yet: the next break counts at the edge itself, without the band. */
  readonly armed: boolean;
  /** Date of the last break of this edge (states saved before the cooldown existed lack it). */
  readonly brokeOn?: string;
  /**
   * The reverse break the cooldown holds: the first point of the run beyond the edge that went past
   * the band during the cooldown, while every point since is beyond the edge. Its value in `heldValue`.
   */
  readonly heldSince?: string;
  readonly heldValue?: number;
  /** During the cooldown, the first point of the current run beyond the edge, not yet past the band. */
  readonly beyondSince?: string;
  readonly beyondValue?: number;
}

export interface LevelState {
  /** One edge for a line, [low, high] for a zone. */
  readonly edges: readonly EdgeState[];
  readonly approachArmed: boolean;
}

export interface CrossingOptions {
  /** Distance in % of the ratio (as levels.ts distancePct shows it) that counts as approaching; 0 turns approach off. */
  readonly approachPct: number;
  /** Band in % of the edge the ratio must move back past before a reverse break counts. */
  readonly hysteresisPct: number;
  /** Calendar days after a break before the reverse break of the same edge can be decided. Default 0. */
  readonly cooldownDays?: number;
}

export interface CrossingEvent {
  readonly date: string;
  readonly levelId: string;
  readonly kind: CrossingKind;
  readonly direction: 'up' | 'down';
  readonly value: number;
  /** The edge (or line) the event is about. */
  readonly levelValue: number;
  /** A break the cooldown held: it happened at `since` (value `value`), after the break of `after`. */
  readonly late?: LateBreak;
}

export interface LateBreak {
  /** The point that broke the edge, held back by the cooldown; every point since was beyond the edge. */
  readonly since: string;
  readonly value: number;
  /** The break that started the cooldown. */
  readonly after: string;
}

export interface StepResult {
  readonly state: LevelState;
  readonly events: readonly CrossingEvent[];
  /** False when the state is the same as before (nothing to persist). */
  readonly changed: boolean;
}

const edgesOf = (level: Level): number[] => (level.high > level.low ? [level.low, level.high] : [level.low]);

/** -1 below the level, 0 inside a zone, 1 above. */
function position(edges: readonly EdgeState[]): -1 | 0 | 1 {
  if (edges[edges.length - 1]!.above) return 1;
  if (!edges[0]!.above) return -1;
  return 0;
}

function withinApproach(level: Level, pos: -1 | 0 | 1, value: number, approachPct: number): boolean {
  if (pos === 0) return true; // inside a zone counts as "at" the level
  if (approachPct <= 0) return false;
  const edge = pos === 1 ? level.high : level.low;
  // In % of the value, as every distance the bot shows (levels.ts distancePct): "within 3%" is never shown as 3.09% away.
  return (Math.abs(edge - value) / value) * 100 <= approachPct;
}

/**
 * The ratio really is on the side the edges remember. During a cooldown, or inside the band after
 * a break, the edges keep the old side while the value is already past the edge (or inside the
 * zone): an approach "from below" announced then would be false.
 */
function onSide(level: Level, pos: -1 | 1, value: number): boolean {
  return pos === 1 ? value > level.high : value < level.low;
}

/** Farther than twice the approach distance: the next approach may fire again. */
function farEnough(level: Level, pos: -1 | 0 | 1, value: number, o: CrossingOptions): boolean {
  if (pos === 0) return false;
  const edge = pos === 1 ? level.high : level.low;
  return (Math.abs(edge - value) / value) * 100 > 2 * o.approachPct;
}

/**
 * A close that breaks one edge of a zone and is past the other edge too has crossed the whole zone:
 * the other edge breaks at the same close, whatever its band or cooldown says. Those guard against
 * wiggles around that edge; a close beyond the far edge is no wiggle. Left alone, the edges would
 * disagree (above the high edge, below the low one: "entered" and "left" at the same close), or
 * read "inside" at a value outside the zone. Mutates `next`, the edges `step` is building.
 */
function crossWholeZone(values: readonly number[], prev: readonly EdgeState[], next: EdgeState[], point: Point): void {
  const [low, high] = values as [number, number];
  const v = point.value;
  const broke = (i: number) => next[i] !== prev[i];
  const broken = (above: boolean): EdgeState => ({ above, armed: false, brokeOn: point.date });
  if (broke(1) && next[1]!.above && !next[0]!.above && v > low) next[0] = broken(true);
  else if (broke(1) && !next[1]!.above && next[0]!.above && v < low) next[0] = broken(false);
  else if (broke(0) && !next[0]!.above && next[1]!.above && v < high) next[1] = broken(false);
  else if (broke(0) && next[0]!.above && !next[1]!.above && v > high) next[1] = broken(true);
}

/**
 * Edges saved before crossWholeZone existed may disagree: above the high edge and below the low
 * one. The later break is the newer fact about the value; the other edge follows it.
 */
function coherent(edges: readonly EdgeState[]): readonly EdgeState[] {
  const [low, high] = edges;
  if (low === undefined || high === undefined || !high.above || low.above) return edges;
  if ((low.brokeOn ?? '') > (high.brokeOn ?? '')) return [low, { above: false, armed: false, ...(low.brokeOn !== undefined && { brokeOn: low.brokeOn }) }];
  return [{ above: true, armed: false, ...(high.brokeOn !== undefined && { brokeOn: high.brokeOn }) }, high];
}

function withoutHeld(edge: EdgeState): EdgeState {
  const { heldSince: _s, heldValue: _v, beyondSince: _b, beyondValue: _bv, ...rest } = edge;
  return rest;
}

/** The edge broke at this point, and the cooldown had held that break since an earlier one: it is late. */
function lateBreak(before: EdgeState | undefined, after: EdgeState | undefined, point: Point): LateBreak | undefined {
  if (before?.heldSince === undefined || before.heldValue === undefined || before.brokeOn === undefined) return undefined;
  if (after?.brokeOn !== point.date || after.above === before.above || before.heldSince >= point.date) return undefined;
  return { since: before.heldSince, value: before.heldValue, after: before.brokeOn };
}

/** The state for where history starts. */
export function initialState(level: Level, point: Pick<Point, 'value'>, o: CrossingOptions): LevelState {
  const edges = edgesOf(level).map((e) => ({ above: point.value >= e, armed: true }));
  const pos = position(edges);
  return { edges, approachArmed: !withinApproach(level, pos, point.value, o.approachPct) };
}

export function step(level: Level, state: LevelState, point: Point, o: CrossingOptions): StepResult {
  const v = point.value;
  const values = edgesOf(level);
  const before = position(state.edges);
  const cooldown = o.cooldownDays ?? 0;
  const prev = coherent(state.edges);
  const edges = prev.map((edge, i): EdgeState => {
    const e = values[i]!;
    const band = edge.armed ? 0 : (e * o.hysteresisPct) / 100;
    const past = edge.above ? v < e - band : v > e + band;
    const beyond = edge.above ? v < e : v > e;
    // A point back on the old side of the edge ends a held break (it never happened), and a run beyond it.
    const held = !beyond && (edge.heldSince !== undefined || edge.beyondSince !== undefined) ? withoutHeld(edge) : edge;
    if (!edge.armed && edge.brokeOn !== undefined && daysBetween(edge.brokeOn, point.date) < cooldown) {
      if (!beyond || held.heldSince !== undefined) return held;
      const { beyondSince: since = point.date, beyondValue: value = v, ...rest } = held;
      if (past) return { ...rest, heldSince: since, heldValue: value };
      return held.beyondSince === undefined ? { ...held, beyondSince: point.date, beyondValue: v } : held;
    }
    if (past) return { above: !edge.above, armed: false, brokeOn: point.date };
    return held;
  });
  if (edges.length === 2) crossWholeZone(values, state.edges, edges, point);
  const after = position(edges);
  const events: CrossingEvent[] = [];
  const ev = (kind: CrossingKind, direction: 'up' | 'down', levelValue: number) => {
    const late = kind === 'approach' ? undefined : lateBreak(prev[values.indexOf(levelValue)], edges[values.indexOf(levelValue)], point);
    events.push({ date: point.date, levelId: level.id, kind, direction, value: v, levelValue, ...(late && { late }) });
  };

  if (after !== before) {
    if (values.length === 1) {
      ev(after > before ? 'cross-up' : 'cross-down', after > before ? 'up' : 'down', values[0]!);
    } else if (after === 0) {
      // crossWholeZone leaves the edges inside only when the value is inside.
      ev('zone-enter', after > before ? 'up' : 'down', after > before ? level.low : level.high);
    } else {
      // Straight from one side to the other (a gap, or a cooldown that held the enter) is only an
      // exit: the value is outside, and "entered" at it would be false.
      ev('zone-exit', after === 1 ? 'up' : 'down', after === 1 ? level.high : level.low);
    }
  }

  let approachArmed = state.approachArmed;
  const edgesMoved = edges.some((e, i) => e !== state.edges[i]);
  if (events.length > 0) {
    approachArmed = false;
  } else if (approachArmed && after !== 0 && onSide(level, after, v) && withinApproach(level, after, v, o.approachPct)) {
    approachArmed = false;
    ev('approach', after === 1 ? 'down' : 'up', after === 1 ? level.high : level.low);
  } else if (!approachArmed && farEnough(level, after, v, o)) {
    approachArmed = true;
  }
  const changed = edgesMoved || approachArmed !== state.approachArmed;
  return { state: changed ? { edges, approachArmed } : state, events, changed };
}

/** Runs a series through one level from a fresh state (the replay's building block). */
export function runSeries(level: Level, series: readonly Point[], o: CrossingOptions): CrossingEvent[] {
  const first = series[0];
  if (first === undefined) return [];
  let state = initialState(level, first, o);
  const out: CrossingEvent[] = [];
  for (let i = 1; i < series.length; i++) {
    const r = step(level, state, series[i]!, o);
    state = r.state;
    out.push(...r.events);
  }
  return out;
}

export interface ReplayEvent extends CrossingEvent {
  readonly pair: Level['pair'];
}

/**
 * The backtest: every level run over its pair's series from a fresh state, merged by date
 * (ties keep the levels' order). The first point of each series only sets the state.
 */
export function replay(series: Readonly<Partial<Record<Level['pair'], readonly Point[]>>>, levels: readonly Level[], o: CrossingOptions): ReplayEvent[] {
  const out: ReplayEvent[] = [];
  for (const level of levels) {
    for (const e of runSeries(level, series[level.pair] ?? [], o)) out.push({ ...e, pair: level.pair });
  }
  // Stable sort: same-date events keep the level order.
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
