/**
 * What goldratio does as it comes up, kept out of the composition root: the first history sync
 * (or, when tests seeded the database, catching up on the breaks it holds), the console as the one
 * subscriber when no chat platform is on, and charts rendered ahead after each data change. All of
 * it runs behind the running bot; abort() (Ctrl-C, stop) ends what is still in progress.
 */
import type { AlertPipeline } from './alerts/pipeline.ts';
import type { ChartService } from './charts/service.ts';
import { askedCharts } from './chat/index.ts';
import type { Config } from './config.ts';
import { LANGS } from './domain/i18n/index.ts';
import { tradingDate } from './domain/nyse-calendar.ts';
import { CONSOLE_CHAT_ID, type Platform } from './domain/platform.ts';
import type { Logger } from './log.ts';
import type { Metrics } from './ops/metrics.ts';
import type { Steps } from './schedule/jobs.ts';
import type { MarketView } from './store/market-view.ts';
import type { MetaStore } from './store/meta.ts';
import type { QuoteStore } from './store/quotes.ts';
import type { SubscriptionStore } from './store/subscriptions.ts';

/** Said once after a first sync that left an instrument without history (offline, sources down). */
export const NO_HISTORY_HINT =
  'no history yet: the quote sources could not be reached. goldratio retries at every close job; or load CSVs now with `goldratio import` (README: "Loading history without network")';

export { CONSOLE_CHAT_ID };

/** meta: the id of the console subscription start-up created itself, or 'none'. */
const CONSOLE_DEFAULT_KEY = 'console.default_subscription';
/** The default console subscription's deactivation reason once a chat platform is on. */
const RETIRED = 'retired: a chat platform is configured';

export interface StartUpDeps {
  readonly config: Config;
  readonly log: Logger;
  readonly now: () => number;
  readonly quotes: QuoteStore;
  readonly view: MarketView;
  readonly subs: SubscriptionStore;
  readonly meta: MetaStore;
  readonly pipeline: AlertPipeline;
  readonly charts: ChartService;
  readonly metrics: Metrics;
}

export class StartUp {
  readonly #d: StartUpDeps;
  readonly #abort = new AbortController();
  #loading: boolean;

  /** `initialSync`: false when the database was seeded (tests): catch up on its breaks instead of syncing. */
  constructor(d: StartUpDeps, o: { readonly initialSync: boolean }) {
    this.#d = d;
    this.#loading = o.initialSync;
  }

  /** Aborted by abort(): what start-up work and the platforms' starts listen to. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** True until the first history sync has finished (the chat /status says so). */
  readonly historyLoading = (): boolean => this.#loading;

  abort(): void {
    this.#abort.abort();
  }

  /**
   * With no chat platform on, the console is the one subscriber, so a first run shows what alerts
   * look like. Once a chat platform is on, that default subscription is retired (otherwise every
   * alert is printed and its chart written under DATA_DIR/alerts/ for good); a console
   * subscription the operator made with /subscribe in the terminal stays.
   */
  async consoleDefault(running: readonly Platform[]): Promise<void> {
    const { subs, meta, config, log } = this.#d;
    // Outgoing webhooks are always on and are no chat bot: they do not replace the console.
    const chatPlatform = running.some((p) => p !== 'console' && p !== 'webhook');
    const existing = await subs.get('console', CONSOLE_CHAT_ID);
    if (!chatPlatform) {
      if (existing !== undefined) return;
      const created = await subs.upsert('console', CONSOLE_CHAT_ID, { lang: config.defaultLang });
      await meta.set(CONSOLE_DEFAULT_KEY, String(created.id));
      log.info('no bot token: alerts go to the console (default console subscription created)');
      return;
    }
    const marker = await meta.get(CONSOLE_DEFAULT_KEY);
    // No marker: a database from before it was kept. There the default is the console row never
    // changed since it was made; asked once, then the marker says there is none.
    const isDefault =
      existing?.active === true && (marker === undefined ? await subs.unchangedSinceCreated('console', CONSOLE_CHAT_ID) : marker === String(existing.id));
    if (isDefault) {
      await subs.deactivate('console', CONSOLE_CHAT_ID, RETIRED);
      log.info(
        `a chat platform is configured (${running.filter((p) => p !== 'console' && p !== 'webhook').join(', ')}): the default console subscription is retired, alerts no longer go to the console (/subscribe in the terminal brings it back)`,
      );
    }
    if (marker !== 'none') await meta.set(CONSOLE_DEFAULT_KEY, 'none');
  }

  /**
   * The steps, the data-changing ones (close, M2) followed by the chart warm-up: the charts commands
   * ask for are rendered ahead in the background (one at a time, yielding to users' renders), so
   * the first asker of each does not wait for its render.
   */
  warmingAfterData<S extends Steps>(steps: S): S {
    const after =
      <A extends unknown[]>(step: (...a: A) => Promise<void>) =>
      async (...a: A): Promise<void> => {
        try {
          await step(...a);
        } finally {
          this.#warmCharts();
        }
      };
    return { ...steps, close: after(steps.close), m2: after(steps.m2) };
  }

  /** The first sync through `close` (an unreachable source does not stop the start: the close job retries), or the catch-up. */
  run(close: Steps['close']): Promise<void> {
    const { log, config, quotes, pipeline, view, metrics } = this.#d;
    const signal = this.#abort.signal;
    if (!this.#loading) {
      return view.snapshot().then(async (snap) => {
        const r = await pipeline.catchUp(snap);
        for (const e of r.events) metrics.eventsDecided(e.kind);
        for (const e of r.moves ?? []) metrics.eventsDecided(`move-${e.direction}`);
        this.#warmCharts();
      });
    }
    return (async () => {
      log.info(`loading history in the background (first start: since ${config.backfillFrom}; later: only what is missing)`);
      try {
        await close(signal);
      } catch (e) {
        log.warn(`initial sync failed, will retry on schedule: ${(e as Error).message}`);
      } finally {
        this.#loading = false;
      }
      if (!signal.aborted) {
        try {
          const counts = await Promise.all((['spx', 'qqq', 'gold'] as const).map((i) => quotes.count(i)));
          if (counts.some((n) => n === 0)) log.warn(NO_HISTORY_HINT);
        } catch (e) {
          // The database gone (PostgreSQL down): said by /readyz and the store's own errors; nothing to hint.
          log.warn(`history check after the sync failed: ${(e as Error).message}`);
        }
      }
    })();
  }

  #warmCharts(): void {
    const { config, charts, now, log } = this.#d;
    if (!config.chartWarmUp || this.#abort.signal.aborted) return;
    void charts.warmUp(askedCharts(tradingDate(now())), LANGS, this.#abort.signal).then(
      (n) => log.debug('charts rendered ahead', { charts: n }),
      (e: unknown) => log.warn(`chart warm-up failed: ${(e as Error).message}`),
    );
  }
}
