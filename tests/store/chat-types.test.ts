/**
 * What kind of chat each chat is (store/chat-types.ts, migration 024), on both engines: recorded
 * once a process (the same type again writes nothing), changed when the platform says otherwise,
 * carried to the new id when a group becomes a supergroup (SubscriptionStore.move), and absent for
 * a chat of a database written before 024, whose subscription is kept as it was.
 */
import { describe, expect, test } from 'vitest';
import type { StoreDb } from '../../src/store/engine.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { ChatTypeStore } from '../../src/store/chat-types.ts';
import { describeOnEngines } from '../helpers/engines.ts';
import { describeWithPostgres } from '../helpers/postgres.ts';
import { upgradedStore } from '../helpers/old-store.ts';

const updatedAt = async (db: StoreDb, chatId: string) =>
  Number(
    (await db.k.selectFrom('chat_types').select('updated_at').where('platform', '=', 'telegram').where('chat_id', '=', chatId).executeTakeFirst())?.updated_at,
  );

describeOnEngines('chat types', (open) => {
  test('GIVEN a chat recorded twice with the same type THEN one write; another process reads it; a type the platform changes is written', async () => {
    const db = await open();
    let now = 1000;
    const types = new ChatTypeStore(db, () => now);
    await types.record('telegram', '-100123', 'supergroup');
    now = 2000;
    await types.record('telegram', '-100123', 'supergroup');
    expect(await updatedAt(db, '-100123')).toBe(1000);
    // Another process (a replica, the next start) reads what this one wrote, and writes nothing for the same type.
    const other = new ChatTypeStore(db, () => now);
    expect(await other.get('telegram', '-100123')).toBe('supergroup');
    await other.record('telegram', '-100123', 'supergroup');
    expect(await updatedAt(db, '-100123')).toBe(1000);
    await other.record('telegram', '-100123', 'channel');
    expect(await other.get('telegram', '-100123')).toBe('channel');
    expect(await updatedAt(db, '-100123')).toBe(2000);
    expect(await other.get('telegram', '-100999')).toBeUndefined();
    // The same id on another platform is another chat.
    expect(await other.get('discord', '-100123')).toBeUndefined();
  });

  test('GIVEN more chats than a process remembers THEN the least recently used is forgotten: recorded again once its row is gone, one still remembered is not', async () => {
    const db = await open();
    const types = new ChatTypeStore(db, Date.now, 2);
    await types.record('telegram', '-1', 'group');
    await types.record('telegram', '-2', 'group');
    await types.get('telegram', '-1');
    await types.record('telegram', '-3', 'group');
    // -2 was used least recently: forgotten. Retention prunes every row meanwhile.
    await db.k.deleteFrom('chat_types').execute();
    for (const id of ['-1', '-2']) await types.record('telegram', id, 'group');
    const rows = await db.k.selectFrom('chat_types').select('chat_id').execute();
    expect(rows.map((r) => r.chat_id)).toEqual(['-2']);
  });

  test('GIVEN a group that became a supergroup THEN its subscription moves with its type, still a group; an id already known keeps its own', async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, { approachPct: 3, lang: 'zh-TW' });
    const types = new ChatTypeStore(db);
    await subs.upsert('telegram', '-4001', {});
    await types.record('telegram', '-4001', 'group');
    await subs.move('telegram', '-4001', '-1004001');
    expect((await subs.get('telegram', '-1004001'))?.active).toBe(true);
    expect(await types.get('telegram', '-1004001')).toBe('supergroup');
    // The supergroup spoke first (its type recorded): the move leaves it as it is.
    await subs.upsert('telegram', '-4002', {});
    await types.record('telegram', '-4002', 'group');
    await types.record('telegram', '-1004002', 'supergroup');
    await subs.move('telegram', '-4002', '-1004002');
    expect(await new ChatTypeStore(db).get('telegram', '-1004002')).toBe('supergroup');
    // A chat of no known type moves with none.
    await subs.upsert('telegram', '-4003', {});
    await subs.move('telegram', '-4003', '-1004003');
    expect(await types.get('telegram', '-1004003')).toBeUndefined();
  });
});

const BEFORE = MIGRATIONS.filter((m) => m.version < 24);
const ROWS = `INSERT INTO subscriptions (id, platform, chat_id, active, pairs, level_ids, custom_levels, approach_pct, lang, created_at, updated_at) VALUES
  (1, 'telegram', '-1001001', 1, '["spx-gold"]', 'all', '[{"pair":"spx-gold","value":1.8}]', 3, 'zh-TW', 1, 1)`;

async function expectMigrated(db: StoreDb): Promise<void> {
  // The subscription is as it was; its type is not known until the chat talks to the bot again.
  const sub = await new SubscriptionStore(db, { approachPct: 3, lang: 'en' }).get('telegram', '-1001001');
  expect(sub).toMatchObject({ active: true, lang: 'zh-TW', customLevels: [{ pair: 'spx-gold', value: 1.8 }] });
  const types = new ChatTypeStore(db);
  expect(await types.get('telegram', '-1001001')).toBeUndefined();
  await types.record('telegram', '-1001001', 'channel');
  expect(await new ChatTypeStore(db).get('telegram', '-1001001')).toBe('channel');
}

describe('migration 024 on SQLite', () => {
  test('GIVEN a file written before 024 with a subscription THEN it opens with the subscription as it was and no type for it', async () => {
    await expectMigrated(await upgradedStore('sqlite', BEFORE, [ROWS]));
  });
});

describeWithPostgres('migration 024 on PostgreSQL', () => {
  test('GIVEN a database written before 024 with a subscription THEN it opens with the subscription as it was and no type for it', async () => {
    await expectMigrated(await upgradedStore('postgres', BEFORE, [ROWS]));
  });
});
