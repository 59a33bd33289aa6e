/**
 * What readers still met (round 23), typed into the Telegram fake (and the Discord fake where it
 * differs), answered by the real bots: a Simplified chat's own command menu (Telegram keys menus by
 * two letters, so zh-hans read the Traditional `zh` list).
 */
import { afterEach, describe, expect, test } from 'vitest';
import { makeTelegram, nextAnswer, startBot, stopBot, type RunningBot } from '../helpers/telegram-harness.ts';
import { CHAT_MENU_PREFIX } from '../../src/platforms/telegram/chat-menu.ts';
import { menuCommands } from '../../src/platforms/telegram/bot.ts';
import type { FakeUser } from '../fakes/telegram.ts';

describe('a Simplified chat’s command menu: its own, set once (setMyCommands with the chat’s scope)', () => {
  let running: RunningBot | undefined;
  afterEach(async () => {
    if (running !== undefined) await stopBot(running);
    running = undefined;
  });

  /**
   * Types each text into `chatId` as `user`, each after the last was answered; then once more, so
   * that the last one's menu check (made after its answer, before the chat's next update) is done.
   */
  async function typeIn(chatId: number, user: FakeUser, ...texts: string[]): Promise<void> {
    const { fake } = running!;
    for (const text of [...texts, '/help']) await nextAnswer(fake, chatId, text, user, chatId > 0 ? 'private' : 'supergroup');
  }
  const seen = (chatId: number, user: FakeUser) =>
    running!.fake.menus.seenBy({
      chat: chatId > 0 ? 'private' : 'group',
      chatId,
      userId: user.id,
      ...(user.language_code !== undefined ? { languageCode: user.language_code } : {}),
    });
  const menuCalls = (chatId: number) => [...running!.fake.callsTo('setMyCommands', chatId), ...running!.fake.callsTo('deleteMyCommands', chatId)];

  test('GIVEN a zh-hans reader’s first /start THEN their chat’s menu is Simplified (本对话的订阅), set once: more messages and a restart ask nothing again', async () => {
    running = await startBot();
    const user: FakeUser = { id: 23001, first_name: 'Lin', language_code: 'zh-hans' };
    await typeIn(23001, user, '/start');
    expect(seen(23001, user)).toEqual(menuCommands('zh-CN', 'private'));
    expect(seen(23001, user).find((c) => c.command === 'mylevels')?.description).toBe('本对话的订阅；添加或删除本对话点位');
    const calls = menuCalls(23001);
    expect(calls.map((c) => [c.method, c.params.scope])).toEqual([['setMyCommands', { type: 'chat', chat_id: 23001 }]]);
    expect(running.world.db.prepare('SELECT value FROM meta WHERE key = ?').get(`${CHAT_MENU_PREFIX}23001`)).toEqual({
      value: expect.stringMatching(/^zh-CN /),
    });

    await typeIn(23001, user, '/ratio');
    await running.tg.stop();
    const tg = makeTelegram(running.world);
    running = { ...running, tg };
    await tg.start();
    await typeIn(23001, user, '/ratio');
    expect(menuCalls(23001)).toHaveLength(1);
  });

  test.each([
    ['zh-hant', 'zh-TW'],
    ['zh-tw', 'zh-TW'],
    ['en', 'en'],
  ])('GIVEN a %s reader’s /start THEN no menu of the chat’s own: the %s one per language_code reads right', async (code, lang) => {
    running = await startBot();
    const user: FakeUser = { id: 23002, first_name: 'Lin', language_code: code };
    await typeIn(23002, user, '/start');
    expect(menuCalls(23002)).toEqual([]);
    expect(seen(23002, user)).toEqual(menuCommands(lang as 'en' | 'zh-TW', 'private'));
  });

  test('GIVEN an English private chat’s /lang 简体 THEN its menu is Simplified; /lang en takes the chat’s own away (deleteMyCommands), back to the English one', async () => {
    running = await startBot();
    const user: FakeUser = { id: 23003, first_name: 'Ann', language_code: 'en' };
    await typeIn(23003, user, '/lang 简体');
    expect(seen(23003, user)).toEqual(menuCommands('zh-CN', 'private'));
    await typeIn(23003, user, '/lang en');
    expect(menuCalls(23003).map((c) => c.method)).toEqual(['setMyCommands', 'deleteMyCommands']);
    expect(menuCalls(23003)[1]!.params.scope).toEqual({ type: 'chat', chat_id: 23003 });
    expect(seen(23003, user)).toEqual(menuCommands('en', 'private'));
    expect(running.world.db.prepare('SELECT value FROM meta WHERE key = ?').get(`${CHAT_MENU_PREFIX}23003`)).toBeUndefined();
  });

  test('GIVEN a group’s /lang 简体 THEN every member’s menu there is the group’s Simplified one (本群), an English member’s too', async () => {
    running = await startBot();
    const admin: FakeUser = { id: 23004, first_name: 'Wei', language_code: 'zh-hans' };
    const member: FakeUser = { id: 23005, first_name: 'Bob', language_code: 'en' };
    running.fake.setMember(-1002300, admin.id, 'administrator');
    await typeIn(-1002300, admin, '/lang 简体');
    expect(seen(-1002300, member)).toEqual(menuCommands('zh-CN', 'group'));
    expect(seen(-1002300, member).find((c) => c.command === 'mylevels')?.description).toBe('本群的订阅；添加或删除本群点位');
  });

  test('GIVEN the chat’s menu refused (403 blocked) THEN the replies go on, the refusal is logged once, and not asked again in this process', async () => {
    running = await startBot();
    running.fake.fault(23006, { kind: 'blocked' }, { methods: ['setMyCommands'] });
    const user: FakeUser = { id: 23006, first_name: 'Lin', language_code: 'zh-cn' };
    await typeIn(23006, user, '/start', '/ratio');
    expect(menuCalls(23006).map((c) => c.status)).toEqual([403]);
    expect(running.world.log.lines.filter((l) => l.includes('could not set chat 23006'))).toHaveLength(1);
  });

  test('GIVEN the chat’s menu answered 429 THEN the reply stands, the pause is logged once, and the chat’s next message after it sets the menu', async () => {
    running = await startBot();
    // retry_after 0: the pause is over by the next message, so nothing here waits on a clock.
    running.fake.fault(23007, { kind: 'too-many', retryAfter: 0 }, { methods: ['setMyCommands'], times: 1 });
    const user: FakeUser = { id: 23007, first_name: 'Lin', language_code: 'zh-sg' };
    await typeIn(23007, user, '/start', '/ratio');
    expect(menuCalls(23007).map((c) => c.status)).toEqual([429, 200]);
    expect(running.world.log.lines.filter((l) => l.includes('chat menus paused'))).toHaveLength(1);
    expect(seen(23007, user)).toEqual(menuCommands('zh-CN', 'private'));
  });
});
