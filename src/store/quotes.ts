/**
 * Closes (daily prices and monthly M2) and latest intraday quotes, on either engine. Upserts are
 * idempotent. Every change of closes bumps meta 'data_version' in the same transaction: caches of
 * derived things (the market view, charts) key on it, and on PostgreSQL it is how one replica sees
 * another's new closes (one indexed row, read per use).
 */
import { sql } from 'kysely';
import type { StoreDb } from './engine.ts';
import { first, prepare, rows, run, runUnit, type Unit } from './unit.ts';
import { runLongUnit, type LongUnitOptions } from './long-unit.ts';
import type { InstrumentId } from '../domain/instruments.ts';
import type { Point } from '../domain/series.ts';
import type { Quote } from '../domain/ratio.ts';
import type { SourceSpan } from '../domain/source-spans.ts';

import type { CloseRow } from '../domain/close-row.ts';

export type { CloseRow } from '../domain/close-row.ts';

export interface UpsertCounts {
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
}

/** UpsertCounts of one sync's write, with the rows written (new or updated) per source of the row. */
export interface DecisionCounts extends UpsertCounts {
  readonly written: ReadonlyMap<string, { readonly inserted: number; readonly updated: number }>;
}

export interface StoredQuote extends Quote {
  readonly instrument: InstrumentId;
}

export interface LastClose extends CloseRow {
  readonly updatedAt: string;
}

export interface StoppableOptions extends LongUnitOptions {
  readonly now?: Date;
  /** Rows written between two looks at the signal. Default 2000. */
  readonly slice?: number;
}

/** Rows per multi-row upsert: one prepared statement of this many rows, the rest one by one. */
const CHUNK = 100;

type Counts = { inserted: number; updated: number; unchanged: number; written?: Map<string, { inserted: number; updated: number }> };

export class QuoteStore {
  readonly #db: StoreDb;
  readonly #existing;
  readonly #upsertChunk;
  readonly #upsertOne;
  readonly #bump;
  readonly #version;
  readonly #range;
  readonly #sourced;
  readonly #last;
  readonly #count;
  readonly #latest;

  /** The handle, for the market's other memory beside the quotes (store/absent-days.ts). */
  get db(): StoreDb {
    return this.#db;
  }

  constructor(db: StoreDb) {
    this.#db = db;
    const k = db.k;
    this.#existing = prepare<{ instrument: string; from: string; to: string }, { date: string; close: number; source: string }>((p) =>
      k
        .selectFrom('closes')
        .select(['date', 'close', 'source'])
        .where('instrument', '=', p('instrument'))
        .where('date', '>=', p('from'))
        .where('date', '<=', p('to')),
    );
    // Built once per handle (compiling a 100-row insert per call would cost more than running it).
    const upsertOf = (n: number) =>
      prepare<Record<string, string | number>>((p) =>
        k
          .insertInto('closes')
          .values(
            Array.from({ length: n }, (_, i) => ({
              instrument: p('instrument') as string,
              date: p(`d${i}`) as string,
              close: p(`c${i}`) as number,
              source: p(`s${i}`) as string,
              updated_at: p('stamp') as string,
            })),
          )
          .onConflict((oc) =>
            oc.columns(['instrument', 'date']).doUpdateSet((eb) => ({
              close: eb.ref('excluded.close'),
              source: eb.ref('excluded.source'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          ),
      );
    this.#upsertChunk = upsertOf(CHUNK);
    this.#upsertOne = upsertOf(1);
    this.#bump = prepare<Record<string, never>>(() =>
      k.updateTable('meta').set({ value: sql<string>`CAST(CAST(value AS BIGINT) + 1 AS TEXT)` }).where('key', '=', 'data_version'),
    );
    // Read on every ratio query and chart render (cache keys): built once, not per call.
    this.#version = prepare<Record<string, never>, { value: string }>(() => k.selectFrom('meta').select('value').where('key', '=', 'data_version'));
    this.#sourced = prepare<{ instrument: string }, { date: string; value: number; source: string }>((p) =>
      k.selectFrom('closes').select(['date', 'close as value', 'source']).where('instrument', '=', p('instrument')).orderBy('date'),
    );
    this.#range = prepare<{ instrument: string; from: string; to: string }, Point>((p) =>
      k
        .selectFrom('closes')
        .select(['date', 'close as value'])
        .where('instrument', '=', p('instrument'))
        .where('date', '>=', p('from'))
        .where('date', '<=', p('to'))
        .orderBy('date'),
    );
    this.#last = prepare<{ instrument: string }, { date: string; close: number; source: string; updated_at: string }>((p) =>
      k.selectFrom('closes').select(['date', 'close', 'source', 'updated_at']).where('instrument', '=', p('instrument')).orderBy('date', 'desc').limit(1),
    );
    this.#count = prepare<{ instrument: string }, { n: number | string }>((p) =>
      k
        .selectFrom('closes')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('instrument', '=', p('instrument')),
    );
    this.#latest = prepare<{ instrument: string }, { price: number; as_of: number; source: string }>((p) =>
      k.selectFrom('latest_quotes').select(['price', 'as_of', 'source']).where('instrument', '=', p('instrument')),
    );
  }

  /**
   * Inserts or updates closes in one transaction. Re-importing the same rows changes nothing
   * (and does not bump the data version).
   */
  upsertCloses(instrument: InstrumentId, closes: readonly CloseRow[], now: Date = new Date()): Promise<UpsertCounts> {
    const stamp = now.toISOString();
    const self = this;
    return runUnit(this.#db, function* () {
      const counts = { inserted: 0, updated: 0, unchanged: 0 };
      yield* self.#upsertSlice(instrument, closes, stamp, counts);
      yield* self.#bumpIfChanged(counts);
      return counts;
    });
  }

  /**
   * upsertCloses for a load that a user may stop (`goldratio import` of a big file): still one
   * transaction, written in slices with the event loop free between them, so SIGINT/SIGTERM are
   * heard (./long-unit.ts). Aborted: rolled back, nothing landed, and 'aborted' is the answer.
   */
  upsertClosesStoppable(
    instrument: InstrumentId,
    closes: readonly CloseRow[],
    signal: AbortSignal,
    opts: StoppableOptions = {},
  ): Promise<UpsertCounts | 'aborted'> {
    const stamp = (opts.now ?? new Date()).toISOString();
    const size = opts.slice ?? 2000;
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    const slices: (() => Unit<void>)[] = [];
    for (let i = 0; i < closes.length; i += size) {
      const part = closes.slice(i, i + size);
      slices.push(() => this.#upsertSlice(instrument, part, stamp, counts));
    }
    const self = this;
    return runLongUnit(
      this.#db,
      slices,
      function* () {
        yield* self.#bumpIfChanged(counts);
        return counts;
      },
      signal,
      opts,
    );
  }

  *#bumpIfChanged(counts: Counts): Unit<void> {
    if (counts.inserted + counts.updated > 0) yield* run(this.#bump({}));
  }

  /**
   * One read of the stored rows the slice covers, then its new and changed rows written 100 at a
   * time (a row given twice counts as written once, then as an update or unchanged, as if written
   * one after the other; the last one wins).
   */
  *#upsertSlice(instrument: InstrumentId, closes: readonly CloseRow[], stamp: string, counts: Counts): Unit<void> {
    if (closes.length === 0) return;
    let from = closes[0]!.date;
    let to = from;
    for (const r of closes) {
      if (r.date < from) from = r.date;
      if (r.date > to) to = r.date;
    }
    const known = new Map<string, { close: number; source: string }>();
    for (const e of yield* rows(this.#existing({ instrument, from, to }))) known.set(e.date, e);
    const writes = new Map<string, CloseRow>();
    for (const r of closes) {
      const had = known.get(r.date);
      const kind = had === undefined ? 'inserted' : had.close !== r.close || had.source !== r.source ? 'updated' : 'unchanged';
      counts[kind]++;
      if (kind === 'unchanged') continue;
      if (counts.written !== undefined) {
        const by = counts.written.get(r.source) ?? { inserted: 0, updated: 0 };
        by[kind]++;
        counts.written.set(r.source, by);
      }
      known.set(r.date, r);
      writes.set(r.date, r);
    }
    const pending = [...writes.values()];
    let i = 0;
    for (; i + CHUNK <= pending.length; i += CHUNK) {
      const values: Record<string, string | number> = { instrument, stamp };
      for (let j = 0; j < CHUNK; j++) {
        const r = pending[i + j]!;
        values[`d${j}`] = r.date;
        values[`c${j}`] = r.close;
        values[`s${j}`] = r.source;
      }
      yield* run(this.#upsertChunk(values));
    }
    for (; i < pending.length; i++) {
      const r = pending[i]!;
      yield* run(this.#upsertOne({ instrument, stamp, d0: r.date, c0: r.close, s0: r.source }));
    }
  }

  async closes(instrument: InstrumentId, from = '0000-01-01', to = '9999-12-31'): Promise<Point[]> {
    return this.#read(rows(this.#range({ instrument, from, to })));
  }

  /** The runs of consecutive closes from one source, ascending (a few runs, not one per close). */
  async sourceSpans(instrument: InstrumentId): Promise<SourceSpan[]> {
    return (await this.closesWithSources(instrument)).spans;
  }

  /**
   * Every close of an instrument, ascending, and the runs of consecutive closes from one source:
   * one read for both (a snapshot wants both, and a second query for the runs cost twice the read).
   */
  async closesWithSources(instrument: InstrumentId): Promise<{ points: Point[]; spans: SourceSpan[] }> {
    const rowsRead = await this.#read(rows(this.#sourced({ instrument })));
    const points: Point[] = new Array(rowsRead.length);
    const spans: { source: string; from: string; to: string }[] = [];
    for (let i = 0; i < rowsRead.length; i++) {
      const r = rowsRead[i]!;
      points[i] = { date: r.date, value: r.value };
      const run = spans.at(-1);
      if (run !== undefined && run.source === r.source) run.to = r.date;
      else spans.push({ source: r.source, from: r.date, to: r.date });
    }
    return { points, spans };
  }

  async lastClose(instrument: InstrumentId): Promise<LastClose | undefined> {
    const r = await this.#read(first(this.#last({ instrument })));
    return r && { date: r.date, close: r.close, source: r.source, updatedAt: r.updated_at };
  }

  async count(instrument: InstrumentId): Promise<number> {
    const r = await this.#read(first(this.#count({ instrument })));
    return Number(r?.n ?? 0);
  }

  /** Bumped whenever closes change: caches of derived things (charts) key on it. */
  async dataVersion(): Promise<number> {
    const r = await this.#read(first(this.#version({})));
    return Number(r?.value ?? 0);
  }

  async setLatestQuote(instrument: InstrumentId, q: Quote): Promise<void> {
    await this.#latestUpsert(instrument, q).execute();
  }

  /** A latest quote stored and the hold it confirmed (of its trading day) released, in one transaction. */
  acceptLatest(instrument: InstrumentId, q: Quote, released: string): Promise<void> {
    const k = this.#db.k;
    const upsert = this.#latestUpsert(instrument, q);
    return runUnit(this.#db, function* () {
      yield* run(upsert);
      yield* run(k.deleteFrom('held_quotes').where('instrument', '=', instrument).where('date', '=', released));
    });
  }

  #latestUpsert(instrument: InstrumentId, q: Quote) {
    return this.#db.k
      .insertInto('latest_quotes')
      .values({ instrument, price: q.price, as_of: q.asOf, source: q.source })
      .onConflict((oc) =>
        oc
          .column('instrument')
          .doUpdateSet((eb) => ({ price: eb.ref('excluded.price'), as_of: eb.ref('excluded.as_of'), source: eb.ref('excluded.source') }))
          // An older quote (a slow source answering late) never overwrites a newer one.
          .where('excluded.as_of', '>=', (eb) => eb.ref('latest_quotes.as_of')),
      );
  }

  async latestQuote(instrument: InstrumentId): Promise<StoredQuote | undefined> {
    const r = await this.#read(first(this.#latest({ instrument })));
    return r && { instrument, price: r.price, asOf: r.as_of, source: r.source };
  }

  async holdQuote(instrument: InstrumentId, date: string, price: number, source: string, now: Date = new Date()): Promise<void> {
    await this.#db.k
      .insertInto('held_quotes')
      .values({ instrument, date, price, source, held_at: now.toISOString() })
      .onConflict((oc) =>
        oc
          .columns(['instrument', 'date'])
          .doUpdateSet((eb) => ({ price: eb.ref('excluded.price'), source: eb.ref('excluded.source'), held_at: eb.ref('excluded.held_at') })),
      )
      .execute();
  }

  /**
   * What one sync decided about an instrument, in one transaction: the accepted closes upserted, the
   * released and expired holds deleted, the new holds written. A crash or a lost connection in the
   * middle leaves all of it or none (a release without its close, or a close whose hold stays, would
   * be judged again wrongly by the next sync).
   */
  writeDecision(
    instrument: InstrumentId,
    d: {
      readonly accepted: readonly CloseRow[];
      readonly released: readonly string[];
      /** `heldAt` (ms): a hold kept as written then (a repeat seen too soon); else stamped `now`. */
      readonly held: readonly (CloseRow & { readonly heldAt?: number })[];
    },
    now: Date = new Date(),
  ): Promise<DecisionCounts> {
    const stamp = now.toISOString();
    const self = this;
    const k = this.#db.k;
    return runUnit(this.#db, function* () {
      const counts = { inserted: 0, updated: 0, unchanged: 0, written: new Map<string, { inserted: number; updated: number }>() };
      yield* self.#upsertSlice(instrument, d.accepted, stamp, counts);
      yield* self.#bumpIfChanged(counts);
      // Deletes before the holds: a day released and held again in the same sync keeps its new hold.
      for (const date of d.released) yield* run(k.deleteFrom('held_quotes').where('instrument', '=', instrument).where('date', '=', date));
      for (const h of d.held) {
        yield* run(
          k
            .insertInto('held_quotes')
            .values({ instrument, date: h.date, price: h.close, source: h.source, held_at: h.heldAt === undefined ? stamp : new Date(h.heldAt).toISOString() })
            .onConflict((oc) =>
              oc
                .columns(['instrument', 'date'])
                .doUpdateSet((eb) => ({ price: eb.ref('excluded.price'), source: eb.ref('excluded.source'), held_at: eb.ref('excluded.held_at') })),
            ),
        );
      }
      return counts;
    });
  }

  async heldQuotes(instrument: InstrumentId): Promise<{ date: string; price: number; source: string; heldAt: string }[]> {
    const found = await this.#db.k
      .selectFrom('held_quotes')
      .select(['date', 'price', 'source', 'held_at'])
      .where('instrument', '=', instrument)
      .orderBy('date')
      .execute();
    return found.map((r) => ({ date: r.date, price: r.price, source: r.source, heldAt: r.held_at }));
  }

  async releaseHeld(instrument: InstrumentId, date: string): Promise<void> {
    await this.#db.k.deleteFrom('held_quotes').where('instrument', '=', instrument).where('date', '=', date).execute();
  }

  /** A read on its own (no transaction: one statement sees one snapshot on either engine). */
  #read<T>(unit: Unit<T>): Promise<T> {
    return runUnit(this.#db, () => unit, { transaction: false });
  }
}
