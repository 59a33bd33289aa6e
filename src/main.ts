/**
 * The composition root: config → database → market → alert engine → charts → platforms → scheduler.
 * Shutdown runs the other way: cron first (no new work), then the bots, then the dispatch in
 * flight, then the database.
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
import { createMarket, type Market } from './market/market.ts';
import { AlertPipeline } from './alerts/pipeline.ts';
import { Dispatcher } from './alerts/dispatcher.ts';
import type { Notifier } from './alerts/notifier.ts';
import { ConsoleNotifier } from './platforms/console/notifier.ts';
import { createTelegram, type Telegram } from './platforms/telegram/bot.ts';
import { createDiscord, type Discord } from './platforms/discord/client.ts';
import { DiscordStore } from './store/discord.ts';
import { ChartService } from './charts/service.ts';
import { createScheduler, type Scheduler } from './schedule/scheduler.ts';
import { createSteps, scheduledJobs, type JobDeps } from './schedule/jobs.ts';
import { DigestStore } from './store/digests.ts';
import { digestTick } from './schedule/digest-due.ts';
import { tradingDate } from './domain/nyse-calendar.ts';
import { createRenderPool, defaultPoolSize } from './charts/pool.ts';
import { createMetrics, type Metrics } from './ops/metrics.ts';
import { createReadiness, type Readiness } from './ops/readiness.ts';
import { startOpsServer, type OpsServer } from './ops/server.ts';
import { metricSources, quotesFresh } from './ops/checks.ts';
import { pruneOutbox } from './store/retention.ts';
import { askedCharts } from './chat/index.ts';
import { LANGS } from './domain/i18n/index.ts';

/** Said once after a first sync that left an instrument without history (offline, sources down). */
export const NO_HISTORY_HINT =
  'no history yet: the quote sources could not be reached. goldratio retries at every close job; or load CSVs now with `goldratio import` (README: "Loading history without network")';

export const CONSOLE_CHAT_ID = 'console';

export interface App {
  readonly db: Db;
  readonly market: Market;
  readonly pipeline: AlertPipeline;
  readonly dispatcher: Dispatcher;
  readonly scheduler: Scheduler;
  readonly telegram: Telegram | undefined;
  readonly discord: Discord | undefined;
  readonly metrics: Metrics;
  /** The chart service (its warm-up: charts.warming()). */
  readonly charts: ChartService;
  readonly readiness: Readiness;
  /** The operations server (/livez /readyz /metrics) when HTTP_PORT is set. */
  readonly ops: OpsServer | undefined;
  /** Settles when the start-up work behind the running bot is done: the first history sync and the bots' start. */
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
}

export async function startApp(config: Config, log: Logger, opts: StartOptions = {}): Promise<App> {
  const now = opts.now ?? Date.now;
  const startedAt = now();
  log.info(`database ${config.databasePath}`);
  const db = openDatabase(config.databasePath);
  const metrics = createMetrics();
  const readiness = createReadiness([{ name: 'database', check: () => (db.open ? undefined : 'closed') }]);
  const quotes = new QuoteStore(db);
  const subs = new SubscriptionStore(db, { approachPct: config.approachPct, lang: config.defaultLang });
  const events = new EventStore(db);
  const view = new MarketView(quotes);
  const digests = new DigestStore(db);
  const market = createMarket(config, quotes, log.child('market'), { now, onFetch: (s, i, ok) => metrics.quoteFetch(s, i, ok) });
  const pool = config.chartWorkers === 0 ? undefined : createRenderPool(config.chartWorkers ?? defaultPoolSize());
  const charts = new ChartService(view, { theme: config.chartTheme, now, metrics, ...(pool ? { pool } : {}) });
  const outbox = new OutboxStore(db);
  const quiet = new QuietStore(db);
  const moves = new MoveStore(db);
  metrics.watch(metricSources(quotes, view, outbox, now));
  readiness.add(quotesFresh(quotes, now, startedAt));
  const pipeline = new AlertPipeline(new DecisionStore(db), subs, {
    approachPct: config.approachPct,
    hysteresisPct: config.hysteresisPct,
    cooldownDays: config.cooldownDays,
    now,
    log: log.child('alerts'),
  });

  let loading = opts.skipInitialSync !== true;
  let telegram: Telegram | undefined;
  if (config.telegram.token !== undefined) {
    telegram = createTelegram({
      config,
      deps: { view, subs, events, config, today: tradingDate, historyLoading: () => loading, digests, quiet, moves },
      charts,
      log,
      now,
      metrics,
    });
    const tg = telegram;
    readiness.add({ name: 'telegram', check: () => (tg.receiving() ? undefined : 'not receiving updates') });
  } else {
    log.info('TELEGRAM_BOT_TOKEN not set: Telegram is off');
  }
  let discord: Discord | undefined;
  const dc = config.discord;
  if (dc.token !== undefined && dc.applicationId !== undefined) {
    discord = createDiscord({
      config,
      deps: { view, subs, events, config, today: tradingDate, historyLoading: () => loading, digests, quiet, moves },
      charts,
      store: new DiscordStore(db),
      log,
      now,
      metrics,
    });
    const d = discord;
    readiness.add({ name: 'discord', check: () => (d.client()?.isReady() === true ? undefined : 'not connected to the gateway') });
  } else if (dc.token !== undefined || dc.applicationId !== undefined) {
    log.warn('Discord is off: set both DISCORD_TOKEN and DISCORD_APPLICATION_ID');
  }
  const notifiers: Notifier[] = [new ConsoleNotifier({ dataDir: config.dataDir, lang: config.defaultLang, ...(opts.out ? { out: opts.out } : {}) })];
  if (telegram) notifiers.push(telegram.notifier);
  if (discord) notifiers.push(discord.notifier);

  // With no bot at all, the console is the one subscriber, so a first run shows what alerts look like.
  if (telegram === undefined && discord === undefined && subs.get('console', CONSOLE_CHAT_ID) === undefined) {
    subs.upsert('console', CONSOLE_CHAT_ID, { lang: config.defaultLang });
    log.info('no bot token: alerts go to the console (default console subscription created)');
  }

  // Keep about rate × round trip (~100 ms) sends in flight, or a fast pace cannot be reached.
  const concurrency = Math.max(8, Math.ceil(Math.max(0, ...notifiers.filter((n) => n.platform !== 'console').map((n) => n.ratePerSecond)) * 0.1));
  const dispatcher = new Dispatcher(outbox, subs, { notifiers, charts, concurrency, now, log: log.child('dispatch'), metrics, quiet });

  const prune = (olderThanMs: number, signal?: AbortSignal) => pruneOutbox(db, { olderThanMs, ...(signal ? { signal } : {}) });
  const jobDeps: JobDeps = { config, log, now, market, quotes, view, pipeline, dispatcher, digests, metrics, pruneOutbox: prune };
  // After each data change, the charts commands ask for are rendered ahead in the background (one
  // at a time, yielding to users' renders), so the first asker of each does not wait for its render.
  const startup = new AbortController();
  const warmCharts = (): void => {
    if (!config.chartWarmUp || startup.signal.aborted) return;
    void charts.warmUp(askedCharts(tradingDate(now())), LANGS, startup.signal).then(
      (n) => log.debug('charts rendered ahead', { charts: n }),
      (e: unknown) => log.warn(`chart warm-up failed: ${(e as Error).message}`),
    );
  };
  const baseSteps = createSteps(jobDeps);
  const afterData =
    <A extends unknown[]>(step: (...a: A) => Promise<void>) =>
    async (...a: A): Promise<void> => {
      try {
        await step(...a);
      } finally {
        warmCharts();
      }
    };
  const steps = { ...baseSteps, close: afterData(baseSteps.close), m2: afterData(baseSteps.m2) };
  const closeStep = steps.close;
  const scheduler = createScheduler(scheduledJobs(jobDeps, steps), log.child('schedule'));

  // /livez answers while history loads; /readyz says what is still missing.
  const ops =
    config.http.port !== undefined
      ? await startOpsServer({ host: config.http.host, port: config.http.port, metrics, readiness, log: log.child('ops') })
      : undefined;

  // Start-up work runs behind the running bot: the schedule and the console (and each platform
  // that is up) work at once; Ctrl-C (stop) aborts what is still in progress.
  const onAbort = () => startup.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const initialSync = loading
    ? (async () => {
        log.info(`loading history in the background (first start: since ${config.backfillFrom}; later: only what is missing)`);
        try {
          await closeStep(startup.signal);
        } catch (e) {
          // An unreachable source is not a reason not to start: the close job retries.
          log.warn(`initial sync failed, will retry on schedule: ${(e as Error).message}`);
        } finally {
          loading = false;
        }
        if (!startup.signal.aborted && (['spx', 'qqq', 'gold'] as const).some((i) => quotes.count(i) === 0)) {
          log.warn(NO_HISTORY_HINT);
        }
      })()
    : Promise.resolve(pipeline.catchUp(view)).then((r) => {
        for (const e of r.events) metrics.eventsDecided(e.kind);
        warmCharts();
      });

  const telegramUp = telegram
    ? telegram.start(startup.signal).then(
        (r) => {
          if (r.kind === 'started') log.info('Telegram bot receiving updates');
        },
        (e: unknown) => log.error(`Telegram stopped: ${(e as Error).message}`),
      )
    : Promise.resolve();
  const ready = Promise.all([initialSync, telegramUp]).then(() => undefined);

  // Logs in in the background (retrying while Discord is unreachable): never holds the start.
  await discord?.start();
  scheduler.start();
  // A digest due while the bot was down goes out now if it is at most 6 hours late.
  await digestTick(jobDeps, opts.signal).catch((e: unknown) => log.warn(`digest at start failed: ${(e as Error).message}`));
  log.info('goldratio is running; Ctrl-C to stop');

  let stopping: Promise<void> | undefined;
  return {
    db,
    market,
    pipeline,
    dispatcher,
    scheduler,
    telegram,
    discord,
    metrics,
    charts,
    readiness,
    ops,
    closeStep,
    ready,
    historyLoading: () => loading,
    stop: () =>
      (stopping ??= (async () => {
        startup.abort();
        opts.signal?.removeEventListener('abort', onAbort);
        log.info('stopping: schedule');
        await scheduler.stop();
        if (telegram) {
          log.info('stopping: Telegram');
          await telegram.stop();
        }
        if (discord) {
          log.info('stopping: Discord');
          await discord.stop();
        }
        await ready;
        log.info('stopping: dispatch');
        await dispatcher.drain().catch(() => undefined);
        await ops?.close();
        await pool?.close();
        db.close();
        log.info('stopped');
      })()),
  };
}
