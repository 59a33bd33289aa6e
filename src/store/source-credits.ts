/**
 * The keyed sources' counts of credits in the store (migration 026): market/credits.ts's ledger
 * when processes share it. A take is one transaction: SQLite's BEGIN IMMEDIATE holds the file's
 * write lock, PostgreSQL's row lock (FOR UPDATE, the row made first if missing) the source's row,
 * so two processes can never both take the plan's last credit of a minute.
 */
import type { CreditLedger, CreditState } from '../market/credits.ts';
import type { StoreDb } from './engine.ts';
import { first, prepare, run, runUnit } from './unit.ts';

export class SourceCreditStore implements CreditLedger {
  readonly #db: StoreDb;
  readonly #make;
  readonly #read;
  readonly #write;

  constructor(db: StoreDb) {
    this.#db = db;
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

  change<T>(source: string, step: (s: CreditState) => T): Promise<T> {
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
