/**
 * "Another writer holds what this one needs; ask again": SQLite's write lock held past busy_timeout
 * (SQLITE_BUSY and its extended codes), and on PostgreSQL a lock not granted in time, a deadlock
 * broken by the server, or a serialization failure (each rolled the transaction back whole).
 * Callers outside store/ ask this instead of matching driver codes.
 */
import type { Db } from './db.ts';

const PG_BUSY = new Set(['40001', '40P01', '55P03']);

export function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED' || PG_BUSY.has(code));
}

/**
 * Runs `f` (a unit of work: synchronous on SQLite, done before it returns its promise) with SQLite's
 * busy_timeout at 0, so a lock held by another process fails at once (isBusy) instead of stopping
 * the event loop for seconds; the caller asks again with the loop free. Without SQLite, `f` as is.
 */
export function withoutBusyWait<T>(sqlite: Db | undefined, f: () => Promise<T>): Promise<T> {
  if (sqlite === undefined) return f();
  const wait = sqlite.pragma('busy_timeout', { simple: true }) as number;
  sqlite.pragma('busy_timeout = 0');
  try {
    return f();
  } finally {
    sqlite.pragma(`busy_timeout = ${wait}`);
  }
}

/**
 * "There is no room left to write": SQLite's SQLITE_FULL (the disk holding the database, or its
 * WAL, is full) and PostgreSQL's disk_full (53100). Asking again does not help until space is freed.
 */
export function isDiskFull(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === '53100';
}

import { PostgresTimeoutError } from './errors.ts';

/** Node's socket errors that mean the server could not be reached (or went away mid-query). */
const NET_DOWN = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * "The database cannot be reached now; it may be back soon": PostgreSQL's connection exceptions
 * (class 08) and its shutdown and restart (57P01-57P03), a socket error, or the pg client's own
 * words for a connection that ended or never came (no code), or a query left unanswered past its
 * deadline (PostgresTimeoutError: a network gone silent). Not a refusal of the statement.
 */
export function isUnreachable(e: unknown): boolean {
  if (e instanceof PostgresTimeoutError) return true;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || NET_DOWN.has(code);
  const message = (e as { message?: unknown } | null)?.message;
  return (
    typeof message === 'string' && /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/.test(message)
  );
}
