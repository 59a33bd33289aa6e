/**
 * A batch that outlasts its claim's lease (a slow platform, a long pause, an event loop stalled):
 * the sender extends the lease of what it has not finished while it sends, and never starts a send
 * whose lease may have run out, so another replica draining the same outbox never sends a chat the
 * same alert again. On both engines, with the real Telegram notifier against the fake Bot API.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { StoreDb } from '../../src/store/engine.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { Dispatcher, type ChatFate } from '../../src/alerts/dispatcher.ts';
import { notifierOnFake } from '../helpers/notifier-on-fake.ts';
import type { ChartRenderer } from '../../src/domain/chart-request.ts';
import type { Message } from '../../src/domain/message.ts';
import { memoryLogger } from '../../src/log.ts';
import { sleep } from '../../src/sleep.ts';
import { describeOnEngines } from '../helpers/engines.ts';
import { openDatabase } from '../../src/store/db.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { writeDatabase } from '../helpers/sqlite-image.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeTelegram } from '../fakes/telegram.ts';
import { blockEventLoop } from '../helpers/block.ts';

const MESSAGE: Message = { title: 'SPX/Gold', lines: ['broke below 2.5'] };
const noFate: ChatFate = { chatGone: async () => {}, move: async () => {} };

let fake: FakeTelegram;
beforeEach(async () => {
  fake = await FakeTelegram.start();
});
afterEach(() => fake.close());

/** `n` Telegram chats (ids from `from`), one alert queued to each; the chat ids. */
async function queued(db: StoreDb, n: number, from: number, message: Message = MESSAGE): Promise<string[]> {
  const now = Date.now();
  const chatIds = Array.from({ length: n }, (_, i) => String(from + i));
  const subs = await db.k
    .insertInto('subscriptions')
    .values(
      chatIds.map((chat_id) => ({
        platform: 'telegram',
        chat_id,
        pairs: '["spx-gold"]',
        level_ids: 'all',
        custom_levels: '[]',
        approach_pct: 3,
        lang: 'en',
        created_at: now,
        updated_at: now,
      })),
    )
    .returning('id')
    .execute();
  await new OutboxStore(db).enqueue(
    'alert',
    message,
    subs.map((s) => s.id),
    { nowMs: now - 1000 },
  );
  return chatIds;
}

/** A replica's sender: its own name on its claims, one send at a time, the whole queue as one batch. */
function replica(
  db: StoreDb,
  owner: string,
  leaseMs: number,
  extra: { charts?: ChartRenderer; log?: ReturnType<typeof memoryLogger>; concurrency?: number; claimBatch?: number } = {},
): Dispatcher {
  return new Dispatcher(new OutboxStore(db), noFate, {
    notifiers: [notifierOnFake(fake)],
    concurrency: 1,
    claimBatch: 50,
    leaseMs,
    owner,
    sole: false,
    ...extra,
  });
}

/** How many messages (text or photo) each of these chats got. */
const received = (chats: readonly string[]) => chats.map((c) => fake.callsTo('sendMessage', c).length + fake.callsTo('sendPhoto', c).length);

describeOnEngines('a batch that outlasts its lease', (open) => {
  test('GIVEN sends slower than the lease and a second replica draining the same outbox meanwhile THEN every chat gets the alert exactly once', async () => {
    const db = await open();
    const chats = await queued(db, 6, 81_000);
    // 6 sends of 300 ms, one at a time: the batch takes 1.8 s against a 500 ms lease.
    fake.slow('sendMessage', 300);
    try {
      const a = replica(db, 'replica-a', 500);
      const b = replica(db, 'replica-b', 500);
      let done = false;
      const first = a.drain().finally(() => (done = true));
      // The other replica's dispatch ticks, every 100 ms while the first batch is out.
      while (!done) {
        await b.drain();
        await sleep(100);
      }
      await first;
      // What a loaded machine made either sender give back (a late extension stops a batch) is sent now.
      for (let i = 0; i < 20 && (await new OutboxStore(db).pendingCount()) > 0; i++) await b.drain();
    } finally {
      fake.slow('sendMessage', 0);
    }
    expect(received(chats)).toEqual(chats.map(() => 1));
    const left = await db.k.selectFrom('outbox').select(['status', 'claimed_by']).execute();
    expect(left.every((r) => r.status === 'sent' && r.claimed_by === null)).toBe(true);
  }, 20_000);

  test('GIVEN two replicas each claiming its next batch while its slow sends are out, and a second alert queued meanwhile THEN every chat gets both, once each, in order', async () => {
    const db = await open();
    const chats = await queued(db, 12, 83_000);
    const outbox = new OutboxStore(db);
    // Batches of 4 over 3 workers, 150 ms a send: each replica claims ahead several times.
    fake.slow('sendMessage', 150);
    try {
      const a = replica(db, 'replica-a', 60_000, { concurrency: 3, claimBatch: 4 });
      const b = replica(db, 'replica-b', 60_000, { concurrency: 3, claimBatch: 4 });
      const first = [a.drain(), b.drain()];
      await sleep(200);
      const subs = await db.k.selectFrom('subscriptions').select('id').where('chat_id', 'in', chats).orderBy('id').execute();
      await outbox.enqueue(
        'alert',
        { ...MESSAGE, lines: ['broke above 2.5'] },
        subs.map((r) => r.id),
        { nowMs: Date.now() - 500 },
      );
      // Both replicas' dispatch ticks while the first alert is still going out.
      for (let i = 0; i < 40 && (await outbox.pendingCount()) > 0; i++) {
        await Promise.all([a.drain(), b.drain(), sleep(50)]);
      }
      await Promise.all(first);
    } finally {
      fake.slow('sendMessage', 0);
    }
    const texts = chats.map((c) => fake.callsTo('sendMessage', c).map((call) => String(call.params.text)));
    expect(texts.map((t) => t.map((x) => (x.includes('below') ? 'first' : x.includes('above') ? 'second' : x)))).toEqual(chats.map(() => ['first', 'second']));
  }, 20_000);

  test('GIVEN the event loop stalled past the lease before a send THEN that sender sends none of the batch, releases it, and the next sender sends each chat the alert once', async () => {
    const db = await open();
    const chats = await queued(db, 3, 82_000, { ...MESSAGE, chart: { kind: 'ratio', pair: 'spx-gold', range: '1Y' } });
    const leaseMs = 400;
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(256, 7)]);
    let stalls = 0;
    // The chart is drawn once per message: the first time, the event loop is held past the lease
    // (a synchronous stall: no timer runs meanwhile, so the lease cannot be extended either).
    const stalling: ChartRenderer = {
      render: async () => {
        if (stalls++ === 0) {
          blockEventLoop(leaseMs + 200);
        }
        return { png: Buffer.from(png), key: 'spx-gold|1Y', filename: 'chart.png' };
      },
    };
    const a = replica(db, 'replica-a', leaseMs, { charts: stalling });
    expect(await a.drain()).toMatchObject({ sent: 0 });
    expect(received(chats)).toEqual([0, 0, 0]);
    // Given back at once: the next sender need not wait out the lease.
    const claims = await db.k.selectFrom('outbox').select(['status', 'claimed_by']).execute();
    expect(claims).toEqual(chats.map(() => ({ status: 'pending', claimed_by: null })));
    const b = replica(db, 'replica-b', 60_000, { charts: stalling });
    expect(await b.drain()).toMatchObject({ sent: 3 });
    expect(received(chats)).toEqual([1, 1, 1]);
  }, 20_000);
});

describeOnEngines('a batch whose outcome is being written when its lease is extended', (open) => {
  test("GIVEN a chat gone, its row recorded dead while its unsubscription is still being written, and the batch's lease extended meanwhile THEN no row is said taken by another sender (there is none), and the other chat gets the alert once", async () => {
    const db = await open();
    const chats = await queued(db, 2, 84_000);
    fake.fault(chats[0]!, { kind: 'blocked' });
    const outbox = new OutboxStore(db);
    const subs = new SubscriptionStore(db, { approachPct: 3, lang: 'en' });
    const rows = await db.k.selectFrom('outbox').select('id').orderBy('id').execute();
    const other = rows[1]!.id;
    const claimedUntil = async () =>
      Number((await db.k.selectFrom('outbox').select('claimed_until').where('id', '=', other).executeTakeFirstOrThrow()).claimed_until);
    // The gone chat's unsubscription (the write after its row's) waits for two extensions of the
    // lease of the batch's other row: the second starts only once the first has judged its rows.
    // A 3 s lease, extended every second: the other row's send still has 2.5 s of it to start in
    // after the wait, however late a loaded machine runs the extensions.
    const fate: ChatFate = {
      chatGone: async (...a) => {
        let seen = await claimedUntil();
        for (let extended = 0; extended < 2; ) {
          await sleep(20);
          const now = await claimedUntil();
          if (now > seen) extended++;
          seen = now;
        }
        return subs.chatGone(...a);
      },
      move: (...a) => subs.move(...a),
    };
    const log = memoryLogger('info');
    const a = new Dispatcher(outbox, fate, {
      notifiers: [notifierOnFake(fake)],
      concurrency: 1,
      claimBatch: 50,
      leaseMs: 3000,
      owner: 'replica-a',
      sole: false,
      log,
    });
    expect(await a.drain()).toMatchObject({ sent: 1, dead: 1 });
    const delivered = chats.map((c) => fake.calls.filter((x) => x.chatId === c && x.status === 200 && x.method === 'sendMessage').length);
    expect(delivered).toEqual([0, 1]);
    expect(log.records.map((r) => String(r.msg)).filter((m) => /another sender|lease/.test(m))).toEqual([]);
  }, 20_000);
});

describe('a lease that could not be extended', () => {
  test("GIVEN another process holding SQLite's write lock past the lease while a send is slow, and a replica taking a row meanwhile THEN the failure is said once, that row is not sent from here, the others are, each chat once", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'goldratio-lease-'));
    const path = writeDatabase(join(dir, 'g.db'));
    const mine = openDatabase(path);
    const other = openDatabase(path);
    let drained: Promise<unknown> | undefined;
    try {
      const db = onSqlite(mine);
      const chats = await queued(db, 3, 83_000);
      const log = memoryLogger('info');
      fake.slow('sendMessage', 1500);
      const a = replica(db, 'replica-a', 600, { log });
      drained = a.drain();
      // The first send is out (held by the Bot API for 1.5 s); then another process takes the write lock.
      while (fake.held.length === 0) await sleep(10);
      const lease = await db.k.selectFrom('outbox').select(['id', 'claimed_until']).orderBy('id').execute();
      other.exec('BEGIN IMMEDIATE');
      // Held until the batch's first lease has run out: every extension meanwhile meets the lock.
      await sleep(Number(lease[0]!.claimed_until) - Date.now() + 30);
      other.exec('COMMIT');
      // Another replica claims the second chat's row (its claim's write, as claimDue makes it) at once:
      // one synchronous step, nothing of a runs between. (The first, out and past its lease, could
      // be taken too: a send in flight when the lease cannot be extended is the one that may repeat.)
      other.prepare(`UPDATE outbox SET claimed_by = 'replica-b', claimed_until = ? WHERE id = ?`).run(Date.now() + 60_000, lease[1]!.id);
      await drained;
      fake.slow('sendMessage', 0);
      // a sent the first and the third, not the one b took.
      expect(received(chats)).toEqual([1, 0, 1]);
      // b sends what it took (and whatever a gave back).
      await replica(onSqlite(other), 'replica-b', 60_000).drain();
      expect(received(chats)).toEqual([1, 1, 1]);
      const said = log.records.filter((r) => /lease|another sender/.test(String(r.msg))).map((r) => `${String(r.level)} ${String(r.msg)}`);
      expect(said).toEqual([
        expect.stringMatching(
          /^warn telegram: could not extend the lease of 3 claimed rows \(.*locked.*\); trying again, and no send starts while the lease may have run out$/i,
        ),
        "warn telegram: 1 claimed row of this batch was taken by another sender after this one's lease ran out; left to it, not sent from here",
      ]);
    } finally {
      fake.slow('sendMessage', 0);
      await drained?.catch(() => undefined);
      other.close();
      mine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 20_000);
});
