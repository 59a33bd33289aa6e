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
 * A connection kept idle in the pool may also have died unheard: the server restarted while a NAT,
 * a load balancer or the host's reboot lost its goodbye, so the first thing sent on it is answered
 * by a reset. The server never read that query (a kernel resets a connection it does not know, or a
 * socket closed with bytes unread), so the first query of a checkout of such a connection that
 * fails so (ECONNRESET, EPIPE, or the client already known broken) runs once more, on a new
 * connection: the user's command is answered rather than told the database is unavailable, after
 * a restart the pool had not heard of. The idle ones not heard from since are dropped as above.
 * A failure after the server may have read the query (a connection that ends while it runs, or
 * answers with an error) is not run again: that could apply a write twice.
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

/**
 * Whether a query's failure says its connection was dead before the query reached the server: a reset
 * (ECONNRESET: the server's kernel did not know the connection, or closed it with the query unread),
 * a write to a closed socket (EPIPE), or pg's refusal of a client already known broken.
 */
export function resetUnread(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ECONNRESET' || code === 'EPIPE') return true;
  return /^Client (has encountered a connection error|was closed) and is not queryable$/.test((e as Error | null)?.message ?? '');
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

  /** Clients handed out before: one taken again has sat idle in the pool, and may have died unheard. */
  const handedOut = new WeakSet<pg.PoolClient>();

  const wrap = (taken: pg.PoolClient, reused: boolean): PostgresPoolClient => {
    let client = taken;
    /** The connection found reset, released, when no new one could be had: this checkout's queries fail with it. */
    let lost: unknown;
    let dead: PostgresTimeoutError | undefined;
    /** No query of this checkout has been sent yet: none of a transaction is lost if its connection is replaced. */
    let first = true;
    const query = async (text: string, parameters: readonly unknown[]): Promise<pg.QueryResult> => {
      const retry = first && reused;
      first = false;
      try {
        return await once(text, parameters);
      } catch (e) {
        if (!retry || !resetUnread(e)) throw e;
        // Dead before this query reached the server: the pool's other idle ones likely too (heard before now).
        silentAt = ++mark;
        destroySocket(client);
        client.release(e as Error);
        // Released: not again by this checkout's release, whatever the new connection's fate.
        lost = e;
        client = await fresh();
        lost = undefined;
        return await once(text, parameters);
      }
    };
    const once = (text: string, parameters: readonly unknown[]): Promise<pg.QueryResult> => {
      // Kysely's rollback after the deadline: the connection is gone, so the same failure again.
      if (dead !== undefined) return Promise.reject(dead);
      if (lost !== undefined) return Promise.reject(lost);
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
      release: (discard?: boolean) => {
        if (lost === undefined) client.release(dead ?? discard === true);
      },
    };
  };

  /** pg-pool's words for a connection not made in time, as one line naming the server. */
  const connectTimeout = (e: unknown): PostgresTimeoutError | undefined => {
    const message = (e as Error | null)?.message ?? '';
    if (/^Connection terminated due to connection timeout/.test(message)) return new PostgresTimeoutError(o.said(o.connectMs, 'connection'));
    if (/^timeout exceeded when trying to connect/.test(message)) return new PostgresTimeoutError(o.said(o.connectMs, 'pool'));
    return undefined;
  };

  /** A connection of the pool heard from since the last silence or reset (a new one if none is). */
  const fresh = async (): Promise<pg.PoolClient> => {
    for (;;) {
      const client = await pool.connect().catch((e: unknown) => {
        throw connectTimeout(e) ?? e;
      });
      if ((heard.get(client) ?? Number.POSITIVE_INFINITY) > silentAt) return client;
      // Idle since before a query went unanswered, or a connection was found reset: likely the same.
      destroySocket(client);
      client.release(true);
    }
  };

  return {
    async connect() {
      const client = await fresh();
      const reused = handedOut.has(client);
      handedOut.add(client);
      return wrap(client, reused);
    },
    end: () => pool.end(),
  };
}
