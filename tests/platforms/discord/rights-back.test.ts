/**
 * A channel whose alerts stopped because the bot lost its rights there is told, when the gateway
 * shows it may post there again (CHANNEL_UPDATE, GUILD_ROLE_UPDATE, the bot's own GUILD_MEMBER_UPDATE),
 * why, since when and how to resume: once a day at most, never for an active channel, nothing resumed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discordEnv, interactionAnswer, makeDiscord, mentioned, startDiscordBot, stopDiscordBot, type RunningDiscord } from '../../helpers/discord-harness.ts';
import { makeWorld, type World } from '../../helpers/telegram-harness.ts';
import { countedCalls } from '../../helpers/store-calls.ts';
import { until } from '../../helpers/replicas.ts';
import type { Discord } from '../../../src/platforms/discord/client.ts';
import { ALL_SEND_PERMISSIONS, FAKE_BOT_ID, MANAGE_CHANNELS, botMessage, buttonInteraction, guildCreatePayload, FakeDiscord } from '../../fakes/discord.ts';
import { DiscordStore } from '../../../src/store/discord.ts';
import { onSqlite } from '../../../src/store/engine.ts';
import { stopReason } from '../../../src/domain/stop-cause.ts';
import { LANGS, t, type Lang } from '../../../src/domain/i18n/index.ts';
import { eventually } from '../../helpers/eventually.ts';

const SETTLE_MS = 50;
/**
 * Where no check is scheduled (an event the bot ignores, a standby, a server with nothing stopped),
 * nothing says when it would have sent: a wait long enough for one to have run (several settles).
 */
const QUIET_MS = 600;
const SEND_MESSAGES = 2048n;
const VIEW_AND_EMBED = 1024n | 16384n;

let running: RunningDiscord;
let fake: FakeDiscord;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rightsBack = (lang: Lang) => mentioned(fake, t(lang, 'chat.sub.rightsBack.discord'));
const posts = (channelId: string) => fake.calls('POST', new RegExp(`^/channels/${channelId}/messages$`));

/** The checks of a server ended so far (rights-back.ts logs each as it ends, sent or not). */
const checks = (log: World['log'], guildId: string): number =>
  log.records.filter((r) => r.msg === 'checked whether the bot may post again in a server' && r.guild === guildId).length;

/**
 * Waits until a check of `guildId` ended after the `since` counted before the events, then a few
 * settles more without another (a burst split by a slow machine checks again): whatever the events
 * would post has been posted.
 */
async function checked(log: World['log'], guildId: string, since: number): Promise<void> {
  await until(`a check of ${guildId}`, () => checks(log, guildId) > since || undefined, 10_000);
  for (let n = checks(log, guildId); ; ) {
    await sleep(3 * SETTLE_MS);
    const now = checks(log, guildId);
    if (now === n) return;
    n = now;
  }
}

/** The server as the Client caches it from GUILD_CREATE (extra roles, the bot's own roles, as given). */
async function serverKnown(payload: Record<string, unknown>): Promise<void> {
  fake.dispatch('GUILD_CREATE', payload);
  const client = running.bot.client()!;
  await eventually(() => client.guilds.cache.has(payload.id as string));
  expect(client.guilds.cache.has(payload.id as string)).toBe(true);
}

/** A channel subscribed in `guildId`, its alerts then stopped with `cause`. */
async function stopped(guildId: string, channelId: string, cause: 'rights' | 'removed' | undefined, lang?: Lang, world: World = running.world): Promise<void> {
  await world.deps.subs.upsert('discord', channelId, lang !== undefined ? { lang } : {});
  await new DiscordStore(onSqlite(world.db)).setChannel(channelId, { guildId, type: 0 });
  if (cause !== undefined) await world.deps.subs.chatGone('discord', channelId, stopReason(cause, '50013 Missing Permissions'));
}

const channelUpdate = (guildId: string, id: string, denyBot: bigint) => ({
  id,
  guild_id: guildId,
  type: 0,
  name: 'alerts',
  position: 0,
  permission_overwrites: denyBot === 0n ? [] : [{ id: FAKE_BOT_ID, type: 1, allow: '0', deny: String(denyBot) }],
});

const role = (id: string, name: string, permissions: bigint, position: number) => ({
  id,
  name,
  permissions: String(permissions),
  position,
  color: 0,
  hoist: false,
  managed: false,
  mentionable: false,
  flags: 0,
});

describe('Discord: a channel stopped for lost rights is told when the bot may post there again', () => {
  beforeEach(async () => {
    running = await startDiscordBot({ rightsBackSettleMs: SETTLE_MS });
    fake = running.fake;
  });
  afterEach(() => stopDiscordBot(running));

  it('GIVEN a channel stopped for rights WHEN a CHANNEL_UPDATE still denies Send Messages THEN nothing; WHEN one gives it back THEN told once, in its language, with the date and Subscribe; again within the day, nothing; a day later, told again; nothing resumed', async () => {
    const guildId = '800000000000000101';
    const ch = '700000000000000101';
    await serverKnown(guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: ch, denyBot: SEND_MESSAGES }] }));
    await stopped(guildId, ch, 'rights', 'zh-TW');
    const stoppedAt = new Date(Date.now() - 3 * 86_400_000);
    running.world.db.prepare('UPDATE subscriptions SET deactivated_at = ? WHERE chat_id = ?').run(stoppedAt.getTime(), ch);

    // Still denied (another right changed beside it).
    const log = running.world.log;
    let since = checks(log, guildId);
    fake.dispatch('CHANNEL_UPDATE', channelUpdate(guildId, ch, SEND_MESSAGES | 32768n));
    await checked(log, guildId, since);
    expect(posts(ch)).toEqual([]);

    const before = fake.requests.length;
    fake.dispatch('CHANNEL_UPDATE', channelUpdate(guildId, ch, 0n));
    const [told] = await fake.waitFor('POST', new RegExp(`^/channels/${ch}/messages$`));
    const description = String(told!.body.embeds[0].description);
    expect(description).toContain(rightsBack('zh-TW'));
    expect(description).toContain(`${stoppedAt.getUTCFullYear()}年${stoppedAt.getUTCMonth() + 1}月${stoppedAt.getUTCDate()}日`);
    expect(description).toContain('3 天前');
    expect(told!.body.components[0].components[0]).toMatchObject({ custom_id: 'cmd:subscribe', label: t('zh-TW', 'chat.button.subscribe') });
    // The cache said it: no REST call but the message.
    expect(fake.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([`POST /channels/${ch}/messages`]);

    // Taken and given back again the same day: said already.
    since = checks(log, guildId);
    fake.dispatch('CHANNEL_UPDATE', channelUpdate(guildId, ch, SEND_MESSAGES));
    fake.dispatch('CHANNEL_UPDATE', channelUpdate(guildId, ch, 0n));
    await checked(log, guildId, since);
    expect(posts(ch)).toHaveLength(1);
    expect((await running.world.deps.subs.get('discord', ch))?.active).toBe(false);

    // The day over: a new restore is told again.
    running.world.db.prepare('UPDATE meta SET value = ? WHERE key = ?').run(String(Date.now() - 86_400_000 - 1000), `discord.rights_back:${ch}`);
    fake.dispatch('CHANNEL_UPDATE', channelUpdate(guildId, ch, 0n));
    await fake.waitFor('POST', new RegExp(`^/channels/${ch}/messages$`), 2);
    expect((await running.world.deps.subs.get('discord', ch))?.active).toBe(false);

    // A moderator presses Subscribe under it: the alerts start again.
    const { token } = fake.interact(
      buttonInteraction({ customId: 'cmd:subscribe', message: botMessage(told!.body), guildId, channelId: ch, permissions: MANAGE_CHANNELS }),
    );
    await interactionAnswer(fake, token);
    expect((await running.world.deps.subs.get('discord', ch))?.active).toBe(true);
  });

  it.each(LANGS)(
    'GIVEN a channel stopped for rights (%s) WHEN a CHANNEL_UPDATE gives Send Messages back but not Embed Links THEN told all the same, in one request: the same words as plain text saying why, with Subscribe',
    async (lang) => {
      const guildId = '800000000000000104';
      const ch = '700000000000000104';
      await serverKnown(guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: ch, denyBot: SEND_MESSAGES }] }));
      await stopped(guildId, ch, 'rights', lang);
      // Discord refuses a message of embeds alone there.
      fake.denyEmbedLinks(ch);
      fake.dispatch('CHANNEL_UPDATE', channelUpdate(guildId, ch, 16384n));
      const [told] = await fake.waitFor('POST', new RegExp(`^/channels/${ch}/messages$`));
      expect(told!.status).toBe(200);
      const shown = fake.made.get(ch)?.[0]?.body as { content: string; embeds: unknown[]; components: { components: unknown[] }[] };
      expect(shown.embeds).toEqual([]);
      expect(shown.content).toContain(rightsBack(lang));
      expect(shown.content.endsWith(`\n*${t(lang, 'discord.noEmbeds')}*`)).toBe(true);
      expect(shown.components[0]!.components[0]).toMatchObject({ custom_id: 'cmd:subscribe', label: t(lang, 'chat.button.subscribe') });
      expect(posts(ch)).toHaveLength(1);
      expect((await running.world.deps.subs.get('discord', ch))?.active).toBe(false);
    },
  );

  it('GIVEN an active channel, and one stopped for another cause WHEN a CHANNEL_UPDATE burst lets the bot post THEN neither is told; a channel stopped for rights in the same burst is told once', async () => {
    const guildId = '800000000000000102';
    const [active, removed, rights] = ['700000000000000111', '700000000000000112', '700000000000000113'];
    await serverKnown(
      guildCreatePayload({
        guildId,
        everyone: ALL_SEND_PERMISSIONS,
        channels: [
          { id: active, denyBot: SEND_MESSAGES },
          { id: removed, denyBot: SEND_MESSAGES },
          { id: rights, denyBot: SEND_MESSAGES },
        ],
      }),
    );
    await stopped(guildId, active, undefined);
    await stopped(guildId, removed, 'removed');
    await stopped(guildId, rights, 'rights');
    const since = checks(running.world.log, guildId);
    for (let i = 0; i < 20; i++) for (const id of [active, removed, rights]) fake.dispatch('CHANNEL_UPDATE', channelUpdate(guildId, id, 0n));
    const [told] = await fake.waitFor('POST', new RegExp(`^/channels/${rights}/messages$`));
    expect(String(told!.body.embeds[0].description)).toContain(rightsBack('en'));
    await checked(running.world.log, guildId, since);
    expect(posts(rights)).toHaveLength(1);
    expect(posts(active)).toEqual([]);
    expect(posts(removed)).toEqual([]);
  });

  it('GIVEN a channel stopped for rights where @everyone may not send WHEN a GUILD_ROLE_UPDATE gives @everyone Send Messages THEN told', async () => {
    const guildId = '800000000000000103';
    const ch = '700000000000000121';
    await serverKnown(guildCreatePayload({ guildId, everyone: VIEW_AND_EMBED, channels: [{ id: ch }] }));
    await stopped(guildId, ch, 'rights', 'zh-CN');
    // Another role's change that gives the bot nothing: no note.
    const since = checks(running.world.log, guildId);
    fake.dispatch('GUILD_ROLE_UPDATE', { guild_id: guildId, role: role(guildId, '@everyone', VIEW_AND_EMBED | 64n, 0) });
    await checked(running.world.log, guildId, since);
    expect(posts(ch)).toEqual([]);
    fake.dispatch('GUILD_ROLE_UPDATE', { guild_id: guildId, role: role(guildId, '@everyone', ALL_SEND_PERMISSIONS, 0) });
    const [told] = await fake.waitFor('POST', new RegExp(`^/channels/${ch}/messages$`));
    expect(String(told!.body.embeds[0].description)).toContain(rightsBack('zh-CN'));
  });

  it("GIVEN a channel stopped for rights WHEN the bot's own GUILD_MEMBER_UPDATE gives it a role that may send THEN told; another member's update is ignored", async () => {
    const guildId = '800000000000000104';
    const ch = '700000000000000131';
    const poster = '800000000000000999';
    const payload = guildCreatePayload({ guildId, everyone: VIEW_AND_EMBED, channels: [{ id: ch }] });
    (payload.roles as unknown[]).push(role(poster, 'poster', ALL_SEND_PERMISSIONS, 1));
    await serverKnown(payload);
    await stopped(guildId, ch, 'rights');
    const member = (id: string, roles: string[]) => ({
      guild_id: guildId,
      user: { id, username: 'x', discriminator: '0', avatar: null, bot: id === FAKE_BOT_ID },
      roles,
      joined_at: '2024-01-01T00:00:00.000Z',
      deaf: false,
      mute: false,
      flags: 0,
    });
    // Ignored: no check starts (the bot's rights are the same either way, so only the count of
    // checks tells an ignored update from one checked and found nothing).
    const before = checks(running.world.log, guildId);
    fake.dispatch('GUILD_MEMBER_UPDATE', member('600000000000000001', [poster]));
    await sleep(QUIET_MS);
    expect(checks(running.world.log, guildId)).toBe(before);
    expect(posts(ch)).toEqual([]);
    fake.dispatch('GUILD_MEMBER_UPDATE', member(FAKE_BOT_ID, [poster]));
    const [told] = await fake.waitFor('POST', new RegExp(`^/channels/${ch}/messages$`));
    expect(String(told!.body.embeds[0].description)).toContain(rightsBack('en'));
  });

  it('GIVEN a thread whose alerts stopped because it was locked WHEN a THREAD_UPDATE keeps it locked THEN nothing; WHEN one unlocks it THEN told once, in its language, with Subscribe; an active thread unlocked is not told', async () => {
    const guildId = '800000000000000105';
    const parent = '700000000000000141';
    const [thread, open] = ['720000000000000141', '720000000000000142'];
    const IN_THREADS = 1n << 38n;
    await serverKnown(guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS | IN_THREADS, channels: [{ id: parent }] }));
    await stopped(guildId, thread, undefined, 'zh-TW');
    await running.world.deps.subs.chatGone('discord', thread, stopReason('closed', '160005 Thread is locked'));
    await stopped(guildId, open, undefined);
    const threadUpdate = (id: string, locked: boolean, archived = locked) => ({
      id,
      guild_id: guildId,
      parent_id: parent,
      type: 11,
      name: 'daily talk',
      owner_id: '600000000000000001',
      thread_metadata: { archived, locked, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString() },
      message_count: 3,
      member_count: 2,
    });
    // Still locked: no check to wait for.
    fake.dispatch('THREAD_UPDATE', threadUpdate(thread, true));
    await sleep(QUIET_MS);
    expect(posts(thread)).toEqual([]);
    // Unlocked and still archived: a post would unarchive it, so the bot may post there.
    fake.dispatch('THREAD_UPDATE', threadUpdate(thread, false, true));
    const [told] = await fake.waitFor('POST', new RegExp(`^/channels/${thread}/messages$`));
    expect(String(told!.body.embeds[0].description)).toContain(mentioned(fake, t('zh-TW', 'chat.sub.stopped.closed.discord')));
    expect(told!.body.components[0].components[0]).toMatchObject({ custom_id: 'cmd:subscribe', label: t('zh-TW', 'chat.button.subscribe') });
    // Unarchived after (a member's post): open already, nothing more. The active thread, new to the
    // cache, is checked.
    const since = checks(running.world.log, guildId);
    fake.dispatch('THREAD_UPDATE', threadUpdate(thread, false, false));
    fake.dispatch('THREAD_UPDATE', threadUpdate(open, false, false));
    await checked(running.world.log, guildId, since);
    expect(posts(thread)).toHaveLength(1);
    expect(posts(open)).toEqual([]);
    expect((await running.world.deps.subs.get('discord', thread))?.active).toBe(false);
  });
});

describe('Discord: rights given back while the bot was away are told at its next start', () => {
  let world: World;
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

  /** A bot on the world against the fake, started (the gateway too unless `gateway: false`, a standby's). */
  async function started(extra: Parameters<typeof makeDiscord>[2] = {}, on: World = world): Promise<Discord> {
    const bot = makeDiscord(on, discordEnv(fake), { rightsBackSettleMs: SETTLE_MS, ...extra });
    bots.push(bot);
    await bot.start();
    await bot.ready();
    return bot;
  }

  async function gatewayReady(bot: Discord): Promise<void> {
    await eventually(() => bot.client()?.isReady() === true);
    expect(bot.client()?.isReady()).toBe(true);
  }

  it('GIVEN threads whose alerts stopped because they were locked, one unlocked while the bot was away THEN its start tells that one (active in GUILD_CREATE, unlocked), not the one still locked', async () => {
    const guildId = '800000000000000203';
    const parent = '700000000000000211';
    const [unlocked, locked] = ['720000000000000211', '720000000000000212'];
    for (const thread of [unlocked, locked]) {
      await stopped(guildId, thread, undefined, 'zh-CN', world);
      await world.deps.subs.chatGone('discord', thread, stopReason('closed', '160005 Thread is locked'));
    }
    const payload = guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS | (1n << 38n), channels: [{ id: parent }] });
    const thread = (id: string, isLocked: boolean) => ({
      id,
      guild_id: guildId,
      parent_id: parent,
      type: 11,
      name: `thread ${id}`,
      owner_id: '600000000000000001',
      thread_metadata: { archived: false, locked: isLocked, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString() },
      message_count: 3,
      member_count: 2,
    });
    payload.threads = [thread(unlocked, false), thread(locked, true)];
    fake.memberOf.set(guildId, payload);
    await started();
    const [told] = await fake.waitFor('POST', new RegExp(`^/channels/${unlocked}/messages$`));
    expect(String(told!.body.embeds[0].description)).toContain(mentioned(fake, t('zh-CN', 'chat.sub.stopped.closed.discord')));
    await checked(world.log, guildId, 0);
    expect(posts(locked)).toEqual([]);
    expect(posts(unlocked)).toHaveLength(1);
  });

  it('GIVEN a channel stopped for rights whose server let the bot post again while it was away THEN its start tells it once, in its language, with Subscribe; a restart the same day says nothing; a channel still denied, an active one and one stopped for another cause get nothing', async () => {
    const [guildId, deniedGuild] = ['800000000000000201', '800000000000000202'];
    const [back, active, removed, denied] = ['700000000000000201', '700000000000000202', '700000000000000203', '700000000000000204'];
    await stopped(guildId, back, 'rights', 'zh-TW', world);
    await stopped(guildId, active, undefined, undefined, world);
    await stopped(guildId, removed, 'removed', undefined, world);
    await stopped(deniedGuild, denied, 'rights', undefined, world);
    // Meanwhile, as the next session's GUILD_CREATEs show: the overwrite denying the bot is gone in one server, kept in the other.
    fake.memberOf.set(guildId, guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: back }, { id: active }, { id: removed }] }));
    fake.memberOf.set(
      deniedGuild,
      guildCreatePayload({ guildId: deniedGuild, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: denied, denyBot: SEND_MESSAGES }] }),
    );

    await started();
    const [told] = await fake.waitFor('POST', new RegExp(`^/channels/${back}/messages$`));
    expect(String(told!.body.embeds[0].description)).toContain(rightsBack('zh-TW'));
    expect(told!.body.components[0].components[0]).toMatchObject({ custom_id: 'cmd:subscribe', label: t('zh-TW', 'chat.button.subscribe') });
    await checked(world.log, guildId, 0);
    await checked(world.log, deniedGuild, 0);
    expect(fake.calls('POST', /^\/channels\/\d+\/messages$/).map((r) => r.path)).toEqual([`/channels/${back}/messages`]);
    expect((await world.deps.subs.get('discord', back))?.active).toBe(false);

    // A restart (a deploy, a crash loop) the same day: told already.
    await bots.shift()!.stop();
    const calls: string[] = [];
    const counted: World = { ...world, deps: { ...world.deps, subs: countedCalls(world.deps.subs, calls) } };
    const since = checks(world.log, guildId);
    const again = await started({}, counted);
    await gatewayReady(again);
    // Its start's check reached the channel (the rest is the note's to decide), and ended.
    await until('the check of the channel', () => calls.includes('SubscriptionStore.get') || undefined, 10_000);
    await checked(world.log, guildId, since);
    expect(fake.calls('POST', /^\/channels\/\d+\/messages$/)).toHaveLength(1);
  });

  it('GIVEN a start whose GUILD_CREATEs take a while (the Client ready only after the last) THEN a channel of the first server, its rights back, is told all the same', async () => {
    const [first, last] = ['800000000000000241', '800000000000000242'];
    const ch = '700000000000000241';
    await stopped(first, ch, 'rights', undefined, world);
    fake.memberOf.set(first, guildCreatePayload({ guildId: first, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: ch }] }));
    fake.memberOf.set(last, guildCreatePayload({ guildId: last, everyone: ALL_SEND_PERMISSIONS, channels: [] }));
    fake.guildCreateGapMs = 10 * SETTLE_MS;
    await started();
    const [told] = await fake.waitFor('POST', new RegExp(`^/channels/${ch}/messages$`));
    expect(String(told!.body.embeds[0].description)).toContain(rightsBack('en'));
  });

  it('GIVEN a server unavailable at the start (an outage) with a channel stopped for rights WHEN its GUILD_CREATE comes later, the bot allowed THEN that channel is told then', async () => {
    const [up, late] = ['800000000000000231', '800000000000000232'];
    const ch = '700000000000000232';
    await stopped(late, ch, 'rights', undefined, world);
    fake.memberOf.set(up, guildCreatePayload({ guildId: up, everyone: ALL_SEND_PERMISSIONS, channels: [] }));
    const bot = await started();
    await gatewayReady(bot);
    await sleep(QUIET_MS);
    expect(posts(ch)).toEqual([]);
    fake.dispatch('GUILD_CREATE', guildCreatePayload({ guildId: late, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: ch }] }));
    const [told] = await fake.waitFor('POST', new RegExp(`^/channels/${ch}/messages$`));
    expect(String(told!.body.embeds[0].description)).toContain(rightsBack('en'));
  });

  it('GIVEN a session dropped and resumed WHEN the rights came back meanwhile THEN Discord replays the CHANNEL_UPDATE and the channel is told; WHEN a session ends and the Client identifies anew THEN its READY and GUILD_CREATE tell another', async () => {
    const guildId = '800000000000000251';
    const [resumed, renewed] = ['700000000000000251', '700000000000000252'];
    await stopped(guildId, resumed, 'rights', undefined, world);
    await stopped(guildId, renewed, 'rights', undefined, world);
    const payload = (deny: { resumed: bigint; renewed: bigint }) =>
      guildCreatePayload({
        guildId,
        everyone: ALL_SEND_PERMISSIONS,
        channels: [
          { id: resumed, denyBot: deny.resumed },
          { id: renewed, denyBot: deny.renewed },
        ],
      });
    fake.memberOf.set(guildId, payload({ resumed: SEND_MESSAGES, renewed: SEND_MESSAGES }));
    // Identifying again at once, not after Discord's 5 s (what the new session says is the behaviour here).
    const bot = await started({ identifyAtOnce: true });
    await gatewayReady(bot);
    await checked(world.log, guildId, 0);
    expect(fake.calls('POST', /^\/channels\/\d+\/messages$/)).toEqual([]);

    fake.dropSessions(true);
    fake.dispatch('CHANNEL_UPDATE', channelUpdate(guildId, resumed, 0n));
    await fake.waitFor('POST', new RegExp(`^/channels/${resumed}/messages$`));
    expect(fake.gatewayIn.filter((f) => f.op === 6)).toHaveLength(1);
    expect(fake.gatewayIn.filter((f) => f.op === 2)).toHaveLength(1);

    // A session Discord ended: no event says what changed while the Client identified again.
    fake.memberOf.set(guildId, payload({ resumed: 0n, renewed: 0n }));
    const since = checks(world.log, guildId);
    fake.dropSessions(false);
    await fake.waitFor('POST', new RegExp(`^/channels/${renewed}/messages$`));
    expect(fake.gatewayIn.filter((f) => f.op === 2)).toHaveLength(2);
    await checked(world.log, guildId, since);
    expect(posts(resumed)).toHaveLength(1);
  });

  it('GIVEN a standby replica (no gateway) THEN it posts nothing; WHEN it leads (the gateway started) THEN the channel is told', async () => {
    const guildId = '800000000000000211';
    const ch = '700000000000000211';
    await stopped(guildId, ch, 'rights', 'zh-CN', world);
    fake.memberOf.set(guildId, guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: ch }] }));
    const standby = await started({ gateway: false });
    await sleep(QUIET_MS);
    expect(posts(ch)).toEqual([]);
    expect(fake.gatewayIn.filter((f) => f.op === 2)).toEqual([]);
    await standby.gateway.start();
    const [told] = await fake.waitFor('POST', new RegExp(`^/channels/${ch}/messages$`));
    expect(String(told!.body.embeds[0].description)).toContain(rightsBack('zh-CN'));
  });

  it('GIVEN forty servers, some with channels stopped for rights and still denied, some with none THEN the start asks the store once, for all of them, and posts nothing', async () => {
    const calls: string[] = [];
    const counted: World = { ...world, deps: { ...world.deps, subs: countedCalls(world.deps.subs, calls) } };
    for (let i = 0; i < 40; i++) {
      const guildId = String(800000000000001000n + BigInt(i));
      const [rights, active] = [String(700000000000001000n + BigInt(2 * i)), String(700000000000001001n + BigInt(2 * i))];
      if (i % 2 === 0) await stopped(guildId, rights, 'rights', undefined, world);
      await stopped(guildId, active, undefined, undefined, world);
      fake.memberOf.set(
        guildId,
        guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: rights, denyBot: SEND_MESSAGES }, { id: active }] }),
      );
    }
    const bot = await started({ gateway: false, store: countedCalls(new DiscordStore(onSqlite(world.db)), calls) }, counted);
    calls.length = 0;
    await bot.gateway.start();
    await gatewayReady(bot);
    expect(bot.client()?.guilds.cache.size).toBe(40);
    // The servers with a channel stopped for rights (every other one) each checked.
    await Promise.all(Array.from({ length: 20 }, (_, i) => checked(world.log, String(800000000000001000n + BigInt(2 * i)), 0)));
    // rightsBackNote only makes the note (its told/tell would be the queries, for a channel the bot may post in: none here).
    // READY's two reads, each once whatever the number of servers: this one, and the active channels (removed-while-away.ts).
    expect(calls.filter((c) => c !== 'DiscordStore.rightsBackNote').sort()).toEqual(['DiscordStore.activeChannels', 'DiscordStore.stoppedForRights']);
    expect(fake.calls('POST', /^\/channels\/\d+\/messages$/)).toEqual([]);
  });

  it('GIVEN a server with ten active channels the bot may post in, and none stopped WHEN a burst of CHANNEL_UPDATEs THEN its check reads the store once, not once per channel, and posts nothing', async () => {
    const calls: string[] = [];
    const counted: World = { ...world, deps: { ...world.deps, subs: countedCalls(world.deps.subs, calls) } };
    const guildId = '800000000000000221';
    const ids = Array.from({ length: 10 }, (_, i) => String(700000000000002000n + BigInt(i)));
    for (const id of ids) await stopped(guildId, id, undefined, undefined, world);
    // A channel stopped for rights elsewhere: nothing to check here.
    await stopped('800000000000000222', '700000000000002100', 'rights', undefined, world);
    fake.memberOf.set(guildId, guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: ids.map((id) => ({ id })) }));
    const bot = await started({ store: countedCalls(new DiscordStore(onSqlite(world.db)), calls) }, counted);
    await gatewayReady(bot);
    await sleep(QUIET_MS);
    calls.length = 0;
    for (const id of ids) fake.dispatch('CHANNEL_UPDATE', channelUpdate(guildId, id, 0n));
    // The check ran (however slow the machine) and ended.
    await until('the check of the burst', () => calls.length > 0 || undefined, 10_000);
    await checked(world.log, guildId, 0);
    expect(calls).toEqual(['DiscordStore.stoppedForRights']);
    expect(fake.calls('POST', /^\/channels\/\d+\/messages$/)).toEqual([]);
  });
});
