/**
 * A long unit of work a user may stop (`goldratio import` of a big file): still ONE transaction,
 * but written in slices with the event loop free between them, so SIGINT/SIGTERM are heard; when
 * the signal fires, the transaction is rolled back and nothing lands. The slices are units
 * (./unit.ts), written once for both engines.
 *
 * On SQLite the transaction spans awaits on the one connection, so nothing else in this process
 * may write meanwhile (a statement run between two slices would land inside it): it is for a
 * process that does only this, the CLI. Its start waits for another process's write lock (the
 * running bot's, a backup's) in short tries with the event loop free, not in one busy_timeout that
 * would not hear a signal. On PostgreSQL writers do not lock each other out of the database, so
 * there is nothing to wait for at the start.
 */
import { driveKysely, driveSqlite, type Unit } from './unit.ts';
import { isBusy } from './busy.ts';
import type { Db } from './db.ts';
import type { StoreDb } from './engine.ts';
import { sleep } from '../sleep.ts';
import { longWork } from './pg-deadline.ts';

export interface LongUnitOptions {
  /** Called once when another process holds SQLite's write lock and the unit waits for it. */
  readonly onLockWait?: () => void;
  /** How long to wait for that lock before SQLITE_BUSY is thrown. Default 60 s. */
  readonly maxLockWaitMs?: number;
}

/** Thrown inside the PostgreSQL transaction to roll it back when the signal fires. */
const STOPPED = Symbol('stopped');

/**
 * Runs `slices` (each a unit, run in order) then `finish`, in one transaction; 'aborted' (rolled
 * back) when `signal` fires before the commit.
 */
export async function runLongUnit<T>(
  db: StoreDb,
  slices: readonly (() => Unit<void>)[],
  finish: () => Unit<T>,
  signal: AbortSignal,
  opts: LongUnitOptions = {},
): Promise<T | 'aborted'> {
  if (signal.aborted) return 'aborted';
  const sqlite = db.sqlite;
  if (sqlite !== undefined) {
    if ((await beginWhenFree(sqlite, signal, opts)) === 'aborted') return 'aborted';
    try {
      for (const slice of slices) {
        driveSqlite(sqlite, slice());
        await breathe();
        if (signal.aborted) {
          sqlite.exec('ROLLBACK');
          return 'aborted';
        }
      }
      const result = driveSqlite(sqlite, finish());
      sqlite.exec('COMMIT');
      return result;
    } catch (e) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      throw e;
    }
  }
  try {
    // Long work: its statements are bound by LONG_QUERY_TIMEOUT_MS, not the ordinary deadline.
    return await longWork(() =>
      db.k.transaction().execute(async (trx) => {
        for (const slice of slices) {
          await driveKysely(trx, slice());
          await breathe();
          if (signal.aborted) throw STOPPED;
        }
        return driveKysely(trx, finish());
      }),
    );
  } catch (e) {
    if (e === STOPPED) return 'aborted';
    throw e;
  }
}

const breathe = () => new Promise((r) => setImmediate(r));

async function beginWhenFree(db: Db, signal: AbortSignal, opts: LongUnitOptions): Promise<'begun' | 'aborted'> {
  const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
  const deadline = Date.now() + (opts.maxLockWaitMs ?? 60_000);
  db.pragma('busy_timeout = 0');
  try {
    for (let waited = false; ; waited = true) {
      try {
        db.exec('BEGIN IMMEDIATE');
        return 'begun';
      } catch (e) {
        if (!isBusy(e) || Date.now() > deadline) throw e;
        if (!waited) opts.onLockWait?.();
      }
      await sleep(50);
      if (signal.aborted) return 'aborted';
    }
  } finally {
    db.pragma(`busy_timeout = ${busyTimeout}`);
  }
}
