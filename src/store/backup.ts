/**
 * A consistent copy of the live database through SQLite's online backup API (better-sqlite3's
 * db.backup). The copy is taken in one step inside one read transaction: in WAL mode writers are
 * not blocked meanwhile, and a write by another connection cannot leave the copy half old, half
 * new. It is written beside the destination and renamed into place only once complete and checked,
 * so a failed backup never leaves a truncated file under the name asked for.
 */
import Database from 'better-sqlite3';
import { renameSync, rmSync, statSync } from 'node:fs';
import type { Db } from './db.ts';

export interface BackupResult {
  readonly pages: number;
  readonly bytes: number;
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
    copy.pragma('journal_mode = DELETE');
    copy.close();
    const check = integrityCheck(partial);
    if (check !== 'ok') throw new BackupCheckError(dest, check);
    renameSync(partial, dest);
    return { pages: progress.totalPages, bytes: statSync(dest).size };
  } finally {
    for (const f of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) rmSync(f, { force: true });
  }
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
