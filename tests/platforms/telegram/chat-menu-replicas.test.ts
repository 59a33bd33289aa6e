/**
 * Two replicas of the bot on one database, in webhook mode behind a load balancer that sends a
 * chat's updates to either (chat-menu.ts): each remembers what it saw of a chat, its language and
 * its own menu, and a /lang answered by one sets the chat's menu there. What the reader's app shows
 * (the fake's menus as Telegram would resolve them) is asserted after each step: the other replica,
 * remembering the chat as it was, must never set the menu back, nor miss a change it answers itself,
 * nor keep what it remembers past another's change for longer than SHARED_CHECK_MS (a second), nor
 * any of it longer than MEMORY_MS. The real bots (grammY) against the Telegram fake;
 * the real SQLite stores, each replica its own.
 */
import { afterEach, expect, test } from 'vitest';
import { FakeTelegram, type FakeUser } from '../../fakes/telegram.ts';
import { makeWorld, telegramEnv, type World } from '../../helpers/telegram-harness.ts';
import { createTelegram, menuCommands, type Telegram } from '../../../src/platforms/telegram/bot.ts';
import { MEMORY_MS, SHARED_CHECK_MS } from '../../../src/platforms/telegram/chat-menu.ts';
import { MetaStore } from '../../../src/store/meta.ts';
import { ChatTypeStore } from '../../../src/store/chat-types.ts';
import { SubscriptionStore } from '../../../src/store/subscriptions.ts';
import { onSqlite } from '../../../src/store/engine.ts';

const SECRET = 'menu-replicas-secret';

let fake: FakeTelegram | undefined;
let world: World | undefined;
const replicas: Telegram[] = [];

afterEach(async () => {
  await Promise.all(replicas.splice(0).map((r) => r.stop()));
  await fake?.close();
  world?.cleanup();
  fake = undefined;
  world = undefined;
});

/** A replica as main.ts wires one on a shared database: its own stores on it, webhook mode, `replicas`; its clock `now`. */
function replica(now: () => number = Date.now): Telegram {
  const db = onSqlite(world!.db);
  const config = world!.config;
  const r = createTelegram({
    config,
    deps: { ...world!.deps, subs: new SubscriptionStore(db, { approachPct: config.approachPct, lang: config.defaultLang }) },
    charts: world!.charts,
    log: world!.log,
    meta: new MetaStore(db),
    chatTypes: new ChatTypeStore(db),
    webhookPort: 0,
    replicas: true,
    now,
  });
  replicas.push(r);
  return r;
}

async function twoReplicas(bNow?: () => number): Promise<[Telegram, Telegram]> {
  fake = await FakeTelegram.start();
  world = makeWorld(telegramEnv(fake, { TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/tg/hook', TELEGRAM_WEBHOOK_SECRET: SECRET }));
  const [a, b] = [replica(), replica(bNow)];
  await Promise.all([a.start(), b.start()]);
  return [a, b];
}

let updateId = 0;
/**
 * `text` typed by `user` in their private chat, POSTed to replica `r` as the load balancer sends it;
 * resolves once the bot answered. The webhook answers once the update's middleware is done, the menu
 * check after the reply among it (nextMenuCall waits for that check's call to the Bot API, where one is made).
 */
async function typed(r: Telegram, user: FakeUser, text: string): Promise<void> {
  const from = fake!.calls.length;
  const id = ++updateId;
  const res = await fetch(`http://127.0.0.1:${r.webhookPort()}/tg/hook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify({
      update_id: id,
      message: {
        message_id: id,
        date: Math.floor(Date.now() / 1000),
        text,
        chat: { id: user.id, type: 'private', first_name: user.first_name },
        from: { is_bot: false, ...user },
        entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }],
      },
    }),
  });
  expect(res.status).toBe(200);
  await fake!.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(user.id), undefined, from);
}

const menuCalls = (chatId: number) =>
  fake!.calls.filter((c) => (c.method === 'setMyCommands' || c.method === 'deleteMyCommands') && c.chatId === String(chatId)).map((c) => c.method);
/** The next menu call for the chat's own scope, from call `from` on. */
const nextMenuCall = (chatId: number, from: number) =>
  fake!.waitFor((c) => (c.method === 'setMyCommands' || c.method === 'deleteMyCommands') && c.chatId === String(chatId), undefined, from);
const seen = (user: FakeUser) => fake!.menus.seenBy({ chat: 'private', chatId: user.id, userId: user.id, languageCode: user.language_code! });

test('GIVEN replica B remembering an English chat WHEN A answers its /lang 繁體 and B its /help THEN B leaves A’s Traditional menu; a /lang en answered by B takes it away', async () => {
  const [a, b] = await twoReplicas();
  const user: FakeUser = { id: 24101, first_name: 'Ann', language_code: 'en' };
  await typed(b, user, '/help');
  expect(menuCalls(user.id)).toEqual([]);
  let from = fake!.calls.length;
  await typed(a, user, '/lang 繁體');
  await nextMenuCall(user.id, from);
  expect(seen(user)).toEqual(menuCommands('zh-TW', 'private'));
  // B remembers the chat in English with no menu of its own: both as they were, so it does nothing (the webhook answered after its check).
  await typed(b, user, '/help');
  expect(menuCalls(user.id)).toEqual(['setMyCommands']);
  expect(seen(user)).toEqual(menuCommands('zh-TW', 'private'));
  // B's own /lang en: its write reads the menu as given (A's), which English in an English app takes away.
  from = fake!.calls.length;
  await typed(b, user, '/lang en');
  expect((await nextMenuCall(user.id, from)).method).toBe('deleteMyCommands');
  expect(seen(user)).toEqual(menuCommands('en', 'private'));
  // And A, remembering the chat in Traditional with its menu, leaves it so.
  await typed(a, user, '/help');
  expect(menuCalls(user.id)).toEqual(['setMyCommands', 'deleteMyCommands']);
  expect(seen(user)).toEqual(menuCommands('en', 'private'));
});

test('GIVEN replica B remembering an English chat that A set to Traditional WHEN its reader’s app turns Traditional after MEMORY_MS THEN B reads the chat again and takes the chat’s own menu away (the app’s zh menu is Traditional), never an English one', async () => {
  let later = 0;
  const [a, b] = await twoReplicas(() => Date.now() + later);
  const user: FakeUser = { id: 24102, first_name: 'Bo', language_code: 'en' };
  // The chat's language stored as English (B remembers it so), its menu the app's.
  await typed(b, user, '/lang en');
  expect(menuCalls(user.id)).toEqual([]);
  const from = fake!.calls.length;
  await typed(a, user, '/lang 繁體');
  await nextMenuCall(user.id, from);
  // The reader's app now reads Traditional: the general zh menu is the chat's language, so the chat's own goes.
  // B, had it kept the chat as English, would set an English menu over it.
  const zh: FakeUser = { ...user, language_code: 'zh-hant' };
  later = MEMORY_MS + 1000;
  const next = fake!.calls.length;
  await typed(b, zh, '/help');
  expect((await nextMenuCall(user.id, next)).method).toBe('deleteMyCommands');
  expect(seen(zh)).toEqual(menuCommands('zh-TW', 'private'));
});

test('GIVEN replica B remembering an English chat that A set to Traditional WHEN its reader’s app turns Traditional a second later THEN B, having read that the subscriptions changed, reads the chat again and takes its own menu away, not five minutes later', async () => {
  let later = 0;
  const [a, b] = await twoReplicas(() => Date.now() + later);
  const user: FakeUser = { id: 24103, first_name: 'Cy', language_code: 'en' };
  await typed(b, user, '/lang en');
  const from = fake!.calls.length;
  await typed(a, user, '/lang 繁體');
  await nextMenuCall(user.id, from);
  const zh: FakeUser = { ...user, language_code: 'zh-hant' };
  // Past B's check interval, far short of MEMORY_MS: B, with the chat remembered as English, would set an English menu over it.
  later = SHARED_CHECK_MS + 1;
  const next = fake!.calls.length;
  await typed(b, zh, '/help');
  expect((await nextMenuCall(user.id, next)).method).toBe('deleteMyCommands');
  expect(seen(zh)).toEqual(menuCommands('zh-TW', 'private'));
});

test('GIVEN a Traditional chat whose menu B set for an English app, taken away by A when the app turned Traditional WHEN the app turns English again and B answers a second later THEN B reads that A changed the menus and sets the Traditional menu again, where it kept its memory of the menu it gave', async () => {
  let later = 0;
  const [a, b] = await twoReplicas(() => Date.now() + later);
  const user: FakeUser = { id: 24104, first_name: 'Di', language_code: 'en' };
  let from = fake!.calls.length;
  await typed(b, user, '/lang 繁體');
  expect((await nextMenuCall(user.id, from)).method).toBe('setMyCommands');
  // The app turns Traditional: its general zh menu is the chat's language, so A takes the chat's own away.
  const zh: FakeUser = { ...user, language_code: 'zh-hant' };
  from = fake!.calls.length;
  await typed(a, zh, '/help');
  expect((await nextMenuCall(user.id, from)).method).toBe('deleteMyCommands');
  // Back to English, answered by B, which remembers giving the Traditional menu: that memory is stale.
  later = SHARED_CHECK_MS + 1;
  from = fake!.calls.length;
  await typed(b, user, '/help');
  expect((await nextMenuCall(user.id, from)).method).toBe('setMyCommands');
  expect(seen(user)).toEqual(menuCommands('zh-TW', 'private'));
  expect(menuCalls(user.id)).toEqual(['setMyCommands', 'deleteMyCommands', 'setMyCommands']);
});
