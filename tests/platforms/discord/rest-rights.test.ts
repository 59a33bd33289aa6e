/**
 * The bot's rights in a channel read from Discord's REST (rest-rights.ts), for a channel the gateway
 * cache does not hold: Discord's documented order (roles, Administrator, owner, then the overwrites
 * of @everyone, the roles, the member), a thread by its parent's overwrites and Send Messages in
 * Threads. The rule as a table; the reads through the real @discordjs/rest against the Discord fake.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { permissionsIn, restRights } from '../../../src/platforms/discord/rest-rights.ts';
import { notifierRest } from '../../../src/platforms/discord/client.ts';
import { ALL_SEND_PERMISSIONS, FAKE_BOT_ID, FakeDiscord, guildCreatePayload } from '../../fakes/discord.ts';

const G = '847000000000000001';
const ROLE = '547000000000000001';
const OTHER = '547000000000000002';
const VIEW = 1024n;
const SEND = 2048n;
const EMBED = 16384n;
const ADMIN = 8n;
const IN_THREADS = 274877906944n;

const guild = (everyone: bigint, role = 0n, owner = '600000000000000009') => ({
  id: G,
  owner_id: owner,
  roles: [
    { id: G, permissions: String(everyone) },
    { id: ROLE, permissions: String(role) },
    { id: OTHER, permissions: String(ADMIN) },
  ],
});
const ow = (id: string, type: number, allow: bigint, deny: bigint) => ({ id, type, allow: String(allow), deny: String(deny) });

describe('permissionsIn', () => {
  test.each([
    ['GIVEN @everyone may view and send THEN so may the bot', guild(VIEW | SEND), [], [], VIEW | SEND],
    ["GIVEN the bot's role adds Embed Links THEN it has it", guild(VIEW | SEND, EMBED), [ROLE], [], VIEW | SEND | EMBED],
    ['GIVEN a role the bot does not have is Administrator THEN nothing from it', guild(VIEW), [], [], VIEW],
    ['GIVEN its role is Administrator THEN everything, whatever the overwrites deny', guild(0n), [OTHER], [ow(FAKE_BOT_ID, 1, 0n, SEND)], -1n],
    ['GIVEN the bot owns the server THEN everything', guild(0n, 0n, FAKE_BOT_ID), [], [ow(G, 0, 0n, VIEW)], -1n],
    ["GIVEN @everyone's overwrite denies Send Messages THEN it may not send", guild(VIEW | SEND), [], [ow(G, 0, 0n, SEND)], VIEW],
    [
      "GIVEN @everyone's overwrite denies it and the bot's role's allows it THEN the role's wins",
      guild(VIEW | SEND),
      [ROLE],
      [ow(G, 0, 0n, SEND), ow(ROLE, 0, SEND, 0n)],
      VIEW | SEND,
    ],
    [
      "GIVEN the role's overwrite denies Embed Links and the member's allows it THEN the member's wins",
      guild(VIEW | SEND | EMBED),
      [ROLE],
      [ow(ROLE, 0, 0n, EMBED), ow(FAKE_BOT_ID, 1, EMBED, 0n)],
      VIEW | SEND | EMBED,
    ],
    ["GIVEN another role's overwrite denies Send Messages THEN it does not touch the bot", guild(VIEW | SEND), [ROLE], [ow(OTHER, 0, 0n, SEND)], VIEW | SEND],
    ['GIVEN a member overwrite of another user THEN it does not touch the bot', guild(VIEW | SEND), [], [ow('600000000000000001', 1, 0n, SEND)], VIEW | SEND],
  ] as const)('%s', (_name, g, roles, overwrites, expected) => {
    const perms = permissionsIn(g, { roles: [...roles] }, FAKE_BOT_ID, overwrites);
    expect(perms).toBe(expected === -1n ? (1n << 64n) - 1n : expected);
  });
});

describe('restRights against the fake', () => {
  let fake: FakeDiscord;
  beforeEach(async () => {
    fake = await FakeDiscord.start();
  });
  afterEach(() => fake.close());
  const rest = () => notifierRest({ apiBase: fake.api, rate: 50, token: undefined, applicationId: undefined, alertRoleId: undefined }, fake.token);

  test("GIVEN a thread whose parent's overwrite denies the bot Embed Links THEN the thread lacks it too; it may post there with Send Messages in Threads, not without", async () => {
    const parent = '747000000000000001';
    const thread = '747000000000000002';
    fake.addGuild(guildCreatePayload({ guildId: G, everyone: ALL_SEND_PERMISSIONS | IN_THREADS, channels: [{ id: parent, denyBot: EMBED }] }));
    fake.channels.set(thread, { id: thread, type: 11, guild_id: G, name: 'a thread', ...{ parent_id: parent } });
    expect(await restRights(rest(), thread, FAKE_BOT_ID)).toEqual({ send: true, embedLinks: false, attachFiles: true });
    expect(fake.requests.filter((r) => r.method === 'GET').map((r) => r.path)).toEqual([
      `/channels/${thread}`,
      `/channels/${parent}`,
      `/guilds/${G}`,
      `/guilds/${G}/members/${FAKE_BOT_ID}`,
    ]);
    fake.addGuild(guildCreatePayload({ guildId: G, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: parent }] }));
    expect((await restRights(rest(), thread, FAKE_BOT_ID))?.send).toBe(false);
  });

  test('GIVEN the bot timed out in the server THEN it may do nothing there until then (said with when and where); an Administrator is not held by it, nor is a timeout ended', async () => {
    const ch = '747000000000000006';
    const until = Date.now() + 3_600_000;
    const g = guildCreatePayload({ guildId: G, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: ch }] });
    const member = (g.members as Record<string, unknown>[])[0]!;
    member.communication_disabled_until = new Date(until).toISOString();
    fake.addGuild(g);
    expect(await restRights(rest(), ch, FAKE_BOT_ID)).toEqual({ send: false, embedLinks: false, attachFiles: false, timedOutUntil: until, guildId: G });
    (g.roles as { permissions: string }[])[0]!.permissions = String(ALL_SEND_PERMISSIONS | ADMIN);
    expect(await restRights(rest(), ch, FAKE_BOT_ID)).toEqual({ send: true, embedLinks: true, attachFiles: true });
    (g.roles as { permissions: string }[])[0]!.permissions = String(ALL_SEND_PERMISSIONS);
    member.communication_disabled_until = new Date(Date.now() - 1000).toISOString();
    expect(await restRights(rest(), ch, FAKE_BOT_ID)).toEqual({ send: true, embedLinks: true, attachFiles: true });
  });

  test('GIVEN a channel the bot may not read (50001) THEN it may not post; GIVEN one Discord does not know, or a DM THEN no word (undefined)', async () => {
    const shut = '747000000000000003';
    fake.fail(new RegExp(`^/channels/${shut}$`), { kind: 'error', status: 403, code: 50001 });
    expect(await restRights(rest(), shut, FAKE_BOT_ID)).toEqual({ send: false, embedLinks: false, attachFiles: false });
    expect(await restRights(rest(), '747000000000000004', FAKE_BOT_ID)).toBeUndefined();
    fake.channels.set('747000000000000005', { id: '747000000000000005', type: 1 });
    expect(await restRights(rest(), '747000000000000005', FAKE_BOT_ID)).toBeUndefined();
  });
});
