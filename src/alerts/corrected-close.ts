/**
 * A corrected close, decided again. The pair's latest decided close is stepped again when the
 * stored close now gives another ratio (a source corrected it: the daily sync re-fetches the last
 * days, `import` overwrites). It starts from the states the close found (the undo record the close
 * left), and the store weighs the new decision against the old one (store/decisions.ts revise:
 * never sent twice, a sent alert that no longer holds corrected in words, a missed one sent). A live
 * point that changed a state since the close ended that record: deciding the close again would undo
 * the live point's decision, so the correction is only logged. Closes before the latest are not
 * decided again. The close's move watches are decided again the same way, from the move states the
 * close found (a move alert the corrected close does not make is withdrawn or corrected, one it
 * makes now is sent). The pipeline (alerts/pipeline.ts) runs it, queued with its ticks, before catching up.
 */
import type { Logger } from '../log.ts';
import type { PairId } from '../domain/instruments.ts';
import { pointOnOrBefore, type Point } from '../domain/series.ts';
import { step, type CrossingOptions, type LevelState } from '../domain/crossing.ts';
import type { Watch } from '../domain/watches.ts';
import { alertMessage, correctionMessage, levelOf } from '../domain/alert-message.ts';
import type { Cursor } from '../store/level-state.ts';
import type { LevelEvent } from '../store/events.ts';
import { levelById } from '../domain/levels.ts';
import type { DecisionStore, PointDecision, RevisedPoint } from '../store/decisions.ts';
import { watchEvents, type DecidedEvent } from './watch-events.ts';
import { initialMoveState, moveFromKey, moveKey, moveStep, type MadeMove, type MoveEvent, type MoveSpec, type MoveState } from '../domain/moves.ts';
import { priceSetAt } from '../domain/close-age.ts';
import type { Message } from '../domain/message.ts';
import { moveMessage } from '../domain/move-message.ts';

export interface CorrectedCloseDeps {
  readonly store: DecisionStore;
  readonly now: () => number;
  readonly log?: Logger | undefined;
  /** The watches' states as the engine holds them and the pair's watches, read when a correction is found. */
  readonly load: (pair: PairId) => Promise<{ readonly known: ReadonlyMap<string, LevelState>; readonly watches: readonly Watch[] }>;
  readonly crossing: (w: Watch) => CrossingOptions;
  /** The move watches' states as the engine holds them and the pair's move watches, read when a correction is found. */
  readonly loadMoves: (pair: PairId) => Promise<{ readonly known: ReadonlyMap<string, MoveState>; readonly specs: readonly MadeMove[] }>;
  /** Days before a move watch fires again (config.cooldownDays), as at the close. */
  readonly cooldownDays: number;
}

export interface CorrectedClose {
  readonly revised: RevisedPoint;
  /** The watches' states after the close decided again (written by the store): the engine's from now on. */
  readonly states: readonly PointDecision['states'][number][];
  /** The move watches' states after it, likewise. */
  readonly moveStates: readonly { readonly key: string; readonly state: MoveState }[];
  /** The pair's cursor, at the corrected ratio. */
  readonly cursor: Cursor;
}

/** The pair's latest decided close decided again if `series` now gives it another ratio; undefined when it does not (or cannot be). */
export async function decideCorrectedClose(
  deps: CorrectedCloseDeps,
  pair: PairId,
  cursor: Cursor | undefined,
  series: readonly Point[],
  gold: readonly Point[] = [],
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
  const loaded = await deps.load(pair);
  const { known } = loaded;
  const watched = new Set(loaded.watches.map((w) => w.key));
  // The watches whose alerts the close sent, kept by a chat or not (a chat's own level removed since):
  // whether each still holds decides its correction.
  const sent = new Map<string, Watch>();
  for (const e of await deps.store.eventsDecidedAt(pair, date)) if (!watched.has(e.watchKey)) sent.set(e.watchKey, watchOfEvent(e));
  const watches = [...loaded.watches, ...sent.values()];
  const now = deps.now();
  // The sync that corrected it brought later closes too (the usual case): its alerts name its day, not "now".
  const past = (series.at(-1)?.date ?? date) > date;
  // Its ratio over an older gold price (London shut, the day's fix not in yet): its alerts say so.
  const goldDay = pointOnOrBefore(gold, date)?.date;
  const goldDate = goldDay !== undefined && goldDay < date ? goldDay : undefined;
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
    events.push(...watchEvents(w, r.events, pair, 'close', now, o, past, goldDate));
  }
  const moves = undo.moves === undefined ? undefined : await decideMoves(deps, pair, undo.moves, series.slice(0, series.indexOf(point) + 1), past, goldDate);
  const revised = await deps.store.revise({
    pair,
    point,
    nowMs: now,
    states,
    events,
    correction: (old, title) =>
      correctionMessage({ pair, date, from: old.value, to: point.value, what: title ?? alertMessage(old).title!, level: levelOf(old), event: old.kind }),
    watched,
    ...(moves !== undefined && {
      moves: {
        ...moves,
        correction: (value, title) => correctionMessage({ pair, date, from: value, to: point.value, what: title ?? { key: `pair.${pair}` } }),
      },
    }),
  });
  deps.log?.info(
    `${pair}: the close of ${date} was corrected (${cursor.lastCloseValue} → ${point.value}) and decided again: ${revised.events.length} event(s) recorded, ${revised.withdrawn} withdrawn before anyone got it, ${revised.corrected} corrected to the chats that got it`,
  );
  return { revised, states, moveStates: moves?.states ?? [], cursor: { ...cursor, lastCloseValue: point.value } };
}

/**
 * The watch an event was decided by (`<level>@<approach %>`: a chat's own level, or an essay level
 * at a chat's own approach %), made from the event for a watch no chat keeps any more.
 */
function watchOfEvent(e: LevelEvent & { readonly watchKey: string }): Watch {
  const at = e.watchKey.lastIndexOf('@');
  const approachPct = at < 0 ? 0 : Number(e.watchKey.slice(at + 1)) || 0;
  return { key: e.watchKey, level: levelOf(e), approachPct, approachOnly: at >= 0 && levelById(e.levelId) !== undefined };
}

/** The pair's move watches at the corrected close (the last of `closes`), each from the state the close found. */
async function decideMoves(
  deps: CorrectedCloseDeps,
  pair: PairId,
  before: Readonly<Record<string, MoveState>>,
  closes: readonly Point[],
  past: boolean,
  goldDate: string | undefined,
): Promise<{
  states: { key: string; pair: PairId; state: MoveState }[];
  events: { key: string; event: MoveEvent; message: Message }[];
  watched: ReadonlySet<string>;
}> {
  const { known, specs } = await deps.loadMoves(pair);
  const watched = new Set(specs.map(moveKey));
  // The watches whose moves the close sent, kept by a chat or not: whether each still holds decides its correction.
  const sent = (await deps.store.moveKeysDecidedAt(pair, closes.at(-1)!.date))
    .map(moveFromKey)
    .filter((m): m is MoveSpec => m !== undefined && !watched.has(moveKey(m)));
  const states: { key: string; pair: PairId; state: MoveState }[] = [];
  const events: { key: string; event: MoveEvent; message: Message }[] = [];
  const i = closes.length - 1;
  const setAt = priceSetAt(closes[i]!.date);
  for (const spec of [...specs, ...sent]) {
    const key = moveKey(spec);
    // A watch made after the close was set: the close is its history, its start state whatever it now says (pipeline.ts #decideMoves).
    const madeAt = (spec as Partial<MadeMove>).madeAt;
    if (madeAt !== undefined && setAt <= madeAt) {
      const history = initialMoveState(spec, closes, i);
      if (known.has(key) && JSON.stringify(history) !== JSON.stringify(known.get(key))) states.push({ key, pair, state: history });
      continue;
    }
    // A watch the close did not change had, before it, the state it has now; one added since starts at the next close.
    const start = before[key] ?? known.get(key);
    if (start === undefined) continue;
    const r = moveStep(spec, start, closes, i, deps.cooldownDays);
    const next = r.changed ? r.state : start;
    if (JSON.stringify(next) !== JSON.stringify(known.get(key))) states.push({ key, pair, state: next });
    if (r.event !== undefined) events.push({ key, event: r.event, message: moveMessage(r.event, past, goldDate) });
  }
  return { states, events, watched };
}
