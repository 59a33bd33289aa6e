/**
 * The composition root: it only wires. config → database → stores → market → alert engine →
 * charts → platforms (platforms/index.ts, whatever the config turns on) → dispatcher → schedule.
 * What happens as the bot comes up lives in start-up.ts; every part that starts registers how it
 * stops, and stop() runs them in the reverse order (service-stack.ts).
 */
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import { openDatabase, type Db } from './store/db.ts';
import { QuoteStore } from './store/quotes.ts';
import { SubscriptionStore } from './store/subscriptions.ts';
import { EventStore } from './store/events.ts';
import { OutboxStore } from './store/outbox.ts';
import { QuietStore } from './store/quiet.ts';
import { MoveStore } from './store/moves.ts';
import { DecisionStore } from './store/decisions.ts';
import { MarketView } from './store/market-view.ts';
import { MetaStore } from './store/meta.ts';
import { DigestStore } from './store/digests.ts';
import { pruneOutbox } from './store/retention.ts';
import { createMarket, type Market } from './market/market.ts';
import { AlertPipeline } from './alerts/pipeline.ts';
import { Dispatcher, sendConcurrency } from './alerts/dispatcher.ts';
import { onSqlite } from './store/engine.ts';
import { ChartService } from './charts/service.ts';
import { chartDiskCache } from './charts/disk-cache.ts';
import { createRenderPool, defaultPoolSize } from './charts/pool.ts';
import { FloodLimiter } from './chat/flood-limit.ts';
import { createPlatforms, PLATFORM_ADAPTERS, type PlatformAdapter, type PlatformService } from './platforms/index.ts';
import { createScheduler, type Scheduler } from './schedule/scheduler.ts';
import { createSteps, scheduledJobs, type JobDeps } from './schedule/jobs.ts';
import { digestTick } from './schedule/digest-due.ts';
import { tradingDate } from './domain/nyse-calendar.ts';
import { createMetrics, type Metrics } from './ops/metrics.ts';
import { createReadiness, type Readiness } from './ops/readiness.ts';
import { startOpsServer, type OpsServer } from './ops/server.ts';
import { metricSources, quotesFresh } from './ops/checks.ts';
import { ServiceStack } from './service-stack.ts';
import { StartUp } from './start-up.ts';
import { acquireInstanceLock } from './store/instance-lock.ts';
import { databaseFileProblem, watchDatabaseFile } from './store/file-identity.ts';

export { CONSOLE_CHAT_ID, NO_HISTORY_HINT } from './start-up.ts';

export interface App {
  readonly db: Db;
  readonly market: Market;
  readonly pipeline: AlertPipeline;
  readonly dispatcher: Dispatcher;
  readonly scheduler: Scheduler;
  /** The platforms the config turned on, in start order (the console always). */
  readonly platforms: readonly PlatformService[];
  readonly metrics: Metrics;
  /** The chart service (its warm-up: charts.warming()). */
  readonly charts: ChartService;
  readonly readiness: Readiness;
  /** The operations server (/livez /readyz /metrics) when HTTP_PORT is set. */
  readonly ops: OpsServer | undefined;
  /** Settles when the start-up work behind the running bot is done: the first history sync and every platform's start. */
  readonly ready: Promise<void>;
  /** True until the first history sync has finished (the chat /status says so). */
  historyLoading(): boolean;
  /** Runs the daily-close step now (sync closes, decide level breaks, send): what the close job does. */
  closeStep(signal?: AbortSignal): Promise<void>;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly signal?: AbortSignal;
  /** Console output for alerts (tests capture it). */
  readonly out?: (text: string) => void;
  readonly now?: () => number;
  /** Skip the first backfill (tests that seed the database themselves). */
  readonly skipInitialSync?: boolean;
  /** The platforms to run (default PLATFORM_ADAPTERS; tests add one). */
  readonly adapters?: readonly PlatformAdapter[];
}

export async function startApp(config: Config, log: Logger, opts: StartOptions = {}): Promise<App> {
  const now = opts.now ?? Date.now;
  const startedAt = now();
  const services = new ServiceStack(log);
  log.info(`database ${config.databasePath}`);
  // One bot per database file: a second one would send every alert again (store/instance-lock.ts).
  const instance = config.databasePath === ':memory:' ? undefined : acquireInstanceLock(config.databasePath);
  let db: Db;
  try {
    db = openDatabase(config.databasePath, undefined, config.databaseBusyTimeoutMs);
  } catch (e) {
    instance?.release();
    throw e;
  }
  if (instance) services.add('instance lock', () => instance.release());
  services.add('database', () => db.close());
  const metrics = createMetrics();
  const readiness = createReadiness([{ name: 'database', check: () => (db.open ? databaseFileProblem(db) : 'closed') }]);
  services.add('database file watch', watchDatabaseFile(db, log));
  const [quotes, outbox, events, digests] = [
    new QuoteStore(onSqlite(db)),
    new OutboxStore(onSqlite(db)),
    new EventStore(onSqlite(db)),
    new DigestStore(onSqlite(db)),
  ];
  const subs = new SubscriptionStore(onSqlite(db), { approachPct: config.approachPct, lang: config.defaultLang });
  const view = new MarketView(quotes);
  const market = createMarket(config, quotes, log.child('market'), { now, onFetch: (s, i, ok) => metrics.quoteFetch(s, i, ok) });
  const pool = config.chartWorkers === 0 ? undefined : createRenderPool(config.chartWorkers ?? defaultPoolSize());
  const charts = new ChartService(view, {
    theme: config.chartTheme,
    now,
    metrics,
    ...(pool ? { pool } : {}),
    disk: chartDiskCache(config, log.child('charts')),
  });
  // Stopped after the workers (the stack stops in reverse): renders in flight and their disk writes
  // end before the database closes, and a stuck worker cannot hold the stop.
  services.add('chart cache', () => charts.flush());
  if (pool) services.add('chart workers', () => pool.close());
  const [quiet, moves] = [new QuietStore(onSqlite(db)), new MoveStore(onSqlite(db))];
  metrics.watch(metricSources(view, outbox, now));
  readiness.add(quotesFresh(quotes, view, now, startedAt));
  const { approachPct, hysteresisPct, cooldownDays } = config;
  const pipeline = new AlertPipeline(new DecisionStore(onSqlite(db)), subs, { approachPct, hysteresisPct, cooldownDays, now, log: log.child('alerts') });
  const startUp = new StartUp({ config, log, now, quotes, view, subs, pipeline, charts, metrics }, { initialSync: opts.skipInitialSync !== true });

  const chat = { view, subs, events, config, today: tradingDate, historyLoading: startUp.historyLoading, digests, quiet, moves };
  const flood = new FloodLimiter();
  const platforms = createPlatforms(opts.adapters ?? PLATFORM_ADAPTERS, {
    config,
    chat,
    charts,
    meta: new MetaStore(onSqlite(db)),
    log,
    now,
    metrics,
    flood,
    ...(opts.out ? { out: opts.out } : {}),
  });
  for (const p of platforms) if (p.readiness) readiness.add({ name: p.platform, check: p.readiness });
  await startUp.consoleDefault(platforms.map((p) => p.platform));
  const notifiers = platforms.map((p) => p.notifier);
  const dispatcher = new Dispatcher(outbox, subs, {
    notifiers,
    charts,
    concurrency: sendConcurrency(notifiers),
    now,
    log: log.child('dispatch'),
    metrics,
    quiet,
  });

  const prune = (olderThanMs: number, signal?: AbortSignal) => pruneOutbox(onSqlite(db), { olderThanMs, ...(signal ? { signal } : {}) });
  const jobDeps: JobDeps = { config, log, now, market, quotes, view, pipeline, dispatcher, digests, metrics, pruneOutbox: prune };
  const steps = startUp.warmingAfterData(createSteps(jobDeps));
  const scheduler = createScheduler(scheduledJobs(jobDeps, steps), log.child('schedule'));

  // /livez answers while history loads; /readyz says what is still missing.
  const { host, port } = config.http;
  let ops: OpsServer | undefined;
  try {
    ops = port !== undefined ? await startOpsServer({ host, port, metrics, readiness, log: log.child('ops') }) : undefined;
  } catch (e) {
    await services.stop();
    throw e;
  }
  const opsServer = ops;
  if (opsServer) services.add('operations server', () => opsServer.close());
  services.add('dispatch', () =>
    dispatcher
      .drain()
      .then(() => dispatcher.settled())
      .catch(() => undefined),
  );

  // Behind the running bot: the first sync and each platform's start; Ctrl-C aborts what is in progress.
  const onAbort = () => startUp.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const work = startUp.run(steps.close);
  services.add('start-up work', () => work);
  const started = platforms.map((p) => {
    services.add(p.platform, () => p.stop());
    return p.start(startUp.signal).catch((e: unknown) => log.error(`${p.platform} stopped: ${(e as Error).message}`));
  });
  const ready = Promise.all([work, ...started]).then(() => undefined);
  scheduler.start();
  services.add('schedule', () => scheduler.stop());
  // A digest due while the bot was down goes out now if it is at most 6 hours late.
  await digestTick(jobDeps, opts.signal).catch((e: unknown) => log.warn(`digest at start failed: ${(e as Error).message}`));
  log.info('goldratio is running; Ctrl-C to stop');

  const stop = (): Promise<void> => {
    startUp.abort();
    opts.signal?.removeEventListener('abort', onAbort);
    return services.stop();
  };
  const { historyLoading } = startUp;
  return { db, market, pipeline, dispatcher, scheduler, platforms, metrics, charts, readiness, ops, closeStep: steps.close, ready, historyLoading, stop };
}
