/** The Discord fake itself, driven by the real discord.js Client and @discordjs/rest. */
import { afterEach, describe, expect, it } from 'vitest';
import { Client, GatewayIntentBits, MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { DiscordAPIError, REST, Routes } from 'discord.js';
import { FakeDiscord, slashInteraction } from '../../fakes/discord.ts';
import { restOptions } from '../../../src/platforms/discord/client.ts';

/**
 * As the bot configures it (src/platforms/discord/client.ts restOptions): through Node's fetch, since
 * in a test worker that already loaded undici 7 (market/) @discordjs/rest's own strategy cannot upload.
 */
const rest = (f: FakeDiscord) => restOptions({ apiBase: f.api, rate: 50, token: undefined, applicationId: undefined, alertRoleId: undefined });

let fake: FakeDiscord | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await fake?.close();
  fake = undefined;
});

describe('FakeDiscord', () => {
  it('GIVEN a real Client THEN it logs in over the gateway and answers an interaction deferred, then edited with a file', async () => {
    fake = await FakeDiscord.start();
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: rest(fake) });
    const seen = new Promise<ChatInputCommandInteraction>((resolve) => client!.on('interactionCreate', (i) => i.isChatInputCommand() && resolve(i)));
    await client.login(fake.token);
    await new Promise<void>((resolve) => (client!.isReady() ? resolve() : client!.once('clientReady', () => resolve())));
    expect(fake.gatewayIn.some((f) => f.op === 2 && f.d.intents === 1)).toBe(true);
    fake.interact(slashInteraction({ name: 'ratio', locale: 'zh-TW' }));
    const i = await seen;
    expect(i.locale).toBe('zh-TW');
    await i.deferReply();
    await i.editReply({ content: 'hi', files: [{ attachment: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]), name: 'c.png' }] });
    const [cb] = fake.calls('POST', /^\/interactions\/\d+\/[^/]+\/callback$/);
    expect(cb?.body.type).toBe(5);
    expect(cb?.status).toBe(204);
    const [edit] = fake.calls('PATCH', /\/messages\/@original$/);
    expect(edit?.files[0]?.bytes.subarray(0, 4).toString('latin1')).toBe('\x89PNG');
    await i.followUp({ content: 'x', flags: MessageFlags.Ephemeral });
  });

  it('GIVEN a refused token THEN the gateway is never reached and the REST answer is 401', async () => {
    fake = await FakeDiscord.start();
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: rest(fake) });
    await expect(client.login('wrong')).rejects.toThrow(/token/i);
    expect(fake.calls('GET', /^\/gateway\/bot$/)[0]?.status).toBe(401);
  });

  it('GIVEN a per-route 429 and a global 429 THEN @discordjs/rest waits them out; Discord error codes arrive as DiscordAPIError', async () => {
    fake = await FakeDiscord.start();
    const api = new REST(rest(fake)).setToken(fake.token);
    fake.fail(/^\/channels\/1\/messages$/, { kind: 'route-429', retryAfter: 0.3 });
    fake.fail(/^\/channels\/2\/messages$/, { kind: 'global-429', retryAfter: 0.2 });
    fake.fail(/^\/channels\/3\/messages$/, { kind: 'error', status: 403, code: 50001 });
    await api.post(Routes.channelMessages('1'), { body: { content: 'a' } });
    await api.post(Routes.channelMessages('2'), { body: { content: 'b' } });
    const err = await api.post(Routes.channelMessages('3'), { body: { content: 'c' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscordAPIError);
    expect((err as DiscordAPIError).code).toBe(50001);
    expect(fake.calls('POST', /^\/channels\/1\/messages$/).map((r) => r.status)).toEqual([429, 200]);
    expect(fake.calls('POST', /^\/channels\/2\/messages$/).map((r) => r.status)).toEqual([429, 200]);
  });

  it('GIVEN a global limit THEN requests beyond it are answered 429 and counted', async () => {
    fake = await FakeDiscord.start({ rateLimit: 3 });
    const res = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        fetch(`${fake!.api}/v10/channels/${n}/messages`, {
          method: 'POST',
          headers: { authorization: `Bot ${fake!.token}`, 'content-type': 'application/json' },
          body: '{}',
        }),
      ),
    );
    expect(res.map((r) => r.status).sort()).toEqual([200, 200, 200, 429, 429]);
    expect(fake.violations).toBe(2);
    const limited = res.find((r) => r.status === 429)!;
    expect(limited.headers.get('x-ratelimit-scope')).toBe('global');
    expect((await limited.json()) as unknown).toMatchObject({ global: true });
  });
});
