/**
 * The digest job, run each minute (and once at start: a digest at most 6 hours late is sent
 * then). It decides the chats due now in one transaction (store/digests enqueueDue), then sends
 * what is queued. Time comes from `now`.
 */
import type { Logger } from '../log.ts';
import type { MarketView } from '../services/market-view.ts';
import type { DigestStore, DueReport } from '../store/digests.ts';
import type { DigestDispatcher, DigestDrainResult } from '../alerts/digest-dispatch.ts';
import type { JobSpec } from './scheduler.ts';

/** The newest US close both ratios have (a digest speaks about both). */
export function lastUsClose(view: MarketView): string | undefined {
  const a = view.ratio('spx-gold').at(-1)?.date;
  const b = view.ratio('qqq-gold').at(-1)?.date;
  if (a === undefined || b === undefined) return undefined;
  return a < b ? a : b;
}

export interface DigestDueDeps {
  readonly view: MarketView;
  readonly digests: DigestStore;
  readonly dispatcher: DigestDispatcher;
  readonly now: () => number;
  readonly log: Logger;
}

export async function digestTick(d: DigestDueDeps, signal?: AbortSignal): Promise<{ due: DueReport; drain: DigestDrainResult }> {
  const due = d.digests.enqueueDue(d.now(), lastUsClose(d.view), (what) => d.log.warn(what));
  if (due.queued > 0) d.log.info(`${due.queued} digest(s) queued`);
  const drain = await d.dispatcher.drain(signal);
  return { due, drain };
}

export function digestJob(d: DigestDueDeps): JobSpec {
  return { name: 'digest', cron: '* * * * *', timezone: 'UTC', run: (signal) => digestTick(d, signal) };
}
