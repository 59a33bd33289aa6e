/** A watch's crossing events at a point, as the events to store and their messages (the pipeline's, and a corrected close's). */
import type { PairId } from '../domain/instruments.ts';
import type { CrossingEvent, CrossingOptions } from '../domain/crossing.ts';
import type { Watch } from '../domain/watches.ts';
import type { PointDecision } from '../store/decisions.ts';
import { alertMessage } from '../domain/alert-message.ts';

export type Basis = 'close' | 'intraday';

export type DecidedEvent = PointDecision['events'][number];

/**
 * A watch's events at a point, each as the event to store and its message (an approach-only watch
 * keeps its approaches). `past`: a later close is stored already (alertMessage's).
 */
export function watchEvents(
  w: Watch,
  found: readonly CrossingEvent[],
  pair: PairId,
  basis: Basis,
  now: number,
  o: CrossingOptions,
  past = false,
  goldDate?: string,
): DecidedEvent[] {
  const out: DecidedEvent[] = [];
  for (const e of found) {
    if (w.approachOnly && e.kind !== 'approach') continue;
    const event = {
      date: e.date,
      pair,
      levelId: e.levelId,
      kind: e.kind,
      direction: e.direction,
      value: e.value,
      levelValue: e.levelValue,
      basis,
      createdAt: now,
      watchKey: w.key,
      ...(e.late && { heldSince: e.late.since, heldValue: e.late.value }),
    } as const;
    const late = e.late && { ...e.late, days: o.cooldownDays ?? 0 };
    out.push({ event, isApproach: e.kind === 'approach', message: alertMessage(event, late, past, goldDate) });
  }
  return out;
}
