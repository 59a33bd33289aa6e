/** The one error a quote source raises: what went wrong, where, and whether trying again may help. */
import type { CloseRow } from '../domain/close-row.ts';

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

/**
 * A history fetched in several requests (Twelve Data's 5,000-day windows) that failed after the first:
 * the rows of the windows fetched before it, through `through`, are kept (their credits are spent) and
 * stored; the rest of the range is asked again (market/sync-closes.ts).
 */
export class PartialHistoryError extends QuoteSourceError {
  readonly rows: readonly CloseRow[];
  readonly through: string;
  constructor(message: string, info: QuoteSourceErrorInfo & { readonly rows: readonly CloseRow[]; readonly through: string }) {
    super(message, info);
    this.name = 'PartialHistoryError';
    this.rows = info.rows;
    this.through = info.through;
  }
}
