/**
 * What chats set, on both engines from one suite: subscriptions (and the watches they imply),
 * quiet hours, move watches, digest schedules, and the meta notes (Discord, webhooks). On
 * PostgreSQL, two handles on one database stand for two replicas: a change made through one is
 * seen by the other's next read of the version, and concurrent read-modify-writes lose nothing.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { describeOnEngines } from '../helpers/engines.ts';
import { describeWithPostgres, twoPgHandles } from '../helpers/postgres.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onSqlite, type StoreDb } from '../../src/store/engine.ts';
import { openDatabase } from '../../src/store/db.ts';
import { t } from '../../src/domain/i18n/index.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { QuietStore } from '../../src/store/quiet.ts';
import { MoveStore } from '../../src/store/moves.ts';
import { MoveStateStore } from '../../src/store/move-state.ts';
import { DigestStore } from '../../src/store/digests.ts';
import { MetaStore } from '../../src/store/meta.ts';
import { DiscordStore } from '../../src/store/discord.ts';
import { WebhookStore, addWithSubscription, removeWithSubscription } from '../../src/store/webhooks.ts';
import { isBusy } from '../../src/store/busy.ts';
import { apology } from '../../src/chat/answer.ts';
import { loadConfig } from '../../src/config.ts';
import type { Message } from '../../src/domain/message.ts';

const DEFAULTS = { approachPct: 3, lang: 'en' } as const;
const DIGEST: Message = { title: { en: 'digest' }, lines: ['SPX/Gold 1.698'] };

async function outboxRows(db: StoreDb): Promise<{ subscription_id: number; status: string; chat_id: string }[]> {
  return db.k.selectFrom('outbox').select(['subscription_id', 'status', 'chat_id']).orderBy('id').execute();
}

async function addMessage(db: StoreDb, body: string): Promise<number> {
  const r = await db.k.insertInto('messages').values({ kind: 'alert', body, dedupe_key: null, created_at: 0 }).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

describeOnEngines('subscriptions', (open) => {
  test('GIVEN a new chat THEN upsert creates it with the defaults; a patch changes only what it names; byId and countActive agree', async () => {
    const subs = new SubscriptionStore(await open(), DEFAULTS);
    const s = await subs.upsert('telegram', '42');
    expect(s).toMatchObject({ active: true, pairs: ['spx-gold', 'qqq-gold'], levelIds: 'all', approachPct: 3, lang: 'en', timezone: 'UTC', threadId: null });
    const t = await subs.upsert('telegram', '42', { lang: 'zh-TW', customLevels: [{ pair: 'spx-gold', value: 1.8 }], threadId: 7 });
    expect(t.id).toBe(s.id);
    expect(await subs.get('telegram', '42')).toEqual(t);
    expect(await subs.byId(s.id)).toEqual(t);
    expect(await subs.get('discord', '42')).toBeUndefined();
    await subs.upsert('discord', '43', { active: false });
    expect(await subs.countActive()).toBe(1);
  });

  test('GIVEN custom levels and an own approach % THEN the extra watches are the distinct ones of active chats, and every change bumps the version', async () => {
    const subs = new SubscriptionStore(await open(), DEFAULTS);
    const v0 = await subs.version();
    await subs.upsert('telegram', '1', { customLevels: [{ pair: 'spx-gold', value: 1.8 }] });
    await subs.upsert('telegram', '2', { customLevels: [{ pair: 'spx-gold', value: 1.8 }] });
    const v1 = await subs.version();
    expect(v1).toBeGreaterThan(v0);
    expect((await subs.extraWatches()).map((w) => w.key)).toEqual(['spx-gold-custom-1.8@3']);
    await subs.deactivate('telegram', '1', 'unsubscribed');
    await subs.deactivate('telegram', '2', 'unsubscribed');
    expect(await subs.version()).toBeGreaterThan(v1);
    expect(await subs.extraWatches()).toEqual([]);
  });

  test('GIVEN a chat gone THEN it is inactive and its pending rows are dead; a moved chat takes its pending rows along', async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, DEFAULTS);
    const a = await subs.upsert('telegram', '-5');
    const b = await subs.upsert('telegram', '-6');
    const m = await addMessage(db, JSON.stringify(DIGEST));
    await db.k
      .insertInto('outbox')
      .values([a, b].map((s) => ({ message_id: m, subscription_id: s.id, platform: 'telegram', chat_id: s.chatId, created_at: 0 })))
      .execute();
    await subs.chatGone('telegram', '-5', 'bot kicked');
    expect(await subs.get('telegram', '-5')).toMatchObject({ active: false, deactivatedReason: 'bot kicked' });
    await subs.move('telegram', '-6', '-1006');
    expect((await subs.get('telegram', '-1006'))?.id).toBe(b.id);
    expect(await outboxRows(db)).toEqual([
      { subscription_id: a.id, status: 'dead', chat_id: '-5' },
      { subscription_id: b.id, status: 'pending', chat_id: '-1006' },
    ]);
  });

  test('GIVEN a group that moved to a supergroup where a setting was already typed (/lang, /quiet) THEN the alerts carry on there: the new chat’s own settings kept, the rest the old one’s', async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, DEFAULTS);
    const [quiet, moves, digests] = [new QuietStore(db), new MoveStore(db), new DigestStore(db)];
    const old = await subs.upsert('telegram', '-7', { pairs: ['spx-gold'], customLevels: [{ pair: 'spx-gold', value: 1.8 }] });
    await moves.add(old.id, { pair: 'spx-gold', pct: 10, days: 20 }, 5, 0);
    await digests.set(old.id, '08:00', 'Asia/Taipei', 0);
    await quiet.set(old.id, { start: '23:00', end: '07:00', zone: 'UTC' }, 0);
    // Typed in the supergroup before the move was seen: a settings-only row there.
    const typed = await subs.upsert('telegram', '-1007', { active: false, lang: 'zh-TW' });
    await quiet.set(typed.id, { start: '22:00', end: '06:00', zone: 'Asia/Taipei' }, 0);
    const m = await addMessage(db, JSON.stringify(DIGEST));
    await db.k.insertInto('outbox').values({ message_id: m, subscription_id: old.id, platform: 'telegram', chat_id: '-7', created_at: 0 }).execute();
    await subs.move('telegram', '-7', '-1007');
    const now = await subs.get('telegram', '-1007');
    expect(now).toMatchObject({
      active: true,
      pairs: ['spx-gold'],
      customLevels: [{ pair: 'spx-gold', value: 1.8 }],
      lang: 'zh-TW',
      digestTime: '08:00',
      timezone: 'Asia/Taipei',
    });
    expect((await subs.extraWatches()).map((w) => w.key)).toEqual(['spx-gold-custom-1.8@3']);
    expect(await quiet.window(now!.id)).toEqual({ start: '22:00', end: '06:00', zone: 'Asia/Taipei' });
    expect(await moves.list(now!.id)).toEqual([{ pair: 'spx-gold', pct: 10, days: 20 }]);
    expect(await subs.get('telegram', '-7')).toMatchObject({ active: false, digestTime: null });
    expect(await outboxRows(db)).toEqual([{ subscription_id: now!.id, status: 'pending', chat_id: '-1007' }]);
  });

  test('GIVEN a stopped group (rights) moved to a supergroup where /lang was already typed THEN the new chat keeps its language and inherits the stop (cause, moment), levels, quiet hours and move watches', async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, DEFAULTS);
    const [quiet, moves] = [new QuietStore(db), new MoveStore(db)];
    const old = await subs.upsert('telegram', '-8', { pairs: ['qqq-gold'], customLevels: [{ pair: 'qqq-gold', value: 0.3 }], approachPct: 5 });
    await moves.add(old.id, { pair: 'qqq-gold', pct: 8, days: 10 }, 5, 0);
    await quiet.set(old.id, { start: '23:00', end: '07:00', zone: 'Asia/Taipei' }, 0);
    await subs.chatGone('telegram', '-8', 'rights: Bad Request: not enough rights to send text messages to the chat');
    const stopped = (await subs.get('telegram', '-8'))!;
    expect(stopped.deactivatedAt).not.toBeNull();
    const typed = await subs.upsert('telegram', '-1008', { active: false, lang: 'zh-CN' });
    await subs.move('telegram', '-8', '-1008');
    const now = await subs.get('telegram', '-1008');
    expect(now).toMatchObject({
      id: typed.id,
      active: false,
      lang: 'zh-CN',
      pairs: ['qqq-gold'],
      customLevels: [{ pair: 'qqq-gold', value: 0.3 }],
      approachPct: 5,
      deactivatedReason: stopped.deactivatedReason,
      deactivatedAt: stopped.deactivatedAt,
    });
    expect(await quiet.window(typed.id)).toEqual({ start: '23:00', end: '07:00', zone: 'Asia/Taipei' });
    expect(await moves.list(typed.id)).toEqual([{ pair: 'qqq-gold', pct: 8, days: 10 }]);
    expect(await subs.stoppedForRights('telegram')).toEqual(['-1008']);
    // Stopped, it asks for no watch of its own until it subscribes again.
    expect(await subs.extraWatches()).toEqual([]);
    expect(await subs.get('telegram', '-8')).toMatchObject({ active: false, deactivatedReason: 'moved to -1008' });
  });

  test('GIVEN the default approach % changed THEN a new store re-derives every chat’s watches once', async () => {
    const db = await open();
    const first = new SubscriptionStore(db, DEFAULTS);
    await first.upsert('telegram', '1', { customLevels: [{ pair: 'qqq-gold', value: 0.3 }] });
    expect((await first.extraWatches()).map((w) => w.key)).toEqual(['qqq-gold-custom-0.3@3']);
    // The chat keeps its 3 %, now not the default: its essay levels become watches of their own.
    const later = new SubscriptionStore(db, { approachPct: 5, lang: 'en' });
    const keys = (await later.extraWatches()).map((w) => w.key);
    expect(keys).toContain('qqq-gold-custom-0.3@3');
    expect(keys).toContain('qqq-gold-0.03@3');
  });
});

describeOnEngines('quiet hours', (open) => {
  test('GIVEN a window THEN it is read back; held rows are released at its end as one summary per chat', async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, DEFAULTS);
    const quiet = new QuietStore(db);
    const s = await subs.upsert('telegram', '1');
    expect(await quiet.window(s.id)).toBeUndefined();
    await quiet.set(s.id, { start: '23:00', end: '07:00', zone: 'UTC' }, 0);
    expect(await quiet.window(s.id)).toEqual({ start: '23:00', end: '07:00', zone: 'UTC' });
    const body = JSON.stringify({ title: { en: 'SPX/Gold broke 2.5' }, lines: ['1.83'] });
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const m = await addMessage(db, body);
      const r = await db.k
        .insertInto('outbox')
        .values({ message_id: m, subscription_id: s.id, platform: 'telegram', chat_id: '1', created_at: 0 })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(Number(r.id));
    }
    await quiet.hold(ids.map((id) => ({ id, until: 1000 })));
    expect(await quiet.heldCount()).toBe(3);
    expect(await quiet.heldCount(s.id)).toBe(3);
    expect(await quiet.release('telegram', 999)).toEqual({ chats: 0, merged: 0 });
    expect(await quiet.release('telegram', 1000)).toEqual({ chats: 1, merged: 3 });
    expect(await quiet.heldCount()).toBe(0);
    const rows = await outboxRows(db);
    expect(rows.map((r) => r.status)).toEqual(['merged', 'merged', 'merged', 'pending']);
    // Each held row names the summary it went into.
    const summary = await db.k.selectFrom('outbox').select('message_id').where('status', '=', 'pending').executeTakeFirstOrThrow();
    const notes = await db.k.selectFrom('outbox').select('last_error').where('status', '=', 'merged').execute();
    expect(notes.map((n) => n.last_error)).toEqual(Array(3).fill(`in quiet-hours summary ${summary.message_id}`));
  });

  test('GIVEN an alert queued behind held ones before their release THEN heldUntil names when they go, and after the release the summary is ahead of it in the queue', async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, DEFAULTS);
    const quiet = new QuietStore(db);
    const s = await subs.upsert('telegram', '1');
    const other = await subs.upsert('telegram', '2');
    await quiet.set(s.id, { start: '23:00', end: '07:00', zone: 'UTC' }, 0);
    const queue = async (sub: number, n: number) => {
      const m = await addMessage(db, JSON.stringify({ title: { en: `SPX/Gold alert ${n}` }, lines: ['1.83'] }));
      const r = await db.k
        .insertInto('outbox')
        .values({ message_id: m, subscription_id: sub, platform: 'telegram', chat_id: String(sub), created_at: n, next_at: n })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { id: Number(r.id), message: m };
    };
    const held = [await queue(s.id, 1), await queue(s.id, 2)];
    await quiet.hold(held.map((h) => ({ id: h.id, until: 900 + h.id })));
    expect(await quiet.heldUntil([s.id, other.id])).toEqual(new Map([[s.id, 900 + held[1]!.id]]));
    const late = await queue(s.id, 1000);
    const elsewhere = await queue(other.id, 1000);
    expect(await quiet.release('telegram', 2000)).toEqual({ chats: 1, merged: 2 });
    const pending = await db.k.selectFrom('outbox').select(['subscription_id', 'message_id']).where('status', '=', 'pending').orderBy('id').execute();
    const mine = pending.filter((r) => r.subscription_id === s.id).map((r) => r.message_id);
    expect(mine).toHaveLength(2);
    expect(mine[1]).toBe(late.message);
    expect(mine[0]).not.toBe(late.message);
    expect(pending.filter((r) => r.subscription_id === other.id).map((r) => r.message_id)).toEqual([elsewhere.message]);
  });

  test('GIVEN four chats released at once (two summaries, a lone alert, an unsubscribed chat) THEN each held row is folded into its own chat’s summary', async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, DEFAULTS);
    const quiet = new QuietStore(db);
    const body = (n: number) => JSON.stringify({ title: { en: `SPX/Gold alert ${n}` }, lines: ['1.83'] });
    const hold = async (chat: string, n: number) => {
      const s = await subs.upsert('telegram', chat);
      await quiet.set(s.id, { start: '23:00', end: '07:00', zone: 'UTC' }, 0);
      for (let i = 0; i < n; i++) {
        const m = await addMessage(db, body(i));
        const r = await db.k
          .insertInto('outbox')
          .values({ message_id: m, subscription_id: s.id, platform: 'telegram', chat_id: chat, created_at: i })
          .returning('id')
          .executeTakeFirstOrThrow();
        await quiet.hold([{ id: Number(r.id), until: 1000 }]);
      }
      return s.id;
    };
    const [a, b, c, d] = [await hold('a', 2), await hold('b', 3), await hold('c', 1), await hold('d', 2)];
    await subs.upsert('telegram', 'd', { active: false });
    expect(await quiet.release('telegram', 1000)).toEqual({ chats: 3, merged: 5 });
    const all = await db.k.selectFrom('outbox').select(['subscription_id', 'status', 'message_id', 'last_error']).orderBy('id').execute();
    const of = (sub: number, status: string) => all.filter((r) => r.subscription_id === sub && r.status === status);
    for (const [sub, n] of [
      [a, 2],
      [b, 3],
    ] as const) {
      const [summary] = of(sub, 'pending');
      expect(of(sub, 'pending')).toHaveLength(1);
      expect(of(sub, 'merged').map((r) => r.last_error)).toEqual(Array(n).fill(`in quiet-hours summary ${summary!.message_id}`));
    }
    expect([of(c, 'pending').length, of(c, 'merged').length]).toEqual([1, 0]);
    expect(of(d, 'dead').map((r) => r.last_error)).toEqual(['chat unsubscribed during quiet hours', 'chat unsubscribed during quiet hours']);
  });

  test('GIVEN 70,000 chats asked at once (more than either engine binds in one statement), two with windows and one cleared THEN windows() finds those two, across its 1,000-chat queries', async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, DEFAULTS);
    const quiet = new QuietStore(db);
    const [a, b, c, none] = [
      await subs.upsert('telegram', '1'),
      await subs.upsert('telegram', '2'),
      await subs.upsert('telegram', '3'),
      await subs.upsert('telegram', '4'),
    ];
    await quiet.set(a.id, { start: '23:00', end: '07:00', zone: 'Asia/Taipei' }, 0);
    await quiet.set(b.id, { start: '22:30', end: '06:00', zone: 'UTC' }, 0);
    await quiet.set(c.id, { start: '01:00', end: '02:00', zone: 'UTC' }, 0);
    await quiet.set(c.id, null, 0);
    // The four chats at rows 4, 1501, 40,001 and 70,000 (the others' rows are gone), a twice. In one
    // statement SQLite binds at most 32,766 values and PostgreSQL 65,535: the chunks are what lets it through.
    const batch = Array.from({ length: 70_000 }, (_, i) => 1_000_000 + i);
    [batch[3], batch[1500], batch[40_000], batch[69_999]] = [a.id, c.id, b.id, none.id];
    const found = await quiet.windows([...batch, a.id]);
    expect([...found.entries()].sort((x, y) => x[0] - y[0])).toEqual([
      [a.id, { start: '23:00', end: '07:00', zone: 'Asia/Taipei' }],
      [b.id, { start: '22:30', end: '06:00', zone: 'UTC' }],
    ]);
    expect((await quiet.windows([])).size).toBe(0);
  });
});

describeOnEngines('move watches', (open) => {
  test('GIVEN adds up to the limit THEN a sixth is refused, a repeat exists, remove works; distinct lists active chats’ watches', async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, DEFAULTS);
    const moves = new MoveStore(db);
    const s = await subs.upsert('telegram', '1');
    const v0 = await subs.version();
    for (let i = 1; i <= 5; i++) expect(await moves.add(s.id, { pair: 'spx-gold', pct: i, days: 20 }, 5, i)).toBe('added');
    expect(await subs.version()).toBe(v0 + 5);
    expect(await moves.add(s.id, { pair: 'spx-gold', pct: 1, days: 20 }, 5, 9)).toBe('exists');
    expect(await moves.add(s.id, { pair: 'spx-gold', pct: 9, days: 20 }, 5, 9)).toBe('full');
    expect(await moves.remove(s.id, { pair: 'spx-gold', pct: 1, days: 20 })).toBe(true);
    expect(await moves.remove(s.id, { pair: 'spx-gold', pct: 1, days: 20 })).toBe(false);
    expect(await moves.list(s.id)).toHaveLength(4);
    const engine = new MoveStateStore(db);
    expect(await engine.distinct()).toHaveLength(4);
    await subs.deactivate('telegram', '1', 'unsubscribed');
    expect(await engine.distinct()).toEqual([]);
    expect(await engine.states()).toEqual(new Map());
    expect(await moves.recentEvents(5)).toEqual([]);
  });

  test('GIVEN two admins adding at once THEN the limit holds', async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, DEFAULTS);
    const moves = new MoveStore(db);
    const s = await subs.upsert('telegram', '1');
    const r = await Promise.all(Array.from({ length: 8 }, (_, i) => moves.add(s.id, { pair: 'qqq-gold', pct: i + 1, days: 10 }, 5, i)));
    expect(r.filter((x) => x === 'added')).toHaveLength(5);
    expect(await moves.list(s.id)).toHaveLength(5);
  });
});

describeOnEngines('digests', (open) => {
  test('GIVEN chats due at 08:00 Taipei THEN one message, one digest and one outbox row each; a second tick finds nothing', async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, DEFAULTS);
    const digests = new DigestStore(db);
    const now = Date.parse('2026-11-17T12:00:00Z');
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s = await subs.upsert('telegram', `c${i}`, { lang: i % 2 ? 'zh-TW' : 'en' });
      const set = await digests.set(s.id, '08:00', 'Asia/Taipei', now);
      expect(set.nextDue).toBe(Date.parse('2026-11-18T00:00:00Z'));
      ids.push(s.id);
    }
    const off = await subs.upsert('telegram', 'off');
    await digests.set(off.id, null, 'UTC', now);
    expect(await digests.get(off.id)).toMatchObject({ time: null, nextDue: null });
    const due = Date.parse('2026-11-18T00:00:00Z');
    expect(await digests.enqueueDue(due - 60_000, '2026-11-17', () => DIGEST)).toEqual({ queued: 0, duplicates: 0, noClose: 0, tooLate: 0, groups: 0 });
    let built = 0;
    const r = await digests.enqueueDue(due, '2026-11-17', async () => {
      built++;
      return DIGEST;
    });
    expect(r).toEqual({ queued: 5, duplicates: 0, noClose: 0, tooLate: 0, groups: 1 });
    expect(built).toBe(1);
    expect(await digests.count()).toBe(5);
    // One row per chat; in which order they were written is the engine's (PostgreSQL's INSERT … SELECT follows its heap).
    expect((await outboxRows(db)).map((o) => o.subscription_id).sort((x, y) => x - y)).toEqual(ids);
    expect((await digests.enqueueDue(due + 30_000, '2026-11-17', () => DIGEST)).queued).toBe(0);
    expect(await digests.get(ids[0]!)).toMatchObject({ lastDate: '2026-11-18', lastClose: '2026-11-17', nextDue: due + 86_400_000 });
  });

  test('GIVEN the close not stored yet THEN the digest waits, due, and goes out when it is; never twice', async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, DEFAULTS);
    const digests = new DigestStore(db);
    const s = await subs.upsert('telegram', '1');
    const now = Date.parse('2026-11-17T12:00:00Z');
    const set = await digests.set(s.id, '08:00', 'Asia/Taipei', now);
    const waits: string[] = [];
    const r = await digests.enqueueDue(
      set.nextDue!,
      '2026-11-16',
      () => DIGEST,
      undefined,
      (w) => waits.push(w),
    );
    expect(r).toMatchObject({ queued: 0, noClose: 0 });
    expect((await digests.get(s.id))?.nextDue).toBe(set.nextDue!);
    // Asked each minute: said once.
    await digests.enqueueDue(
      set.nextDue! + 60_000,
      '2026-11-16',
      () => DIGEST,
      undefined,
      (w) => waits.push(w),
    );
    expect(waits).toEqual(['digest(s) due 2026-11-18T00:00:00.000Z (08:00 Asia/Taipei) wait for the US close of 2026-11-17, not in the store yet']);
    // Stored 7 hours late (past the 6 hours a bot that was down may be late): sent, once.
    expect(await digests.enqueueDue(set.nextDue! + 7 * 3_600_000, '2026-11-17', () => DIGEST)).toMatchObject({ queued: 1 });
    expect(await digests.enqueueDue(set.nextDue! + 7 * 3_600_000 + 60_000, '2026-11-17', () => DIGEST)).toMatchObject({ queued: 0 });
    expect(await digests.get(s.id)).toMatchObject({ lastClose: '2026-11-17', nextDue: set.nextDue! + 86_400_000 });
  });

  test('GIVEN an empty store THEN the digest waits 6 hours, then the chats move to the next day', async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, DEFAULTS);
    const digests = new DigestStore(db);
    const s = await subs.upsert('telegram', '1');
    const set = await digests.set(s.id, '08:00', 'Asia/Taipei', Date.parse('2026-11-17T12:00:00Z'));
    expect(await digests.enqueueDue(set.nextDue!, undefined, () => DIGEST)).toMatchObject({ queued: 0, noClose: 0 });
    expect(await digests.enqueueDue(set.nextDue! + 6 * 3_600_000, undefined, () => DIGEST)).toMatchObject({ queued: 0, noClose: 1 });
    expect((await digests.get(s.id))?.nextDue).toBe(set.nextDue! + 86_400_000);
  });
});

describeOnEngines('digest slots', (open) => {
  const now = Date.parse('2026-11-17T12:00:00Z'); // Tuesday 20:00 in Taipei
  const wed = Date.parse('2026-11-18T00:00:00Z'); // Wednesday 08:00 in Taipei, after Tuesday's US close
  const DAY = 86_400_000;

  test('GIVEN chats at one time and zone, one dead, one unsubscribed, one in another zone THEN one slot each, and its digest goes to the living', async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, DEFAULTS);
    const digests = new DigestStore(db);
    const chat = async (id: string, zone: string) => {
      const s = await subs.upsert('telegram', id);
      await digests.set(s.id, '08:00', zone, now);
      return s.id;
    };
    const [a, b, dead, gone] = [
      await chat('a', 'Asia/Taipei'),
      await chat('b', 'Asia/Taipei'),
      await chat('dead', 'Asia/Taipei'),
      await chat('gone', 'Asia/Taipei'),
    ];
    const london = await chat('london', 'Europe/London');
    await subs.deactivate('telegram', 'dead', 'blocked');
    await subs.deactivate('telegram', 'gone', 'unsubscribed');
    const slots = await sql<{
      digest_time: string;
      timezone: string;
      next_due: number;
    }>`SELECT digest_time, timezone, next_due FROM digest_slots ORDER BY timezone`.execute(db.k);
    expect(slots.rows.map((r) => ({ ...r, next_due: Number(r.next_due) }))).toEqual([
      { digest_time: '08:00', timezone: 'Asia/Taipei', next_due: wed },
      { digest_time: '08:00', timezone: 'Europe/London', next_due: Date.parse('2026-11-18T08:00:00Z') },
    ]);
    const r = await digests.enqueueDue(wed, '2026-11-17', () => DIGEST);
    // The blocked chat gets none; the one that only left the alerts keeps its digest.
    expect(r).toEqual({ queued: 3, duplicates: 0, noClose: 0, tooLate: 0, groups: 1 });
    expect((await outboxRows(db)).map((o) => o.subscription_id).sort()).toEqual([a, b, gone].sort());
    expect(await digests.get(a)).toMatchObject({ nextDue: wed + DAY, lastDate: '2026-11-18', lastClose: '2026-11-17' });
    expect(await digests.get(dead)).toMatchObject({ lastDate: null, lastClose: null });
    expect((await digests.get(london))?.nextDue).toBe(Date.parse('2026-11-18T08:00:00Z'));
  });

  test('GIVEN a chat that moves its time after today’s digest THEN it waits for tomorrow, and a close it has is not sent to it again', async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, DEFAULTS);
    const digests = new DigestStore(db);
    const s = await subs.upsert('telegram', 'mover');
    const other = await subs.upsert('telegram', 'other');
    await digests.set(s.id, '08:00', 'Asia/Taipei', now);
    await digests.set(other.id, '09:00', 'Asia/Taipei', now);
    expect((await digests.enqueueDue(wed, '2026-11-17', () => DIGEST)).queued).toBe(1);
    // At 08:30 it moves to 09:00, a slot that has not sent today: not before tomorrow 09:00.
    const moved = await digests.set(s.id, '09:00', 'Asia/Taipei', wed + 30 * 60_000);
    expect(moved.nextDue).toBe(wed + DAY + 3_600_000);
    const nine = await digests.enqueueDue(wed + 3_600_000, '2026-11-17', () => DIGEST);
    expect(nine).toEqual({ queued: 1, duplicates: 0, noClose: 0, tooLate: 0, groups: 1 });
    expect((await outboxRows(db)).map((o) => o.subscription_id)).toEqual([s.id, other.id]);
    // The 08:00 slot holds nobody now: its next due minute removes it.
    const eight = await digests.enqueueDue(wed + DAY, '2026-11-18', () => DIGEST);
    expect(eight).toEqual({ queued: 0, duplicates: 0, noClose: 0, tooLate: 0, groups: 0 });
    const left = await sql<{ digest_time: string }>`SELECT digest_time FROM digest_slots`.execute(db.k);
    expect(left.rows).toEqual([{ digest_time: '09:00' }]);
    // Thursday 09:00: both, about Wednesday's close.
    const thu = await digests.enqueueDue(wed + DAY + 3_600_000, '2026-11-18', () => DIGEST);
    expect(thu).toEqual({ queued: 2, duplicates: 0, noClose: 0, tooLate: 0, groups: 1 });
  });

  test('GIVEN a chat let into a second slot the same day (its not-before written by hand) THEN the close it already has is not queued to it again', async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, DEFAULTS);
    const digests = new DigestStore(db);
    const a = await subs.upsert('telegram', 'a');
    const b = await subs.upsert('telegram', 'b');
    await digests.set(a.id, '08:00', 'Asia/Taipei', now);
    await digests.set(b.id, '09:00', 'Asia/Taipei', now);
    expect((await digests.enqueueDue(wed, '2026-11-17', () => DIGEST)).queued).toBe(1);
    await sql`UPDATE subscriptions SET digest_time = '09:00', digest_next_due = ${wed + 3_600_000} WHERE id = ${a.id}`.execute(db.k);
    const nine = await digests.enqueueDue(wed + 3_600_000, '2026-11-17', () => DIGEST);
    expect(nine).toEqual({ queued: 1, duplicates: 1, noClose: 0, tooLate: 0, groups: 1 });
    expect((await outboxRows(db)).map((o) => o.subscription_id)).toEqual([a.id, b.id]);
  });

  test('GIVEN the bot down past a slot by more than 6 hours THEN its chats skip the day and the slot moves on', async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, DEFAULTS);
    const digests = new DigestStore(db);
    const s = await subs.upsert('telegram', 'late');
    await digests.set(s.id, '08:00', 'Asia/Taipei', now);
    const skipped: string[] = [];
    const r = await digests.enqueueDue(
      wed + 7 * 3_600_000,
      '2026-11-17',
      () => DIGEST,
      (w) => skipped.push(w),
    );
    expect(r).toEqual({ queued: 0, duplicates: 0, noClose: 0, tooLate: 1, groups: 1 });
    expect(skipped).toEqual([expect.stringContaining('skipped for the day: 420 min late')]);
    expect((await digests.get(s.id))?.nextDue).toBe(wed + DAY);
  });
});

describeOnEngines('meta notes: Discord and webhooks', (open) => {
  test('GIVEN Discord channels THEN each is found by its guild, its type is recorded, the command hash is kept', async () => {
    const discord = new DiscordStore(await open());
    await discord.setChannel('c1', { guildId: 'g1' });
    await discord.setChannel('c2', { guildId: 'g1', type: 0 });
    await discord.setChannel('c_3', { guildId: 'g2' });
    expect((await discord.channelsOf('g1')).sort()).toEqual(['c1', 'c2']);
    await discord.setChannelType('c1', 5);
    await discord.setChannelType('unknown', 5);
    expect(await discord.channel('c1')).toEqual({ guildId: 'g1', type: 5 });
    expect(await discord.channel('unknown')).toBeUndefined();
    expect(await discord.commandsHash('global')).toBeUndefined();
    await discord.setCommandsHash('global', 'abc');
    expect(await discord.commandsHash('global')).toBe('abc');
  });

  test("GIVEN one channel's unexplained-refusal row unreadable (written by hand, cut short) THEN the others' counts are still read: one bad row does not set every channel back to 0", async () => {
    const db = await open();
    const discord = new DiscordStore(db);
    await discord.setUnexplained('c1', { count: 2, until: 1_000 });
    await new MetaStore(db).set('discord:unexplained:c2', '{"count":');
    await discord.setUnexplained('c3', { count: 1, until: 2_000 });
    expect([...(await discord.unexplained())]).toEqual([
      ['c1', { count: 2, until: 1_000 }],
      ['c3', { count: 1, until: 2_000 }],
    ]);
  });

  test('GIVEN Discord channels active, unsubscribed, stopped for rights or another cause, in two servers, a Telegram chat stopped for rights THEN one read finds the Discord channels stopped for rights, by server', async () => {
    const db = await open();
    const discord = new DiscordStore(db);
    const subs = new SubscriptionStore(db, DEFAULTS);
    const channels: [string, string, string | undefined][] = [
      ['c1', 'g1', 'rights: 50013 Missing Permissions'],
      ['c2', 'g1', 'rights: 50001 Missing Access'],
      ['c3', 'g1', undefined],
      ['c4', 'g1', 'removed: 10003 Unknown Channel'],
      ['c_5', 'g2', 'rights: 50013 Missing Permissions'],
      ['c6', 'g2', 'unsubscribed'],
      // A platform's own words kept before causes were: 'gone', not rights.
      ['c7', 'g2', 'Missing Permissions rights: 50013'],
    ];
    for (const [id, guildId, reason] of channels) {
      await subs.upsert('discord', id);
      await discord.setChannel(id, { guildId, type: 0 });
      if (reason === 'unsubscribed') await subs.deactivate('discord', id, reason);
      else if (reason !== undefined) await subs.chatGone('discord', id, reason);
    }
    // Stopped for rights but no guild recorded: nowhere to check it.
    await subs.upsert('discord', 'c8');
    await subs.chatGone('discord', 'c8', 'rights: 50013 Missing Permissions');
    // DMs, their kind recorded without a guild (one active, one stopped): in no server's list.
    for (const dm of ['d1', 'd2']) {
      await subs.upsert('discord', dm);
      await discord.setChannel(dm, { type: 1 });
    }
    await subs.chatGone('discord', 'd2', 'rights: 50013 Missing Permissions');
    await subs.upsert('telegram', 'c1');
    await subs.chatGone('telegram', 'c1', 'rights: CHAT_WRITE_FORBIDDEN');
    expect(await discord.stoppedForRights()).toEqual(
      new Map([
        ['g1', ['c1', 'c2']],
        ['g2', ['c_5']],
      ]),
    );
    // What a gateway's READY compares with its servers: the active Discord channels with a guild, in one read.
    expect(await discord.activeChannels()).toEqual([{ channelId: 'c3', guildId: 'g1' }]);
    await subs.upsert('discord', 'c1', { active: true });
    expect(await discord.stoppedForRights()).toEqual(
      new Map([
        ['g1', ['c2']],
        ['g2', ['c_5']],
      ]),
    );
    expect(await discord.activeChannels()).toEqual([
      { channelId: 'c1', guildId: 'g1' },
      { channelId: 'c3', guildId: 'g1' },
    ]);
  });

  test('GIVEN Telegram chats active, unsubscribed, stopped for rights or another cause, a Discord channel stopped for rights THEN one read finds the Telegram chats stopped for rights', async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, DEFAULTS);
    const chats: [string, string | undefined][] = [
      ['-1001', 'rights: Bad Request: CHAT_SEND_PLAIN_FORBIDDEN'],
      ['-1002', undefined],
      ['-1003', 'removed: bot kicked'],
      ['-1004', 'unsubscribed'],
      // A platform's own words kept before causes were: 'gone', not rights.
      ['-1005', 'Forbidden rights: something'],
      ['-1006', 'rights: Forbidden: need administrator rights in the channel chat'],
    ];
    for (const [id, reason] of chats) {
      await subs.upsert('telegram', id);
      if (reason === 'unsubscribed') await subs.deactivate('telegram', id, reason);
      else if (reason !== undefined) await subs.chatGone('telegram', id, reason);
    }
    await subs.upsert('discord', 'c1');
    await subs.chatGone('discord', 'c1', 'rights: 50013 Missing Permissions');
    expect(await subs.stoppedForRights('telegram')).toEqual(['-1001', '-1006']);
    await subs.upsert('telegram', '-1001', { active: true });
    expect(await subs.stoppedForRights('telegram')).toEqual(['-1006']);
    expect(await subs.stoppedForRights('discord')).toEqual(['c1']);
  });

  test('GIVEN a prefix with LIKE wildcards THEN they are taken literally', async () => {
    const meta = new MetaStore(await open());
    await meta.set('a_b:1', 'x');
    await meta.set('axb:1', 'y');
    expect(await meta.withPrefix('a_b:')).toEqual([{ key: 'a_b:1', value: 'x' }]);
    expect(await meta.delete('a_b:1')).toBe(true);
    expect(await meta.delete('a_b:1')).toBe(false);
  });

  test('GIVEN a hook added and removed through the CLI’s units THEN its subscription and digest come and go with it; failures count, success resets', async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, DEFAULTS);
    const hooks = new WebhookStore(db);
    const made = await addWithSubscription(
      db,
      subs,
      { id: 'wh_1', url: 'https://example.com/h', format: 'json', secret: 's', createdAt: Date.parse('2026-11-17T12:00:00Z') },
      'zh-TW',
      { time: '17:30', timezone: 'America/New_York' },
    );
    expect(await hooks.list()).toEqual(['added' in made ? made.added : made.already]);
    const sub = await subs.get('webhook', 'wh_1');
    expect(sub).toMatchObject({ active: true, lang: 'zh-TW', digestTime: '17:30', timezone: 'America/New_York' });
    expect(await hooks.failed('wh_1', 500, 'HTTP 500', 1)).toBe(1);
    expect(await hooks.failed('wh_1', 0, 'timeout', 2)).toBe(2);
    await hooks.succeeded('wh_1', 200, 3);
    expect(await hooks.get('wh_1')).toMatchObject({ failures: 0, lastStatus: 200, lastError: null, lastAt: 3 });
    expect(await hooks.failed('nope', 500, 'x', 1)).toBe(0);
    expect(await removeWithSubscription(db, subs, 'wh_1')).toBe(true);
    expect(await hooks.get('wh_1')).toBeUndefined();
    expect(await subs.get('webhook', 'wh_1')).toMatchObject({ active: false, deactivatedReason: 'webhook removed' });
  });

  test('GIVEN twenty failures reported at once THEN all twenty are counted (compare-and-set, no lost update)', async () => {
    const hooks = new WebhookStore(await open());
    await hooks.add({ id: 'wh_2', url: 'https://example.com/h', format: 'json', secret: 's', createdAt: 0 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => hooks.failed('wh_2', 500, 'HTTP 500', i)));
    expect((await hooks.get('wh_2'))?.failures).toBe(20);
  });
});

describeWithPostgres('two replicas on one PostgreSQL database', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const f of cleanups.splice(0).reverse()) await f();
  });
  const twoHandles = () => twoPgHandles((f) => cleanups.push(f));

  test('GIVEN /level on replica B THEN leader A sees the new version and the new watch at its next read; concurrent changes are all counted', async () => {
    const [a, b] = await twoHandles();
    const leader = new SubscriptionStore(a, DEFAULTS);
    const replica = new SubscriptionStore(b, DEFAULTS);
    const before = await leader.version();
    expect(await leader.extraWatches()).toEqual([]);
    await replica.upsert('telegram', '1', { customLevels: [{ pair: 'spx-gold', value: 2.2 }] });
    expect(await leader.version()).toBeGreaterThan(before);
    expect((await leader.extraWatches()).map((w) => w.key)).toEqual(['spx-gold-custom-2.2@3']);
    const v = await leader.version();
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? leader : replica).upsert('discord', `c${i}`)));
    expect(await replica.version()).toBe(v + 10);
  });

  test('GIVEN webhook failures reported on both replicas at once THEN none is lost', async () => {
    const [a, b] = await twoHandles();
    const ha = new WebhookStore(a);
    const hb = new WebhookStore(b);
    await ha.add({ id: 'wh_3', url: 'https://example.com/h', format: 'json', secret: 's', createdAt: 0 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? ha : hb).failed('wh_3', 500, 'HTTP 500', i)));
    expect((await ha.get('wh_3'))?.failures).toBe(20);
  });

  test('GIVEN a chat row locked by another replica past lock_timeout THEN the command’s error is "busy" and the chat hears the busy line', async () => {
    const [a, b] = await twoHandles();
    const subs = new SubscriptionStore(a, DEFAULTS);
    await subs.upsert('telegram', '1', { lang: 'zh-TW' });
    await b.k.transaction().execute(async (trx) => {
      await trx.updateTable('subscriptions').set({ updated_at: 1 }).where('chat_id', '=', '1').execute();
      const err = await a.k
        .transaction()
        .execute(async (t2) => {
          await sql`SET LOCAL lock_timeout = '100ms'`.execute(t2);
          await t2.updateTable('subscriptions').set({ updated_at: 2 }).where('chat_id', '=', '1').execute();
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(isBusy(err)).toBe(true);
      const answer = await apology({ subs, config: loadConfig({}) }, { platform: 'telegram', chatId: '2', userLanguageCode: 'en' }, false, err);
      expect(answer).toEqual({ kind: 'message', reply: { status: 'error', lines: [[t('en', 'chat.busy')]] }, personal: true });
      expect(isBusy(new Error('connection refused'))).toBe(false);
    });
  });
});

describe('the apology when the database itself is down', () => {
  test('GIVEN the subscription cannot be read THEN the user still hears the apology, in their own language', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'goldratio-chat-stores-'));
    const db = openDatabase(join(dir, 'g.db'));
    const broken = new SubscriptionStore(onSqlite(db), DEFAULTS);
    db.close();
    rmSync(dir, { recursive: true, force: true });
    const answer = await apology(
      { subs: broken, config: loadConfig({}) },
      { platform: 'telegram', chatId: '1', userLanguageCode: 'zh-TW' },
      true,
      new Error('x'),
    );
    expect(answer).toEqual({ kind: 'notice', text: '抱歉，系統發生問題，請稍後再試。', alert: false });
  });
});
