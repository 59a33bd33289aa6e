/**
 * Sends alerts to Telegram chats for the dispatcher. One alert = a photo with the text as caption
 * (text past 1024 characters follows as messages), or text alone. The chart is uploaded once
 * per event and its file_id reused for every other chat. The global pace lives in the
 * dispatcher (it reads `ratePerSecond`); this notifier only keeps Telegram's own per-group limit
 * and turns the API's answers into SendResults.
 */
import { createHash } from 'node:crypto';
import { GrammyError, HttpError, InputFile, type Api } from 'grammy';
import type { AlertMessage, Notifier, SendResult } from '../../alerts/notifier.ts';
import type { Logger } from '../../log.ts';
import { CAPTION_MAX, MESSAGE_MAX, escapeHtml, splitText } from './html.ts';

export interface TelegramNotifierOptions {
  readonly api: Api;
  /** Messages per second in total (config.telegram.rate); the dispatcher paces by it. */
  readonly rate: number;
  /** At most this many messages per minute into one group (config.telegram.groupPerMinute). */
  readonly groupPerMinute: number;
  readonly paidBroadcast: boolean;
  readonly log: Logger;
  readonly now?: () => number;
  /** Backoff of 5xx and network errors: base doubles per failed try of the same delivery, capped. */
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number };
}

type Upload = { readonly fileId: string } | { readonly error: unknown };

/** An answer about the chat itself (blocked, gone, moved, no rights), not about Telegram or the network. */
function chatSpecific(err: unknown): boolean {
  return err instanceof GrammyError && (err.error_code === 400 || err.error_code === 403);
}

/** How many events keep their uploaded file_id (an alert's fan-out finishes long before). */
const FILE_CACHE = 64;
const GROUP_WINDOW_MS = 60_000;

export class TelegramNotifier implements Notifier {
  readonly platform = 'telegram' as const;
  readonly ratePerSecond: number;
  /** Uploads done so far (the benchmark and tests read it). */
  uploads = 0;

  readonly #o: TelegramNotifierOptions;
  readonly #now: () => number;
  /**
   * `${eventId}:${png hash}` → the upload in flight or done (its file_id, or why it failed). Keyed by content too: one event has a chart per language, and a later drain may
   * render the same chart into a new Buffer.
   */
  readonly #files = new Map<string, Promise<Upload>>();
  readonly #hashes = new WeakMap<Buffer, string>();
  /** `${eventId}:${chatId}` → parts already delivered, so a retry resumes instead of repeating. */
  readonly #progress = new Map<string, number>();
  /** `${eventId}:${chatId}` → failed tries (5xx/network), for the backoff. */
  readonly #failures = new Map<string, number>();
  /** group chat id → send times within the last minute. */
  readonly #groupSends = new Map<string, number[]>();
  /**
   * Until when Telegram told us to stop (a 429). The dispatcher pauses its queue too, but only once
   * this 429 reaches it: a send started by another worker in between must not call the API.
   */
  #pausedUntil = 0;

  constructor(options: TelegramNotifierOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.ratePerSecond = options.rate;
  }

  async send(chatId: string, message: AlertMessage): Promise<SendResult> {
    const paused = this.#pausedUntil - this.#now();
    if (paused > 0) return { kind: 'retry', afterMs: paused, reason: 'paused by an earlier 429', global: true };
    const key = `${message.eventId}:${chatId}`;
    const parts = message.chart !== undefined ? splitText(message.text, CAPTION_MAX) : splitText(message.text, MESSAGE_MAX);
    const done = this.#progress.get(key) ?? 0;
    const wait = this.#reserveGroup(chatId, parts.length - done);
    if (wait > 0) return { kind: 'retry', afterMs: wait, reason: `group limit of ${this.#o.groupPerMinute}/min` };
    try {
      for (let i = done; i < parts.length; i++) {
        const text = escapeHtml(parts[i] ?? '');
        if (i === 0 && message.chart !== undefined) await this.#sendPhoto(chatId, message, text);
        else await this.#o.api.sendMessage(chatId, text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...this.#paid() });
        this.#progress.set(key, i + 1);
      }
    } catch (err) {
      const result = this.#classify(err, key);
      if (result.kind !== 'retry') this.#forget(key);
      this.#o.log.debug('telegram send failed', { chatId, eventId: message.eventId, result: result.kind, error: String(err) });
      return result;
    }
    this.#forget(key);
    return { kind: 'sent' };
  }

  /** Uploads the chart for the first chat of an event; every other chat waits for that file_id. */
  async #sendPhoto(chatId: string, message: AlertMessage, caption: string): Promise<void> {
    const chart = message.chart;
    if (chart === undefined) return;
    const other = { caption, parse_mode: 'HTML' as const, ...this.#paid() };
    const key = `${message.eventId}:${this.#hash(chart.png)}`;
    for (;;) {
      const pending = this.#files.get(key);
      if (pending !== undefined) {
        const upload = await pending;
        if ('fileId' in upload) {
          await this.#o.api.sendPhoto(chatId, upload.fileId, other);
          return;
        }
        // The uploader's chat was the problem (blocked, moved): loop, and maybe upload ourselves.
        // Anything else (429, 5xx, network) holds for us too: fail the same way without a call.
        if (!chatSpecific(upload.error)) throw upload.error;
        continue;
      }
      let settle!: (u: Upload) => void;
      this.#files.set(key, new Promise((resolve) => (settle = resolve)));
      this.#trimFiles();
      try {
        const sent = await this.#o.api.sendPhoto(chatId, new InputFile(chart.png, chart.filename), other);
        this.uploads++;
        // The largest size comes last; its file_id resends the original upload.
        const fileId = sent.photo.at(-1)?.file_id;
        if (fileId === undefined) {
          this.#files.delete(key);
          settle({ error: new Error('sendPhoto answered without a file_id') });
        } else {
          settle({ fileId });
        }
        return;
      } catch (err) {
        this.#files.delete(key);
        settle({ error: err });
        throw err;
      }
    }
  }

  #hash(png: Buffer): string {
    let h = this.#hashes.get(png);
    if (h === undefined) {
      h = createHash('sha1').update(png).digest('hex');
      this.#hashes.set(png, h);
    }
    return h;
  }

  #classify(err: unknown, key: string): SendResult {
    if (err instanceof GrammyError) {
      const p = err.parameters;
      if (err.error_code === 429) {
        const afterMs = (p.retry_after ?? 1) * 1000;
        this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + afterMs);
        return { kind: 'retry', afterMs, reason: err.description, global: true };
      }
      if (p.migrate_to_chat_id !== undefined) return { kind: 'moved', newChatId: String(p.migrate_to_chat_id) };
      if (err.error_code === 403 || /chat not found|group chat was deactivated|user is deactivated/i.test(err.description)) {
        return { kind: 'dead', reason: err.description };
      }
      if (err.error_code >= 500) return this.#backoff(key, err.description);
      // Any other 400 is our bug (a bad request stays bad): retry late, loudly, rather than drop the chat.
      this.#o.log.error('telegram refused an alert', { error: err.description, method: err.method });
      return { kind: 'retry', afterMs: this.#o.backoff?.maxMs ?? 60_000, reason: err.description };
    }
    if (err instanceof HttpError) return this.#backoff(key, err.message);
    throw err;
  }

  #backoff(key: string, reason: string): SendResult {
    const tries = (this.#failures.get(key) ?? 0) + 1;
    this.#failures.set(key, tries);
    const { baseMs, maxMs } = this.#o.backoff ?? { baseMs: 1000, maxMs: 60_000 };
    return { kind: 'retry', afterMs: Math.min(maxMs, baseMs * 2 ** (tries - 1)), reason };
  }

  #forget(key: string): void {
    this.#progress.delete(key);
    this.#failures.delete(key);
  }

  #paid(): { allow_paid_broadcast?: true } {
    return this.#o.paidBroadcast ? { allow_paid_broadcast: true } : {};
  }

  /**
   * Reserves `count` sends in the group's minute and returns 0, or returns the ms to wait until they
   * fit. Reserving before sending (not counting after) keeps concurrent sends within the limit.
   */
  #reserveGroup(chatId: string, count: number): number {
    if (!chatId.startsWith('-')) return 0;
    const now = this.#now();
    const recent = (this.#groupSends.get(chatId) ?? []).filter((t) => t > now - GROUP_WINDOW_MS);
    if (recent.length === 0) this.#groupSends.delete(chatId);
    else this.#groupSends.set(chatId, recent);
    const over = recent.length + Math.min(count, this.#o.groupPerMinute) - this.#o.groupPerMinute;
    if (over > 0) return Math.max(1, (recent[over - 1] ?? now) + GROUP_WINDOW_MS - now);
    for (let i = 0; i < count; i++) recent.push(now);
    this.#groupSends.set(chatId, recent);
    return 0;
  }

  #trimFiles(): void {
    while (this.#files.size > FILE_CACHE) {
      const oldest = this.#files.keys().next().value;
      if (oldest === undefined) break;
      this.#files.delete(oldest);
    }
  }
}
