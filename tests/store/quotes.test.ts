import { afterEach, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseVersionError, openDatabase, schemaVersion } from '../../src/store/db.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { MarketView } from '../../src/store/market-view.ts';
import { onPostgres, onSqlite, type StoreDb } from '../../src/store/engine.ts';
import { openPostgres } from '../../src/store/postgres.ts';
import { describeOnEngines } from '../helpers/engines.ts';
import { describeWithPostgres, freshPgDatabase } from '../helpers/postgres.ts';
import { weekdays } from '../helpers/charts-fixtures.ts';
import { countedCalls } from '../helpers/store-calls.ts';

function tempDb() {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-'));
  return { path: join(dir, 'sub', 'test.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('database file', () => {
  test('GIVEN a new file THEN every migration is applied, recorded and WAL is on', () => {
    const t = tempDb();
    const db = openDatabase(t.path);
    expect(schemaVersion(db)).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
    const recorded = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[];
    expect(recorded.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    // Reopening applies nothing twice.
    const again = openDatabase(t.path);
    expect((again.prepare('SELECT count(*) n FROM schema_migrations').get() as { n: number }).n).toBe(MIGRATIONS.length);
    again.close();
    t.cleanup();
  });

  test('GIVEN a database from a newer version THEN it is refused with a clear message', () => {
    const t = tempDb();
    const db = openDatabase(t.path);
    db.pragma('user_version = 999');
    db.close();
    expect(() => openDatabase(t.path)).toThrow(DatabaseVersionError);
    expect(() => openDatabase(t.path)).toThrow(/newer goldratio \(schema version 999/);
    t.cleanup();
  });
});

describeOnEngines('closes', (open) => {
  test('GIVEN closes from three sources, one of them twice apart THEN its runs, in date order', async () => {
    const store = new QuoteStore(await open());
    const row = (date: string, source: string) => ({ date, close: 100, source });
    await store.upsertCloses('gold', [
      row('2024-01-02', 'lbma'),
      row('2024-01-03', 'lbma'),
      row('2024-01-04', 'yahoo'),
      row('2024-01-05', 'import:g.csv'),
      row('2024-01-08', 'yahoo'),
    ]);
    expect(await store.sourceSpans('gold')).toEqual([
      { source: 'lbma', from: '2024-01-02', to: '2024-01-03' },
      { source: 'yahoo', from: '2024-01-04', to: '2024-01-04' },
      { source: 'import:g.csv', from: '2024-01-05', to: '2024-01-05' },
      { source: 'yahoo', from: '2024-01-08', to: '2024-01-08' },
    ]);
    expect(await store.sourceSpans('spx')).toEqual([]);
  });

  test('GIVEN the same rows twice THEN the second upsert changes nothing', async () => {
    const store = new QuoteStore(await open());
    const rows = [
      { date: '2024-01-02', close: 4742.83, source: 'yahoo' },
      { date: '2024-01-03', close: 4704.81, source: 'yahoo' },
    ];
    expect(await store.upsertCloses('spx', rows)).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
    const v = await store.dataVersion();
    expect(await store.upsertCloses('spx', rows)).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
    expect(await store.dataVersion()).toBe(v);
    expect(await store.upsertCloses('spx', [{ date: '2024-01-03', close: 4705, source: 'lbma' }])).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    expect(await store.dataVersion()).toBe(v + 1);
    expect(await store.closes('spx')).toEqual([
      { date: '2024-01-02', value: 4742.83 },
      { date: '2024-01-03', value: 4705 },
    ]);
    expect(await store.lastClose('spx')).toMatchObject({ date: '2024-01-03', source: 'lbma' });
  });

  test('GIVEN 250 rows out of order, one date twice THEN every row lands exactly, counted as if written one by one', async () => {
    const store = new QuoteStore(await open());
    const dates = weekdays('2020-01-01', 250);
    // Closes with many digits: a double must come back unchanged on both engines.
    const rows = dates.map((date, i) => ({ date, close: 1000 + i / 7, source: 'test' })).reverse();
    const twice = { date: dates[10]!, close: 5, source: 'again' };
    expect(await store.upsertCloses('gold', [...rows, twice])).toEqual({ inserted: 250, updated: 1, unchanged: 0 });
    const back = await store.closes('gold');
    expect(back.map((p) => p.date)).toEqual(dates);
    expect(back[10]).toEqual({ date: dates[10], value: 5 });
    expect(back[249]).toEqual({ date: dates[249], value: 1000 + 249 / 7 });
    expect(await store.count('gold')).toBe(250);
    expect(await store.count('spx')).toBe(0);
    expect(await store.closes('gold', dates[100], dates[102])).toHaveLength(3);
    expect(await store.lastClose('gold')).toMatchObject({ date: dates[249], close: 1000 + 249 / 7, source: 'test' });
    expect(await store.lastClose('qqq')).toBeUndefined();
  });

  test('GIVEN an older latest quote THEN it does not overwrite a newer one', async () => {
    const store = new QuoteStore(await open());
    await store.setLatestQuote('gold', { price: 4000, asOf: 1_780_000_000_000, source: 'yahoo' });
    await store.setLatestQuote('gold', { price: 3900, asOf: 1_770_000_000_000, source: 'lbma' });
    expect(await store.latestQuote('gold')).toEqual({ instrument: 'gold', price: 4000, asOf: 1_780_000_000_000, source: 'yahoo' });
    await store.setLatestQuote('gold', { price: 4100, asOf: 1_790_000_000_000, source: 'lbma' });
    expect(await store.latestQuote('gold')).toMatchObject({ price: 4100, source: 'lbma' });
    expect(await store.latestQuote('spx')).toBeUndefined();
  });

  test('GIVEN a held quote THEN it is listed until released, and holding it again replaces it', async () => {
    const store = new QuoteStore(await open());
    const at = new Date('2026-11-20T21:00:00Z');
    await store.holdQuote('spx', '2026-11-20', 9000, 'yahoo', at);
    await store.holdQuote('spx', '2026-11-20', 9100, 'stooq', at);
    await store.holdQuote('spx', '2026-11-19', 8000, 'yahoo', at);
    expect(await store.heldQuotes('spx')).toEqual([
      { date: '2026-11-19', price: 8000, source: 'yahoo', heldAt: at.toISOString() },
      { date: '2026-11-20', price: 9100, source: 'stooq', heldAt: at.toISOString() },
    ]);
    await store.releaseHeld('spx', '2026-11-19');
    expect((await store.heldQuotes('spx')).map((h) => h.date)).toEqual(['2026-11-20']);
    expect(await store.heldQuotes('gold')).toEqual([]);
  });

  test('GIVEN a stoppable load THEN it lands whole; stopped after its first slice THEN nothing lands and the version stays', async () => {
    const store = new QuoteStore(await open());
    const rows = weekdays('2010-01-01', 300).map((date, i) => ({ date, close: 100 + i, source: 'import' }));
    const v = await store.dataVersion();
    const stop = new AbortController();
    // Fires while the first slice is written (or right after it): the load hears it before the next.
    setImmediate(() => stop.abort('SIGINT'));
    expect(await store.upsertClosesStoppable('qqq', rows, stop.signal, { slice: 50 })).toBe('aborted');
    expect(await store.count('qqq')).toBe(0);
    expect(await store.dataVersion()).toBe(v);
    expect(await store.upsertClosesStoppable('qqq', rows, new AbortController().signal, { slice: 50 })).toEqual({ inserted: 300, updated: 0, unchanged: 0 });
    expect(await store.count('qqq')).toBe(300);
    expect(await store.dataVersion()).toBe(v + 1);
    expect(await store.upsertClosesStoppable('qqq', rows, new AbortController().signal, { slice: 50 })).toEqual({ inserted: 0, updated: 0, unchanged: 300 });
    expect(await store.dataVersion()).toBe(v + 1);
  });
});

describeOnEngines('market view', (open) => {
  const days = weekdays('2026-01-05', 30);
  const seed = async (store: QuoteStore) => {
    await store.upsertCloses(
      'gold',
      days.map((date) => ({ date, close: 4000, source: 'lbma' })),
    );
    await store.upsertCloses(
      'spx',
      days.map((date, i) => ({ date, close: 6000 + 40 * i, source: 'yahoo' })),
    );
    await store.upsertCloses(
      'qqq',
      days.map((date, i) => ({ date, close: 600 + i, source: 'yahoo' })),
    );
  };

  test('GIVEN no closes read yet (goldratio status) THEN status counts and takes each last row instead of reading every close; with the snapshot read (the bot) it answers from it; the same rows both ways', async () => {
    const store = new QuoteStore(await open());
    await seed(store);
    const calls: string[] = [];
    const view = new MarketView(countedCalls(store, calls));
    const fresh = await view.status();
    expect(calls).not.toContain('QuoteStore.closesWithSources');
    expect(calls.filter((c) => c === 'QuoteStore.count')).toHaveLength(4);
    await view.snapshot();
    calls.length = 0;
    expect(await view.status()).toEqual(fresh);
    expect(calls.filter((c) => c === 'QuoteStore.count' || c === 'QuoteStore.lastClose' || c === 'QuoteStore.closesWithSources')).toEqual([]);
    expect(fresh.map((s) => [s.instrument, s.rows, s.lastDate, s.lastClose, s.source])).toEqual([
      ['spx', 30, days[29], 6000 + 40 * 29, 'yahoo'],
      ['qqq', 30, days[29], 629, 'yahoo'],
      ['gold', 30, days[29], 4000, 'lbma'],
      ['m2', 0, undefined, undefined, undefined],
    ]);
  });

  test('GIVEN closes THEN ratio, report and status read them, and the snapshot is kept until the data version moves', async () => {
    const store = new QuoteStore(await open());
    await seed(store);
    const view = new MarketView(store);
    const ratio = await view.ratio('spx-gold');
    expect(ratio).toHaveLength(30);
    expect(ratio[0]).toEqual({ date: days[0], value: 1.5 });
    expect(await view.ratio('spx-gold', days[5], days[6])).toEqual([ratio[5], ratio[6]]);
    const snap = await view.snapshot();
    expect(await view.snapshot()).toBe(snap);
    const nowMs = Date.parse(`${days[29]}T22:00:00Z`);
    const report = await view.report('spx-gold', nowMs);
    expect(report).toMatchObject({ pair: 'spx-gold', basis: 'close', closeDate: days[29] });
    expect(report?.value).toBeCloseTo((6000 + 40 * 29) / 4000, 10);
    const status = await view.status();
    expect(status.map((s) => [s.instrument, s.rows, s.lastDate, s.source])).toEqual([
      ['spx', 30, days[29], 'yahoo'],
      ['qqq', 30, days[29], 'yahoo'],
      ['gold', 30, days[29], 'lbma'],
      ['m2', 0, undefined, undefined],
    ]);

    // A live quote moves the report without a new snapshot (no closes changed).
    await store.setLatestQuote('spx', { price: 8000, asOf: nowMs + 60_000, source: 'yahoo' });
    await store.setLatestQuote('gold', { price: 4000, asOf: nowMs + 60_000, source: 'yahoo' });
    expect((await view.report('spx-gold', nowMs + 120_000))?.value).toBe(2);
    expect(await view.snapshot()).toBe(snap);
    expect((await view.status())[0]?.latestQuote).toMatchObject({ price: 8000 });

    await store.upsertCloses('gold', [{ date: days[29]!, close: 5000, source: 'lbma' }]);
    const next = await view.snapshot();
    expect(next).not.toBe(snap);
    expect(next.version).toBe(snap.version + 1);
    expect((await view.ratio('spx-gold')).at(-1)?.value).toBeCloseTo((6000 + 40 * 29) / 5000, 10);
  });

  test('GIVEN a burst of asks after a change THEN the closes are read once', async () => {
    const db = await open();
    const store = new QuoteStore(db);
    await seed(store);
    const view = new MarketView(store);
    const snaps = await Promise.all(Array.from({ length: 10 }, () => view.snapshot()));
    expect(new Set(snaps).size).toBe(1);
  });

  test('GIVEN no closes THEN ratio is empty, report and power are undefined', async () => {
    const view = new MarketView(new QuoteStore(await open()));
    expect(await view.ratio('qqq-gold')).toEqual([]);
    expect(await view.report('qqq-gold', Date.now())).toBeUndefined();
    expect(await view.power()).toBeUndefined();
    expect((await view.status()).every((s) => s.rows === 0 && s.lastDate === undefined)).toBe(true);
  });
});

/**
 * Two processes on one database (two replicas on PostgreSQL; the bot and the CLI on SQLite): the
 * view of one sees the closes the other writes at its next use, through the data version row.
 */
function twoProcesses(name: string, opener: () => Promise<{ a: StoreDb; b: StoreDb; close(): Promise<void> }>) {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
  });
  test(`GIVEN two ${name} handles on one database THEN a view on one sees the closes the other writes`, async () => {
    const h = await opener();
    closers.push(() => h.close());
    const writer = new QuoteStore(h.a);
    const view = new MarketView(new QuoteStore(h.b));
    await writer.upsertCloses('gold', [{ date: '2026-11-20', close: 4000, source: 'lbma' }]);
    await writer.upsertCloses('spx', [{ date: '2026-11-20', close: 6000, source: 'yahoo' }]);
    expect(await view.ratio('spx-gold')).toEqual([{ date: '2026-11-20', value: 1.5 }]);
    await writer.upsertCloses('spx', [{ date: '2026-11-23', close: 6400, source: 'yahoo' }]);
    await writer.upsertCloses('gold', [{ date: '2026-11-23', close: 4000, source: 'lbma' }]);
    expect((await view.ratio('spx-gold')).map((p) => p.value)).toEqual([1.5, 1.6]);
    expect((await view.lastClose('spx'))?.date).toBe('2026-11-23');
  });
}

describe('two processes (sqlite)', () => {
  twoProcesses('SQLite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'goldratio-two-'));
    const [a, b] = [openDatabase(join(dir, 'g.db')), openDatabase(join(dir, 'g.db'))];
    return {
      a: onSqlite(a),
      b: onSqlite(b),
      close: async () => {
        a.close();
        b.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
});

describeWithPostgres('two processes (postgres)', () => {
  twoProcesses('PostgreSQL', async () => {
    const d = await freshPgDatabase({ migrated: true });
    const a = await openPostgres(d.url, { what: 'test', max: 2 });
    const b = await openPostgres(d.url, { what: 'test', max: 2 });
    return {
      a: onPostgres(a),
      b: onPostgres(b),
      close: async () => {
        await a.close();
        await b.close();
        await d.drop();
      },
    };
  });
});
