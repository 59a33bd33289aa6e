/**
 * One running goldratio per SQLite file. Two would both run the scheduler and both drain the
 * outbox, so every subscriber would get every alert twice.
 *
 * The lock is SQLite's own file lock (POSIX advisory locks, which the OS drops when a process
 * dies, even by SIGKILL): a small SQLite file beside the database (`<path>.lock`) in which the
 * running bot holds a write transaction open (BEGIN IMMEDIATE, a RESERVED lock). A second start
 * cannot take it and is refused at once; it can still read the holder's pid, which the holder
 * committed before taking the lock for good. No pid file to go stale, no pid to guess alive.
 * Reading commands never take it: they run beside the bot.
 */
import { hostname } from 'node:os';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Database, type SqliteDatabase } from './driver.ts';
import { isBusy } from './busy.ts';
import { makeDirs } from '../make-dirs.ts';
import { DatabaseOpenError, openFailure, prepareDatabasePath } from './db.ts';

/** How long the lock's first commit waits for readers of the lock file (each holds it for a moment). */
const COMMIT_WAIT_MS = 5_000;

/** Another goldratio runs on this database file: the operator's setup to fix, said in one line. */
export class InstanceLockedError extends Error {
  constructor(
    readonly path: string,
    readonly pid: number | undefined,
  ) {
    super(`another goldratio (pid ${pid ?? '?'}) is running on ${path}: stop it first, or point DATABASE_PATH at another file`);
    this.name = 'InstanceLockedError';
  }
}

export interface InstanceLock {
  readonly path: string;
  release(): void;
}

/** The database's real path: symlinks resolved, for the file or (not made yet, or deleted) for its folder. */
export function realFile(databasePath: string): string {
  try {
    return realpathSync(databasePath);
  } catch {
    return join(realpathSync(dirname(databasePath)), basename(databasePath));
  }
}

/**
 * The pid the running goldratio wrote in the lock beside `databasePath`, read without taking the
 * lock (a reader beside its RESERVED lock), or undefined: no lock file, or none written yet.
 */
export function lockHolderPid(databasePath: string): number | undefined {
  const path = `${realFile(databasePath)}.lock`;
  if (!existsSync(path)) return undefined;
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true, timeout: 0 });
    try {
      return db.prepare<[], { pid: number }>('SELECT pid FROM holder WHERE id = 1').get()?.pid;
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
}

/** Takes the lock for `databasePath`, or throws InstanceLockedError naming the holder's pid. */
export function acquireInstanceLock(databasePath: string, opts: { anyFile?: boolean } = {}): InstanceLock {
  // The lock is taken before the database opens: the same checks, and the folder made, here first.
  // anyFile (restore): the file is about to be replaced, so a damaged one does not refuse; only the folder is made.
  if (opts.anyFile === true) {
    try {
      makeDirs(dirname(databasePath));
    } catch (e) {
      throw openFailure(databasePath, e);
    }
  } else prepareDatabasePath(databasePath);
  // Beside the file itself, not beside a name for it: a start through a symlink to the database
  // (or to its folder) meets the lock of a start through its real path.
  const real = realFile(databasePath);
  // A hard link is another name no path resolves to: two starts could not meet, and SQLite's own
  // journal beside each name would part them. Refused, saying what to do.
  const links = existsSync(real) ? statSync(real).nlink : 1;
  if (links > 1)
    throw new DatabaseOpenError(
      databasePath,
      `it has ${links} hard links: goldratio cannot tell whether another copy runs on it, and SQLite may corrupt a hard-linked database; use one name (a symlink, or a copy)`,
    );
  const path = `${real}.lock`;
  // timeout 0: a held lock is an answer, not something to wait for.
  let db: SqliteDatabase;
  try {
    db = new Database(path, { timeout: 0 });
  } catch (e) {
    // A folder this process may not write (read-only, another owner's) is the setup, said so.
    throw openFailure(databasePath, e);
  }
  const refuse = (): never => {
    let pid: number | undefined;
    try {
      pid = db.prepare<[], { pid: number }>('SELECT pid FROM holder WHERE id = 1').get()?.pid;
    } catch {
      // The holder's pid is a courtesy: a lock file too new to have it still refuses.
    }
    db.close();
    throw new InstanceLockedError(databasePath, pid);
  };
  try {
    db.pragma('journal_mode = DELETE');
    db.exec('BEGIN IMMEDIATE');
  } catch (e) {
    if (isBusy(e)) refuse();
    db.close();
    throw openFailure(databasePath, e);
  }
  try {
    db.exec('CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, host TEXT NOT NULL, since TEXT NOT NULL)');
    db.prepare('INSERT OR REPLACE INTO holder (id, pid, host, since) VALUES (1, ?, ?, ?)').run(process.pid, hostname(), new Date().toISOString());
  } catch (e) {
    db.close();
    throw openFailure(databasePath, e);
  }
  // The commit needs every reader of the lock file gone: a `status`, a `restore` or another start
  // reading the holder's pid at this moment holds a shared lock for a moment. That is waited for (it
  // was a start refused naming its own pid, flake: a test polling the lock file as the bot started);
  // no one holds the lock yet, so no other start is refused by the wait.
  try {
    db.pragma(`busy_timeout = ${COMMIT_WAIT_MS}`);
    db.exec('COMMIT');
    db.pragma('busy_timeout = 0');
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    db.close();
    if (isBusy(e))
      throw new DatabaseOpenError(
        databasePath,
        `another process has its lock file ${path} open for reading for over ${COMMIT_WAIT_MS / 1000} s (a sqlite3 shell?): close it, then start again`,
      );
    throw openFailure(databasePath, e);
  }
  try {
    // Between COMMIT and this BEGIN another start may take the lock; then that one runs and this one is refused.
    db.exec('BEGIN IMMEDIATE');
  } catch (e) {
    if (isBusy(e)) refuse();
    db.close();
    throw openFailure(databasePath, e);
  }
  let held = true;
  return {
    path,
    release() {
      if (!held) return;
      held = false;
      try {
        db.exec('ROLLBACK');
      } finally {
        db.close();
      }
    },
  };
}
