/**
 * drain() while a drain runs: the running drain's workers come back for the rows enqueued since
 * (dispatcher.ts, the kick). A kick that lands while a worker's claim is on its way back, a claim
 * that ran before the rows were there and so finds nothing, must not be lost: the drain claims
 * again, and the new alert goes out now, not at the next scheduled drain minutes later.
 */
import { afterEach, expect, test } from 'vitest';
import { onPostgres } from '../../src/store/engine.ts';
import { openPostgres } from '../../src/store/postgres.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { AlertPipeline } from '../../src/alerts/pipeline.ts';
import { DecisionStore } from '../../src/store/decisions.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import type { Delivery, Notifier, SendResult } from '../../src/alerts/notifier.ts';
import { describeWithPostgres, freshPgDatabase } from '../helpers/postgres.ts';
import { pgProxy } from '../helpers/pg-proxy.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

describeWithPostgres('drain() while a drain runs', () => {
  test('GIVEN a worker whose claim found nothing is still waiting for its answer WHEN an alert is enqueued and drain() called THEN the running drain sends it', async () => {
    const d = await freshPgDatabase({ migrated: true });
    cleanups.push(() => d.drop());
    const proxy = await pgProxy(d.url);
    cleanups.push(() => proxy.close());
    const pg = await openPostgres(proxy.url, { what: 'test', max: 4 });
    cleanups.push(() => pg.close());
    const store = onPostgres(pg);
    const subs = new SubscriptionStore(store, { approachPct: 3, lang: 'en' });
    await subs.upsert('telegram', '1');
    const pipeline = new AlertPipeline(new DecisionStore(store), subs, { approachPct: 3, hysteresisPct: 1 });
    await pipeline.tick('spx-gold', { date: '2024-01-02', value: 2.3 }, 'close');
    expect((await pipeline.tick('spx-gold', { date: '2024-01-03', value: 2.6 }, 'close')).queued).toBe(1);

    let sent = 0;
    let claimHeld: ReturnType<typeof proxy.holdAnswer> | undefined;
    const notifier: Notifier = {
      platform: 'telegram',
      ratePerSecond: 1000,
      async send(_delivery: Delivery): Promise<SendResult> {
        sent += 1;
        // The worker's next claim (after this send is recorded) runs at the server and finds nothing;
        // its answer is kept back on the wire.
        if (sent === 1) claimHeld = proxy.holdAnswer('skip locked');
        return { kind: 'sent' };
      },
    };
    const dispatcher = new Dispatcher(new OutboxStore(store), subs, { notifiers: [notifier], concurrency: 1, leaseMs: 60_000 });
    const running = dispatcher.drain();
    await expect.poll(() => claimHeld).toBeDefined();
    await claimHeld!.seen;
    // Meanwhile the next close breaks back below, and its alert is enqueued and a drain asked for.
    expect((await pipeline.tick('spx-gold', { date: '2024-01-04', value: 2.4 }, 'close')).queued).toBe(1);
    const asked = dispatcher.drain();
    claimHeld!.release();
    const result = await running;
    await asked;
    expect(sent).toBe(2);
    expect(result.sent).toBe(2);
    expect(await new OutboxStore(store).pendingCount()).toBe(0);
  });
});
