/** Shared by the chart tests and bench: a real temp SQLite store seeded with closes. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../src/store/db.ts';
import { QuoteStore, type CloseRow } from '../src/store/quotes.ts';
import { MarketView } from '../src/services/market-view.ts';
import type { InstrumentId } from '../src/domain/instruments.ts';
import { addDays, toEpochDay } from '../src/domain/dates.ts';

export const HISTORY_DIR = '/work/shared/market-history';
export const hasHistory = (): boolean => existsSync(join(HISTORY_DIR, 'spx_daily.csv'));

export interface Fixture {
  readonly db: Db;
  readonly store: QuoteStore;
  readonly view: MarketView;
  cleanup(): void;
}

export function tempStore(): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-charts-'));
  const db = openDatabase(join(dir, 'test.db'));
  const store = new QuoteStore(db);
  return {
    db,
    store,
    view: new MarketView(store),
    cleanup: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function readHistoryCsv(file: string, source: string, from = '1990-01-01'): CloseRow[] {
  const lines = readFileSync(join(HISTORY_DIR, file), 'utf8').trim().split('\n').slice(1);
  const rows: CloseRow[] = [];
  for (const line of lines) {
    const [date, close] = line.split(',');
    if (date !== undefined && date >= from && close !== undefined && Number.isFinite(Number(close))) rows.push({ date, close: Number(close), source });
  }
  return rows;
}

/** The real history (spx, qqq, gold, m2) from /work/shared/market-history. */
export function seedHistory(store: QuoteStore): void {
  store.upsertCloses('spx', readHistoryCsv('spx_daily.csv', 'stooq'));
  store.upsertCloses('qqq', readHistoryCsv('qqq_daily.csv', 'stooq'));
  store.upsertCloses('gold', readHistoryCsv('gold_daily.csv', 'lbma'));
  store.upsertCloses('m2', readHistoryCsv('m2_monthly.csv', 'fred'));
}

/** Weekday dates from `from`, `n` of them. */
export function weekdays(from: string, n: number): string[] {
  const out: string[] = [];
  for (let d = from; out.length < n; d = addDays(d, 1)) {
    const dow = (toEpochDay(d) + 4) % 7; // 0 = Sunday
    if (dow !== 0 && dow !== 6) out.push(d);
  }
  return out;
}

/** Closes so that instrument/gold follows `ratio(i)` exactly, gold held at 1000. */
export function seedRatio(store: QuoteStore, numerator: InstrumentId, dates: readonly string[], ratio: (i: number) => number): void {
  store.upsertCloses('gold', dates.map((date) => ({ date, close: 1000, source: 'test' })));
  store.upsertCloses(numerator, dates.map((date, i) => ({ date, close: ratio(i) * 1000, source: 'test' })));
}
