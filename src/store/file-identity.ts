/**
 * Whether DATABASE_PATH still names the file the bot has open. Deleted (or replaced by another
 * file, e.g. a restore copied over it) under the running bot, SQLite goes on writing to the open,
 * unlinked inode: "Subscribed" would be said and lost at the next start. One stat() of the path,
 * compared by device and inode with what was opened, tells it; cheap enough to ask before every
 * settings write, on /readyz and on a timer.
 */
import { statSync } from 'node:fs';
import type { Logger } from '../log.ts';
import type { SqliteDatabase } from './driver.ts';

/** The open database is no longer the file at its path: a settings write would be lost. */
export class DatabaseFileGoneError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseFileGoneError';
  }
}

interface Identity {
  readonly path: string;
  readonly dev: number;
  readonly ino: number;
  log?: Logger;
  reported: string | undefined;
  /** Set when a write met a full disk (SQLITE_FULL), until a later write lands: /readyz's reason. */
  full: string | undefined;
}

const identities = new WeakMap<SqliteDatabase, Identity>();

/** Remembers which file `db` opened at `path` (store/db.ts calls this once the file exists). */
export function rememberDatabaseFile(db: SqliteDatabase, path: string): void {
  const st = statSync(path);
  identities.set(db, { path, dev: st.dev, ino: st.ino, reported: undefined, full: undefined });
}

/** undefined while `path` still names the open file; otherwise what happened, in one line (logged once, as an error). */
export function databaseFileProblem(db: SqliteDatabase): string | undefined {
  const id = identities.get(db);
  if (id === undefined || !db.open) return undefined;
  let problem: string | undefined;
  try {
    const st = statSync(id.path);
    if (st.dev !== id.dev || st.ino !== id.ino) {
      problem = `database ${id.path} (DATABASE_PATH) was replaced by another file while goldratio had it open: restart goldratio to use the new file; writes since then are in the old one`;
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    problem = `database ${id.path} (DATABASE_PATH) was ${code === 'ENOENT' ? 'deleted' : `made unreadable (${code})`} while goldratio had it open: restore it from a backup and restart goldratio; settings changes are refused meanwhile`;
  }
  if (problem !== undefined && id.reported !== problem) id.log?.error(problem);
  id.reported = problem;
  return problem;
}

/** Throws DatabaseFileGoneError before a write that must survive a restart (settings). */
export function assertDatabaseFile(db: SqliteDatabase): void {
  const problem = databaseFileProblem(db);
  if (problem !== undefined) throw new DatabaseFileGoneError(problem);
}

/** Looks every `everyMs` so the log says it even when nobody writes; returns the stop. */
export function watchDatabaseFile(db: SqliteDatabase, log: Logger, everyMs = 30_000): () => void {
  const id = identities.get(db);
  if (id === undefined) return () => {};
  id.log = log;
  const timer = setInterval(() => databaseFileProblem(db), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * A write met a full disk (store/unit.ts calls this on SQLITE_FULL): said once as an error naming
 * the file, and /readyz's reason until a later write lands (diskFreedAgain). Without it the log had
 * only each chat's "update failed" and /readyz stayed 200 while no setting could be saved.
 */
export function noteDiskFull(db: SqliteDatabase): void {
  const id = identities.get(db);
  if (id === undefined || id.full !== undefined) return;
  id.full = `database ${id.path} (DATABASE_PATH): a write failed, the disk holding it is full (SQLITE_FULL): free space there; until then nothing new is saved (settings, closes, alert records)`;
  id.log?.error(id.full);
}

/** Whether a write met a full disk and none has landed since (store/unit.ts then checks a write's changes). */
export function diskWasFull(db: SqliteDatabase): boolean {
  return identities.get(db)?.full !== undefined;
}

/** A write landed after the disk was full: the reason goes, said once. */
export function diskFreedAgain(db: SqliteDatabase): void {
  const id = identities.get(db);
  if (id === undefined || id.full === undefined) return;
  id.full = undefined;
  id.log?.info(`database ${id.path}: writes land again (the disk has room)`);
}

/** The reason /readyz gives while the disk holding the database is full (see noteDiskFull), else undefined. */
export function databaseDiskProblem(db: SqliteDatabase): string | undefined {
  return identities.get(db)?.full;
}
