/**
 * A corrected close, decided again. The pair's latest decided close is stepped again when the
 * stored close now gives another ratio (a source corrected it: the daily sync re-fetches the last
 * days, `import` overwrites). It starts from the states the close found (the undo record the close
 * left), and the store weighs the new decision against the old one (store/decisions.ts revise:
 * never sent twice, a sent alert that no longer holds corrected in words, a missed one sent). A live
 * point that changed a state since the close ended that record: deciding the close again would undo
 * the live point's decision, so the correction is only logged. Closes before the latest are not
 * decided again. The pipeline (alerts/pipeline.ts) runs it, queued with its ticks, before catching up.
 */
import type { Logger } from '../log.ts';
import type { PairId } from '../domain/instruments.ts';
import type { Point } from '../domain/series.ts';
import { step, type CrossingOptions, type LevelState } from '../domain/crossing.ts';
import type { Watch } from '../domain/watches.ts';
import { alertMessage, correctionMessage, levelOf } from '../domain/alert-message.ts';
import type { Cursor } from '../store/level-state.ts';
import type { DecisionStore, PointDecision, RevisedPoint } from '../store/decisions.ts';
import { watchEvents, type DecidedEvent } from './watch-events.ts';

export interface CorrectedCloseDeps {
  readonly store: DecisionStore;
  readonly now: () => number;
  readonly log?: Logger | undefined;
  /** The watches' states as the engine holds them and the pair's watches, read when a correction is found. */
  readonly load: (pair: PairId) => Promise<{ readonly known: ReadonlyMap<string, LevelState>; readonly watches: readonly Watch[] }>;
  readonly crossing: (w: Watch) => CrossingOptions;
}

export interface CorrectedClose {
  readonly revised: RevisedPoint;
  /** The watches' states after the close decided again (written by the store): the engine's from now on. */
  readonly states: readonly PointDecision['states'][number][];
  /** The pair's cursor, at the corrected ratio. */
  readonly cursor: Cursor;
}

/** The pair's latest decided close decided again if `series` now gives it another ratio; undefined when it does not (or cannot be). */
export async function decideCorrectedClose(
  deps: CorrectedCloseDeps,
  pair: PairId,
  cursor: Cursor | undefined,
  series: readonly Point[],
): Promise<CorrectedClose | undefined> {
  const date = cursor?.lastCloseDate;
  if (cursor === undefined || date == null || cursor.lastCloseValue === null) return undefined;
  const point = series.findLast((p) => p.date <= date);
  if (point?.date !== date || point.value === cursor.lastCloseValue) return undefined;
  const undo = await deps.store.undo(pair);
  if (undo?.date !== date) {
    deps.log?.warn(
      `${pair}: the close of ${date} was corrected (${cursor.lastCloseValue} → ${point.value}) after a live point was decided; its alerts are not decided again`,
    );
    return undefined;
  }
  const { known, watches } = await deps.load(pair);
  const now = deps.now();
  // The sync that corrected it brought later closes too (the usual case): its alerts name its day, not "now".
  const past = (series.at(-1)?.date ?? date) > date;
  const states: PointDecision['states'][number][] = [];
  const events: DecidedEvent[] = [];
  for (const w of watches) {
    const start = undo.states[w.key] ?? known.get(w.key);
    // A watch added since the close starts at the next point, as any new watch.
    if (start === undefined) continue;
    const o = deps.crossing(w);
    const r = step(w.level, start, point, o);
    const next = r.changed ? r.state : start;
    if (JSON.stringify(next) !== JSON.stringify(known.get(w.key))) states.push({ key: w.key, pair: w.level.pair, state: next });
    events.push(...watchEvents(w, r.events, pair, 'close', now, o, past));
  }
  const revised = await deps.store.revise({
    pair,
    point,
    nowMs: now,
    states,
    events,
    correction: (old, title) =>
      correctionMessage({ pair, date, from: old.value, to: point.value, what: title ?? alertMessage(old).title!, level: levelOf(old), event: old.kind }),
  });
  deps.log?.info(
    `${pair}: the close of ${date} was corrected (${cursor.lastCloseValue} → ${point.value}) and decided again: ${revised.events.length} event(s) recorded, ${revised.withdrawn} withdrawn before anyone got it, ${revised.corrected} corrected to the chats that got it`,
  );
  return { revised, states, cursor: { ...cursor, lastCloseValue: point.value } };
}
