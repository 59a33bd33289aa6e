/** The quote sources' variables (Yahoo, FRED, LBMA) pointed at one place, for a bot or command a test starts. */

/** Nothing listens on port 9 (discard): a fetch there is refused at once, so a test's bot loads no market. */
export const OFFLINE = 'http://127.0.0.1:9';

/** YAHOO_BASE_URL, FRED_BASE_URL and LBMA_BASE_URL at `url`: a fake's (tests/fakes/quote-server.ts), or OFFLINE. */
export function sourcesAt(url: string = OFFLINE): { YAHOO_BASE_URL: string; FRED_BASE_URL: string; LBMA_BASE_URL: string } {
  return { YAHOO_BASE_URL: url, FRED_BASE_URL: url, LBMA_BASE_URL: url };
}
