import { afterAll, beforeAll, beforeEach, describe, expect, onTestFinished, test } from 'vitest';
import { failure } from '../helpers/errors.ts';
import { backoffDelay, BACKOFF_CAP_MS, createHttpClient, expectOk, parseRetryAfter, redactUrl, type HttpOptions } from '../../src/market/http.ts';
import { memoryLogger } from '../../src/log.ts';
import { startQuoteServer, type QuoteServer } from '../fakes/quote-server.ts';
import { heldPort } from '../helpers/held-port.ts';
import { signalHolds } from '../helpers/signal-holds.ts';

const NOW = Date.parse('2026-08-21T18:00:00Z');
const PATH = '/v8/finance/chart/QQQ';
let server: QuoteServer;

beforeAll(async () => {
  server = await startQuoteServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.clearFaults();
  server.requests.length = 0;
  server.setSeries('QQQ', [{ date: '2026-08-20', value: 710.93 }]);
});

function client(over: Partial<HttpOptions> = {}) {
  const slept: number[] = [];
  const log = memoryLogger();
  const http = createHttpClient({
    timeoutMs: 2000,
    retries: 3,
    backoffMs: 1000,
    sleep: async (ms) => void slept.push(ms),
    now: () => NOW,
    log,
    ...over,
  });
  const get = (signal?: AbortSignal) => http.get({ source: 'yahoo', symbol: 'QQQ', url: `${server.url}${PATH}?range=1d&interval=1d`, signal });
  return { http, get, slept, log };
}

describe('retries', () => {
  test('GIVEN two 500s THEN it retries with doubling backoff and returns the third answer', async () => {
    server.fault(PATH, { kind: 'status', status: 500 }, 2);
    const c = client();
    const res = await c.get();
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).chart.result[0].meta.symbol).toBe('QQQ');
    expect(server.requestsTo(PATH)).toHaveLength(3);
    expect(c.slept).toEqual([1000, 2000]);
    expect(c.log.lines.filter((l) => l.includes('DEBUG'))[0]).toMatch(/yahoo answered 500 for QQQ; retry 1\/3 in 1000 ms/);
  });

  test('GIVEN 429 with Retry-After in seconds THEN it waits exactly that long', async () => {
    server.fault(PATH, { kind: 'rate-limit', retryAfter: '7' }, 1);
    const c = client();
    expect((await c.get()).status).toBe(200);
    expect(c.slept).toEqual([7000]);
  });

  test('GIVEN 429 with Retry-After as an HTTP date THEN it waits until that date', async () => {
    server.fault(PATH, { kind: 'rate-limit', retryAfter: new Date(NOW + 30_000).toUTCString() }, 1);
    const c = client();
    expect((await c.get()).status).toBe(200);
    expect(c.slept).toEqual([30_000]);
  });

  test('GIVEN 429 with Retry-After "-5" THEN it waits its own backoff, not "now" (the value is unreadable, not a date of 2001)', async () => {
    server.fault(PATH, { kind: 'rate-limit', retryAfter: '-5' }, 1);
    const c = client();
    expect((await c.get()).status).toBe(200);
    expect(c.slept).toEqual([1000]);
  });

  test('GIVEN 429 asking for an hour THEN it gives up at once instead of sleeping past the cap', async () => {
    server.fault(PATH, { kind: 'rate-limit', retryAfter: '3600' });
    const c = client();
    const e = await failure(c.get());
    expect(e.message).toBe('yahoo answered 429 for QQQ (asks to retry after 3600 s)');
    expect(e.retryable).toBe(true);
    expect(server.requestsTo(PATH)).toHaveLength(1);
    expect(c.slept).toEqual([]);
  });

  test('GIVEN plain-text 429s forever THEN it stops after the configured retries with a clear error', async () => {
    server.fault(PATH, { kind: 'rate-limit' });
    const c = client({ retries: 2 });
    const e = await failure(c.get());
    expect(e).toMatchObject({ message: 'yahoo answered 429 for QQQ', source: 'yahoo', symbol: 'QQQ', retryable: true, status: 429 });
    expect(server.requestsTo(PATH)).toHaveLength(3);
    expect(c.slept).toEqual([1000, 2000]);
  });

  test.each([400, 401, 403, 404])('GIVEN %i THEN the answer is final: one request, no retry', async (status) => {
    server.fault(PATH, { kind: 'status', status });
    const c = client();
    const res = await c.get();
    expect(res.status).toBe(status);
    expect(server.requestsTo(PATH)).toHaveLength(1);
    expect(() => expectOk(res, { source: 'yahoo', symbol: 'QQQ' })).toThrow(`yahoo answered ${status} for QQQ`);
  });
});

describe('timeouts, aborts and unreachable hosts', () => {
  test('GIVEN a server that never answers THEN each attempt times out and the error says so', async () => {
    server.fault(PATH, { kind: 'hang' });
    const c = client({ timeoutMs: 150, retries: 1 });
    const e = await failure(c.get());
    expect(e.message).toBe('yahoo did not answer within 150 ms for QQQ');
    expect(e.retryable).toBe(true);
    expect(server.requestsTo(PATH)).toHaveLength(2);
  });

  test('GIVEN the caller aborts THEN the request stops without retrying', async () => {
    server.fault(PATH, { kind: 'hang' });
    const c = client({ timeoutMs: 10_000 });
    const ac = new AbortController();
    const p = c.get(ac.signal);
    setTimeout(() => ac.abort(new Error('shutting down')), 50);
    const e = await failure(p);
    expect(e.message).toBe('yahoo request for QQQ was aborted');
    expect(e.retryable).toBe(false);
    expect(server.requestsTo(PATH)).toHaveLength(1);
  });

  test('GIVEN one long-lived signal (the scheduler passes one to every job) WHEN 50 requests use it THEN it holds nothing of them after, and aborting it still stops the next', async () => {
    const c = client();
    const outer = new AbortController();
    for (let i = 0; i < 50; i++) expect((await c.get(outer.signal)).status).toBe(200);
    expect(signalHolds(outer.signal)).toBe(0);
    server.fault(PATH, { kind: 'hang' });
    const p = c.get(outer.signal);
    setTimeout(() => outer.abort(new Error('shutting down')), 50);
    expect((await failure(p)).message).toBe('yahoo request for QQQ was aborted');
  });

  test('GIVEN nothing listens on the port THEN it retries and reports the host unreachable', async () => {
    // Held (nothing listens there, and no other process is given it meanwhile): refused for sure.
    const held = await heldPort();
    onTestFinished(() => held.release());
    const port = held.port;
    const slept: number[] = [];
    const http = createHttpClient({ timeoutMs: 1000, retries: 2, backoffMs: 5, sleep: async (ms) => void slept.push(ms) });
    const e = await failure(http.get({ source: 'lbma', symbol: 'gold_pm', url: `http://127.0.0.1:${port}/json/gold_pm.json` }));
    expect(e.message).toMatch(/^lbma could not be reached \(ECONNREFUSED/);
    expect(e.message).toMatch(/for gold_pm$/);
    expect(e.cause).toBeDefined();
    expect(slept).toEqual([5, 10]);
  });
});

describe('the line saying a source is waited on', () => {
  test('GIVEN one host refusing every request THEN one line when the wait starts, then at most one per 30 s of it with the tries and how long, whatever the requests; a new line once it answered and fails again', async () => {
    // Held (nothing listens there, and no other process is given it meanwhile): refused for sure.
    const held = await heldPort();
    onTestFinished(() => held.release());
    const port = held.port;
    // The clock moves by each backoff (2 s, 4 s: 6 s a request of three tries), as a backfill's would.
    let t = NOW;
    const log = memoryLogger('info');
    const http = createHttpClient({
      timeoutMs: 1000,
      retries: 2,
      backoffMs: 2000,
      sleep: async (ms) => void (t += ms),
      now: () => t,
      log,
      waitNotice: () => 'info',
    });
    const symbols = ['^GSPC', 'QQQ', 'GC=F', 'SPY', 'IAU', 'GLD', 'DIA', 'IWM'];
    for (const symbol of symbols) await failure(http.get({ source: 'yahoo', symbol, url: `http://127.0.0.1:${port}/v8/${symbol}` }));
    const waits = log.records.filter((r) => /trying again/.test(String(r.msg))).map((r) => String(r.msg));
    // 8 requests over 48 s: the first, and one 30 s after it (not 8, one per request).
    expect(waits).toEqual([
      expect.stringMatching(/^yahoo could not be reached \(ECONNREFUSED: .*\) for \^GSPC; trying again 2 times over the next 6 s /),
      expect.stringMatching(
        /^yahoo could not be reached \(ECONNREFUSED: .*\) for GLD; 16 tries of yahoo failed over 30 s; trying again 2 times over the next 6 s /,
      ),
    ]);

    // Answering again ends the wait: the next failure is a new wait, said at once.
    log.lines.length = 0;
    log.records.length = 0;
    const path = '/v8/finance/chart/QQQ';
    expect((await http.get({ source: 'yahoo', symbol: 'QQQ', url: `${server.url}${path}?range=1d&interval=1d` })).status).toBe(200);
    await failure(http.get({ source: 'yahoo', symbol: '^GSPC', url: `http://127.0.0.1:${port}/v8/again` }));
    expect(log.records.map((r) => String(r.msg))).toEqual([
      expect.stringMatching(/^yahoo could not be reached \(ECONNREFUSED: .*\) for \^GSPC; trying again 2 times/),
    ]);
  });
});

describe('request shape', () => {
  test('GIVEN any request THEN it carries a browser-like User-Agent', async () => {
    await client().get();
    expect(server.requests[0]?.headers['user-agent']).toMatch(/^Mozilla\/5\.0 .*Chrome/);
  });
});

describe('helpers', () => {
  test.each([
    [0, 1000, 1000],
    [1, 1000, 2000],
    [5, 1000, 32_000],
    [6, 1000, BACKOFF_CAP_MS],
    [20, 1000, BACKOFF_CAP_MS],
  ])('GIVEN retry %i with base %i ms THEN backoff is %i ms', (attempt, base, expected) => {
    expect(backoffDelay(attempt, base)).toBe(expected);
  });

  test.each([
    ['120', 120_000],
    ['0', 0],
    ['Fri, 21 Aug 2026 18:01:00 GMT', 60_000],
    ['Fri, 21 Aug 2026 17:00:00 GMT', 0],
    ['soon', undefined],
    [undefined, undefined],
    // Date.parse reads these as dates in 2001 (past: "retry now"); they are no value at all.
    ['-5', undefined],
    ['1 2', undefined],
    ['2', 2000],
    ['', undefined],
    ['Friday, 21-Aug-26 18:00:30 GMT', 30_000],
    ['Fri Aug 21 18:00:45 2026', 45_000],
    ['Sat Aug  1 00:00:00 2026', 0],
    ['Fri, 31 Feb 2026 18:00:00 GMT', undefined],
    ['2026-08-21T18:01:00Z', undefined],
  ])('GIVEN Retry-After %s THEN wait is %s ms', (header, ms) => {
    expect(parseRetryAfter(header, NOW)).toBe(ms);
  });

  test('GIVEN a URL with an API key THEN the logged form hides it', () => {
    expect(redactUrl('https://api.stlouisfed.org/fred/series/observations?series_id=M2SL&api_key=abcd1234&file_type=json')).toBe(
      'https://api.stlouisfed.org/fred/series/observations?series_id=M2SL&api_key=***&file_type=json',
    );
    expect(redactUrl('https://api.twelvedata.com/price?symbol=XAU%2FUSD&apikey=secret')).toBe('https://api.twelvedata.com/price?symbol=XAU%2FUSD&apikey=***');
  });
});
