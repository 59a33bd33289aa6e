/**
 * The real market history, found in ONE way: GOLDRATIO_HISTORY_DIR, default ../shared/market-history
 * relative to the project root. Tests that need it use `describeWithHistory`: without the folder they
 * are skipped (and say so), except under CI (CI=true), where a missing folder fails the run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'vitest';
import { closeDateProblem } from '../../src/domain/close-calendar.ts';
import { parseCloseCsv } from '../../src/domain/close-csv.ts';
import type { InstrumentId } from '../../src/domain/instruments.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import type { Db } from '../../src/store/db.ts';
import { MarketView } from '../../src/store/market-view.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { EventStore } from '../../src/store/events.ts';
import { loadConfig } from '../../src/config.ts';
import { writeDatabaseAsync } from './sqlite-image.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_HISTORY_DIR = '../shared/market-history';

export const HISTORY_FILES: Readonly<Record<InstrumentId, string>> = {
  spx: 'spx_daily.csv',
  qqq: 'qqq_daily.csv',
  gold: 'gold_daily.csv',
  m2: 'm2_monthly.csv',
};

export interface HistoryLocation {
  readonly dir: string;
  readonly present: boolean;
  /** What the tests that need it do: run, skip (outside CI) or fail (CI=true and the folder is missing). */
  readonly mode: 'run' | 'skip' | 'fail';
}

export function historyLocation(env: Readonly<Record<string, string | undefined>>, root = PROJECT_ROOT): HistoryLocation {
  const configured = env.GOLDRATIO_HISTORY_DIR?.trim() || DEFAULT_HISTORY_DIR;
  const dir = isAbsolute(configured) ? configured : resolve(root, configured);
  const present = Object.values(HISTORY_FILES).every((f) => existsSync(join(dir, f)));
  return { dir, present, mode: present ? 'run' : env.CI === 'true' ? 'fail' : 'skip' };
}

export const HISTORY = historyLocation(process.env);
export const HISTORY_DIR = HISTORY.dir;
export const hasHistory = HISTORY.present;

/** A describe block that needs the real history (see the top of this file). */
export function describeWithHistory(name: string, body: () => void): void {
  if (HISTORY.mode === 'run') {
    describe(name, body);
  } else if (HISTORY.mode === 'fail') {
    describe(name, () => {
      test('the real market history is present', () => {
        throw new Error(`real market history not found in ${HISTORY.dir} (set GOLDRATIO_HISTORY_DIR); under CI=true this fails instead of skipping`);
      });
    });
  } else {
    process.stderr.write(`skipping "${name}": no real market history in ${HISTORY.dir} (set GOLDRATIO_HISTORY_DIR)\n`);
    // The body is not run: a suite reading the files as it is collected would fail on their absence.
    describe.skip(name, () => test('needs the real market history', () => {}));
  }
}

/** The clock the loaded rows are checked at: every row of the files is a final close by then. */
const LOADED_AT = Date.now();

/** Each file's rows, parsed once per worker: many files load the same history (the parser has tests of its own). */
const parsedFiles = new Map<string, ReturnType<typeof parseCloseCsv>>();

/**
 * Loads the real files (from `from` on) into a store; with `to`, only the closes up to that day, and
 * only the M2 months published by then (FRED's H.6 comes out about seven weeks after a month's first
 * day): the store as the bot had it on that day. A row `goldratio import` refuses for its date (gold
 * dated a day London and COMEX were both shut: 2025-12-25, 2026-01-01, ...) is left out as the import
 * leaves it out; a gold row repeating the one before is kept, as the import keeps it.
 */
export async function loadHistory(store: QuoteStore, from = '1995-01-01', to?: string): Promise<void> {
  for (const [instrument, file] of Object.entries(HISTORY_FILES) as [InstrumentId, string][]) {
    let parsed = parsedFiles.get(file);
    if (parsed === undefined) {
      const all = parseCloseCsv(readFileSync(join(HISTORY_DIR, file), 'utf8'), '9999-12-31');
      parsed = { ...all, rows: all.rows.filter((r) => closeDateProblem(instrument, r.date, LOADED_AT) === undefined) };
      parsedFiles.set(file, parsed);
    }
    await store.upsertCloses(
      instrument,
      parsed.rows
        .filter((r) => r.date >= from && (to === undefined || (instrument === 'm2' ? m2Published(r.date) <= to : r.date <= to)))
        .map((r) => ({ date: r.date, close: r.close, source: 'history' })),
    );
  }
}

/**
 * A SQLite database file at `path` holding what `loadHistory(store, from, to)` puts in a fresh one:
 * the history is loaded through the real QuoteStore once per worker for each span, and each later
 * file is that database's image written anew (tests/helpers/sqlite-image.ts). Loading the whole
 * history took ~60 ms of each of the ~50 tests that wanted it. Returns `path`, for openDatabase.
 * A test that checks the loading itself (the upserts, the rows import would refuse) calls loadHistory.
 */
export function historyFile(path: string, from = '1995-01-01', to?: string): Promise<string> {
  return writeDatabaseAsync(path, `history:${from}:${to ?? ''}`, (db) => loadHistory(new QuoteStore(onSqlite(db)), from, to));
}

/** The day an M2 month (its first day) was out at the latest: eight weeks on. */
function m2Published(month: string): string {
  return new Date(Date.parse(`${month}T00:00:00Z`) + 56 * 86_400_000).toISOString().slice(0, 10);
}

/** date → close, straight from a `date,close` file: no code of goldratio's reads it. */
function csvCloses(file: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of readFileSync(join(HISTORY_DIR, file), 'utf8').split('\n').slice(1)) {
    const [date, close] = line.trim().split(',');
    if (date && close) out.set(date, Number(close));
  }
  return out;
}

/** Each stock's whole ratio series from the files, worked out once per worker (every day's value is the same whatever the span asked). */
const fullRatios = new Map<'spx' | 'qqq', readonly { readonly date: string; readonly value: number }[]>();

/**
 * A ratio computed from the files independently of goldratio's code, for the tests that check the
 * bot's figures against it: each stock close (from `from` to `to`) over gold's last fix at most 4
 * calendar days before (London holidays), as the essay's charts read it.
 */
export function independentRatio(stock: 'spx' | 'qqq', from = '0000-01-01', to = '9999-12-31'): { date: string; value: number }[] {
  let all = fullRatios.get(stock);
  if (all === undefined) {
    const gold = csvCloses(HISTORY_FILES.gold);
    const out: { date: string; value: number }[] = [];
    for (const [date, close] of [...csvCloses(HISTORY_FILES[stock])].sort(([a], [b]) => (a < b ? -1 : 1))) {
      for (let back = 0; back <= 4; back++) {
        const fix = gold.get(new Date(Date.parse(`${date}T00:00:00Z`) - back * 86_400_000).toISOString().slice(0, 10));
        if (fix !== undefined) {
          out.push({ date, value: close / fix });
          break;
        }
      }
    }
    all = out;
    fullRatios.set(stock, all);
  }
  return all.filter((p) => p.date >= from && p.date <= to).map((p) => ({ ...p }));
}

/**
 * What a reading chat command (/power, /history, /ratio) needs over a database of the history, run
 * in the test's process: its market view, the chats' and events' stores, the default config.
 */
export function commandDeps(db: Db, view = new MarketView(new QuoteStore(onSqlite(db)))) {
  return {
    view,
    subs: new SubscriptionStore(onSqlite(db), { approachPct: 3, lang: 'en' }),
    events: new EventStore(onSqlite(db)),
    config: loadConfig({}),
    today: (ms: number) => new Date(ms).toISOString().slice(0, 10),
  };
}
