/** Discord user-install: the read-only commands run where the bot is no member, answered through the interaction. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { World } from '../../helpers/telegram-harness.ts';
import { startDiscordBot, stopDiscordBot } from '../../helpers/discord-harness.ts';
import { type FakeDiscord, slashInteraction, userInstallInteraction } from '../../fakes/discord.ts';
import type { Discord } from '../../../src/platforms/discord/client.ts';
import { USER_INSTALL_COMMANDS, slashDefinitions } from '../../../src/platforms/discord/commands.ts';

const PNG = '\x89PNG';
let world: World;
let fake: FakeDiscord;
let bot: Discord;

beforeEach(async () => ({ world, fake, bot } = await startDiscordBot()));
afterEach(() => stopDiscordBot({ world, fake, bot }));

describe('Discord user-install', () => {
  it('GIVEN the registered commands THEN the read-only ones are user-installable everywhere and the settings ones guild-install only', async () => {
    const registered = (fake.commands.get('global') ?? []) as { name: string; integration_types: number[]; contexts: number[] }[];
    expect(registered.map((c) => c.name).sort()).toEqual(
      slashDefinitions()
        .map((d) => d.name)
        .sort(),
    );
    for (const name of ['ratio', 'chart', 'power', 'history', 'levels', 'help']) {
      expect(registered.find((c) => c.name === name)).toMatchObject({ integration_types: [0, 1], contexts: [0, 1, 2] });
    }
    const others = registered.filter((c) => !USER_INSTALL_COMMANDS.has(c.name));
    expect(others.map((c) => c.name)).toEqual(expect.arrayContaining(['subscribe', 'unsubscribe', 'mute', 'lang', 'digest']));
    for (const c of others) {
      expect(c.integration_types).toEqual([0]);
      expect(c.contexts).not.toContain(2);
    }
  });

  it.each([1, 2] as const)(
    'GIVEN /ratio in context %i (no guild, the bot no member) THEN the chart comes as an attachment of the interaction response, no channel send',
    async (context) => {
      const { token } = fake.interact(userInstallInteraction({ name: 'ratio', context, options: [{ name: 'pair', type: 3, value: 'qqq-gold' }] }));
      const [callback] = await fake.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`));
      expect(callback!.body.type).toBe(5);
      const [edit] = await fake.waitFor('PATCH', new RegExp(`^/webhooks/\\d+/${token}/messages/@original$`));
      const embed = edit!.body.embeds[0];
      expect(embed.description).toContain('QQQ/Gold');
      expect(embed.image.url).toMatch(/^attachment:\/\/.+\.png$/);
      expect(edit!.files[0]!.bytes.subarray(0, 4).toString('latin1')).toBe(PNG);
      expect(fake.calls('POST', /^\/channels\//)).toHaveLength(0);
    },
  );

  it('GIVEN /help in a DM with a zh-TW client THEN the answer comes at once, in Chinese', async () => {
    const { token } = fake.interact(userInstallInteraction({ name: 'help', context: 1, locale: 'zh-TW' }));
    const [callback] = await fake.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`));
    expect(callback!.body.type).toBe(4);
    expect(callback!.body.data.embeds[0].description).toMatch(/[\u4e00-\u9fff]/);
  });

  it.each([
    [1, 'en-US', 'Here only the commands that read work.'],
    [2, 'zh-TW', '這裡只能使用查詢類指令。'],
    [2, 'zh-CN', '这里只能使用查询类命令。'],
  ] as const)(
    'GIVEN /help where only the user installed the app (context %i, %s) THEN it lists the commands that run there, none of the settings ones, and says why',
    async (context, locale, why) => {
      const { token } = fake.interact(userInstallInteraction({ name: 'help', context, locale }));
      const [callback] = await fake.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`));
      const text = callback!.body.data.embeds[0].description as string;
      // Each command line starts with its usage in a code span: the names listed, as the menu shows them.
      const listed = [...text.matchAll(/^`\/([^\s`]+)/gm)].map((m) => m[1]);
      expect(listed).toHaveLength(USER_INSTALL_COMMANDS.size);
      expect(text).toContain(why);
      for (const settings of ['subscribe', '訂閱', '订阅', 'digest', '摘要']) expect(listed).not.toContain(settings);
    },
  );

  it('GIVEN /help in a server that installed the app THEN every command is listed', async () => {
    const { token } = fake.interact(slashInteraction({ name: 'help' }));
    const [callback] = await fake.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`));
    const text = callback!.body.data.embeds[0].description as string;
    expect([...text.matchAll(/^`\/([^\s`]+)/gm)].length).toBe(slashDefinitions().length);
    expect(text).not.toContain('Here only the commands that read work.');
  });
});
