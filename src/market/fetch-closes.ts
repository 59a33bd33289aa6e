/**
 * Fetching daily closes: a date range from the first source that answers, and the second sources
 * asked about a move beyond MAX_MOVE_PCT. What counts as confirmed is the acceptance policy's call
 * (domain/acceptance.ts); this file only does the asking.
 */
import type { SecondOpinion } from '../domain/acceptance.ts';
import type { InstrumentId } from '../domain/instruments.ts';
import type { CloseRow } from '../domain/series.ts';
import type { Logger } from '../log.ts';
import { isCreditsOut } from './credits.ts';
import { PartialHistoryError } from './errors.ts';
import { withFailover } from './failover.ts';
import type { QuoteSource } from './source.ts';

export type Fetched =
  | { readonly ok: false; readonly errors: string[] }
  | {
      readonly ok: true;
      readonly source: QuoteSource;
      readonly rows: CloseRow[];
      readonly errors: string[];
      /** The source answered up to this day only (PartialHistoryError): the rest of the range is still to ask. */
      readonly through?: string;
    };

/** [from, to] of one instrument from the first of `sources` that answers; the failures on the way in `errors`, for the caller to report. */
export async function fetchCloses(
  instrument: InstrumentId,
  sources: readonly QuoteSource[],
  range: { from: string; to: string },
  log: Logger,
  signal?: AbortSignal,
): Promise<Fetched> {
  // A source that answered the range's start only: its rows are the answer (the sources after it are
  // not asked for what it gave), its failure said, and the caller asks for the rest.
  let partial: PartialHistoryError | undefined;
  const result = await withFailover(
    instrument,
    sources,
    async (s) => {
      try {
        return await s.history(instrument, range.from, range.to, signal);
      } catch (e) {
        if (!(e instanceof PartialHistoryError)) throw e;
        partial = e;
        return [...e.rows];
      }
    },
    log,
    signal,
  );
  const errors = result.failures.map((f) => f.error);
  if (!result.ok) {
    if (errors.length === 0) errors.push(`${instrument}: fetch aborted`);
    return { ok: false, errors };
  }
  if (partial === undefined) return { ok: true, source: result.source, rows: result.value, errors };
  if (signal?.aborted !== true) log[isCreditsOut(partial.cause) ? 'info' : 'warn'](`${instrument}: ${partial.message}; the rest is asked again`);
  return { ok: true, source: result.source, rows: result.value, errors: [...errors, partial.message], through: partial.through };
}

/**
 * Asks `others` in turn for their closes of [from, to] (the days from a move beyond MAX_MOVE_PCT on),
 * until each of `jumped` has another source's price: the second opinions that confirm or dispute the
 * move (domain/acceptance.ts secondSays). A source that fails is one warning, and the next is asked.
 */
export async function secondOpinions(
  instrument: InstrumentId,
  range: { from: string; to: string },
  jumped: readonly string[],
  others: readonly QuoteSource[],
  log: Logger,
  signal?: AbortSignal,
  /** Filled with each source that answered, and the last date it had (undefined: no rows): their silence about a day is an answer. */
  answered?: Map<string, string | undefined>,
): Promise<Map<string, SecondOpinion[]>> {
  const opinions = new Map<string, SecondOpinion[]>();
  for (const other of others) {
    if (signal?.aborted) break;
    let rows: CloseRow[];
    try {
      rows = await other.history(instrument, range.from, range.to, signal);
    } catch (e) {
      log[isCreditsOut(e) ? 'debug' : 'warn'](`could not confirm ${instrument} with ${other.name}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    answered?.set(other.name, rows.at(-1)?.date);
    for (const r of rows) opinions.set(r.date, [...(opinions.get(r.date) ?? []), { price: r.close, source: other.name }]);
    if (jumped.every((d) => opinions.has(d))) break;
  }
  return opinions;
}
