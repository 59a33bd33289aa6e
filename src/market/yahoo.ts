/**
 * Yahoo Finance chart API v8 (keyless, unofficial): ^GSPC, QQQ and GC=F.
 * Wire format and pitfalls: /work/shared/market-history/PROVIDERS.md §1.
 */
import type { InstrumentId } from '../domain/instruments.ts';
import type { Quote } from '../domain/ratio.ts';
import type { CloseRow } from '../domain/series.ts';
import { addDays, toEpochDay } from '../domain/dates.ts';
import { CLOSE_SETTLE_MS } from '../domain/close-calendar.ts';
import { QuoteSourceError } from './errors.ts';
import { expectOk, parseJsonBody, type HttpRequest, type HttpResponse } from './http.ts';
import type { QuoteSource, SourceContext } from './source.ts';

const NAME = 'yahoo';
export const YAHOO_SYMBOLS: Partial<Record<InstrumentId, string>> = { spx: '^GSPC', qqq: 'QQQ', gold: 'GC=F' };

export interface YahooChart {
  readonly timeZone: string;
  /** Dated in the exchange's zone, ascending, nulls dropped, a duplicated date keeps the later row. */
  readonly bars: readonly { readonly date: string; readonly close: number }[];
  readonly price: number | undefined;
  /** regularMarketTime in ms. */
  readonly priceTime: number | undefined;
  /** meta.gmtoffset in seconds (New York: -14400 in summer, -18000 in winter). */
  readonly gmtOffset: number | undefined;
  /** meta.currentTradingPeriod.regular.end in ms: when today's regular session ends. */
  readonly sessionEnd: number | undefined;
}

type Req = Pick<HttpRequest, 'source' | 'symbol'>;

// Building an Intl.DateTimeFormat costs ~100 µs: a 27-year chart has 7,000 bars, so keep one per zone.
const zoneFormats = new Map<string, Intl.DateTimeFormat>();
function exchangeDate(ms: number, timeZone: string): string {
  let f = zoneFormats.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    zoneFormats.set(timeZone, f);
  }
  return f.format(new Date(ms)); // en-CA formats as YYYY-MM-DD, like dateInZone
}

/** Reads a v8 chart answer. Throws QuoteSourceError naming the symbol for anything that is not a chart. */
export function parseYahooChart(res: HttpResponse, req: Req): YahooChart {
  if (res.status < 200 || res.status >= 300) {
    // Yahoo's "no data" is a 404 with a JSON error; anything else non-2xx is just a status.
    const described = chartError(tryJson(res.body));
    if (described !== undefined) throw noData(req, described, res.status);
    expectOk(res, req);
  }
  const json = parseJsonBody(res, req);
  const chart = (json as { chart?: { result?: unknown; error?: unknown } } | null)?.chart;
  const described = chartError(json);
  const result = Array.isArray(chart?.result) ? (chart.result[0] as Record<string, unknown> | undefined) : undefined;
  if (result === undefined) {
    throw described !== undefined ? noData(req, described, res.status) : notAChart(req, res.status);
  }
  const meta = (result['meta'] ?? {}) as Record<string, unknown>;
  const timeZone = typeof meta['exchangeTimezoneName'] === 'string' ? meta['exchangeTimezoneName'] : 'America/New_York';
  const timestamps = Array.isArray(result['timestamp']) ? (result['timestamp'] as unknown[]) : [];
  const indicators = (result['indicators'] ?? {}) as { quote?: { close?: unknown }[] };
  const closeArr = indicators.quote?.[0]?.close;
  if (timestamps.length > 0 && !Array.isArray(closeArr)) throw notAChart(req, res.status);
  const closes = (closeArr ?? []) as unknown[];

  // Zip by index first, then drop nulls: compacting an array before zipping shifts every later date.
  const byDate = new Map<string, number>();
  for (let i = 0; i < timestamps.length; i++) {
    const ts = timestamps[i];
    const c = closes[i];
    if (typeof ts !== 'number' || c === null || c === undefined) continue;
    // Dates are calendar days in the exchange's zone, not UTC (a 20:00 New York bar is the next day in UTC).
    const date = exchangeDate(ts * 1000, timeZone);
    byDate.delete(date); // a duplicated date keeps the later row, at the later position
    byDate.set(date, typeof c === 'number' ? c : Number.NaN);
  }
  const bars = [...byDate].map(([date, close]) => ({ date, close })).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const price = typeof meta['regularMarketPrice'] === 'number' ? meta['regularMarketPrice'] : undefined;
  const priceTime = typeof meta['regularMarketTime'] === 'number' ? meta['regularMarketTime'] * 1000 : undefined;
  const gmtOffset = typeof meta['gmtoffset'] === 'number' ? meta['gmtoffset'] : undefined;
  const end = (meta['currentTradingPeriod'] as { regular?: { end?: unknown } } | undefined)?.regular?.end;
  const sessionEnd = typeof end === 'number' ? end * 1000 : undefined;
  return { timeZone, bars, price, priceTime, gmtOffset, sessionEnd };
}

/**
 * Is a bar dated `date` a final daily close at `nowMs`? Days before today (exchange time) are. Today's
 * bar is live during the session (its close is regularMarketPrice and still moves) and becomes final
 * CLOSE_SETTLE_MS after the session ends: currentTradingPeriod.regular.end when it is today's, else
 * 16:00 exchange time.
 */
export function isFinalBar(chart: YahooChart, date: string, nowMs: number): boolean {
  const today = exchangeDate(nowMs, chart.timeZone);
  if (date < today) return true;
  if (date > today) return false;
  const endToday =
    chart.sessionEnd !== undefined && exchangeDate(chart.sessionEnd, chart.timeZone) === today
      ? chart.sessionEnd
      : // Without an offset assume UTC-5, the later of New York's two: never too early.
        Date.parse(`${today}T16:00:00Z`) - (chart.gmtOffset ?? -18_000) * 1000;
  return nowMs >= endToday + CLOSE_SETTLE_MS;
}

export function yahooSource(ctx: SourceContext): QuoteSource {
  const base = ctx.config.yahooBaseUrl;
  const symbolOf = (instrument: InstrumentId): string => {
    const s = YAHOO_SYMBOLS[instrument];
    if (s === undefined) throw new Error(`yahoo does not quote ${instrument}`);
    return s;
  };
  const fetchChart = async (instrument: InstrumentId, query: string, signal: AbortSignal | undefined) => {
    const symbol = symbolOf(instrument);
    const req = { source: NAME, symbol, url: `${base}/v8/finance/chart/${encodeURIComponent(symbol)}?${query}`, signal, accept: 'application/json' };
    return parseYahooChart(await ctx.http.get(req), req);
  };

  return {
    name: NAME,
    supports: (i) => YAHOO_SYMBOLS[i] !== undefined,
    symbol: symbolOf,
    async history(instrument, from, to, signal): Promise<CloseRow[]> {
      // period2 is exclusive and bars start at the session open: ask a day beyond `to`, then trim.
      const period1 = toEpochDay(from) * 86_400;
      const period2 = toEpochDay(addDays(to, 2)) * 86_400;
      const chart = await fetchChart(instrument, `interval=1d&period1=${period1}&period2=${period2}&includePrePost=false`, signal);
      const now = ctx.now();
      return chart.bars
        .filter((b) => b.date >= from && b.date <= to && isFinalBar(chart, b.date, now))
        .map((b) => ({ date: b.date, close: b.close, source: NAME }));
    },
    async latest(instrument, signal): Promise<Quote> {
      const chart = await fetchChart(instrument, 'interval=1d&range=5d&includePrePost=false', signal);
      const last = chart.bars.at(-1);
      if (chart.price !== undefined && chart.priceTime !== undefined) return { price: chart.price, asOf: chart.priceTime, source: NAME };
      if (last === undefined) throw noData({ source: NAME, symbol: symbolOf(instrument) }, 'no price in the answer', 200);
      return { price: last.close, asOf: Date.parse(`${last.date}T00:00:00Z`), source: NAME };
    },
  };
}

function tryJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function chartError(json: unknown): string | undefined {
  const e = (json as { chart?: { error?: { code?: unknown; description?: unknown } | null } } | undefined)?.chart?.error;
  if (e === null || e === undefined || typeof e !== 'object') return undefined;
  return [e.code, e.description].filter((x) => typeof x === 'string' && x !== '').join(': ') || 'unknown error';
}

function noData(req: Req, described: string, status: number): QuoteSourceError {
  return new QuoteSourceError(`${req.source} has no data for ${req.symbol} (${described})`, {
    source: req.source,
    symbol: req.symbol,
    retryable: false,
    status,
  });
}

function notAChart(req: Req, status: number): QuoteSourceError {
  return new QuoteSourceError(`${req.source} answered JSON that is not a chart for ${req.symbol}`, {
    source: req.source,
    symbol: req.symbol,
    retryable: false,
    status,
  });
}
