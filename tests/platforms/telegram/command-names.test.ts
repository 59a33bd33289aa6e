/**
 * A command named inside a reply, through the Telegram fake and the real bot: Telegram's command
 * names can only be Latin, so a Chinese chat is told `/subscribe`, the name its menu shows.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { FakeTelegram, FakeUser } from '../../fakes/telegram.ts';
import { startBot, stopBot, type World } from '../../helpers/telegram-harness.ts';
import type { Telegram } from '../../../src/platforms/telegram/bot.ts';

let fake: FakeTelegram;
let world: World;
let tg: Telegram;

beforeEach(async () => ({ fake, world, tg } = await startBot()));
afterEach(() => stopBot({ fake, world, tg }));

describe('a command named in a Telegram reply', () => {
  test.each([
    ['zh-TW', 71, '本對話尚未訂閱。請使用 /subscribe 接收水位通知。'],
    ['zh-CN', 72, '本对话尚未订阅。请使用 /subscribe 接收点位提醒。'],
  ])('GIVEN /mylevels in an unsubscribed %s chat THEN the reply names /subscribe, as Telegram’s menu does', async (language_code, chatId, expected) => {
    const user: FakeUser = { id: 6000 + chatId, first_name: 'Mei', language_code };
    const from = fake.calls.length;
    fake.textMessage(chatId, '/mylevels', user);
    const call = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(chatId), undefined, from);
    expect(call.params.text).toBe(expected);
  });

  test.each([
    ['en', 73, 'The daily digest is off. Turn it on with <code>/digest 08:00 Asia/Taipei</code>.'],
    ['zh-TW', 74, '每日摘要未開啟。請以 <code>/digest 08:00 Asia/Taipei</code> 開啟。'],
    ['zh-CN', 75, '每日摘要未开启。请用 <code>/digest 08:00 Asia/Shanghai</code> 开启。'],
  ])(
    'GIVEN /digest with the digest off (%s) THEN the example to copy is in code, not a bare /digest that sends itself when tapped',
    async (language_code, chatId, expected) => {
      const user: FakeUser = { id: 6000 + chatId, first_name: 'Mei', language_code };
      const from = fake.calls.length;
      fake.textMessage(chatId, '/digest', user);
      const call = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(chatId), undefined, from);
      expect(call.params.text).toBe(expected);
    },
  );
});
