/**
 * Discord's 403 50013 Missing Permissions never names the permission missing. The bot's gateway
 * cache does (the channel's overwrites, the server's roles): a channel the bot may not post in is
 * stopped at its first refusal, with no plain-text or chartless retry; one without Embed Links or
 * Attach Files still gets its alert another way. Through the real bot (its Client and notifier)
 * against the Discord fake.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { onSqlite } from '../../../src/store/engine.ts';
import { OutboxStore } from '../../../src/store/outbox.ts';
import { DiscordStore } from '../../../src/store/discord.ts';
import { Dispatcher } from '../../../src/alerts/dispatcher.ts';
import { discordEnv, makeDiscord, startDiscordBot, stopDiscordBot, seedEvent, type RunningDiscord } from '../../helpers/discord-harness.ts';
import type { Notifier } from '../../../src/alerts/notifier.ts';
import { ALL_SEND_PERMISSIONS, FAKE_BOT_ID, guildCreatePayload } from '../../fakes/discord.ts';
import { t } from '../../../src/domain/i18n/index.ts';
import { eventually } from '../../helpers/eventually.ts';
import type { Lang } from '../../../src/domain/i18n/index.ts';

const SEND_MESSAGES = 2048n;
const EMBED_LINKS = 16384n;
const ATTACH_FILES = 32768n;

let running: RunningDiscord;
beforeEach(async () => {
  running = await startDiscordBot();
});
afterEach(() => stopDiscordBot(running));

/** A server the Client caches, with one channel whose overwrite denies the bot `deny`. */
async function channelDenying(guildId: string, channelId: string, deny: bigint): Promise<void> {
  running.fake.dispatch('GUILD_CREATE', guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: channelId, denyBot: deny }] }));
  const client = running.bot.client()!;
  await eventually(() => client.channels.cache.has(channelId));
  expect(client.channels.cache.has(channelId)).toBe(true);
}

/** A day later: another event, so a second alert to the same channel. */
const DAY = 86_400_000;

async function deliver(chatId: string, later = 0, lang?: Lang, notifier: Notifier = running.bot.notifier): Promise<void> {
  const { world } = running;
  if (lang !== undefined) await world.deps.subs.upsert('discord', chatId, { lang });
  // Its type known, as /subscribe keeps it: the notifier asks Discord nothing for it (chartPlace, the publish).
  await new DiscordStore(onSqlite(world.db)).setChannel(chatId, { type: 0 });
  await seedEvent(world, [{ platform: 'discord', chatId }], Date.now() + later);
  const d = new Dispatcher(new OutboxStore(onSqlite(world.db)), world.deps.subs, {
    notifiers: [notifier],
    charts: world.charts,
    log: world.log,
    backoffMs: 50,
  });
  for (let i = 0; i < 10 && (await d.pending()) > 0; i++) await d.drain();
  expect(await d.pending()).toBe(0);
}

const posts = (channelId: string) => running.fake.calls('POST', new RegExp(`^/channels/${channelId}/messages$`));
/** The REST reads made since `before` requests (the gateway's own excepted). */
const gets = (before: number) =>
  running.fake.requests
    .slice(before)
    .filter((r) => r.method === 'GET' && !r.path.startsWith('/gateway'))
    .map((r) => r.path);

describe('a 50013 read by what the bot may do in the channel', () => {
  test('GIVEN a channel whose overwrite denies the bot Send Messages THEN one refused request (the chart upload), no retry without the chart or as text, and the channel stopped for its rights', async () => {
    const ch = '745000000000000001';
    await channelDenying('845000000000000001', ch, SEND_MESSAGES);
    running.fake.fail(new RegExp(`^/channels/${ch}/messages$`), { kind: 'error', status: 403, code: 50013 }, 10, 'POST');
    await deliver(ch);
    expect(posts(ch).map((r) => [r.status, r.files.length])).toEqual([[403, 1]]);
    const sub = await running.world.deps.subs.get('discord', ch);
    expect(sub?.active).toBe(false);
    expect(sub?.deactivatedReason).toMatch(/50013/);
  });

  test('GIVEN a channel whose overwrite denies Embed Links and Attach Files (Discord refusing embeds alone, and files, there) THEN each alert goes as text at once, saying both, with no refused request; the channel stays', async () => {
    const ch = '745000000000000002';
    await channelDenying('845000000000000002', ch, EMBED_LINKS | ATTACH_FILES);
    running.fake.denyEmbedLinks(ch);
    running.fake.denyAttachFiles(ch);
    await deliver(ch);
    await deliver(ch, DAY);
    expect(posts(ch).map((r) => [r.status, r.files.length])).toEqual([
      [200, 0],
      [200, 0],
    ]);
    const shown = running.fake.made.get(ch)?.[0]?.body as { content: string; embeds: unknown[] };
    expect(shown.embeds).toEqual([]);
    expect(shown.content).toMatch(/SPX\/Gold/);
    expect(shown.content).toContain(`*${t('en', 'discord.noFiles')}*`);
    expect(shown.content.endsWith(`\n*${t('en', 'discord.noEmbeds')}*`)).toBe(true);
    expect(running.fake.requests.filter((r) => r.status >= 400)).toEqual([]);
    expect((await running.world.deps.subs.get('discord', ch))?.active).toBe(true);
  });

  test('GIVEN a channel whose overwrite denies Embed Links only THEN each alert is one request: its text saying why, its chart as a file', async () => {
    const ch = '745000000000000004';
    await channelDenying('845000000000000004', ch, EMBED_LINKS);
    running.fake.denyEmbedLinks(ch);
    await deliver(ch, 0, 'zh-TW');
    await deliver(ch, DAY, 'zh-TW');
    expect(posts(ch).map((r) => [r.status, r.files.length, (r.body.embeds ?? []).length])).toEqual([
      [200, 1, 0],
      [200, 1, 0],
    ]);
    expect(running.fake.calls('PATCH', new RegExp(`^/channels/${ch}/messages/`))).toEqual([]);
    const shown = running.fake.made.get(ch)?.[0]?.body as { content: string };
    expect(shown.content.endsWith(`\n*${t('zh-TW', 'discord.noEmbeds')}*`)).toBe(true);
    expect(shown.content).not.toContain(t('zh-TW', 'discord.noFiles'));
  });

  test('GIVEN a cache that says the bot may embed WHEN Embed Links and Attach Files were taken since (no CHANNEL_UPDATE yet) THEN the refusal of the chart asks Discord once (channel, server, member) and the alert goes as text at once (the second try), saying both; the channel stays', async () => {
    const guildId = '845000000000000005';
    const ch = '745000000000000005';
    await channelDenying(guildId, ch, 0n);
    running.fake.addGuild(guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: ch, denyBot: EMBED_LINKS | ATTACH_FILES }] }));
    running.fake.denyEmbedLinks(ch);
    running.fake.denyAttachFiles(ch);
    const before = running.fake.requests.length;
    await deliver(ch);
    expect(posts(ch).map((r) => r.status)).toEqual([403, 200]);
    expect(gets(before)).toEqual([`/channels/${ch}`, `/guilds/${guildId}`, `/guilds/${guildId}/members/${FAKE_BOT_ID}`]);
    const shown = running.fake.made.get(ch)?.[0]?.body as { content: string; embeds: unknown[] };
    expect(shown.embeds).toEqual([]);
    expect(shown.content).toContain(`*${t('en', 'discord.noFiles')}*`);
    expect(shown.content.endsWith(`\n*${t('en', 'discord.noEmbeds')}*`)).toBe(true);
    expect(running.fake.calls('PATCH', new RegExp(`^/channels/${ch}/messages/`))).toEqual([]);
    expect((await running.world.deps.subs.get('discord', ch))?.active).toBe(true);
  });

  test('GIVEN a cache that says the bot may post but not embed WHEN Send Messages was taken since THEN the text is refused once, Discord asked once, and the channel stopped for its rights', async () => {
    const guildId = '845000000000000006';
    const ch = '745000000000000006';
    await channelDenying(guildId, ch, EMBED_LINKS);
    running.fake.addGuild(guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: ch, denyBot: EMBED_LINKS | SEND_MESSAGES }] }));
    running.fake.fail(new RegExp(`^/channels/${ch}/messages$`), { kind: 'error', status: 403, code: 50013 }, 10, 'POST');
    const before = running.fake.requests.length;
    await deliver(ch);
    expect(posts(ch).map((r) => [r.status, r.files.length, (r.body.embeds ?? []).length])).toEqual([[403, 1, 0]]);
    expect(gets(before)).toEqual([`/channels/${ch}`, `/guilds/${guildId}`, `/guilds/${guildId}/members/${FAKE_BOT_ID}`]);
    const sub = await running.world.deps.subs.get('discord', ch);
    expect(sub?.active).toBe(false);
    expect(sub?.deactivatedReason).toMatch(/50013/);
    // Nothing went: the log does not say it went as plain text.
    expect(running.world.log.lines.filter((l) => l.includes('went as plain text'))).toEqual([]);
  });
});

describe('a 50013 in a channel the gateway cache does not hold (its server not arrived yet, a channel made since)', () => {
  test('GIVEN the bot may not post there THEN one refused request, Discord asked once, and the channel stopped for its rights: no retries without the chart or as text', async () => {
    const guildId = '846000000000000001';
    const ch = '746000000000000001';
    running.fake.addGuild(guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: ch, denyBot: SEND_MESSAGES }] }));
    running.fake.fail(new RegExp(`^/channels/${ch}/messages$`), { kind: 'error', status: 403, code: 50013 }, 10, 'POST');
    const before = running.fake.requests.length;
    await deliver(ch);
    expect(posts(ch).map((r) => [r.status, r.files.length])).toEqual([[403, 1]]);
    expect(gets(before)).toEqual([`/channels/${ch}`, `/guilds/${guildId}`, `/guilds/${guildId}/members/${FAKE_BOT_ID}`]);
    const sub = await running.world.deps.subs.get('discord', ch);
    expect(sub?.active).toBe(false);
    expect(sub?.deactivatedReason).toMatch(/50013/);
  });

  test('GIVEN a role of the bot denied Embed Links and Attach Files there THEN the first alert goes as text after one refusal (of the chart) and one look-up; the next goes as text at once, nothing asked again', async () => {
    const guildId = '846000000000000002';
    const ch = '746000000000000002';
    const roleId = '546000000000000002';
    const guild = guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: ch }] });
    (guild.roles as unknown[]).push({
      id: roleId,
      name: 'bots',
      permissions: '0',
      position: 1,
      color: 0,
      hoist: false,
      managed: false,
      mentionable: false,
      flags: 0,
    });
    (guild.members as { roles: string[] }[])[0]!.roles.push(roleId);
    (guild.channels as { permission_overwrites: unknown[] }[])[0]!.permission_overwrites.push({
      id: roleId,
      type: 0,
      allow: '0',
      deny: String(EMBED_LINKS | ATTACH_FILES),
    });
    running.fake.addGuild(guild);
    running.fake.denyEmbedLinks(ch);
    running.fake.denyAttachFiles(ch);
    const before = running.fake.requests.length;
    await deliver(ch);
    await deliver(ch, DAY);
    expect(posts(ch).map((r) => r.status)).toEqual([403, 200, 200]);
    expect(gets(before)).toHaveLength(3);
    expect(running.fake.made.get(ch)?.map((m) => m.body.embeds)).toEqual([[], []]);
    expect((await running.world.deps.subs.get('discord', ch))?.active).toBe(true);
  });

  test('GIVEN a standby replica sending (no gateway, no cache at all) WHEN the bot may not post in a channel THEN one refused request, Discord asked (the bot user once, then the channel, server, member), the channel stopped; a second such channel asks no bot user again', async () => {
    const guildId = '846000000000000004';
    const [a, b] = ['746000000000000004', '746000000000000005'];
    running.fake.addGuild(
      guildCreatePayload({
        guildId,
        everyone: ALL_SEND_PERMISSIONS,
        channels: [
          { id: a, denyBot: SEND_MESSAGES },
          { id: b, denyBot: SEND_MESSAGES },
        ],
      }),
    );
    running.fake.fail(/^\/channels\/74600000000000000[45]\/messages$/, { kind: 'error', status: 403, code: 50013 }, 10, 'POST');
    const standby = makeDiscord(running.world, discordEnv(running.fake), { gateway: false });
    try {
      await standby.start();
      await standby.ready();
      const before = running.fake.requests.length;
      await deliver(a, 0, undefined, standby.notifier);
      await deliver(b, DAY, undefined, standby.notifier);
      expect([...posts(a), ...posts(b)].map((r) => r.status)).toEqual([403, 403]);
      expect(gets(before)).toEqual([
        '/users/@me',
        `/channels/${a}`,
        `/guilds/${guildId}`,
        `/guilds/${guildId}/members/${FAKE_BOT_ID}`,
        `/channels/${b}`,
        `/guilds/${guildId}`,
        `/guilds/${guildId}/members/${FAKE_BOT_ID}`,
      ]);
      for (const c of [a, b]) expect((await running.world.deps.subs.get('discord', c))?.active).toBe(false);
    } finally {
      await standby.stop();
    }
  });

  test('GIVEN Discord cannot be asked (the look-up fails) THEN the refusal is read as before: one retry as text', async () => {
    const ch = '746000000000000003';
    running.fake.denyEmbedLinks(ch);
    running.fake.denyAttachFiles(ch);
    await deliver(ch);
    expect(posts(ch).map((r) => r.status)).toEqual([403, 403, 200]);
    expect((await running.world.deps.subs.get('discord', ch))?.active).toBe(true);
  });

  test('GIVEN a channel whose overwrite denies Attach Files THEN the alert goes without its chart, and the channel stays', async () => {
    const ch = '745000000000000003';
    await channelDenying('845000000000000003', ch, ATTACH_FILES);
    running.fake.denyAttachFiles(ch);
    await deliver(ch);
    expect(posts(ch).map((r) => [r.status, r.files.length])).toEqual([
      [403, 1],
      [200, 0],
    ]);
    expect((await running.world.deps.subs.get('discord', ch))?.active).toBe(true);
  });
});
