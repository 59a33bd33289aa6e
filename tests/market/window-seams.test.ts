/**
 * The seams between the windows a history is asked in: Twelve Data's own (5000 bars at most each)
 * and the rest `completed` asks again after a window refused (sync-closes.ts: from the day after the
 * last one answered). A day skipped at a seam is a close never stored and never asked again (the plan
 * sees the first and last stored days only), and a test that names each window's dates would pass a
 * skip moved with them: here the windows asked must cover the range without a gap, and every trading
 * day of it must be stored. Through createMarket and the real HTTP client on the quote fake, both engines.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { addDays } from '../../src/domain/dates.ts';
import { isTradingDay } from '../../src/domain/nyse-calendar.ts';
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
});

/** The windows asked, in order, as date ranges. */
const windows = () => server.requestsTo('/time_series').map((r) => ({ from: r.query.start_date!, to: r.query.end_date! }));

/** The days of [from, to] that no window asked for. */
function unasked(asked: readonly { from: string; to: string }[], from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) if (!asked.some((w) => w.from <= d && d <= w.to)) out.push(d);
  return out;
}

describeOnEngines('the seams between the windows of a history', (open) => {
  test.for([
    ['every window answered', 0],
    ['the second window refused once (its rest asked again from the day after the first)', 1],
    ['the third window refused once', 2],
  ] as const)('GIVEN %s THEN no day of the range goes unasked, and every trading day is stored', async ([, refused]) => {
    const store = new QuoteStore(await open());
    const config = quoteServerConfig(server, { TWELVEDATA_API_KEY: TD_KEY, SOURCES_SPX: 'twelvedata', HTTP_RETRIES: '0' });
    const market = createMarket(config, store, memoryLogger(), { now: () => NOW, sleep: async () => {} });
    // The window to refuse, as the fake sees it: the first run's windows are the same whatever is refused after them.
    if (refused > 0) {
      await createMarket(config, new QuoteStore(await open()), memoryLogger(), { now: () => NOW, sleep: async () => {} }).recheck(['spx']);
      const nth = windows()[refused]!;
      server.requests.length = 0;
      server.fault('/time_series', { kind: 'status', status: 503 }, 1, { start_date: nth.from });
    }

    const spx = (await market.recheck(['spx'])).instruments[0]!;
    expect([spx.ok, spx.unfetched]).toEqual([true, undefined]);
    // The windows answered: the refused one (the fake's first request of it) asked, not answered.
    const all = windows();
    const no = refused > 0 ? all.findIndex((w) => w.from === all[refused]!.from) : -1;
    const asked = all.filter((_, i) => i !== no);
    // Several windows, the refused one's rest asked again: the seams are what is tested.
    expect(asked.length).toBeGreaterThan(2);
    expect(unasked(asked, '1999-03-10', '2026-12-07')).toEqual([]);
    const stored = new Set((await store.closes('spx')).map((p) => p.date));
    expect(weekdays('1999-03-10', '2026-12-04').filter((d) => isTradingDay(d) && !stored.has(d))).toEqual([]);
  });
});
