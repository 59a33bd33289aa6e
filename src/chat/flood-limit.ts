/**
 * Flood limiting, platform-neutral (the Telegram and Discord handlers both use it): a user who
 * sends more than `max` commands within `windowMs` is told once that they are going too fast,
 * and every further command of theirs is dropped until they have been quiet long enough for the
 * window to hold fewer than `max` again. Each user has their own window: nobody else slows down.
 */
export type FloodVerdict = 'ok' | 'warn' | 'drop';

export interface FloodLimitOptions {
  /** Commands allowed per window. Default 10. */
  readonly max?: number;
  /** Window length in ms. Default 10 s. */
  readonly windowMs?: number;
  readonly now?: () => number;
}

export class FloodLimiter {
  readonly max: number;
  readonly windowMs: number;
  readonly #now: () => number;
  readonly #users = new Map<string, { times: number[]; warned: boolean }>();
  #checks = 0;

  constructor(o: FloodLimitOptions = {}) {
    this.max = o.max ?? 10;
    this.windowMs = o.windowMs ?? 10_000;
    this.#now = o.now ?? Date.now;
  }

  /** Records one command from `user` (e.g. `telegram:1001`) and says what to do with it. */
  check(user: string): FloodVerdict {
    const now = this.#now();
    if (++this.#checks % 1000 === 0) this.#sweep(now);
    let u = this.#users.get(user);
    if (u === undefined) {
      u = { times: [], warned: false };
      this.#users.set(user, u);
    }
    // Dropped commands count too: a user who keeps hammering stays blocked until they pause.
    while (u.times.length > 0 && now - u.times[0]! >= this.windowMs) u.times.shift();
    if (u.times.length < this.max) {
      u.times.push(now);
      u.warned = false;
      return 'ok';
    }
    u.times.push(now);
    if (u.times.length > this.max * 2) u.times.splice(0, u.times.length - this.max * 2);
    if (u.warned) return 'drop';
    u.warned = true;
    return 'warn';
  }

  /** Whole seconds until `user` may send again (for the notice). */
  waitSeconds(user: string): number {
    const u = this.#users.get(user);
    if (u === undefined || u.times.length < this.max) return 0;
    const oldestThatMatters = u.times[u.times.length - this.max]!;
    return Math.max(1, Math.ceil((oldestThatMatters + this.windowMs - this.#now()) / 1000));
  }

  /** Milliseconds until `user` may send again: 0 once fewer than `max` of their commands (dropped ones too) lie within the window. */
  msUntilFree(user: string): number {
    const u = this.#users.get(user);
    if (u === undefined || u.times.length < this.max) return 0;
    return Math.max(0, u.times[u.times.length - this.max]! + this.windowMs - this.#now());
  }

  /** Users tracked now (memory stays bounded by the active ones). */
  get size(): number {
    return this.#users.size;
  }

  #sweep(now: number): void {
    for (const [k, u] of this.#users) if (u.times.length === 0 || now - u.times.at(-1)! >= this.windowMs) this.#users.delete(k);
  }
}
