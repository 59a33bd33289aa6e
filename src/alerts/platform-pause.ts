/**
 * A platform-wide pause after a global 429: no request of that platform starts until it ends.
 * One per platform, shared by whoever sees the platform's 429s: the dispatcher's pace
 * (RateLimiter) for what the notifier reports, and on Discord the request budget, which also sees
 * the 429s of command replies. Kept as time remaining on its own clock, so parts on other clocks
 * (a test's) read it alike.
 */
export class PlatformPause {
  readonly #now: () => number;
  #until = 0;
  #count = 0;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Pauses for `ms` from now; a shorter pause than the one running changes nothing. */
  pauseFor(ms: number): void {
    const until = this.#now() + ms;
    if (until <= this.#until) return;
    this.#until = until;
    this.#count++;
  }

  /** Ms until the pause ends (0: not paused). */
  remaining(): number {
    return Math.max(0, this.#until - this.#now());
  }

  /** How many pauses began so far: a waiter can tell whether one came while it was busy. */
  get count(): number {
    return this.#count;
  }
}
