/**
 * What the closes did at a level, told from the closes alone: no cooldown, no hysteresis band (those
 * shape alerts, domain/crossing.ts; a story is history, and must not move or hide a break).
 *
 * Definitions (docs/architecture.md repeats them; the tests hold the real history to them):
 * - a close is beyond an edge when it is strictly on the other side of it from where the ratio
 *   stands; a close exactly at the edge changes nothing;
 * - a break HOLDS when HOLD_CLOSES closes in a row are beyond the edge (a trading week). The break
 *   is dated by the first of them: the day the ratio first closed beyond, its true date;
 * - fewer closes beyond, then a close back: the ratio "closed beyond but did not hold" (unheld),
 *   dated by its first close beyond; closes beyond at the end of the data that have not yet made
 *   HOLD_CLOSES are pending, neither held nor failed;
 * - a retest is an episode that came within the approach % of the edge from the side the ratio
 *   stands on without closing beyond it. It starts at the first such close and ends once the ratio
 *   is farther than twice that % away (the ratio swings a few % a day: a tighter rule would count
 *   one visit three times). Right after a break the ratio is near the edge by definition: the
 *   next retest counts once it has first left the % (closed farther than it from the edge). Twice
 *   the % there hid real visits: SPX/Gold broke above 2.5 on 2021-10-15 and stayed within 6% of it
 *   until 12-15, so its close of 2.5006 on 11-11 was no retest and the story said it came down to
 *   2.5 "once" (12-17). A retest is counted once its visit is over, so a count never goes back the
 *   next day; an episode still within the % at the last close is "approaching", not a retest;
 * - for a zone, each edge is walked on its own, and only a visit from outside the zone is a retest.
 *   Closes beyond an edge into the zone may be past the far edge too (below 0.7 and below 0.6):
 *   each run counts those (`outside`), so the story never calls them "inside the zone". A run into
 *   the zone (a break, or closes that did not hold) is dated by its first close INSIDE the zone: a
 *   jump from above 0.7 to below 0.6 that came back up into the zone entered it on the close back,
 *   not on the close below (`edgeDate` keeps the first close beyond the edge, what "closed below
 *   0.7 since" says). A run that held with no close inside went through the zone: no entry, only the
 *   far edge's exit (as the alerts have it: a jump across a zone is an exit only).
 */
import type { CrossingKind, ReplayEvent } from './crossing.ts';
import { isZone, type Level } from './levels.ts';
import type { Point } from './series.ts';

/** Closes in a row beyond an edge for a break to hold: one trading week. */
export const HOLD_CLOSES = 5;

export type Side = 'above' | 'below';

/** Closes beyond an edge that came back before HOLD_CLOSES (or, pending, have not yet made it). */
export interface Unheld {
  readonly pair: Level['pair'];
  readonly levelId: string;
  readonly kind: Exclude<CrossingKind, 'approach'>;
  readonly direction: 'up' | 'down';
  /**
   * The first close beyond; for closes into a zone, the first of them inside it (the one a close
   * past the far edge as well did not enter). The close's value.
   */
  readonly date: string;
  readonly value: number;
  /** The first close beyond the edge, inside the zone or past it (the same as `date` but for a run into a zone that began past its far edge). */
  readonly edgeDate: string;
  readonly levelValue: number;
  /** The last close of the run not past the far edge (for a line, its last close): "the last close above 2.5" the story names. */
  readonly end: string;
  readonly closes: number;
  /**
   * Of those closes, the ones past the zone's far edge too (closes below 0.7 that were also below
   * 0.6): they were not inside the zone. 0 for a line and for closes out of a zone.
   */
  readonly outside: number;
}

export interface Retest {
  readonly levelId: string;
  /** The first close within the approach %. */
  readonly date: string;
  /** The side the ratio came from: below, it rose towards the edge and fell back; above, it held. */
  readonly from: Side;
}

export interface LevelHistory {
  /** Held breaks, by date. */
  readonly breaks: readonly ReplayEvent[];
  readonly unheld: readonly Unheld[];
  /** Closes beyond at the end of the data, not yet HOLD_CLOSES of them. */
  readonly pending: readonly Unheld[];
  /** Finished retest episodes, over at twice the % away (one not over yet is left out; one still within the % is approaching). */
  readonly retests: readonly Retest[];
  /**
   * The episodes still within the % at the last close, from outside: the levels the ratio is
   * approaching. Not a level it has just broken (no episode until it has moved twice the % away)
   * nor one it has closes beyond today (pending).
   */
  readonly approaching: readonly Retest[];
}

function kindOf(level: Level, edgeIndex: number, direction: 'up' | 'down'): Unheld['kind'] {
  if (!isZone(level)) return direction === 'up' ? 'cross-up' : 'cross-down';
  // The low edge: up enters the zone, down leaves it; the high edge the other way round.
  const entering = edgeIndex === 0 ? direction === 'up' : direction === 'down';
  return entering ? 'zone-enter' : 'zone-exit';
}

function walkEdge(level: Level, edgeIndex: number, series: readonly Point[], approachPct: number, out: Mutable): void {
  const e = edgeIndex === 0 ? level.low : level.high;
  const first = series[0];
  if (first === undefined) return;
  let side: Side = first.value >= e ? 'above' : 'below';
  // Outside a zone is below its low edge or above its high one: only there is a visit a retest.
  const outside = (s: Side) => !isZone(level) || (edgeIndex === 0 ? s === 'below' : s === 'above');
  // In % of the value, as the engine (crossing.ts) and every distance shown (levels.ts distancePct).
  const distance = (v: number) => (Math.abs(e - v) / v) * 100;
  // `inside`: the run's first close not past the far edge (for a line, its first close).
  // `far`: a close of the run out of the % band; `back`: a later one of the run within it again (a visit back, once the break holds).
  let run:
    | { start: Point; inside: Point | undefined; end: Point | undefined; count: number; far: boolean; back: Point | undefined; outside: number }
    | undefined;
  // Past the other edge as well: through the zone and out of it (only a run into the zone can be).
  const pastFarEdge = (v: number) => isZone(level) && (edgeIndex === 0 ? v > level.high : v < level.low);
  let armed = approachPct > 0 && distance(first.value) > approachPct;
  let episode: { date: string; from: Side; poked: boolean } | undefined;
  // Since the last break, not yet out of the % band: leaving it arms the next retest (not twice the %).
  let broke = false;
  const direction = (s: Side): 'up' | 'down' => (s === 'above' ? 'down' : 'up');
  // A run entirely past the far edge has no close inside: its own first close (the story leaves it out, outside === closes).
  const dated = (r: { start: Point; inside: Point | undefined }): Point => r.inside ?? r.start;
  const unheld = (r: { start: Point; inside: Point | undefined; end: Point | undefined; count: number; outside: number }): Unheld => ({
    pair: level.pair,
    levelId: level.id,
    kind: kindOf(level, edgeIndex, direction(side)),
    direction: direction(side),
    date: dated(r).date,
    value: dated(r).value,
    edgeDate: r.start.date,
    levelValue: e,
    end: (r.end ?? r.start).date,
    closes: r.count,
    outside: r.outside,
  });
  for (let i = 1; i < series.length; i++) {
    const p = series[i]!;
    const beyond = side === 'above' ? p.value < e : p.value > e;
    if (beyond) {
      // Out of the % band: after the break, the next close within it is a visit back.
      const far = distance(p.value) > approachPct;
      const outside = pastFarEdge(p.value) ? 1 : 0;
      const inside = outside === 0 ? p : undefined;
      run =
        run === undefined
          ? { start: p, inside, end: inside, count: 1, far, back: undefined, outside }
          : {
              start: run.start,
              inside: run.inside ?? inside,
              end: inside ?? run.end,
              count: run.count + 1,
              far: run.far || far,
              back: run.back ?? (run.far && !far ? p : undefined),
              outside: run.outside + outside,
            };
      if (run.count >= HOLD_CLOSES) {
        const dir = direction(side);
        // A run into a zone with no close inside it went through the zone and out: the far edge's
        // walk has that exit, and nothing entered (a jump across a zone is an exit only, as for alerts).
        if (run.inside !== undefined || !isZone(level))
          out.breaks.push({
            pair: level.pair,
            levelId: level.id,
            kind: kindOf(level, edgeIndex, dir),
            direction: dir,
            date: dated(run).date,
            value: dated(run).value,
            levelValue: e,
          });
        side = side === 'above' ? 'below' : 'above';
        // Out of the % band and back within it during the closes that made the break: that visit is
        // the first since the break (QQQ/Gold above 0.25 from 1999-11-18: 3.1% on the 19th, 1.4% on
        // the 22nd); else out of it only: the next visit is one; else none yet (`broke`).
        episode = run.back === undefined ? undefined : { date: run.back.date, from: side, poked: false };
        armed = run.back === undefined && run.far;
        broke = run.back === undefined && !run.far;
        run = undefined;
      }
      continue;
    }
    if (run !== undefined) {
      out.unheld.push(unheld(run));
      if (episode !== undefined) episode.poked = true;
      run = undefined;
    }
    const d = distance(p.value);
    if (armed && approachPct > 0 && d <= approachPct) {
      armed = false;
      episode = { date: p.date, from: side, poked: false };
    } else if (!armed && d > (broke ? approachPct : 2 * approachPct)) {
      armed = true;
      broke = false;
      if (episode !== undefined && !episode.poked && outside(episode.from)) out.retests.push({ levelId: level.id, date: episode.date, from: episode.from });
      episode = undefined;
    }
  }
  if (run !== undefined) out.pending.push(unheld(run));
  const last = series[series.length - 1]!;
  // An episode not yet twice the % away is not over, and not yet a retest: told as one while it had
  // left the % (but not twice it), it was taken back the day the ratio came within the % again, and
  // a reader saw "retested 3 times", then "2 times". One still within the % is open: approaching.
  if (run === undefined && episode !== undefined && outside(episode.from) && distance(last.value) <= approachPct) {
    out.approaching.push({ levelId: level.id, date: episode.date, from: episode.from });
  }
}

interface Mutable {
  breaks: ReplayEvent[];
  unheld: Unheld[];
  pending: Unheld[];
  retests: Retest[];
  approaching: Retest[];
}

const byDate = <T extends { date: string }>(a: T, b: T): number => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

/** Every level of `levels` over its pair's series (ascending closes). */
export function levelHistory(series: Readonly<Partial<Record<Level['pair'], readonly Point[]>>>, levels: readonly Level[], approachPct: number): LevelHistory {
  const out: Mutable = { breaks: [], unheld: [], pending: [], retests: [], approaching: [] };
  for (const level of levels) {
    const s = series[level.pair] ?? [];
    walkEdge(level, 0, s, approachPct, out);
    if (isZone(level)) walkEdge(level, 1, s, approachPct, out);
  }
  // Stable sorts: same-date items keep the levels' order.
  return {
    breaks: out.breaks.sort(byDate),
    unheld: out.unheld.sort(byDate),
    pending: out.pending.sort(byDate),
    retests: out.retests.sort(byDate),
    approaching: out.approaching.sort(byDate),
  };
}
