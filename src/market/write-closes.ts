/**
 * Writing what the acceptance policy decided about one fetch of closes: accepted rows upserted,
 * confirmed holds released, expired holds dropped, then new holds stored, all in one transaction
 * (QuoteStore.writeDecision), then each with its log line.
 */
import type { HeldRow, Rejected } from '../domain/acceptance.ts';
import type { InstrumentId } from '../domain/instruments.ts';
import type { CloseRow } from '../domain/series.ts';
import type { Logger } from '../log.ts';
import type { DecisionCounts, QuoteStore } from '../store/quotes.ts';

export interface CloseDecision {
  readonly accepted: readonly CloseRow[];
  /** Held dates now confirmed. */
  readonly released: readonly string[];
  readonly held: readonly HeldRow[];
  /** Holds that can no longer be confirmed (date, price). */
  readonly expired: readonly (readonly [string, number])[];
  readonly rejected: readonly Rejected[];
}

export async function writeCloses(store: QuoteStore, log: Logger, instrument: InstrumentId, d: CloseDecision, nowMs: number): Promise<DecisionCounts> {
  // One transaction (store.writeDecision): the lines are said once it is committed.
  const counts = await store.writeDecision(
    instrument,
    {
      accepted: d.accepted,
      released: [...d.released, ...d.expired.map(([date]) => date)],
      held: d.held.map((h) => (h.heldAt === undefined ? h.row : { ...h.row, heldAt: h.heldAt })),
    },
    new Date(nowMs),
  );
  for (const [date, price] of d.expired) log.warn(`${instrument} ${date} ${price} was held and never confirmed; dropped`);
  for (const h of d.held) log.warn(h.reason);
  for (const r of d.rejected.slice(0, 5)) log.warn(`${r.reason} (from ${r.row.source}); not stored`);
  if (d.rejected.length > 5) log.warn(`${instrument}: ${d.rejected.length - 5} more rows rejected`);
  return counts;
}
