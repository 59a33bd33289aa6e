/**
 * Drains the outbox through the notifiers: per platform a paced queue (RateLimiter) with several
 * sends in flight, retries with backoff, dead chats deactivated, moved chats followed.
 *
 * Each row is marked sent right after its own send succeeded, so after a crash only the sends
 * that were in flight at that moment (at most `concurrency` per platform) can repeat.
 */
import type { Db } from '../store/db.ts';
import type { Logger } from '../log.ts';
import type { Lang } from '../domain/i18n/index.ts';
import type { AlertMessage, Notifier, Platform, SendResult } from './notifier.ts';
import { EventStore, type LevelEvent } from '../store/events.ts';
import { OutboxStore, type OutboxRow } from '../store/outbox.ts';
import type { SubscriptionStore } from '../store/subscriptions.ts';
import { RateLimiter } from './rate-limit.ts';
import { alertText } from './alert-text.ts';
import type { Metrics } from '../ops/metrics.ts';

export type ChartFor = (event: LevelEvent, lang: Lang) => Promise<{ png: Buffer; filename: string } | undefined>;

export interface DispatcherOptions {
  readonly notifiers: readonly Notifier[];
  /** Renders the alert's chart; called once per (event, language) per drain. */
  readonly chartFor?: ChartFor;
  /** Sends in flight per platform. Default 8. */
  readonly concurrency?: number;
  /** After this many failed attempts a row is given up (the chat stays subscribed). Default 10. */
  readonly maxAttempts?: number;
  /** First retry delay when the platform gave none; doubles per attempt, capped at 1 h. Default 5 s. */
  readonly backoffMs?: number;
  /** A platform-wide pause up to this long is waited out within the drain; longer ones end it. Default 30 s. */
  readonly maxPauseWaitMs?: number;
  readonly now?: () => number;
  readonly log?: Logger;
  /** Counts each send's outcome and time (src/ops/metrics.ts). */
  readonly metrics?: Pick<Metrics, 'send'>;
}

export interface DrainResult {
  readonly sent: number;
  readonly retried: number;
  readonly dead: number;
  readonly moved: number;
  readonly failed: number;
}

const BATCH = 256;
const OUTCOME = { sent: 'sent', retry: 'retried', dead: 'dead', moved: 'moved' } as const;

export class Dispatcher {
  readonly #subs: SubscriptionStore;
  readonly #events: EventStore;
  readonly #outbox: OutboxStore;
  readonly #notifiers: Map<Platform, { notifier: Notifier; limiter: RateLimiter }>;
  readonly #opts: DispatcherOptions;
  readonly #now: () => number;
  #running: Promise<DrainResult> | undefined;

  constructor(db: Db, subs: SubscriptionStore, opts: DispatcherOptions) {
    this.#subs = subs;
    this.#events = new EventStore(db);
    this.#outbox = new OutboxStore(db);
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
    this.#notifiers = new Map(
      opts.notifiers.map((n) => [n.platform, { notifier: n, limiter: new RateLimiter(n.ratePerSecond, this.#now) }]),
    );
  }

  /** Rows waiting to be sent (all platforms). */
  pending(): number {
    return this.#outbox.pendingCount();
  }

  /**
   * Sends every row that is due now, then resolves. Rows rescheduled for later wait for the next
   * drain. Calling drain while one runs returns the running one. Abort stops taking new rows;
   * the sends in flight finish and are recorded.
   */
  drain(signal?: AbortSignal): Promise<DrainResult> {
    this.#running ??= this.#drain(signal).finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #drain(signal?: AbortSignal): Promise<DrainResult> {
    const totals = { sent: 0, retried: 0, dead: 0, moved: 0, failed: 0 };
    const events = new Map<number, LevelEvent | undefined>();
    const messages = new Map<string, Promise<AlertMessage | undefined>>();
    const message = (eventId: number, lang: Lang): Promise<AlertMessage | undefined> => {
      const key = `${eventId}/${lang}`;
      let m = messages.get(key);
      if (m === undefined) {
        m = this.#message(eventId, lang, events);
        messages.set(key, m);
      }
      return m;
    };
    const platforms = [...this.#notifiers.keys()].filter((p) => this.#outbox.pendingPlatforms().includes(p));
    await Promise.all(platforms.map((p) => this.#drainPlatform(p, message, totals, signal)));
    if (totals.sent + totals.retried + totals.dead + totals.moved + totals.failed > 0) {
      this.#opts.log?.info('outbox drained', { ...totals });
    }
    return totals;
  }

  async #drainPlatform(
    platform: Platform,
    message: (eventId: number, lang: Lang) => Promise<AlertMessage | undefined>,
    totals: { sent: number; retried: number; dead: number; moved: number; failed: number },
    signal?: AbortSignal,
  ): Promise<void> {
    const { notifier, limiter } = this.#notifiers.get(platform)!;
    const concurrency = Math.max(1, this.#opts.concurrency ?? 8);
    const maxPause = this.#opts.maxPauseWaitMs ?? 30_000;
    let stop = false;
    const movedOnce = new Set<number>();
    while (!stop && !signal?.aborted) {
      const queue: OutboxRow[] = this.#outbox.due(platform, this.#now(), BATCH);
      if (queue.length === 0) break;
      const worker = async () => {
        for (let row = queue.shift(); row !== undefined && !stop && !signal?.aborted; row = queue.shift()) {
          if (limiter.nextAt - this.#now() > maxPause) {
            stop = true; // paused for long: leave the rest to a later drain
            break;
          }
          await limiter.take(signal);
          if (signal?.aborted) break;
          const msg = await message(row.eventId, row.lang);
          if (msg === undefined) {
            this.#outbox.markDead(row.id, 'event not found');
            totals.failed++;
            continue;
          }
          let result: SendResult;
          const t0 = performance.now();
          try {
            result = await notifier.send(row.chatId, msg);
          } catch (e) {
            this.#opts.log?.error(`${platform} send to ${row.chatId} threw`, { error: String(e) });
            result = { kind: 'retry', afterMs: 0, reason: e instanceof Error ? e.message : String(e) };
          }
          this.#record(row, result, limiter, totals, movedOnce);
          this.#opts.metrics?.send(platform, OUTCOME[result.kind], (performance.now() - t0) / 1000);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
    }
  }

  /** Records one send's outcome. */
  #record(
    row: OutboxRow,
    result: SendResult,
    limiter: RateLimiter,
    totals: { sent: number; retried: number; dead: number; moved: number; failed: number },
    movedOnce: Set<number>,
  ): void {
    const now = this.#now();
    switch (result.kind) {
      case 'sent':
        this.#outbox.markSent(row.id, now);
        totals.sent++;
        return;
      case 'retry': {
        const attempts = row.attempts + 1;
        if (attempts >= (this.#opts.maxAttempts ?? 10)) {
          this.#outbox.markDead(row.id, `gave up after ${attempts} attempts: ${result.reason}`);
          this.#opts.log?.warn(`${row.platform} chat ${row.chatId}: gave up on event ${row.eventId}`, { reason: result.reason });
          totals.failed++;
          return;
        }
        const backoff = Math.min((this.#opts.backoffMs ?? 5_000) * 2 ** (attempts - 1), 3_600_000);
        const at = now + Math.max(result.afterMs, result.global === true ? 0 : backoff);
        this.#outbox.reschedule(row.id, at, result.reason);
        // The pause lives in the limiter, which outlives the drain: the next drain waits too.
        if (result.global === true) limiter.pauseUntil(now + result.afterMs);
        totals.retried++;
        return;
      }
      case 'dead':
        this.#outbox.markDead(row.id, result.reason);
        this.#subs.deactivate(row.platform, row.chatId, result.reason);
        this.#outbox.dropPendingOf(row.subscriptionId, `chat dead: ${result.reason}`);
        this.#opts.log?.info(`${row.platform} chat ${row.chatId} deactivated: ${result.reason}`);
        totals.dead++;
        return;
      case 'moved':
        // The row moves with the subscription and stays due: the next batch sends it to the new
        // chat. A second move of the same row in one drain waits (a platform bouncing chats).
        this.#subs.move(row.platform, row.chatId, result.newChatId);
        if (movedOnce.has(row.id)) this.#outbox.reschedule(row.id, now + (this.#opts.backoffMs ?? 5_000), 'moved twice');
        movedOnce.add(row.id);
        totals.moved++;
        return;
    }
  }

  async #message(eventId: number, lang: Lang, events: Map<number, LevelEvent | undefined>): Promise<AlertMessage | undefined> {
    if (!events.has(eventId)) events.set(eventId, this.#events.byId(eventId));
    const event = events.get(eventId);
    if (event === undefined) return;
    const text = alertText(event, lang);
    let chart: AlertMessage['chart'];
    if (this.#opts.chartFor !== undefined) {
      try {
        chart = await this.#opts.chartFor(event, lang);
      } catch (e) {
        // A chart is a nice-to-have: the alert goes out as text.
        this.#opts.log?.warn(`chart for event ${eventId} failed; sending text only`, { error: String(e) });
      }
    }
    return chart === undefined ? { eventId, text } : { eventId, text, chart };
  }
}
