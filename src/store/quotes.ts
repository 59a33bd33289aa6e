/** Closes (daily prices and monthly M2) and latest intraday quotes. Upserts are idempotent. */
import type { Db } from './db.ts';
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
        let inserted = 0;
        let updated = 0;
        let unchanged = 0;
        for (const r of rows) {
          const existing = this.#select.get(instrument, r.date);
          if (existing === undefined) {
            this.#insert.run(instrument, r.date, r.close, r.source, stamp);
            inserted++;
          } else if (existing.close !== r.close || existing.source !== r.source) {
            this.#update.run(r.close, r.source, stamp, instrument, r.date);
            updated++;
          } else {
            unchanged++;
          }
        }
        if (inserted + updated > 0) this.#bump.run();
        return { inserted, updated, unchanged };
      })
      .immediate();
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
