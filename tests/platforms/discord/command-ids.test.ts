/**
 * Which id a command mention carries, through the Discord fake and the real bot: the commands
 * registered anew by another process (new ids), and commands registered in one server only
 * (`goldratio deploy-commands --guild ID`) or in both scopes. A mention must never carry an id
 * Discord no longer knows; the ids are asked again in the background, never once per reply.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { World } from '../../helpers/telegram-harness.ts';
import { discordEnv, makeDiscord, startDiscordBot, stopDiscordBot } from '../../helpers/discord-harness.ts';
import { FAKE_APP_ID, type FakeDiscord, FakeDiscord as Fake, MANAGE_CHANNELS, slashInteraction } from '../../fakes/discord.ts';
import { type Discord, deployFromCli } from '../../../src/platforms/discord/client.ts';
import { loadConfig } from '../../../src/config.ts';
import { makeWorld } from '../../helpers/telegram-harness.ts';

let world: World;
let fake: FakeDiscord;
let bot: Discord;

afterEach(() => stopDiscordBot({ world, fake, bot }));

const G = '810000000000000001';
const H = '810000000000000002';
let nextChannel = 750000000000000001n;

/** The embed text of /mylevels asked in a fresh channel of `guildId`: it names /subscribe. */
async function ask(guildId: string, locale = 'en-US'): Promise<string> {
  const { token } = fake.interact(slashInteraction({ name: 'mylevels', locale, guildId, channelId: String(nextChannel++), permissions: MANAGE_CHANNELS }));
  const [callback] = await fake.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`));
  return String(callback!.body.data?.embeds?.[0]?.description ?? '');
}

/** The id the fake holds for a command of a scope (`global` or a server's id). */
const idOf = (scope: string, name: string): string | undefined =>
  (fake.commands.get(scope) as { name: string; id: string }[] | undefined)?.find((c) => c.name === name)?.id;

/** Another process registering the commands (`goldratio deploy-commands [--guild ID]`). */
async function deployElsewhere(guildId?: string): Promise<void> {
  const config = loadConfig({ DATABASE_PATH: world.config.databasePath, DATA_DIR: world.config.dataDir, LOG_LEVEL: 'silent', ...discordEnv(fake) });
  expect(await deployFromCli(config.discord, guildId)).toMatchObject({ ok: true });
}

const GLOBAL = /^\/applications\/\d+\/commands$/;
const guildList = (g: string) => new RegExp(`^/applications/${FAKE_APP_ID}/guilds/${g}/commands$`);

/** Asks until the reply reads as `expected` (the background GET has been answered), at most 40 tries. */
async function askUntil(guildId: string, expected: string): Promise<string> {
  let text = '';
  for (let n = 0; n < 40 && text !== expected; n++) text = await ask(guildId);
  return text;
}

describe('command ids', () => {
  test('GIVEN the commands registered anew by another process (new ids) THEN the first command used with a new id drops the known ones: no dead mention, one GET, then the new ids', async () => {
    ({ world, fake, bot } = await startDiscordBot());
    const old = idOf('global', 'subscribe')!;
    expect(await ask(G)).toContain(`</subscribe:${old}>`);
    await deployElsewhere();
    const fresh = idOf('global', 'subscribe')!;
    expect(fresh).not.toBe(old);
    const gets = fake.calls('GET', GLOBAL).length;

    // /mylevels comes with its new id: the old /subscribe id is no longer trusted.
    const first = await ask(G);
    expect(first).toBe('This channel is not subscribed. Use /subscribe to get level alerts.');
    await fake.waitFor('GET', GLOBAL, gets + 1);
    expect(await askUntil(G, `This channel is not subscribed. Use </subscribe:${fresh}> to get level alerts.`)).toBe(
      `This channel is not subscribed. Use </subscribe:${fresh}> to get level alerts.`,
    );
    await ask(G);
    expect(fake.calls('GET', GLOBAL)).toHaveLength(gets + 1);
    expect(fake.calls('GET', guildList(G))).toHaveLength(0);
  });

  test('GIVEN commands registered in one server only (the global registration refused) THEN replies there mention that server’s commands once its list is asked (once), and elsewhere give the menu name', async () => {
    world = makeWorld();
    fake = await Fake.start();
    fake.fail(GLOBAL, { kind: 'error', status: 400, code: 50035, message: 'Invalid Form Body' }, 1, 'PUT');
    bot = makeDiscord(world, discordEnv(fake));
    await bot.start();
    await bot.ready();
    expect(fake.commands.get('global')).toBeUndefined();
    await deployElsewhere(G);
    const own = idOf(G, 'subscribe')!;

    expect(await askUntil(G, `This channel is not subscribed. Use </subscribe:${own}> to get level alerts.`)).toBe(
      `This channel is not subscribed. Use </subscribe:${own}> to get level alerts.`,
    );
    expect(fake.calls('GET', guildList(G))).toHaveLength(1);
    // Another server has no registration of its own, and there is no global one: the menu name, in its language too.
    expect(await ask(H)).toBe('This channel is not subscribed. Use /subscribe to get level alerts.');
    expect(await ask(H, 'zh-TW')).toBe('本頻道尚未訂閱。請使用 /訂閱 接收水位通知。');
    await ask(G);
    expect(fake.calls('GET', guildList(G))).toHaveLength(1);
    expect(fake.calls('GET', guildList(H))).toHaveLength(0);
  });

  test('GIVEN both a global registration and one server’s own THEN in that server its own ids, elsewhere the global ones; no request per reply', async () => {
    ({ world, fake, bot } = await startDiscordBot());
    await deployElsewhere(G);
    const global = idOf('global', 'subscribe')!;
    const own = idOf(G, 'subscribe')!;
    expect(own).not.toBe(global);
    const requests = fake.calls('GET', /commands$/).length;

    expect(await askUntil(G, `This channel is not subscribed. Use </subscribe:${own}> to get level alerts.`)).toBe(
      `This channel is not subscribed. Use </subscribe:${own}> to get level alerts.`,
    );
    expect(await ask(H)).toBe(`This channel is not subscribed. Use </subscribe:${global}> to get level alerts.`);
    for (let n = 0; n < 3; n++) await ask(n % 2 === 0 ? G : H);
    expect(fake.calls('GET', /commands$/)).toHaveLength(requests + 1);
  });
});
