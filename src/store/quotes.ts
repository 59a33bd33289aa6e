/** Closes (daily prices and monthly M2) and latest intraday quotes. Upserts are idempotent. */
import type { Db } from './db.ts';
import { isBusy } from './busy.ts';
import type { InstrumentId } from '../domain/instruments.ts';
import type { Point } from '../domain/series.ts';
import type { Quote } from '../domain/ratio.ts';

import type { CloseRow } from '../domain/close-row.ts';

export type { CloseRow } from '../domain/close-row.ts';

export interface UpsertCounts {
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
}

export interface StoredQuote extends Quote {
  readonly instrument: InstrumentId;
}

export interface StoppableOptions {
  readonly now?: Date;
  /** Rows written between two looks at the signal. Default 2000. */
  readonly slice?: number;
  /** Called once when another process holds the write lock and the load waits for it. */
  readonly onLockWait?: () => void;
  /** How long to wait for that lock before SQLITE_BUSY is thrown. Default 60 s. */
  readonly maxLockWaitMs?: number;
}

export class QuoteStore {
  readonly #db: Db;
  readonly #select;
  readonly #insert;
  readonly #update;
  readonly #range;
  readonly #last;
  readonly #count;
  readonly #bump;
  readonly #version;
  readonly #latest;

  constructor(db: Db) {
    this.#db = db;
    this.#select = db.prepare<[string, string], { close: number; source: string }>('SELECT close, source FROM closes WHERE instrument = ? AND date = ?');
    this.#insert = db.prepare('INSERT INTO closes (instrument, date, close, source, updated_at) VALUES (?, ?, ?, ?, ?)');
    this.#update = db.prepare('UPDATE closes SET close = ?, source = ?, updated_at = ? WHERE instrument = ? AND date = ?');
    this.#range = db.prepare<[string, string, string], { date: string; value: number }>(
      'SELECT date, close AS value FROM closes WHERE instrument = ? AND date >= ? AND date <= ? ORDER BY date',
    );
    this.#last = db.prepare<[string], { date: string; close: number; source: string; updated_at: string }>(
      'SELECT date, close, source, updated_at FROM closes WHERE instrument = ? ORDER BY date DESC LIMIT 1',
    );
    this.#count = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM closes WHERE instrument = ?');
    this.#bump = db.prepare("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'");
    // Read on every ratio query and chart render (cache keys): prepared once, not per call.
    this.#version = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'data_version'");
    this.#latest = db.prepare<[string], { price: number; as_of: number; source: string }>(
      'SELECT price, as_of, source FROM latest_quotes WHERE instrument = ?',
    );
  }

  /**
   * Inserts or updates closes in one transaction. Re-importing the same rows changes nothing
   * (and does not bump the data version).
   */
  upsertCloses(instrument: InstrumentId, rows: readonly CloseRow[], now: Date = new Date()): UpsertCounts {
    const stamp = now.toISOString();
    return this.#db
      .transaction(() => {
        const counts = { inserted: 0, updated: 0, unchanged: 0 };
        this.#upsertSlice(instrument, rows, stamp, counts);
        if (counts.inserted + counts.updated > 0) this.#bump.run();
        return counts;
      })
      .immediate();
  }

  /**
   * upsertCloses for a load that a user may stop (`goldratio import` of a big file): still one
   * transaction, written in slices with the event loop free between them, so SIGINT/SIGTERM are
   * heard. Aborted: rolled back, nothing landed, and 'aborted' is the answer.
   */
  async upsertClosesStoppable(
    instrument: InstrumentId,
    rows: readonly CloseRow[],
    signal: AbortSignal,
    opts: StoppableOptions = {},
  ): Promise<UpsertCounts | 'aborted'> {
    const stamp = (opts.now ?? new Date()).toISOString();
    const slice = opts.slice ?? 2000;
    const counts = { inserted: 0, updated: 0, unchanged: 0 };
    if (signal.aborted) return 'aborted';
    if ((await this.#beginWhenFree(signal, opts)) === 'aborted') return 'aborted';
    try {
      for (let i = 0; i < rows.length; i += slice) {
        this.#upsertSlice(instrument, rows.slice(i, i + slice), stamp, counts);
        await new Promise((r) => setImmediate(r));
        if (signal.aborted) {
          this.#db.exec('ROLLBACK');
          return 'aborted';
        }
      }
      if (counts.inserted + counts.updated > 0) this.#bump.run();
      this.#db.exec('COMMIT');
      return counts;
    } catch (e) {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
      throw e;
    }
  }

  /**
   * BEGIN IMMEDIATE, waiting for another process's write lock (the running bot's, a backup's) in
   * short tries with the event loop free, not in one busy_timeout that would not hear a signal.
   */
  async #beginWhenFree(signal: AbortSignal, opts: StoppableOptions): Promise<'begun' | 'aborted'> {
    const busyTimeout = this.#db.pragma('busy_timeout', { simple: true }) as number;
    const deadline = Date.now() + (opts.maxLockWaitMs ?? 60_000);
    this.#db.pragma('busy_timeout = 0');
    try {
      for (let waited = false; ; waited = true) {
        try {
          this.#db.exec('BEGIN IMMEDIATE');
          return 'begun';
        } catch (e) {
          if (!isBusy(e) || Date.now() > deadline) throw e;
          if (!waited) opts.onLockWait?.();
        }
        await new Promise((r) => setTimeout(r, 50));
        if (signal.aborted) return 'aborted';
      }
    } finally {
      this.#db.pragma(`busy_timeout = ${busyTimeout}`);
    }
  }

  #upsertSlice(instrument: InstrumentId, rows: readonly CloseRow[], stamp: string, counts: { inserted: number; updated: number; unchanged: number }): void {
    for (const r of rows) {
      const existing = this.#select.get(instrument, r.date);
      if (existing === undefined) {
        this.#insert.run(instrument, r.date, r.close, r.source, stamp);
        counts.inserted++;
      } else if (existing.close !== r.close || existing.source !== r.source) {
        this.#update.run(r.close, r.source, stamp, instrument, r.date);
        counts.updated++;
      } else {
        counts.unchanged++;
      }
    }
  }

  closes(instrument: InstrumentId, from = '0000-01-01', to = '9999-12-31'): Point[] {
    return this.#range.all(instrument, from, to);
  }

  lastClose(instrument: InstrumentId): (CloseRow & { updatedAt: string }) | undefined {
    const r = this.#last.get(instrument);
    return r && { date: r.date, close: r.close, source: r.source, updatedAt: r.updated_at };
  }

  count(instrument: InstrumentId): number {
    return this.#count.get(instrument)?.n ?? 0;
  }

  /** Bumped whenever closes change: caches of derived things (charts) key on it. */
  dataVersion(): number {
    const r = this.#version.get();
    return Number(r?.value ?? 0);
  }

  setLatestQuote(instrument: InstrumentId, q: Quote): void {
    this.#db
      .prepare(
        `INSERT INTO latest_quotes (instrument, price, as_of, source) VALUES (?, ?, ?, ?)
         ON CONFLICT (instrument) DO UPDATE SET price = excluded.price, as_of = excluded.as_of, source = excluded.source
         WHERE excluded.as_of >= latest_quotes.as_of`,
      )
      .run(instrument, q.price, q.asOf, q.source);
  }

  latestQuote(instrument: InstrumentId): StoredQuote | undefined {
    const r = this.#latest.get(instrument);
    return r && { instrument, price: r.price, asOf: r.as_of, source: r.source };
  }

  holdQuote(instrument: InstrumentId, date: string, price: number, source: string, now: Date = new Date()): void {
    this.#db
      .prepare(
        `INSERT INTO held_quotes (instrument, date, price, source, held_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (instrument, date) DO UPDATE SET price = excluded.price, source = excluded.source, held_at = excluded.held_at`,
      )
      .run(instrument, date, price, source, now.toISOString());
  }

  heldQuotes(instrument: InstrumentId): { date: string; price: number; source: string; heldAt: string }[] {
    return this.#db
      .prepare<[string], { date: string; price: number; source: string; held_at: string }>(
        'SELECT date, price, source, held_at FROM held_quotes WHERE instrument = ? ORDER BY date',
      )
      .all(instrument)
      .map((r) => ({ date: r.date, price: r.price, source: r.source, heldAt: r.held_at }));
  }

  releaseHeld(instrument: InstrumentId, date: string): void {
    this.#db.prepare('DELETE FROM held_quotes WHERE instrument = ? AND date = ?').run(instrument, date);
  }
}
