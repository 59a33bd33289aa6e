/**
 * A pace per platform: at most `ratePerSecond` sends start per second, spaced evenly (no burst),
 * shared by every send in flight. `pauseUntil` holds the whole queue (a platform-wide 429): a
 * send that was already waiting for its slot when the pause came waits for the pause too.
 */
export class RateLimiter {
  readonly #intervalMs: number;
  #next = 0;
  #pausedUntil = 0;
  #pauses = 0;

  constructor(
    ratePerSecond: number,
    readonly now: () => number = Date.now,
    /** How a caller waits for its slot; tests pass a virtual clock's sleep with its `now`. */
    readonly wait: (ms: number, signal?: AbortSignal) => Promise<void> = sleep,
  ) {
    if (!(ratePerSecond > 0)) throw new Error(`bug: rate must be > 0, got ${ratePerSecond}`);
    this.#intervalMs = 1000 / ratePerSecond;
  }

  /**
   * Resolves true when the caller may start one send; false when the platform is paused for
   * longer than `maxWaitMs` (leave the work to a later drain) or `signal` aborted.
   */
  async take(signal?: AbortSignal, maxWaitMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    for (;;) {
      const now = this.now();
      if (this.#pausedUntil - now > maxWaitMs) return false;
      const at = Math.max(now, this.#next, this.#pausedUntil);
      this.#next = at + this.#intervalMs;
      const pauses = this.#pauses;
      if (at - now >= 1) await this.wait(at - now, signal);
      if (signal?.aborted) return false;
      // A pause that came while we waited voids our slot: queue again behind it.
      if (this.#pauses === pauses) return true;
    }
  }

  pauseUntil(atMs: number): void {
    if (atMs <= this.#pausedUntil) return;
    this.#pausedUntil = atMs;
    this.#next = Math.max(this.#next, atMs);
    this.#pauses++;
  }

  /** How many pauses began so far: a caller can tell whether one came while it was busy. */
  get pauses(): number {
    return this.#pauses;
  }

  /** Until when the platform is paused (0 or a past time: not paused). */
  get pausedUntil(): number {
    return this.#pausedUntil;
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
