/** The shared real market history (../shared/market-history), when present. Tests skip cleanly without it. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCloseCsv } from '../../src/domain/close-csv.ts';
import type { InstrumentId } from '../../src/domain/instruments.ts';
import type { QuoteStore } from '../../src/store/quotes.ts';

export const HISTORY_DIR = fileURLToPath(new URL('../../../shared/market-history/', import.meta.url));
export const HISTORY_FILES: Readonly<Record<InstrumentId, string>> = {
  spx: 'spx_daily.csv',
  qqq: 'qqq_daily.csv',
  gold: 'gold_daily.csv',
  m2: 'm2_monthly.csv',
};

export const hasHistory = Object.values(HISTORY_FILES).every((f) => existsSync(HISTORY_DIR + f));

/** Loads the real files (from `from` on) into a store. */
export function loadHistory(store: QuoteStore, from = '1995-01-01'): void {
  for (const [instrument, file] of Object.entries(HISTORY_FILES) as [InstrumentId, string][]) {
    const parsed = parseCloseCsv(readFileSync(HISTORY_DIR + file, 'utf8'), '9999-12-31');
    store.upsertCloses(
      instrument,
      parsed.rows.filter((r) => r.date >= from).map((r) => ({ date: r.date, close: r.close, source: 'history' })),
    );
  }
}
