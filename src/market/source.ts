/** What every quote provider offers. Providers throw QuoteSourceError; failover turns that into values. */
import type { Config } from '../config.ts';
import type { InstrumentId } from '../domain/instruments.ts';
import type { Quote } from '../domain/ratio.ts';
import type { CloseRow } from '../domain/series.ts';
import type { HttpClient } from './http.ts';

export interface QuoteSource {
  readonly name: string;
  supports(instrument: InstrumentId): boolean;
  /**
   * Why this source cannot quote `instrument` in this configuration (FRED's SP500 comes by its keyed
   * API only), or undefined: it is skipped for that instrument, said in the one line of the sources skipped.
   */
  unavailableFor?(instrument: InstrumentId): string | undefined;
  /** The symbol this source uses for an instrument, for messages (`^GSPC`, `M2SL`). */
  symbol(instrument: InstrumentId): string;
  /**
   * Final closes with from <= date <= to, ascending, one per date, `source` set to this source.
   * A bar that is still trading (today's, before the session has ended) is not a close and is left out.
   */
  history(instrument: InstrumentId, from: string, to: string, signal?: AbortSignal): Promise<CloseRow[]>;
  /**
   * Why this source has no close of `date` for certain (LBMA: an English bank holiday, no fix), or
   * undefined. A day so closed is not asked of it, and its absence there is no news.
   */
  closedOn?(instrument: InstrumentId, date: string): string | undefined;
  /** The latest (possibly intraday) price. Sources that only publish daily fixings leave it out. */
  latest?(instrument: InstrumentId, signal?: AbortSignal): Promise<Quote>;
}

export interface SourceContext {
  readonly config: Config;
  readonly http: HttpClient;
  /** The clock, so "today" and "in the future" are testable. */
  readonly now: () => number;
}

/** A source that cannot run in this configuration (a missing key) says why instead. */
export type SourceFactory = (ctx: SourceContext) => QuoteSource | { readonly unavailable: string };
