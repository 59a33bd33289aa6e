/**
 * The alert path's stores on both engines, from one suite: the outbox (enqueue, outcomes, claims
 * and what ends them), events, the decision's unit of work (all or nothing, one fan-out per event),
 * and on PostgreSQL two dispatchers ("replicas") draining one outbox at once, with their chart
 * uploads shared through the database.
 */
import { afterEach, expect, test } from 'vitest';
import { sql } from 'kysely';
import type { StoreDb } from '../../src/store/engine.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { EventStore, type NewLevelEvent } from '../../src/store/events.ts';
import { DecisionStore, type PointDecision } from '../../src/store/decisions.ts';
import { ChartUploadStore } from '../../src/store/chart-uploads.ts';
import { runUnit } from '../../src/store/unit.ts';
import { Dispatcher, type ChatFate } from '../../src/alerts/dispatcher.ts';
import { sharedUploads } from '../../src/alerts/upload-once.ts';
import type { Delivery, Notifier, SendResult } from '../../src/alerts/notifier.ts';
import { notifierOnFake } from '../helpers/notifier-on-fake.ts';
import { alertMessage } from '../../src/domain/alert-message.ts';
import type { Message } from '../../src/domain/message.ts';
import { describeOnEngines } from '../helpers/engines.ts';
import { describeWithPostgres, twoPgHandles } from '../helpers/postgres.ts';
import { FakeTelegram } from '../fakes/telegram.ts';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const MESSAGE: Message = { title: 'SPX/Gold', lines: ['broke above 2.5'] };

/** `n` active chats (Telegram, ids 1000…), each watching `watchKey` (and approach alerts when `approach`); their ids. */
async function chats(db: StoreDb, n: number, opts: { watchKey?: string; platform?: string; from?: number } = {}): Promise<number[]> {
  const from = opts.from ?? 1000;
  const rows = await db.k
    .insertInto('subscriptions')
    .values(
      Array.from({ length: n }, (_, i) => ({
        platform: opts.platform ?? 'telegram',
        chat_id: String(from + i),
        pairs: '["spx-gold"]',
        level_ids: 'all',
        custom_levels: '[]',
        approach_pct: 3,
        lang: i % 2 === 0 ? 'en' : 'zh-TW',
        created_at: NOW,
        updated_at: NOW,
      })),
    )
    .returning('id')
    .execute();
  const ids = rows.map((r) => r.id);
  if (opts.watchKey !== undefined) {
    const key = opts.watchKey;
    await db.k
      .insertInto('sub_watches')
      .values(
        ids.map((id) => ({
          watch_key: key,
          subscription_id: id,
          pair: 'spx-gold',
          level_id: 'spx-gold-2.5',
          low: 2.5,
          high: 2.5,
          approach_pct: 3,
          wants_approach: 1,
          approach_only: 0,
        })),
      )
      .execute();
  }
  return ids;
}

const event = (over: Partial<NewLevelEvent> = {}): NewLevelEvent => ({
  date: '2026-06-01',
  pair: 'spx-gold',
  levelId: 'spx-gold-2.5',
  watchKey: 'spx-gold-2.5',
  kind: 'cross-up',
  direction: 'up',
  value: 2.51,
  levelValue: 2.5,
  basis: 'close',
  createdAt: NOW,
  ...over,
});

describeOnEngines('the outbox', (open) => {
  test('GIVEN a digest for three chats, one inactive THEN two rows, one message, and the same key again queues nothing', async () => {
    const db = await open();
    const outbox = new OutboxStore(db);
    const ids = await chats(db, 3);
    await db.k.updateTable('subscriptions').set({ active: 0 }).where('id', '=', ids[2]!).execute();
    const first = await outbox.enqueue('digest', MESSAGE, ids, { dedupeKey: 'digest:2026-06-01', nowMs: NOW });
    expect(first.queued).toBe(2);
    expect(await outbox.enqueue('digest', MESSAGE, ids, { dedupeKey: 'digest:2026-06-01', nowMs: NOW })).toEqual({ messageId: first.messageId, queued: 0 });
    const due = await outbox.due('telegram', NOW, 10);
    expect(due.map((r) => [r.kind, r.chatId, r.lang, r.messageId, r.partsSent])).toEqual([
      ['digest', '1000', 'en', first.messageId, 0],
      ['digest', '1001', 'zh-TW', first.messageId, 0],
    ]);
    expect(JSON.parse(due[0]!.body)).toEqual(MESSAGE);
    expect(await outbox.pendingCount()).toBe(2);
    expect(await outbox.pendingCount('discord')).toBe(0);
    expect(await outbox.pendingPlatforms()).toEqual(['telegram']);
    expect(await outbox.pendingByPlatform()).toEqual([{ platform: 'telegram', pending: 2 }]);
    expect(await outbox.nextDue('telegram')).toBe(0);
    expect(await outbox.nextDue('discord')).toBeUndefined();
  });

  test('GIVEN 1,200 chats THEN one enqueue writes a row for each (chunked under the parameter limits)', async () => {
    const db = await open();
    const ids = await chats(db, 1200);
    expect((await new OutboxStore(db).enqueue('alert', MESSAGE, ids, { nowMs: NOW })).queued).toBe(1200);
  });

  test('GIVEN claimed rows THEN each outcome is recorded and ends the claim; parts keep it; release ends it without an outcome', async () => {
    const db = await open();
    const outbox = new OutboxStore(db);
    await outbox.enqueue('alert', MESSAGE, await chats(db, 5), { nowMs: NOW });
    const lease = { owner: 'replica-a', leaseMs: 60_000 };
    const [a, b, c, d, e] = await outbox.claim('telegram', NOW, 10, lease);
    expect((await outbox.row(a!.id))?.claimedBy).toBe('replica-a');
    await outbox.markPartsSent(a!.id, 1, 'en');
    expect(await outbox.row(a!.id)).toMatchObject({ partsSent: 1, claimedBy: 'replica-a' });
    await outbox.markSent(a!.id, NOW + 1);
    await outbox.reschedule(b!.id, NOW + 5_000, '502 Bad Gateway');
    await outbox.defer(c!.id, NOW + 9_000, 'platform paused');
    await outbox.markDead(d!.id, 'bot was blocked by the user');
    await outbox.release([e!.id]);
    expect(await outbox.row(a!.id)).toMatchObject({ status: 'sent', attempts: 1, partsSent: 1, claimedBy: null });
    expect(await outbox.row(b!.id)).toMatchObject({ status: 'pending', attempts: 1, nextAt: NOW + 5_000, lastError: '502 Bad Gateway', claimedBy: null });
    expect(await outbox.row(c!.id)).toMatchObject({ status: 'pending', attempts: 0, nextAt: NOW + 9_000, lastError: 'platform paused', claimedBy: null });
    expect(await outbox.row(d!.id)).toMatchObject({ status: 'dead', attempts: 1, lastError: 'bot was blocked by the user', claimedBy: null });
    expect(await outbox.row(e!.id)).toMatchObject({ status: 'pending', claimedBy: null });
    // Another replica takes the released row at once, the rescheduled ones when they are due (and
    // its own claim again: a row of its own that it does not name as still being sent was left unsent).
    expect((await outbox.claim('telegram', NOW + 1, 10, { owner: 'replica-b', leaseMs: 60_000 })).map((r) => r.id)).toEqual([e!.id]);
    expect((await outbox.claim('telegram', NOW + 2, 10, { owner: 'replica-c', leaseMs: 60_000 })).map((r) => r.id)).toEqual([]);
    expect((await outbox.claim('telegram', NOW + 9_000, 10, { owner: 'replica-c', leaseMs: 60_000 })).map((r) => r.id)).toEqual([b!.id, c!.id]);
    expect((await outbox.claim('telegram', NOW + 9_001, 10, { owner: 'replica-b', leaseMs: 60_000 })).map((r) => r.id)).toEqual([e!.id]);
  });

  test("GIVEN a sender still sending some of its batch THEN its next claim leaves those rows out, and their chats' later rows wait for them", async () => {
    const db = await open();
    const outbox = new OutboxStore(db);
    const ids = await chats(db, 3);
    await outbox.enqueue('alert', MESSAGE, ids, { nowMs: NOW });
    await outbox.enqueue('alert', { ...MESSAGE, lines: ['broke below 2.5'] }, ids, { nowMs: NOW + 1 });
    const lease = { owner: 'replica-a', leaseMs: 60_000 };
    const [a, b, c] = await outbox.claim('telegram', NOW + 2, 3, lease);
    expect(new Set([a, b, c].map((r) => r?.chatId)).size).toBe(3);
    await outbox.markSent(a!.id, NOW + 3);
    // b and c are still out (a slow receiver): the claim ahead takes only the first chat's next row.
    const next = await outbox.claim('telegram', NOW + 4, 10, lease, [b!.id, c!.id]);
    expect(next.map((r) => r.chatId)).toEqual([a!.chatId]);
    expect(next[0]!.id).not.toBe(a!.id);
    // Once they are done, their chats' next rows come.
    await outbox.markSent(b!.id, NOW + 5);
    await outbox.release([c!.id], lease.owner);
    // c was released, so it comes first (its due time is the earliest), then both chats' next rows.
    expect((await outbox.claim('telegram', NOW + 6, 10, lease, [next[0]!.id])).map((r) => r.chatId)).toEqual([c!.chatId, b!.chatId, c!.chatId]);
  });

  test("GIVEN rows claimed by a process that died THEN a sole sender ends those claims, and a sender takes its own claims again but never another's in its lease", async () => {
    const db = await open();
    const outbox = new OutboxStore(db);
    await outbox.enqueue('alert', MESSAGE, await chats(db, 3), { nowMs: NOW });
    const dead = await outbox.claim('telegram', NOW, 2, { owner: 'host:1', leaseMs: 120_000 });
    expect(dead).toHaveLength(2);
    const mine = await outbox.claim('telegram', NOW, 10, { owner: 'host:2', leaseMs: 120_000 });
    expect(mine).toHaveLength(1);
    expect((await outbox.claim('telegram', NOW + 1, 10, { owner: 'host:2', leaseMs: 120_000 })).map((r) => r.id)).toEqual(mine.map((r) => r.id));
    expect(await outbox.releaseOthers('host:2')).toBe(2);
    expect(await outbox.claim('telegram', NOW + 2, 10, { owner: 'host:2', leaseMs: 120_000 })).toHaveLength(3);
  });
});

describeOnEngines('events', (open) => {
  test('GIVEN events on two pairs THEN recent lists the newest first, by pair when asked, and byId reads one', async () => {
    const db = await open();
    const events = new EventStore(db);
    const a = await runUnit(db, () => events.insert(event()));
    const b = await runUnit(db, () =>
      events.insert(event({ pair: 'qqq-gold', levelId: 'qqq-gold-0.25', watchKey: 'qqq-gold-0.25', value: 0.26, levelValue: 0.25 })),
    );
    const c = await runUnit(db, () => events.insert(event({ date: '2026-06-02', kind: 'cross-down', direction: 'down', value: 2.49 })));
    expect((await events.recent(10)).map((e) => e.id)).toEqual([c, b, a]);
    expect((await events.recent(10, 'spx-gold')).map((e) => e.id)).toEqual([c, a]);
    expect(await events.recent(1)).toHaveLength(1);
    expect(await events.byId(b)).toEqual({
      id: b,
      date: '2026-06-01',
      pair: 'qqq-gold',
      levelId: 'qqq-gold-0.25',
      kind: 'cross-up',
      direction: 'up',
      value: 0.26,
      levelValue: 0.25,
      basis: 'close',
      createdAt: NOW,
    });
    expect(await events.byId(999)).toBeUndefined();
  });

  test('GIVEN breaks, an approach and a withdrawn break on some watches, before and after a moment THEN since counts the breaks of those watches from then, not withdrawn, and returns the latest, in one read', async () => {
    const db = await open();
    const events = new EventStore(db);
    const add = (over: Partial<NewLevelEvent>) => runUnit(db, () => events.insert(event(over)));
    await add({ createdAt: NOW - 10 });
    const a = await add({ createdAt: NOW });
    await add({ kind: 'approach', createdAt: NOW + 1 });
    await add({ pair: 'qqq-gold', levelId: 'qqq-gold-0.25', watchKey: 'qqq-gold-0.25', value: 0.26, levelValue: 0.25, createdAt: NOW + 2 });
    const b = await add({ date: '2026-06-02', kind: 'cross-down', direction: 'down', value: 2.49, createdAt: NOW + 3 });
    const withdrawn = await add({ date: '2026-06-03', createdAt: NOW + 4 });
    await runUnit(db, () => events.withdraw(withdrawn, NOW + 5));
    expect(await events.since(['spx-gold-2.5'], NOW)).toEqual({ count: 2, latest: await events.byId(b) });
    expect(await events.since(['spx-gold-2.5', 'qqq-gold-0.25'], NOW + 2)).toEqual({ count: 2, latest: await events.byId(b) });
    expect(await events.since(['spx-gold-2.5'], NOW - 10)).toMatchObject({ count: 3 });
    expect(await events.since(['spx-gold-5.5'], 0)).toEqual({ count: 0 });
    expect(await events.since([], 0)).toEqual({ count: 0 });
    expect(a).toBeLessThan(b);
  });
});

describeOnEngines('the decision unit', (open) => {
  const decision = (over: Partial<PointDecision> = {}): PointDecision => ({
    pair: 'spx-gold',
    point: { date: '2026-06-01', value: 2.51 },
    isClose: true,
    nowMs: NOW,
    states: [{ key: 'spx-gold-2.5', pair: 'spx-gold', state: { side: 'above' } as never }],
    events: [{ event: event(), isApproach: false, message: alertMessage(event()) }],
    ...over,
  });

  test('GIVEN an event for a watch of 300 chats (one muted, one inactive) THEN states, event, message, rows and cursor land together', async () => {
    const db = await open();
    const ids = await chats(db, 300, { watchKey: 'spx-gold-2.5' });
    await chats(db, 5, { watchKey: 'spx-gold-1.8', from: 5000 });
    await db.k
      .updateTable('subscriptions')
      .set({ muted_until: NOW + 1 })
      .where('id', '=', ids[0]!)
      .execute();
    await db.k.updateTable('subscriptions').set({ active: 0 }).where('id', '=', ids[1]!).execute();
    const store = new DecisionStore(db);
    const r = await store.record(decision());
    expect(r.queued).toBe(298);
    expect(r.events).toMatchObject([{ pair: 'spx-gold', levelId: 'spx-gold-2.5', kind: 'cross-up' }]);
    expect(await store.states()).toEqual(new Map([['spx-gold-2.5', { side: 'above' }]]));
    expect(await store.cursor('spx-gold')).toEqual({ date: '2026-06-01', value: 2.51, lastCloseDate: '2026-06-01', lastCloseValue: 2.51 });
    const outbox = new OutboxStore(db);
    expect(await outbox.pendingCount('telegram')).toBe(298);
    const [row] = await outbox.due('telegram', NOW, 1);
    expect(JSON.parse(row!.body)).toEqual(alertMessage(event()));
    // A close keeps the states it found (its move watches' too), so a correction of it can be decided again.
    expect(await store.undo('spx-gold')).toEqual({ date: '2026-06-01', states: {}, moves: {} });
    // A live point moves the cursor, never the last decided close (nor the ratio it was decided at).
    await store.record(decision({ point: { date: '2026-06-02', value: 2.6 }, isClose: false, states: [], events: [] }));
    expect(await store.cursor('spx-gold')).toEqual({ date: '2026-06-02', value: 2.6, lastCloseDate: '2026-06-01', lastCloseValue: 2.51 });
    // A quiet one leaves the close's undo record; one that decides something ends it.
    expect(await store.undo('spx-gold')).not.toBeNull();
    await store.record(decision({ point: { date: '2026-06-02', value: 2.4 }, isClose: false }));
    expect(await store.undo('spx-gold')).toBeNull();
  });

  test('GIVEN a decision that fails half-way THEN nothing of it is written', async () => {
    const db = await open();
    await chats(db, 10, { watchKey: 'spx-gold-2.5' });
    // The first event will get id 1: a message already under its key makes the unit fail after the event and state are written.
    await db.k.insertInto('messages').values({ kind: 'alert', body: '{"lines":[]}', dedupe_key: 'event:1', created_at: NOW }).execute();
    const store = new DecisionStore(db);
    await expect(store.record(decision())).rejects.toThrow(/unique|UNIQUE/);
    expect(await store.states()).toEqual(new Map());
    expect(await store.cursor('spx-gold')).toBeUndefined();
    expect(await new EventStore(db).recent(10)).toEqual([]);
    expect(await new OutboxStore(db).pendingCount()).toBe(0);
  });
});

/** A notifier that counts what each chat got, after a short wait like a platform's answer. */
class Counting implements Notifier {
  readonly platform = 'telegram' as const;
  readonly ratePerSecond = 100_000;
  readonly got = new Map<string, number>();
  async send(d: Delivery): Promise<SendResult> {
    await new Promise((r) => setTimeout(r, 1 + (Number(d.chatId) % 3)));
    this.got.set(d.chatId, (this.got.get(d.chatId) ?? 0) + 1);
    await d.partSent(0);
    return { kind: 'sent' };
  }
}

/** Every result in these tests is "sent": a chat that is gone or moved would be a bug here. */
const noFate: ChatFate = {
  chatGone: () => {
    throw new Error('no chat is gone in this test');
  },
  move: () => {
    throw new Error('no chat moves in this test');
  },
};

describeWithPostgres('two replicas on one PostgreSQL outbox', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const f of cleanups.splice(0).reverse()) await f();
  });
  const twoReplicas = () => twoPgHandles((f) => cleanups.push(f));

  test('GIVEN 1,500 chats and two dispatchers draining at once THEN every chat gets the message exactly once, and both sent', async () => {
    const [a, b] = await twoReplicas();
    await new OutboxStore(a).enqueue('alert', MESSAGE, await chats(a, 1500), { nowMs: NOW });
    const na = new Counting();
    const nb = new Counting();
    // Small batches, so the two take turns through the queue as replicas of a slow platform would.
    const opts = { concurrency: 16, now: () => NOW, claimBatch: 50 };
    const [ra, rb] = await Promise.all([
      new Dispatcher(new OutboxStore(a), noFate, { ...opts, notifiers: [na], owner: 'replica-a' }).drain(),
      new Dispatcher(new OutboxStore(b), noFate, { ...opts, notifiers: [nb], owner: 'replica-b' }).drain(),
    ]);
    expect(ra.sent + rb.sent).toBe(1500);
    expect(ra.sent).toBeGreaterThan(0);
    expect(rb.sent).toBeGreaterThan(0);
    const got = new Map<string, number>();
    for (const n of [na, nb]) for (const [chat, k] of n.got) got.set(chat, (got.get(chat) ?? 0) + k);
    expect(got.size).toBe(1500);
    expect([...got.values()].every((k) => k === 1)).toBe(true);
    const left = await sql<{ n: number }>`SELECT count(*) AS n FROM outbox WHERE status <> 'sent' OR claimed_by IS NOT NULL`.execute(a.k);
    expect(Number(left.rows[0]!.n)).toBe(0);
    // 1,500 sends through PostgreSQL took 19-23 s beside other test files on 2 cores, and over 30 s
    // with more load: a bound for a hang, not a measure of speed (bench/ measures it).
  }, 90_000);

  test('GIVEN an alert with a chart and two replicas sending it to 40 Telegram chats at once THEN the chart is uploaded once and every other chat gets its file_id', async () => {
    const [a, b] = await twoReplicas();
    const fake = await FakeTelegram.start();
    cleanups.push(() => fake.close());
    const ids = await chats(a, 40, { from: 7000 });
    await new OutboxStore(a).enqueue('alert', { ...MESSAGE, chart: { kind: 'ratio', pair: 'spx-gold', range: '1Y' } }, ids, { nowMs: NOW });
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(512, 7)]);
    // Each replica draws the chart itself (the same PNG for the same message and data). Neither
    // sends before both have claimed rows and drawn it: on a loaded machine one replica could
    // otherwise send all 40 before the other's first claim (CI saw it once).
    let drawn = 0;
    let bothDrawn: () => void = () => {};
    const both = new Promise<void>((r) => (bothDrawn = r));
    const charts = {
      render: async () => {
        if (++drawn === 2) bothDrawn();
        await Promise.race([both, new Promise((r) => setTimeout(r, 5000))]);
        return { png: Buffer.from(png), key: 'spx-gold|1Y', filename: 'chart.png' };
      },
    };
    const replica = (db: StoreDb, owner: string) =>
      new Dispatcher(new OutboxStore(db), noFate, {
        notifiers: [notifierOnFake(fake, { sharedUploads: sharedUploads(new ChartUploadStore(db), 'telegram') })],
        charts,
        concurrency: 4,
        claimBatch: 5,
        owner,
      });
    const [ra, rb] = await Promise.all([replica(a, 'replica-a').drain(), replica(b, 'replica-b').drain()]);
    expect(ra.sent + rb.sent).toBe(40);
    expect(ra.sent).toBeGreaterThan(0);
    expect(rb.sent).toBeGreaterThan(0);
    expect(fake.uploads()).toHaveLength(1);
    for (const id of ids) expect(fake.callsTo('sendPhoto', String(7000 + ids.indexOf(id)))).toHaveLength(1);
    const stored = await a.k.selectFrom('chart_uploads').select(['platform', 'ref']).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.ref).not.toBe('');
  });
});
