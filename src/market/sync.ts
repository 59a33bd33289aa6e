/**
 * The market service the CLI and the scheduler call: backfill, daily closes, M2 and latest quotes.
 * Every fetch is validated before anything is stored; a source that fails is logged and reported,
 * and one instrument failing never stops the others.
 */
import type { Config } from '../config.ts';
import { addDays, addMonths, dateInZone, daysBetween } from '../domain/dates.ts';
import { INSTRUMENT_INFO, type InstrumentId } from '../domain/instruments.ts';
import type { Logger } from '../log.ts';
import type { CloseRow, QuoteStore } from '../store/quotes.ts';
import { resolveSources, SOURCE_FACTORIES, withFailover, type SourceChains } from './failover.ts';
import { meterSources, type FetchObserver } from './metered.ts';
import { createHttpClient, type Sleep } from './http.ts';
import type { QuoteSource, SourceFactory } from './source.ts';
import { confirms, validateSeries, type HeldRow } from './validate.ts';
import { fetchLatestQuote, MARKET_ZONE, type LatestReport, type LatestResult } from './latest.ts';

/** Re-fetch this many days before the last stored close so late revisions land (upserts are idempotent). */
export const OVERLAP_DAYS = 7;
/** M2 is revised for months after release: re-fetch this many months. */
export const M2_OVERLAP_MONTHS = 6;
/** syncDaily looks back this far: covers a long weekend plus a missed run or two. */
export const DAILY_LOOKBACK_DAYS = 10;
const DAILY: readonly InstrumentId[] = ['spx', 'qqq', 'gold'];
/** Holds older than this were outside every later fetch window and are dropped unconfirmed. */
export const HOLD_EXPIRY_DAYS = 30;
export const HOLD_EXPIRY_MONTHS = 12;

export interface InstrumentSync {
  readonly instrument: InstrumentId;
  readonly ok: boolean;
  /** The source whose rows were stored. */
  readonly source: string | undefined;
  readonly from: string;
  readonly to: string;
  readonly fetched: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Rows held back as implausible moves, waiting for confirmation. */
  readonly held: number;
  /** Rows refused (not a number, not positive, implausible, in the future). */
  readonly rejected: number;
  /** One line per failed source, then held/rejected reasons. */
  readonly errors: readonly string[];
}

export interface SyncReport {
  readonly ok: boolean;
  readonly instruments: readonly InstrumentSync[];
}

export type { LatestReport, LatestResult } from './latest.ts';

export interface Market {
  /** Fills every instrument: from BACKFILL_FROM when empty, otherwise only what is missing (plus a small overlap). */
  backfill(signal?: AbortSignal): Promise<SyncReport>;
  /** Recent daily closes (last ~10 days) of spx, qqq and gold. */
  syncDaily(signal?: AbortSignal): Promise<SyncReport>;
  /** M2: what is missing, plus a few months so revisions land. */
  syncM2(signal?: AbortSignal): Promise<SyncReport>;
  /** Latest intraday quotes into store.setLatestQuote. M2 has none and is reported 'unsupported'. */
  fetchLatest(instruments: readonly InstrumentId[], signal?: AbortSignal): Promise<LatestReport>;
  /** The usable source names per instrument, in order (for `status`). */
  readonly sources: Readonly<Record<InstrumentId, readonly string[]>>;
}

export interface MarketOptions {
  /** The clock (ms). Defaults to Date.now. */
  readonly now?: () => number;
  /** Backoff sleep; tests pass one that returns at once. */
  readonly sleep?: Sleep;
  readonly factories?: Readonly<Record<string, SourceFactory>>;
  /** Told of every fetch (ok or failed): the metrics. */
  readonly onFetch?: FetchObserver;
}

export function createMarket(config: Config, store: QuoteStore, log: Logger, opts: MarketOptions = {}): Market {
  const now = opts.now ?? Date.now;
  const http = createHttpClient({
    timeoutMs: config.httpTimeoutMs,
    retries: config.httpRetries,
    backoffMs: config.httpBackoffMs,
    log,
    now,
    ...(opts.sleep === undefined ? {} : { sleep: opts.sleep }),
  });
  const chains: SourceChains = meterSources(resolveSources(config, { config, http, now }, log, opts.factories ?? SOURCE_FACTORIES), opts.onFetch);
  const today = () => dateInZone(new Date(now()), MARKET_ZONE);
  const latestDeps = { chains, store, log, now, maxMovePct: config.maxMovePct };

  /**
   * Fetches [from, to] from the first source that answers and stores it. When that source's data
   * starts well after `from` (GC=F starts 2000-08-30; the essay's 2000 peak is before it), the later
   * sources are asked for the head it lacks, as gap-fillers.
   */
  async function syncRange(instrument: InstrumentId, from: string, to: string, signal?: AbortSignal): Promise<InstrumentSync> {
    const sources = chains[instrument];
    const r = await syncRangeOnce(instrument, sources, from, to, signal, false);
    const used = sources.findIndex((x) => x.name === r.sync.source);
    const rest = used < 0 ? [] : sources.slice(used + 1);
    const firstFetched = r.firstDate ?? to;
    if (!r.sync.ok || rest.length === 0 || daysBetween(from, firstFetched) <= OVERLAP_DAYS || signal?.aborted) return r.sync;
    const headTo = addDays(firstFetched, -1);
    const head = await syncRangeOnce(instrument, rest, from, headTo, signal, true);
    if (!head.sync.ok) {
      log.warn(`${instrument}: ${r.sync.source} has nothing before ${firstFetched} and no other source filled ${from}..${headTo}`);
      return r.sync;
    }
    return mergeSync(head.sync, r.sync);
  }

  async function syncRangeOnce(
    instrument: InstrumentId,
    sources: readonly QuoteSource[],
    from: string,
    to: string,
    signal: AbortSignal | undefined,
    gapFillOnly: boolean,
  ): Promise<{ sync: InstrumentSync; firstDate: string | undefined }> {
    const base = { instrument, from, to };
    const result = await withFailover(instrument, sources, (s) => s.history(instrument, from, to, signal), log, signal);
    if (!result.ok) {
      const errors = result.failures.map((f) => f.error);
      if (errors.length === 0) errors.push(`${instrument}: fetch aborted`);
      return { firstDate: undefined, sync: { ...base, ok: false, source: undefined, fetched: 0, inserted: 0, updated: 0, unchanged: 0, held: 0, rejected: 0, errors } };
    }
    const source = result.source;
    let rows = result.value;
    const firstDate = rows[0]?.date;
    const errors = result.failures.map((f) => f.error);

    // A fallback source only fills gaps: it must not overwrite the primary's closes (GC=F and the
    // LBMA fix differ by up to a few %). When the primary is back, its overlap re-fetch wins again.
    if (gapFillOnly || source !== chains[instrument][0]) {
      const have = new Set(store.closes(instrument, from, to).map((p) => p.date));
      rows = rows.filter((r) => !have.has(r.date));
    }

    const previous = store.closes(instrument, addDays(from, -40), addDays(from, -1)).at(-1)?.value;
    const held = new Map(store.heldQuotes(instrument).map((h) => [h.date, h.price]));
    const verdict = validateSeries(rows, { instrument, today: today(), previous, held, maxMovePct: config.maxMovePct });

    let stillHeld: HeldRow[] = verdict.held;
    const accepted = [...verdict.accepted];
    const released = [...verdict.confirmed];
    if (stillHeld.length > 0) {
      const confirmed = await confirmWithOthers(instrument, stillHeld, source, signal);
      accepted.push(...confirmed.map((h) => h.row));
      released.push(...confirmed.map((h) => h.row.date));
      stillHeld = stillHeld.filter((h) => !confirmed.includes(h));
      accepted.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    }

    const counts = store.upsertCloses(instrument, accepted, new Date(now()));
    for (const date of released) store.releaseHeld(instrument, date);
    for (const h of stillHeld) {
      store.holdQuote(instrument, h.row.date, h.row.close, h.row.source, new Date(now()));
      log.warn(h.reason);
      errors.push(h.reason);
    }
    // A hold older than any later fetch will look at can never be confirmed: say so once and drop it.
    const expiry = INSTRUMENT_INFO[instrument].frequency === 'monthly' ? addMonths(today(), -HOLD_EXPIRY_MONTHS) : addDays(today(), -HOLD_EXPIRY_DAYS);
    for (const [date, price] of held) {
      if (date < expiry && !released.includes(date)) {
        store.releaseHeld(instrument, date);
        log.warn(`${instrument} ${date} ${price} was held and never confirmed; dropped`);
      }
    }
    for (const r of verdict.rejected.slice(0, 5)) log.warn(`${r.reason} (from ${r.row.source}); not stored`);
    if (verdict.rejected.length > 5) log.warn(`${instrument}: ${verdict.rejected.length - 5} more rows rejected`);
    errors.push(...verdict.rejected.map((r) => `${r.reason} (from ${r.row.source})`));
    log.info(
      `${instrument} ${from}..${to} from ${source.name}: ${rows.length} rows, ${counts.inserted} new, ${counts.updated} updated` +
        (stillHeld.length > 0 ? `, ${stillHeld.length} held` : '') +
        (verdict.rejected.length > 0 ? `, ${verdict.rejected.length} rejected` : ''),
    );
    return {
      firstDate,
      sync: {
        ...base,
        ok: true,
        source: source.name,
        fetched: rows.length,
        ...counts,
        held: stillHeld.length,
        rejected: verdict.rejected.length,
        errors,
      },
    };
  }

  /** Asks the other sources for the held dates; a price within tolerance confirms the held one. */
  async function confirmWithOthers(instrument: InstrumentId, held: HeldRow[], used: QuoteSource, signal?: AbortSignal): Promise<HeldRow[]> {
    const others = chains[instrument].filter((s) => s !== used);
    const dates = held.map((h) => h.row.date);
    const from = dates[0]!;
    const to = dates.at(-1)!;
    const confirmed: HeldRow[] = [];
    for (const other of others) {
      if (signal?.aborted) break;
      let rows: CloseRow[];
      try {
        rows = await other.history(instrument, from, to, signal);
      } catch (e) {
        log.warn(`could not confirm ${instrument} with ${other.name}: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      const byDate = new Map(rows.map((r) => [r.date, r.close]));
      for (const h of held) {
        const second = byDate.get(h.row.date);
        if (!confirmed.includes(h) && second !== undefined && confirms(h.row.close, second)) {
          log.info(`${instrument} ${h.row.date} ${h.row.close} from ${h.row.source} confirmed by ${other.name} (${second})`);
          confirmed.push(h);
        }
      }
      if (confirmed.length === held.length) break;
    }
    return confirmed;
  }

  async function each(
    instruments: readonly InstrumentId[],
    ranges: (i: InstrumentId) => readonly { from: string; to: string }[],
    signal?: AbortSignal,
  ): Promise<SyncReport> {
    const out: InstrumentSync[] = [];
    for (const instrument of instruments) {
      let merged: InstrumentSync | undefined;
      for (const { from, to } of ranges(instrument)) {
        let one: InstrumentSync;
        try {
          one = await syncRange(instrument, from, to, signal);
        } catch (e) {
          // A bug or a failed database write for one instrument must not stop the others.
          const error = `${instrument}: ${e instanceof Error ? e.message : String(e)}`;
          log.error(`sync of ${error}`);
          one = { instrument, ok: false, source: undefined, from, to, fetched: 0, inserted: 0, updated: 0, unchanged: 0, held: 0, rejected: 0, errors: [error] };
        }
        merged = merged === undefined ? one : mergeSync(merged, one);
      }
      if (merged !== undefined) out.push(merged);
    }
    return { ok: out.every((r) => r.ok), instruments: out };
  }

  /**
   * What a backfill asks for: everything from BACKFILL_FROM when empty; otherwise from the last date
   * minus an overlap, plus the head when the stored history starts late (a store that syncDaily
   * filled first, or a source that failed on the first backfill). A source whose data really starts
   * later (GC=F: 2000-08-30) answers that head request with no rows: one cheap request.
   */
  function backfillRanges(instrument: InstrumentId): { from: string; to: string }[] {
    const to = today();
    const monthly = INSTRUMENT_INFO[instrument].frequency === 'monthly';
    // M2 is dated the 1st: the month of BACKFILL_FROM already covers its first days.
    const start = monthly ? `${config.backfillFrom.slice(0, 7)}-01` : config.backfillFrom;
    const last = store.lastClose(instrument);
    if (last === undefined) return [{ from: start, to }];
    const tailFrom = monthly ? addMonths(last.date, -M2_OVERLAP_MONTHS) : addDays(last.date, -OVERLAP_DAYS);
    const first = store.closes(instrument, start, to)[0]?.date;
    const headCovered = first === undefined || first <= (monthly ? addMonths(start, 1) : addDays(start, OVERLAP_DAYS));
    if (headCovered) return [{ from: tailFrom, to }];
    const headTo = addDays(first, -1);
    return headTo >= tailFrom ? [{ from: start, to }] : [{ from: start, to: headTo }, { from: tailFrom, to }];
  }

  return {
    sources: Object.fromEntries(Object.entries(chains).map(([i, list]) => [i, list.map((s) => s.name)])) as Record<InstrumentId, string[]>,

    backfill: (signal) => each(['spx', 'qqq', 'gold', 'm2'], backfillRanges, signal),

    syncDaily: (signal) => each(DAILY, () => [{ from: addDays(today(), -DAILY_LOOKBACK_DAYS), to: today() }], signal),

    syncM2: (signal) => each(['m2'], backfillRanges, signal),

    async fetchLatest(instruments, signal) {
      const quotes: LatestResult[] = [];
      for (const instrument of instruments) {
        try {
          quotes.push(await fetchLatestQuote(latestDeps, instrument, signal));
        } catch (e) {
          const error = `${instrument}: ${e instanceof Error ? e.message : String(e)}`;
          log.error(`latest quote of ${error}`);
          quotes.push({ instrument, status: 'failed', quote: undefined, error });
        }
      }
      return { ok: quotes.every((q) => q.status === 'stored' || q.status === 'unsupported'), quotes };
    },
  };
}

/** Two fetches of one instrument (head and tail of a backfill) reported as one. */
function mergeSync(a: InstrumentSync, b: InstrumentSync): InstrumentSync {
  return {
    instrument: a.instrument,
    ok: a.ok && b.ok,
    source: a.source !== undefined && b.source !== undefined && a.source !== b.source ? `${a.source}+${b.source}` : (b.source ?? a.source),
    from: a.from,
    to: b.to,
    fetched: a.fetched + b.fetched,
    inserted: a.inserted + b.inserted,
    updated: a.updated + b.updated,
    unchanged: a.unchanged + b.unchanged,
    held: a.held + b.held,
    rejected: a.rejected + b.rejected,
    errors: [...a.errors, ...b.errors],
  };
}
