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
import { Dispatcher } from '../../../src/alerts/dispatcher.ts';
import { startDiscordBot, stopDiscordBot, seedEvent, type RunningDiscord } from '../../helpers/discord-harness.ts';
import { ALL_SEND_PERMISSIONS, guildCreatePayload } from '../../fakes/discord.ts';
import { sleep } from '../../../src/sleep.ts';

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
  for (let i = 0; i < 200 && !client.channels.cache.has(channelId); i++) await sleep(10);
  expect(client.channels.cache.has(channelId)).toBe(true);
}

async function deliver(chatId: string): Promise<void> {
  const { world } = running;
  await seedEvent(world, [{ platform: 'discord', chatId }]);
  const d = new Dispatcher(new OutboxStore(onSqlite(world.db)), world.deps.subs, {
    notifiers: [running.bot.notifier],
    charts: world.charts,
    log: world.log,
    backoffMs: 50,
  });
  for (let i = 0; i < 10 && (await d.pending()) > 0; i++) await d.drain();
  expect(await d.pending()).toBe(0);
}

const posts = (channelId: string) => running.fake.calls('POST', new RegExp(`^/channels/${channelId}/messages$`));

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

  test('GIVEN a channel whose overwrite denies Embed Links (Discord refusing embeds alone there) THEN the alert still goes, as text, and the channel stays', async () => {
    const ch = '745000000000000002';
    await channelDenying('845000000000000002', ch, EMBED_LINKS | ATTACH_FILES);
    running.fake.denyEmbedLinks(ch);
    running.fake.denyAttachFiles(ch);
    await deliver(ch);
    expect(posts(ch).map((r) => r.status)).toEqual([403, 403, 200]);
    expect(running.fake.made.get(ch)?.[0]?.body.embeds).toEqual([]);
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
