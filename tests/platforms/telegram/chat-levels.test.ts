/**
 * A chat's own levels (/mylevels) are the chat's, as its chart labels them (This chat's level,
 * 本聊天室水位, 本聊天点位), not the sender's: every /mylevels reply says so, in a group and in a
 * private chat alike; in a group only an administrator (as for /subscribe) adds or removes one, while
 * any member may list them. Through grammY polling the fake Bot API.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { FakeTelegram, FakeUser } from '../../fakes/telegram.ts';
import { startBot, stopBot, type World } from '../../helpers/telegram-harness.ts';
import type { Telegram } from '../../../src/platforms/telegram/bot.ts';
import { hasKey, t, type Lang } from '../../../src/domain/i18n/index.ts';
import { MAX_CUSTOM_LEVELS } from '../../../src/chat/commands/subscription.ts';
import '../../../src/chat/registry.ts';

let fake: FakeTelegram;
let world: World;
let tg: Telegram;

beforeEach(async () => ({ fake, world, tg } = await startBot()));
afterEach(() => stopBot({ fake, world, tg }));

let nextUser = 4100;
let nextGroup = -1000720;

/** The text of the bot's next message to `chat` after `text` was sent there by `from`, as the chat reads it (tags off). */
async function ask(chat: number, text: string, from: FakeUser, type: 'private' | 'supergroup'): Promise<string> {
  const before = fake.calls.length;
  fake.textMessage(chat, text, from, type);
  const sent = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(chat), undefined, before);
  return String(sent.params.text)
    .replace(/<[^>]+>/g, '')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

const stored = async (chat: number) => (await world.deps.subs.get('telegram', String(chat)))?.customLevels;

const LANGS: [string, Lang, string][] = [
  ['en', 'en', "this group's"],
  ['zh-hant', 'zh-TW', '本群組'],
  ['zh-cn', 'zh-CN', '本群'],
];

test('GIVEN the command menus THEN /mylevels is described as the chat’s, in English and in Chinese, never "your"', () => {
  const of = (languageCode: string, chat: 'private' | 'group') =>
    fake.menus.seenBy({ chat, chatId: chat === 'private' ? 1 : -1, userId: 1, languageCode }).find((c) => c.command === 'mylevels')!.description;
  expect(of('en', 'group')).toBe(t('en', 'chat.cmd.mylevels.group'));
  expect(of('en', 'group')).toContain("This group's");
  expect(of('zh-hant', 'group')).toBe(t('zh-TW', 'chat.cmd.mylevels.group'));
  expect(of('zh-hant', 'group')).toContain('本群組');
  expect(of('zh-hant', 'private')).toContain('本對話');
  for (const d of [of('en', 'group'), of('en', 'private'), of('zh-hant', 'group'), of('zh-hant', 'private')]) expect(d).not.toMatch(/\byour\b|您的|你的/i);
});

describe.each(LANGS)('a chat’s own levels on Telegram (%s)', (code, lang, word) => {
  test('GIVEN a group WHEN a member who is no administrator adds or removes a level THEN refused in one line naming who may, nothing stored; any member lists them; an administrator adds and removes, each reply naming the chat’s levels', async () => {
    const group = nextGroup--;
    const admin: FakeUser = { id: nextUser++, first_name: 'Ada', language_code: code };
    const member: FakeUser = { id: nextUser++, first_name: 'Max', language_code: code };
    fake.setMember(group, admin.id, 'administrator');
    fake.setMember(group, member.id, 'member');
    await ask(group, '/subscribe spx', admin, 'supergroup');
    // A group's own words (本群組, 本群) where the catalogue has them, as i18n/index.ts registerPlaceWording makes them.
    const inGroup = (key: string) => (hasKey(`${key}.group`) ? `${key}.group` : key);
    const params = { pair: t(lang, 'pair.spx-gold'), value: '1.8' };

    for (const typed of ['/mylevels add spx 1.8', '/mylevels spx 1.8', '/mylevels remove spx 1.8'])
      expect(await ask(group, typed, member, 'supergroup')).toBe(t(lang, inGroup('chat.denied')));
    expect(await stored(group)).toEqual([]);

    const added = await ask(group, '/mylevels add spx 1.8', admin, 'supergroup');
    expect(added).toContain(t(lang, inGroup('chat.mylevels.added'), params));
    expect(await stored(group)).toEqual([{ pair: 'spx-gold', value: 1.8 }]);
    const listed = await ask(group, '/mylevels', member, 'supergroup');
    expect(listed).toContain(t(lang, inGroup('chat.sub.ownOne'), { levels: '1.8' }));
    // The member who did not add it may not remove it either: it is the chat's, kept.
    expect(await ask(group, '/mylevels remove spx 1.8', member, 'supergroup')).toBe(t(lang, inGroup('chat.denied')));
    expect(await stored(group)).toEqual([{ pair: 'spx-gold', value: 1.8 }]);

    const again = await ask(group, '/mylevels add spx 1.8', admin, 'supergroup');
    expect(again).toContain(t(lang, inGroup('chat.mylevels.exists'), params));
    const removed = await ask(group, '/mylevels remove spx 1.8', admin, 'supergroup');
    expect(removed).toContain(t(lang, inGroup('chat.mylevels.removed'), params));
    const missing = await ask(group, '/unsubscribe spx 1.8', admin, 'supergroup');
    expect(missing).toContain(t(lang, inGroup('chat.mylevels.missing'), params));
    expect(await stored(group)).toEqual([]);

    for (const said of [added, listed, again, removed, missing]) {
      expect(said).toContain(word);
      expect(said).not.toMatch(/\byour\b|您的|你的/i);
    }
  });

  test('GIVEN a private chat THEN its one reader changes its levels, the replies naming them as the chart does: the chat’s; past the most a chat keeps, said so', async () => {
    const chat = nextUser;
    const reader: FakeUser = { id: nextUser++, first_name: 'Pat', language_code: code };
    await ask(chat, '/subscribe spx', reader, 'private');
    const params = { pair: t(lang, 'pair.spx-gold'), value: '1.8' };
    // A private chat is a conversation with the bot, no chat room: 本對話, 本对话 (this chat in English).
    const dmWord = lang === 'en' ? "this chat's" : lang === 'zh-TW' ? '本對話' : '本对话';
    const added = await ask(chat, '/mylevels add spx 1.8', reader, 'private');
    expect(added).toContain(t(lang, 'chat.mylevels.added.dm', params));
    expect(added).toContain(t(lang, 'chat.sub.ownOne.dm', { levels: '1.8' }));
    expect(added).toContain(dmWord);
    await world.deps.subs.upsert('telegram', String(chat), {
      customLevels: Array.from({ length: MAX_CUSTOM_LEVELS }, (_, i) => ({ pair: 'spx-gold' as const, value: 1 + i / 10 })),
    });
    const full = await ask(chat, '/mylevels add spx 4.4', reader, 'private');
    expect(full).toBe(t(lang, 'chat.mylevels.tooMany.dm', { max: MAX_CUSTOM_LEVELS }));
    // The chat's levels, as every other /mylevels reply names them: not "custom" ones (自訂, 自定义).
    expect(full.toLowerCase()).toContain(dmWord);
    expect(full).not.toMatch(/自訂|自定义|custom/i);
  });
});
