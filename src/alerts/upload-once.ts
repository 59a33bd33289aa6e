/**
 * A chart goes up once per message and language, however many chats get it: the first sender
 * uploads it, everyone else reuses what the platform gave back (Telegram's file_id, Discord's
 * attachment URL), and senders that come while the upload is in flight wait for it and take it
 * over. When the upload fails because of the uploader's own chat (blocked, gone, no rights), the
 * next sender uploads itself; any other failure (a 429, a 5xx, the network) holds for everyone,
 * so the waiters fail the same way without a call of their own. Both notifiers use this one.
 */
import { createHash } from 'node:crypto';
import type { ChartFile } from './notifier.ts';

type Upload<H> = { readonly handle: H } | { readonly error: unknown };

export interface UploadOnceOptions {
  /** The upload's failure was about the uploader's chat, not the platform or the network: a waiter may try itself. */
  readonly chatSpecific: (error: unknown) => boolean;
  /** Said when the platform accepted an upload but gave nothing to reuse. */
  readonly noHandle: string;
  /** Uploads remembered (an alert's fan-out finishes long before 64 others start). */
  readonly capacity?: number;
}

export class UploadOnce<H> {
  /** Uploads done so far (the benchmark and tests read it). */
  uploads = 0;
  readonly #o: UploadOnceOptions;
  /**
   * `${messageKey}:${png hash}` → the upload in flight or done. Keyed by content too: one message
   * has a chart per language, and a later drain may render the same chart into a new Buffer.
   */
  readonly #files = new Map<string, Promise<Upload<H>>>();
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
    for (;;) {
      const pending = this.#files.get(key);
      if (pending !== undefined) {
        const done = await pending;
        if ('handle' in done) return reuse(done.handle);
        if (!this.#o.chatSpecific(done.error)) throw done.error;
        continue;
      }
      let settle!: (u: Upload<H>) => void;
      this.#files.set(key, new Promise((resolve) => (settle = resolve)));
      this.#trim();
      try {
        const handle = await upload();
        this.uploads++;
        if (handle === undefined) {
          this.#files.delete(key);
          settle({ error: new Error(this.#o.noHandle) });
        } else {
          settle({ handle });
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

  #trim(): void {
    const max = this.#o.capacity ?? 64;
    while (this.#files.size > max) {
      const oldest = this.#files.keys().next().value;
      if (oldest === undefined) break;
      this.#files.delete(oldest);
    }
  }
}
