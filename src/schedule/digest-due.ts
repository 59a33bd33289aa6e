/**
 * The digest job, run each minute (and once at start: a digest at most 6 hours late is sent
 * then). It decides the slots due now in one transaction (store/digests enqueueDue: each slot's
 * outbox rows and its next due instant), then drains the outbox. Time comes from `now`.
 */
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { MarketSnapshot, MarketView } from '../store/market-view.ts';
import type { DigestStore, DueReport } from '../store/digests.ts';
import type { Dispatcher } from '../alerts/dispatcher.ts';
import { digestMessage, withoutCloseLine } from '../domain/digest.ts';
import { digestAt } from '../store/digest-view.ts';
import { crossingOptions } from '../store/story-view.ts';
import type { JobSpec } from './scheduler.ts';

/** The newest US close both ratios have (a digest speaks about both). */
export function lastUsClose(view: Pick<MarketSnapshot, 'ratio'>): string | undefined {
  const a = view.ratio('spx-gold').at(-1)?.date;
  const b = view.ratio('qqq-gold').at(-1)?.date;
  if (a === undefined || b === undefined) return undefined;
  return [a, b].sort()[0]; // ISO dates: the earlier of the two
}

export interface DigestDueDeps {
  readonly config: Config;
  readonly view: MarketView;
  readonly digests?: DigestStore;
  readonly dispatcher: Pick<Dispatcher, 'drain'>;
  readonly now: () => number;
  readonly log: Logger;
}

const NONE: DueReport = { queued: 0, duplicates: 0, noClose: 0, tooLate: 0, groups: 0 };

export async function digestTick(d: DigestDueDeps, signal?: AbortSignal): Promise<DueReport> {
  if (d.digests === undefined) return NONE;
  const log = d.log.child('digest');
  // One read of the data version per tick; the digest itself is built only when one is due.
  const snap = await d.view.snapshot();
  const due = await d.digests.enqueueDue(
    d.now(),
    lastUsClose(snap),
    (key) => {
      const data = digestAt(d.view, snap, crossingOptions(d.config));
      if (data === undefined) return undefined;
      const message = digestMessage(data);
      // Waited in vain for a close (`<last>:without:<missing>`): its first line says so, unless a pair
      // has that close after all (QQQ's missing, SPX's there): the digest is of it, and the other
      // pair's line says "as of" its own last close.
      const missing = /:without:(\d{4}-\d{2}-\d{2})$/.exec(key)?.[1];
      return missing !== undefined && data.date < missing ? { ...message, lines: [withoutCloseLine(missing, data.date), ...message.lines] } : message;
    },
    (what) => log.warn(what),
    (what) => log.info(what),
  );
  // An operator who set a slot to see it go is told why it did not, once per tick however many chats.
  if (due.closeless !== undefined)
    log.info(
      `${due.closeless.chats} chat(s) due with no US close since their last digest (weekend or holiday): next on ${new Date(due.closeless.nextAt).toISOString()}`,
    );
  if (due.queued > 0) {
    log.info(`${due.queued} digest(s) queued`);
    await d.dispatcher.drain(signal);
  }
  return due;
}

export function digestJob(d: DigestDueDeps): JobSpec {
  return { name: 'digest', cron: '* * * * *', timezone: 'UTC', run: (signal) => digestTick(d, signal) };
}
