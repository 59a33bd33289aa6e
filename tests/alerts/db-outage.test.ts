/**
 * PostgreSQL going away under a send: the message was delivered, its record could not be written.
 * The dispatcher keeps that record and writes it when the server is back (within the claim's
 * lease, before anyone else may take the row), so the chat is not sent the alert a second time.
 */
import { afterEach, expect, test } from 'vitest';
import { sql } from 'kysely';
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
import { memoryLogger } from '../../src/log.ts';
import { until } from '../helpers/replicas.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

/** A migrated database reached through a proxy that can cut it, with `chats` subscribed and one break queued to each. */
async function world(chats: readonly string[], poolMax: number) {
  const d = await freshPgDatabase({ migrated: true });
  cleanups.push(() => d.drop());
  const proxy = await pgProxy(d.url);
  cleanups.push(() => proxy.close());
  const pg = await openPostgres(proxy.url, { what: 'test', max: poolMax });
  cleanups.push(() => pg.close());
  const store = onPostgres(pg);
  const subs = new SubscriptionStore(store, { approachPct: 3, lang: 'en' });
  for (const chat of chats) await subs.upsert('telegram', chat);
  const pipeline = new AlertPipeline(new DecisionStore(store), subs, { approachPct: 3, hysteresisPct: 1 });
  await pipeline.tick('spx-gold', { date: '2024-01-02', value: 2.3 }, 'close');
  expect((await pipeline.tick('spx-gold', { date: '2024-01-03', value: 2.6 }, 'close')).queued).toBe(chats.length);
  const log = memoryLogger('info');
  /** The outbox rows by status, and the log lines that speak of the database (level and message only). */
  const outcome = async () => ({
    rows: (await sql<{ status: string; n: number }>`SELECT status, count(*)::int AS n FROM outbox GROUP BY status`.execute(store.k)).rows,
    said: log.records.filter((r) => /database/.test(String(r.msg))).map((r) => `${String(r.level)} ${String(r.msg)}`),
  });
  return { proxy, store, subs, log, outcome };
}

describeWithPostgres('the database gone during a send', () => {
  test('GIVEN PostgreSQL unreachable right after a delivery THEN its record is written when the server is back and the chat gets the alert once', async () => {
    const { proxy, subs, store, log, outcome } = await world(['1', '2', '3'], 2);

    const got: string[] = [];
    let restored: Promise<void> | undefined;
    const notifier: Notifier = {
      platform: 'telegram',
      ratePerSecond: 1000,
      async send(delivery: Delivery): Promise<SendResult> {
        got.push(delivery.chatId);
        // Delivered; the server goes away before the dispatcher can say so, and is back in a second.
        if (got.length === 1) restored = proxy.outage(1000);
        return { kind: 'sent' };
      },
    };
    const dispatcher = new Dispatcher(new OutboxStore(store), subs, { notifiers: [notifier], concurrency: 1, leaseMs: 60_000, log });
    await dispatcher.drain().catch(() => undefined);
    await restored;
    // What the first drain left (released, or still its own claim) the next one sends.
    await dispatcher.drain();

    expect(got.toSorted()).toEqual(['1', '2', '3']);
    const { rows, said } = await outcome();
    expect(rows).toEqual([{ status: 'sent', n: 3 }]);
    // One line when the record meets the outage, one when it is written.
    expect(said).toEqual([
      expect.stringMatching(
        /^warn telegram: the database cannot be reached \(.+\) to record what was sent: 1 delivery \(sent, or still sending\) waits to be recorded and no new send starts; recording it again until the database is back$/,
      ),
      expect.stringMatching(/^info telegram: the database is back: 1 delivery recorded after \d+ s$/),
    ]);
    expect(log.lines.join('\n')).not.toMatch(/\n\s+at /);
  }, 30_000);

  test('GIVEN 40 sends in flight when PostgreSQL goes away THEN one warn line names how many wait, one info line says they are recorded, and each chat gets the alert once', async () => {
    const chats = Array.from({ length: 40 }, (_, i) => String(i + 1));
    const { proxy, subs, store, log, outcome } = await world(chats, 4);

    const got: string[] = [];
    // Every send is out (a paid broadcast's many in flight) when the server goes away; it is back a second later.
    let allOut!: () => void;
    const out = new Promise<void>((r) => (allOut = r));
    let restored: Promise<void> | undefined;
    const notifier: Notifier = {
      platform: 'telegram',
      ratePerSecond: 1000,
      async send(delivery: Delivery): Promise<SendResult> {
        got.push(delivery.chatId);
        if (got.length === 40) {
          restored = proxy.outage(1000);
          allOut();
        }
        await out;
        return { kind: 'sent' };
      },
    };
    const dispatcher = new Dispatcher(new OutboxStore(store), subs, {
      notifiers: [notifier],
      concurrency: 40,
      leaseMs: 60_000,
      unreachableRetryMs: 200,
      log,
    });
    await dispatcher.drain().catch(() => undefined);
    await restored;
    await dispatcher.drain();

    expect(got.toSorted()).toEqual(chats.toSorted());
    const { rows, said } = await outcome();
    expect(rows).toEqual([{ status: 'sent', n: 40 }]);
    // The warn names the 40 sends out when the first record met the outage; the info line accounts
    // for the same 40: those that waited, and (on a loaded machine, whose later records come after
    // the outage's second) the others, written at their first try. "14 recorded" alone read as 26
    // lost. One line each, never one per delivery.
    expect(said).toEqual([
      expect.stringMatching(
        /^warn telegram: the database cannot be reached \(.+\) to record what was sent: 40 deliveries \(sent, or still sending\) wait to be recorded/,
      ),
      expect.stringMatching(
        /^info telegram: the database is back: 40 deliveries recorded after \d+ s( \(([1-9]|[1-3]\d) waited; the other ([1-9]|[1-3]\d) (was|were) recorded at the first try\))?$/,
      ),
    ]);
  }, 30_000);

  test('GIVEN a delivery waiting for an unreachable database THEN a process that stops gives its record up at once instead of waiting out the lease', async () => {
    const { proxy, subs, store, log } = await world(['1'], 2);
    const notifier: Notifier = {
      platform: 'telegram',
      ratePerSecond: 1000,
      async send(): Promise<SendResult> {
        proxy.cut();
        return { kind: 'sent' };
      },
    };
    const dispatcher = new Dispatcher(new OutboxStore(store), subs, {
      notifiers: [notifier],
      concurrency: 1,
      leaseMs: 600_000,
      unreachableRetryMs: 50,
      log,
    });
    const drained = dispatcher.drain().then(
      () => 'resolved',
      (e: unknown) => `rejected: ${(e as Error).message}`,
    );
    // Once the record is seen waiting for the server (a fixed 500 ms could come before the send on a
    // loaded machine, and then nothing waited to be given up).
    await until('the record waiting for the server', () => log.lines.some((l) => /cannot be reached .* to record what was sent/.test(l)), 20_000);
    const t0 = Date.now();
    dispatcher.abandonUnrecorded();
    expect(await drained).toMatch(/^rejected: /);
    // At once: within a few of its 50 ms retries, far from the claim's 600 s lease.
    expect(Date.now() - t0).toBeLessThan(10_000);
  }, 30_000);
});
