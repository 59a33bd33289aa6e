/**
 * The bot's scheduled work: which cron triggers which step, and what each step does. main.ts only
 * wires the parts together and hands them here. Cron only triggers; each job's `when` asks the pure
 * NYSE calendar whether this instant is one to work on.
 *
 * A new job: its step (and its part in `JobDeps`, if it needs a new one) and one entry in
 * `scheduledJobs`.
 */
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { AlertPipeline } from '../alerts/pipeline.ts';
import type { Dispatcher } from '../alerts/dispatcher.ts';
import type { InstrumentSync, Market, SyncReport } from '../market/market.ts';
import { filledText, rangesText } from '../market/market.ts';
import type { MarketView } from '../store/market-view.ts';
import type { QuoteStore } from '../store/quotes.ts';
import { inRegularHours, isTradingDay, nyDate, tradingDate } from '../domain/nyse-calendar.ts';
import { PAIR_IDS, PAIRS } from '../domain/instruments.ts';
import { LIVE_QUOTE_MAX_AGE_MS, liveRatio } from '../domain/ratio.ts';
import type { JobSpec } from './scheduler.ts';
import type { DigestStore } from '../store/digests.ts';
import { digestJob } from './digest-due.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { PruneResult } from '../store/retention.ts';
import type { InstrumentId } from '../domain/instruments.ts';
import { nextRunAt, runSaid } from './next-run.ts';
import { recheckJob } from './recheck.ts';

const NY = 'America/New_York';

export interface JobDeps {
  readonly config: Config;
  readonly log: Logger;
  readonly now: () => number;
  readonly market: Market;
  readonly quotes: QuoteStore;
  readonly view: MarketView;
  readonly pipeline: AlertPipeline;
  readonly dispatcher: Dispatcher;
  /** Digest schedules: without them there is no digest job. */
  readonly digests?: DigestStore;
  /** The retention job's store call (store/retention.ts pruneOutbox, bound to the database). */
  readonly pruneOutbox?: (olderThanMs: number, signal?: AbortSignal) => Promise<PruneResult>;
  readonly metrics?: Pick<Metrics, 'eventsDecided'>;
  /**
   * When a series without any history is tried again after a sync that fails now (start-up's
   * history job, minutes away): its failure line names that, not the next close run days away.
   */
  readonly historyRetryAt?: (at: number) => Promise<number>;
}

export interface Steps {
  /** The daily close: sync closes, decide level breaks, send. */
  close(signal?: AbortSignal): Promise<void>;
  /** During the session: latest quotes, and in ALERT_MODE=intraday, live level breaks. */
  intraday(signal: AbortSignal): Promise<void>;
  /** M2: what is missing plus revisions. */
  m2(signal: AbortSignal): Promise<void>;
  /** Prune delivered or dead outbox rows older than RETENTION_DAYS. */
  retention(signal?: AbortSignal): Promise<void>;
  /** The close's second half, also after a held close's re-check (recheck.ts): level breaks decided on what is stored, and sent. */
  decide(signal?: AbortSignal): Promise<void>;
}

/**
 * One line per instrument synced or failed. Stopped by the shutdown (`signal` aborted), what was
 * only cut short is no failure: one info line then says the whole sync (what it stored, what it did
 * not fetch, that the next start fetches it), and a real failure says that the next start tries
 * again, since there is no next run in this process.
 */
function logSync(log: Logger, what: string, r: SyncReport, signal: AbortSignal | undefined, retry: (i: InstrumentSync) => string): void {
  const stopping = signal?.aborted === true;
  const stopped = stopping ? r.instruments.filter((i) => !i.ok && i.errors.some((e) => /\babort/i.test(e))) : [];
  const synced = (i: InstrumentSync) =>
    `${i.inserted} new, ${i.updated} updated from ${i.source}${filledText(i.filled) === '' ? '' : `, ${filledText(i.filled)}`}`;
  for (const i of r.instruments) {
    if (stopped.includes(i)) continue;
    if (i.ok) {
      if (stopped.length === 0) log.info(`${what} ${i.instrument}: ${synced(i)} (${i.from}..${i.to})`);
    }
    // The range it was fetching beside the instrument and each source's failure: what an operator retries.
    // A source that answered (its rows stored) and a part that failed (a head no other source gave):
    // stored in part, the part named, not "failed" as if nothing came, nor synced as if all did.
    else if (i.source !== undefined)
      log.warn(
        `${what} ${i.instrument} ${i.from}..${i.to} stored in part (${synced(i)}); ${i.unfetched === undefined ? 'the rest' : rangesText(i.unfetched)} not fetched, ${stopping ? 'the next start tries again' : retry(i)}: ${i.errors.join('; ')}`,
      );
    else log.warn(`${what} ${i.instrument} ${i.from}..${i.to} failed, ${stopping ? 'the next start tries again' : retry(i)}: ${i.errors.join('; ')}`);
  }
  if (stopped.length === 0) return;
  // One stopped half-way (its head, or the windows after the first, cut short) keeps what it stored, as backfill says it.
  const inPart = stopped.filter((i) => i.inserted + i.updated > 0);
  const stored = [...r.instruments.filter((i) => i.ok), ...inPart].map(
    (i) => `${i.instrument} stored${i.ok ? '' : ' in part'} (${synced(i)}, ${i.from}..${i.to})`,
  );
  const notFetched = `${stopped.map((i) => (inPart.includes(i) ? `the rest of ${i.instrument}` : i.instrument)).join(', ')} not fetched`;
  log.info(
    `${what} stopped by the shutdown${stored.length === 0 ? ` before anything was stored: ${notFetched}` : `: ${stored.join(', ')}; ${notFetched}`}; the next start fetches what is missing`,
  );
}

/** The close job as scheduledJobs runs it: its next run is when a failed close is tried again. */
export const closeJob = (config: Config): Pick<JobSpec, 'cron' | 'timezone' | 'when'> => ({
  cron: config.cron.close,
  timezone: NY,
  when: (d) => isTradingDay(nyDate(d)),
});
const m2Job = (config: Config): Pick<JobSpec, 'cron' | 'timezone'> => ({ cron: config.cron.m2, timezone: NY });
const quotesJob = (config: Config): Pick<JobSpec, 'cron' | 'timezone' | 'when'> => ({ cron: config.cron.quotes, timezone: NY, when: inRegularHours });
const goldJob = (config: Config): Pick<JobSpec, 'cron' | 'timezone' | 'when'> => ({ cron: config.cron.gold, timezone: NY, when: weekday });

/** "will retry at the next quotes run, 2026-12-07T14:35:00.000Z (in 5 min)". */
function nextSaid(name: string, spec: Pick<JobSpec, 'cron' | 'timezone' | 'when'>, env: string, at: number): string {
  const next = nextRunAt(spec, at);
  return next === undefined
    ? `will retry at the next ${name} run (${env} "${spec.cron}" has none in the next two weeks)`
    : `will retry at the next ${name} run, ${runSaid(next, at)}`;
}

/**
 * "will retry at the next close run, 2026-12-07T22:30:00.000Z (in 43.5 h)": when each failed
 * instrument of `r` is tried again. A series with no history at all is tried again by the history
 * job within minutes (deps.historyRetryAt), the others at `job`'s next run.
 */
async function retrySaid(deps: JobDeps, job: { name: string; spec: Pick<JobSpec, 'cron' | 'timezone' | 'when'>; env: string }, r: SyncReport) {
  const failed = r.instruments.filter((i) => !i.ok);
  const at = deps.now();
  const next = failed.length === 0 ? '' : nextSaid(job.name, job.spec, job.env, at);
  const empty = new Set<InstrumentId>();
  if (deps.historyRetryAt !== undefined) for (const i of failed) if ((await deps.quotes.count(i.instrument).catch(() => 1)) === 0) empty.add(i.instrument);
  const historyAt = empty.size > 0 && deps.historyRetryAt !== undefined ? await deps.historyRetryAt(at) : undefined;
  return (i: InstrumentSync): string =>
    historyAt !== undefined && empty.has(i.instrument) ? `will retry at ${runSaid(historyAt, at)} while it has no history` : next;
}

export function createSteps(deps: JobDeps): Steps {
  const { config, log, now, market, quotes, view, pipeline, dispatcher } = deps;
  async function decide(signal?: AbortSignal): Promise<void> {
    const r = await pipeline.catchUp(await view.snapshot());
    for (const e of r.events) deps.metrics?.eventsDecided(e.kind);
    // What was decided is logged once, by the pipeline ("caught up: …").
    for (const e of r.moves ?? []) deps.metrics?.eventsDecided(`move-${e.direction}`);
    await dispatcher.drain(signal);
  }
  return {
    async close(signal) {
      const synced = await market.backfill(signal);
      logSync(log, 'closes', synced, signal, await retrySaid(deps, { name: 'close', spec: closeJob(config), env: 'CRON_CLOSE' }, synced));
      await decide(signal);
    },
    decide,

    async intraday(signal) {
      await market.fetchLatest(['spx', 'qqq', 'gold'], signal, () => nextSaid('quotes', quotesJob(config), 'CRON_QUOTES', now()));
      if (config.alertMode !== 'intraday') return;
      const today = tradingDate(now());
      for (const pair of PAIR_IDS) {
        const n = await quotes.latestQuote(PAIRS[pair].numerator);
        const d = await quotes.latestQuote('gold');
        const live = n && d ? liveRatio(n, d, now()) : undefined;
        // Both quotes of this session, or it is no live ratio: a source failing since Friday leaves
        // Friday's SPX price, which over Monday's gold would decide a break nobody saw (/readyz names
        // the stale quote; the close decides the day).
        if (live && live.numeratorAgeMs <= LIVE_QUOTE_MAX_AGE_MS && live.denominatorAgeMs <= LIVE_QUOTE_MAX_AGE_MS)
          for (const e of (await pipeline.tick(pair, { date: today, value: live.value }, 'intraday')).events) deps.metrics?.eventsDecided(e.kind);
      }
      await dispatcher.drain(signal);
    },

    async m2(signal) {
      const r = await market.syncM2(signal);
      logSync(log, 'M2', r, signal, await retrySaid(deps, { name: 'm2', spec: m2Job(config), env: 'CRON_M2' }, r));
    },

    async retention(signal) {
      if (deps.pruneOutbox === undefined) return;
      const r = await deps.pruneOutbox(now() - config.retentionDays * 86_400_000, signal);
      if (r.deleted > 0)
        log.info(`retention: ${r.deleted} delivered or dead outbox row(s) older than ${config.retentionDays} days pruned in ${r.batches} batch(es)`);
      if (r.uploads > 0) log.info(`retention: ${r.uploads} chart upload(s) older than ${config.retentionDays} days forgotten`);
      if (r.chatTypes > 0) log.info(`retention: ${r.chatTypes} chat type(s) of chats with no subscription left forgotten`);
      if (r.unexplained > 0) log.info(`retention: ${r.unexplained} Discord channel(s) no longer subscribed: their count of unexplained refusals forgotten`);
      if (r.tokenNotes > 0)
        log.info(`retention: ${r.tokenNotes} refused-token note(s) of replicas gone (not connected, older than ${config.retentionDays} days) removed`);
    },
  };
}

/** Gold trades on weekdays, NYSE holidays included. */
const weekday = (d: Date) => {
  const wd = new Date(`${nyDate(d)}T00:00:00Z`).getUTCDay();
  return wd !== 0 && wd !== 6;
};

/**
 * The outbox drain. A tick while a drain still runs (one platform's slow send: a webhook receiver
 * taking its WEBHOOK_TIMEOUT_SECONDS) asks drain() all the same, not awaited: the running drain's
 * workers come back for rows due since (another hook's retry) and idle platforms start, so one slow
 * receiver holds its own hook only. drain() keeps its rules (one drain per platform, the claims and
 * their leases), so nothing goes twice; shutdown waits for it through dispatcher.settled().
 */
export function dispatchJob(config: Pick<Config, 'cron'>, dispatcher: Pick<Dispatcher, 'drain'>, log: Logger): JobSpec {
  return {
    name: 'dispatch',
    cron: config.cron.dispatch,
    timezone: NY,
    run: (s) => dispatcher.drain(s),
    overlapped: (s) => void dispatcher.drain(s).catch((e: unknown) => log.error(`dispatch: failed: ${(e as Error).message}`)),
  };
}

/** Every scheduled job: its cron (from config), its calendar gate and its step. */
export function scheduledJobs(deps: JobDeps, steps: Steps): JobSpec[] {
  const { config, market, dispatcher, log } = deps;
  return [
    { name: 'quotes', ...quotesJob(config), run: (s) => steps.intraday(s) },
    {
      name: 'gold',
      ...goldJob(config),
      run: (s) => market.fetchLatest(['gold'], s, () => nextSaid('gold', goldJob(config), 'CRON_GOLD', deps.now())),
    },
    { name: 'close', ...closeJob(config), run: (s) => steps.close(s) },
    recheckJob(deps, (s) => steps.decide(s), closeJob(config)),
    { name: 'm2', ...m2Job(config), run: (s) => steps.m2(s) },
    dispatchJob(config, dispatcher, log),
    ...(deps.digests !== undefined ? [digestJob(deps)] : []),
    { name: 'retention', cron: config.cron.retention, timezone: NY, run: (s) => steps.retention(s) },
  ];
}
