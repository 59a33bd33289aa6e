/**
 * The closes the digest tests store: a year of them up to a last close, written as one image, and
 * one trading day's more as the close job would store it.
 */
import type { Db } from '../../src/store/db.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { addDays, addMonths } from '../../src/domain/dates.ts';
import { isTradingDay } from '../../src/domain/nyse-calendar.ts';
import { writeDatabase } from './sqlite-image.ts';

/** One QuoteStore per handle: building one compiles its statements, and a run stores hundreds of closes. */
const stores = new WeakMap<Db, QuoteStore>();
export function quotesOf(db: Db): QuoteStore {
  let q = stores.get(db);
  if (q === undefined) stores.set(db, (q = new QuoteStore(onSqlite(db))));
  return q;
}

/** Closes of one trading day: SPX/Gold near 1.7, QQQ/Gold near 0.16, moving a little each day. */
export function closesOf(date: string): Record<'gold' | 'spx' | 'qqq', { date: string; close: number; source: string }> {
  const i = Number(date.slice(8, 10)) + Number(date.slice(5, 7)) * 31;
  return {
    gold: { date, close: 4000, source: 'test' },
    spx: { date, close: 6800 + 10 * Math.sin(i), source: 'test' },
    qqq: { date, close: 640 + Math.cos(i), source: 'test' },
  };
}

export async function storeClose(db: Db, date: string): Promise<void> {
  const q = quotesOf(db);
  const c = closesOf(date);
  await q.upsertCloses('gold', [c.gold]);
  await q.upsertCloses('spx', [c.spx]);
  await q.upsertCloses('qqq', [c.qqq]);
}

/** A year of closes up to `lastClose`, and M2 monthly (for the purchasing-power line). */
export function seedCloses(path: string, lastClose: string): void {
  writeDatabase(path, `digest-e2e ${lastClose}`, (db) => {
    const days: string[] = [];
    for (let d = addDays(lastClose, -400); d <= lastClose; d = addDays(d, 1)) if (isTradingDay(d)) days.push(d);
    const q = new QuoteStore(onSqlite(db));
    // On SQLite each upsert has landed when it returns.
    for (const id of ['gold', 'spx', 'qqq'] as const)
      void q.upsertCloses(
        id,
        days.map((d) => closesOf(d)[id]),
      );
    const m2: { date: string; close: number; source: string }[] = [];
    for (let m = '2024-01-01', i = 0; m <= '2026-09-01'; m = addMonths(m, 1), i++) m2.push({ date: m, close: 21_000 + 40 * i, source: 'test' });
    void q.upsertCloses('m2', m2);
  });
}
