/**
 * A keyed source's plan at the market's edge (market/credits.ts through createMarket and the real
 * HTTP client on the quote fake): the metric counts each credit a request takes, retries included,
 * and FRED's own 429 makes it wait its minute without the retries a 429 of another source gets.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { memoryLogger } from '../../src/log.ts';
import { createMarket } from '../../src/market/market.ts';
import { twelveDataRefusal } from '../../src/market/twelvedata.ts';
import { createMetrics } from '../../src/ops/metrics.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { monthStarts, quoteServerConfig, startQuoteServer, weekdays, type QuoteServer } from '../fakes/quote-server.ts';
import { describeOnEngines } from '../helpers/engines.ts';

const TD_KEY = '0123456789abcdef0123456789abcdef';
const FRED_KEY = 'abcdefabcdefabcdefabcdefabcdefab';
// Monday 2026-12-07, 10:00 in New York.
const NOW = Date.parse('2026-12-07T15:00:00Z');
let server: QuoteServer;

beforeAll(async () => {
  server = await startQuoteServer({ twelveDataApiKey: TD_KEY, fredApiKey: FRED_KEY });
});
afterAll(() => server.close());
beforeEach(() => {
  server.clearFaults();
  server.requests.length = 0;
  const days = weekdays('2026-11-02', '2026-12-07');
  server.setSeries(
    'SPX',
    days.map((date) => ({ date, value: 5200 })),
  );
  server.setSeries(
    'QQQ',
    days.map((date) => ({ date, value: 400 })),
  );
  server.setSeries(
    'M2SL',
    monthStarts('2026-01-01', '2026-10-01').map((date, i) => ({ date, value: 22_000 + i })),
  );
});

const said = (lines: readonly string[]) => lines.map((l) => l.replace(/^\S+ (\w+) +\S+: /, '$1 '));
const credits = (text: string, source: string) =>
  Number(new RegExp(`^goldratio_quote_credits_used_total\\{source="${source}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);

describeOnEngines("a keyed source's credits", (open) => {
  async function setup() {
    const store = new QuoteStore(await open());
    const log = memoryLogger();
    const metrics = createMetrics({ defaults: false });
    const config = quoteServerConfig(server, { TWELVEDATA_API_KEY: TD_KEY, FRED_API_KEY: FRED_KEY, HTTP_RETRIES: '2' });
    const market = createMarket(config, store, log, { now: () => NOW, sleep: async () => {}, onCredit: (s) => metrics.quoteCredit(s) });
    return { store, log, metrics, market };
  }

  test('GIVEN Yahoo down and a Twelve Data 500 answered once THEN goldratio_quote_credits_used_total counts every request sent, the retry too', async () => {
    const { metrics, market } = await setup();
    for (const p of ['/v8/finance/chart/^GSPC', '/v8/finance/chart/QQQ']) server.fault(p, { kind: 'status', status: 503 });
    server.fault('/price', { kind: 'status', status: 500 }, 1);
    const r = await market.fetchLatest(['spx', 'qqq']);
    expect(r.quotes.map((q) => [q.instrument, q.status, q.quote?.source])).toEqual([
      ['spx', 'stored', 'twelvedata'],
      ['qqq', 'stored', 'twelvedata'],
    ]);
    expect(server.requestsTo('/price')).toHaveLength(3);
    expect(credits(await metrics.scrape(), 'twelvedata')).toBe(3);
  });

  test("GIVEN FRED answering 429 THEN it is asked once, not retried, waits its minute said once, and M2's sync fails for now", async () => {
    const { log, metrics, market } = await setup();
    server.fault('/fred/series/observations', { kind: 'fred-error', code: 429, message: 'Too Many Requests.  Exceeded Rate Limit' });
    const first = await market.syncM2();
    const again = await market.syncM2();
    expect([first.ok, again.ok]).toEqual([false, false]);
    expect(server.requestsTo('/fred/series/observations')).toHaveLength(1);
    expect(credits(await metrics.scrape(), 'fred')).toBe(1);
    expect(said(log.lines).filter((l) => l.startsWith('WARN fred waits'))).toEqual([
      'WARN fred waits until 15:01:00 UTC: it answered that its API credits of the minute have run out; the other sources are asked meanwhile',
    ]);
  });
});

const td = (code: number, message: string) => JSON.stringify({ code, message, status: 'error' });
const MINUTE_BODY = td(429, 'You have run out of API credits for the current minute. 9 API credits were used, with the current limit being 8.');
const DAY_BODY = td(429, 'You have run out of API credits for the day. 800 API credits were used, with the current limit being 800. Wait for the next day.');
test.each([
  { what: 'its minute, HTTP 200', scope: 'minute', status: 200, body: MINUTE_BODY },
  { what: 'its minute, HTTP 429', scope: 'minute', status: 429, body: MINUTE_BODY },
  { what: 'its day', scope: 'day', status: 200, body: DAY_BODY },
  { what: 'a bad key', scope: undefined, status: 200, body: td(401, '**apikey** parameter is incorrect or not specified.') },
  { what: 'a series', scope: undefined, status: 200, body: JSON.stringify({ values: [{ datetime: '2026-12-04', close: '429.00' }], status: 'ok' }) },
])("GIVEN Twelve Data's answer of $what THEN twelveDataRefusal says $scope", ({ scope, status, body }) => {
  expect(twelveDataRefusal({ status, contentType: 'application/json', body })).toBe(scope);
});
