/**
 * Writing what the acceptance policy decided about one fetch of closes: accepted rows upserted,
 * confirmed holds released, expired holds dropped, then new holds stored, each with its log line.
 */
import type { HeldRow, Rejected } from '../domain/acceptance.ts';
import type { InstrumentId } from '../domain/instruments.ts';
import type { CloseRow } from '../domain/series.ts';
import type { Logger } from '../log.ts';
import type { QuoteStore, UpsertCounts } from '../store/quotes.ts';

export interface CloseDecision {
  readonly accepted: readonly CloseRow[];
  /** Held dates now confirmed. */
  readonly released: readonly string[];
  readonly held: readonly HeldRow[];
  /** Holds that can no longer be confirmed (date, price). */
  readonly expired: readonly (readonly [string, number])[];
  readonly rejected: readonly Rejected[];
}

export async function writeCloses(store: QuoteStore, log: Logger, instrument: InstrumentId, d: CloseDecision, nowMs: number): Promise<UpsertCounts> {
  const counts = await store.upsertCloses(instrument, d.accepted, new Date(nowMs));
  for (const date of d.released) await store.releaseHeld(instrument, date);
  // Deletes before the holds: a day released or expired and held again in the same run keeps its new hold.
  for (const [date, price] of d.expired) {
    await store.releaseHeld(instrument, date);
    log.warn(`${instrument} ${date} ${price} was held and never confirmed; dropped`);
  }
  for (const h of d.held) {
    await store.holdQuote(instrument, h.row.date, h.row.close, h.row.source, new Date(nowMs));
    log.warn(h.reason);
  }
  for (const r of d.rejected.slice(0, 5)) log.warn(`${r.reason} (from ${r.row.source}); not stored`);
  if (d.rejected.length > 5) log.warn(`${instrument}: ${d.rejected.length - 5} more rows rejected`);
  return counts;
}
