import { onSqlite } from '../../src/store/engine.ts';
import { afterEach, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { EventStore } from '../../src/store/events.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { alertMessage } from '../../src/domain/alert-message.ts';
import type { StoreDb } from '../../src/store/engine.ts';
import { runUnit, type Unit } from '../../src/store/unit.ts';
import { writeDatabase } from '../helpers/sqlite-image.ts';

/** Runs one step of a unit of work (an insert, a fan-out) as its own unit. */
const step = <T>(db: StoreDb, s: Unit<T>): Promise<T> =>
  runUnit(db, function* () {
    return yield* s;
  });

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

function tempDb(): Db {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-alerts-'));
  const db = openDatabase(writeDatabase(join(dir, 'test.db')));
  cleanups.push(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return db;
}

describe('subscription store', () => {
  test('GIVEN a new chat THEN upsert creates it active with the defaults', async () => {
    const subs = new SubscriptionStore(onSqlite(tempDb()), { approachPct: 3, lang: 'en' });
    const s = await subs.upsert('telegram', '42');
    expect(s).toMatchObject({
      platform: 'telegram',
      chatId: '42',
      active: true,
      pairs: ['spx-gold', 'qqq-gold'],
      levelIds: 'all',
      customLevels: [],
      approachPct: 3,
      mutedUntil: null,
      lang: 'en',
      digestTime: null,
      timezone: 'UTC',
      deactivatedReason: null,
    });
    expect(await subs.get('telegram', '42')).toEqual(s);
    expect(await subs.get('discord', '42')).toBeUndefined();
    expect(await subs.countActive()).toBe(1);
  });

  test('GIVEN an existing chat THEN upsert applies only the patch and keeps the id', async () => {
    const subs = new SubscriptionStore(onSqlite(tempDb()), { approachPct: 3, lang: 'en' });
    const a = await subs.upsert('telegram', '42');
    const b = await subs.upsert('telegram', '42', { lang: 'zh-TW', customLevels: [{ pair: 'spx-gold', value: 1.8 }], pairs: ['spx-gold'] });
    expect(b.id).toBe(a.id);
    expect(await subs.get('telegram', '42')).toMatchObject({
      lang: 'zh-TW',
      pairs: ['spx-gold'],
      customLevels: [{ pair: 'spx-gold', value: 1.8 }],
      approachPct: 3,
    });
    expect((await subs.extraWatches()).map((w) => w.key)).toEqual(['spx-gold-custom-1.8@3']);
  });

  test('GIVEN deactivate and a later upsert THEN the chat is inactive, then active again', async () => {
    const subs = new SubscriptionStore(onSqlite(tempDb()), { approachPct: 3, lang: 'en' });
    await subs.upsert('discord', 'c1');
    await subs.deactivate('discord', 'c1', 'blocked');
    expect(await subs.get('discord', 'c1')).toMatchObject({ active: false, deactivatedReason: 'blocked' });
    expect(await subs.countActive()).toBe(0);
    await subs.upsert('discord', 'c1', { active: true, deactivatedReason: null });
    expect(await subs.countActive()).toBe(1);
  });

  test('GIVEN a group that became a supergroup THEN the subscription and its pending rows move', async () => {
    const db = tempDb();
    const subs = new SubscriptionStore(onSqlite(db), { approachPct: 3, lang: 'en' });
    const sdb = onSqlite(db);
    const events = new EventStore(sdb);
    const outbox = new OutboxStore(sdb);
    const s = await subs.upsert('telegram', '-100');
    const id = await step(
      sdb,
      events.insert({
        date: '2024-01-02',
        pair: 'spx-gold',
        levelId: 'spx-gold-2.5',
        watchKey: 'spx-gold-2.5',
        kind: 'cross-up',
        direction: 'up',
        value: 2.51,
        levelValue: 2.5,
        basis: 'close',
        createdAt: 1,
      }),
    );
    const message = await step(sdb, outbox.addMessage('alert', alertMessage((await events.byId(id))!), `event:${id}`, 1));
    expect(await step(sdb, outbox.fanOut(message, 'spx-gold-2.5', false, 1))).toBe(1);
    await subs.move('telegram', '-100', '-100200');
    expect(await subs.get('telegram', '-100')).toBeUndefined();
    expect((await subs.get('telegram', '-100200'))?.id).toBe(s.id);
    expect((await outbox.due('telegram', 1, 10)).map((r) => r.chatId)).toEqual(['-100200']);
    expect(await events.recent(5)).toMatchObject([{ id, levelId: 'spx-gold-2.5', kind: 'cross-up' }]);
    expect((await events.byId(id))?.value).toBe(2.51);
  });

  test('GIVEN a muted chat and a chat without the pair THEN fan-out skips both', async () => {
    const db = tempDb();
    const subs = new SubscriptionStore(onSqlite(db), { approachPct: 3, lang: 'en' });
    const sdb = onSqlite(db);
    const events = new EventStore(sdb);
    const outbox = new OutboxStore(sdb);
    await subs.upsert('console', 'a');
    await subs.upsert('console', 'muted', { mutedUntil: 5_000 });
    await subs.upsert('console', 'qqq-only', { pairs: ['qqq-gold'] });
    await subs.upsert('console', 'own-approach', { approachPct: 5 });
    const id = await step(
      sdb,
      events.insert({
        date: '2024-01-02',
        pair: 'spx-gold',
        levelId: 'spx-gold-2.5',
        watchKey: 'spx-gold-2.5',
        kind: 'approach',
        direction: 'up',
        value: 2.43,
        levelValue: 2.5,
        basis: 'close',
        createdAt: 1,
      }),
    );
    const approach = await step(sdb, outbox.addMessage('alert', alertMessage((await events.byId(id))!), null, 1));
    expect(await step(sdb, outbox.fanOut(approach, 'spx-gold-2.5', true, 1_000))).toBe(1);
    expect((await outbox.due('console', 1_000, 10)).map((r) => r.chatId)).toEqual(['a']);
    const cross = await step(
      sdb,
      events.insert({
        date: '2024-01-03',
        pair: 'spx-gold',
        levelId: 'spx-gold-2.5',
        watchKey: 'spx-gold-2.5',
        kind: 'cross-up',
        direction: 'up',
        value: 2.51,
        levelValue: 2.5,
        basis: 'close',
        createdAt: 1,
      }),
    );
    // The muted chat hears nothing before 5 s; the chat with its own approach % still hears breaks.
    const crossEvent = (await events.byId(cross))!;
    const m1 = await step(sdb, outbox.addMessage('alert', alertMessage(crossEvent), null, 1));
    const m2 = await step(sdb, outbox.addMessage('alert', alertMessage(crossEvent), null, 1));
    expect(await step(sdb, outbox.fanOut(m1, 'spx-gold-2.5', false, 1_000))).toBe(2);
    expect(await step(sdb, outbox.fanOut(m2, 'spx-gold-2.5', false, 6_000))).toBe(3);
  });
});
