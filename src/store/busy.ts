/**
 * "Another writer holds what this one needs; ask again": SQLite's write lock held past busy_timeout
 * (SQLITE_BUSY and its extended codes), and on PostgreSQL a lock not granted in time, a deadlock
 * broken by the server, or a serialization failure (each rolled the transaction back whole).
 * Callers outside store/ ask this instead of matching driver codes.
 */
const PG_BUSY = new Set(['40001', '40P01', '55P03']);

export function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED' || PG_BUSY.has(code));
}
