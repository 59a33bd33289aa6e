/**
 * A deadline on every query of the PostgreSQL pool. A server whose network went silent (a cloud
 * failover that moved the primary's address, a partition: no RST, no FIN, packets dropped) would
 * otherwise leave each query waiting for good: a chat command unanswered, the scheduler's tick
 * never done, shutdown waiting.
 *
 * node-postgres's own `query_timeout` is not used: it rejects the query but leaves the client
 * checked out with the query still active on it, and Kysely releases it to the pool as healthy,
 * where the next query queues behind the one that never ends. Here the query that gets no answer
 * fails with PostgresTimeoutError (one line, said by postgres.ts), its socket is destroyed at once,
 * and the client is released with that error, so the pool drops it. Connections that have not
 * answered since then (idle in the pool when the silence began) are dropped when next taken,
 * instead of each costing the next queries a deadline of their own: the next query connects anew.
 *
 * Long work (migrations, copy-data, import: one transaction whose statements may
 * legitimately run for minutes) runs under `longWork`, with a bound of its own; a probe under
 * `withDeadline` with its own shorter one. The scope follows the async calls (AsyncLocalStorage), so
 * the bot's other queries keep theirs meanwhile.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import { PostgresTimeoutError } from './errors.ts';

/** The bound of one statement of long work, unless the ordinary deadline is longer (or off). */
export const LONG_QUERY_TIMEOUT_MS = 600_000;

const scope = new AsyncLocalStorage<'long' | { readonly ms: number }>();
let scopesOpen = 0;

/**
 * `fn` in `store`'s scope. On Node 20 an AsyncLocalStorage that has run turns on the promise hooks
 * for the whole process, for good: every await of the bot (the tick, a fan-out, each query's
 * dozens) cost 2-4 times as much once the migrations had run under longWork. So the scope is
 * disabled again, hooks off, when the last one open has ended.
 */
async function inScope<T>(store: 'long' | { readonly ms: number }, fn: () => Promise<T>): Promise<T> {
  scopesOpen++;
  try {
    return await scope.run(store, fn);
  } finally {
    if (--scopesOpen === 0) scope.disable();
  }
}

/** Runs `fn` with its queries bound by LONG_QUERY_TIMEOUT_MS instead of the ordinary deadline. */
export function longWork<T>(fn: () => Promise<T>): Promise<T> {
  return inScope('long', fn);
}

/** Runs `fn` with its queries bound by `ms` (a readiness probe's short wait). */
export function withDeadline<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  return inScope({ ms }, fn);
}

/** A deadline as said in a line: "500 ms", "30 s", "10 min". */
export function spanText(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms >= 120_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 100) / 10} s`;
}

/** The socket under a pg client, destroyed: the client ends ('end'), its active query fails. */
function destroySocket(client: pg.PoolClient): void {
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

/** What went unanswered: a query, a new connection, or the wait for one of the pool's to come free. */
export type Unanswered = 'query' | 'connection' | 'pool';

/**
 * `pool` as Kysely's PostgresDialect takes it, with each query bound by `ms` (0: none). `said`: the
 * one line of what went unanswered within `ms` (the pool's connection timeout, `connectMs`, for a
 * connection).
 */
export function deadlinePool(
  pool: pg.Pool,
  o: { readonly ms: number; readonly connectMs: number; readonly said: (ms: number, what: Unanswered) => string },
): PostgresPool {
  // Monotonic marks: when each client last heard from the server, and when a query last did not.
  let mark = 0;
  let silentAt = 0;
  const heard = new WeakMap<pg.PoolClient, number>();
  pool.on('connect', (client) => heard.set(client, ++mark));
  const deadline = (): number => {
    const s = scope.getStore();
    // A probe's own bound holds with the ordinary deadline off too (0): unbounded, each probe of a
    // silent server kept a connection of the pool for good, and a few probes took them all.
    if (s !== undefined && s !== 'long') return s.ms;
    if (o.ms <= 0) return 0;
    return s === 'long' ? Math.max(o.ms, LONG_QUERY_TIMEOUT_MS) : o.ms;
  };

  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let dead: PostgresTimeoutError | undefined;
    const query = (text: string, parameters: readonly unknown[]): Promise<pg.QueryResult> => {
      // Kysely's rollback after the deadline: the connection is gone, so the same failure again.
      if (dead !== undefined) return Promise.reject(dead);
      const ms = deadline();
      const q = client.query(text, [...parameters]);
      if (ms <= 0) {
        return q.then((r) => {
          heard.set(client, ++mark);
          return r;
        });
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          dead = new PostgresTimeoutError(o.said(ms, 'query'));
          silentAt = ++mark;
          destroySocket(client);
          reject(dead);
        }, ms);
        q.then(
          (r) => {
            clearTimeout(timer);
            heard.set(client, ++mark);
            resolve(r);
          },
          (e: unknown) => {
            clearTimeout(timer);
            reject(e);
          },
        );
      });
    };
    return {
      // Kysely queries with text and parameters only (no cursor is configured).
      query: query as unknown as PostgresPoolClient['query'],
      // With the error, the pool ends the client instead of keeping it idle for the next query.
      release: (discard?: boolean) => client.release(dead ?? discard === true),
    };
  };

  /** pg-pool's words for a connection not made in time, as one line naming the server. */
  const connectTimeout = (e: unknown): PostgresTimeoutError | undefined => {
    const message = (e as Error | null)?.message ?? '';
    if (/^Connection terminated due to connection timeout/.test(message)) return new PostgresTimeoutError(o.said(o.connectMs, 'connection'));
    if (/^timeout exceeded when trying to connect/.test(message)) return new PostgresTimeoutError(o.said(o.connectMs, 'pool'));
    return undefined;
  };

  return {
    async connect() {
      for (;;) {
        const client = await pool.connect().catch((e: unknown) => {
          throw connectTimeout(e) ?? e;
        });
        if ((heard.get(client) ?? Number.POSITIVE_INFINITY) > silentAt) return wrap(client);
        // Idle since before a query went unanswered: likely on the same silent network.
        destroySocket(client);
        client.release(true);
      }
    },
    end: () => pool.end(),
  };
}
