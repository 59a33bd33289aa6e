/**
 * A sync's writes (closes, released and expired holds, new holds) are one transaction on either
 * engine: a store failure in the middle (a trigger refusing the new hold; on PostgreSQL the
 * connection terminated while the hold's insert waits on a lock) leaves all of them or none.
 */
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import pg from 'pg';
import { sql } from 'kysely';
import { QuoteStore } from '../../src/store/quotes.ts';
import { memoryLogger } from '../../src/log.ts';
import { createMarket } from '../../src/market/market.ts';
import { isTradingDay } from '../../src/domain/nyse-calendar.ts';
import { onPostgres, type StoreDb } from '../../src/store/engine.ts';
import { openPostgres } from '../../src/store/postgres.ts';
import { quoteServerConfig, startQuoteServer, walk, weekdays, type QuoteServer, type SeriesPoint } from '../fakes/quote-server.ts';
import { describeOnEngines } from '../helpers/engines.ts';
import { adminQuery, describeWithPostgres, freshPgDatabase } from '../helpers/postgres.ts';

// Friday 2026-08-21, 14:00 New York: the daily sync reads 2026-08-11..2026-08-21.
const NOW = Date.parse('2026-08-21T18:00:00Z');
const FROM = '2026-06-01';
const CONFIRMED = '2026-08-14';
const CHANGED = '2026-08-18';
const SPIKE = '2026-08-20';
let server: QuoteServer;

beforeAll(async () => {
  server = await startQuoteServer();
});
afterAll(async () => {
  await server.close();
});

const tradingDays = weekdays(FROM, '2026-08-21').filter(isTradingDay);

/**
 * A history backfilled, a hold on CONFIRMED that the next fetch repeats (released), then the source
 * revising CHANGED by 1% (an update) and jumping 25% on SPIKE (a new hold): one sync that writes a
 * close, deletes a hold and inserts one.
 */
async function prepared(db: StoreDb) {
  const SPX = walk(tradingDays, 5900, 1);
  server.setSeries('^GSPC', SPX);
  const store = new QuoteStore(db);
  const log = memoryLogger();
  const market = createMarket(quoteServerConfig(server, { BACKFILL_FROM: FROM }), store, log, { now: () => NOW, sleep: async () => {} });
  expect((await market.backfill()).instruments.find((i) => i.instrument === 'spx')?.ok).toBe(true);
  const price = (d: string) => SPX.find((p) => p.date === d)!.value!;
  await store.holdQuote('spx', CONFIRMED, price(CONFIRMED), 'yahoo', new Date(NOW - 86_400_000));
  const next: SeriesPoint[] = SPX.map((p) =>
    p.date === CHANGED
      ? { date: p.date, value: Math.round(p.value! * 101) / 100 }
      : p.date === SPIKE
        ? { date: p.date, value: Math.round(p.value! * 125) / 100 }
        : p,
  );
  server.setSeries('^GSPC', next);
  const before = { closes: await store.closes('spx'), held: await store.heldQuotes('spx'), version: await store.dataVersion() };
  const after = async () => ({ closes: await store.closes('spx'), held: await store.heldQuotes('spx'), version: await store.dataVersion() });
  return { store, market, log, before, after, spike: next.find((p) => p.date === SPIKE)!.value!, changed: next.find((p) => p.date === CHANGED)!.value! };
}

/** The whole of the sync landed: CHANGED revised, CONFIRMED's hold released, SPIKE held. */
function expectAll(s: Awaited<ReturnType<typeof prepared>>, now: Awaited<ReturnType<Awaited<ReturnType<typeof prepared>>['after']>>) {
  expect(now.closes.find((p) => p.date === CHANGED)?.value).toBe(s.changed);
  expect(now.held.map((h) => [h.date, h.price])).toEqual([[SPIKE, s.spike]]);
  expect(now.version).toBeGreaterThan(s.before.version);
}

describeOnEngines('a sync whose hold cannot be written', (open) => {
  test('GIVEN a trigger refusing the new hold, after the close was updated and a hold released THEN none of it is stored; once it is gone the next sync stores all', async () => {
    const db = await open();
    const s = await prepared(db);
    if (db.engine === 'sqlite') {
      await sql`CREATE TRIGGER refuse_hold BEFORE INSERT ON held_quotes BEGIN SELECT RAISE(ABORT, 'hold refused by the test'); END`.execute(db.k);
    } else {
      await sql`CREATE FUNCTION refuse_hold() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'hold refused by the test'; END $$ LANGUAGE plpgsql`.execute(db.k);
      await sql`CREATE TRIGGER refuse_hold BEFORE INSERT ON held_quotes FOR EACH ROW EXECUTE FUNCTION refuse_hold()`.execute(db.k);
    }
    const r = await s.market.syncDaily();
    const spx = r.instruments.find((i) => i.instrument === 'spx')!;
    expect(spx.ok).toBe(false);
    expect(spx.errors.join(' ')).toContain('hold refused by the test');
    // Neither the update, nor the release, nor the bump of the data version: as before the sync.
    expect(await s.after()).toEqual(s.before);
    // Not said as done either: no "held until confirmed" line for a hold that is not there.
    expect(s.log.lines.filter((l) => l.includes(`on ${SPIKE}`))).toEqual([]);

    await sql.raw('DROP TRIGGER refuse_hold' + (db.engine === 'postgres' ? ' ON held_quotes' : '')).execute(db.k);
    expect((await s.market.syncDaily()).instruments.find((i) => i.instrument === 'spx')?.ok).toBe(true);
    expectAll(s, await s.after());
  });
});

describeWithPostgres('a sync whose PostgreSQL connection is terminated in the middle', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const f of cleanups.splice(0).reverse()) await f();
  });

  test('GIVEN the new hold waiting on a row lock, its backend terminated (pg_terminate_backend) THEN the close update and the release are rolled back with it', async () => {
    const d = await freshPgDatabase({ migrated: true });
    cleanups.push(() => d.drop());
    const pgStore = await openPostgres(d.url, { what: 'GOLDRATIO_TEST_PG_URL', max: 2 });
    cleanups.push(() => pgStore.close());
    const s = await prepared(onPostgres(pgStore));
    // Another session inserts SPIKE's hold and keeps its transaction open: the sync's insert of the
    // same key waits for it, after the close's update and the release were sent.
    const blocker = new pg.Client({ connectionString: d.url });
    await blocker.connect();
    cleanups.push(() => blocker.end());
    await blocker.query('BEGIN');
    await blocker.query(`INSERT INTO held_quotes (instrument, date, price, source, held_at) VALUES ('spx', $1, 1, 'blocker', 'x')`, [SPIKE]);
    const syncing = s.market.syncDaily();
    let pid: number | undefined;
    for (let i = 0; i < 500 && pid === undefined; i++) {
      const found = await adminQuery(
        d.url,
        `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND query LIKE '%held_quotes%' AND pid <> $2`,
        [d.name, (blocker as unknown as { processID: number }).processID],
      );
      pid = found.rows[0]?.pid as number | undefined;
      if (pid === undefined) await new Promise((r) => setTimeout(r, 20));
    }
    expect(pid).toBeDefined();
    await adminQuery(d.url, 'SELECT pg_terminate_backend($1)', [pid]);
    const r = await syncing;
    expect(r.instruments.find((i) => i.instrument === 'spx')?.ok).toBe(false);
    await blocker.query('ROLLBACK');
    expect(await s.after()).toEqual(s.before);
    // The pool goes on with a new connection: the next sync stores the whole of it.
    expect((await s.market.syncDaily()).instruments.find((i) => i.instrument === 'spx')?.ok).toBe(true);
    expectAll(s, await s.after());
  });
});
