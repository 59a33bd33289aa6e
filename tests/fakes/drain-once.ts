/**
 * The part-crash children's common end (part-crash-child.ts, discord-, webhook-): one drain of the
 * outbox through the given notifier, then `drained N` on standard output and the database closed.
 * A child SIGKILLed mid-send never gets to print.
 */
import type { ChartRenderer } from '../../src/domain/chart-request.ts';
import type { Notifier } from '../../src/alerts/notifier.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import type { Db } from '../../src/store/db.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';

/** For a message that has no chart (a summary): drawing one would be a bug. */
export const NO_CHART: ChartRenderer = {
  render: async (): Promise<never> => {
    throw new Error('a summary has no chart');
  },
};

/**
 * One drain of the outbox through `notifier` by a new dispatcher, as a (re)started process's first:
 * how many messages it sent. The tests run a killed child's restart this way, in their own process.
 */
export async function drain(db: Db, notifier: Notifier, charts: ChartRenderer = NO_CHART): Promise<number> {
  const subs = new SubscriptionStore(onSqlite(db), { approachPct: 3, lang: 'en' });
  const r = await new Dispatcher(new OutboxStore(onSqlite(db)), subs, { notifiers: [notifier], charts }).drain();
  return r.sent;
}

export async function drainOnce(db: Db, notifier: Notifier, charts: ChartRenderer = NO_CHART): Promise<void> {
  const sent = await drain(db, notifier, charts);
  process.stdout.write(`drained ${sent}\n`);
  db.close();
}
