/**
 * A local stand-in for the quote sources, speaking their real wire formats on 127.0.0.1:
 * Yahoo chart v8 JSON, FRED fredgraph.csv (both header variants) and FRED API JSON, LBMA gold_pm.json
 * and Twelve Data time_series / price (XAU/USD, SPX, QQQ). Answers are generated from in-memory series a
 * test sets; faults are injected per path; every request is recorded.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config.ts';
import { addDays, addMonths, toEpochDay } from '../../src/domain/dates.ts';

/** `value: null` is a missing observation: a Yahoo null bar, a FRED `''`/`.`, an LBMA 0. */
export interface SeriesPoint {
  readonly date: string;
  readonly value: number | null;
}

export type Fault =
  | { readonly kind: 'html' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'yahoo-404' }
  /** 429 with a plain-text body `Edge: Too Many Requests`, as Yahoo sends it. */
  | { readonly kind: 'rate-limit'; readonly retryAfter?: string }
  | { readonly kind: 'status'; readonly status: number; readonly body?: string; readonly contentType?: string }
  /** Accepts the request and never answers (for timeouts). */
  | { readonly kind: 'hang' }
  /** Twelve Data's error JSON (`"status":"error"`), with HTTP 200 unless `httpStatus` says otherwise, as it sends them. */
  | { readonly kind: 'twelvedata-error'; readonly code: number; readonly message: string; readonly httpStatus?: number }
  /** FRED's API refusing: HTTP `code` with `{"error_code","error_message"}`. */
  | { readonly kind: 'fred-error'; readonly code: number; readonly message: string }
  | { readonly kind: 'body'; readonly body: string; readonly status?: number; readonly contentType?: string };

export interface RecordedRequest {
  readonly method: string;
  /** Decoded pathname: `/v8/finance/chart/^GSPC`. */
  readonly path: string;
  /** The path as sent, still percent-encoded: `/v8/finance/chart/%5EGSPC`. */
  readonly rawPath: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
}

export interface QuoteServerOptions {
  /** The FRED API key the fake accepts; any other key gets FRED's 400 JSON. */
  readonly fredApiKey?: string;
  /** The Twelve Data key the fake accepts; any other key gets a 401 error JSON. */
  readonly twelveDataApiKey?: string;
}

export interface QuoteServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /**
   * Sets a series by its source symbol: Yahoo `^GSPC` `QQQ` `GC=F`, FRED `M2SL` `SP500`, LBMA `gold_pm`,
   * Twelve Data `XAU/USD` `SPX` `QQQ`. Twelve Data reads `twelvedata:<symbol>` first when set, so its
   * QQQ can differ from Yahoo's (else both answer the one `QQQ`).
   */
  setSeries(symbol: string, points: readonly SeriesPoint[]): void;
  /** Yahoo meta.regularMarketPrice / regularMarketTime (ms) for a symbol, Twelve Data's /price (`twelvedata:<symbol>` first); default: the last bar. */
  setLatest(symbol: string, quote: { price: number; timeMs: number }): void;
  /**
   * Queues a fault for a decoded path; it answers the next `times` requests (default: all), or only
   * those whose query has `match`'s values (one Twelve Data window: `{ start_date: '2012-11-16' }`).
   */
  fault(path: string, fault: Fault, times?: number, match?: Readonly<Record<string, string>>): void;
  clearFaults(): void;
  /** FRED CSV header: `observation_date` (current) or `DATE` (older files). */
  setFredHeader(header: 'observation_date' | 'DATE'): void;
  /** How FRED CSV writes a missing value: `''` (current) or `.` (older). */
  setFredMissing(marker: '' | '.'): void;
  requestsTo(path: string): RecordedRequest[];
  /** A new temp folder (for a config's database and data), removed by close(). */
  tempDir(): string;
  close(): Promise<void>;
}

const NO_DATA = JSON.stringify({ chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } } });
const HTML = '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Checking your browser</body></html>';

export async function startQuoteServer(opts: QuoteServerOptions = {}): Promise<QuoteServer> {
  const series = new Map<string, SeriesPoint[]>();
  const latest = new Map<string, { price: number; timeMs: number }>();
  const faults = new Map<string, { fault: Fault; left: number; match?: Readonly<Record<string, string>> }[]>();
  const requests: RecordedRequest[] = [];
  let fredHeader: 'observation_date' | 'DATE' = 'observation_date';
  let fredMissing: '' | '.' = '';
  const dirs: string[] = [];

  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(u.pathname);
    const query = Object.fromEntries(u.searchParams);
    requests.push({ method: req.method ?? 'GET', path, rawPath: u.pathname, query, headers: req.headers });

    const queue = faults.get(path);
    const i = queue?.findIndex((f) => Object.entries(f.match ?? {}).every(([k, v]) => query[k] === v)) ?? -1;
    const head = queue?.[i];
    if (queue !== undefined && head !== undefined) {
      head.left--;
      if (head.left <= 0) queue.splice(i, 1);
      return void serveFault(res, head.fault);
    }

    if (path.startsWith('/v8/finance/chart/')) return void yahoo(res, path.slice('/v8/finance/chart/'.length), query);
    if (path === '/graph/fredgraph.csv') return void fredCsv(res, query);
    if (path === '/fred/series/observations') return void fredApi(res, query);
    if (path === '/json/gold_pm.json') return void lbma(res, 'gold_pm');
    if (path === '/time_series') return void twelveSeries(res, query);
    if (path === '/price') return void twelvePrice(res, query);
    send(res, 404, 'text/plain', 'Not Found');
  });

  function yahoo(res: ServerResponse, symbol: string, q: Record<string, string>): void {
    const all = series.get(symbol);
    if (all === undefined) return send(res, 404, 'application/json;charset=utf-8', NO_DATA);
    let bars = all.map((p) => ({ ts: sessionOpen(p.date), value: p.value }));
    if (q['period1'] !== undefined && q['period2'] !== undefined) {
      const p1 = Number(q['period1']);
      const p2 = Number(q['period2']);
      bars = bars.filter((b) => b.ts >= p1 && b.ts < p2);
    } else {
      const n = q['range'] === '1d' ? 1 : q['range'] === '5d' ? 5 : bars.length;
      bars = bars.slice(-n);
    }
    const lastValue = [...all].reverse().find((p) => p.value !== null);
    const live = latest.get(symbol);
    const meta: Record<string, unknown> = {
      currency: 'USD',
      symbol,
      exchangeName: symbol === 'GC=F' ? 'CMX' : 'NIM',
      instrumentType: symbol === 'QQQ' ? 'ETF' : symbol === 'GC=F' ? 'FUTURE' : 'INDEX',
      exchangeTimezoneName: 'America/New_York',
      timezone: 'EDT',
      gmtoffset: -14400,
      regularMarketPrice: live?.price ?? lastValue?.value ?? null,
      regularMarketTime: live === undefined ? (lastValue ? sessionOpen(lastValue.date) + 23_400 : null) : Math.floor(live.timeMs / 1000),
      // The session of the last bar (real Yahoo gives the current or next session).
      ...(lastValue ? { currentTradingPeriod: tradingPeriod(lastValue.date) } : {}),
      dataGranularity: '1d',
      range: q['range'] ?? '',
      validRanges: ['1d', '5d', '1mo', '3mo', '6mo', '1y', '2y', '5y', '10y', 'ytd', 'max'],
    };
    const closes = bars.map((b) => b.value);
    const body = {
      chart: {
        result: [
          {
            meta,
            ...(bars.length > 0 ? { timestamp: bars.map((b) => b.ts) } : {}),
            indicators: {
              quote: [
                {
                  open: closes.map((v) => (v === null ? null : round(v * 0.995))),
                  high: closes.map((v) => (v === null ? null : round(v * 1.01))),
                  low: closes.map((v) => (v === null ? null : round(v * 0.99))),
                  close: closes,
                  volume: closes.map((v) => (v === null ? null : 1_000_000)),
                },
              ],
              // Deliberately different from close (as after QQQ dividends): a parser reading adjclose is caught.
              adjclose: [{ adjclose: closes.map((v) => (v === null ? null : round(v * 0.9))) }],
            },
          },
        ],
        error: null,
      },
    };
    send(res, 200, 'application/json;charset=utf-8', JSON.stringify(body));
  }

  function fredCsv(res: ServerResponse, q: Record<string, string>): void {
    const id = q['id'] ?? '';
    const all = series.get(id);
    if (all === undefined) return send(res, 404, 'text/html', HTML);
    const rows = inRange(all, q['cosd'], q['coed']).map((p) => `${p.date},${p.value === null ? fredMissing : String(p.value)}`);
    send(res, 200, 'text/csv', `${fredHeader},${id}\n${rows.join('\n')}\n`);
  }

  function fredApi(res: ServerResponse, q: Record<string, string>): void {
    const bad = (message: string) => send(res, 400, 'application/json', JSON.stringify({ error_code: 400, error_message: message }));
    if (q['api_key'] === undefined || q['api_key'] === '') return bad('Bad Request.  Variable api_key is not set.');
    if (q['api_key'] !== opts.fredApiKey) return bad('Bad Request.  The value for variable api_key is not registered.');
    const all = series.get(q['series_id'] ?? '');
    if (all === undefined) return bad('Bad Request.  The series does not exist.');
    const obs = inRange(all, q['observation_start'], q['observation_end']).map((p) => ({
      realtime_start: '2026-11-23',
      realtime_end: '2026-11-23',
      date: p.date,
      value: p.value === null ? '.' : String(p.value),
    }));
    send(
      res,
      200,
      'application/json; charset=UTF-8',
      JSON.stringify({
        realtime_start: '2026-11-23',
        realtime_end: '2026-11-23',
        observation_start: q['observation_start'] ?? '1600-01-01',
        observation_end: q['observation_end'] ?? '9999-12-31',
        units: 'lin',
        output_type: 1,
        file_type: 'json',
        order_by: 'observation_date',
        sort_order: 'asc',
        count: obs.length,
        offset: 0,
        limit: 100000,
        observations: obs,
      }),
    );
  }

  function lbma(res: ServerResponse, name: string): void {
    const all = series.get(name);
    if (all === undefined) return send(res, 404, 'text/html', HTML);
    const rows = all.map((p) => ({ d: p.date, v: p.value === null ? [0, 0, 0] : [p.value, round(p.value * 0.79), round(p.value * 0.92)] }));
    send(res, 200, 'application/json', JSON.stringify(rows));
  }

  /** Twelve Data's own series of a symbol (`twelvedata:QQQ`), else the one of that name. */
  function twelveOwn(symbol: string): SeriesPoint[] | undefined {
    return series.get(`twelvedata:${symbol}`) ?? series.get(symbol);
  }

  function twelveError(res: ServerResponse, code: number, message: string, httpStatus = code): void {
    send(res, httpStatus, 'application/json', JSON.stringify({ code, message, status: 'error' }));
  }

  function twelveSeries(res: ServerResponse, q: Record<string, string>): void {
    if (q['apikey'] !== opts.twelveDataApiKey) {
      return twelveError(
        res,
        401,
        '**apikey** parameter is incorrect or not specified. You can get your free API key instantly following this link: https://twelvedata.com/pricing.',
      );
    }
    const sym = q['symbol'] ?? '';
    const all = twelveOwn(sym);
    if (all === undefined) return twelveError(res, 404, `**symbol** ${sym} is not available with your plan.`);
    const size = Number(q['outputsize'] ?? 30);
    const stock = sym !== 'XAU/USD';
    // adjust: `splits` is the API's default; `all` and `dividends` lower an ETF's past closes (here by 10%, as
    // the Yahoo fake's adjclose): a client asking for them is caught.
    const factor = stock && (q['adjust'] === 'all' || q['adjust'] === 'dividends') ? 0.9 : 1;
    const values = inRange(all, q['start_date'], q['end_date'])
      .filter((p) => p.value !== null)
      .reverse() // newest first, as Twelve Data sends them
      .slice(0, size)
      .map((p) => {
        const v = (p.value as number) * factor;
        const bar = { datetime: p.date, open: fmt(v * 0.998), high: fmt(v * 1.006), low: fmt(v * 0.994), close: fmt(v) };
        return sym === 'QQQ' ? { ...bar, volume: '35801700' } : bar;
      });
    const meta = !stock
      ? { symbol: sym, interval: '1day', currency_base: 'Gold Spot', currency_quote: 'US Dollar', type: 'Physical Currency' }
      : sym === 'QQQ'
        ? { symbol: sym, interval: '1day', currency: 'USD', exchange_timezone: 'America/New_York', exchange: 'NASDAQ', mic_code: 'XNGS', type: 'ETF' }
        : { symbol: sym, interval: '1day', currency: 'USD', exchange_timezone: 'America/New_York', exchange: 'NYSE', mic_code: 'XNYS', type: 'Index' };
    send(res, 200, 'application/json', JSON.stringify({ meta, values, status: 'ok' }));
  }

  function twelvePrice(res: ServerResponse, q: Record<string, string>): void {
    if (q['apikey'] !== opts.twelveDataApiKey) return twelveError(res, 401, '**apikey** parameter is incorrect or not specified.');
    const sym = q['symbol'] ?? '';
    const live = latest.get(`twelvedata:${sym}`) ?? latest.get(sym);
    const last = [...(twelveOwn(sym) ?? [])].reverse().find((p) => p.value !== null);
    const price = live?.price ?? last?.value;
    if (price === undefined || price === null) return twelveError(res, 404, `**symbol** ${sym} is not available with your plan.`);
    send(res, 200, 'application/json', JSON.stringify({ price: fmt(price) }));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setSeries: (symbol, points) =>
      void series.set(
        symbol,
        [...points].sort((a, b) => (a.date < b.date ? -1 : 1)),
      ),
    setLatest: (symbol, quote) => void latest.set(symbol, quote),
    fault(path, fault, times = Number.POSITIVE_INFINITY, match) {
      const queue = faults.get(path) ?? [];
      queue.push({ fault, left: times, ...(match === undefined ? {} : { match }) });
      faults.set(path, queue);
    },
    clearFaults: () => faults.clear(),
    setFredHeader: (h) => void (fredHeader = h),
    setFredMissing: (m) => void (fredMissing = m),
    requestsTo: (path) => requests.filter((r) => r.path === path),
    tempDir() {
      const dir = mkdtempSync(join(tmpdir(), 'goldratio-market-'));
      dirs.push(dir);
      return dir;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        // Keep-alive and hanging sockets would hold close() open.
        server.closeAllConnections();
      }).finally(() => {
        for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
      }),
  };
}

function serveFault(res: ServerResponse, f: Fault): void {
  switch (f.kind) {
    case 'html':
      return send(res, 200, 'text/html; charset=utf-8', HTML);
    case 'empty':
      return send(res, 200, 'application/json', '');
    case 'yahoo-404':
      return send(res, 404, 'application/json;charset=utf-8', NO_DATA);
    case 'rate-limit':
      if (f.retryAfter !== undefined) res.setHeader('retry-after', f.retryAfter);
      return send(res, 429, 'text/plain', 'Edge: Too Many Requests');
    case 'status':
      return send(res, f.status, f.contentType ?? 'text/plain', f.body ?? `status ${f.status}`);
    case 'body':
      return send(res, f.status ?? 200, f.contentType ?? 'application/json', f.body);
    case 'hang':
      return; // never answer; close() tears the socket down
    case 'twelvedata-error':
      return send(res, f.httpStatus ?? 200, 'application/json', JSON.stringify({ code: f.code, message: f.message, status: 'error' }));
    case 'fred-error':
      return send(res, f.code, 'application/json', JSON.stringify({ error_code: f.code, error_message: f.message }));
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function inRange(points: readonly SeriesPoint[], from: string | undefined, to: string | undefined): SeriesPoint[] {
  return points.filter((p) => (from === undefined || p.date >= from) && (to === undefined || p.date <= to));
}

const round = (v: number) => Math.round(v * 100) / 100;
const fmt = (v: number) => v.toFixed(5);

const nyHour = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: 'numeric', hourCycle: 'h23' });

/**
 * A date's session open, kept once worked out: every Yahoo answer stamps each bar of its series (the
 * history since 1999 is ~7,000 bars), and a day's minutes ask it thousands of times; the zone's
 * formatter was ~3 s of a worker's CPU in tests/market/credits-day.test.ts.
 */
const opens = new Map<string, number>();

/** Unix seconds of 09:30 New York on a date: Yahoo stamps daily bars with the session open. */
export function sessionOpen(date: string): number {
  let open = opens.get(date);
  if (open === undefined) {
    const edt = toEpochDay(date) * 86_400 + 13 * 3600 + 30 * 60; // 09:30 at UTC-4
    open = Number(nyHour.format(new Date(edt * 1000))) === 9 ? edt : edt + 3600;
    opens.set(date, open);
  }
  return open;
}

function tradingPeriod(date: string) {
  const open = sessionOpen(date);
  const gmtoffset = Date.parse(`${date}T13:30:00Z`) / 1000 === open ? -14_400 : -18_000;
  const tz = gmtoffset === -14_400 ? 'EDT' : 'EST';
  return {
    pre: { timezone: tz, start: open - 19_800, end: open, gmtoffset },
    regular: { timezone: tz, start: open, end: open + 23_400, gmtoffset },
    post: { timezone: tz, start: open + 23_400, end: open + 37_800, gmtoffset },
  };
}

/** Monday to Friday dates from `from` to `to` inclusive (no holidays: good enough for a fake). */
export function weekdays(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (dow !== 0 && dow !== 6) out.push(d);
  }
  return out;
}

/** First-of-month dates from `from`'s month to `to`. */
export function monthStarts(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = `${from.slice(0, 7)}-01`; d <= to; d = addMonths(d, 1)) out.push(d);
  return out;
}

/** A deterministic gentle random walk (±1 % a step) starting at `start`, rounded to cents. */
export function walk(dates: readonly string[], start: number, seed = 1): SeriesPoint[] {
  let x = seed;
  let v = start;
  return dates.map((date) => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    v *= 1 + ((x / 2_147_483_648) * 2 - 1) * 0.01;
    return { date, value: Math.round(v * 100) / 100 };
  });
}

/**
 * A Config with every quote base URL pointed at the fake, a temp DATABASE_PATH, short timeouts and
 * 1 ms backoff (the folder goes with the server's close()). `env` overrides anything (keys, SOURCES_*, HTTP_RETRIES …).
 */
export function quoteServerConfig(server: Pick<QuoteServer, 'url' | 'tempDir'>, env: Readonly<Record<string, string | undefined>> = {}): Config {
  const dir = server.tempDir();
  return loadConfig({
    DATABASE_PATH: join(dir, 'goldratio.db'),
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    ...quoteServerEnv(server),
    ...env,
  });
}

/** The environment that points every quote source at the fake, with short timeouts and 1 ms backoff (for a spawned bin). */
export function quoteServerEnv(server: Pick<QuoteServer, 'url'>): Record<string, string> {
  return {
    YAHOO_BASE_URL: server.url,
    FRED_BASE_URL: server.url,
    FRED_API_BASE_URL: server.url,
    LBMA_BASE_URL: server.url,
    TWELVEDATA_BASE_URL: server.url,
    HTTP_TIMEOUT_MS: '3000',
    HTTP_RETRIES: '2',
    HTTP_BACKOFF_MS: '1',
  };
}

/**
 * A quote server with a flat market since 2024-01-02: SPX/Gold sits at 2.45 (just under the essay's
 * 2.5) until `breakFrom`, then at 2.6; QQQ 400, gold 2000, M2 rising monthly. `opts`: the keys it accepts.
 */
export async function startFlatMarket(until: string, breakFrom?: string, opts: QuoteServerOptions = {}): Promise<QuoteServer> {
  const server = await startQuoteServer(opts);
  const days = weekdays('2024-01-02', until);
  server.setSeries(
    '^GSPC',
    days.map((date) => ({ date, value: breakFrom !== undefined && date >= breakFrom ? 5200 : 4900 })),
  );
  server.setSeries(
    'QQQ',
    days.map((date) => ({ date, value: 400 })),
  );
  server.setSeries(
    'GC=F',
    days.map((date) => ({ date, value: 2000 })),
  );
  server.setSeries(
    'M2SL',
    monthStarts('2023-12-01', '2025-03-01').map((date, i) => ({ date, value: 20_000 + i * 50 })),
  );
  return server;
}

/**
 * The week after startFlatMarket('2025-03-14'), to Friday 2025-03-21: SPX/Gold closes above the
 * essay's 2.5 from Monday 2025-03-17 (2.6), gold still at 2000. QQQ is left where it stood.
 */
export function breakNextWeek(server: QuoteServer): void {
  const days = weekdays('2024-01-02', '2025-03-21');
  server.setSeries(
    '^GSPC',
    days.map((date) => ({ date, value: date >= '2025-03-17' ? 5200 : 4900 })),
  );
  server.setSeries(
    'GC=F',
    days.map((date) => ({ date, value: 2000 })),
  );
}
