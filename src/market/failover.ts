/**
 * Per instrument, the ordered sources from config (SOURCES_GOLD=yahoo,lbma,twelvedata …): a source
 * that needs a missing key or does not quote the instrument is skipped (those without a key said in
 * one info line), and a failed fetch moves on to the next source. Failures become values; the caller
 * decides what to store.
 */
import type { Config } from '../config.ts';
import { INSTRUMENTS, type InstrumentId } from '../domain/instruments.ts';
import type { Logger } from '../log.ts';
import { isCreditsOut } from './credits.ts';
import { fredSource } from './fred.ts';
import { lbmaSource } from './lbma.ts';
import type { QuoteSource, SourceContext, SourceFactory } from './source.ts';
import { twelveDataSource } from './twelvedata.ts';
import { yahooSource } from './yahoo.ts';

export const SOURCE_FACTORIES: Readonly<Record<string, SourceFactory>> = {
  yahoo: yahooSource,
  fred: fredSource,
  lbma: lbmaSource,
  twelvedata: twelveDataSource,
};

const ENV_NAME: Record<InstrumentId, string> = { spx: 'SOURCES_SPX', qqq: 'SOURCES_QQQ', gold: 'SOURCES_GOLD', m2: 'SOURCES_M2' };

export type SourceChains = Readonly<Record<InstrumentId, readonly QuoteSource[]>>;

/** Builds each instrument's usable source list, in the configured order. */
export function resolveSources(
  config: Config,
  ctx: SourceContext,
  log: Logger,
  factories: Readonly<Record<string, SourceFactory>> = SOURCE_FACTORIES,
): SourceChains {
  const built = new Map<string, QuoteSource | { unavailable: string }>();
  const said = new Set<string>();
  const sayOnce = (key: string, say: () => void) => {
    if (!said.has(key)) {
      said.add(key);
      say();
    }
  };
  // The sources skipped for a key they lack, said in one line once every chain is built.
  const keyless: { name: string; why: string }[] = [];
  const chains = {} as Record<InstrumentId, QuoteSource[]>;
  for (const instrument of INSTRUMENTS) {
    chains[instrument] = [];
    for (const name of config.sources[instrument]) {
      const factory = factories[name];
      if (factory === undefined) {
        sayOnce(`unknown:${name}`, () => log.warn(`unknown quote source "${name}" in ${ENV_NAME[instrument]}; known: ${Object.keys(factories).join(', ')}`));
        continue;
      }
      let source = built.get(name);
      if (source === undefined) {
        source = factory(ctx);
        built.set(name, source);
      }
      if ('unavailable' in source) {
        const why = source.unavailable;
        sayOnce(`unavailable:${name}`, () => keyless.push({ name, why }));
        continue;
      }
      if (!source.supports(instrument)) {
        sayOnce(`unsupported:${name}:${instrument}`, () => log.warn(`quote source ${name} does not quote ${instrument}; skipped in ${ENV_NAME[instrument]}`));
        continue;
      }
      const why = source.unavailableFor?.(instrument);
      if (why !== undefined) {
        sayOnce(`unavailable:${name}:${instrument}`, () => keyless.push({ name, why }));
        continue;
      }
      chains[instrument].push(source);
    }
  }
  if (keyless.length === 1) log.info(`quote source ${keyless[0]!.name} skipped: ${keyless[0]!.why}`);
  else if (keyless.length > 1) log.info(`quote sources skipped: ${keyless.map((k) => k.why).join('; ')}`);
  return chains;
}

export interface SourceFailure {
  readonly source: string;
  readonly error: string;
}

export type FailoverResult<T> =
  | { readonly ok: true; readonly value: T; readonly source: QuoteSource; readonly failures: readonly SourceFailure[] }
  | { readonly ok: false; readonly failures: readonly SourceFailure[] };

/**
 * Runs `fetch` on each source in turn until one succeeds. A failure with another source to ask is
 * logged as one warning ("…; trying lbma"); the outcome, and with it every failure of a chain that
 * failed whole, is the caller's to report (the job's log line, the CLI's table), once.
 */
export async function withFailover<T>(
  instrument: InstrumentId,
  sources: readonly QuoteSource[],
  fetch: (source: QuoteSource) => Promise<T>,
  log: Logger,
  signal?: AbortSignal,
): Promise<FailoverResult<T>> {
  const failures: SourceFailure[] = [];
  if (sources.length === 0) {
    const error = `no usable quote source for ${instrument} (check ${ENV_NAME[instrument]} and its keys)`;
    return { ok: false, failures: [{ source: '-', error }] };
  }
  for (const [i, source] of sources.entries()) {
    if (signal?.aborted) break;
    try {
      return { ok: true, value: await fetch(source), source, failures };
    } catch (e) {
      // Stopping (Ctrl-C, SIGTERM) aborts the request in flight: that is the user's wish, not a
      // failure of the source, and no other source should be asked.
      if (signal?.aborted) {
        log.debug(`${source.name} request for ${source.symbol(instrument)} stopped: shutting down`);
        failures.push({ source: source.name, error: 'aborted' });
        break;
      }
      const message = e instanceof Error ? e.message : String(e);
      // QuoteSourceError messages already name source and symbol; anything else gets them added.
      const error = message.startsWith(source.name) ? message : `${source.name} failed for ${source.symbol(instrument)}: ${message}`;
      const next = sources[i + 1];
      // A source waiting for its credits said so once (credits.ts); each request it turns away is no news.
      if (next !== undefined) log[isCreditsOut(e) ? 'debug' : 'warn'](`${error}; trying ${next.name}`);
      failures.push({ source: source.name, error });
    }
  }
  return { ok: false, failures };
}
