/** The quote sources' variables (Yahoo, FRED, LBMA, Twelve Data) pointed at one place, for a bot or command a test starts. */

/** Nothing listens on port 9 (discard): a fetch there is refused at once, so a test's bot loads no market. */
export const OFFLINE = 'http://127.0.0.1:9';

/**
 * Every quote source's base URL at `url`: a fake's (tests/fakes/quote-server.ts), or OFFLINE. The keyed
 * ones (FRED's API, Twelve Data) too, so a test that sets a key never reaches the real provider.
 */
export function sourcesAt(url: string = OFFLINE): {
  YAHOO_BASE_URL: string;
  FRED_BASE_URL: string;
  FRED_API_BASE_URL: string;
  LBMA_BASE_URL: string;
  TWELVEDATA_BASE_URL: string;
} {
  return { YAHOO_BASE_URL: url, FRED_BASE_URL: url, FRED_API_BASE_URL: url, LBMA_BASE_URL: url, TWELVEDATA_BASE_URL: url };
}
