/**
 * Sends queued digests through the notifiers. Text and chart are built once per language per
 * drain (the chart service renders once per language and data version; Telegram reuses the
 * uploaded file_id for every other chat of the same language). A row is marked sent right after
 * its own send, as the alert dispatcher does.
 */
import type { Logger } from '../log.ts';
import type { Lang } from '../domain/i18n/index.ts';
import { toEpochDay } from '../domain/dates.ts';
import { digestText, type DigestData } from '../domain/digest.ts';
import type { ChartRequest } from '../chat/reply.ts';
import type { DigestStore, PendingDigest } from '../store/digests.ts';
import type { SubscriptionStore } from '../store/subscriptions.ts';
import type { AlertMessage, Notifier, Platform } from './notifier.ts';

export interface DigestDispatchOptions {
  readonly digests: DigestStore;
  readonly subs: SubscriptionStore;
  readonly notifiers: readonly Notifier[];
  /** The digest of the stored data now (services/digest-view digestOf). */
  readonly digest: () => DigestData | undefined;
  readonly chart: (req: ChartRequest, lang: Lang) => Promise<{ png: Buffer; filename: string } | undefined>;
  readonly now: () => number;
  readonly log: Logger;
  /** Sends in flight per platform. Default 8. */
  readonly concurrency?: number;
}

/** The message a chat gets: the digest text (head, then the rest) with its chart. */
export async function digestMessage(d: DigestData, lang: Lang, chart: DigestDispatchOptions['chart']): Promise<AlertMessage> {
  const text = digestText(d, lang);
  const png = await chart({ kind: 'digest' }, lang);
  // A stable id per US close: Telegram's file_id cache is keyed by it and the PNG's hash.
  return { eventId: -toEpochDay(d.date), text: text.rest === '' ? text.head : `${text.head}\n${text.rest}`, ...(png ? { chart: png } : {}) };
}

export interface DigestDrainResult {
  readonly sent: number;
  readonly retried: number;
  readonly dead: number;
}

export class DigestDispatcher {
  readonly #o: DigestDispatchOptions;
  #running: Promise<DigestDrainResult> | undefined;

  constructor(o: DigestDispatchOptions) {
    this.#o = o;
  }

  drain(signal?: AbortSignal): Promise<DigestDrainResult> {
    this.#running ??= this.#drain(signal).finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #drain(signal?: AbortSignal): Promise<DigestDrainResult> {
    let sent = 0;
    let retried = 0;
    let dead = 0;
    const o = this.#o;
    for (const platform of o.digests.pendingPlatforms()) {
      const notifier = o.notifiers.find((n) => n.platform === platform);
      if (notifier === undefined) continue;
      const messages = new Map<Lang, Promise<AlertMessage>>();
      const data = o.digest();
      if (data === undefined) break;
      let paused = false;
      for (;;) {
        if (signal?.aborted || paused) break;
        const rows = o.digests.pending(platform, o.now(), 256);
        if (rows.length === 0) break;
        const one = async (row: PendingDigest): Promise<void> => {
          if (paused) return;
          let m = messages.get(row.lang);
          if (m === undefined) messages.set(row.lang, (m = digestMessage(data, row.lang, o.chart)));
          const r = await notifier.send(row.chatId, await m);
          switch (r.kind) {
            case 'sent':
              o.digests.markSent(row.id, o.now());
              sent++;
              return;
            case 'retry':
              o.digests.reschedule(row.id, o.now() + r.afterMs, r.reason);
              retried++;
              if (r.global === true) paused = true;
              return;
            case 'dead':
              o.digests.markDead(row.id, row.subscriptionId, r.reason);
              o.subs.deactivate(platform as Platform, row.chatId, r.reason);
              o.log.info(`digest: chat ${row.chatId} is gone (${r.reason}): its digest is off`);
              dead++;
              return;
            case 'moved':
              o.subs.move(platform as Platform, row.chatId, r.newChatId);
              o.digests.move(row.id, r.newChatId);
              return;
          }
        };
        const queue = [...rows];
        await Promise.all(
          Array.from({ length: Math.min(o.concurrency ?? 8, queue.length) }, async () => {
            for (let row = queue.shift(); row !== undefined; row = queue.shift()) await one(row);
          }),
        );
      }
    }
    return { sent, retried, dead };
  }
}
