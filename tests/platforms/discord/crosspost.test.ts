/** Discord announcement channels: an alert there is also published (crossposted) to following servers. */
import { onSqlite } from '../../../src/store/engine.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { World } from '../../helpers/telegram-harness.ts';
import { seedEvent, startDiscordBot, stopDiscordBot } from '../../helpers/discord-harness.ts';
import { ALL_SEND_PERMISSIONS, type FakeDiscord, guildCreatePayload, MANAGE_CHANNELS, slashInteraction } from '../../fakes/discord.ts';
import type { Discord } from '../../../src/platforms/discord/client.ts';
import { Dispatcher } from '../../../src/alerts/dispatcher.ts';
import { OutboxStore } from '../../../src/store/outbox.ts';
import { DiscordStore } from '../../../src/store/discord.ts';
import { createMetrics, type Metrics } from '../../../src/ops/metrics.ts';
import { t } from '../../../src/domain/i18n/index.ts';
import { until } from '../../helpers/replicas.ts';

const GUILD = '800000000000000001';
const NEWS = '700000000000000055';
const TEXT = '700000000000000056';
const SEND_MESSAGES = 2048n;

let world: World;
let fake: FakeDiscord;
let bot: Discord;
let metrics: Metrics;

beforeEach(async () => {
  metrics = createMetrics({ defaults: false });
  ({ world, fake, bot } = await startDiscordBot({ metrics }));
  fake.channels.set(NEWS, { id: NEWS, type: 5, guild_id: GUILD, name: 'news' });
  fake.channels.set(TEXT, { id: TEXT, type: 0, guild_id: GUILD, name: 'general' });
});
afterEach(() => stopDiscordBot({ world, fake, bot }));

/** /subscribe sent inside `channelId` (of `type`) by an admin; resolves with the interaction's callback. */
async function subscribeIn(channelId: string, type: number, appPermissions = ALL_SEND_PERMISSIONS) {
  const payload = slashInteraction({ name: 'subscribe', channelId, permissions: MANAGE_CHANNELS, appPermissions });
  const { token } = fake.interact({ ...payload, channel: { id: channelId, type, guild_id: GUILD, name: 'news' } });
  const [callback] = await fake.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`));
  return callback!;
}

async function alertTo(channelId: string): Promise<void> {
  await seedEvent(world, [{ platform: 'discord', chatId: channelId }]);
  const d = new Dispatcher(new OutboxStore(onSqlite(world.db)), world.deps.subs, { notifiers: [bot.notifier], charts: world.charts, log: world.log });
  await d.drain();
  expect(await d.pending()).toBe(0);
}

const crossposts = () => fake.calls('POST', /^\/channels\/\d+\/messages\/\d+\/crosspost$/);
const counted = async (outcome: string) =>
  Number(new RegExp(`goldratio_discord_crossposts_total\\{outcome="${outcome}"\\} (\\d+)`).exec(await metrics.scrape())?.[1] ?? 0);

describe('Discord announcement channels', () => {
  it.each([
    ['Alerts *ratio*', '@Alerts \\*ratio\\*'],
    [undefined, ''],
  ] as const)(
    'GIVEN a role (named %j) to mention in an announcement channel THEN the alert pings it here, and before publishing the mention becomes its name as plain text (%j: none when the name cannot be had): this channel keeps whom it was for, following servers, where that role is none, see no @deleted-role',
    async (roleName, trace) => {
      const role = '555000000000000077';
      const guild = guildCreatePayload({ guildId: GUILD, everyone: ALL_SEND_PERMISSIONS, channels: [] });
      if (roleName !== undefined)
        (guild.roles as unknown[]).push({
          id: role,
          name: roleName,
          permissions: '0',
          position: 1,
          color: 0,
          hoist: false,
          managed: false,
          mentionable: true,
          flags: 0,
        });
      fake.addGuild(guild);
      expect((await subscribeIn(NEWS, 5)).body.data.flags).toBe(64);
      expect((await subscribeIn(TEXT, 0)).body.data.flags).toBe(64);
      for (const c of [NEWS, TEXT]) await world.deps.subs.upsert('discord', c, { mention: role });
      await seedEvent(world, [
        { platform: 'discord', chatId: NEWS },
        { platform: 'discord', chatId: TEXT },
      ]);
      const d = new Dispatcher(new OutboxStore(onSqlite(world.db)), world.deps.subs, { notifiers: [bot.notifier], charts: world.charts, log: world.log });
      await d.drain();
      expect(await d.pending()).toBe(0);
      for (const c of [NEWS, TEXT]) {
        const [post] = fake.calls('POST', new RegExp(`^/channels/${c}/messages$`));
        expect(post?.body).toMatchObject({ content: `<@&${role}>`, allowed_mentions: { roles: [role] } });
      }
      // Edited (pinging no one), then published: the copy the followers get has the alert, the role's name as text, no mention.
      const news = fake.requests.filter((r) => r.path.startsWith(`/channels/${NEWS}/messages/`)).map((r) => [r.method, r.path.split('/').pop(), r.status]);
      expect(news).toEqual([
        ['PATCH', expect.stringMatching(/^\d+$/), 200],
        ['POST', 'crosspost', 200],
      ]);
      expect(fake.calls('PATCH', new RegExp(`^/channels/${NEWS}/messages/`))[0]?.body.allowed_mentions).toEqual({ parse: [] });
      expect(fake.made.get(NEWS)?.[0]?.body).toMatchObject({ content: trace, embeds: [expect.anything()] });
      const followers = fake.published.get(NEWS) ?? [];
      expect(followers).toHaveLength(1);
      expect(followers[0]).toMatchObject({ content: trace, embeds: [expect.anything()] });
      expect(JSON.stringify(followers[0])).not.toContain('<@&');
      // A channel nobody follows keeps its mention.
      expect(fake.made.get(TEXT)?.[0]?.body).toMatchObject({ content: `<@&${role}>` });
      expect(fake.calls('PATCH', new RegExp(`^/channels/${TEXT}/messages/`))).toHaveLength(0);
    },
  );

  it("GIVEN the announcement channel's server in the gateway cache THEN the role's name comes from it, as GUILD_CREATE, then a GUILD_ROLE_UPDATE renaming it, say; a role deleted (GUILD_ROLE_DELETE) leaves no name: Discord is asked nothing", async () => {
    const role = '555000000000000078';
    const guild = guildCreatePayload({ guildId: GUILD, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: NEWS }] });
    (guild.channels as { type: number }[])[0]!.type = 5;
    const alerts = { id: role, name: 'Alerts', permissions: '0', position: 1, color: 0, hoist: false, managed: false, mentionable: true, flags: 0 };
    (guild.roles as unknown[]).push(alerts);
    fake.dispatch('GUILD_CREATE', guild);
    const client = bot.client()!;
    const cached = () => client.guilds.cache.get(GUILD)?.roles.cache.get(role)?.name;
    await until('the server cached', () => cached(), 5_000);
    await world.deps.subs.upsert('discord', NEWS, { mention: role });
    await new DiscordStore(onSqlite(world.db)).setChannel(NEWS, { guildId: GUILD, type: 5 });
    const traces = () => (fake.published.get(NEWS) ?? []).map((m) => m.content);

    await alertTo(NEWS);
    expect(traces()).toEqual(['@Alerts']);

    fake.dispatch('GUILD_ROLE_UPDATE', { guild_id: GUILD, role: { ...alerts, name: 'Gold *watchers*' } });
    await until('the role renamed in the cache', () => cached() === 'Gold *watchers*' || undefined, 5_000);
    await alertTo(NEWS);
    expect(traces()).toEqual(['@Alerts', '@Gold \\*watchers\\*']);

    fake.dispatch('GUILD_ROLE_DELETE', { guild_id: GUILD, role_id: role });
    await until('the role gone from the cache', () => (cached() === undefined ? true : undefined), 5_000);
    await alertTo(NEWS);
    expect(traces()).toEqual(['@Alerts', '@Gold \\*watchers\\*', '']);
    // Each alert still pinged the role where it was made; the followers' copies mention nobody.
    expect(fake.calls('POST', new RegExp(`^/channels/${NEWS}/messages$`)).map((r) => r.body.content)).toEqual(Array(3).fill(`<@&${role}>`));
    expect(JSON.stringify(fake.published.get(NEWS))).not.toContain('<@&');
    expect(fake.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/guilds/'))).toEqual([]);
  });

  it('GIVEN /subscribe in an announcement channel THEN each alert there is sent, then published: one crosspost of that message', async () => {
    expect((await subscribeIn(NEWS, 5)).body.data.flags).toBe(64);
    expect(await new DiscordStore(onSqlite(world.db)).channel(NEWS)).toEqual({ guildId: GUILD, type: 5 });
    await alertTo(NEWS);
    const [post] = fake.calls('POST', new RegExp(`^/channels/${NEWS}/messages$`));
    expect(post?.status).toBe(200);
    expect(crossposts()).toHaveLength(1);
    const published = crossposts()[0]!;
    expect(published.status).toBe(200);
    // The message just sent is the one published.
    expect(fake.requests.indexOf(published)).toBeGreaterThan(fake.requests.indexOf(post!));
    expect(await counted('published')).toBe(1);
  });

  it('GIVEN a text channel THEN no crosspost', async () => {
    await subscribeIn(TEXT, 0);
    await alertTo(TEXT);
    expect(fake.calls('POST', new RegExp(`^/channels/${TEXT}/messages$`))).toHaveLength(1);
    expect(crossposts()).toHaveLength(0);
  });

  it('GIVEN the publish is refused THEN it is logged and counted, and the alert still counts as sent (the channel stays subscribed)', async () => {
    await subscribeIn(NEWS, 5);
    fake.fail(/\/crosspost$/, { kind: 'error', status: 403, code: 50001 });
    await alertTo(NEWS);
    expect(crossposts()[0]?.status).toBe(403);
    expect(await counted('failed')).toBe(1);
    expect(world.log.lines.some((l) => l.includes(`announcement channel ${NEWS}`) && l.includes('50001'))).toBe(true);
    expect((await world.deps.subs.get('discord', NEWS))?.active).toBe(true);
    const row = world.db.prepare('SELECT status FROM outbox WHERE chat_id = ?').get(NEWS) as { status: string };
    expect(row.status).toBe('sent');
  });

  it('GIVEN a channel subscribed before its type was kept THEN the type is asked once and remembered', async () => {
    await world.deps.subs.upsert('discord', NEWS);
    await new DiscordStore(onSqlite(world.db)).setChannel(NEWS, { guildId: GUILD });
    await alertTo(NEWS);
    await alertTo(NEWS);
    expect(fake.calls('GET', new RegExp(`^/channels/${NEWS}$`))).toHaveLength(1);
    expect(crossposts()).toHaveLength(2);
    expect((await new DiscordStore(onSqlite(world.db)).channel(NEWS))?.type).toBe(5);
  });

  it('GIVEN /subscribe in an announcement channel where the bot lacks Send Messages THEN a refusal naming it, and nothing stored', async () => {
    const callback = await subscribeIn(NEWS, 5, ALL_SEND_PERMISSIONS & ~SEND_MESSAGES);
    expect(callback.body.data.embeds[0].description).toBe(
      t('en', 'discord.missingPublish', {
        channel: `<#${NEWS}>`,
        permission: 'Send Messages',
        // The command as Discord shows it: a mention of the one the bot registered.
        command: `</subscribe:${(fake.commands.get('global') as { name: string; id: string }[]).find((c) => c.name === 'subscribe')!.id}>`,
      }),
    );
    expect(await world.deps.subs.get('discord', NEWS)).toBeUndefined();
  });
});

describe('Discord announcement channels during a stop', () => {
  it('GIVEN the process stops taking as the last part of an alert is delivered THEN that message is still published, once, and the next start sends and publishes nothing again', async () => {
    await subscribeIn(NEWS, 5);
    await seedEvent(world, [{ platform: 'discord', chatId: NEWS }]);
    const outbox = new OutboxStore(onSqlite(world.db));
    // The real notifier; the stop comes (stopTaking, as main.ts's halfway) just as its part is delivered.
    const d: Dispatcher = new Dispatcher(outbox, world.deps.subs, {
      notifiers: [
        {
          platform: 'discord',
          ratePerSecond: bot.notifier.ratePerSecond,
          send: (delivery) =>
            bot.notifier.send({
              ...delivery,
              partSent: (index) => {
                d.stopTaking();
                return delivery.partSent(index);
              },
            }),
        },
      ],
      charts: world.charts,
      log: world.log,
    });
    await d.drain();
    await d.settled();
    expect(fake.calls('POST', new RegExp(`^/channels/${NEWS}/messages$`))).toHaveLength(1);
    expect(crossposts()).toHaveLength(1);
    // Every part is stored; the row's end is the next start's to record.
    expect(world.db.prepare("SELECT status, parts_sent FROM outbox WHERE platform = 'discord'").get()).toEqual({ status: 'pending', parts_sent: 1 });

    const next = new Dispatcher(outbox, world.deps.subs, { notifiers: [bot.notifier], charts: world.charts, log: world.log });
    await next.drain();
    expect(await next.pending()).toBe(0);
    expect(fake.calls('POST', new RegExp(`^/channels/${NEWS}/messages$`))).toHaveLength(1);
    expect(crossposts()).toHaveLength(1);
  });
});
