/**
 * Groups and channels subscribed before chat types were kept, and quiet since, have no type: the
 * start asks getChat for each (src/platforms/telegram/type-scan.ts) and records what it answers, so
 * their alerts name the group or channel at once, not 本聊天室 until someone talks to the bot. A chat
 * that refuses the bot is stopped as a refused send stops it, and not asked again. Through the real
 * bot against the fake Bot API (SQLite), and the scan itself on both engines.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Api } from 'grammy';
import { FakeTelegram } from '../../fakes/telegram.ts';
import { makeTelegram, startBot, stopBot, type World } from '../../helpers/telegram-harness.ts';
import type { Telegram } from '../../../src/platforms/telegram/bot.ts';
import { until } from '../../helpers/replicas.ts';
import { onSqlite } from '../../../src/store/engine.ts';
import { ChatTypeStore } from '../../../src/store/chat-types.ts';
import { MetaStore } from '../../../src/store/meta.ts';
import { SubscriptionStore } from '../../../src/store/subscriptions.ts';
import { memoryLogger } from '../../../src/log.ts';
import { scanChatTypes, TYPE_SCAN_KEY } from '../../../src/platforms/telegram/type-scan.ts';
import { describeOnEngines } from '../../helpers/engines.ts';
import '../../../src/chat/registry.ts';

describe('Telegram start: subscribed chats with no type recorded', () => {
  let fake: FakeTelegram;
  let world: World;
  let tg: Telegram;
  beforeEach(async () => {
    ({ fake, world, tg } = await startBot());
  });
  afterEach(() => stopBot({ fake, world, tg }));

  const typeOf = (chatId: string) => new ChatTypeStore(onSqlite(world.db)).get('telegram', chatId);
  const asked = (chatId: string | number): number => fake.callsTo('getChat', chatId).length;

  /** Stops the bot and starts it again; resolves with the start's chat-type scan line. */
  async function restart(): Promise<string> {
    await tg.stop();
    const from = world.log.lines.length;
    tg = makeTelegram(world);
    await tg.start();
    return until('the chat-type scan', () => world.log.lines.slice(from).find((l) => /chat-type scan(:| cut short)/.test(l)), 10_000);
  }

  test('GIVEN groups and channels subscribed with no type THEN the start records each one’s type from getChat (a 429 waited out), stops those that refuse the bot, moves an upgraded group, and a restart asks nothing', async () => {
    const subs = world.deps.subs;
    for (const id of ['-950', '-1009501', '-1009502', '-952', '-953', '-954', '-955', '-956', '4242']) await subs.upsert('telegram', id, {});
    fake.setChatType(-950, 'group');
    fake.setChatType(-1009501, 'channel');
    fake.fault(-1009501, { kind: 'too-many', retryAfter: 1 }, { methods: ['getChat'], times: 1 });
    fake.setChatType(-1009502, 'supergroup');
    fake.fault(-952, { kind: 'kicked' }, { methods: ['getChat'] });
    fake.fault(-953, { kind: 'not-found' }, { methods: ['getChat'] });
    fake.fault(-954, { kind: 'migrated', to: -1009540 }, { methods: ['getChat'] });
    fake.setChatType(-1009540, 'supergroup');
    // Known already, or not subscribed: not asked.
    await new ChatTypeStore(onSqlite(world.db)).record('telegram', '-955', 'group');
    await subs.deactivate('telegram', '-956', 'unsubscribed');

    const line = await restart();
    expect(line).toContain('chat-type scan: 6 subscribed chat(s) with no type, 7 asked, 4 recorded, 2 refused the bot and stopped');
    expect(await typeOf('-950')).toBe('group');
    expect(await typeOf('-1009501')).toBe('channel');
    expect(await typeOf('-1009502')).toBe('supergroup');
    expect(await typeOf('-1009540')).toBe('supergroup');
    expect(asked(-1009501)).toBe(2);
    expect((await subs.get('telegram', '-1009540'))?.active).toBe(true);
    expect(await subs.get('telegram', '-952')).toMatchObject({ active: false, deactivatedReason: 'removed: Forbidden: bot was kicked from the group chat' });
    expect(await subs.get('telegram', '-953')).toMatchObject({ active: false, deactivatedReason: 'gone: Bad Request: chat not found' });
    expect(asked(-955) + asked(-956) + asked(4242)).toBe(0);

    // Every subscribed chat typed or stopped: the next start asks nothing, the refused chats included.
    const calls = fake.callsTo('getChat').length;
    expect(await restart()).toContain('every subscribed group and channel has its type');
    expect(fake.callsTo('getChat').length).toBe(calls);
  });
});

describeOnEngines('the chat-type scan', (open) => {
  test('GIVEN a subscribed group with no type and one that blocked the bot THEN one is recorded, the other stopped; a scan another process holds asks nothing', async () => {
    const fake = await FakeTelegram.start();
    try {
      const db = await open();
      const subs = new SubscriptionStore(db, { approachPct: 3, lang: 'en' });
      const chatTypes = new ChatTypeStore(db);
      const meta = new MetaStore(db);
      const log = memoryLogger();
      const api = new Api(fake.token, { apiRoot: fake.apiRoot });
      await subs.upsert('telegram', '-960', {});
      await subs.upsert('telegram', '-961', {});
      fake.setChatType(-960, 'group');
      fake.fault(-961, { kind: 'forbidden', description: 'bot was kicked from the supergroup chat' }, { methods: ['getChat'] });
      let now = 1_000_000;
      const deps = { api, chatTypes, subs, meta, log, now: () => now, gapMs: 0 };

      // Another process's scan under way (a lease not yet old): this one leaves it.
      await meta.set(TYPE_SCAN_KEY, String(now - 1000));
      await scanChatTypes(deps, new AbortController().signal);
      expect(fake.callsTo('getChat')).toHaveLength(0);

      now += 600_000;
      await scanChatTypes(deps, new AbortController().signal);
      expect(await new ChatTypeStore(db).get('telegram', '-960')).toBe('group');
      expect((await subs.get('telegram', '-961'))?.deactivatedReason).toBe('removed: Forbidden: bot was kicked from the supergroup chat');
      expect(await chatTypes.untypedActive('telegram')).toEqual([]);
      expect(await meta.get(TYPE_SCAN_KEY)).toBe('0');
      await scanChatTypes(deps, new AbortController().signal);
      expect(fake.callsTo('getChat')).toHaveLength(2);
    } finally {
      await fake.close();
    }
  });

  test('GIVEN getChat answering a 400 that names no refusal, and one that says Telegram failed for a moment THEN the first is recorded as asked with an error and not asked at the next start, the second is asked again', async () => {
    const fake = await FakeTelegram.start();
    try {
      const db = await open();
      const subs = new SubscriptionStore(db, { approachPct: 3, lang: 'en' });
      const chatTypes = new ChatTypeStore(db);
      const log = memoryLogger();
      const api = new Api(fake.token, { apiRoot: fake.apiRoot });
      await subs.upsert('telegram', '-970', {});
      await subs.upsert('telegram', '-971', {});
      fake.fault(-970, { kind: 'bad-request', description: 'CHAT_INVALID' }, { methods: ['getChat'] });
      fake.fault(-971, { kind: 'bad-request', description: 'RPC_CALL_FAIL' }, { methods: ['getChat'], times: 1 });
      fake.setChatType(-971, 'group');
      const deps = { api, chatTypes, subs, meta: new MetaStore(db), log, now: () => 1_000_000, gapMs: 0 };

      await scanChatTypes(deps, new AbortController().signal);
      expect(log.lines.find((l) => l.includes('chat-type scan:'))).toContain(
        '2 subscribed chat(s) with no type, 2 asked, 0 recorded, 1 refused to say (not asked again)',
      );
      expect(log.lines.filter((l) => l.includes('could not ask chat'))).toEqual([
        expect.stringMatching(/could not ask chat -970's type \(400 Bad Request: CHAT_INVALID\): not asked again until it talks to the bot$/),
        expect.stringMatching(/could not ask chat -971's type, skipped until the next start \(400 Bad Request: RPC_CALL_FAIL\)$/),
      ]);
      // Still subscribed: a chat that would not say its type is no chat gone.
      expect((await subs.get('telegram', '-970'))?.active).toBe(true);
      expect(await chatTypes.untypedActive('telegram')).toEqual(['-971']);

      // The next start asks the transient one alone, and the chat's own word later records its type over the mark.
      await scanChatTypes(deps, new AbortController().signal);
      expect(fake.callsTo('getChat', -970)).toHaveLength(1);
      expect(fake.callsTo('getChat', -971)).toHaveLength(2);
      expect(await new ChatTypeStore(db).get('telegram', '-971')).toBe('group');
      await new ChatTypeStore(db).record('telegram', '-970', 'supergroup');
      expect(await new ChatTypeStore(db).get('telegram', '-970')).toBe('supergroup');
    } finally {
      await fake.close();
    }
  });
});
