/**
 * A command named in a reply, on every way a Discord reply goes out, in an en, a zh-TW and a zh-CN
 * chat: the first response over the gateway and as the Interactions Endpoint's HTTP answer, a
 * button's answer, a DM, and a user-installed command where the bot is no member (a reply the
 * endpoint deferred is the same payload sent later: first-responses.test.ts). Each names /subscribe as a mention of the
 * registered command (Discord draws it in the reader's locale).
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { makeWorld, type World } from '../../helpers/telegram-harness.ts';
import { discordEnv, makeDiscord } from '../../helpers/discord-harness.ts';
import {
  FakeDiscord,
  MANAGE_CHANNELS,
  botMessage,
  buttonInteraction,
  botDmInteraction,
  slashInteraction,
  userInstallInteraction,
} from '../../fakes/discord.ts';
import { matchLang, t } from '../../../src/domain/i18n/index.ts';
import type { Discord } from '../../../src/platforms/discord/client.ts';
import { INTERACTIONS_PATH } from '../../../src/platforms/discord/interactions-endpoint.ts';

let world: World;
let fake: FakeDiscord;
let bot: Discord;

beforeEach(async () => {
  world = makeWorld();
  fake = await FakeDiscord.start();
});
afterEach(async () => {
  await bot.stop();
  await fake.close();
  world.cleanup();
});

async function start(): Promise<string> {
  bot = makeDiscord(world, discordEnv(fake, { DISCORD_PUBLIC_KEY: fake.publicKey }), { interactionsPort: 0 });
  await bot.start();
  await bot.ready();
  return `http://127.0.0.1:${bot.endpointPort()}${INTERACTIONS_PATH}`;
}

const LANGS = [
  ['en-US', 'This channel is not subscribed. Use ', ' to get level alerts.', 'This chat is not subscribed. Use '],
  ['zh-TW', '本頻道尚未訂閱。請使用 ', ' 接收水位通知。', '本對話尚未訂閱。請使用 '],
  ['zh-CN', '本频道尚未订阅。请使用 ', ' 接收点位提醒。', '本对话尚未订阅。请使用 '],
] as const;

const subscribeId = (): string => String((fake.commands.get('global') as { name: string; id: string }[]).find((c) => c.name === 'subscribe')!.id);
const expected = (before: string, after: string) => `${before}</subscribe:${subscribeId()}>${after}`;
const descriptionOf = (body: { embeds?: { description?: string }[]; data?: { embeds?: { description?: string }[] } } | undefined): string =>
  String(body?.data?.embeds?.[0]?.description ?? body?.embeds?.[0]?.description ?? '');

let nextChannel = 760000000000000001n;
const channel = () => String(nextChannel++);

describe.each(LANGS)('a command named on every Discord path (%s)', (locale, before, after, dm) => {
  test('GIVEN /mylevels answered as the endpoint’s HTTP answer THEN /subscribe is a mention', async () => {
    const url = await start();
    const answer = await fake.postInteraction(url, slashInteraction({ name: 'mylevels', locale, channelId: channel(), permissions: MANAGE_CHANNELS }));
    expect(answer.status).toBe(200);
    expect(descriptionOf(answer.body as never)).toBe(expected(before, after));
  });

  test('GIVEN a button that runs /mylevels, over the gateway and through the endpoint THEN its answer names /subscribe as a mention', async () => {
    const url = await start();
    const ch = channel();
    const press = () =>
      buttonInteraction({ customId: 'cmd:mylevels', message: botMessage({}, { channelId: ch }), channelId: ch, locale, permissions: MANAGE_CHANNELS });
    const { token } = fake.interact(press());
    const [callback] = await fake.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`));
    expect(descriptionOf(callback!.body)).toBe(expected(before, after));

    const answer = await fake.postInteraction(url, press());
    expect((answer.body as { type: number }).type).toBe(4);
    expect(descriptionOf(answer.body as never)).toBe(expected(before, after));
  });

  test('GIVEN /mylevels in a DM with the bot THEN /subscribe is a mention (a global command’s id works there), and the chat is called a chat, not a channel', async () => {
    await start();
    const { token } = fake.interact(botDmInteraction({ name: 'mylevels', locale, channelId: channel() }));
    const [callback] = await fake.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`));
    expect(descriptionOf(callback!.body)).toBe(expected(dm, after));
  });

  test('GIVEN /mylevels where only the user installed the app (a DM, a group DM), sent all the same THEN no /subscribe to point at (none is offered there): only the reading commands run, as /help there says', async () => {
    await start();
    for (const context of [1, 2] as const) {
      const { token } = fake.interact(userInstallInteraction({ name: 'mylevels', context, locale, channelId: channel() }));
      const [callback] = await fake.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`));
      const said = JSON.stringify(callback!.body);
      expect(said).toContain(t(matchLang(locale)!, 'chat.help.readOnly'));
      expect(said).not.toContain('/subscribe');
    }
  });
});
