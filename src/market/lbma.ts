/**
 * LBMA gold PM fix (keyless, behind Cloudflare): `[{"d":"YYYY-MM-DD","v":[USD,GBP,EUR]}]`, the whole
 * history in one file. No fixing on UK holidays. PROVIDERS.md §4.
 */
import type { InstrumentId } from '../domain/instruments.ts';
import { londonHoliday } from '../domain/london-calendar.ts';
import type { CloseRow } from '../domain/series.ts';
import { QuoteSourceError } from './errors.ts';
import { expectOk, parseJsonBody, type HttpRequest, type HttpResponse } from './http.ts';
import type { QuoteSource, SourceContext } from './source.ts';

const NAME = 'lbma';
const SYMBOL = 'gold_pm';

/** USD fixings, ascending. `v[0]` is USD; 0 or null means no USD fixing that day. */
export function parseLbma(res: HttpResponse, req: Pick<HttpRequest, 'source' | 'symbol'>): { date: string; value: number }[] {
  expectOk(res, req);
  const json = parseJsonBody(res, req);
  if (!Array.isArray(json)) {
    throw new QuoteSourceError(`${req.source} answered JSON that is not a list of fixings for ${req.symbol}`, {
      source: req.source,
      symbol: req.symbol,
      retryable: false,
      status: res.status,
    });
  }
  const out: { date: string; value: number }[] = [];
  for (const row of json as { d?: unknown; v?: unknown }[]) {
    const usd = Array.isArray(row?.v) ? (row.v[0] as unknown) : undefined;
    if (typeof row?.d !== 'string' || usd === null || usd === undefined || usd === 0) continue;
    out.push({ date: row.d, value: typeof usd === 'number' ? usd : Number(usd) });
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

export function lbmaSource(ctx: SourceContext): QuoteSource {
  return {
    name: NAME,
    supports: (i: InstrumentId) => i === 'gold',
    symbol: () => SYMBOL,
    closedOn: (_instrument, date) => {
      const holiday = londonHoliday(date);
      return holiday === undefined ? undefined : `${holiday}, an English bank holiday: London does not fix gold`;
    },
    async history(_instrument, from, to, signal): Promise<CloseRow[]> {
      const req = { source: NAME, symbol: SYMBOL, url: `${ctx.config.lbmaBaseUrl}/json/${SYMBOL}.json`, signal, accept: 'application/json' };
      return parseLbma(await ctx.http.get(req), req)
        .filter((p) => p.date >= from && p.date <= to)
        .map((p) => ({ date: p.date, close: p.value, source: NAME }));
    },
  };
}
