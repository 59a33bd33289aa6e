/**
 * The composition root: it only wires. config → database → stores → market → alert engine →
 * charts → platforms (platforms/index.ts, whatever the config turns on) → dispatcher → schedule.
 * What happens as the bot comes up lives in start-up.ts; every part that starts registers how it
 * stops, and stop() runs them in the reverse order (service-stack.ts).
 */
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import { DRIVER_ADVICE, openDatabase, upgradeAtOpen, type Db } from './store/db.ts';
import { schemaUpgradeText } from './store/migrations/index.ts';
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
import { onPostgres, onSqlite, type StoreDb } from './store/engine.ts';
import { describePostgresUrl, openPostgres, postgresProblem, REPLICA_POOL_MAX, type PgStore } from './store/postgres.ts';
import { removedGoldLine, takeRemovedGold } from './store/removed-closes.ts';
import { DATABASE_WAIT_MS, databaseWaiting, openWaiting } from './database-wait.ts';
import { ChartUploadStore } from './store/chart-uploads.ts';
import { sharedUploads } from './alerts/upload-once.ts';
import type { Platform } from './domain/platform.ts';
import { electedLeadership, soleLeader, type Leadership, type Role } from './leadership.ts';
import { ChartService } from './charts/service.ts';
import { chartDiskCache } from './charts/disk-cache.ts';
import { createRenderPool, defaultPoolSize, type RenderPool } from './charts/pool.ts';
import { FloodLimiter } from './chat/flood-limit.ts';
import { createPlatforms, PLATFORM_ADAPTERS, type PlatformAdapter, type PlatformService } from './platforms/index.ts';
import { createScheduler, type Scheduler } from './schedule/scheduler.ts';
import { createSteps, scheduledJobs, type JobDeps } from './schedule/jobs.ts';
import { digestTick } from './schedule/digest-due.ts';
import { tradingDate } from './domain/nyse-calendar.ts';
import type { Metrics } from './ops/metrics.ts';
import { uncountedMetrics } from './ops/no-metrics.ts';
import { createReadiness, type Readiness } from './ops/readiness.ts';
import { startOpsServer, type OpsServer } from './ops/server.ts';
import { metricSources, quotesFresh } from './ops/checks.ts';
import { ServiceStack, type StopResult } from './service-stack.ts';
import { StartUp } from './start-up.ts';
import { acquireInstanceLock } from './store/instance-lock.ts';
import { TokenNotes } from './store/token-notes.ts';
import { POOL_NAME, STARTING_NAME, THIS_PROCESS } from './store/leader.ts';
import { watchTokenRefusals, type TokenWatch } from './ops/token-watch.ts';
import { databaseDiskProblem, databaseFileProblem, watchDatabaseFile } from './store/file-identity.ts';

export { CONSOLE_CHAT_ID, NO_HISTORY_HINT } from './start-up.ts';

export interface App {
  /** The SQLite handle (throws on PostgreSQL: use `store`). */
  readonly db: Db;
  /** The store handle on either engine. */
  readonly store: StoreDb;
  /** Leader or standby (on SQLite always the leader). */
  readonly leadership: Leadership;
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
  /**
   * Not ready from now on (/readyz 503 "goldratio: shutting down") while everything still serves:
   * the start of a stop, so that a load balancer or Kubernetes takes the replica out of service
   * before it stops answering (start's STOP_DRAIN_SECONDS). stop() does it too.
   */
  notReady(): void;
  /**
   * Stops every part within STOP_TIMEOUT_SECONDS: what is still stopping then (a part waiting on a
   * database gone silent) is left, named in the one line and in `stopped()`'s `left`; the process
   * should end then (start does), not wait for it.
   */
  stop(): Promise<void>;
  /** stop(), and what it left. */
  stopped(): Promise<StopResult>;
}

export interface StartOptions {
  readonly signal?: AbortSignal;
  /** Console output for alerts and typed commands' answers (tests capture it). */
  readonly out?: (text: string) => void;
  /** Console input for typed commands (tests write to it; stdin otherwise). */
  readonly input?: NodeJS.ReadableStream;
  readonly now?: () => number;
  /** Skip the first backfill (tests that seed the database themselves). */
  readonly skipInitialSync?: boolean;
  /** The platforms to run (default PLATFORM_ADAPTERS; tests add one). */
  readonly adapters?: readonly PlatformAdapter[];
  /** How long an unreachable PostgreSQL is waited for at the start (default 2 min; tests shorten it). */
  readonly databaseWaitMs?: number;
  /**
   * What draws a chart instead of CHART_WORKERS' pool (tests: one drawer per test worker, a spec
   * already drawn there given again; or one pool for a file's apps); the owner's to stop.
   */
  readonly charts?: RenderPool;
}

/** The start's signal came before the bot was up (while it waited for PostgreSQL): nothing to stop. */
export class StoppedBeforeStart extends Error {
  constructor() {
    super('stopped before the start finished');
    this.name = 'StoppedBeforeStart';
  }
}

export async function startApp(config: Config, log: Logger, opts: StartOptions = {}): Promise<App> {
  const services = new ServiceStack(log);
  try {
    return await assemble(config, log, opts, services);
  } catch (e) {
    // What had started stops (the ops server, the database): a start that gave up, or was stopped
    // while it waited, leaves nothing listening and ends with its one line.
    await services.stop({ quiet: true });
    throw e;
  }
}

/** /readyz's role while the election's first try has not answered (a replica just started, a slow server). */
export const ELECTION_UNANSWERED = 'leader election not answered yet';

async function assemble(config: Config, log: Logger, opts: StartOptions, services: ServiceStack): Promise<App> {
  const now = opts.now ?? Date.now;
  const startedAt = now();
  // prom-client only for a process whose metrics can be scraped (metrics.ts, loaded at first use as pg is).
  const metrics = config.http.port === undefined ? uncountedMetrics() : (await import('./ops/metrics.ts')).createMetrics();
  // A replica that is stopping takes no new work: out of its Service before its platforms stop.
  let stopping = false;
  const readiness = createReadiness([{ name: 'goldratio', check: () => (stopping ? 'shutting down' : undefined) }]);
  // /livez answers while the database is waited for and history loads; /readyz says what is still missing.
  const { host, port } = config.http;
  let leadership: Leadership | undefined;
  let doing: (() => string | undefined) | undefined;
  let tokens: TokenWatch | undefined;
  const listen = async (): Promise<OpsServer | undefined> => {
    if (port === undefined) return undefined;
    const server = await startOpsServer({
      host,
      port,
      metrics,
      readiness,
      log: log.child('ops'),
      // A standby whose election cannot connect answers commands through its pool: still ready, and says it cannot lead, and why.
      role: () => {
        // Before its election has answered, a replica does not know whether it leads or could: said so, not 'standby'.
        if (leadership?.answered() === false) return ELECTION_UNANSWERED;
        const r = leadership?.role();
        return r === 'standby' && leadership?.cannotLead() !== undefined ? 'standby, cannot lead' : r;
      },
      roleNote: () => leadership?.cannotLead() ?? tokens?.leadNote(),
      live: () => doing?.(),
    });
    services.add('operations server', () => server.close());
    return server;
  };
  // SQLite (one process, DATABASE_PATH) or PostgreSQL (replicas, DATABASE_URL): one store handle either way.
  let db: Db | undefined;
  let store: StoreDb;
  let ops: OpsServer | undefined;
  const url = config.databaseUrl;
  /** Renames the pool's sessions from STARTING_NAME once the replica is up (PostgreSQL). */
  let upPool: (() => Promise<void> | undefined) | undefined;
  if (url !== undefined) {
    // A server not up yet is waited for (database-wait.ts); a signal meanwhile stops the start. The
    // ops server listens from the start of the wait, so a liveness probe does not restart a process
    // that only waits: /livez says it waits, /readyz what for, /metrics goldratio_database_waiting.
    const waiting = databaseWaiting(describePostgresUrl(url) ?? 'DATABASE_URL', opts.databaseWaitMs ?? DATABASE_WAIT_MS);
    let opened: PgStore | undefined;
    readiness.add({ name: 'database', check: () => (opened === undefined ? waiting.reason() : postgresProblem(opened)) });
    doing = waiting.doing;
    metrics.databaseWaiting(true);
    ops = await listen();
    const pg = await openWaiting(
      () =>
        openPostgres(url, {
          what: 'DATABASE_URL',
          max: REPLICA_POOL_MAX,
          // Named, one session kept: `goldratio status` lists this replica even when its election cannot connect,
          // as starting until it is up (renamed POOL_NAME below). Behind a pooler (no SETs) named so from the start.
          name: config.databaseServerKeepalive === false ? POOL_NAME : STARTING_NAME,
          queryTimeoutMs: config.databaseQueryTimeoutMs,
          serverKeepalive: config.databaseServerKeepalive,
        }),
      {
        log,
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.databaseWaitMs !== undefined ? { giveUpAfterMs: opts.databaseWaitMs } : {}),
        onWait: waiting.tried,
      },
    );
    if (pg === undefined) throw new StoppedBeforeStart();
    opened = pg;
    if (pg.rename !== undefined) upPool = () => pg.rename?.(POOL_NAME);
    doing = undefined;
    metrics.databaseWaiting(false);
    log.info(`database ${pg.where}`);
    if (pg.upgraded !== undefined) log.info(schemaUpgradeText(pg.upgraded));
    services.add('database', () => pg.close());
    store = onPostgres(pg);
  } else {
    log.info(`database ${config.databasePath}`);
    // One bot per database file: a second one would send every alert again (store/instance-lock.ts).
    const instance = config.databasePath === ':memory:' ? undefined : acquireInstanceLock(config.databasePath);
    let sqlite: Db;
    try {
      sqlite = openDatabase(config.databasePath, undefined, config.databaseBusyTimeoutMs);
    } catch (e) {
      instance?.release();
      throw e;
    }
    // This Node's driver left out (installed on Node 20, run on 24): what to run, said at start.
    if (DRIVER_ADVICE !== undefined) log.warn(DRIVER_ADVICE);
    const upgraded = upgradeAtOpen(sqlite);
    if (upgraded !== undefined) log.info(schemaUpgradeText(upgraded));
    if (instance) services.add('instance lock', () => instance.release());
    services.add('database', () => sqlite.close());
    readiness.add({ name: 'database', check: () => (sqlite.open ? (databaseFileProblem(sqlite) ?? databaseDiskProblem(sqlite)) : 'closed') });
    services.add('database file watch', watchDatabaseFile(sqlite, log));
    db = sqlite;
    store = onSqlite(sqlite);
    // After the file's lock: a second `start` on the same file is told that, not that the port is taken.
    ops = await listen();
  }
  // The ops server answers from before this point (the wait for PostgreSQL, the file's lock): until
  // the platforms and the leadership are up, /readyz is 503 for that, not 200 for a replica that
  // cannot serve yet. Not said while the database has its own reason (the wait says it all).
  let assembled = false;
  readiness.add({ name: 'start', dependsOn: 'database', check: () => (assembled ? undefined : 'still starting') });
  const replicas = url !== undefined;
  // What a migration removed (019) is said once, by the first process to open the upgraded database.
  // Best effort: a write lock held elsewhere keeps the notes for the next start or writing command.
  const removed = removedGoldLine(await takeRemovedGold(store).catch(() => []));
  if (removed !== undefined) log.warn(removed);
  const [quotes, outbox, events, digests] = [new QuoteStore(store), new OutboxStore(store), new EventStore(store), new DigestStore(store)];
  const subs = new SubscriptionStore(store, { approachPct: config.approachPct, lang: config.defaultLang, now });
  const view = new MarketView(quotes);
  // The first history sync is watched (a source retried is said at once); the scheduled fetches' waits are routine.
  const market = createMarket(config, quotes, log.child('market'), {
    now,
    onFetch: (s, i, ok) => metrics.quoteFetch(s, i, ok),
    onCredit: (s) => metrics.quoteCredit(s),
    waitNotice: () => (startUp.historyLoading() ? 'info' : 'debug'),
  });
  const pool = opts.charts !== undefined || config.chartWorkers === 0 ? undefined : createRenderPool(config.chartWorkers ?? defaultPoolSize());
  const drawer = opts.charts ?? pool;
  const charts = new ChartService(view, {
    theme: config.chartTheme,
    now,
    metrics,
    ...(drawer ? { pool: drawer } : {}),
    disk: chartDiskCache(config, log.child('charts')),
  });
  // Stopped after the workers (the stack stops in reverse): renders in flight and their disk writes
  // end before the database closes, and a stuck worker cannot hold the stop.
  services.add('chart cache', () => charts.flush());
  if (pool) services.add('chart workers', () => pool.close());
  const [quiet, moves] = [new QuietStore(store), new MoveStore(store)];
  // Stale quotes are /freshz's and goldratio_quotes_stale's, a warning on /readyz: every replica
  // still answers commands (saying how old the data is), so none is taken out of service for it.
  const fresh = quotesFresh(quotes, view, now, startedAt);
  readiness.add(fresh);
  // The platforms that receive, once made (below): goldratio_platform_up and _off_reason say what their readiness says.
  let receivers: readonly { readonly platform: string; readonly readiness: () => string | undefined }[] = [];
  metrics.watch({
    ...metricSources(view, outbox, now, readiness, store),
    platformStates: () => receivers.map((p) => ({ platform: p.platform, off: p.readiness() })),
    // What /readyz's "standby, cannot lead" says, for an alert rule (goldratio_leader's sum covers only nobody leading).
    cannotLead: () => (leadership === undefined || !leadership.answered() ? undefined : leadership.cannotLead() !== undefined),
  });
  const { approachPct, hysteresisPct, cooldownDays } = config;
  const pipeline = new AlertPipeline(new DecisionStore(store), subs, { approachPct, hysteresisPct, cooldownDays, now, log: log.child('alerts') });
  const startUp = new StartUp(
    { config, log, now, quotes, view, subs, meta: new MetaStore(store), pipeline, charts, metrics },
    { initialSync: opts.skipInitialSync !== true },
  );

  const chat = {
    view,
    subs,
    events,
    config,
    today: tradingDate,
    historyLoading: startUp.historyLoading,
    historyRetry: startUp.historyRetry,
    digests,
    quiet,
    moves,
  };
  const flood = new FloodLimiter();
  const adapters = opts.adapters ?? PLATFORM_ADAPTERS;
  const platforms = await createPlatforms(adapters, {
    config,
    chat,
    charts,
    meta: new MetaStore(store),
    log,
    now,
    metrics,
    flood,
    ...(opts.out ? { out: opts.out } : {}),
    ...(opts.input ? { input: opts.input } : {}),
    ...(replicas ? { replicas, sharedUploads: (p: Platform) => sharedUploads(new ChartUploadStore(store), p) } : {}),
  });
  for (const p of platforms) if (p.readiness) readiness.add({ name: p.platform, check: p.readiness });
  receivers = platforms.flatMap((p) => (p.readiness ? [{ platform: p.platform, readiness: p.readiness }] : []));
  const chatBots = new Set(adapters.filter((a) => a.chatBot).map((a) => a.platform));
  await startUp.consoleDefault(platforms.map((p) => p.platform).filter((p) => chatBots.has(p)));
  const notifiers = platforms.map((p) => p.notifier);
  const dispatcher = new Dispatcher(outbox, subs, {
    notifiers,
    charts,
    concurrency: sendConcurrency(notifiers),
    now,
    log: log.child('dispatch'),
    metrics,
    quiet,
    leaseMs: config.outboxLeaseMs,
    // Only the leader sends; a replica that stopped leading stops before its next send.
    canSend: () => leads(),
  });
  const leads = (): boolean => !replicas || leadership?.leading() === true;

  const prune = (olderThanMs: number, signal?: AbortSignal) => pruneOutbox(store, { olderThanMs, ...(signal ? { signal } : {}) });
  const jobDeps: JobDeps = {
    config,
    log,
    now,
    market,
    quotes,
    view,
    pipeline,
    dispatcher,
    digests,
    metrics,
    pruneOutbox: prune,
    historyRetryAt: startUp.historyRetryAt,
  };
  const steps = startUp.warmingAfterData(createSteps(jobDeps));
  const scheduler = createScheduler([...scheduledJobs(jobDeps, steps), startUp.historyRetryJob(steps.close)], log.child('schedule'));

  services.add('dispatch', () => dispatcher.settled().catch(() => undefined));

  // Behind the running bot: each platform's start (every replica answers commands); Ctrl-C aborts what is in progress.
  // With STOP_DRAIN_SECONDS the signal starts the drain instead (start.ts): the platforms keep
  // receiving until stop(); only the first history sync, which serves nobody, stops at once.
  const onAbort = () => {
    if (config.stopDrainMs === 0) startUp.abort();
    else startUp.abortSync();
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const started = platforms.map((p) => {
    services.add(p.platform, () => p.stop());
    return p
      .start(startUp.signal)
      .then((r) => {
        // A platform sends nothing before its start has said who it is (platforms/owner.ts): what
        // waited for that goes now, not at the next dispatch tick, from the leader.
        if (r.kind === 'started' && leads()) void dispatcher.drain().catch((e: unknown) => log.warn(`dispatch on ${p.platform} up: ${(e as Error).message}`));
      })
      .catch((e: unknown) => log.error(`${p.platform} stopped: ${(e as Error).message}`));
  });

  // The leader's duties: the first history sync, the schedule, a digest due while nobody led, and
  // what only one process per token may hold. On SQLite the one process leads from here on.
  let work: Promise<void> = Promise.resolve();
  let firstLead = true;
  const leaderOnly = platforms.flatMap((p) => (p.leaderOnly ? [{ name: p.platform, part: p.leaderOnly }] : []));
  const duties = {
    start: async () => {
      // A replica that led before may hold another leader's old picture: decide from the database.
      if (!firstLead) pipeline.forget();
      work = (firstLead ? startUp.run(steps.close) : steps.close(startUp.signal)).catch((e: unknown) =>
        log.warn(`start-up work on lead: ${(e as Error).message}`),
      );
      firstLead = false;
      for (const { name, part } of leaderOnly) void part.start(startUp.signal).catch((e: unknown) => log.error(`${name}: ${(e as Error).message}`));
      scheduler.start();
      // A digest due while the bot was down (or nobody led) goes out now if it is at most 6 hours late.
      await digestTick(jobDeps, opts.signal).catch((e: unknown) => log.warn(`digest at start failed: ${(e as Error).message}`));
      void dispatcher.drain().catch((e: unknown) => log.warn(`dispatch on lead: ${(e as Error).message}`));
    },
    stop: async (reason: string) => {
      // A job still running (a fetch from a source gone silent) is aborted after a quarter of the
      // stop's budget, so it says what it left and the rest of the stop fits: the scheduler's own
      // 30 s outlasted STOP_TIMEOUT_SECONDS (10 s), and the stop ended with the job still waiting.
      await scheduler.stop(config.stopTimeoutMs / 4);
      for (const { part } of leaderOnly.toReversed()) await part.stop(reason).catch(() => undefined);
      // The one process on SQLite sends what is due before the database closes; a replica that
      // stops leaving leaves the rest to the next leader (its claims end with the batch).
      if (!replicas && reason === 'stopping') await dispatcher.drain().catch(() => undefined);
      await dispatcher.settled().catch(() => undefined);
    },
  };
  const onChange = (role: Role) => {
    metrics.leader(role === 'leader');
    // A refused token's note says whether its replica leads, and a leader says it keeps its lead.
    tokens?.leadChanged();
  };
  leadership =
    url === undefined
      ? await soleLeader({ log, duties, onChange })
      : electedLeadership(url, { log, duties, onChange, onReached: () => tokens?.reached(), started: Promise.all(started) });
  const lead = leadership;
  // A platform's token refused: in the store for `goldratio status`, and a leader says it keeps its lead.
  const watch = watchTokenRefusals({
    platforms: platforms.flatMap((p) => (p.token ? [{ platform: p.platform, token: p.token }] : [])),
    notes: new TokenNotes(store),
    by: THIS_PROCESS,
    replicas,
    leading: () => lead.leading(),
    log,
    now,
  });
  tokens = watch;
  // Its first read now, not at the first event: the notes a killed process left are removed while the start
  // writes anyway, not later on the event loop, where SQLite's write would wait out busy_timeout
  // (and block the probes) under another process's lock (tests/ops/probe-lock.test.ts).
  await watch.check();
  services.add('start-up work', () => work);
  // Stopped first: the schedule, the leader-only connections and the last sends, then the lock.
  // A replica that lost its database keeps a delivery's record until the server is back (within the
  // claim's lease); a process that stops does not wait for that, whether it still leads or not.
  services.add('leadership', () => {
    dispatcher.abandonUnrecorded();
    return lead.stop();
  });
  // Stopped before the leadership: polling stopped by a stop is no token taken again.
  services.add('token notes', () => watch.stop());
  const ready = Promise.all([...started]).then(() => (url === undefined ? work : undefined));
  assembled = true;
  // Its pool's sessions no longer say it starts: `goldratio status` lists it as up (in the election, or why not).
  void upPool?.()?.catch(() => undefined);
  log.info(url === undefined ? 'goldratio is running; Ctrl-C to stop' : 'goldratio replica is running; Ctrl-C to stop');

  const stopped = (): Promise<StopResult> => {
    stopping = true;
    startUp.abort();
    opts.signal?.removeEventListener('abort', onAbort);
    // The last sends get half the budget; then no new one (nor a new part of one) starts, and those
    // on the wire have the other half to finish and be recorded. One slower than that (a webhook
    // receiver within WEBHOOK_TIMEOUT_SECONDS) is waited for past the budget, up to its call's own
    // timeout: cut off on the wire, it may have reached the platform and would go again from the next start.
    const halfway = setTimeout(() => dispatcher.stopTaking(), config.stopTimeoutMs / 2);
    return services
      .stop({ budgetMs: config.stopTimeoutMs, budgetName: 'STOP_TIMEOUT_SECONDS', onTheWire: () => dispatcher.onTheWire() })
      .finally(() => clearTimeout(halfway));
  };
  const { historyLoading } = startUp;
  return {
    get db(): Db {
      if (db === undefined) throw new Error('app.db: this goldratio runs on PostgreSQL (app.store is the handle)');
      return db;
    },
    store,
    leadership: lead,
    market,
    pipeline,
    dispatcher,
    scheduler,
    platforms,
    metrics,
    charts,
    readiness,
    ops,
    closeStep: steps.close,
    ready,
    historyLoading,
    notReady: () => {
      stopping = true;
    },
    stop: () => stopped().then(() => undefined),
    stopped,
  };
}
