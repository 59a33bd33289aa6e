/**
 * Bringing a chat platform up without holding the rest of the bot hostage, for Telegram and
 * Discord alike: each failed attempt is one log line, the next waits a capped backoff, a refusal
 * that no retry can fix (a wrong token, a port in use) ends the attempts with one line, and an
 * abort (Ctrl-C) ends the wait at once. The caller runs this in the background: the schedule and
 * the other platforms keep going meanwhile.
 */
import type { Logger } from '../log.ts';
import { sleep } from '../sleep.ts';
import { oneLine } from '../one-line.ts';

export interface StartupOptions {
  /** Said in every line: `Telegram`, `Discord`. */
  readonly name: string;
  readonly log: Logger;
  /** One try at coming up (identify, register commands, start receiving). */
  readonly attempt: () => Promise<void>;
  /** A one-line reason when the failure cannot be fixed by retrying; undefined to retry. */
  readonly fatal?: (error: unknown) => string | undefined;
  readonly signal?: AbortSignal;
  /** First wait in ms (default 1 s); doubles per attempt up to maxDelayMs (default 60 s). */
  readonly firstDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Told of each failed attempt and of the start, for /readyz (the platform's readiness). */
  readonly retries?: RetryState;
}

/**
 * What a start still retrying has to say on /readyz: the last attempt's failure and when the next
 * one is (`attempt 3 failed: cannot reach https://api.telegram.org (ECONNREFUSED); next in 8 s`),
 * so an operator reads why from the probe, not only from the logs. Nothing once started.
 */
export class RetryState {
  #last: { readonly attempt: number; readonly reason: string; readonly nextAt: number } | undefined;
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  failed(attempt: number, reason: string, delayMs: number): void {
    this.#last = { attempt, reason, nextAt: this.#now() + delayMs };
  }

  clear(): void {
    this.#last = undefined;
  }

  /** `state` with the last failure after it (`not receiving updates: attempt 3 failed: …`), or alone when none. */
  explain(state: string): string {
    const why = this.describe();
    return why === undefined ? state : `${state}: ${why}`;
  }

  /** One line, or undefined when no attempt has failed since the last start. */
  describe(): string | undefined {
    const l = this.#last;
    if (l === undefined) return undefined;
    const s = Math.max(0, Math.ceil((l.nextAt - this.#now()) / 1000));
    return `attempt ${l.attempt} failed: ${l.reason}; ${s > 0 ? `next in ${s} s` : 'trying again'}`;
  }
}

/**
 * How long one call of a platform's start (Telegram's getMe, Discord's command registration and
 * gateway address) may go unanswered: past it the attempt fails with one line saying so, and is
 * tried again. The clients' own limits (grammY 60 s; discord.js 15 s a request, tried four times)
 * kept an API that takes the connection and says nothing silent for a minute.
 */
export const START_ANSWER_MS = 10_000;

/** A call of a platform's start that got no answer in time: where, what, and how long it waited. */
export class NoAnswerError extends Error {
  constructor(where: string, what: string, waitedMs: number, options?: ErrorOptions) {
    super(`${where} did not answer ${what} within ${waitedMs / 1000} s`, options);
    this.name = 'NoAnswerError';
  }
}

export type StartupResult =
  | { readonly kind: 'started'; readonly attempts: number }
  | { readonly kind: 'stopped' }
  | { readonly kind: 'refused'; readonly reason: string };

/** The capped exponential backoff before attempt `n + 1` (n ≥ 1 failed attempts so far). */
export function startupDelay(failures: number, firstMs = 1000, maxMs = 60_000): number {
  return Math.min(maxMs, firstMs * 2 ** Math.min(30, failures - 1));
}

export async function startWithRetry(o: StartupOptions): Promise<StartupResult> {
  for (let attempt = 1; ; attempt++) {
    if (o.signal?.aborted) return { kind: 'stopped' };
    try {
      await o.attempt();
      o.retries?.clear();
      if (attempt > 1) o.log.info(`${o.name} is up after ${attempt} attempts`);
      return { kind: 'started', attempts: attempt };
    } catch (e) {
      if (o.signal?.aborted) return { kind: 'stopped' };
      const reason = o.fatal?.(e);
      if (reason !== undefined) {
        o.retries?.clear();
        o.log.error(`${o.name} is off: ${reason}; the rest of goldratio keeps running`);
        return { kind: 'refused', reason };
      }
      const delay = startupDelay(attempt, o.firstDelayMs, o.maxDelayMs);
      o.retries?.failed(attempt, oneLine(e), delay);
      o.log.warn(`${o.name} could not start (attempt ${attempt}): ${oneLine(e)}; retrying in ${Math.round(delay / 1000)} s`);
      if (!(await sleep(delay, o.signal))) return { kind: 'stopped' };
    }
  }
}
