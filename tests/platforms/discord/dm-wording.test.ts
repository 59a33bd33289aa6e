/**
 * A Discord DM with the bot is no channel: the replies that name the chat (/digest's default zone,
 * /quiet's, /unmute, /move, a bare /lang; /mylevels in command-paths.test.ts) say "this chat" / 本對話 / 本对话 there, and "this channel"
 * / 本頻道 / 本频道 in a server's channel, in every language, through the real client and the fake.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { World } from '../../helpers/telegram-harness.ts';
import { startDiscordBot, stopDiscordBot } from '../../helpers/discord-harness.ts';
import { type FakeDiscord, MANAGE_CHANNELS, slashInteraction, botDmInteraction } from '../../fakes/discord.ts';
import type { Discord } from '../../../src/platforms/discord/client.ts';
import { t, type Lang } from '../../../src/domain/i18n/index.ts';

let world: World;
let fake: FakeDiscord;
let bot: Discord;

beforeEach(async () => {
  ({ world, fake, bot } = await startDiscordBot());
});
afterEach(() => stopDiscordBot({ world, fake, bot }));

let nextChannel = 770000000000000001n;
type Option = { name: string; type: number; value: string | number | boolean };

/** The whole text of the answer to one command, in a DM (context 1) or a server's channel. */
async function answer(where: 'dm' | 'channel', channelId: string, locale: string, name: string, options?: Option[]): Promise<string> {
  const i =
    where === 'dm'
      ? botDmInteraction({ name, locale, channelId, userId: '600000000000000011', ...(options && { options }) })
      : slashInteraction({ name, locale, channelId, permissions: MANAGE_CHANNELS, userId: '600000000000000012', ...(options && { options }) });
  const { token } = fake.interact(i);
  const [callback] = await fake.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`));
  let body = callback!.body as { data?: { content?: string; embeds?: { description?: string; title?: string }[] } };
  if ((callback!.body as { type: number }).type === 5) {
    const [edit] = await fake.waitFor('PATCH', new RegExp(`^/webhooks/\\d+/${token}/messages/%40original$`));
    body = { data: edit!.body as never };
  }
  const e = body.data?.embeds?.[0];
  return [body.data?.content ?? '', e?.title ?? '', e?.description ?? ''].join('\n');
}

const LOCALES: [string, Lang, string, string][] = [
  ['en-US', 'en', 'this chat', 'this channel'],
  ['zh-TW', 'zh-TW', '本對話', '本頻道'],
  ['zh-CN', 'zh-CN', '本对话', '本频道'],
];

describe.each(LOCALES)('the chat named in a Discord DM (%s)', (locale, lang, chat, channel) => {
  test('GIVEN /move, /digest 08:00, /quiet 22:00-07:00, /unmute and /lang in a DM THEN each names the chat, never a channel; in a server channel, the channel', async () => {
    for (const where of ['dm', 'channel'] as const) {
      const id = String(nextChannel++);
      const word = where === 'dm' ? chat : channel;
      const other = where === 'dm' ? channel : chat;
      // /move before any /subscribe: its "not subscribed" line names the chat; /unmute after it: "not muted".
      const said = [await answer(where, id, locale, 'move')];
      await answer(where, id, locale, 'subscribe');
      // The chat's zone, set first: a time or hours without one then take "this chat's zone", which the
      // replies name (a chat with no zone at all gets UTC, said without the place).
      await answer(where, id, locale, 'digest', [
        { name: 'time', type: 3, value: '09:00' },
        { name: 'timezone', type: 3, value: 'Asia/Taipei' },
      ]);
      said.push(
        await answer(where, id, locale, 'digest', [{ name: 'time', type: 3, value: '08:00' }]),
        await answer(where, id, locale, 'quiet', [{ name: 'hours', type: 3, value: '22:00-07:00' }]),
        await answer(where, id, locale, 'unmute'),
        // /lang alone: the language of the place, named as the place (no chat room in a server).
        await answer(where, id, locale, 'lang'),
      );
      for (const s of said) {
        expect(s.toLowerCase()).toContain(word.toLowerCase());
        expect(s.toLowerCase()).not.toContain(other.toLowerCase());
      }
      expect(said[3]).toContain(t(lang, where === 'dm' ? 'chat.unmute.notMuted.dm' : 'chat.unmute.notMuted.discord'));
    }
  });
});
