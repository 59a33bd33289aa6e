/**
 * A Telegram private chat is a conversation with the bot, no chat room: the replies that name the
 * chat say 本對話 / 本对话 there (as in a Discord DM), and 本群組 / 本群 in a group; English says
 * "this chat" in the private chat, "this group" in a group. An alert on a chat's own level names it so beside its chart, and the chart's
 * label too. Through the real grammY bot and notifier against the fake Bot API.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { FakeTelegram, FakeUser } from '../../fakes/telegram.ts';
import { nextText, ownLevelAlert, startBot, stopBot, type World } from '../../helpers/telegram-harness.ts';
import type { Telegram } from '../../../src/platforms/telegram/bot.ts';
import { onSqlite } from '../../../src/store/engine.ts';
import { Dispatcher } from '../../../src/alerts/dispatcher.ts';
import type { Lang } from '../../../src/domain/i18n/index.ts';

let fake: FakeTelegram;
let world: World;
let tg: Telegram;

beforeEach(async () => ({ fake, world, tg } = await startBot()));
afterEach(() => stopBot({ fake, world, tg }));

let nextChat = 7100;

const WORDS: [Lang, string, string, string][] = [
  // language, client code, the private chat's word, the group's
  ['en', 'en', 'this chat', 'this group'],
  ['zh-TW', 'zh-TW', '本對話', '本群組'],
  ['zh-CN', 'zh-CN', '本对话', '本群'],
];

describe.each(WORDS)('the chat named in Telegram (%s)', (lang, code, dm, group) => {
  test('GIVEN /move before /subscribe, /mylevels add, /unmute and /help in a private chat and in a group THEN the private chat is named as a conversation, the group as a group (本群組, 本群)', async () => {
    for (const kind of ['private', 'group'] as const) {
      const n = nextChat++;
      const chat = kind === 'private' ? n : -n;
      const user: FakeUser = { id: n, first_name: 'Lin', language_code: code };
      if (kind === 'group') fake.setMember(chat, user.id, 'administrator');
      const said = [await nextText(fake, chat, '/move', user)];
      await nextText(fake, chat, '/subscribe', user);
      said.push(await nextText(fake, chat, '/mylevels add spx 1.8', user), await nextText(fake, chat, '/unmute', user));
      // /help's line for /mylevels names whose subscription it is as the chat is named.
      if (lang !== 'en') said.push((await nextText(fake, chat, '/help', user)).split('\n').find((l) => l.includes('/mylevels')) ?? '');
      const word = kind === 'private' ? dm : group;
      // English names the chat in some of these only ("Alerts here were not muted."), and never as a channel.
      if (lang === 'en') for (const s of said) expect(s, `${kind}: ${s}`).not.toMatch(/channel/i);
      else for (const s of said) expect(s, `${kind}: ${s}`).toContain(word);
      // What a private chat must never say is the group.
      if (kind === 'private' && lang !== 'en') for (const s of said) expect(s, s).not.toContain(group);
    }
  });
});

test('GIVEN a private chat and a group not heard from since chat types were kept, holding the same own level THEN the alert names it 本對話水位 in the private chat (its id says so) and 本聊天室水位 in the group, text and chart apart', async () => {
  const value = 1.8;
  for (const chatId of ['7201', '-7201'])
    await world.deps.subs.upsert('telegram', chatId, { active: true, lang: 'zh-TW', customLevels: [{ pair: 'spx-gold', value }] });
  const { event, outbox } = await ownLevelAlert(onSqlite(world.db), { value });
  const d = new Dispatcher(outbox, world.deps.subs, { notifiers: [tg.notifier], charts: world.charts, log: world.log });
  await d.drain();
  expect(await d.pending()).toBe(0);

  const caption = (chatId: string) => String(fake.callsTo('sendPhoto', Number(chatId))[0]?.params.caption);
  expect(caption('7201')).toContain('本對話水位');
  expect(caption('7201')).not.toContain('本聊天室');
  expect(caption('-7201')).toContain('本聊天室水位');
  // Each chart drawn for its place: the private chat's is not the group's picture sent again.
  const files = ['7201', '-7201'].map((c) => fake.callsTo('sendPhoto', Number(c))[0]?.files ?? []);
  expect(files.map((f) => f.length)).toEqual([1, 1]);
  expect(files[0]![0]!.bytes.equals(files[1]![0]!.bytes)).toBe(false);
  const label = async (place: 'dm' | undefined) =>
    JSON.stringify(
      await world.charts.spec(
        { kind: 'alert', pair: 'spx-gold', levelId: 'spx-gold-custom-1.8', date: event.date, value: 1.79, event: 'cross-down', ...(place && { place }) },
        { lang: 'zh-TW' },
      ),
    );
  expect(await label('dm')).toContain('本對話水位');
  expect(await label(undefined)).toContain('本聊天室水位');
});
