/**
 * FRED M2 (M2SL, monthly, dated the 1st): the keyless fredgraph.csv, or the JSON API when
 * FRED_API_KEY is set; and the S&P 500 (SP500, daily, the last 10 years only) by the API alone, so
 * with the key alone. Formats and pitfalls: /work/shared/market-history/PROVIDERS.md §3.
 */
import type { InstrumentId } from '../domain/instruments.ts';
import type { CloseRow } from '../domain/series.ts';
import { QuoteSourceError } from './errors.ts';
import { expectOk, looksLikeHtml, parseJsonBody, type HttpRequest, type HttpResponse } from './http.ts';
import type { QuoteSource, SourceContext } from './source.ts';
import type { CreditScope } from './credits.ts';

const NAME = 'fred';
export const FRED_SERIES: Partial<Record<InstrumentId, string>> = { m2: 'M2SL', spx: 'SP500' };
/** The series asked of the JSON API only (the brief's and PROVIDERS.md's keyed fallback for the index). */
const KEYED_ONLY: ReadonlySet<InstrumentId> = new Set(['spx']);

type Req = Pick<HttpRequest, 'source' | 'symbol'>;

const fail = (req: Req, what: string, status?: number) =>
  new QuoteSourceError(`${req.source} answered ${what} for ${req.symbol}`, {
    source: req.source,
    symbol: req.symbol,
    retryable: false,
    ...(status === undefined ? {} : { status }),
  });

/** Parses fredgraph.csv: header `observation_date,<ID>` (or the older `DATE,<ID>`); `''` and `.` are missing. */
export function parseFredCsv(res: HttpResponse, req: Req): { date: string; value: number }[] {
  expectOk(res, req);
  if (res.body.trim() === '') throw fail(req, 'an empty body', res.status);
  if (looksLikeHtml(res)) throw fail(req, 'HTML instead of CSV', res.status);
  const lines = res.body.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0]?.split(',').map((h) => h.trim().toLowerCase()) ?? [];
  if (header.length < 2 || (header[0] !== 'date' && header[0] !== 'observation_date')) {
    throw fail(req, 'something that is not FRED CSV', res.status);
  }
  const out: { date: string; value: number }[] = [];
  for (const line of lines.slice(1)) {
    const [date = '', raw = ''] = line.split(',').map((c) => c.trim());
    if (raw === '' || raw === '.') continue;
    // A value that is not a number stays NaN so validation rejects it with a message, not silently.
    out.push({ date, value: Number(raw) });
  }
  return out;
}

/** Parses /fred/series/observations JSON: values are strings, `.` is missing; errors carry error_message. */
export function parseFredApi(res: HttpResponse, req: Req): { date: string; value: number }[] {
  if (res.status < 200 || res.status >= 300) {
    let message: unknown;
    try {
      message = (JSON.parse(res.body) as { error_message?: unknown }).error_message;
    } catch {
      message = undefined;
    }
    if (typeof message === 'string') throw fail(req, `${res.status}: ${message}`, res.status);
    expectOk(res, req);
  }
  const json = parseJsonBody(res, req) as { observations?: unknown };
  if (!Array.isArray(json.observations)) throw fail(req, 'JSON without observations', res.status);
  const out: { date: string; value: number }[] = [];
  for (const o of json.observations as { date?: unknown; value?: unknown }[]) {
    if (typeof o.date !== 'string' || o.value === '.' || o.value === '' || o.value === null || o.value === undefined) continue;
    out.push({ date: o.date, value: Number(o.value) });
  }
  return out;
}

/** FRED's API over its rate limit answers HTTP 429 (PROVIDERS.md §3): wait for the next minute. */
export function fredRefusal(res: HttpResponse): CreditScope | undefined {
  return res.status === 429 ? 'minute' : undefined;
}

export function fredSource(ctx: SourceContext): QuoteSource {
  const { config } = ctx;
  const symbolOf = (i: InstrumentId): string => {
    const s = FRED_SERIES[i];
    if (s === undefined) throw new Error(`fred does not carry ${i}`);
    return s;
  };
  return {
    name: NAME,
    supports: (i) => FRED_SERIES[i] !== undefined,
    unavailableFor: (i) => (KEYED_ONLY.has(i) && config.fredApiKey === undefined ? `fred needs FRED_API_KEY for ${i} (${symbolOf(i)})` : undefined),
    symbol: symbolOf,
    async history(instrument, from, to, signal): Promise<CloseRow[]> {
      const symbol = symbolOf(instrument);
      const key = config.fredApiKey;
      if (key === undefined && KEYED_ONLY.has(instrument)) throw new Error(`fred needs FRED_API_KEY for ${instrument} (${symbol})`);
      let points: { date: string; value: number }[];
      if (key !== undefined) {
        const q = new URLSearchParams({ series_id: symbol, api_key: key, file_type: 'json', observation_start: from, observation_end: to });
        const req = { source: NAME, symbol, url: `${config.fredApiBaseUrl}/fred/series/observations?${q}`, signal, accept: 'application/json' };
        points = parseFredApi(await ctx.http.get(req), req);
      } else {
        const q = new URLSearchParams({ id: symbol, cosd: from, coed: to });
        const req = { source: NAME, symbol, url: `${config.fredBaseUrl}/graph/fredgraph.csv?${q}`, signal, accept: 'text/csv' };
        points = parseFredCsv(await ctx.http.get(req), req);
      }
      return points.filter((p) => p.date >= from && p.date <= to).map((p) => ({ date: p.date, close: p.value, source: NAME }));
    },
  };
}
