/**
 * Fetching daily closes: a date range from the first source that answers, and the second sources
 * asked to confirm a held price. What counts as confirmed is the acceptance policy's call
 * (domain/acceptance.ts); this file only does the asking.
 */
import { confirmedBy, type HeldRow } from '../domain/acceptance.ts';
import type { InstrumentId } from '../domain/instruments.ts';
import type { CloseRow } from '../domain/series.ts';
import type { Logger } from '../log.ts';
import { withFailover } from './failover.ts';
import type { QuoteSource } from './source.ts';

export type Fetched =
  | { readonly ok: false; readonly errors: string[] }
  | { readonly ok: true; readonly source: QuoteSource; readonly rows: CloseRow[]; readonly errors: string[] };

/** [from, to] of one instrument from the first of `sources` that answers; the failures on the way in `errors`, for the caller to report. */
export async function fetchCloses(
  instrument: InstrumentId,
  sources: readonly QuoteSource[],
  range: { from: string; to: string },
  log: Logger,
  signal?: AbortSignal,
): Promise<Fetched> {
  const result = await withFailover(instrument, sources, (s) => s.history(instrument, range.from, range.to, signal), log, signal);
  const errors = result.failures.map((f) => f.error);
  if (!result.ok) {
    if (errors.length === 0) errors.push(`${instrument}: fetch aborted`);
    return { ok: false, errors };
  }
  return { ok: true, source: result.source, rows: result.value, errors };
}

/** Asks `others` in turn for the held dates until every hold is confirmed; returns the confirmed ones. */
export async function confirmWithOthers(
  instrument: InstrumentId,
  held: readonly HeldRow[],
  others: readonly QuoteSource[],
  log: Logger,
  signal?: AbortSignal,
): Promise<HeldRow[]> {
  const from = held[0]!.row.date;
  const to = held.at(-1)!.row.date;
  const confirmed: HeldRow[] = [];
  for (const other of others) {
    if (signal?.aborted) break;
    let rows: CloseRow[];
    try {
      rows = await other.history(instrument, from, to, signal);
    } catch (e) {
      log.warn(`could not confirm ${instrument} with ${other.name}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    const byDate = new Map(rows.map((r) => [r.date, r.close]));
    for (const h of confirmedBy(
      held.filter((x) => !confirmed.includes(x)),
      byDate,
    )) {
      log.info(`${instrument} ${h.row.date} ${h.row.close} from ${h.row.source} confirmed by ${other.name} (${byDate.get(h.row.date)})`);
      confirmed.push(h);
    }
    if (confirmed.length === held.length) break;
  }
  return confirmed;
}
