/**
 * One chat's alerts arrive in the order of their dates: a catch-up queues them date by date across
 * the pairs, the dispatcher sends a chat's rows one after another (other chats side by side), and
 * a row sent later (a retry) holds that chat's later rows back.
 */
import { onSqlite } from '../../src/store/engine.ts';
import { afterEach, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/db.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { DecisionStore } from '../../src/store/decisions.ts';
import { AlertPipeline } from '../../src/alerts/pipeline.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import type { Delivery, Notifier, SendResult } from '../../src/alerts/notifier.ts';
import { localize, type Message } from '../../src/domain/message.ts';
import type { PairId } from '../../src/domain/instruments.ts';
import { writeDatabase } from '../helpers/sqlite-image.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

function setup(now: () => number = () => 1_000_000) {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-order-'));
  const db = openDatabase(writeDatabase(join(dir, 'test.db')));
  cleanups.push(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const subs = new SubscriptionStore(onSqlite(db), { approachPct: 3, lang: 'en' });
  const pipeline = new AlertPipeline(new DecisionStore(onSqlite(db)), subs, { approachPct: 3, hysteresisPct: 1, now });
  return { subs, pipeline, outbox: new OutboxStore(onSqlite(db)) };
}

/** A platform that takes `delay(d)` ms to answer a send and records, per chat, what arrived in which order. */
class SlowPlatform implements Notifier {
  readonly platform = 'telegram' as const;
  readonly ratePerSecond = 10_000;
  readonly arrived: { chatId: string; title: string }[] = [];
  inFlight = 0;
  maxInFlight = 0;
  constructor(
    readonly delay: (d: Delivery) => number = () => 0,
    readonly script: (d: Delivery) => SendResult = () => ({ kind: 'sent' }),
  ) {}
  async send(d: Delivery): Promise<SendResult> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((r) => setTimeout(r, this.delay(d)));
    this.inFlight--;
    const r = this.script(d);
    if (r.kind === 'sent') this.arrived.push({ chatId: d.chatId, title: d.message.title ?? '' });
    return r;
  }
  to(chatId: string): string[] {
    return this.arrived.filter((a) => a.chatId === chatId).map((a) => a.title);
  }
}

const dated = (date: string): Message => ({ title: { key: 'alert.basis.close', params: { date } }, lines: ['x'] });
const title = (date: string) => localize(dated(date), 'en').title!;

test('GIVEN a catch-up where QQQ/Gold breaks on the 3rd and SPX/Gold on the 5th THEN the chat gets QQQ/Gold first', async () => {
  const s = setup();
  await s.subs.upsert('telegram', '1');
  const dates = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'];
  const series: Record<PairId, number[]> = { 'spx-gold': [2.0, 2.05, 2.1, 2.05, 2.6], 'qqq-gold': [0.2, 0.2, 0.26, 0.26, 0.26] };
  const upTo = (n: number) => ({ ratio: (p: PairId) => series[p].slice(0, n).map((value, i) => ({ date: dates[i]!, value })) });
  await s.pipeline.catchUp(upTo(1));
  const r = await s.pipeline.catchUp(upTo(5));
  expect(r.events.map((e) => `${e.date} ${e.levelId} ${e.kind}`)).toEqual(['2024-01-03 qqq-gold-0.25 cross-up', '2024-01-05 spx-gold-2.5 cross-up']);
  const platform = new SlowPlatform((d) => (d.message.title?.includes('QQQ') ? 30 : 0));
  await new Dispatcher(s.outbox, s.subs, { notifiers: [platform], concurrency: 8 }).drain();
  const got = platform.to('1');
  expect(got).toHaveLength(2);
  expect(got[0]).toContain('QQQ/Gold');
  expect(got[1]).toContain('SPX/Gold');
});

test('GIVEN three alerts for one chat and one each for three others, the first slow THEN the chat gets them in order, the others meanwhile', async () => {
  const s = setup();
  const [a, b, c, d] = [
    await s.subs.upsert('telegram', 'a'),
    await s.subs.upsert('telegram', 'b'),
    await s.subs.upsert('telegram', 'c'),
    await s.subs.upsert('telegram', 'd'),
  ];
  await s.outbox.enqueue('alert', dated('2026-10-05'), [a.id, b.id, c.id, d.id]);
  await s.outbox.enqueue('alert', dated('2026-10-06'), [a.id]);
  await s.outbox.enqueue('alert', dated('2026-10-07'), [a.id]);
  const platform = new SlowPlatform((x) => (x.chatId === 'a' && x.message.title === title('2026-10-05') ? 40 : 0));
  expect(await new Dispatcher(s.outbox, s.subs, { notifiers: [platform], concurrency: 8 }).drain()).toMatchObject({ sent: 6 });
  expect(platform.to('a')).toEqual([title('2026-10-05'), title('2026-10-06'), title('2026-10-07')]);
  // The other chats did not wait for chat a's slow send.
  expect(
    platform.arrived
      .slice(0, 3)
      .map((x) => x.chatId)
      .sort(),
  ).toEqual(['b', 'c', 'd']);
  expect(platform.maxInFlight).toBeGreaterThan(1);
});

test('GIVEN the first of a chat’s alerts answered with a retry THEN its later ones wait for it, and all arrive in order', async () => {
  let now = 1_000_000;
  const s = setup(() => now);
  const a = await s.subs.upsert('telegram', 'a');
  const b = await s.subs.upsert('telegram', 'b');
  await s.outbox.enqueue('alert', dated('2026-10-05'), [a.id], { nowMs: now });
  await s.outbox.enqueue('alert', dated('2026-10-07'), [a.id, b.id], { nowMs: now });
  let failures = 1;
  const platform = new SlowPlatform(
    () => 0,
    (x) => (x.chatId === 'a' && x.message.title === title('2026-10-05') && failures-- > 0 ? { kind: 'retry', reason: 'Bad Gateway' } : { kind: 'sent' }),
  );
  const dispatcher = new Dispatcher(s.outbox, s.subs, { notifiers: [platform], concurrency: 8, now: () => now, backoffMs: 1000 });
  await dispatcher.drain();
  expect(platform.to('a')).toEqual([]);
  expect(platform.to('b')).toEqual([title('2026-10-07')]);
  now += 1000;
  await dispatcher.drain();
  expect(platform.to('a')).toEqual([title('2026-10-05'), title('2026-10-07')]);
});
