/**
 * What /history lists: the events the engine decided and the breaks the closes hold (the story's,
 * level-history.ts), each break once. Pure: events, breaks and the pairs' closes in.
 *
 * A break's date is the story's: the first close of its run of closes beyond the edge (for closes
 * into a zone, the first of them inside it). The engine may decide the same break later, at the
 * close past the hysteresis band or at the end of a cooldown; its alert says "now X" at that close
 * (and, when late, the day the run began). Both are the same run of closes beyond the edge: one
 * line, at the story's date and ratio, naming the close the alert came at.
 *
 * The engine may also decide a break in another run of closes than the one that held: at a close
 * beyond that came back before five (SPX/Gold below 2.5 on 2021-09-21, held from 09-30; QQQ/Gold
 * below 0.03 on 2011-08-08, held from 08-17), or after closes back that did not hold. Listed apart,
 * /history said "broke below 2.5" twice in a row of one fall. An alert and a held break of the same
 * edge and direction with nothing of that edge between them (no held break, no alert) are one move:
 * one line, the alert's close beside it ("alerted <date>, at an earlier close beyond that did not
 * hold" when it came first). So the lines of an edge alternate up and down, as the closes did.
 */
import type { ReplayEvent } from './crossing.ts';
import type { PairId } from './instruments.ts';
import type { Point } from './series.ts';

/** What any line of /history says: a level's event on a date, at a ratio (a replayed break, without its lateness). */
type LevelFact = Omit<ReplayEvent, 'late'>;

/** An event as the store keeps it (store/events.ts LevelEvent has this shape). */
export interface DecidedEvent extends LevelFact {
  /** A break the cooldown held: the day it happened and its ratio (`date`/`value`: the close that sent it). */
  readonly heldSince?: string;
  readonly heldValue?: number;
}

export interface HistoryLine extends LevelFact {
  /** The close the alert came at, when it is not the break's own date; `late` when the cooldown held it. */
  readonly alerted?: { readonly date: string; readonly late: boolean };
  /** A break only the story tells (no event of this install decided it). */
  readonly historic: boolean;
}

/**
 * The first close of the run of closes beyond `edge` (going `direction`) that `date` belongs to:
 * `date` itself when no close before it is beyond; undefined when the close of `date` is not beyond
 * (the event's close was corrected since). A date without a close (an intraday event) belongs to
 * the run of the closes before it.
 */
export function runStart(series: readonly Point[], edge: number, direction: 'up' | 'down', date: string): string | undefined {
  const beyond = (v: number) => (direction === 'up' ? v > edge : v < edge);
  let lo = 0;
  let hi = series.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (series[mid]!.date <= date) lo = mid + 1;
    else hi = mid;
  }
  let i = lo - 1;
  if (i >= 0 && series[i]!.date === date && !beyond(series[i]!.value)) return undefined;
  let start = date;
  for (; i >= 0 && beyond(series[i]!.value); i--) start = series[i]!.date;
  return start;
}

const byDateDesc = (a: HistoryLine, b: HistoryLine): number => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0);
const lineKey = (l: Pick<HistoryLine, 'date' | 'pair' | 'levelId' | 'kind' | 'direction'>): string =>
  `${l.date}|${l.pair}|${l.levelId}|${l.kind}|${l.direction}`;

/**
 * The newest `limit` lines from `events` (newest first, as store/events.ts recent gives them) and
 * the story's `breaks` (by date), each break once. `complete`: `events` are all there are (fewer
 * than were asked for); else older ones may exist, and see historyLines.
 */
export function historyList(
  events: readonly DecidedEvent[],
  breaks: readonly ReplayEvent[],
  series: Readonly<Partial<Record<PairId, readonly Point[]>>>,
  limit: number,
  complete = events.length < limit,
): HistoryLine[] {
  return historyLines(events, breaks, series, limit, complete).lines;
}

/**
 * historyList's lines, and whether they need events older than those given (`needsOlder`). Past
 * the oldest event given, an alert is unknown: a held break it told would be listed as history (no
 * alert of this install: SPX/Gold left the 0.6-0.7 zone upward on 2011-10-10 "(history)" where an
 * install had alerted it at the close of 2011-09-26, ten events back), and an alert would be listed
 * apart from the held break before it. A line needs every event after: for a held break, after the
 * held break before it on its edge (an alert that told it came after that one); for an alert, after
 * the day it stands on and the held break of its direction before it. The caller fetches more
 * until none needs older (store/events.ts recent, chat/commands/reference.ts).
 */
export function historyLines(
  events: readonly DecidedEvent[],
  breaks: readonly ReplayEvent[],
  series: Readonly<Partial<Record<PairId, readonly Point[]>>>,
  limit: number,
  complete: boolean,
): { readonly lines: HistoryLine[]; readonly needsOlder: boolean } {
  const runOf = (e: Pick<DecidedEvent, 'pair' | 'levelId' | 'kind' | 'direction' | 'levelValue' | 'date'>): string | undefined => {
    const start = runStart(series[e.pair] ?? [], e.levelValue, e.direction, e.date);
    return start === undefined ? undefined : `${e.pair}|${e.levelId}|${e.kind}|${e.direction}|${start}`;
  };
  const storyByRun = new Map<string, ReplayEvent>();
  for (const b of breaks) {
    const run = runOf(b);
    if (run !== undefined) storyByRun.set(run, b);
  }
  const edgeOf = (x: Pick<LevelFact, 'pair' | 'levelId' | 'levelValue'>): string => `${x.pair}|${x.levelId}|${x.levelValue}`;
  // Where each decided break stands on its edge: the day it happened (a late one, the day the cooldown held it since).
  const atOf = (e: DecidedEvent): string => e.heldSince ?? e.date;
  const decidedOn = new Map<string, DecidedEvent[]>();
  const heldOn = new Map<string, ReplayEvent[]>();
  for (const e of events) if (e.kind !== 'approach') decidedOn.set(edgeOf(e), [...(decidedOn.get(edgeOf(e)) ?? []), e]);
  for (const b of breaks) heldOn.set(edgeOf(b), [...(heldOn.get(edgeOf(b)) ?? []), b]);
  // `events` are the newest ones (by id, so by the close they were decided at): when there may be more,
  // an older one is dated on or before the oldest of these, and an alert on or before it is unknown.
  const horizon = complete ? '' : (events.map((e) => e.date).sort()[0] ?? '');
  /** The held break of the same edge and direction next to the alert `e`, with nothing of that edge between them. */
  const sameMove = (e: DecidedEvent): ReplayEvent | undefined => {
    const at = atOf(e);
    const held = heldOn.get(edgeOf(e)) ?? [];
    const before = held.filter((b) => b.date <= at).at(-1);
    const after = held.find((b) => b.date > at);
    const between = (from: string, to: string) => (decidedOn.get(edgeOf(e)) ?? []).some((x) => x.direction !== e.direction && atOf(x) > from && atOf(x) < to);
    if (before !== undefined && before.direction === e.direction && before.date >= horizon && !between(before.date, at)) return before;
    if (after !== undefined && after.direction === e.direction && !between(at, after.date)) return after;
    return undefined;
  };
  const told = new Set<ReplayEvent>();
  const lines: HistoryLine[] = [];
  const seen = new Set<string>();
  /** From when on each line needs every event (see historyLines). */
  const need = new Map<HistoryLine, string>();
  const add = (l: HistoryLine, from: string) => {
    // One break decided by two watches (an essay level at a chat's own approach %) is one line.
    if (seen.has(lineKey(l))) return;
    seen.add(lineKey(l));
    lines.push(l);
    need.set(l, from);
  };
  const min = (a: string, b: string) => (a < b ? a : b);
  for (const e of events) {
    const { heldSince: _s, heldValue: _v, ...plain } = e;
    const line = { ...plain, historic: false };
    const b = e.kind === 'approach' ? undefined : (storyByRun.get(runOf(e) ?? '') ?? sameMove(e));
    const late = e.heldSince !== undefined && e.heldValue !== undefined;
    const at = b !== undefined ? { date: b.date, value: b.value } : late ? { date: e.heldSince!, value: e.heldValue! } : { date: e.date, value: e.value };
    if (b !== undefined) told.add(b);
    // An approach stands alone; an alert needs what came since the held break of its direction before it.
    const before = (heldOn.get(edgeOf(e)) ?? []).filter((x) => x.date <= atOf(e)).at(-1);
    const from = e.kind === 'approach' ? '\uffff' : min(min(at.date, atOf(e)), before?.direction === e.direction ? before.date : '\uffff');
    add({ ...line, ...at, ...((late || at.date !== e.date) && { alerted: { date: e.date, late } }) }, from);
  }
  const historic = breaks.filter((b) => !told.has(b) && !seen.has(lineKey(b))).slice(-limit);
  for (const b of historic) {
    // An alert that told it came after the held break before it on its edge (the other way).
    const l: HistoryLine = { ...b, historic: true };
    lines.push(l);
    need.set(l, (heldOn.get(edgeOf(b)) ?? []).filter((x) => x.date < b.date).at(-1)?.date ?? '');
  }
  const shown = lines.sort(byDateDesc).slice(0, limit);
  return { lines: shown, needsOlder: !complete && shown.some((l) => need.get(l)! <= horizon) };
}
