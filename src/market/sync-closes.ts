/**
 * Syncing the closes of one instrument over a date range: fetch (fetch-closes.ts) → accept
 * (domain/acceptance.ts) → write (write-closes.ts), and the report of what happened.
 */
import { expiredHolds, validateSeries, type HeldRow, type SecondOpinion } from '../domain/acceptance.ts';
import type { CloseRow } from '../domain/close-row.ts';
import { daysToFill } from '../domain/fill-days.ts';
import { addDays } from '../domain/dates.ts';
import { repeatsLine, weighRepeats, type Repeat } from '../domain/repeated-closes.ts';
import type { InstrumentId } from '../domain/instruments.ts';
import type { Logger } from '../log.ts';
import type { QuoteStore } from '../store/quotes.ts';
import type { AbsentDayStore } from '../store/absent-days.ts';
import { oneLine } from '../one-line.ts';
import type { SourceChains } from './failover.ts';
import { fetchCloses, secondOpinions } from './fetch-closes.ts';
import { missingHead, type DateRange } from './plan.ts';
import type { QuoteSource } from './source.ts';
import { writeCloses } from './write-closes.ts';

export interface InstrumentSync {
  readonly instrument: InstrumentId;
  readonly ok: boolean;
  /** The source whose rows were stored. */
  readonly source: string | undefined;
  readonly from: string;
  readonly to: string;
  /** Rows the source gave (those filled from another source not among them). */
  readonly fetched: number;
  /** The source's own rows written new, updated or left as they were. */
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  /**
   * Rows written (new or updated) from another source of the instrument, by source: the days the
   * source lacked or priced impossibly (domain/fill-days.ts), or whose move another source disputed.
   * Absent when none.
   */
  readonly filled?: Readonly<Record<string, number>>;
  /** Rows held back as implausible moves, waiting for confirmation. */
  readonly held: number;
  /** Rows refused (not a number, not positive, implausible, in the future). */
  readonly rejected: number;
  /** One line per failed source, then held/rejected reasons. */
  readonly errors: readonly string[];
  /** Gold rows stored that repeat the close before them to the cent (domain/repeated-closes.ts): kept, said. */
  readonly repeated?: readonly Repeat[];
  /**
   * The rest of a range a source answered in part (a window refused) that no source gave after it:
   * kept by the market (store/unfetched.ts) and asked again by the next backfill, where the stored
   * closes around it would hide it. Absent when none.
   */
  readonly unfetched?: readonly DateRange[];
}

export interface SyncReport {
  readonly ok: boolean;
  readonly instruments: readonly InstrumentSync[];
}

export interface SyncDeps {
  readonly chains: SourceChains;
  readonly store: QuoteStore;
  readonly log: Logger;
  readonly maxMovePct: number;
  /** HOLD_CONFIRM_MINUTES in ms (domain/acceptance.ts repeatTooSoon). */
  readonly confirmAfterMs?: number;
  /**
   * The days other sources were asked to fill and did not have (per source: when, and whether it had
   * later days): not asked again every sync, and said once. One map per market (createMarket).
   */
  readonly absent?: Map<string, AbsentDay>;
  /**
   * Where that memory is kept (store/absent-days.ts, migration 025): read before the days are asked,
   * written after, so a restart (or another replica) does not ask again for days a source never has.
   * Without it, or while it cannot be read, the map alone.
   */
  readonly absentStore?: AbsentDayStore;
  /** The level of each sync's one line (MarketOptions.progress): info unless the caller reports it itself. */
  readonly progress?: 'info' | 'debug';
}

/**
 * Fetches [from, to] from the first source that answers and stores it. When that source's data
 * starts well after `from`, the later sources are asked for the head it lacks, as gap-fillers.
 */
export async function syncCloses(
  deps: SyncDeps,
  instrument: InstrumentId,
  range: DateRange,
  today: string,
  nowMs: number,
  signal?: AbortSignal,
): Promise<InstrumentSync> {
  const sources = deps.chains[instrument];
  const ask: SyncAsk = { instrument, sources, range, today, nowMs, signal };
  const r = await completed(deps, ask);
  const used = sources.findIndex((x) => x.name === r.usedFirst);
  const rest = used < 0 ? [] : sources.slice(used + 1);
  // No rows at all: the head is the whole range, its last day included.
  const head = missingHead(range.from, r.firstDate ?? addDays(range.to, 1));
  if (!r.sync.ok || rest.length === 0 || head === undefined || signal?.aborted) return r.sync;
  // Its sources never include the chain's first: each only fills days missing (syncOnce), as a fallback does.
  const h = await completed(deps, { ...ask, sources: rest, range: head });
  if (!h.sync.ok && h.sync.inserted + h.sync.updated === 0) {
    // Nothing of the head fetched: the range is not done, and its report says so (not ok, the head
    // named), or every reader (the close run's line, backfill's exit code) would call it synced.
    const left = h.sync.unfetched ?? [head];
    const lacks =
      r.firstDate === undefined ? `${r.sync.source} has nothing in ${range.from}..${range.to}` : `${r.sync.source} has nothing before ${r.firstDate}`;
    // Cut by a stop while the other sources were asked: none failed, and the head is kept (unfetched) for the next sync.
    if (signal?.aborted) {
      const stopped = `${instrument} ${rangesText(left)} stopped before it was fetched (${lacks}); asked again at the next sync`;
      deps.log.info(stopped);
      return { ...r.sync, ok: false, errors: [...r.sync.errors, stopped, ...h.sync.errors], unfetched: [...left, ...(r.sync.unfetched ?? [])] };
    }
    deps.log.warn(`${instrument}: ${lacks} and no other source filled ${head.from}..${head.to}`);
    const why = `${instrument} ${rangesText(left)} not fetched (${lacks})`;
    return { ...r.sync, ok: false, errors: [...r.sync.errors, why, ...h.sync.errors], unfetched: [...left, ...(r.sync.unfetched ?? [])] };
  }
  return mergeSync(h.sync, r.sync);
}

/**
 * syncOnce, and when a source answered the range's start only (a window of its history refused):
 * what it gave is stored, and the rest is asked of it again and the sources after it (those before
 * it failed already), until the range is done or nothing more comes.
 */
async function completed(deps: SyncDeps, ask: SyncAsk): Promise<Synced & { readonly usedFirst: string | undefined }> {
  const { instrument, sources, range, signal } = ask;
  const r = await syncOnce(deps, ask);
  const usedFirst = r.usedLast;
  for (let through = r.through; through !== undefined && through < range.to; ) {
    const left = { from: addDays(through, 1), to: range.to };
    if (signal?.aborted) {
      // Stopped with the rest not asked: what was fetched is stored, the range is not done.
      r.sync = { ...r.sync, ok: false, errors: [...r.sync.errors, `${instrument}: ${left.from}..${left.to} not fetched: aborted`], unfetched: [left] };
      break;
    }
    const from = sources.findIndex((x) => x.name === r.usedLast);
    const rest = await syncOnce(deps, { ...ask, sources: sources.slice(Math.max(0, from)), range: left });
    r.sync = mergeSync(r.sync, rest.sync);
    r.usedLast = rest.usedLast ?? r.usedLast;
    const done = rest.sync.ok && rest.through === undefined;
    through = rest.through !== undefined && rest.through > through ? rest.through : undefined;
    // The rest refused too: a gap between the rows stored and the next ones, which the plan would not see.
    if (through === undefined && !done) r.sync = { ...r.sync, unfetched: [left] };
  }
  return { ...r, usedFirst };
}

interface Synced {
  sync: InstrumentSync;
  readonly firstDate: string | undefined;
  /** The source whose rows were stored last. */
  usedLast: string | undefined;
  /** Its answer stopped at this day (fetch-closes.ts Fetched.through): the rest of the range is still to ask. */
  readonly through?: string;
}

/**
 * What one sync of an instrument asks (syncCloses' main range, or the head it lacks): of which sources, which
 * days, on which today and at which moment. Whether a source's rows overwrite stored ones is its place in
 * the chain's (the first's do, the others only fill gaps), whichever part of a sync asks it.
 */
interface SyncAsk {
  readonly instrument: InstrumentId;
  readonly sources: readonly QuoteSource[];
  readonly range: DateRange;
  readonly today: string;
  readonly nowMs: number;
  readonly signal: AbortSignal | undefined;
}

async function syncOnce(deps: SyncDeps, ask: SyncAsk): Promise<Synced> {
  const { instrument, sources, range, today, nowMs, signal } = ask;
  const { store, log, chains } = deps;
  const { from, to } = range;
  const base = { instrument, from, to };
  const fetched = await fetchCloses(instrument, sources, range, log, signal);
  if (!fetched.ok) {
    return {
      firstDate: undefined,
      usedLast: undefined,
      sync: { ...base, ok: false, source: undefined, fetched: 0, inserted: 0, updated: 0, unchanged: 0, held: 0, rejected: 0, errors: fetched.errors },
    };
  }
  const { source, errors } = fetched;
  let rows = fetched.rows;
  let own = rows.length;
  const firstDate = rows[0]?.date;

  // A fallback source only fills gaps: it must not overwrite the primary's closes (GC=F and the
  // LBMA fix differ by up to a few %). When the primary is back, its overlap re-fetch wins again.
  if (source !== chains[instrument][0]) {
    const have = new Set((await store.closes(instrument, from, to)).map((p) => p.date));
    rows = rows.filter((r) => !have.has(r.date));
    own = rows.length;
  }

  const previous = (await store.closes(instrument, addDays(from, -40), addDays(from, -1))).at(-1)?.value;
  const holds = await store.heldQuotes(instrument);
  const heldBefore = new Map(holds.map((h) => [h.date, h.price]));
  // A hold stamped with this run's moment was written by this run (an earlier range of a backfill, or
  // the main range before its head): new, it is not the one that expired.
  const thisRun = new Date(nowMs).toISOString();
  const older = new Map(holds.filter((h) => h.heldAt !== thisRun).map((h) => [h.date, h.price]));
  const heldAt = new Map(holds.map((h) => [h.date, Date.parse(h.heldAt)]));
  const ctx = { instrument, today, nowMs, previous, held: heldBefore, heldAt, maxMovePct: deps.maxMovePct, confirmAfterMs: deps.confirmAfterMs ?? 0 };
  let verdict = validateSeries(rows, ctx);
  // A move beyond MAX_MOVE_PCT: the other sources are asked about its days and those after it (a
  // wrong level persists in its source: the next days "confirm" it), and judged again with their prices.
  const others = chains[instrument].filter((s) => s !== source);
  const firstJump = verdict.jumped[0];
  let jumpOpinions: Map<string, SecondOpinion[]> | undefined;
  if (firstJump !== undefined && others.length > 0) {
    jumpOpinions = await secondOpinions(instrument, { from: firstJump, to: rows.at(-1)!.date }, verdict.jumped, others, log, signal);
    verdict = validateSeries(rows, { ...ctx, others: jumpOpinions });
    for (const s of verdict.seconded) log.info(`${instrument} ${s.row.date} ${s.row.close} from ${s.row.source} confirmed by ${s.by.source} (${s.by.price})`);
  }
  // A day whose price the source gave was refused as impossible (Yahoo's gold at 0) or left out (a
  // null close): another source's close for it is stored, as a fallback's fills a gap, and judged
  // with the rest (plausible, in line with the closes around it).
  const filled = new Map<string, { why: string; row: CloseRow }>();
  // Only for the first source: a fallback answering means it failed, and it is not asked again here.
  if (source === chains[instrument][0] && others.length > 0 && !signal?.aborted) {
    const stored = new Set((await store.closes(instrument, from, to)).map((p) => p.date));
    const absent = deps.absent ?? new Map<string, AbsentDay>();
    const kept = await loadAbsent(deps, instrument, absent);
    const lacked: { date: string; source: string; askedMs: number; later: boolean }[] = [];
    const found: string[] = [];
    // Each day asked only of the sources that may have it: not closed that day (LBMA on an English bank
    // holiday), not found without it lately (absentDue). A day no source may have is not asked at all.
    const due = (s: QuoteSource, date: string) =>
      s.closedOn?.(instrument, date) === undefined && absentDue(absent.get(absentKey(instrument, date, s.name)), nowMs);
    const fill = daysToFill(instrument, rows, stored, nowMs).filter((f) => others.some((s) => due(s, f.date)));
    if (fill.length > 0) {
      const asking = others.filter((s) => fill.some((f) => due(s, f.date)));
      const answered = new Map<string, string | undefined>();
      const opinions = await secondOpinions(
        instrument,
        { from: fill[0]!.date, to },
        fill.map((f) => f.date),
        asking,
        log,
        signal,
        answered,
      );
      for (const f of fill) {
        const by = opinions.get(f.date)?.find((o) => due(asking.find((s) => s.name === o.source)!, f.date));
        if (by !== undefined) {
          filled.set(f.date, { why: f.why, row: { date: f.date, close: by.price, source: by.source } });
          for (const s of asking) absent.delete(absentKey(instrument, f.date, s.name));
          found.push(f.date);
          continue;
        }
        // None of those asked has the day: remembered per source, with when and whether it had later days,
        // and said once (asked again on absentDue's schedule, quietly).
        const lacking = asking.filter((s) => due(s, f.date) && answered.has(s.name));
        if (lacking.length === 0) continue;
        const first = lacking.every((s) => !absent.has(absentKey(instrument, f.date, s.name)));
        for (const s of lacking) {
          const last = answered.get(s.name);
          const day = { askedMs: nowMs, later: last !== undefined && last > f.date };
          absent.set(absentKey(instrument, f.date, s.name), day);
          lacked.push({ date: f.date, source: s.name, ...day });
        }
        const names = lacking.length === 1 ? `${lacking[0]!.name} has none either` : `neither ${lacking.map((s) => s.name).join(' nor ')} has it`;
        const line = `${instrument} ${f.date}: ${f.why}, and ${names}; asked again ${absentAgainText(lacking.map((s) => absent.get(absentKey(instrument, f.date, s.name))!))}`;
        if (first) log.warn(line);
        else log.debug(line);
      }
      // Forget the days past the look-back: they are not asked again.
      for (const [key, a] of absent) if (a.askedMs < nowMs - ABSENT_FORGET_MS) absent.delete(key);
      if (kept && deps.absentStore !== undefined) {
        // Not written: the next start asks again, as before the memory was kept.
        await deps.absentStore
          .update(instrument, { lacked, found, forgetBefore: nowMs - ABSENT_FORGET_MS })
          .catch((e: unknown) => log.debug(`${instrument}: the days sources lack were not kept (${oneLine(e)})`));
      }
    }
    if (filled.size > 0) {
      rows = [...rows, ...[...filled.values()].map((f) => f.row)].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
      verdict = validateSeries(rows, { ...ctx, ...(jumpOpinions === undefined ? {} : { others: jumpOpinions }) });
    }
  }
  const held: HeldRow[] = verdict.held;
  const accepted = verdict.accepted;
  // One line a day filled: the refusal's own line names the close stored instead, else a line says it.
  let rejected = verdict.rejected;
  for (const a of accepted) {
    const f = filled.get(a.date);
    if (f === undefined || f.row !== a) continue;
    const instead = `${a.source} has ${a.close}, stored instead`;
    const i = rejected.findIndex((r) => r.row.date === a.date && r.row !== a);
    if (i >= 0) rejected = rejected.map((r, j) => (j === i ? { row: r.row, reason: `${r.reason}, where ${instead}` } : r));
    else log.warn(`${instrument} ${a.date}: ${f.why}; ${instead}`);
  }
  const released = verdict.confirmed;
  const expired = expiredHolds(instrument, older, [...released, ...held.map((h) => h.row.date)], today);

  const written = await writeCloses(store, log, instrument, { accepted, released, held, expired, rejected }, nowMs);
  // Rows of other sources (filled, or stored instead of a disputed move) are counted apart from the source's own.
  const filledBy: Record<string, number> = {};
  let counts = { inserted: written.inserted, updated: written.updated, unchanged: written.unchanged };
  for (const [name, n] of written.written) {
    if (name === source.name) continue;
    filledBy[name] = n.inserted + n.updated;
    counts = { ...counts, inserted: counts.inserted - n.inserted, updated: counts.updated - n.updated };
  }
  const filledN = Object.keys(filledBy).length > 0 ? { filled: filledBy } : {};
  errors.push(...held.map((h) => h.reason));
  errors.push(...rejected.map((r) => `${r.reason} (from ${r.row.source})`));
  // A source that carried gold's price over a missed day: said (one line per run), not refused.
  const repeated = instrument === 'gold' ? weighRepeats(accepted, previous) : [];
  log[deps.progress ?? 'info'](
    `${instrument} ${from}..${to} from ${source.name}: ${own} rows, ${counts.inserted} new, ${counts.updated} updated` +
      (filledN.filled === undefined ? '' : `, ${filledText(filledN.filled)}`) +
      (held.length > 0 ? `, ${held.length} held` : '') +
      (verdict.rejected.length > 0 ? `, ${verdict.rejected.length} rejected` : '') +
      (repeated.length > 0 ? `, ${repeatedText(repeated)}` : ''),
  );
  return {
    firstDate,
    usedLast: source.name,
    ...(fetched.through === undefined ? {} : { through: fetched.through }),
    sync: {
      ...base,
      ok: true,
      source: source.name,
      fetched: own,
      ...counts,
      ...filledN,
      held: held.length,
      rejected: verdict.rejected.length,
      errors,
      ...(repeated.length > 0 ? { repeated } : {}),
    },
  };
}

/** A day a source was asked for and did not have: when, and whether it had later days then (its answer is settled). */
export interface AbsentDay {
  readonly askedMs: number;
  readonly later: boolean;
}

/** A source that had later days but not this one is asked again once a day (a late correction); one without later days yet every hour (the fix not published yet). */
export const ABSENT_AGAIN_LATER_MS = 24 * 3_600_000;
export const ABSENT_AGAIN_SOON_MS = 3_600_000;
/** Past the daily look-back (10 days) a day is no longer asked: its memory goes. */
const ABSENT_FORGET_MS = 14 * 86_400_000;

/**
 * The stored memory of `instrument`'s days (another process's, a restart's) as the map's entries for
 * it; false when there is none or it cannot be read (then the map alone, as it was).
 */
async function loadAbsent(deps: SyncDeps, instrument: InstrumentId, absent: Map<string, AbsentDay>): Promise<boolean> {
  if (deps.absentStore === undefined) return false;
  let rows: Awaited<ReturnType<AbsentDayStore['load']>>;
  try {
    rows = await deps.absentStore.load(instrument);
  } catch (e) {
    deps.log.debug(`${instrument}: the days sources lack could not be read (${oneLine(e)}); asked as this process remembers`);
    return false;
  }
  for (const key of absent.keys()) if (key.startsWith(`${instrument} `)) absent.delete(key);
  for (const r of rows) absent.set(absentKey(instrument, r.date, r.source), { askedMs: r.askedMs, later: r.later });
  return true;
}

export function absentKey(instrument: InstrumentId, date: string, source: string): string {
  return `${instrument} ${date} ${source}`;
}

/** Whether a day a source lacked is due to be asked again. */
export function absentDue(a: AbsentDay | undefined, nowMs: number): boolean {
  return a === undefined || nowMs - a.askedMs >= (a.later ? ABSENT_AGAIN_LATER_MS : ABSENT_AGAIN_SOON_MS);
}

function absentAgainText(days: readonly AbsentDay[]): string {
  return days.every((d) => d.later) ? 'once a day while it is in the look-back' : 'every hour until its later days arrive';
}

/** A failed sync of one instrument (a bug or a failed write), reported like a failed fetch. */
export function failedSync(instrument: InstrumentId, range: DateRange, error: string): InstrumentSync {
  return { instrument, ok: false, source: undefined, ...range, fetched: 0, inserted: 0, updated: 0, unchanged: 0, held: 0, rejected: 0, errors: [error] };
}

/**
 * The sources of two fetches, each named once: a head already "lbma+yahoo" (gold before its first
 * stored close) and a tail from yahoo read "lbma+yahoo+yahoo".
 */
function joinSources(a: string | undefined, b: string | undefined): string | undefined {
  const names = [...new Set([a, b].flatMap((s) => (s === undefined ? [] : s.split('+'))))];
  return names.length === 0 ? undefined : names.join('+');
}

/** Two fetches of one instrument (head and tail of a backfill) reported as one. */
export function mergeSync(a: InstrumentSync, b: InstrumentSync): InstrumentSync {
  return {
    instrument: a.instrument,
    ok: a.ok && b.ok,
    source: joinSources(a.source, b.source),
    from: a.from,
    to: b.to,
    fetched: a.fetched + b.fetched,
    inserted: a.inserted + b.inserted,
    updated: a.updated + b.updated,
    unchanged: a.unchanged + b.unchanged,
    held: a.held + b.held,
    rejected: a.rejected + b.rejected,
    ...mergeFilled(a.filled, b.filled),
    // The head and the tail refused alike (a source unreachable) read as one answer, not the same words twice.
    errors: [...new Set([...a.errors, ...b.errors])],
    ...(a.repeated !== undefined || b.repeated !== undefined ? { repeated: [...(a.repeated ?? []), ...(b.repeated ?? [])] } : {}),
    ...(a.unfetched !== undefined || b.unfetched !== undefined ? { unfetched: [...(a.unfetched ?? []), ...(b.unfetched ?? [])] } : {}),
  };
}

/** "1999-03-10..2019-12-31, 2021-01-04..2021-02-01": ranges as every report says them. */
export function rangesText(ranges: readonly DateRange[]): string {
  return ranges.map((r) => `${r.from}..${r.to}`).join(', ');
}

/** The report's words for gold's repeated rows (domain/repeated-closes.ts repeatsLine). */
export function repeatedText(repeats: readonly Repeat[]): string {
  return repeatsLine(repeats);
}

function mergeFilled(a: Readonly<Record<string, number>> | undefined, b: Readonly<Record<string, number>> | undefined): { filled?: Record<string, number> } {
  if (a === undefined && b === undefined) return {};
  const out: Record<string, number> = { ...a };
  for (const [name, n] of Object.entries(b ?? {})) out[name] = (out[name] ?? 0) + n;
  return { filled: out };
}

/** The rows filled from other sources, as every count of a sync says them: `2 filled from lbma`, `1 filled from lbma, 1 from twelvedata`. */
export function filledText(filled: Readonly<Record<string, number>> | undefined): string {
  const parts = Object.entries(filled ?? {}).filter(([, n]) => n > 0);
  return parts.map(([name, n], i) => `${n} ${i === 0 ? 'filled ' : ''}from ${name}`).join(', ');
}
