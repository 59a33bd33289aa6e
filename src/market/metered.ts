/** Counts every fetch of every source (ok or failed) for the metrics, without changing what it returns. */
import type { InstrumentId } from '../domain/instruments.ts';
import type { SourceChains } from './failover.ts';
import type { QuoteSource } from './source.ts';

export type FetchObserver = (source: string, instrument: InstrumentId, ok: boolean) => void;

export function meterSources(chains: SourceChains, observe: FetchObserver | undefined): SourceChains {
  if (observe === undefined) return chains;
  const wrapped = new Map<QuoteSource, QuoteSource>();
  const wrap = (s: QuoteSource): QuoteSource => {
    let w = wrapped.get(s);
    if (w !== undefined) return w;
    const count = async <T>(instrument: InstrumentId, p: () => Promise<T>): Promise<T> => {
      try {
        const v = await p();
        observe(s.name, instrument, true);
        return v;
      } catch (e) {
        observe(s.name, instrument, false);
        throw e;
      }
    };
    w = {
      name: s.name,
      supports: (i) => s.supports(i),
      symbol: (i) => s.symbol(i),
      history: (i, from, to, signal) => count(i, () => s.history(i, from, to, signal)),
      ...(s.latest !== undefined ? { latest: (i: InstrumentId, signal?: AbortSignal) => count(i, () => s.latest!(i, signal)) } : {}),
    };
    wrapped.set(s, w);
    return w;
  };
  return Object.fromEntries(Object.entries(chains).map(([k, list]) => [k, list.map(wrap)])) as unknown as SourceChains;
}
