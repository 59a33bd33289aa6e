/** Retention: old delivered or dead outbox rows go, in small batches; pending rows and events stay; old chart uploads go, and the types of chats with no subscription left. On both engines. */
import { expect, test } from 'vitest';
import { sql } from 'kysely';
import { pruneOutbox } from '../../src/store/retention.ts';
import { ChartUploadStore } from '../../src/store/chart-uploads.ts';
import { ChatTypeStore } from '../../src/store/chat-types.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { stopReason } from '../../src/domain/stop-cause.ts';
import type { StoreDb } from '../../src/store/engine.ts';
import { loadConfig } from '../../src/config.ts';
import { describeOnEngines } from '../helpers/engines.ts';
import { DiscordStore } from '../../src/store/discord.ts';
import { TokenNotes } from '../../src/store/token-notes.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T00:00:00Z');

async function seed(db: StoreDb): Promise<StoreDb> {
  await db.k
    .insertInto('events')
    .values({
      date: '2026-01-02',
      pair: 'spx-gold',
      level_id: 'l',
      watch_key: 'w',
      kind: 'cross-up',
      direction: 'up',
      value: 2.6,
      level_value: 2.5,
      basis: 'close',
      created_at: NOW - 200 * DAY,
    })
    .execute();
  const m = await db.k
    .insertInto('messages')
    .values([1, 2, 3, 4].map((i) => ({ kind: 'alert', body: '{}', dedupe_key: `test:${i}`, created_at: NOW - 200 * DAY })))
    .returning('id')
    .execute();
  const id = (i: number) => m[i]!.id;
  const rows = (message: number, n: number, status: 'sent' | 'dead' | 'pending', sentAt: number | null, createdAt: number) =>
    Array.from({ length: n }, (_, i) => ({
      message_id: message,
      subscription_id: i,
      platform: 'telegram',
      chat_id: String(i),
      status,
      sent_at: sentAt,
      created_at: createdAt,
    }));
  // 1000 old rows of each final status, 50 old pending, and 100 recent delivered, in this order (ids grow with age).
  for (const batch of [
    rows(id(0), 1000, 'sent', NOW - 120 * DAY, NOW - 120 * DAY),
    rows(id(1), 1000, 'dead', null, NOW - 100 * DAY),
    rows(id(2), 50, 'pending', null, NOW - 150 * DAY),
    rows(id(3), 100, 'sent', NOW - 10 * DAY, NOW - 10 * DAY),
  ]) {
    await db.k.insertInto('outbox').values(batch).execute();
  }
  return db;
}

const count = async (db: StoreDb, where: string) =>
  (await sql<{ n: number }>`SELECT count(*) AS n FROM outbox WHERE ${sql.raw(where)}`.execute(db.k)).rows[0]!.n;
const countOf = async (db: StoreDb, table: 'events' | 'messages') =>
  (await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(db.k)).rows[0]!.n;

describeOnEngines('outbox retention', (open) => {
  test('GIVEN old delivered, old dead, old pending and recent rows THEN only the old delivered and dead go; events stay', async () => {
    const db = await seed(await open());
    const r = await pruneOutbox(db, { olderThanMs: NOW - 90 * DAY, batch: 300 });
    expect(r).toEqual({ deleted: 2000, batches: 7, uploads: 0, chatTypes: 0, unexplained: 0, tokenNotes: 0 });
    expect(await count(db, "status = 'pending'")).toBe(50);
    expect(await count(db, "status = 'sent'")).toBe(100);
    expect(await count(db, "status = 'dead'")).toBe(0);
    expect(await countOf(db, 'events')).toBe(1);
    expect(await countOf(db, 'messages')).toBe(4);
    // A second run finds nothing.
    expect(await pruneOutbox(db, { olderThanMs: NOW - 90 * DAY, batch: 300 })).toEqual({
      deleted: 0,
      batches: 0,
      uploads: 0,
      chatTypes: 0,
      unexplained: 0,
      tokenNotes: 0,
    });
  });

  test('GIVEN chart uploads remembered for the replicas THEN those older than the cut-off go, recent ones and an upload in flight stay', async () => {
    const db = await open();
    const uploads = new ChartUploadStore(db);
    await uploads.remember('telegram', 'ratio:spx:MAX:v1', 'file-old', NOW - 100 * DAY);
    await uploads.remember('discord', 'ratio:spx:MAX:v1', 'https://cdn.example/old.png', NOW - 95 * DAY);
    await uploads.remember('telegram', 'ratio:spx:MAX:v9', 'file-new', NOW - DAY);
    expect(await uploads.begin('telegram', 'ratio:qqq:MAX:v1', NOW - 100 * DAY, 60_000)).toEqual({ upload: true });
    const r = await pruneOutbox(db, { olderThanMs: NOW - 90 * DAY });
    expect(r.uploads).toBe(2);
    expect(await uploads.get('telegram', 'ratio:spx:MAX:v1')).toBeUndefined();
    expect(await uploads.get('telegram', 'ratio:spx:MAX:v9')).toBe('file-new');
    const left = await sql<{ chart_key: string; ref: string }>`SELECT chart_key, ref FROM chart_uploads ORDER BY chart_key`.execute(db.k);
    expect(left.rows).toEqual([
      { chart_key: 'ratio:qqq:MAX:v1', ref: '' },
      { chart_key: 'ratio:spx:MAX:v9', ref: 'file-new' },
    ]);
  });

  test('GIVEN chat types of chats with and without a subscription left THEN only old ones whose chat has none, moved away or gone go', async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, { approachPct: 3, lang: 'en', now: () => NOW });
    const old = new ChatTypeStore(db, () => NOW - 100 * DAY);
    const chats = { active: '-1', stopped: '-2', settings: '-3', never: '-4', moved: '-5', gone: '-6', recent: '-7' };
    for (const id of Object.values(chats)) await old.record('telegram', id, 'group');
    await new ChatTypeStore(db, () => NOW - DAY).record('telegram', '-8', 'group');
    await subs.upsert('telegram', chats.active, {});
    await subs.upsert('telegram', chats.stopped, {});
    await subs.chatGone('telegram', chats.stopped, stopReason('removed', 'Forbidden: bot was kicked from the group chat'));
    await subs.upsert('telegram', chats.settings, { active: false, lang: 'zh-TW' });
    await subs.upsert('telegram', chats.moved, {});
    await subs.move('telegram', chats.moved, '-1005');
    await subs.upsert('telegram', chats.gone, {});
    await subs.chatGone('telegram', chats.gone, stopReason('gone', 'Bad Request: chat not found'));
    // The same id on Discord is another chat: its subscription keeps no Telegram chat's type.
    await subs.upsert('discord', chats.never, {});
    const r = await pruneOutbox(db, { olderThanMs: NOW - 90 * DAY });
    expect(r.chatTypes).toBe(4);
    const left = await db.k.selectFrom('chat_types').select('chat_id').orderBy('chat_id').execute();
    // -7 had no subscription, recorded long ago; -8 had none, recorded yesterday; -1005 took -5's type.
    expect(left.map((x) => x.chat_id).sort()).toEqual(['-1', '-1005', '-2', '-3', '-8'].sort());
  });

  test("GIVEN Discord's counts of unexplained refusals THEN those of channels no longer subscribed whose wait ended before the cut-off go; an active channel's stays whatever its age, a recent one's stays", async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, { approachPct: 3, lang: 'en' });
    const discord = new DiscordStore(db);
    await subs.upsert('discord', '701', {});
    await subs.upsert('discord', '702', {});
    await subs.chatGone('discord', '702', stopReason('gone', '10003 Unknown Channel'));
    const old = { count: 2, until: NOW - 100 * DAY };
    await discord.setUnexplained('701', old);
    await discord.setUnexplained('702', old);
    await discord.setUnexplained('703', old);
    await discord.setUnexplained('704', { count: 1, until: NOW - DAY });
    const r = await pruneOutbox(db, { olderThanMs: NOW - 90 * DAY });
    expect(r.unexplained).toBe(2);
    expect([...(await discord.unexplained()).keys()].sort()).toEqual(['701', '704']);
    expect((await pruneOutbox(db, { olderThanMs: NOW - 90 * DAY })).unexplained).toBe(0);
  });

  test("GIVEN refused-token notes of replicas THEN on PostgreSQL those of a replica not connected, written before the cut-off, go; a connected one's and a recent one's stay. On SQLite none (its start removes them)", async () => {
    const db = await open();
    const notes = new TokenNotes(db);
    const note = (by: string, since: number) => notes.put({ platform: 'telegram', by, reason: 'off: the Telegram token was refused', since, leads: false });
    await note('kept-host pid 7', NOW - 100 * DAY);
    await note('gone-host pid 9', NOW - 100 * DAY);
    await note('gone-host pid 10', NOW - DAY);
    // A replica connected: its sessions carry its name (store/leader.ts), as one of this pool's now does.
    if (db.engine === 'postgres') await sql`SET application_name = 'goldratio replica kept-host pid 7'`.execute(db.k);
    const r = await pruneOutbox(db, { olderThanMs: NOW - 90 * DAY });
    const left = (await notes.all()).map((n) => n.by).sort();
    if (db.engine === 'postgres') {
      expect(r.tokenNotes).toBe(1);
      expect(left).toEqual(['gone-host pid 10', 'kept-host pid 7']);
    } else {
      expect(r.tokenNotes).toBe(0);
      expect(left).toHaveLength(3);
    }
  });

  test('GIVEN a long prune THEN the event loop runs between batches (a send is never held for more than one batch)', async () => {
    const db = await seed(await open());
    let running = true;
    // A concurrent writer (like a send being recorded) gets in between batches.
    let writes = 0;
    let inFlight: Promise<void> = Promise.resolve();
    const writer = (): void => {
      if (!running) return;
      inFlight = sql`UPDATE outbox SET attempts = attempts + 1 WHERE id = (SELECT min(id) FROM outbox WHERE status = 'pending')`.execute(db.k).then(() => {
        writes++;
        setImmediate(writer);
      });
    };
    setImmediate(writer);
    const r = await pruneOutbox(db, { olderThanMs: NOW - 90 * DAY, batch: 50 });
    running = false;
    // The write that was waiting behind the last batch counts too.
    await inFlight;
    expect(r.batches).toBe(40);
    if (db.engine === 'sqlite') {
      // One connection, whose driver runs one query at a time: the writer gets in only between batches.
      expect(writes).toBeGreaterThanOrEqual(r.batches - 1);
    } else {
      // Its own connection, so its pace is the server's, not the batches' (a count per batch would
      // measure load): it is enough that it kept landing while the prune ran.
      expect(writes).toBeGreaterThan(0);
    }
  });

  test('GIVEN an abort THEN it stops after the current batch', async () => {
    const db = await seed(await open());
    const ac = new AbortController();
    setImmediate(() => ac.abort());
    const r = await pruneOutbox(db, { olderThanMs: NOW - 90 * DAY, batch: 100, signal: ac.signal });
    expect(r.batches).toBe(1);
    expect(await count(db, "status IN ('sent','dead')")).toBe(2100 - 100);
  });
});

test('RETENTION_DAYS: default 90, range 1..3650', () => {
  expect(loadConfig({}).retentionDays).toBe(90);
  expect(() => loadConfig({ RETENTION_DAYS: '0' })).toThrow(/RETENTION_DAYS: expected a whole number from 1 to 3650, got "0"/);
  expect(() => loadConfig({ RETENTION_DAYS: '5000' })).toThrow(/RETENTION_DAYS: expected a whole number from 1 to 3650, got "5000"/);
});
