/**
 * The dispatcher's pace, one per platform: at most `ratePerSecond` sends start per second, spaced
 * evenly (no burst), shared by every send in flight. A platform-wide pause (PlatformPause: a
 * global 429) holds the whole queue: a send that was already waiting for its slot when the pause
 * came waits for the pause too. docs/architecture.md ("Rate limits") places it among the others.
 */
import { sleep } from '../sleep.ts';
import { PlatformPause } from './platform-pause.ts';

export class RateLimiter {
  readonly #intervalMs: number;
  readonly #pause: PlatformPause;
  #next = 0;

  /** `pause`: the platform's own when something beside the dispatcher sees its 429s (Discord's budget). */
  constructor(
    ratePerSecond: number,
    readonly now: () => number = Date.now,
    pause?: PlatformPause,
    /** How a caller waits for its slot; tests pass a virtual clock's sleep with its `now`. */
    readonly wait: (ms: number, signal?: AbortSignal) => Promise<unknown> = sleep,
  ) {
    if (!(ratePerSecond > 0)) throw new Error(`bug: rate must be > 0, got ${ratePerSecond}`);
    this.#intervalMs = 1000 / ratePerSecond;
    this.#pause = pause ?? new PlatformPause(now);
  }

  /**
   * Resolves true when the caller may start one send; false when the platform is paused for
   * longer than `maxWaitMs` (leave the work to a later drain) or `signal` aborted.
   */
  async take(signal?: AbortSignal, maxWaitMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    for (;;) {
      const now = this.now();
      const paused = this.#pause.remaining();
      if (paused > maxWaitMs) return false;
      const at = Math.max(now, this.#next, now + paused);
      this.#next = at + this.#intervalMs;
      const pauses = this.#pause.count;
      if (at - now >= 1) await this.wait(at - now, signal);
      if (signal?.aborted) return false;
      // A pause that came while we waited voids our slot: queue again behind it.
      if (this.#pause.count === pauses) return true;
    }
  }

  pauseUntil(atMs: number): void {
    this.#pause.pauseFor(atMs - this.now());
    this.#next = Math.max(this.#next, atMs);
  }

  /** How many pauses began so far: a caller can tell whether one came while it was busy. */
  get pauses(): number {
    return this.#pause.count;
  }

  /** Until when the platform is paused (0: not paused). */
  get pausedUntil(): number {
    const left = this.#pause.remaining();
    return left > 0 ? this.now() + left : 0;
  }

  /** When the next send may start. */
  get nextAt(): number {
    return this.#next;
  }
}
