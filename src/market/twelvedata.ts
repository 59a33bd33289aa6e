/**
 * Twelve Data (keyed): XAU/USD spot for gold, the S&P 500 index (`SPX`) and QQQ. Values come newest
 * first, as strings, and an error can arrive with HTTP 200 and `"status":"error"`. PROVIDERS.md §4.
 * The index's symbol: neither PROVIDERS.md nor any Twelve Data page found (docs, indices list) names
 * it; public clients ask `/time_series?symbol=SPX` (a demo-key list among them), a few `GSPC`. `SPX`
 * is the index's ticker on Cboe and the usual name in index lists, so it stays (checked 2026-12-07).
 */
import type { InstrumentId } from '../domain/instruments.ts';
import type { Quote } from '../domain/ratio.ts';
import type { CloseRow } from '../domain/close-row.ts';
import { addDays } from '../domain/dates.ts';
import { CLOSE_SETTLE_MS, closeDateProblem } from '../domain/close-calendar.ts';
import { tradingDate } from '../domain/nyse-calendar.ts';
import { PartialHistoryError, QuoteSourceError } from './errors.ts';
import { expectOk, parseJsonBody, type HttpRequest, type HttpResponse } from './http.ts';
import type { SourceFactory } from './source.ts';
import type { CreditScope } from './credits.ts';

const NAME = 'twelvedata';
export const TWELVEDATA_SYMBOLS: Partial<Record<InstrumentId, string>> = { spx: 'SPX', qqq: 'QQQ', gold: 'XAU/USD' };
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

/**
 * Whether an answer is Twelve Data saying the key has run out of API credits (`"code":429`, with
 * HTTP 200 or 429): "…for the current minute" or "…for the day" (credits.ts makes the source wait).
 */
export function twelveDataRefusal(res: HttpResponse): CreditScope | undefined {
  if (res.status !== 429 && !res.body.includes('429')) return undefined;
  let o: { code?: unknown; message?: unknown; status?: unknown } | undefined;
  try {
    o = JSON.parse(res.body) as typeof o;
  } catch {
    o = undefined;
  }
  if (res.status !== 429 && (o?.status !== 'error' || o.code !== 429)) return undefined;
  return typeof o?.message === 'string' && /for the day|daily/i.test(o.message) ? 'day' : 'minute';
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
  const symbolOf = (instrument: InstrumentId): string => {
    const s = TWELVEDATA_SYMBOLS[instrument];
    if (s === undefined) throw new Error(`twelvedata does not quote ${instrument}`);
    return s;
  };
  /** Is a bar of `date` a close at `nowMs`? Spot trades around the clock: today's never is; a stock's is once its session is over and settled (CLOSE_SETTLE_MS, as Yahoo's). */
  /** `today` is tradingDate(nowMs), worked out once for a history's bars (~5 µs each, thousands of bars). */
  const final = (instrument: InstrumentId, date: string, nowMs: number, today: string): boolean => {
    if (date !== today) return date < today;
    return instrument !== 'gold' && closeDateProblem(instrument, date, nowMs - CLOSE_SETTLE_MS) === undefined;
  };
  return {
    name: NAME,
    supports: (i: InstrumentId) => TWELVEDATA_SYMBOLS[i] !== undefined,
    symbol: symbolOf,
    async history(instrument, from, to, signal): Promise<CloseRow[]> {
      const symbol = symbolOf(instrument);
      // outputsize 5000 is the API's maximum per call and it keeps the newest rows: a longer range
      // would silently lose its start, so ask in windows that hold fewer than 5000 bars.
      const points: { date: string; value: number }[] = [];
      const rows = () => {
        const nowMs = ctx.now();
        const today = tradingDate(nowMs);
        return points.filter((p) => final(instrument, p.date, nowMs, today)).map((p) => ({ date: p.date, close: p.value, source: NAME }));
      };
      for (let start = from; start <= to; start = addDays(start, WINDOW_DAYS)) {
        // The earlier of the window's last day and `to` (ISO dates compare as strings).
        const end = [addDays(start, WINDOW_DAYS - 1), to].sort()[0]!;
        const q = new URLSearchParams({ symbol, interval: '1day', outputsize: '5000', start_date: start, end_date: end, apikey: key });
        // QQQ's close is split-adjusted only, as Yahoo's `close` (adjust=splits is the API's default,
        // said so a changed default cannot lower the 2000 peak from 0.41 to 0.35); moot for spot and an index.
        if (instrument !== 'gold') q.set('adjust', 'splits');
        const req = { source: NAME, symbol, url: `${base}/time_series?${q}`, signal, accept: 'application/json' };
        let window: { date: string; value: number }[];
        try {
          window = parseTwelveDataSeries(await ctx.http.get(req), req);
        } catch (e) {
          // A window refused (credits, a 5xx) after others answered: theirs are kept, not thrown away
          // with their credits, nor by a Ctrl-C; the rest of the range is asked again (sync-closes.ts).
          if (start === from || !(e instanceof QuoteSourceError)) throw e;
          const through = addDays(start, -1);
          throw new PartialHistoryError(`${e.message} (its ${from}..${through} fetched before, kept)`, {
            source: NAME,
            symbol,
            retryable: e.retryable,
            ...(e.status === undefined ? {} : { status: e.status }),
            cause: e,
            rows: rows(),
            through,
          });
        }
        points.push(...window.filter((p) => p.date >= start && p.date <= end));
      }
      return rows();
    },
    async latest(instrument, signal): Promise<Quote> {
      const symbol = symbolOf(instrument);
      const q = new URLSearchParams({ symbol, apikey: key });
      const req = { source: NAME, symbol, url: `${base}/price?${q}`, signal, accept: 'application/json' };
      const o = parseTwelveData(await ctx.http.get(req), req);
      return { price: Number(o['price']), asOf: ctx.now(), source: NAME };
    },
  };
};
