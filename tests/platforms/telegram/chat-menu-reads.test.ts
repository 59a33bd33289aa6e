/**
 * The chat-menu check after each answered update (chat-menu.ts) reads a chat's menu as given (meta)
 * and its subscription's language once a process: the chat's next updates read nothing for it, and
 * a /lang the bot answers tells it the chat's new language, so its menu still follows. Counted
 * through the real stores (SQLite), the real bot against the fake Bot API; each update's share of
 * the reads is what lies between its ChatTypeStore.record (the first middleware, each update's first
 * store call) and the next update's, which one chat's updates take in turn (sequentialize).
 */
import { afterEach, expect, test } from 'vitest';
import { FakeTelegram, type FakeUser } from '../../fakes/telegram.ts';
import { makeWorld, nextAnswer, telegramEnv, type World } from '../../helpers/telegram-harness.ts';
import { countedCalls } from '../../helpers/store-calls.ts';
import { createTelegram, menuCommands, type Telegram } from '../../../src/platforms/telegram/bot.ts';
import { MetaStore } from '../../../src/store/meta.ts';
import { ChatTypeStore } from '../../../src/store/chat-types.ts';
import { onSqlite } from '../../../src/store/engine.ts';

let fake: FakeTelegram | undefined;
let world: World | undefined;
let tg: Telegram | undefined;

afterEach(async () => {
  await tg?.stop();
  await fake?.close();
  world?.cleanup();
  tg = undefined;
  fake = undefined;
  world = undefined;
});

/** A bot whose subscriptions, meta and chat types are counted into the list returned; `replicas`: one of several, its clock `now`. */
async function countedBot(replicas?: { now: () => number }): Promise<string[]> {
  fake = await FakeTelegram.start();
  world = makeWorld(telegramEnv(fake));
  const calls: string[] = [];
  tg = createTelegram({
    config: world.config,
    deps: { ...world.deps, subs: countedCalls(world.deps.subs, calls) },
    charts: world.charts,
    log: world.log,
    meta: countedCalls(new MetaStore(onSqlite(world.db)), calls),
    chatTypes: countedCalls(new ChatTypeStore(onSqlite(world.db)), calls),
    ...(replicas === undefined ? {} : { replicas: true, now: replicas.now }),
  });
  await tg.start();
  // With replicas, long polling is the leader's: this one leads.
  if (replicas !== undefined) await tg.leaderOnly?.start(new AbortController().signal);
  return calls;
}

/**
 * Types each text into the private chat `user.id`, each after the last was answered, then /help
 * once more (closing the last one's share): each text's store calls, from its update's start to the next's.
 */
async function readsOf(calls: string[], user: FakeUser, ...texts: string[]): Promise<string[][]> {
  const from = calls.length;
  for (const text of [...texts, '/help']) await nextAnswer(fake!, user.id, text, user, 'private');
  const starts = calls.flatMap((c, i) => (i >= from && c === 'ChatTypeStore.record' ? [i] : []));
  expect(starts).toHaveLength(texts.length + 1);
  return texts.map((_, k) => calls.slice(starts[k], starts[k + 1]));
}

const menuCalls = (chatId: number) => [...fake!.callsTo('setMyCommands', chatId), ...fake!.callsTo('deleteMyCommands', chatId)];

test('GIVEN a zh-hans reader’s two messages THEN the second’s menu check reads nothing: neither meta nor the subscription again', async () => {
  const calls = await countedBot();
  const user: FakeUser = { id: 23101, first_name: 'Lin', language_code: 'zh-hans' };
  const [first, second] = await readsOf(calls, user, '/help', '/help');
  // The answer to /help reads the subscription twice; the first's menu check read it once more and
  // its menu as given (none), set it, and wrote it down.
  const answerReads = ['ChatTypeStore.record', 'SubscriptionStore.get', 'SubscriptionStore.get'];
  expect(first).toEqual([...answerReads, 'SubscriptionStore.get', 'MetaStore.get', 'MetaStore.set']);
  expect(menuCalls(23101).map((c) => c.method)).toEqual(['setMyCommands']);
  // The second: only what its answer reads.
  expect(second).toEqual(answerReads);
});

test('GIVEN one replica of several WHEN a reader’s messages come within a second THEN the marks of change are read once for them all, and the later ones read nothing else for the menu', async () => {
  // A clock that stands still: every message within the same second.
  const now = Date.parse('2026-12-08T04:00:00Z');
  const calls = await countedBot({ now: () => now });
  const user: FakeUser = { id: 23103, first_name: 'Lin', language_code: 'zh-hans' };
  const marks = (reads: string[]) => reads.filter((c) => c === 'SubscriptionStore.version').length;
  const [first, second, third] = await readsOf(calls, user, '/help', '/help', '/help');
  const answerReads = ['ChatTypeStore.record', 'SubscriptionStore.get', 'SubscriptionStore.get'];
  // The first reads the marks (subs_version, and the menus' mark in meta), the chat, and its menu, which it sets and marks.
  expect(marks(first!)).toBe(1);
  expect(first).toContain('MetaStore.set');
  // Its own menu mark moved them: the second, still within the second, reads none of it again.
  expect(second).toEqual(answerReads);
  expect(third).toEqual(answerReads);
  expect(menuCalls(23103).map((c) => c.method)).toEqual(['setMyCommands']);
});

test('GIVEN an English reader’s chat read once THEN its /lang 简体 still gives it the Simplified menu, and its next message reads nothing for it', async () => {
  const calls = await countedBot();
  const user: FakeUser = { id: 23102, first_name: 'Ann', language_code: 'en' };
  const [, lang, after] = await readsOf(calls, user, '/help', '/lang 简体', '/help');
  expect(menuCalls(23102).map((c) => c.method)).toEqual(['setMyCommands']);
  expect(fake!.menus.seenBy({ chat: 'private', chatId: 23102, userId: user.id, languageCode: 'en' })).toEqual(menuCommands('zh-CN', 'private'));
  // The /lang's own write told the menus; its menu check read neither the subscription nor the meta key again.
  expect(lang!.filter((c) => c === 'SubscriptionStore.upsert')).toHaveLength(1);
  expect(lang!.filter((c) => c === 'MetaStore.get')).toEqual([]);
  expect(after).toEqual(['ChatTypeStore.record', 'SubscriptionStore.get', 'SubscriptionStore.get']);
  expect(menuCalls(23102)).toHaveLength(1);
});
