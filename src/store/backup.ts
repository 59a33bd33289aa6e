/**
 * A consistent copy of the live database through SQLite's online backup API (better-sqlite3's
 * db.backup). The copy is taken in one step inside one read transaction: in WAL mode writers are
 * not blocked meanwhile, and a write by another connection cannot leave the copy half old, half
 * new. It is written beside the destination and renamed into place only once complete and checked,
 * so a failed backup never leaves a truncated file under the name asked for.
 */
import { renameSync, rmSync, statSync } from 'node:fs';
import type { Db } from './db.ts';
import { Database } from './driver.ts';

export interface BackupResult {
  readonly pages: number;
  readonly bytes: number;
  /**
   * Alert messages (outbox rows) still waiting to be sent in the copy, those held for a chat's quiet
   * hours among them: restored, it sends them again.
   */
  readonly pending: number;
  /** Of `pending`, the rows held for quiet hours (sent, in the summary, when the chat's quiet hours end). */
  readonly held: number;
}

export class BackupCheckError extends Error {
  constructor(path: string, detail: string) {
    super(`backup ${path} failed its integrity check: ${detail}`);
    this.name = 'BackupCheckError';
  }
}

/** Copies `db` to `dest` (replacing it if it exists: the caller decides whether that is allowed). */
export async function backupDatabase(db: Db, dest: string): Promise<BackupResult> {
  const partial = `${dest}.partial-${process.pid}`;
  rmSync(partial, { force: true });
  try {
    // First step opens the backup; the next copies every page at once (see the file comment).
    const progress = await db.backup(partial, { progress: () => 0x7fffffff });
    // One self-contained file (no -wal/-shm beside it): copy it anywhere, open it anywhere.
    const copy = new Database(partial, { fileMustExist: true });
    let waiting: { pending: number; held: number };
    try {
      copy.pragma('journal_mode = DELETE');
      waiting = waitingIn(copy);
    } finally {
      copy.close();
    }
    const check = integrityCheck(partial);
    if (check !== 'ok') throw new BackupCheckError(dest, check);
    renameSync(partial, dest);
    return { pages: progress.totalPages, bytes: statSync(dest).size, ...waiting };
  } finally {
    for (const f of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) rmSync(f, { force: true });
  }
}

/**
 * Outbox rows still to send: pending, and held for quiet hours (the chat gets them when its quiet
 * hours end, so a copy taken before then sends them again however long after it is restored).
 * None in a database without the outbox table, e.g. one only `import` has written.
 */
export function waitingIn(copy: InstanceType<typeof Database>): { pending: number; held: number } {
  const table = copy.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox'").get();
  if (table === undefined) return { pending: 0, held: 0 };
  const row = copy.prepare("SELECT count(*) AS n, coalesce(sum(status = 'held'), 0) AS held FROM outbox WHERE status IN ('pending', 'held')").get() as {
    n: number;
    held: number;
  };
  return { pending: row.n, held: row.held };
}

/** `PRAGMA integrity_check` of a database file, opened read-only: 'ok' or the problems found. */
export function integrityCheck(path: string): string {
  const copy = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = copy.pragma('integrity_check') as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).join('; ');
  } finally {
    copy.close();
  }
}
