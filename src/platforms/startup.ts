/**
 * Bringing a chat platform up without holding the rest of the bot hostage, for Telegram and
 * Discord alike: each failed attempt is one log line, the next waits a capped backoff, a refusal
 * that no retry can fix (a wrong token, a port in use) ends the attempts with one line, and an
 * abort (Ctrl-C) ends the wait at once. The caller runs this in the background: the schedule and
 * the other platforms keep going meanwhile.
 */
import type { Logger } from '../log.ts';
import { sleep } from '../sleep.ts';

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
      if (attempt > 1) o.log.info(`${o.name} is up after ${attempt} attempts`);
      return { kind: 'started', attempts: attempt };
    } catch (e) {
      if (o.signal?.aborted) return { kind: 'stopped' };
      const reason = o.fatal?.(e);
      if (reason !== undefined) {
        o.log.error(`${o.name} is off: ${reason}; the rest of goldratio keeps running`);
        return { kind: 'refused', reason };
      }
      const delay = startupDelay(attempt, o.firstDelayMs, o.maxDelayMs);
      o.log.warn(`${o.name} could not start (attempt ${attempt}): ${oneLine(e)}; retrying in ${Math.round(delay / 1000)} s`);
      if (!(await sleep(delay, o.signal))) return { kind: 'stopped' };
    }
  }
}

/** A failure as one line: the message's first line, never a stack. */
export function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return (text.split('\n')[0] ?? '').slice(0, 300);
}
