/**
 * The days a quote source was asked to fill and did not have (market/sync-closes.ts AbsentDay),
 * kept in the store (migration 025) so that a restart does not ask Yahoo or the LBMA again for days
 * they never have: read per instrument before a sync asks, written as it learns.
 */
import type { InstrumentId } from '../domain/instruments.ts';
import type { StoreDb } from './engine.ts';
import { run, runUnit } from './unit.ts';

export interface AbsentDayRow {
  readonly date: string;
  readonly source: string;
  readonly askedMs: number;
  readonly later: boolean;
}

export class AbsentDayStore {
  readonly #db: StoreDb;

  constructor(db: StoreDb) {
    this.#db = db;
  }

  async load(instrument: InstrumentId): Promise<AbsentDayRow[]> {
    const rows = await this.#db.k.selectFrom('absent_days').select(['date', 'source', 'asked_ms', 'later']).where('instrument', '=', instrument).execute();
    return rows.map((r) => ({ date: r.date, source: r.source, askedMs: Number(r.asked_ms), later: r.later === 1 }));
  }

  /** Remembers what sources lacked, and forgets the days some source had and those asked before `forgetBefore`, in one transaction. */
  async update(
    instrument: InstrumentId,
    change: { readonly lacked: readonly AbsentDayRow[]; readonly found: readonly string[]; readonly forgetBefore: number },
  ): Promise<void> {
    const k = this.#db.k;
    await runUnit(this.#db, function* () {
      for (const r of change.lacked) {
        const values = { asked_ms: r.askedMs, later: r.later ? 1 : 0 };
        yield* run(
          k
            .insertInto('absent_days')
            .values({ instrument, date: r.date, source: r.source, ...values })
            .onConflict((oc) => oc.columns(['instrument', 'date', 'source']).doUpdateSet(values)),
        );
      }
      if (change.found.length > 0) yield* run(k.deleteFrom('absent_days').where('instrument', '=', instrument).where('date', 'in', change.found));
      yield* run(k.deleteFrom('absent_days').where('asked_ms', '<', change.forgetBefore));
    });
  }
}
