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
import { HISTORY_RETRY_KEY, historyRetryNote, nextRetryAt, parseHistoryRetry, retryTickAt, type HistoryRetry } from './domain/history-retry.ts';
import type { InstrumentId } from './domain/instruments.ts';
import type { JobSpec } from './schedule/scheduler.ts';
import type { Logger } from './log.ts';
import type { Metrics } from './ops/metrics.ts';
import { closeJob, type Steps } from './schedule/jobs.ts';
import { nextRunAt, runSaid } from './schedule/next-run.ts';
import type { MarketView } from './store/market-view.ts';
import type { MetaStore } from './store/meta.ts';
import type { QuoteStore } from './store/quotes.ts';
import type { SubscriptionStore } from './store/subscriptions.ts';
import { isUnreachable } from './store/busy.ts';

/** Said once after a first sync that left an instrument without history (offline, sources down). */
export const NO_HISTORY_HINT =
  'no history yet: the quote sources could not be reached. goldratio tries again in 1 minute, then after 2, 5, 10 and every 15 minutes until it has it; or load CSVs now with `goldratio import` (README: "Loading history without network")';

/** Every series a chat answer needs: the three closes and M2 (/power). */
const SERIES: readonly InstrumentId[] = ['spx', 'qqq', 'gold', 'm2'];

export { CONSOLE_CHAT_ID };

/** meta: the id of the console subscription start-up created itself, or 'none'. */
const CONSOLE_DEFAULT_KEY = 'console.default_subscription';
/** The default console subscription's deactivation reason once a chat platform is on. */
const RETIRED = 'retired: a chat platform is configured';

/** Why the console subscription is stopped, as the start-up line says it. */
function stoppedWhy(reason: string | null): string {
  if (reason === RETIRED) return 'retired when a chat platform was configured';
  if (reason === 'unsubscribed') return 'unsubscribed with /unsubscribe';
  return reason ?? 'never subscribed';
}

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
  /** Aborted with #abort, or alone at a stop's signal: the first sync serves nobody, so it does not wait out a drain. */
  readonly #sync = new AbortController();
  #loading: boolean;
  /** This process's first history sync is running (it leads, and run() began it). */
  #syncing = false;
  /** Close steps running now (the first sync, the close job, a retry): a retry never runs beside one. */
  #closing = 0;

  /** `initialSync`: false when the database was seeded (tests): catch up on its breaks instead of syncing. */
  constructor(d: StartUpDeps, o: { readonly initialSync: boolean }) {
    this.#d = d;
    this.#loading = o.initialSync;
  }

  /** Aborted by abort(): what start-up work and the platforms' starts listen to. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /**
   * True while this process runs its first history sync (the chat /status says so). Never on a
   * standby replica, which runs none: it used to answer "updating the history" for as long as it
   * stood by, and keep back why a series had none (the sources unreachable, the next try).
   */
  readonly historyLoading = (): boolean => this.#syncing;

  /** The pending retry of a series without history, as every replica reads it (the chat says why there is nothing, and when the next try is). */
  readonly historyRetry = async (): Promise<HistoryRetry | undefined> => parseHistoryRetry(await this.#d.meta.get(HISTORY_RETRY_KEY));

  /** When the history job tries again if the close failing at `at` leaves a series without history (as #noteHistory sets it). */
  readonly historyRetryAt = async (at: number): Promise<number> => retryTickAt(nextRetryAt(at, ((await this.historyRetry())?.tries ?? 0) + 1));

  abort(): void {
    this.#abort.abort();
    this.#sync.abort();
  }

  /**
   * Ends the first history sync's fetches now, and nothing else: a stop signal with
   * STOP_DRAIN_SECONDS, while the platforms still serve (the drain), stops what serves nobody.
   */
  abortSync(): void {
    this.#sync.abort();
  }

  /**
   * With no chat platform on, the console is the one subscriber, so a first run shows what alerts
   * look like. Once a chat platform is on, that default subscription is retired (otherwise every
   * alert is printed and its chart written under DATA_DIR/alerts/ for good); a console
   * subscription the operator made with /subscribe in the terminal stays. `chatBots`: the platforms
   * running that people talk to (PlatformAdapter.chatBot; outgoing webhooks are always on and are no
   * chat bot: they do not replace the console).
   */
  async consoleDefault(chatBots: readonly Platform[]): Promise<void> {
    const { subs, meta, config, log } = this.#d;
    const chatPlatform = chatBots.length > 0;
    const existing = await subs.get('console', CONSOLE_CHAT_ID);
    if (!chatPlatform) {
      // Each replica on PostgreSQL runs this at its start: the line says what this one did, and
      // where alerts are printed (the leader sends them all).
      const where = config.databaseUrl === undefined ? 'the console' : 'the console of the replica that leads';
      if (existing !== undefined) {
        if (existing.active) log.info(`no bot token: alerts go to ${where} (console subscription already there)`);
        else
          log.warn(
            `no bot token, but the console subscription is stopped (${stoppedWhy(existing.deactivatedReason)}): alerts are not printed; /subscribe in the terminal brings them back`,
          );
        return;
      }
      // Created only if still missing, in one unit: two replicas starting together on one
      // PostgreSQL both find none above, and one of them makes it.
      let made = false;
      const created = await subs.upsert('console', CONSOLE_CHAT_ID, (current) => {
        made = current === undefined;
        return made ? { lang: config.defaultLang } : undefined;
      });
      if (made && created !== undefined) {
        await meta.set(CONSOLE_DEFAULT_KEY, String(created.id));
        log.info(`no bot token: alerts go to ${where} (default console subscription created)`);
      } else log.info(`no bot token: alerts go to ${where} (default console subscription created by another replica starting at the same time)`);
      return;
    }
    const marker = await meta.get(CONSOLE_DEFAULT_KEY);
    // No marker: a database from before it was kept. There the default is the console row never
    // changed since it was made; asked once, then the marker says there is none.
    const isDefault =
      existing?.active === true && (marker === undefined ? await subs.unchangedSinceCreated('console', CONSOLE_CHAT_ID) : marker === String(existing.id));
    if (isDefault) {
      const platforms = chatBots.join(', ');
      // Retired only if still active, in one unit: of replicas starting together, one retires it.
      let retired = false;
      await subs.upsert('console', CONSOLE_CHAT_ID, (current) => {
        retired = current?.active === true && current.id === existing.id;
        return retired ? { active: false, deactivatedReason: RETIRED } : undefined;
      });
      log.info(
        retired
          ? `a chat platform is configured (${platforms}): the default console subscription is retired, alerts no longer go to the console (/subscribe in the terminal brings it back)`
          : `a chat platform is configured (${platforms}): the default console subscription was retired by another replica starting at the same time, alerts no longer go to the console`,
      );
    }
    if (marker !== 'none') await meta.set(CONSOLE_DEFAULT_KEY, 'none');
  }

  /**
   * The steps, the data-changing ones (close, M2) followed by the chart warm-up: the charts commands
   * ask for are rendered ahead in the background (one at a time, yielding to users' renders), so
   * the first asker of each does not wait for its render. After a close, whether a series is still
   * without history (then its retry is due soon: historyRetryJob).
   */
  warmingAfterData<S extends Steps>(steps: S): S {
    const after =
      <A extends unknown[]>(step: (...a: A) => Promise<void>, closes = false) =>
      async (...a: A): Promise<void> => {
        if (closes) this.#closing++;
        try {
          await step(...a);
        } finally {
          if (closes) {
            this.#closing--;
            await this.#noteHistory();
          }
          this.#warmCharts();
        }
      };
    return { ...steps, close: after(steps.close, true), m2: after(steps.m2) };
  }

  /**
   * Every minute: while a series has no history, the close step again when its retry is due (1, 2,
   * 5, 10, then every 15 minutes after each failed try), not only at the next trading day's close.
   * `close` is the wrapped step (warmingAfterData), which notes the outcome.
   */
  historyRetryJob(close: Steps['close']): JobSpec {
    return {
      name: 'history',
      cron: '* * * * *',
      timezone: 'UTC',
      run: async (signal) => {
        if (this.#loading || this.#closing > 0) return;
        const pending = await this.historyRetry();
        if (pending === undefined || this.#d.now() < pending.nextAt) return;
        this.#d.log.info(`history: trying again for ${pending.missing.join(', ')} (try ${pending.tries + 1})`);
        await close(signal);
      },
    };
  }

  /** After a close: the series still without history, and when to try again; the row removed once there is none. */
  async #noteHistory(): Promise<void> {
    const { quotes, meta, now, log } = this.#d;
    if (this.#sync.signal.aborted) return;
    try {
      const counts = await Promise.all(SERIES.map((i) => quotes.count(i)));
      const missing = SERIES.filter((_, k) => counts[k] === 0);
      const before = parseHistoryRetry(await meta.get(HISTORY_RETRY_KEY));
      if (missing.length === 0) {
        if (before !== undefined) {
          await meta.delete(HISTORY_RETRY_KEY);
          log.info(`history: every series has its history now (after ${before.tries + 1} tries)`);
        }
        return;
      }
      const at = now();
      const tries = (before?.tries ?? 0) + 1;
      const next: HistoryRetry = { failedAt: at, nextAt: nextRetryAt(at, tries), tries, missing };
      await meta.set(HISTORY_RETRY_KEY, JSON.stringify(next));
      if (before !== undefined) log.warn(`history: still none for ${missing.join(', ')}; next try at ${runSaid(retryTickAt(next.nextAt), at)}`);
    } catch (e) {
      // The database gone (PostgreSQL down): said by /readyz and the store's own errors.
      log.warn(`history check after the close failed: ${(e as Error).message}`);
    }
  }

  /** The first sync through `close` (an unreachable source does not stop the start: the close job retries), or the catch-up. */
  run(close: Steps['close']): Promise<void> {
    const { log, config, quotes, pipeline, view, metrics } = this.#d;
    const signal = this.#sync.signal;
    if (!this.#loading) {
      return view.snapshot().then(async (snap) => {
        const r = await pipeline.catchUp(snap);
        for (const e of r.events) metrics.eventsDecided(e.kind);
        for (const e of r.moves ?? []) metrics.eventsDecided(`move-${e.direction}`);
        this.#warmCharts();
      });
    }
    this.#syncing = true;
    return (async () => {
      // Said from what is stored: a replica taking the lead, or a start on copied data, fetches only
      // what is missing, and "since 1999" there read as if the copy had been lost.
      const empty = await Promise.all(SERIES.map(async (i) => ((await quotes.count(i)) === 0 ? i : undefined))).then(
        (r) => r.filter((i) => i !== undefined),
        () => undefined,
      );
      log.info(
        empty === undefined
          ? `loading history in the background (what is missing, or since ${config.backfillFrom} where none is stored)`
          : empty.length === SERIES.length
            ? `loading history in the background: none stored yet, since ${config.backfillFrom}`
            : `loading history in the background: what is missing after the stored closes${empty.length === 0 ? '' : `; ${empty.join(', ')} none stored yet, since ${config.backfillFrom}`}`,
      );
      try {
        await close(signal);
      } catch (e) {
        const next = nextRunAt(closeJob(config), this.#d.now());
        const when = next === undefined ? `(CRON_CLOSE "${config.cron.close}" has none in the next two weeks)` : runSaid(next, this.#d.now());
        // With replicas, a database that went away (a restart) usually ends this replica's lead too,
        // and whichever replica leads next syncs at its lead's start: "the next close run, in 54.5 h"
        // alone read as two days without history where it was seconds (ops24).
        log.warn(
          config.databaseUrl !== undefined && isUnreachable(e)
            ? `initial sync failed, the database unreachable: ${(e as Error).message}; it runs again as soon as a replica takes the lead (a restart of the database ends this one's), else at the next close run, ${when}`
            : `initial sync failed, will retry at the next close run${next === undefined ? ` ${when}` : `, ${when}`}: ${(e as Error).message}`,
        );
      } finally {
        this.#loading = false;
        this.#syncing = false;
      }
      if (!signal.aborted) {
        try {
          const counts = await Promise.all((['spx', 'qqq', 'gold'] as const).map((i) => quotes.count(i)));
          if (counts.some((n) => n === 0))
            log.warn(historyRetryNote(parseHistoryRetry(await this.#d.meta.get(HISTORY_RETRY_KEY)), this.#d.now(), NO_HISTORY_HINT));
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
