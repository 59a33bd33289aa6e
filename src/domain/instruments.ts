/** The instruments goldratio tracks and the two ratio pairs of the essay. */

export type InstrumentId = 'spx' | 'qqq' | 'gold' | 'm2';
export type PriceInstrumentId = Exclude<InstrumentId, 'm2'>;
export type PairId = 'spx-gold' | 'qqq-gold';

export const INSTRUMENTS: readonly InstrumentId[] = ['spx', 'qqq', 'gold', 'm2'];
export const PAIR_IDS: readonly PairId[] = ['spx-gold', 'qqq-gold'];

/** QQQ's first trading day: the essay measures everything from here. */
export const QQQ_LAUNCH = '1999-03-10';

/** A date, or QQQ's launch if it is earlier: where a span back (5y, 40y) can start at the earliest. */
export const notBeforeLaunch = (date: string): string => (date < QQQ_LAUNCH ? QQQ_LAUNCH : date);

export interface InstrumentInfo {
  readonly id: InstrumentId;
  readonly name: string;
  /** Prices outside this band are rejected as implausible (a unit error, a bad tick). */
  readonly plausible: { readonly min: number; readonly max: number };
  /** Data older than this many calendar days is stale for a daily series. */
  readonly staleAfterDays: number;
  readonly frequency: 'daily' | 'monthly';
}

export const INSTRUMENT_INFO: Readonly<Record<InstrumentId, InstrumentInfo>> = {
  spx: { id: 'spx', name: 'S&P 500', plausible: { min: 1, max: 100_000 }, staleAfterDays: 7, frequency: 'daily' },
  // QQQ closes are split-adjusted: 1999's first close reads about 51.
  qqq: { id: 'qqq', name: 'QQQ', plausible: { min: 5, max: 20_000 }, staleAfterDays: 7, frequency: 'daily' },
  gold: { id: 'gold', name: 'Gold (USD/oz)', plausible: { min: 15, max: 50_000 }, staleAfterDays: 7, frequency: 'daily' },
  m2: { id: 'm2', name: 'US M2 (bn USD)', plausible: { min: 1_000, max: 1_000_000 }, staleAfterDays: 120, frequency: 'monthly' },
};

export interface PairInfo {
  readonly id: PairId;
  readonly numerator: 'spx' | 'qqq';
  readonly denominator: 'gold';
  readonly label: string;
}

export const PAIRS: Readonly<Record<PairId, PairInfo>> = {
  'spx-gold': { id: 'spx-gold', numerator: 'spx', denominator: 'gold', label: 'SPX/Gold' },
  'qqq-gold': { id: 'qqq-gold', numerator: 'qqq', denominator: 'gold', label: 'QQQ/Gold' },
};

export function isInstrumentId(s: string): s is InstrumentId {
  return (INSTRUMENTS as readonly string[]).includes(s);
}

export function isPairId(s: string): s is PairId {
  return (PAIR_IDS as readonly string[]).includes(s);
}

/** Accepts the short forms users type: `spx`, `SPX/Gold`, `qqq-gold`. */
export function parsePair(input: string): PairId | undefined {
  const s = input.trim().toLowerCase().replace('/', '-');
  if (s === 'spx' || s === 'spx-gold' || s === 'sp500') return 'spx-gold';
  if (s === 'qqq' || s === 'qqq-gold' || s === 'ndx') return 'qqq-gold';
  return undefined;
}
