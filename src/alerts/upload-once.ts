/**
 * A chart goes up once per message and language, however many chats get it: the first sender
 * uploads it, everyone else reuses what the platform gave back (Telegram's file_id, Discord's
 * attachment URL), and senders that come while the upload is in flight wait for it and take it
 * over. When the upload fails because of the uploader's own chat (blocked, gone, no rights), the
 * next sender uploads itself; any other failure (a 429, a 5xx, the network) holds for everyone,
 * so the waiters fail the same way without a call of their own. Both notifiers use this one.
 *
 * With `shared` (the database's record of uploads, store/chart-uploads.ts), the same holds across
 * replicas: a chart another process uploaded is reused by its handle, and one whose upload is in
 * flight elsewhere is waited for. The record is a saving, not a condition of sending: when the
 * database cannot answer, the chart is uploaded as if alone.
 */
import { createHash } from 'node:crypto';
import type { ChartFile } from './notifier.ts';
import type { ChartUploadStore } from '../store/chart-uploads.ts';
import type { Platform } from '../domain/platform.ts';
import { sleep } from '../sleep.ts';

type Upload<H> = { readonly handle: H } | { readonly error: unknown };

/** Uploads every replica of a platform shares (store/chart-uploads.ts bound to one platform). */
export interface SharedUploads {
  /** `maxAgeMs`: a handle recorded longer ago than this is not reused but uploaded again (a URL that expires). */
  begin(key: string, maxAgeMs?: number): Promise<{ readonly upload: true } | { readonly ref: string } | { readonly wait: true }>;
  remember(key: string, ref: string): Promise<string>;
  abandon(key: string): Promise<void>;
  /** The platform refused `ref` (store/chart-uploads.ts forget): the next asker uploads. */
  forget(key: string, ref: string): Promise<void>;
  /** The reference recorded for `key`, if an upload finished (none is started). */
  peek(key: string): Promise<string | undefined>;
}

/**
 * How long another replica's upload is waited for before this one takes it over: longer than an
 * upload with the notifiers' 30 s request timeout.
 */
export const SHARED_UPLOAD_LEASE_MS = 45_000;
const SHARED_POLL_MS = 100;

/** The database's record of one platform's uploads, as UploadOnce asks it. */
export function sharedUploads(store: ChartUploadStore, platform: Platform, now: () => number = Date.now): SharedUploads {
  return {
    begin: (key, maxAgeMs) => store.begin(platform, key, now(), SHARED_UPLOAD_LEASE_MS, maxAgeMs),
    remember: (key, ref) => store.remember(platform, key, ref, now()),
    abandon: (key) => store.abandon(platform, key),
    forget: (key, ref) => store.forget(platform, key, ref),
    peek: (key) => store.get(platform, key),
  };
}

export interface UploadOnceOptions {
  /** The upload's failure was about the uploader's chat, not the platform or the network: a waiter may try itself. */
  readonly chatSpecific: (error: unknown) => boolean;
  /**
   * The platform refused a handle it gave (Telegram: a file_id of another bot, when the database
   * was moved to a new token's bot): it is forgotten, here and in the shared record, and the chart
   * uploaded again, once. Absent: such an error is the send's, as any other.
   */
  readonly staleHandle?: (error: unknown) => boolean;
  /** Said when the platform accepted an upload but gave nothing to reuse. */
  readonly noHandle: string;
  /** Uploads remembered (an alert's fan-out finishes long before 64 others start). */
  readonly capacity?: number;
  /** The uploads replicas share through the database; without it, this process's only. */
  readonly shared?: SharedUploads;
  /**
   * How long a handle may be reused (absent: for ever, as Telegram's file_id). Older, the chart is
   * uploaded again: Discord's attachment URLs are signed and expire.
   */
  readonly maxAgeMs?: number;
  /** The clock for `maxAgeMs` (Date.now when absent). */
  readonly now?: () => number;
}

export class UploadOnce<H extends string = string> {
  /** Uploads done so far (the benchmark and tests read it). */
  uploads = 0;
  readonly #o: UploadOnceOptions;
  /**
   * `${messageKey}:${png hash}` → the upload in flight or done. Keyed by content too: one message
   * has a chart per language, and a later drain may render the same chart into a new Buffer.
   */
  readonly #files = new Map<string, Promise<Upload<H>>>();
  /** When each key's handle was had (uploaded here, or found in the shared record), for `maxAgeMs`. */
  readonly #had = new Map<string, number>();
  readonly #hashes = new WeakMap<Buffer, string>();

  constructor(options: UploadOnceOptions) {
    this.#o = options;
  }

  /**
   * Sends `chart` to one chat: `upload()` sends it with the file and returns the handle to reuse,
   * or `reuse(handle)` sends it by that handle when an earlier sender uploaded it.
   */
  async send(messageKey: string, chart: ChartFile, upload: () => Promise<H | undefined>, reuse: (handle: H) => Promise<void>): Promise<void> {
    const key = `${messageKey}:${this.#hash(chart.png)}`;
    // A refused handle is met once per send: a second refusal is the send's error.
    let refused = false;
    for (;;) {
      const pending = this.#files.get(key);
      if (pending !== undefined) {
        const done = await pending;
        if ('handle' in done) {
          if (!this.#stale(key)) {
            try {
              return await reuse(done.handle);
            } catch (err) {
              if (refused || this.#o.staleHandle?.(err) !== true) throw err;
              refused = true;
              // Refused by the platform: the next turn uploads it again, once (the senders that
              // met the same refusal meanwhile take that upload).
              if (this.#files.get(key) === pending) {
                this.#forget(key);
                await this.#forgetShared(key, done.handle);
              }
              continue;
            }
          }
          // Too old to reuse (an expiring URL): the next turn uploads it again, once.
          if (this.#files.get(key) === pending) this.#forget(key);
          continue;
        }
        if (!this.#o.chatSpecific(done.error)) throw done.error;
        continue;
      }
      let settle!: (u: Upload<H>) => void;
      this.#files.set(key, new Promise((resolve) => (settle = resolve)));
      this.#trim();
      const shared = await this.#sharedTurn(key);
      if (shared !== undefined) {
        this.#had.set(key, this.#now());
        settle({ handle: shared });
        // Sent by the next turn, which also handles a handle the platform refuses.
        continue;
      }
      try {
        const handle = await upload();
        this.uploads++;
        if (handle === undefined) {
          this.#files.delete(key);
          await this.#abandon(key);
          settle({ error: new Error(this.#o.noHandle) });
        } else {
          this.#had.set(key, this.#now());
          settle({ handle: await this.#remember(key, handle) });
        }
        return;
      } catch (err) {
        this.#files.delete(key);
        await this.#abandon(key);
        settle({ error: err });
        throw err;
      }
    }
  }

  /** The handle another replica uploaded (waiting for one in flight), or undefined: upload it here. */
  async #sharedTurn(key: string): Promise<H | undefined> {
    const shared = this.#o.shared;
    if (shared === undefined) return undefined;
    try {
      for (;;) {
        const turn = await shared.begin(key, this.#o.maxAgeMs);
        if ('upload' in turn) return undefined;
        if ('ref' in turn) return turn.ref as H;
        await sleep(SHARED_POLL_MS);
      }
    } catch {
      return undefined;
    }
  }

  async #remember(key: string, handle: H): Promise<H> {
    try {
      return ((await this.#o.shared?.remember(key, handle)) ?? handle) as H;
    } catch {
      return handle;
    }
  }

  async #forgetShared(key: string, handle: H): Promise<void> {
    try {
      await this.#o.shared?.forget(key, handle);
    } catch {
      // The next replica to meet the refusal forgets it.
    }
  }

  async #abandon(key: string): Promise<void> {
    try {
      await this.#o.shared?.abandon(key);
    } catch {
      // The claim runs out by itself (SHARED_UPLOAD_LEASE_MS).
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

  #now(): number {
    return (this.#o.now ?? Date.now)();
  }

  #stale(key: string): boolean {
    const max = this.#o.maxAgeMs;
    return max !== undefined && this.#now() - (this.#had.get(key) ?? 0) > max;
  }

  #forget(key: string): void {
    this.#files.delete(key);
    this.#had.delete(key);
  }

  #trim(): void {
    const max = this.#o.capacity ?? 64;
    while (this.#files.size > max) {
      const oldest = this.#files.keys().next().value;
      if (oldest === undefined) break;
      this.#forget(oldest);
    }
  }
}
