/**
 * The history tests/market's window tests sync (window-seams, credits-windows, unfetched,
 * unfetched-status): the quote fake with the S&P 500 every weekday since 1999 on Twelve Data, in its
 * 5,000-bar windows, and on Yahoo from a later day when a test needs a head Yahoo lacks.
 */
import { startQuoteServer, weekdays, type QuoteServer } from '../fakes/quote-server.ts';

/** A Twelve Data key the quote fake is started with. */
export const TD_KEY = '0123456789abcdef0123456789abcdef';
/** Monday 2026-12-07, 10:00 in New York: the range since QQQ's launch is 1999-03-10..2026-12-07. */
export const NOW = Date.parse('2026-12-07T15:00:00Z');

const flat = (from: string) => weekdays(from, '2026-12-04').map((date) => ({ date, value: 5200 }));

/** The fake with Twelve Data's `SPX` since 1999 and, given `yahooFrom`, Yahoo's `^GSPC` from that day. */
export async function spxHistoryServer(o: { readonly yahooFrom?: string } = {}): Promise<QuoteServer> {
  const server = await startQuoteServer({ twelveDataApiKey: TD_KEY });
  server.setSeries('SPX', flat('1999-01-04'));
  if (o.yahooFrom !== undefined) server.setSeries('^GSPC', flat(o.yahooFrom));
  return server;
}
