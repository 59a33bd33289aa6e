/**
 * SQLite's "another connection holds the write lock" (SQLITE_BUSY and its extended codes), after
 * busy_timeout was waited out. Callers outside store/ ask this instead of matching driver codes.
 */
export function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED');
}
