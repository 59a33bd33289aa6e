/**
 * Issue 2's figures: importing 27 years of daily data for three instruments (~21,000 rows), and
 * recomputing the full-history ratio series and purchasing power; issue 17's: the market view's
 * cost per use (one read of the data version) and per data change (the closes read again), and
 * the same import on PostgreSQL when GOLDRATIO_BENCH_PG_URL names a server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/store/db.ts';
import { openPostgres } from '../src/store/postgres.ts';
import { MarketView } from '../src/store/market-view.ts';
import { QuoteStore, type CloseRow } from '../src/store/quotes.ts';
import { onPostgres, onSqlite } from '../src/store/engine.ts';
import { assertDatabaseFile } from '../src/store/file-identity.ts';
import { ratioSeries, purchasingPower } from '../src/domain/ratio.ts';
import { addMonths } from '../src/domain/dates.ts';
import type { Point } from '../src/domain/series.ts';
import { measure, measureAsync, report, walkRows } from './_util.ts';
import { admin, PG_URL } from './_pg.ts';

const N = 7000; // ~27 years of trading days
const spx = walkRows('1999-03-10', N, 1300, 1);
const qqq = walkRows('1999-03-10', N, 51, 2);
const gold = walkRows('1999-03-10', N, 290, 3);
const m2: CloseRow[] = [];
for (let d = '1999-03-01', v = 4400; d <= '2026-12-01'; d = addMonths(d, 1), v *= 1.005) m2.push({ date: d, close: v, source: 'bench' });

const dir = mkdtempSync(join(tmpdir(), 'goldratio-bench-'));
try {
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const db = openDatabase(join(dir, `import-${run}.db`));
    const store = new QuoteStore(onSqlite(db));
    const t0 = performance.now();
    await store.upsertCloses('spx', spx);
    await store.upsertCloses('qqq', qqq);
    await store.upsertCloses('gold', gold);
    times.push(performance.now() - t0);
    db.close();
  }
  times.sort((a, b) => a - b);
  report(`import ${spx.length + qqq.length + gold.length} daily rows (3 instruments), median of 5`, times[2]!, '< 500 ms');

  // What `goldratio import` writes through since issue 15: the same one transaction, in slices of
  // 2000 rows with the event loop free between them so SIGINT/SIGTERM are heard.
  const sliced: number[] = [];
  const never = new AbortController().signal;
  for (let run = 0; run < 5; run++) {
    const db = openDatabase(join(dir, `sliced-${run}.db`));
    const store = new QuoteStore(onSqlite(db));
    const t0 = performance.now();
    await store.upsertClosesStoppable('spx', spx, never);
    await store.upsertClosesStoppable('qqq', qqq, never);
    await store.upsertClosesStoppable('gold', gold, never);
    sliced.push(performance.now() - t0);
    db.close();
  }
  sliced.sort((a, b) => a - b);
  report(`the same rows, stoppable (slices of 2000, as import), median of 5`, sliced[2]!, '< 500 ms');

  const db = openDatabase(join(dir, 'import-0.db'));
  const store = new QuoteStore(onSqlite(db));
  // Asked before every settings write and on /readyz: one stat() of DATABASE_PATH.
  const identity = measure(2000, () => assertDatabaseFile(db));
  report('database file identity check (before a settings write), median', identity.median);
  await store.upsertCloses('m2', m2);
  const t0 = performance.now();
  await store.upsertCloses('spx', spx);
  report('re-import the same spx rows (idempotent, no change)', performance.now() - t0);

  const pts = (rows: CloseRow[]): Point[] => rows.map((r) => ({ date: r.date, value: r.close }));
  const [S, Q, G, M] = [pts(spx), pts(qqq), pts(gold), pts(m2)];
  const compute = measure(50, () => {
    ratioSeries(S, G);
    ratioSeries(Q, G);
    purchasingPower({ spx: S, qqq: Q, gold: G, m2: M }, '1999-03-10');
  });
  report('recompute both ratio series + purchasing power (in memory), median', compute.median, '< 20 ms');
  const withRead = await measureAsync(20, async () => {
    const s = await store.closes('spx');
    const q = await store.closes('qqq');
    const g = await store.closes('gold');
    ratioSeries(s, g);
    ratioSeries(q, g);
    purchasingPower({ spx: s, qqq: q, gold: g, m2: await store.closes('m2') }, '1999-03-10');
  });
  report('same, reading the closes from SQLite first, median', withRead.median);

  // The market view (chat, charts, /metrics): a use while the data stays reads one row; a data
  // change reads the four histories again, once.
  const view = new MarketView(store);
  await view.report('spx-gold', Date.now());
  report('market view: report while the data stays (version read), median', (await measureAsync(2000, () => view.report('spx-gold', Date.now()))).median);
  report(
    'market view: after a change of closes (read + ratios), median',
    (
      await measureAsync(20, async () => {
        await store.upsertCloses('m2', [{ date: '2027-01-01', close: 30_000 + Math.random(), source: 'bench' }]);
        await view.ratio('spx-gold');
        await view.ratio('qqq-gold');
      })
    ).median,
  );
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

await onPostgresServer();

/** The import on PostgreSQL: a fresh database on the server, dropped after. */
async function onPostgresServer(): Promise<void> {
  const url = PG_URL;
  if (url === undefined) {
    process.stdout.write('postgres: skipped (set GOLDRATIO_BENCH_PG_URL)\n');
    return;
  }
  const name = `goldratio_bench_${process.pid}`;
  await admin(url, `CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const pgStore = await openPostgres(u.toString(), { what: 'GOLDRATIO_BENCH_PG_URL', max: 4 });
  try {
    const store = new QuoteStore(onPostgres(pgStore));
    let t0 = performance.now();
    await store.upsertCloses('spx', spx);
    await store.upsertCloses('qqq', qqq);
    await store.upsertCloses('gold', gold);
    report(`postgres: import ${spx.length + qqq.length + gold.length} daily rows (3 instruments)`, performance.now() - t0);
    t0 = performance.now();
    await store.upsertCloses('spx', spx);
    report('postgres: re-import the same spx rows (no change)', performance.now() - t0);
    await store.upsertCloses('m2', m2);
    const view = new MarketView(store);
    t0 = performance.now();
    await view.ratio('spx-gold');
    report('postgres: market view after a change (read 4 histories)', performance.now() - t0);
    report('postgres: market view report while the data stays, median', (await measureAsync(200, () => view.report('spx-gold', Date.now()))).median);
  } finally {
    await pgStore.close();
    await admin(url, `DROP DATABASE ${name}`);
  }
}
