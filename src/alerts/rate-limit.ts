/**
 * A pace per platform: at most `ratePerSecond` sends start per second, spaced evenly (no burst),
 * shared by every send in flight. `pauseUntil` holds the whole queue (a platform-wide 429).
 */
export class RateLimiter {
  readonly #intervalMs: number;
  #next = 0;

  constructor(ratePerSecond: number, readonly now: () => number = Date.now) {
    if (!(ratePerSecond > 0)) throw new Error(`bug: rate must be > 0, got ${ratePerSecond}`);
    this.#intervalMs = 1000 / ratePerSecond;
  }

  /** Resolves when the caller may start one send. */
  async take(signal?: AbortSignal): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.#next);
    this.#next = at + this.#intervalMs;
    const wait = at - now;
    if (wait >= 1) await sleep(wait, signal);
  }

  pauseUntil(atMs: number): void {
    this.#next = Math.max(this.#next, atMs);
  }

  /** When the next send may start. */
  get nextAt(): number {
    return this.#next;
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
