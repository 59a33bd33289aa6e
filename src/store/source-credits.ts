/**
 * The keyed sources' counts of credits in the store (migration 026): market/credits.ts's ledger
 * when processes share it. A take is one transaction: SQLite's BEGIN IMMEDIATE holds the file's
 * write lock, PostgreSQL's row lock (FOR UPDATE, the row made first if missing) the source's row,
 * so two processes can never both take the plan's last credit of a minute.
 *
 * On SQLite another process may hold the file's write lock longer than busy_timeout (an import, a
 * backup, a sqlite3 shell): the take asks again in short tries with the event loop free (busy_timeout
 * 0 for each try, as the outbox's claims), up to LOCK_WAIT_MS, then fails with one line naming the
 * file (CreditsBusyError, still isBusy), which the request reports as its source's failure.
 */
import type { CreditLedger, CreditState } from '../market/credits.ts';
import { sleep } from '../sleep.ts';
import { isBusy, withoutBusyWait } from './busy.ts';
import type { StoreDb } from './engine.ts';
import { first, prepare, run, runUnit } from './unit.ts';

/** How long a take waits for another process's write lock on the SQLite file before it gives up. */
export const LOCK_WAIT_MS = 30_000;

/** A take that found the SQLite file's write lock held by another process for all of its wait. */
export class CreditsBusyError extends Error {
  readonly code = 'SQLITE_BUSY';
  constructor(path: string, source: string, waitedMs: number, options?: ErrorOptions) {
    super(
      `database ${path} stayed busy for ${waitedMs / 1000} s (another process holds its write lock): no ${source} credit taken, the request not sent`,
      options,
    );
    this.name = 'CreditsBusyError';
  }
}

export interface SourceCreditOptions {
  /** LOCK_WAIT_MS unless a test says otherwise. */
  readonly lockWaitMs?: number;
  /** Called when a take finds the SQLite file locked by another process and starts waiting (once per take). */
  readonly onLockWait?: (source: string) => void;
}

export class SourceCreditStore implements CreditLedger {
  readonly #db: StoreDb;
  readonly #opts: SourceCreditOptions;
  readonly #make;
  readonly #read;
  readonly #write;

  constructor(db: StoreDb, opts: SourceCreditOptions = {}) {
    this.#db = db;
    this.#opts = opts;
    const k = db.k;
    // Built and compiled once: a take runs them on every request to a keyed source.
    this.#make = prepare<{ source: string }>((p) =>
      k
        .insertInto('source_credits')
        .values({ source: p('source'), day: '', used_today: 0, taken: '', out_until: 0 })
        .onConflict((oc) => oc.column('source').doNothing()),
    );
    this.#read = prepare<{ source: string }, { day: string; used_today: number; taken: string; out_until: number | string }>((p) => {
      const q = k.selectFrom('source_credits').select(['day', 'used_today', 'taken', 'out_until']).where('source', '=', p('source'));
      return db.engine === 'postgres' ? q.forUpdate() : q;
    });
    this.#write = prepare<{ source: string; day: string; used: number; taken: string; out: number }>((p) =>
      k
        .updateTable('source_credits')
        .set({ day: p('day'), used_today: p('used'), taken: p('taken'), out_until: p('out') })
        .where('source', '=', p('source')),
    );
  }

  async change<T>(source: string, step: (s: CreditState) => T, signal?: AbortSignal): Promise<T> {
    const sqlite = this.#db.sqlite;
    if (sqlite === undefined) return this.#change(source, step);
    const waitMs = this.#opts.lockWaitMs ?? LOCK_WAIT_MS;
    const deadline = Date.now() + waitMs;
    for (let pause = 10; ; pause = Math.min(pause * 2, 250)) {
      try {
        return await withoutBusyWait(sqlite, () => this.#change(source, step));
      } catch (e) {
        if (!isBusy(e)) throw e;
        if (Date.now() >= deadline) throw new CreditsBusyError(sqlite.name, source, waitMs, { cause: e });
        if (pause === 10) this.#opts.onLockWait?.(source);
      }
      if ((await sleep(Math.min(pause, Math.max(0, deadline - Date.now())), signal)) === false || signal?.aborted === true)
        throw signal?.reason ?? new Error('aborted');
    }
  }

  #change<T>(source: string, step: (s: CreditState) => T): Promise<T> {
    const make = this.#make;
    const read = this.#read;
    const write = this.#write;
    return runUnit(this.#db, function* () {
      yield* run(make({ source }));
      const row = yield* first(read({ source }));
      const s: CreditState = {
        day: row?.day ?? '',
        usedToday: Number(row?.used_today ?? 0),
        taken: row === undefined || row.taken === '' ? [] : row.taken.split(',').map(Number),
        outUntil: Number(row?.out_until ?? 0),
      };
      const result = step(s);
      yield* run(write({ source, day: s.day, used: s.usedToday, taken: s.taken.join(','), out: s.outUntil }));
      return result;
    });
  }
}
