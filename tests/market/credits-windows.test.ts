/**
 * A Twelve Data history in 5,000-day windows (since 1999: three) meets the plan partway, through
 * createMarket and the real HTTP client on the quote fake, Yahoo down: the windows fetched before
 * the refusal are stored, not thrown away with their credits, and the rest is asked again; a caller
 * that waits (`goldratio backfill`) waits for the next minute's credits, said once, and finishes.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { memoryLogger } from '../../src/log.ts';
import { createMarket } from '../../src/market/market.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { quoteServerConfig, weekdays, type QuoteServer } from '../fakes/quote-server.ts';
import { NOW, spxHistoryServer, TD_KEY } from '../helpers/twelve-data-history.ts';
import { describeOnEngines } from '../helpers/engines.ts';

let server: QuoteServer;

beforeAll(async () => {
  server = await spxHistoryServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.clearFaults();
  server.requests.length = 0;
  server.fault('/v8/finance/chart/^GSPC', { kind: 'status', status: 503 });
});

const said = (lines: readonly string[]) => lines.map((l) => l.replace(/^\S+ (\w+) +\S+: /, '$1 '));

describeOnEngines("a Twelve Data history's windows and the plan", (open) => {
  async function setup(env: Record<string, string>, wait = false) {
    const store = new QuoteStore(await open());
    const log = memoryLogger();
    const clock = { ms: NOW };
    const slept: number[] = [];
    const config = quoteServerConfig(server, { TWELVEDATA_API_KEY: TD_KEY, SOURCES_SPX: 'yahoo,twelvedata', HTTP_RETRIES: '0', ...env });
    const market = createMarket(config, store, log, {
      now: () => clock.ms,
      // The wait moves the test's clock: a minute waited costs no wall time.
      sleep: async (ms) => {
        slept.push(ms);
        clock.ms += ms;
      },
      waitForCredits: wait,
    });
    return { store, log, clock, slept, market };
  }

  test('GIVEN 2 credits a minute THEN the third window is refused, the first two are stored, and a minute on only the rest is asked', async () => {
    const { store, log, clock, market } = await setup({ TWELVEDATA_CREDITS_PER_MINUTE: '2' });
    const first = (await market.recheck(['spx'])).instruments[0]!;
    expect(first.ok).toBe(false);
    expect(first.errors.join('\n')).toMatch(
      /^twelvedata not asked for SPX until 15:01:00 UTC: its 2 credits of the minute are spent \(TWELVEDATA_CREDITS_PER_MINUTE\) \(its 1999-03-10\.\.2026-07-25 fetched before, kept\)$/m,
    );
    expect(server.requestsTo('/time_series')).toHaveLength(2);
    expect((await store.lastClose('spx'))?.date).toBe('2026-07-24');
    expect((await store.closes('spx'))[0]?.date).toBe('1999-03-10');
    expect(first.inserted).toBe((await store.closes('spx')).length);
    expect(said(log.lines)).toContain('INFO spx: ' + first.errors.find((e) => e.includes('kept'))! + '; the rest is asked again');

    clock.ms += 60_000;
    const again = (await market.recheck(['spx'])).instruments[0]!;
    expect(again.ok).toBe(true);
    const asked = server.requestsTo('/time_series').slice(2);
    expect(asked.map((r) => [r.query.start_date, r.query.end_date])).toEqual([['2026-07-17', '2026-12-07']]);
    expect((await store.lastClose('spx'))?.date).toBe('2026-12-04');
  });

  test('GIVEN 2 credits a minute and a caller that waits THEN it waits the minute, says so once, and the whole history lands', async () => {
    const { store, log, slept, market } = await setup({ TWELVEDATA_CREDITS_PER_MINUTE: '2' }, true);
    const r = (await market.recheck(['spx'])).instruments[0]!;
    expect(r.ok).toBe(true);
    expect(server.requestsTo('/time_series')).toHaveLength(3);
    expect(slept).toEqual([60_000]);
    expect(said(log.lines).filter((l) => l.includes('twelvedata waits'))).toEqual([
      'INFO twelvedata waits 60 s, until 15:01:00 UTC, before asking for SPX: its 2 credits of the minute are spent (TWELVEDATA_CREDITS_PER_MINUTE); Ctrl-C stops it (what is stored stays)',
    ]);
    expect((await store.closes('spx'))[0]?.date).toBe('1999-03-10');
    expect((await store.lastClose('spx'))?.date).toBe('2026-12-04');
  });

  test('GIVEN Twelve Data itself answering that its minute has run out, a caller that waits THEN it asks again once that minute is over, and finishes', async () => {
    const { store, log, slept, market } = await setup({}, true);
    const minute = 'You have run out of API credits for the current minute. 9 API credits were used, with the current limit being 8.';
    server.fault('/time_series', { kind: 'twelvedata-error', code: 429, message: minute }, 1);
    const r = (await market.recheck(['spx'])).instruments[0]!;
    expect(r.ok).toBe(true);
    expect(slept).toEqual([60_000]);
    expect(server.requestsTo('/time_series')).toHaveLength(4);
    expect(said(log.lines).filter((l) => l.includes('twelvedata waits'))).toEqual([
      'INFO twelvedata waits 60 s, until 15:01:00 UTC, before asking for SPX: it said it has run out of API credits; Ctrl-C stops it (what is stored stays)',
    ]);
    expect((await store.lastClose('spx'))?.date).toBe('2026-12-04');
  });

  test("GIVEN Yahoo's S&P 500 from 2020 only and 1 credit a minute THEN the head Twelve Data fills keeps its first window, and says the rest is not done", async (ctx) => {
    server.clearFaults();
    server.setSeries(
      '^GSPC',
      weekdays('2020-01-02', '2026-12-04').map((date) => ({ date, value: 5200 })),
    );
    ctx.onTestFinished(() => server.setSeries('^GSPC', []));
    const { store, market } = await setup({ TWELVEDATA_CREDITS_PER_MINUTE: '1' });
    const r = (await market.recheck(['spx'])).instruments[0]!;
    expect(r.ok).toBe(false);
    expect(server.requestsTo('/time_series').map((q) => [q.query.start_date, q.query.end_date])).toEqual([['1999-03-10', '2012-11-15']]);
    expect(r.errors.join('\n')).toMatch(/its 1999-03-10\.\.2012-11-15 fetched before, kept/);
    const dates = (await store.closes('spx')).map((p) => p.date);
    expect([dates[0], dates.filter((d) => d < '2020-01-01').at(-1), dates.find((d) => d >= '2020-01-01')]).toEqual(['1999-03-10', '2012-11-15', '2020-01-02']);
  });

  test("GIVEN the day's credits spent after two windows, a caller that waits THEN it does not wait for tomorrow: the two are stored and the rest fails naming the budget", async () => {
    const { store, slept, market } = await setup({ TWELVEDATA_CREDITS_PER_DAY: '2' }, true);
    const r = (await market.recheck(['spx'])).instruments[0]!;
    expect(r.ok).toBe(false);
    expect(slept).toEqual([]);
    expect(r.errors.join('\n')).toMatch(
      /^twelvedata not asked for SPX until 00:00:00 UTC: its 2 credits of the day are spent \(TWELVEDATA_CREDITS_PER_DAY\); it renews at 00:00:00 UTC$/m,
    );
    expect((await store.lastClose('spx'))?.date).toBe('2026-07-24');
  });
});
