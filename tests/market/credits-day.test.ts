/**
 * A keyed source's plan, kept (market/credits.ts), through the whole app on the quote fake with both
 * keys set, on SQLite and PostgreSQL: what a trading day and a weekend day ask of Twelve Data and
 * FRED (docs/architecture.md "A keyed source's plan"), the day's budget, Twelve Data's own "run out
 * of API credits" for the minute, and a first start's backfill with a 2000s gap held to 8 credits a minute.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { QuoteServer } from '../fakes/quote-server.ts';
import type { Cleanups } from '../helpers/app.ts';
import { creditsWorld, fillHistory, keyedSource, MIN, MONDAY, SATURDAY } from '../helpers/credits-world.ts';
import { describeWithPostgres, freshPgDatabase } from '../helpers/postgres.ts';
import { QuoteStore } from '../../src/store/quotes.ts';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const YAHOO = ['/v8/finance/chart/^GSPC', '/v8/finance/chart/QQQ', '/v8/finance/chart/GC=F'];
const yahooDown = (s: QuoteServer, paths = YAHOO) => {
  for (const p of paths) s.fault(p, { kind: 'status', status: 503 });
};
/** What a message of the log says, as `LEVEL message`. */
const said = (lines: readonly string[]) => lines.map((l) => l.replace(/^\S+ (\w+) +\S+: /, '$1 '));
const waits = (lines: readonly string[]) => said(lines).filter((l) => /twelvedata waits until/.test(l));
const OUT_OF_MINUTE =
  'You have run out of API credits for the current minute. 9 API credits were used, with the current limit being 8. Wait for the next minute or consider switching to a higher tier plan at https://twelvedata.com/pricing';

// Each test's bound, 300 s: a whole app's start-up sync since 1999 and a simulated day's 1,600 job
// runs are 10-20 s of CPU, which at load 27 on 2 cores (busy loops beside four other files) took past
// the 120 s this was. Nothing here waits on a clock: the bound is only against a hang.
function suite(databaseUrl: () => Promise<string | undefined>, { days }: { days: boolean }) {
  // A whole day's minutes (2,880 of them in the first) cost 10-20 s of CPU each on an engine: which
  // sources a day asks is the schedule's and the market's, the same on both, so they run on SQLite;
  // the refusals and the first start's budget below run on both.
  if (days) {
    test('GIVEN both keys and Yahoo answering THEN a trading day and a Saturday ask Twelve Data nothing, FRED only for M2', async () => {
      // Monday's bar its last: Yahoo's live price is then Monday's, taken (a later bar's would be refused as in the future).
      const w = await creditsWorld(cleanups, { databaseUrl: await databaseUrl(), startMs: MONDAY - MIN, prepare: (s) => fillHistory(s, '2026-12-07') });
      expect(w.startUp.total).toEqual({ twelvedata: 0, fred: 1 });
      const day = await w.runDay(MONDAY, MONDAY + 1440 * MIN);
      // 78 quotes runs, 96 gold runs, the close run, the m2 run, 1440 re-check ticks: Yahoo answers each.
      const asked = () => JSON.stringify(w.server.requests.filter((r) => keyedSource(r) === 'twelvedata').map((r) => [r.path, r.query['symbol']]));
      expect(day.total, `${JSON.stringify(day.byJob)} ${asked()}`).toEqual({ twelvedata: 0, fred: 2 });
      const store = new QuoteStore(w.app.store);
      for (const i of ['spx', 'qqq', 'gold'] as const) expect((await store.latestQuote(i))?.source).toBe('yahoo');
      fillHistory(w.server, '2026-12-11');
      const sat = await w.runDay(SATURDAY, SATURDAY + 1440 * MIN);
      expect(sat.total).toEqual({ twelvedata: 0, fred: 1 });
    }, 300_000);

    test('GIVEN Yahoo down all day THEN Twelve Data carries it within its plan: 332 credits, at most 4 a minute; a day budget of 300 stops it at 300 until midnight UTC, said once', async () => {
      const w = await creditsWorld(cleanups, {
        databaseUrl: await databaseUrl(),
        startMs: MONDAY - MIN,
        env: { TWELVEDATA_CREDITS_PER_DAY: '300' },
        prepare: (s) => {
          fillHistory(s, '2026-12-12');
          yahooDown(s);
        },
      });
      // The history since 1999 of the S&P 500 and QQQ in 5000-day windows (gold from LBMA).
      expect(w.startUp.total.twelvedata).toBe(6);
      const day = await w.runDay(MONDAY, MONDAY + 1440 * MIN);
      // Monday 00:00-24:00 in New York is 05:00 UTC Monday to 05:00 UTC Tuesday: gold every 15 min
      // (76 runs before midnight UTC, 20 after), SPX, QQQ and gold every quotes run (78 × 3), the close run's 2.
      // Without a budget: 6 + 76 + 234 + 2 = 318 on Monday UTC, 20 on Tuesday; with 300, 300 and 20.
      // (A request lost on its way, a kept-alive socket closed under it, takes its credit and is retried with another.)
      expect(day.twelveDataByDay['2026-12-07']).toBeLessThanOrEqual(300 - 6);
      expect(day.twelveDataByDay['2026-12-07']).toBeGreaterThanOrEqual(300 - 6 - 2);
      expect(day.twelveDataByDay['2026-12-08']).toBe(20);
      expect(day.perMinute.twelvedata).toBeLessThanOrEqual(4);
      expect(waits(w.log.lines)).toEqual([
        'WARN twelvedata waits until 00:00:00 UTC: its 300 credits of the day are spent (TWELVEDATA_CREDITS_PER_DAY); the other sources are asked meanwhile',
      ]);
      // Gold after midnight UTC came from Twelve Data again.
      const gold = await new QuoteStore(w.app.store).latestQuote('gold');
      expect(gold?.source).toBe('twelvedata');
      expect(gold?.asOf).toBeGreaterThan(Date.parse('2026-12-08T00:00:00Z'));
    }, 300_000);
  }

  test('GIVEN Twelve Data answering "run out of API credits" for the minute (HTTP 200, then HTTP 429) THEN it is asked no more that minute, never retried, said once, and answers the next run', async () => {
    const w = await creditsWorld(cleanups, {
      databaseUrl: await databaseUrl(),
      startMs: MONDAY - MIN,
      env: { HTTP_RETRIES: '3', HTTP_BACKOFF_MS: '0' },
      prepare: (s) => {
        fillHistory(s, '2026-12-12');
        yahooDown(s);
      },
    });
    const store = new QuoteStore(w.app.store);
    for (const [i, httpStatus] of [200, 429].entries()) {
      w.clock.now = Date.parse('2026-12-07T15:00:00Z') + i * 10 * MIN;
      w.server.fault('/price', { kind: 'twelvedata-error', code: 429, message: OUT_OF_MINUTE, httpStatus }, 1);
      const qqqBefore = (await store.latestQuote('qqq'))?.asOf;
      const before = w.server.requests.length;
      await w.run('quotes');
      // SPX's /price was refused; QQQ and gold were not asked of Twelve Data that minute, nor SPX's retried.
      expect(w.server.requests.slice(before).filter((r) => keyedSource(r) === 'twelvedata')).toHaveLength(1);
      expect((await store.latestQuote('qqq'))?.asOf).toBe(qqqBefore);
      expect(waits(w.log.lines)).toHaveLength(i + 1);
      expect(waits(w.log.lines)[i]).toMatch(
        /^WARN twelvedata waits until \d\d:\d\d:\d\d UTC: it answered that its API credits of the minute have run out; the other sources are asked meanwhile$/,
      );
      w.clock.now += 5 * MIN;
      const next = await w.run('quotes');
      expect(next.total.twelvedata).toBe(3);
      expect((await store.latestQuote('qqq'))?.asOf).toBe(w.clock.now);
    }
  }, 300_000);

  test('GIVEN a first start with Yahoo down for the S&P 500 and QQQ and a 2000s gap in gold THEN Twelve Data spends its 8 credits of the minute and no more; the quotes come the next minute', async () => {
    const w = await creditsWorld(cleanups, {
      databaseUrl: await databaseUrl(),
      startMs: Date.parse('2026-12-07T15:00:00Z'),
      prepare: (s) => {
        fillHistory(s, '2026-12-12', { from: '2003-01-01', to: '2007-12-31', symbols: ['GC=F', 'gold_pm'] });
        yahooDown(s, YAHOO.slice(0, 2));
      },
    });
    // SPX and QQQ since 1999 (3 windows each), gold's gap from Twelve Data (2003 to today: 2 windows).
    expect(w.startUp.total.twelvedata).toBe(8);
    const store = new QuoteStore(w.app.store);
    expect(await store.closes('gold', '2005-06-01', '2005-06-03')).toHaveLength(3);
    // The quotes run in the same minute: SPX's and QQQ's live prices would be the 9th and 10th credits.
    const same = await w.run('quotes');
    expect(same.total.twelvedata).toBe(0);
    expect(await store.latestQuote('spx')).toBeUndefined();
    expect(waits(w.log.lines)).toEqual([
      expect.stringMatching(
        /^WARN twelvedata waits until 15:01:00 UTC: its 8 credits of the minute are spent \(TWELVEDATA_CREDITS_PER_MINUTE\); the other sources are asked meanwhile$/,
      ),
    ]);
    w.clock.now += MIN;
    const next = await w.run('quotes');
    expect(next.total.twelvedata).toBe(2);
    expect((await store.latestQuote('spx'))?.source).toBe('twelvedata');
  }, 300_000);
}

describe("a keyed source's plan, kept (sqlite)", () => {
  suite(async () => undefined, { days: true });
});
describeWithPostgres("a keyed source's plan, kept (postgres)", () => {
  suite(
    async () => {
      const pg = await freshPgDatabase({ migrated: true });
      cleanups.push(() => pg.drop());
      return pg.url;
    },
    { days: false },
  );
});
