/**
 * A command named inside a reply, through the Discord fake and the real bot: as the reader's slash
 * menu shows it. The bot registered its commands at start, so it knows their ids and writes a
 * command mention (`</subscribe:id>`), which Discord draws clickable in the reader's own locale;
 * without an id, the name the chat's language gives the command in the menu (`/訂閱`).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { World } from '../../helpers/telegram-harness.ts';
import { discordEnv, makeDiscord, startDiscordBot, stopDiscordBot } from '../../helpers/discord-harness.ts';
import { type FakeDiscord, MANAGE_CHANNELS, slashInteraction } from '../../fakes/discord.ts';
import type { Discord } from '../../../src/platforms/discord/client.ts';
import { embed } from '../../../src/platforms/discord/render.ts';
import { errorReply } from '../../../src/chat/reply.ts';
import { t } from '../../../src/domain/i18n/index.ts';

let world: World;
let fake: FakeDiscord;
let bot: Discord;

beforeAll(async () => ({ world, fake, bot } = await startDiscordBot()));
afterAll(() => stopDiscordBot({ world, fake, bot }));

let nextChannel = 740000000000000001n;

/** The embed text of `/name` asked in a fresh channel by a channel manager whose client is in `locale`. */
async function ask(name: string, locale: string): Promise<string> {
  const { token } = fake.interact(slashInteraction({ name, locale, channelId: String(nextChannel++), permissions: MANAGE_CHANNELS }));
  const [callback] = await fake.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`));
  return String(callback!.body.data?.embeds?.[0]?.description ?? '');
}

/** The id the fake gave a registered command. */
const idOf = (name: string): string => String((fake.commands.get('global') as { name: string; id: string }[]).find((c) => c.name === name)!.id);

describe('a command named in a Discord reply', () => {
  test.each([
    ['zh-TW', '本頻道尚未訂閱。請使用 ', ' 接收水位通知。'],
    ['zh-CN', '本频道尚未订阅。请使用 ', ' 接收点位提醒。'],
    ['en-US', 'This channel is not subscribed. Use ', ' to get level alerts.'],
  ])(
    'GIVEN /mylevels in an unsubscribed channel (%s) THEN the reply names /subscribe as a mention of the registered command',
    async (locale, before, after) => {
      const text = await ask('mylevels', locale);
      expect(text).toBe(`${before}</subscribe:${idOf('subscribe')}>${after}`);
      expect(text).not.toContain('/subscribe ');
    },
  );

  test('GIVEN a restart with the commands unchanged (no registration) THEN their ids are asked once and replies still mention them; a refused ask costs a warning, and the menu name is used', async () => {
    await bot.stop();
    const getIds = /^\/applications\/\d+\/commands$/;
    const gets = fake.calls('GET', getIds).length;
    bot = makeDiscord(world, discordEnv(fake));
    await bot.start();
    await bot.ready();
    expect(fake.calls('GET', getIds)).toHaveLength(gets + 1);
    expect(fake.calls('PUT', getIds)).toHaveLength(1);
    expect(await ask('mylevels', 'zh-TW')).toBe(`本頻道尚未訂閱。請使用 </subscribe:${idOf('subscribe')}> 接收水位通知。`);

    await bot.stop();
    fake.fail(getIds, { kind: 'error', status: 403, code: 50001, message: 'Missing Access' }, 1, 'GET');
    bot = makeDiscord(world, discordEnv(fake));
    await bot.start();
    await bot.ready();
    expect(world.log.lines.filter((l) => /could not read the registered commands' ids \(.*Missing Access/.test(l))).toHaveLength(1);
    expect(await ask('mylevels', 'zh-TW')).toBe('本頻道尚未訂閱。請使用 /訂閱 接收水位通知。');
  });

  test('GIVEN no command ids known THEN the name the chat language shows in the menu; a code span, a pair and a zone are left alone', () => {
    const zh = embed(errorReply(t('zh-TW', 'chat.sub.required')), undefined, 'zh-TW');
    expect(zh.description).toBe('請先使用 /訂閱 訂閱。');
    expect(embed(errorReply(t('zh-CN', 'chat.sub.required')), undefined, 'zh-CN').description).toBe('请先使用 /订阅 订阅。');
    expect(embed(errorReply(t('en', 'chat.sub.required')), undefined, 'en').description).toBe('Subscribe first with /subscribe.');
    const other = embed(
      { status: 'ok', lines: [['SPX/Gold, Asia/Taipei, https://x.example/help, /nosuch'], [{ code: '/subscribe spx' }]] },
      undefined,
      'zh-TW',
    );
    expect(other.description).toBe('SPX/Gold, Asia/Taipei, https://x.example/help, /nosuch\n`/subscribe spx`');
  });

  // One rule for an example to copy, in every language: the typed form in the reader's names, in a
  // code span, where Discord draws no mention (an English /digest used to become a mention followed
  // by English option names, while the Chinese chats read the typed form).
  test.each([
    ['en-US', 'digest', 'The daily digest is off. Turn it on with `/digest time:08:00 timezone:Asia/Taipei`.'],
    ['zh-TW', 'digest', '每日摘要未開啟。請以 `/摘要 時間:08:00 時區:Asia/Taipei` 開啟。'],
    ['zh-CN', 'digest', '每日摘要未开启。请用 `/摘要 时间:08:00 时区:Asia/Shanghai` 开启。'],
    ['en-US', 'quiet', 'No quiet hours: alerts arrive when they happen. Set them with `/quiet hours:23:00-07:00 timezone:Asia/Taipei`.'],
    ['zh-TW', 'quiet', '未設定勿擾時段：通知會即時送達。請以 `/勿擾時段 時段:23:00-07:00 時區:Asia/Taipei` 設定。'],
    ['zh-CN', 'quiet', '未设置免打扰时段：提醒会即时送达。请用 `/免打扰时段 时段:23:00-07:00 时区:Asia/Shanghai` 设置。'],
  ])("(%s) GIVEN /%s with nothing set THEN the example to copy is the typed form in the menu's names, in code", async (locale, name, expected) => {
    expect(await ask(name, locale)).toBe(expected);
  });
});
