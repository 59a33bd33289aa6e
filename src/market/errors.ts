/** The one error a quote source raises: what went wrong, where, and whether trying again may help. */

export interface QuoteSourceErrorInfo {
  readonly source: string;
  readonly symbol: string;
  /** True for 5xx, 429, timeouts and network errors: the same request may work later. */
  readonly retryable: boolean;
  readonly status?: number;
  readonly cause?: unknown;
}

export class QuoteSourceError extends Error {
  readonly source: string;
  readonly symbol: string;
  readonly retryable: boolean;
  readonly status: number | undefined;

  constructor(message: string, info: QuoteSourceErrorInfo) {
    super(message, info.cause === undefined ? undefined : { cause: info.cause });
    this.name = 'QuoteSourceError';
    this.source = info.source;
    this.symbol = info.symbol;
    this.retryable = info.retryable;
    this.status = info.status;
  }
}

export function isQuoteSourceError(e: unknown): e is QuoteSourceError {
  return e instanceof QuoteSourceError;
}
