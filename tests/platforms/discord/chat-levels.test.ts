/**
 * A channel's own levels (/mylevels) are the channel's, as its chart labels them, not the sender's:
 * in a server's channel the replies say "this channel's levels" / 本頻道水位 / 本频道点位, in a DM
 * "this chat's" / 本對話 / 本对话; and only a member who may manage the channel (as for /subscribe)
 * adds or removes one, while anyone may list them. Through the real discord.js client and the fake.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { World } from '../../helpers/telegram-harness.ts';
import { startDiscordBot, stopDiscordBot } from '../../helpers/discord-harness.ts';
import { type FakeDiscord, MANAGE_CHANNELS, slashInteraction, botDmInteraction } from '../../fakes/discord.ts';
import type { Discord } from '../../../src/platforms/discord/client.ts';
import { t, type Lang } from '../../../src/domain/i18n/index.ts';
import { MAX_CUSTOM_LEVELS } from '../../../src/chat/commands/subscription.ts';

let world: World;
let fake: FakeDiscord;
let bot: Discord;

beforeEach(async () => {
  ({ world, fake, bot } = await startDiscordBot());
});
afterEach(() => stopDiscordBot({ world, fake, bot }));

let nextChannel = 771000000000000001n;
type Option = { name: string; type: number; value: string | number | boolean };
const STRING = 3;
const NUMBER = 10;
const level = (action: 'add' | 'remove', value: number): Option[] => [
  { name: 'action', type: STRING, value: action },
  { name: 'pair', type: STRING, value: 'spx' },
  { name: 'value', type: NUMBER, value },
];

/** The answer's whole text and whether only its sender sees it, in a DM (context 1) or a server's channel, sent by a member who may manage it or not. */
async function answer(
  where: 'dm' | 'manager' | 'member',
  channelId: string,
  locale: string,
  options?: Option[],
): Promise<{ text: string; ephemeral: boolean }> {
  const i =
    where === 'dm'
      ? botDmInteraction({ name: 'mylevels', locale, channelId, userId: '600000000000000021', ...(options && { options }) })
      : slashInteraction({
          name: 'mylevels',
          locale,
          channelId,
          permissions: where === 'manager' ? MANAGE_CHANNELS : 0n,
          userId: where === 'manager' ? '600000000000000022' : '600000000000000023',
          ...(options && { options }),
        });
  const { token } = fake.interact(i);
  const [callback] = await fake.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`));
  const first = callback!.body as { type: number; data?: { flags?: number; content?: string; embeds?: { description?: string; title?: string }[] } };
  let data = first.data;
  if (first.type === 5) {
    const [edit] = await fake.waitFor('PATCH', new RegExp(`^/webhooks/\\d+/${token}/messages/%40original$`));
    data = edit!.body as never;
  }
  const e = data?.embeds?.[0];
  return { text: [data?.content ?? '', e?.title ?? '', e?.description ?? ''].join('\n'), ephemeral: ((first.data?.flags ?? 0) & 64) === 64 };
}

async function subscribe(where: 'dm' | 'manager', channelId: string, locale: string): Promise<void> {
  const i =
    where === 'dm'
      ? botDmInteraction({ name: 'subscribe', locale, channelId, userId: '600000000000000021' })
      : slashInteraction({ name: 'subscribe', locale, channelId, permissions: MANAGE_CHANNELS, userId: '600000000000000022' });
  const { token } = fake.interact(i);
  await fake.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`));
  await expect.poll(async () => (await world.deps.subs.get('discord', channelId))?.active).toBe(true);
}

const stored = async (channelId: string) => (await world.deps.subs.get('discord', channelId))?.customLevels;

const LOCALES: [string, Lang, string, string][] = [
  ['en-US', 'en', "this chat's level", "this channel's level"],
  ['zh-TW', 'zh-TW', '本對話', '本頻道'],
  ['zh-CN', 'zh-CN', '本对话', '本频道'],
];

test('GIVEN the commands registered THEN /mylevels and its action option name the channel’s levels in every language, never "your"', () => {
  type Registered = { name: string; description: string; description_localizations: Record<string, string>; options: Registered[] };
  const mylevels = (fake.commands.get('global') as Registered[]).find((c) => c.name === 'mylevels')!;
  const action = mylevels.options.find((o) => o.name === 'action')!;
  expect(mylevels.description).toBe(t('en', 'chat.cmd.mylevels.discord'));
  // Its Chinese names say whose the levels are as the replies do (the channel's), never "my":
  // lowercase, no spaces, 1 to 32 letters, as Discord takes a command's name.
  const names = (mylevels as unknown as { name_localizations: Record<string, string> }).name_localizations;
  expect([names['zh-TW'], names['zh-CN']]).toEqual(['頻道水位', '频道点位']);
  for (const n of Object.values(names)) {
    expect(n).toMatch(/^[-_\p{L}\p{N}]{1,32}$/u);
    expect(n).toBe(n.toLowerCase());
    expect(n).not.toMatch(/我的|my/i);
  }
  expect(action.description).toBe(t('en', 'chat.arg.mylevels.action.discord'));
  for (const [locale, lang, , channel] of LOCALES) {
    const named = (o: Registered) => (locale === 'en-US' ? o.description : o.description_localizations[locale]!);
    expect(named(mylevels)).toBe(t(lang, 'chat.cmd.mylevels.discord'));
    for (const o of [mylevels, action]) {
      expect(named(o).toLowerCase()).toContain(channel.replace(/ level$/, '').toLowerCase());
      expect(named(o)).not.toMatch(/\byour\b|您的|你的/i);
    }
  }
});

describe.each(LOCALES)('a channel’s own levels on Discord (%s)', (locale, lang, chat, channel) => {
  test('GIVEN a server channel WHEN a member without Manage Channels adds or removes a level THEN refused in one line naming who may, nothing stored; the listing stays open to them; a manager adds and removes, each reply naming the channel’s levels', async () => {
    const id = String(nextChannel++);
    await subscribe('manager', id, locale);
    const params = { pair: t(lang, 'pair.spx-gold'), value: '1.8' };

    for (const action of ['add', 'remove'] as const) {
      const refused = await answer('member', id, locale, level(action, 1.8));
      expect(refused.text.trim()).toBe(t(lang, 'chat.denied.discord'));
      expect(refused.ephemeral).toBe(true);
    }
    expect(await stored(id)).toEqual([]);

    const added = await answer('manager', id, locale, level('add', 1.8));
    expect(added.text).toContain(t(lang, 'chat.mylevels.added.discord', params));
    expect(await stored(id)).toEqual([{ pair: 'spx-gold', value: 1.8 }]);
    // The listing is anyone's, and says whose the level is: the channel's.
    const listed = await answer('member', id, locale);
    expect(listed.text).toContain(t(lang, 'chat.sub.ownOne.discord', { levels: '1.8' }));
    // Someone else's removal of it is refused too: the level is not the adder's, it is the channel's, kept.
    expect((await answer('member', id, locale, level('remove', 1.8))).text.trim()).toBe(t(lang, 'chat.denied.discord'));
    expect(await stored(id)).toEqual([{ pair: 'spx-gold', value: 1.8 }]);

    const again = await answer('manager', id, locale, level('add', 1.8));
    expect(again.text).toContain(t(lang, 'chat.mylevels.exists.discord', params));
    const removed = await answer('manager', id, locale, level('remove', 1.8));
    expect(removed.text).toContain(t(lang, 'chat.mylevels.removed.discord', params));
    const missing = await answer('manager', id, locale, level('remove', 1.8));
    expect(missing.text).toContain(t(lang, 'chat.mylevels.missing.discord', params));
    expect(await stored(id)).toEqual([]);

    for (const said of [added.text, listed.text, again.text, removed.text, missing.text]) {
      expect(said.toLowerCase()).toContain(channel.toLowerCase());
      expect(said.toLowerCase()).not.toContain(chat.toLowerCase());
      expect(said).not.toMatch(/\byour\b|您的|你的/i);
    }

    // Past the most a channel keeps: said of the channel's levels, as the replies above, not "custom" ones (自訂, 自定义).
    await world.deps.subs.upsert('discord', id, {
      customLevels: Array.from({ length: MAX_CUSTOM_LEVELS }, (_, i) => ({ pair: 'spx-gold' as const, value: 1 + i / 10 })),
    });
    const full = await answer('manager', id, locale, level('add', 4.4));
    expect(full.text).toContain(t(lang, 'chat.mylevels.tooMany.discord', { max: MAX_CUSTOM_LEVELS }));
    expect(full.text.toLowerCase()).toContain(channel.replace(/ level$/, '').toLowerCase());
    expect(full.text).not.toMatch(/自訂|自定义|custom/i);
  });

  test('GIVEN a DM with the bot THEN its sender adds and removes levels, each reply naming the chat’s levels, never a channel', async () => {
    const id = String(nextChannel++);
    await subscribe('dm', id, locale);
    const params = { pair: t(lang, 'pair.spx-gold'), value: '1.8' };
    const added = await answer('dm', id, locale, level('add', 1.8));
    expect(added.text).toContain(t(lang, 'chat.mylevels.added.dm', params));
    expect(added.text).toContain(t(lang, 'chat.sub.ownOne.dm', { levels: '1.8' }));
    const removed = await answer('dm', id, locale, level('remove', 1.8));
    expect(removed.text).toContain(t(lang, 'chat.mylevels.removed.dm', params));
    for (const said of [added.text, removed.text]) {
      expect(said.toLowerCase()).toContain(chat.toLowerCase());
      expect(said.toLowerCase()).not.toContain(channel.toLowerCase());
    }
  });
});
