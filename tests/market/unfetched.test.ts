/**
 * A head another source fills in Twelve Data's windows, one window refused and the rest refused
 * again: the closes stored on both sides of the gap hide it from the plan (first and last stored
 * days), so the range is kept in the store (store/unfetched.ts) and every backfill asks it again,
 * a restart's included, until it is fetched whole. Through createMarket and the real HTTP client on
 * the quote fake, both engines.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { isTradingDay } from '../../src/domain/nyse-calendar.ts';
import { memoryLogger } from '../../src/log.ts';
import { createMarket } from '../../src/market/market.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { quoteServerConfig, weekdays, type QuoteServer } from '../fakes/quote-server.ts';
import { NOW, spxHistoryServer, TD_KEY } from '../helpers/twelve-data-history.ts';
import { describeOnEngines } from '../helpers/engines.ts';

// The head Yahoo lacks (its S&P 500 from 2020 here), in Twelve Data's windows: 1999-03-10..2012-11-15, then the one from this day.
const SECOND_WINDOW = { start_date: '2012-11-16' };
let server: QuoteServer;

beforeAll(async () => {
  server = await spxHistoryServer({ yahooFrom: '2020-01-02' });
});
afterAll(() => server.close());
beforeEach(() => {
  server.clearFaults();
  server.requests.length = 0;
});

const windows = () => server.requestsTo('/time_series').map((r) => `${r.query.start_date}..${r.query.end_date}`);
/** The NYSE trading days between the first and last stored close that have none. */
async function missing(store: QuoteStore): Promise<string[]> {
  const dates = (await store.closes('spx')).map((p) => p.date);
  const have = new Set(dates);
  return weekdays(dates[0]!, dates.at(-1)!).filter((d) => isTradingDay(d) && !have.has(d));
}

describeOnEngines("a head fill's window refused, and its rest", (open) => {
  test('GIVEN the second window refused twice THEN the gap is kept; a restart asks it again (refused: still kept), and again, and it is filled', async () => {
    const db = await open();
    const store = new QuoteStore(db);
    const config = quoteServerConfig(server, { TWELVEDATA_API_KEY: TD_KEY, SOURCES_SPX: 'yahoo,twelvedata', HTTP_RETRIES: '0' });
    // A new market each time: what a restart (or the next process on the store) knows is what is stored.
    const start = () => {
      const log = memoryLogger();
      return { log, market: createMarket(config, store, log, { now: () => NOW, sleep: async () => {} }) };
    };
    server.fault('/time_series', { kind: 'status', status: 503 }, Number.POSITIVE_INFINITY, SECOND_WINDOW);

    const first = (await start().market.recheck(['spx'])).instruments[0]!;
    expect(first.ok).toBe(false);
    expect(first.unfetched).toEqual([{ from: '2012-11-16', to: '2020-01-01' }]);
    expect(windows()).toEqual(['1999-03-10..2012-11-15', '2012-11-16..2020-01-01', '2012-11-16..2020-01-01']);
    const gap = await missing(store);
    expect([gap[0], gap.at(-1), gap.length]).toEqual(['2012-11-16', '2019-12-31', 1792]);

    // Still refused: asked once more, and kept.
    server.requests.length = 0;
    const second = start();
    expect((await second.market.recheck(['spx'])).instruments[0]!.unfetched).toEqual([{ from: '2012-11-16', to: '2020-01-01' }]);
    expect(second.log.lines.filter((l) => l.includes('earlier sync')).map((l) => l.replace(/^\S+ (\w+) +\S+: /, '$1 '))).toEqual([
      'INFO spx: 2012-11-16..2020-01-01 not fetched by an earlier sync, asked again',
    ]);
    expect(windows()).toEqual(['2012-11-16..2020-01-01']);
    expect(await missing(store)).toEqual(gap);

    // Answered: filled, and not asked again after.
    server.clearFaults();
    server.requests.length = 0;
    const third = (await start().market.recheck(['spx'])).instruments[0]!;
    expect(third.ok).toBe(true);
    expect(third.unfetched).toBeUndefined();
    expect(windows()).toEqual(['2012-11-16..2020-01-01']);
    expect(await missing(store)).toEqual([]);

    server.requests.length = 0;
    const fourth = start();
    expect((await fourth.market.recheck(['spx'])).instruments[0]!.ok).toBe(true);
    expect(windows()).toEqual([]);
    expect(fourth.log.lines.filter((l) => l.includes('earlier sync'))).toEqual([]);
  });
});

describeOnEngines('a head no source gives: every source after the first refusing it', (open) => {
  test('GIVEN Twelve Data refusing every window of the head Yahoo lacks THEN the sync is not ok, its error names the head, and it is kept to ask again', async () => {
    const db = await open();
    const store = new QuoteStore(db);
    const config = quoteServerConfig(server, { TWELVEDATA_API_KEY: TD_KEY, SOURCES_SPX: 'yahoo,twelvedata', HTTP_RETRIES: '0' });
    server.fault('/time_series', { kind: 'status', status: 503 });
    const log = memoryLogger();
    const market = createMarket(config, store, log, { now: () => NOW, sleep: async () => {} });

    const report = await market.recheck(['spx']);
    const spx = report.instruments[0]!;
    // Yahoo's years are stored; the head before them is what failed, and the report says so.
    expect([report.ok, spx.ok, spx.source, spx.inserted > 1000]).toEqual([false, false, 'yahoo', true]);
    // After the main range's own (the fake's weekdays refused on NYSE holidays): the head, then each refusal of it.
    const head = spx.errors.indexOf('spx 1999-03-10..2020-01-01 not fetched (yahoo has nothing before 2020-01-02)');
    expect(head).toBeGreaterThan(0);
    expect(spx.errors.slice(head + 1)).toEqual([expect.stringMatching(/^twelvedata .*503/)]);
    expect(spx.unfetched).toEqual([{ from: '1999-03-10', to: '2020-01-01' }]);
    expect(log.lines.filter((l) => /no other source filled/.test(l)).map((l) => l.replace(/^\S+ (\w+) +\S+: /, '$1 '))).toEqual([
      'WARN spx: yahoo has nothing before 2020-01-02 and no other source filled 1999-03-10..2020-01-01',
    ]);

    // A head no source has at all (every one answering, with nothing in it) is no failure.
    server.clearFaults();
    server.setSeries(
      'SPX',
      weekdays('2020-01-02', '2026-12-04').map((date) => ({ date, value: 5200 })),
    );
    try {
      const later = (await createMarket(config, store, memoryLogger(), { now: () => NOW, sleep: async () => {} }).recheck(['spx'])).instruments[0]!;
      expect([later.ok, later.unfetched]).toEqual([true, undefined]);
    } finally {
      server.setSeries(
        'SPX',
        weekdays('1999-01-04', '2026-12-04').map((date) => ({ date, value: 5200 })),
      );
    }
  });
});
