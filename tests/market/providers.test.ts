import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { failure } from '../helpers/errors.ts';
import { createHttpClient } from '../../src/market/http.ts';
import { yahooSource } from '../../src/market/yahoo.ts';
import { fredSource } from '../../src/market/fred.ts';
import { lbmaSource } from '../../src/market/lbma.ts';
import { twelveDataSource } from '../../src/market/twelvedata.ts';
import type { QuoteSource, SourceContext } from '../../src/market/source.ts';
import { addDays } from '../../src/domain/dates.ts';
import { quoteServerConfig, sessionOpen, startQuoteServer, weekdays, type QuoteServer } from '../fakes/quote-server.ts';

// Friday 2026-08-21, 14:00 in New York: the market is open, so the 08-21 bar is still live.
const NOW = Date.parse('2026-08-21T18:00:00Z');
const FRED_KEY = 'abcdefghijklmnopqrstuvwxyz012345';
const TD_KEY = 'td-test-key';
let server: QuoteServer;

beforeAll(async () => {
  server = await startQuoteServer({ fredApiKey: FRED_KEY, twelveDataApiKey: TD_KEY });
});
afterAll(() => server.close());
beforeEach(() => {
  server.clearFaults();
  server.requests.length = 0;
  server.setFredHeader('observation_date');
  server.setFredMissing('');
});

function ctx(env: Record<string, string> = {}): SourceContext {
  const config = quoteServerConfig(server, { HTTP_RETRIES: '1', ...env });
  const http = createHttpClient({ timeoutMs: config.httpTimeoutMs, retries: config.httpRetries, backoffMs: 1, sleep: async () => {} });
  return { config, http, now: () => NOW };
}

const GSPC = [
  { date: '2026-08-17', value: 6449.15 },
  { date: '2026-08-18', value: 6411.37 },
  { date: '2026-08-19', value: 6395.78 },
  { date: '2026-08-20', value: 6370.17 },
  { date: '2026-08-21', value: 6466.91 },
];

describe('yahoo', () => {
  test('GIVEN a chart THEN final closes come from quote.close (not adjclose), dated in New York, today left out', async () => {
    server.setSeries('^GSPC', GSPC);
    const rows = await yahooSource(ctx()).history('spx', '2026-08-18', '2026-08-21');
    expect(rows).toEqual([
      { date: '2026-08-18', close: 6411.37, source: 'yahoo' },
      { date: '2026-08-19', close: 6395.78, source: 'yahoo' },
      { date: '2026-08-20', close: 6370.17, source: 'yahoo' },
    ]);
    const req = server.requestsTo('/v8/finance/chart/^GSPC')[0]!;
    expect(req.rawPath).toBe('/v8/finance/chart/%5EGSPC');
    expect(req.query).toMatchObject({ interval: '1d', period1: String(Date.parse('2026-08-18T00:00:00Z') / 1000) });
  });

  test.each([
    ['15:59 during the session', '2026-08-21T19:59:00Z', false],
    ['16:10, the close still settling', '2026-08-21T20:10:00Z', false],
    ['16:20, after the session', '2026-08-21T20:20:00Z', true],
  ])("GIVEN today's bar at %s New York THEN it is a final close: %s", async (_when, iso, final) => {
    server.setSeries('^GSPC', GSPC);
    const c = { ...ctx(), now: () => Date.parse(iso) };
    const rows = await yahooSource(c).history('spx', '2026-08-20', '2026-08-21');
    expect(rows.map((r) => r.date)).toEqual(final ? ['2026-08-20', '2026-08-21'] : ['2026-08-20']);
  });

  test('GIVEN GC=F THEN the symbol is URL-encoded', async () => {
    server.setSeries('GC=F', [{ date: '2026-08-20', value: 3381.4 }]);
    expect(await yahooSource(ctx()).history('gold', '2026-08-20', '2026-08-20')).toEqual([{ date: '2026-08-20', close: 3381.4, source: 'yahoo' }]);
    expect(server.requests[0]?.rawPath).toBe('/v8/finance/chart/GC%3DF');
  });

  test('GIVEN null bars in the middle THEN arrays are zipped by index before nulls are dropped', async () => {
    server.setSeries('QQQ', [
      { date: '2026-08-17', value: 720.1 },
      { date: '2026-08-18', value: null },
      { date: '2026-08-19', value: 716.08 },
      { date: '2026-08-20', value: 710.93 },
    ]);
    expect(await yahooSource(ctx()).history('qqq', '2026-08-17', '2026-08-20')).toEqual([
      { date: '2026-08-17', close: 720.1, source: 'yahoo' },
      { date: '2026-08-19', close: 716.08, source: 'yahoo' },
      { date: '2026-08-20', close: 710.93, source: 'yahoo' },
    ]);
  });

  test('GIVEN a bar late in the New York evening THEN it is dated by New York, not UTC', async () => {
    // 2026-08-19 23:00 New York is already 2026-08-20 03:00 UTC.
    const late = Date.parse('2026-08-20T03:00:00Z') / 1000;
    server.fault('/v8/finance/chart/GC=F', { kind: 'body', body: chart([late], [3350.5]) }, 1);
    expect(await yahooSource(ctx()).history('gold', '2026-08-01', '2026-08-20')).toEqual([{ date: '2026-08-19', close: 3350.5, source: 'yahoo' }]);
  });

  test('GIVEN the same date twice (live row appended) THEN the later row wins', async () => {
    const t = sessionOpen('2026-08-20');
    server.fault('/v8/finance/chart/QQQ', { kind: 'body', body: chart([sessionOpen('2026-08-19'), t, t + 3600], [716.08, 709.0, 710.93]) }, 1);
    expect(await yahooSource(ctx()).history('qqq', '2026-08-19', '2026-08-20')).toEqual([
      { date: '2026-08-19', close: 716.08, source: 'yahoo' },
      { date: '2026-08-20', close: 710.93, source: 'yahoo' },
    ]);
  });

  test('GIVEN a range with no bars THEN the answer is an empty list, not an error', async () => {
    server.setSeries('^GSPC', GSPC);
    expect(await yahooSource(ctx()).history('spx', '2026-08-01', '2026-08-09')).toEqual([]);
  });

  test('GIVEN the market is open THEN latest is regularMarketPrice at regularMarketTime', async () => {
    server.setSeries('QQQ', [{ date: '2026-08-21', value: 712 }]);
    server.setLatest('QQQ', { price: 711.52, timeMs: Date.parse('2026-08-21T17:55:00Z') });
    expect(await yahooSource(ctx()).latest!('qqq')).toEqual({ price: 711.52, asOf: Date.parse('2026-08-21T17:55:00Z'), source: 'yahoo' });
    expect(server.requests[0]?.query).toMatchObject({ range: '5d', interval: '1d' });
  });

  test.each([
    ['yahoo-404', { kind: 'yahoo-404' } as const, 'yahoo has no data for ^GSPC (Not Found: No data found, symbol may be delisted)'],
    ['HTML', { kind: 'html' } as const, 'yahoo answered HTML instead of JSON for ^GSPC'],
    ['an empty body', { kind: 'empty' } as const, 'yahoo answered an empty body for ^GSPC'],
    ['malformed JSON', { kind: 'body', body: '{"chart":' } as const, 'yahoo answered malformed JSON for ^GSPC'],
    ['JSON of another shape', { kind: 'body', body: '{"finance":{"result":null}}' } as const, 'yahoo answered JSON that is not a chart for ^GSPC'],
    ['plain-text 429s', { kind: 'rate-limit' } as const, 'yahoo answered 429 for ^GSPC'],
    ['a 403 HTML page', { kind: 'status', status: 403, contentType: 'text/html', body: '<html>denied</html>' } as const, 'yahoo answered 403 for ^GSPC'],
  ])('GIVEN %s THEN one clear error naming source and symbol', async (_name, fault, message) => {
    server.setSeries('^GSPC', GSPC);
    server.fault('/v8/finance/chart/^GSPC', fault);
    const e = await failure(yahooSource(ctx()).history('spx', '2026-08-17', '2026-08-21'));
    expect(e.message).toBe(message);
    expect(e).toMatchObject({ source: 'yahoo', symbol: '^GSPC' });
  });
});

describe('fred', () => {
  const M2 = [
    { date: '2026-04-01', value: 22961.3 },
    { date: '2026-05-01', value: 23055.6 },
    { date: '2026-06-01', value: null },
    { date: '2026-07-01', value: 23155.2 },
  ];

  test.each([
    ['observation_date', ''],
    ['DATE', '.'],
  ] as const)('GIVEN CSV with header %s and missing marked %j THEN values parse and missing ones are skipped', async (header, missing) => {
    server.setSeries('M2SL', M2);
    server.setFredHeader(header);
    server.setFredMissing(missing);
    expect(await fredSource(ctx()).history('m2', '2026-05-01', '2026-12-31')).toEqual([
      { date: '2026-05-01', close: 23055.6, source: 'fred' },
      { date: '2026-07-01', close: 23155.2, source: 'fred' },
    ]);
    expect(server.requests[0]).toMatchObject({ path: '/graph/fredgraph.csv', query: { id: 'M2SL', cosd: '2026-05-01' } });
  });

  test('GIVEN a FRED API key THEN the JSON API is used and "." is missing', async () => {
    server.setSeries('M2SL', M2);
    const rows = await fredSource(ctx({ FRED_API_KEY: FRED_KEY })).history('m2', '2026-01-01', '2026-12-31');
    expect(rows.map((r) => r.date)).toEqual(['2026-04-01', '2026-05-01', '2026-07-01']);
    expect(server.requests[0]).toMatchObject({ path: '/fred/series/observations', query: { series_id: 'M2SL', file_type: 'json', api_key: FRED_KEY } });
  });

  test('GIVEN an unregistered key THEN the 400 message is told, and the key is not', async () => {
    server.setSeries('M2SL', M2);
    const e = await failure(fredSource(ctx({ FRED_API_KEY: 'wrongwrongwrongwrongwrongwrong12' })).history('m2', '2026-01-01', '2026-12-31'));
    expect(e.message).toBe('fred answered 400: Bad Request.  The value for variable api_key is not registered. for M2SL');
    expect(e.message).not.toContain('wrongwrong');
    expect(server.requests).toHaveLength(1); // a 400 is final
  });

  test("GIVEN a FRED API key THEN the S&P 500 is FRED's SP500 from the JSON API, '.' missing", async () => {
    server.setSeries('SP500', [...GSPC.slice(0, 2), { date: '2026-08-19', value: null }, ...GSPC.slice(3, 4)]);
    const src = fredSource(ctx({ FRED_API_KEY: FRED_KEY }));
    expect(src.unavailableFor?.('spx')).toBeUndefined();
    expect(await src.history('spx', '2026-08-17', '2026-08-21')).toEqual([
      { date: '2026-08-17', close: 6449.15, source: 'fred' },
      { date: '2026-08-18', close: 6411.37, source: 'fred' },
      { date: '2026-08-20', close: 6370.17, source: 'fred' },
    ]);
    expect(server.requests.map((r) => [r.path, r.query['series_id']])).toEqual([['/fred/series/observations', 'SP500']]);
  });

  test('GIVEN no FRED API key THEN the S&P 500 is unavailable from FRED, saying why, and M2 is not', () => {
    const src = fredSource(ctx());
    expect(src.unavailableFor?.('spx')).toBe('fred needs FRED_API_KEY for spx (SP500)');
    expect(src.unavailableFor?.('m2')).toBeUndefined();
  });

  test("GIVEN FRED's 429 JSON for SP500 THEN it is retried, then told with FRED's message", async () => {
    server.setSeries('SP500', GSPC);
    server.fault('/fred/series/observations', { kind: 'fred-error', code: 429, message: 'Too Many Requests.  Exceeded Rate Limit' });
    const e = await failure(fredSource(ctx({ FRED_API_KEY: FRED_KEY })).history('spx', '2026-08-17', '2026-08-21'));
    expect(e.message).toBe('fred answered 429 for SP500');
    expect(server.requestsTo('/fred/series/observations')).toHaveLength(2); // HTTP_RETRIES=1
  });

  test.each([
    ['HTML', { kind: 'html' } as const, 'fred answered HTML instead of CSV for M2SL'],
    ['an empty body', { kind: 'empty' } as const, 'fred answered an empty body for M2SL'],
    ['JSON', { kind: 'body', body: '{"a":1}' } as const, 'fred answered something that is not FRED CSV for M2SL'],
  ])('GIVEN %s instead of CSV THEN one clear error', async (_n, fault, message) => {
    server.setSeries('M2SL', M2);
    server.fault('/graph/fredgraph.csv', fault);
    expect((await failure(fredSource(ctx()).history('m2', '2026-01-01', '2026-12-31'))).message).toBe(message);
  });
});

describe('lbma', () => {
  test('GIVEN gold_pm.json THEN v[0] is USD and 0 means no fixing', async () => {
    server.setSeries('gold_pm', [
      { date: '2026-08-18', value: 3332.1 },
      { date: '2026-08-19', value: null },
      { date: '2026-08-20', value: 3338.55 },
    ]);
    expect(await lbmaSource(ctx()).history('gold', '2026-08-01', '2026-08-31')).toEqual([
      { date: '2026-08-18', close: 3332.1, source: 'lbma' },
      { date: '2026-08-20', close: 3338.55, source: 'lbma' },
    ]);
  });

  test('GIVEN a Cloudflare challenge page THEN one clear error', async () => {
    server.fault('/json/gold_pm.json', { kind: 'html' });
    expect((await failure(lbmaSource(ctx()).history('gold', '2026-08-01', '2026-08-31'))).message).toBe('lbma answered HTML instead of JSON for gold_pm');
  });
});

describe('twelvedata', () => {
  const XAU = [
    { date: '2026-08-18', value: 3331.2 },
    { date: '2026-08-19', value: 3345.8 },
    { date: '2026-08-20', value: 3340.01 },
    { date: '2026-08-21', value: 3350 },
  ];

  test('GIVEN no key THEN the source is unavailable and says why', () => {
    expect(twelveDataSource(ctx())).toEqual({ unavailable: 'twelvedata needs TWELVEDATA_API_KEY' });
  });

  test('GIVEN values newest first as strings THEN closes are numbers, ascending, today left out', async () => {
    server.setSeries('XAU/USD', XAU);
    const src = twelveDataSource(ctx({ TWELVEDATA_API_KEY: TD_KEY })) as QuoteSource;
    expect(await src.history('gold', '2026-08-18', '2026-08-21')).toEqual([
      { date: '2026-08-18', close: 3331.2, source: 'twelvedata' },
      { date: '2026-08-19', close: 3345.8, source: 'twelvedata' },
      { date: '2026-08-20', close: 3340.01, source: 'twelvedata' },
    ]);
    expect(server.requests[0]?.query).toMatchObject({ symbol: 'XAU/USD', interval: '1day', outputsize: '5000', apikey: TD_KEY });
  });

  test('GIVEN a backfill from 1999 THEN it is asked for in windows, so the 5000-row cap loses nothing', async () => {
    const all = weekdays('1999-03-10', '2026-08-20').map((date, i) => ({ date, value: 280 + i * 0.4 }));
    server.setSeries('XAU/USD', all);
    const src = twelveDataSource(ctx({ TWELVEDATA_API_KEY: TD_KEY })) as QuoteSource;
    const rows = await src.history('gold', '1999-03-10', '2026-08-21');
    expect(rows).toHaveLength(all.length);
    expect(rows[0]?.date).toBe('1999-03-10');
    expect(rows.at(-1)?.date).toBe('2026-08-20');
    const windows = server.requestsTo('/time_series').map((r) => [r.query['start_date'], r.query['end_date']]);
    expect(windows).toHaveLength(3);
    expect(windows[0]?.[0]).toBe('1999-03-10');
    expect(windows.at(-1)?.[1]).toBe('2026-08-21');
    // Windows touch without gap or overlap.
    for (let i = 1; i < windows.length; i++) expect(windows[i]?.[0]).toBe(addDays(windows[i - 1]![1]!, 1));
  });

  test('GIVEN status "error" with HTTP 200 THEN it is an error, not an empty series', async () => {
    server.fault('/time_series', {
      kind: 'body',
      body: JSON.stringify({ code: 429, message: 'You have run out of API credits for the current minute.', status: 'error' }),
    });
    const src = twelveDataSource(ctx({ TWELVEDATA_API_KEY: TD_KEY })) as QuoteSource;
    const e = await failure(src.history('gold', '2026-08-18', '2026-08-21'));
    expect(e.message).toBe('twelvedata answered error 429 for XAU/USD: You have run out of API credits for the current minute.');
    expect(e.retryable).toBe(true);
  });

  test('GIVEN a wrong key THEN the 401 message is told without the key', async () => {
    server.setSeries('XAU/USD', XAU);
    const src = twelveDataSource(ctx({ TWELVEDATA_API_KEY: 'nope-secret' })) as QuoteSource;
    const e = await failure(src.history('gold', '2026-08-18', '2026-08-21'));
    expect(e.message).toMatch(/^twelvedata answered error 401 for XAU\/USD: \*\*apikey\*\* parameter is incorrect/);
    expect(e.message).not.toContain('nope-secret');
  });

  test('GIVEN /price THEN latest is the live price', async () => {
    server.setSeries('XAU/USD', XAU);
    const src = twelveDataSource(ctx({ TWELVEDATA_API_KEY: TD_KEY })) as QuoteSource;
    expect(await src.latest!('gold')).toEqual({ price: 3350, asOf: NOW, source: 'twelvedata' });
  });
});

describe('twelvedata for the S&P 500 and QQQ', () => {
  const key = { TWELVEDATA_API_KEY: TD_KEY };

  test('GIVEN SPX THEN closes come ascending, the live bar of today left out, and the index asked as SPX', async () => {
    server.setSeries('SPX', GSPC);
    const src = twelveDataSource(ctx(key)) as QuoteSource;
    expect(src.supports('spx') && src.supports('qqq')).toBe(true);
    expect(src.symbol('spx')).toBe('SPX');
    expect((await src.history('spx', '2026-08-17', '2026-08-21')).map((r) => [r.date, r.close, r.source])).toEqual(
      GSPC.slice(0, 4).map((p) => [p.date, p.value, 'twelvedata']),
    );
    expect(server.requests[0]?.query).toMatchObject({ symbol: 'SPX', interval: '1day', adjust: 'splits', apikey: TD_KEY });
  });

  test.each([
    ['16:05 New York, 5 min after the close', '2026-08-21T20:05:00Z', false],
    ['16:20 New York, the close settled', '2026-08-21T20:20:00Z', true],
  ])("GIVEN today's SPX bar at %s THEN it is a close: %s", async (_n, at, kept) => {
    server.setSeries('SPX', GSPC);
    const c = ctx(key);
    const src = twelveDataSource({ ...c, now: () => Date.parse(at) }) as QuoteSource;
    const rows = await src.history('spx', '2026-08-20', '2026-08-21');
    expect(rows.map((r) => r.date)).toEqual(kept ? ['2026-08-20', '2026-08-21'] : ['2026-08-20']);
  });

  test("GIVEN QQQ THEN its close is the split-adjusted one (adjust=splits), not a dividend-adjusted one, from Twelve Data's own series", async () => {
    server.setSeries('QQQ', [{ date: '2026-08-20', value: 999 }]);
    server.setSeries('twelvedata:QQQ', [
      { date: '2026-08-19', value: 716.08 },
      { date: '2026-08-20', value: 710.93 },
    ]);
    const src = twelveDataSource(ctx(key)) as QuoteSource;
    expect(await src.history('qqq', '2026-08-19', '2026-08-20')).toEqual([
      { date: '2026-08-19', close: 716.08, source: 'twelvedata' },
      { date: '2026-08-20', close: 710.93, source: 'twelvedata' },
    ]);
    expect(server.requests[0]?.query).toMatchObject({ symbol: 'QQQ', adjust: 'splits' });
  });

  test('GIVEN an error with HTTP 200 and status "error" for SPX THEN it is an error naming SPX, not an empty series', async () => {
    server.setSeries('SPX', GSPC);
    server.fault('/time_series', {
      kind: 'twelvedata-error',
      code: 429,
      message: 'You have run out of API credits for the current minute. 9 API credits were used, with the current limit being 8.',
    });
    const e = await failure((twelveDataSource(ctx(key)) as QuoteSource).history('spx', '2026-08-17', '2026-08-21'));
    expect(e.message).toBe(
      'twelvedata answered error 429 for SPX: You have run out of API credits for the current minute. 9 API credits were used, with the current limit being 8.',
    );
  });

  test('GIVEN /price for SPX THEN latest is its live price', async () => {
    server.setSeries('SPX', GSPC);
    server.setLatest('twelvedata:SPX', { price: 6470.5, timeMs: NOW });
    expect(await (twelveDataSource(ctx(key)) as QuoteSource).latest!('spx')).toEqual({ price: 6470.5, asOf: NOW, source: 'twelvedata' });
    expect(server.requests[0]?.query).toMatchObject({ symbol: 'SPX' });
  });
});

/** A minimal real-shaped chart body for hand-made timestamps. */
function chart(timestamps: number[], closes: (number | null)[]): string {
  return JSON.stringify({
    chart: {
      result: [
        {
          meta: { symbol: 'X', exchangeTimezoneName: 'America/New_York', regularMarketPrice: closes.at(-1) },
          timestamp: timestamps,
          indicators: { quote: [{ close: closes, open: closes }], adjclose: [{ adjclose: closes.slice(0, -1) }] },
        },
      ],
      error: null,
    },
  });
}
