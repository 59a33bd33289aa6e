/**
 * The market the CLI and the scheduled jobs call: backfill, daily closes, M2 and latest quotes.
 * Wiring only: what to fetch is plan.ts, one instrument's sync is sync-closes.ts, a latest quote is
 * latest.ts, and whether a price is accepted is domain/acceptance.ts. Every fetch is validated before
 * anything is stored; one instrument failing never stops the others.
 */
import { AbsentDayStore } from '../store/absent-days.ts';
import { SourceCreditStore } from '../store/source-credits.ts';
import { UnfetchedStore } from '../store/unfetched.ts';
import type { Config } from '../config.ts';
import type { InstrumentId } from '../domain/instruments.ts';
import { tradingDate } from '../domain/nyse-calendar.ts';
import type { Logger } from '../log.ts';
import type { QuoteStore } from '../store/quotes.ts';
import { oneLine } from '../one-line.ts';
import { resolveSources, SOURCE_FACTORIES, type SourceChains } from './failover.ts';
import { meterSources, type FetchObserver } from './metered.ts';
import { backoffDelay, createHttpClient, retriesBoundMs, type Sleep } from './http.ts';
import { waitAgenda } from './agenda.ts';
import { CreditBudget, MemoryLedger, type CreditPlan } from './credits.ts';
import { fredRefusal } from './fred.ts';
import { twelveDataRefusal } from './twelvedata.ts';
import { fetchLatestQuote, type LatestReport, type LatestResult } from './latest.ts';
import { ALL, backfillRanges, DAILY, dailyRanges, joinRanges, stillUnfetched, type DateRange, type Stored } from './plan.ts';
import type { SourceFactory } from './source.ts';
import { failedSync, mergeSync, syncCloses, type AbsentDay, type InstrumentSync, type SyncReport } from './sync-closes.ts';

export type { LatestReport, LatestResult } from './latest.ts';
export type { InstrumentSync, SyncReport } from './sync-closes.ts';
export { filledText, rangesText } from './sync-closes.ts';

/**
 * The syncs report each instrument's outcome, failures included, for the caller to say once (the
 * jobs log it, the CLI prints it); the log only adds a fallback taken on the way ("…; trying lbma").
 */
export interface Market {
  /** Fills every instrument: from BACKFILL_FROM when empty, otherwise only what is missing (plus a small overlap). */
  backfill(signal?: AbortSignal): Promise<SyncReport>;
  /** Recent daily closes (last ~10 days) of spx, qqq and gold. */
  syncDaily(signal?: AbortSignal): Promise<SyncReport>;
  /** M2: what is missing, plus a few months so revisions land. */
  syncM2(signal?: AbortSignal): Promise<SyncReport>;
  /**
   * These instruments' closes, as backfill syncs them (what is missing plus the overlap): the
   * re-check of a held close (schedule/recheck.ts), which asks only the instrument it holds.
   */
  recheck(instruments: readonly InstrumentId[], signal?: AbortSignal): Promise<SyncReport>;
  /**
   * Latest intraday quotes into store.setLatestQuote. M2 has none and is reported 'unsupported'. An
   * instrument no source answered is logged, one warning, saying when it is tried again: `retry`
   * (the job's next run, "will retry at the next quotes run, … (in 5 min)").
   */
  fetchLatest(instruments: readonly InstrumentId[], signal?: AbortSignal, retry?: () => string): Promise<LatestReport>;
  /**
   * The keyed sources refused for the rest of the UTC day in this market's runs (credits.ts), with
   * when their credits renew and why: what `goldratio backfill` says when it could not finish.
   */
  spentForTheDay(): readonly { readonly source: string; readonly until: number; readonly why: string }[];
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
  /** Told of each credit a keyed source's request takes (credits.ts): the metrics. */
  readonly onCredit?: (source: string) => void;
  /**
   * A keyed source whose minute's credits are spent is waited for (said once per wait, ended by the
   * signal), not refused: `goldratio backfill`, which would rather finish than fail. The bot's jobs
   * refuse: the chain asks the next source, and the next run asks again.
   */
  readonly waitForCredits?: boolean;
  /**
   * The level of the line each instrument's sync logs (`spx 1999-03-10..2026-08-21 from yahoo: 711
   * rows, 711 new`): info where it is the only record (the bot's log); debug for a caller that says
   * the same itself (backfill's report, or its stop line), so a terminal is not told everything twice.
   */
  readonly progress?: 'info' | 'debug';
  /** The level of the line saying a source is waited for and retried (HttpOptions.waitNotice). */
  readonly waitNotice?: () => 'info' | 'debug';
}

export function createMarket(config: Config, store: QuoteStore, log: Logger, opts: MarketOptions = {}): Market {
  const now = opts.now ?? Date.now;
  // The sync under way, for the line that names every source it waits on (agenda.ts), said once.
  let run: { readonly instruments: readonly InstrumentId[]; readonly startMs: number; said: boolean } | undefined;
  const requestMs =
    config.httpTimeoutMs +
    retriesBoundMs(0, backoffDelay(0, config.httpBackoffMs), { retries: config.httpRetries, backoffMs: config.httpBackoffMs, timeoutMs: config.httpTimeoutMs });
  const agenda = (): string | undefined => {
    if (run === undefined || run.said) return undefined;
    run.said = true;
    return waitAgenda(run.instruments, chains, run.startMs, requestMs, now());
  };
  // Counted in the store, so every process on it spends one plan; in memory for a SQLite no other process can open.
  const ledger = store.db.sqlite?.memory === true ? new MemoryLedger() : new SourceCreditStore(store.db);
  const credits = new CreditBudget(creditPlans(config), {
    now,
    log,
    ledger,
    wait: opts.waitForCredits === true,
    ...(opts.sleep === undefined ? {} : { sleep: opts.sleep }),
    ...(opts.onCredit === undefined ? {} : { onSpend: opts.onCredit }),
  });
  const http = createHttpClient({
    timeoutMs: config.httpTimeoutMs,
    retries: config.httpRetries,
    backoffMs: config.httpBackoffMs,
    log,
    now,
    ...(opts.sleep === undefined ? {} : { sleep: opts.sleep }),
    ...(opts.waitNotice === undefined ? {} : { waitNotice: opts.waitNotice }),
    agenda,
    credits,
  });
  const chains: SourceChains = meterSources(resolveSources(config, { config, http, now }, log, opts.factories ?? SOURCE_FACTORIES), opts.onFetch);
  const deps = {
    chains,
    store,
    log,
    maxMovePct: config.maxMovePct,
    confirmAfterMs: config.holdConfirmMs,
    absent: new Map<string, AbsentDay>(),
    absentStore: new AbsentDayStore(store.db),
    progress: opts.progress ?? 'info',
  };
  const stored: Stored = {
    lastDate: async (i) => (await store.lastClose(i))?.date,
    firstDate: async (i, from, to) => (await store.closes(i, from, to))[0]?.date,
  };
  // The parts of the history a sync could not get (a window refused, and the rest after it): asked
  // again by every backfill until fetched whole, where the closes stored around them hide them.
  const unfetched = new UnfetchedStore(store.db);
  const backfill = async (i: InstrumentId, today: string): Promise<DateRange[]> => {
    const planned = await backfillRanges(i, stored, config.backfillFrom, today);
    let kept: DateRange[];
    try {
      kept = await unfetched.load(i);
    } catch (e) {
      log.debug(`${i}: the ranges earlier syncs could not fetch were not read (${oneLine(e)}); the plan alone is asked`);
      return planned;
    }
    if (kept.length > 0) log.info(`${i}: ${kept.map((r) => `${r.from}..${r.to}`).join(', ')} not fetched by an earlier sync, asked again`);
    return joinRanges([...planned, ...kept]);
  };

  async function each(
    instruments: readonly InstrumentId[],
    ranges: (i: InstrumentId, today: string) => Promise<readonly DateRange[]> | readonly DateRange[],
    signal?: AbortSignal,
  ): Promise<SyncReport> {
    const out: InstrumentSync[] = [];
    const mine = { instruments, startMs: now(), said: false };
    run = mine;
    try {
      return await eachOne(instruments, ranges, out, signal);
    } finally {
      if (run === mine) run = undefined;
    }
  }

  async function eachOne(
    instruments: readonly InstrumentId[],
    ranges: (i: InstrumentId, today: string) => Promise<readonly DateRange[]> | readonly DateRange[],
    out: InstrumentSync[],
    signal?: AbortSignal,
  ): Promise<SyncReport> {
    for (const instrument of instruments) {
      const nowMs = now();
      const today = tradingDate(nowMs);
      let merged: InstrumentSync | undefined;
      const done: DateRange[] = [];
      for (const range of await ranges(instrument, today)) {
        let one: InstrumentSync;
        try {
          one = await syncCloses(deps, instrument, range, today, nowMs, signal);
        } catch (e) {
          // A bug or a failed database write for one instrument must not stop the others.
          const error = `${instrument}: ${e instanceof Error ? e.message : String(e)}`;
          log.error(`sync of ${error}`);
          one = failedSync(instrument, range, error);
        }
        // Fetched whole, or but for the part it could not get (a range that failed outright is not done).
        if (one.unfetched !== undefined) done.push(...stillUnfetched([range], one.unfetched, []));
        else if (one.ok) done.push(range);
        merged = merged === undefined ? one : mergeSync(merged, one);
      }
      if (merged !== undefined) out.push(merged);
      await keepUnfetched(instrument, done, merged?.unfetched ?? []);
    }
    return { ok: out.every((r) => r.ok), instruments: out };
  }

  async function keepUnfetched(instrument: InstrumentId, done: readonly DateRange[], left: readonly DateRange[]): Promise<void> {
    if (done.length === 0 && left.length === 0) return;
    try {
      await unfetched.update(instrument, (kept) => stillUnfetched(kept, done, left));
    } catch (e) {
      const what = left.map((r) => `${r.from}..${r.to}`).join(', ');
      if (left.length > 0)
        log.warn(`${instrument}: ${what} not fetched, and the note that asks for it again not written (${oneLine(e)}): a gap until goldratio import fills it`);
      else log.debug(`${instrument}: the ranges fetched were not struck from those to ask again (${oneLine(e)})`);
    }
  }

  return {
    sources: Object.fromEntries(Object.entries(chains).map(([i, list]) => [i, list.map((s) => s.name)])) as Record<InstrumentId, string[]>,
    spentForTheDay: () => credits.spentForTheDay(),
    backfill: (signal) => each(ALL, backfill, signal),
    syncDaily: (signal) => each(DAILY, (_i, today) => dailyRanges(today), signal),
    syncM2: (signal) => each(['m2'], backfill, signal),
    recheck: (instruments, signal) => each(instruments, backfill, signal),
    async fetchLatest(instruments, signal, retry = () => 'will retry at the next run') {
      const quotes: LatestResult[] = [];
      for (const instrument of instruments) {
        try {
          const q = await fetchLatestQuote(
            { chains, store, log, now, maxMovePct: config.maxMovePct, confirmAfterMs: config.holdConfirmMs },
            instrument,
            signal,
          );
          // Every source failed (said here once; a shutdown's abort is no failure).
          if (q.status === 'failed' && signal?.aborted !== true) log.warn(`latest ${instrument} failed, ${retry()}: ${q.error}`);
          quotes.push(q);
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

/** The keyed sources' plans from config: Twelve Data's credits a minute and a day, FRED's requests a minute. */
export function creditPlans(config: Config): Record<string, CreditPlan> {
  const { twelvedata, fred } = config.credits;
  return {
    twelvedata: {
      ...twelvedata,
      env: { perMinute: 'TWELVEDATA_CREDITS_PER_MINUTE', perDay: 'TWELVEDATA_CREDITS_PER_DAY' },
      refusal: twelveDataRefusal,
    },
    fred: { ...fred, env: { perMinute: 'FRED_REQUESTS_PER_MINUTE' }, refusal: fredRefusal },
  };
}
