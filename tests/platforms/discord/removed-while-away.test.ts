/**
 * Servers that removed the bot while it was away send no GUILD_DELETE: the next session's READY
 * does not list them (src/platforms/discord/removed-while-away.ts). Their channels are stopped as
 * 'removed' at READY, through the fake gateway, without a REST call to them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discordEnv, makeDiscord } from '../../helpers/discord-harness.ts';
import { makeWorld, type World } from '../../helpers/telegram-harness.ts';
import { until } from '../../helpers/replicas.ts';
import type { Discord } from '../../../src/platforms/discord/client.ts';
import { ALL_SEND_PERMISSIONS, FakeDiscord, guildCreatePayload } from '../../fakes/discord.ts';
import { DiscordStore } from '../../../src/store/discord.ts';
import { onSqlite } from '../../../src/store/engine.ts';
import { openDatabase } from '../../../src/store/db.ts';
import { stopCause, stopReason } from '../../../src/domain/stop-cause.ts';
import { onShard } from '../../../src/platforms/discord/removed-while-away.ts';
import { sleep } from '../../../src/sleep.ts';

const QUIET_MS = 600;

let world: World;
let fake: FakeDiscord;
let bots: Discord[];

beforeEach(async () => {
  world = makeWorld();
  fake = await FakeDiscord.start();
  bots = [];
});
afterEach(async () => {
  for (const bot of bots) await bot.stop();
  await fake.close();
  world.cleanup();
});

async function started(extra: Parameters<typeof makeDiscord>[2] = {}): Promise<Discord> {
  const bot = makeDiscord(world, discordEnv(fake), extra);
  bots.push(bot);
  await bot.start();
  await bot.ready();
  return bot;
}

/** A channel with alerts on in `guildId`. */
async function subscribed(guildId: string, channelId: string): Promise<void> {
  await world.deps.subs.upsert('discord', channelId, {});
  await new DiscordStore(onSqlite(world.db)).setChannel(channelId, { guildId, type: 0 });
}

/** The bot is in `guildId`: listed in READY, then its GUILD_CREATE (`unavailable`: an outage, `{ id, unavailable: true }`). */
const member = (guildId: string, unavailable = false): void => {
  fake.memberOf.set(guildId, unavailable ? { id: guildId, unavailable: true } : guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [] }));
};

const cause = async (channelId: string) => {
  const sub = await world.deps.subs.get('discord', channelId);
  return sub?.active === true ? 'active' : stopCause(sub?.deactivatedReason ?? null);
};
const removedLine = () => world.log.lines.find((l) => l.includes('removed the bot while it was away'));
const toChannel = (id: string) => fake.requests.filter((r) => r.path.startsWith(`/channels/${id}`));

describe('Discord: servers that removed the bot while it was away', () => {
  it('GIVEN servers that removed the bot while it was away THEN its start stops their channels as removed, with one line and no request to them; a server still there, one unavailable (an outage) and a channel already stopped keep their state', async () => {
    const [kept, outage, goneA, goneB] = ['800000000000000301', '800000000000000302', '800000000000000303', '800000000000000304'];
    const [k1, o1, a1, a2, b1, bRights] = [
      '700000000000000301',
      '700000000000000302',
      '700000000000000303',
      '700000000000000304',
      '700000000000000305',
      '700000000000000306',
    ];
    for (const [g, c] of [
      [kept, k1],
      [outage, o1],
      [goneA, a1],
      [goneA, a2],
      [goneB, b1],
      [goneB, bRights],
    ] as const)
      await subscribed(g, c);
    await world.deps.subs.chatGone('discord', bRights, stopReason('rights', '50013 Missing Permissions'));
    member(kept);
    member(outage, true);

    await started();
    const line = await until('the check', removedLine, 10_000);
    expect(line).toMatch(/ INFO .*2 server\(s\) removed the bot while it was away: their 3 channel\(s\) stopped$/);
    expect(await Promise.all([k1, o1, a1, a2, b1, bRights].map(cause))).toEqual(['active', 'active', 'removed', 'removed', 'removed', 'rights']);
    await sleep(QUIET_MS);
    for (const id of [a1, a2, b1, bRights]) expect(toChannel(id)).toEqual([]);
    expect(world.log.lines.filter((l) => l.includes('removed the bot while it was away'))).toHaveLength(1);
  });

  it('GIVEN a standby replica (no gateway) THEN nothing is stopped; WHEN it leads THEN its READY stops them', async () => {
    const [kept, gone] = ['800000000000000311', '800000000000000312'];
    await subscribed(kept, '700000000000000311');
    await subscribed(gone, '700000000000000312');
    member(kept);
    const bot = await started({ gateway: false });
    await sleep(QUIET_MS);
    expect(await cause('700000000000000312')).toBe('active');
    expect(removedLine()).toBeUndefined();
    await bot.gateway.start();
    await until('the check', removedLine, 10_000);
    expect(await Promise.all(['700000000000000311', '700000000000000312'].map(cause))).toEqual(['active', 'removed']);
  });

  it('GIVEN a READY that lists no server while channels have alerts on (a Discord incident) THEN nothing is stopped, said in one warning', async () => {
    await subscribed('800000000000000321', '700000000000000321');
    await subscribed('800000000000000322', '700000000000000322');
    await started();
    const line = await until('the warning', () => world.log.lines.find((l) => l.includes('listed no server')), 10_000);
    expect(line).toMatch(/ WARN .*READY listed no server while 2 channel\(s\) in 2 server\(s\) have alerts on: taken for a Discord incident, none stopped/);
    await sleep(QUIET_MS);
    expect(await cause('700000000000000321')).toBe('active');
    expect(removedLine()).toBeUndefined();
  });

  it("GIVEN a sharded session (READY's shard [1, 2]) THEN only the channels of this shard's servers missing from READY are stopped; another shard's servers are not judged", async () => {
    fake.readyShard = [1, 2];
    // Server ids on each shard, by Discord's formula.
    const ids = Array.from({ length: 8 }, (_, i) => String(800000000000000000n + (BigInt(i) << 22n)));
    const [listed, goneHere] = ids.filter((g) => onShard(g, [1, 2]));
    const [otherShard] = ids.filter((g) => !onShard(g, [1, 2]));
    await subscribed(listed!, '700000000000000331');
    await subscribed(goneHere!, '700000000000000332');
    await subscribed(otherShard!, '700000000000000333');
    member(listed!);
    await started();
    await until('the check', removedLine, 10_000);
    expect(await Promise.all(['700000000000000331', '700000000000000332', '700000000000000333'].map(cause))).toEqual(['active', 'removed', 'active']);
  });

  it('GIVEN the store cannot be read at READY THEN one warning, no crash, nothing stopped; the next start checks again', async () => {
    const kept = '800000000000000341';
    await subscribed(kept, '700000000000000341');
    await subscribed('800000000000000342', '700000000000000342');
    member(kept);
    // The bot's own store on a connection that goes away before its gateway starts (a database gone at READY).
    const own = openDatabase(world.config.databasePath);
    const bot = await started({ gateway: false, store: new DiscordStore(onSqlite(own)) });
    own.close();
    await bot.gateway.start();
    const line = await until('the warning', () => world.log.lines.find((l) => l.includes('could not check for servers that removed the bot')), 10_000);
    expect(line).toMatch(/ WARN .*the next start checks again/);
    expect(bot.client()?.isReady() === true || (await until('ready', () => bot.client()?.isReady() || undefined, 10_000))).toBe(true);
    expect(await cause('700000000000000342')).toBe('active');
    await bots.shift()!.stop();

    await started();
    await until('the check', removedLine, 10_000);
    expect(await cause('700000000000000342')).toBe('removed');
  });
});
