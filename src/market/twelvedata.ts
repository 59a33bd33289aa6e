/**
 * Twelve Data XAU/USD spot (keyed). Values come newest first, as strings, and an error can arrive
 * with HTTP 200 and `"status":"error"`. PROVIDERS.md §4.
 */
import type { InstrumentId } from '../domain/instruments.ts';
import type { Quote } from '../domain/ratio.ts';
import type { CloseRow } from '../domain/close-row.ts';
import { addDays } from '../domain/dates.ts';
import { tradingDate } from '../domain/nyse-calendar.ts';
import { QuoteSourceError } from './errors.ts';
import { expectOk, parseJsonBody, type HttpRequest, type HttpResponse } from './http.ts';
import type { SourceFactory } from './source.ts';

const NAME = 'twelvedata';
const SYMBOL = 'XAU/USD';
/** 5000 calendar days hold at most ~4300 bars of a market that trades six days a week. */
export const WINDOW_DAYS = 5000;

type Req = Pick<HttpRequest, 'source' | 'symbol'>;

/** The JSON of a Twelve Data answer, or a QuoteSourceError carrying its `message`. */
export function parseTwelveData(res: HttpResponse, req: Req): Record<string, unknown> {
  let json: unknown;
  try {
    json = parseJsonBody(res, req);
  } catch (e) {
    expectOk(res, req); // a non-2xx HTML page is better told by its status
    throw e;
  }
  const o = (json ?? {}) as Record<string, unknown>;
  if (o['status'] === 'error') {
    const code = typeof o['code'] === 'number' ? o['code'] : res.status;
    throw new QuoteSourceError(`${req.source} answered error ${code} for ${req.symbol}: ${String(o['message'] ?? 'no message')}`, {
      source: req.source,
      symbol: req.symbol,
      retryable: code === 429 || code >= 500,
      status: code,
    });
  }
  expectOk(res, req);
  return o;
}

export function parseTwelveDataSeries(res: HttpResponse, req: Req): { date: string; value: number }[] {
  const o = parseTwelveData(res, req);
  if (!Array.isArray(o['values'])) {
    throw new QuoteSourceError(`${req.source} answered JSON without values for ${req.symbol}`, {
      source: req.source,
      symbol: req.symbol,
      retryable: false,
      status: res.status,
    });
  }
  return (o['values'] as { datetime?: unknown; close?: unknown }[])
    .filter((v) => typeof v.datetime === 'string')
    .map((v) => ({ date: (v.datetime as string).slice(0, 10), value: Number(v.close) }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

export const twelveDataSource: SourceFactory = (ctx) => {
  const key = ctx.config.twelveDataApiKey;
  if (key === undefined) return { unavailable: 'twelvedata needs TWELVEDATA_API_KEY' };
  const base = ctx.config.twelveDataBaseUrl;
  return {
    name: NAME,
    supports: (i: InstrumentId) => i === 'gold',
    symbol: () => SYMBOL,
    async history(_instrument, from, to, signal): Promise<CloseRow[]> {
      // outputsize 5000 is the API's maximum per call and it keeps the newest rows: a longer range
      // would silently lose its start, so ask in windows that hold fewer than 5000 bars.
      const points: { date: string; value: number }[] = [];
      for (let start = from; start <= to; start = addDays(start, WINDOW_DAYS)) {
        // The earlier of the window's last day and `to` (ISO dates compare as strings).
        const end = [addDays(start, WINDOW_DAYS - 1), to].sort()[0]!;
        const q = new URLSearchParams({ symbol: SYMBOL, interval: '1day', outputsize: '5000', start_date: start, end_date: end, apikey: key });
        const req = { source: NAME, symbol: SYMBOL, url: `${base}/time_series?${q}`, signal, accept: 'application/json' };
        points.push(...parseTwelveDataSeries(await ctx.http.get(req), req).filter((p) => p.date >= start && p.date <= end));
      }
      // Spot trades around the clock: today's bar is still moving, so it is not a close.
      const today = tradingDate(ctx.now());
      return points.filter((p) => p.date < today).map((p) => ({ date: p.date, close: p.value, source: NAME }));
    },
    async latest(_instrument, signal): Promise<Quote> {
      const q = new URLSearchParams({ symbol: SYMBOL, apikey: key });
      const req = { source: NAME, symbol: SYMBOL, url: `${base}/price?${q}`, signal, accept: 'application/json' };
      const o = parseTwelveData(await ctx.http.get(req), req);
      return { price: Number(o['price']), asOf: ctx.now(), source: NAME };
    },
  };
};
