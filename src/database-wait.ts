/**
 * `start` on PostgreSQL waits for a server that is not up yet (a host rebooting, a replica started
 * before its database, a failover of PostgreSQL itself) instead of exiting at once: it tries again
 * after 1, 2, 4, 8 and then every 15 s, one warning each, for up to `giveUpAfterMs` (2 min), then
 * gives up with one line (exit 1: a supervisor's restart may find it up). A host name that does not
 * resolve is waited for too (in Compose or Kubernetes the database's name resolves only once its
 * container or pod exists), each warning saying it may be mistyped. A server with no connection
 * left (53300) is waited for as well: in a rolling deploy the old replica frees its connections as
 * it leaves, a moment after the new one starts, and each warning says what frees one should it stay
 * full (max_connections, a CONNECTION LIMIT, fewer replicas). What no wait fixes (a wrong
 * password, a missing database) still ends the start at once, exit 2.
 * A signal meanwhile ends the wait: `undefined`, nothing opened.
 * `onWait` hears each failed try (main.ts: the ops server's /livez and /readyz say what start waits for).
 */
import type { Logger } from './log.ts';
import { sleep } from './sleep.ts';
import { waitSaid } from './domain/retry-span.ts';
import { PostgresOpenError, PostgresWaitError } from './store/errors.ts';

const WAITS_S = [1, 2, 4, 8, 15] as const;
export const DATABASE_WAIT_MS = 120_000;

/** One failed try of the wait: its number, the refusal (one line), the wait so far and its limit. */
export interface DatabaseWaitTry {
  readonly attempt: number;
  readonly problem: string;
  readonly waitedMs: number;
  readonly giveUpAfterMs: number;
}

export async function openWaiting<T>(
  open: () => Promise<T>,
  o: {
    readonly log: Logger;
    readonly signal?: AbortSignal;
    readonly giveUpAfterMs?: number;
    readonly now?: () => number;
    readonly onWait?: (t: DatabaseWaitTry) => void;
  },
): Promise<T | undefined> {
  const now = o.now ?? Date.now;
  const giveUpAfterMs = o.giveUpAfterMs ?? DATABASE_WAIT_MS;
  let since: number | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      const opened = await open();
      if (since !== undefined) o.log.info(`PostgreSQL answered after ${Math.round((now() - since) / 1000)} s of waiting`);
      return opened;
    } catch (e) {
      if (!(e instanceof PostgresOpenError) || !e.transient) throw e;
      // The refusal may end in a question ("is the server running …?"): a new sentence after it, not "?;".
      const then = (word: string) => (/[?.!]$/.test(e.message) ? ` ${word[0]!.toUpperCase()}${word.slice(1)}` : `; ${word}`);
      since ??= now();
      const waited = now() - since;
      if (waited >= giveUpAfterMs) {
        throw new PostgresWaitError(`${e.message}${then('still')} so after ${waitSaid(waited)} of trying: giving up`, { cause: e });
      }
      o.onWait?.({ attempt, problem: e.message, waitedMs: waited, giveUpAfterMs });
      const waitS = Math.min(WAITS_S[Math.min(attempt, WAITS_S.length) - 1]!, Math.max(1, Math.ceil((giveUpAfterMs - waited) / 1000)));
      o.log.warn(`${e.message}${then('waiting')} for it: attempt ${attempt}, next in ${waitS} s (giving up after ${waitSaid(giveUpAfterMs)})`);
      if (o.signal?.aborted || !(await sleep(waitS * 1000, o.signal))) return undefined;
    }
  }
}

/**
 * What the ops server says while start waits (main.ts): /livez's words after "ok", /readyz's reason
 * for the database, from the last failed try (`tried`, openWaiting's onWait).
 */
export function databaseWaiting(where: string, giveUpAfterMs: number) {
  const since = Date.now();
  let last: DatabaseWaitTry | undefined;
  const sofar = () => `${Math.round((Date.now() - since) / 1000)} s so far, giving up after ${waitSaid(giveUpAfterMs)}`;
  return {
    tried: (t: DatabaseWaitTry): void => {
      last = t;
    },
    doing: (): string => `waiting for PostgreSQL at ${where} (${sofar()})`,
    reason: (): string =>
      last === undefined
        ? `connecting to PostgreSQL at ${where}`
        : `waiting for PostgreSQL (attempt ${last.attempt}, ${sofar()}): ${last.problem.split('\n')[0]}`,
  };
}
