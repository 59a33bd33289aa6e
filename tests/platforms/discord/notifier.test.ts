/** Discord alert delivery: the dispatcher and the Discord notifier (real @discordjs/rest) against the fake. */
import { onSqlite } from '../../../src/store/engine.ts';
import { describe, expect, test } from 'vitest';
import { Api } from 'grammy';
import type { World } from '../../helpers/telegram-harness.ts';
import { OutboxStore } from '../../../src/store/outbox.ts';
import { localize } from '../../../src/domain/message.ts';
import { discordEnv, makeDiscord, seedEvent } from '../../helpers/discord-harness.ts';
import { ALL_SEND_PERMISSIONS, type FakeDiscord, MANAGE_CHANNELS, guildCreatePayload, slashInteraction } from '../../fakes/discord.ts';
import { FakeTelegram } from '../../fakes/telegram.ts';
import { DiscordNotifier } from '../../../src/platforms/discord/notifier.ts';
import { notifierRest } from '../../../src/platforms/discord/client.ts';
import { GlobalBudget } from '../../../src/platforms/discord/budget.ts';
import { TelegramNotifier } from '../../../src/platforms/telegram/notifier.ts';
import { Dispatcher } from '../../../src/alerts/dispatcher.ts';
import type { Notifier } from '../../../src/alerts/notifier.ts';
import { sleep } from '../../../src/sleep.ts';
import { eventually } from '../../helpers/eventually.ts';
import { eachWithFakeDiscord, fakeNotifier } from '../../helpers/discord-world.ts';

const MESSAGES = /^\/channels\/(\d+)\/messages$/;
let fake: FakeDiscord;
let world: World;

eachWithFakeDiscord((s) => ({ fake, world } = s));

function discordNotifier(): DiscordNotifier {
  return fakeNotifier(fake, world.log);
}

function dispatcher(notifiers: Notifier[]): Dispatcher {
  return new Dispatcher(new OutboxStore(onSqlite(world.db)), world.deps.subs, { notifiers, charts: world.charts, log: world.log, backoffMs: 50 });
}

async function drainAll(d: Dispatcher, maxRounds = 20): Promise<void> {
  for (let i = 0; i < maxRounds && (await d.pending()) > 0; i++) {
    await d.drain();
    if ((await d.pending()) > 0) await sleep(100);
  }
}

const channel = (r: { path: string }) => MESSAGES.exec(r.path)?.[1];

describe('Discord alert delivery', () => {
  test('GIVEN 12 channels, one answering 50001 THEN that one is deactivated at once, the rest delivered, the chart uploaded once and reused by URL', async () => {
    const healthy = Array.from({ length: 11 }, (_, i) => String(710_000_000_000_000_000n + BigInt(i)));
    const denied = '720000000000000000';
    fake.fail(new RegExp(`^/channels/${denied}/messages$`), { kind: 'error', status: 403, code: 50001 }, 5);
    await seedEvent(
      world,
      [denied, ...healthy].map((chatId) => ({ platform: 'discord' as const, chatId })),
    );
    const notifier = discordNotifier();
    await drainAll(dispatcher([notifier]));

    const sent = fake.calls('POST', MESSAGES).filter((r) => r.status === 200);
    expect(sent.map(channel).sort()).toEqual([...healthy].sort());
    // One try at the dead channel, never a second one (Discord counts invalid requests).
    expect(fake.calls('POST', new RegExp(`^/channels/${denied}/messages$`))).toHaveLength(1);
    // Kept with its cause, for the channel to be told why when someone there asks (/mylevels).
    expect(await world.deps.subs.get('discord', denied)).toMatchObject({ active: false, deactivatedReason: 'rights: 50001 Missing Access' });
    const uploads = sent.filter((r) => r.files.length > 0);
    expect(uploads).toHaveLength(1);
    expect(notifier.uploads).toBe(1);
    expect(uploads[0]!.body.embeds[0].image.url).toMatch(/^attachment:\/\/.+\.png$/);
    const cdn = `https://cdn.discordapp.com/attachments/${channel(uploads[0]!)}/`;
    for (const r of sent.filter((x) => x.files.length === 0)) expect(r.body.embeds[0].image.url.startsWith(cdn)).toBe(true);
    expect(sent[0]!.body.allowed_mentions).toEqual({ parse: [] });
  });

  test('GIVEN the first channel to upload lacks only Attach Files THEN it gets the alert without the chart, saying why, stays subscribed, and another channel uploads it', async () => {
    const noFiles = '721000000000000000';
    const others = ['721000000000000001', '721000000000000002', '721000000000000003'];
    fake.denyAttachFiles(noFiles);
    await seedEvent(
      world,
      [noFiles, ...others].map((chatId) => ({ platform: 'discord' as const, chatId })),
    );
    await drainAll(dispatcher([discordNotifier()]));
    const tried = fake.calls('POST', new RegExp(`^/channels/${noFiles}/messages$`));
    expect(tried.map((r) => [r.status, r.files.length])).toEqual([
      [403, 1],
      [200, 0],
    ]);
    const shown = tried[1]!.body.embeds[0];
    expect(shown.image).toBeUndefined();
    expect(shown.description).toMatch(/\n\*The chart is left out: the bot may not attach files in this channel\.\*$/);
    expect((await world.deps.subs.get('discord', noFiles))?.active).toBe(true);
    const sent = fake.calls('POST', MESSAGES).filter((r) => r.status === 200 && channel(r) !== noFiles);
    expect(sent.map(channel).sort()).toEqual(others);
    expect(sent.filter((r) => r.files.length > 0)).toHaveLength(1);
    expect(sent.every((r) => typeof r.body.embeds[0].image?.url === 'string')).toBe(true);
  });

  test('GIVEN a thread archived and locked (50083) and a locked one (160005) THEN each is deactivated after one try, not retried as our mistake', async () => {
    const archived = '725000000000000001';
    const locked = '725000000000000002';
    const open = '725000000000000003';
    fake.fail(new RegExp(`^/channels/${archived}/messages$`), { kind: 'error', status: 400, code: 50083 }, 5);
    fake.fail(new RegExp(`^/channels/${locked}/messages$`), { kind: 'error', status: 403, code: 160005 }, 5);
    await seedEvent(
      world,
      [archived, locked, open].map((chatId) => ({ platform: 'discord' as const, chatId })),
    );
    await drainAll(dispatcher([discordNotifier()]));
    for (const thread of [archived, locked]) {
      expect(fake.calls('POST', new RegExp(`^/channels/${thread}/messages$`))).toHaveLength(1);
      expect(await world.deps.subs.get('discord', thread)).toMatchObject({
        active: false,
        deactivatedReason: expect.stringMatching(/^closed: (50083|160005) /),
      });
    }
    expect(fake.calls('POST', new RegExp(`^/channels/${open}/messages$`)).map((r) => r.status)).toEqual([200]);
    expect(world.log.lines.some((l) => l.includes('discord refused a message'))).toBe(false);
  });

  test('GIVEN a per-route 429 and a global 429 THEN both are waited out and each channel gets the alert once', async () => {
    const a = '730000000000000001';
    const b = '730000000000000002';
    fake.fail(new RegExp(`^/channels/${a}/messages$`), { kind: 'route-429', retryAfter: 0.4 });
    fake.fail(new RegExp(`^/channels/${b}/messages$`), { kind: 'global-429', retryAfter: 0.3 });
    await seedEvent(
      world,
      [a, b].map((chatId) => ({ platform: 'discord' as const, chatId })),
    );
    await drainAll(dispatcher([discordNotifier()]));
    expect(fake.calls('POST', new RegExp(`^/channels/${a}/messages$`)).map((r) => r.status)).toEqual([429, 200]);
    expect(fake.calls('POST', new RegExp(`^/channels/${b}/messages$`)).map((r) => r.status)).toEqual([429, 200]);
    expect((await world.deps.subs.get('discord', a))?.active).toBe(true);
  });

  // The budget's one real-time test (its pace in detail: discord-budget.test.ts, on a virtual clock).
  test('GIVEN 30 channels and a fake enforcing 20 requests/s with slow answers THEN all delivered, no second of arrivals over 20, no 429 from our own pace', async () => {
    fake.rateLimit = 20;
    fake.latencyMs = 30;
    const channels = Array.from({ length: 30 }, (_, i) => String(735_000_000_000_000_000n + BigInt(i)));
    await seedEvent(
      world,
      channels.map((chatId) => ({ platform: 'discord' as const, chatId })),
    );
    const budget = new GlobalBudget({ rate: 20 });
    const dc = { apiBase: fake.api, rate: 20, token: undefined, applicationId: undefined, alertRoleId: undefined };
    const notifier = new DiscordNotifier({ rest: notifierRest(dc, fake.token, budget), rate: 20, log: world.log });
    // More workers than the pace needs: the budget, not the worker count, must hold the line.
    const d = new Dispatcher(new OutboxStore(onSqlite(world.db)), world.deps.subs, {
      notifiers: [notifier],
      charts: world.charts,
      log: world.log,
      concurrency: 16,
    });
    await drainAll(d);
    const sent = fake.calls('POST', MESSAGES);
    expect(
      sent
        .filter((r) => r.status === 200)
        .map(channel)
        .sort(),
    ).toEqual([...channels].sort());
    expect(fake.violations).toBe(0);
    const at = sent.map((r) => r.at).sort((x, y) => x - y);
    const busiest = Math.max(...at.map((t) => at.filter((u) => u > t - 1000 && u <= t).length));
    expect(busiest).toBeLessThanOrEqual(20);
    expect(budget.started).toBe(30);
  });

  test('GIVEN a long global 429 THEN the notifier hands it back to the dispatcher as a platform-wide retry instead of holding a worker', async () => {
    const a = '740000000000000001';
    fake.fail(new RegExp(`^/channels/${a}/messages$`), { kind: 'global-429', retryAfter: 6 });
    const notifier = discordNotifier();
    const r = await notifier.send({
      kind: 'alert',
      chatId: a,
      lang: 'en',
      message: localize({ title: 'title', lines: ['body'] }, 'en'),
      chart: undefined,
      messageKey: '1',
      mention: null,
      fromPart: 0,
      partSent: async () => {},
    });
    expect(r).toMatchObject({ kind: 'retry', global: true });
    expect((r as { afterMs: number }).afterMs).toBeGreaterThanOrEqual(5_000);
  });

  test('GIVEN a delivery whose one part was already sent (a crash after the send, before the row was marked) THEN nothing is sent again', async () => {
    const parts: number[] = [];
    const d = (fromPart: number) => ({
      kind: 'alert' as const,
      chatId: '745000000000000001',
      lang: 'en' as const,
      message: localize({ title: 'title', lines: ['body'] }, 'en'),
      chart: undefined,
      messageKey: '7',
      mention: null,
      fromPart,
      partSent: async (i: number) => {
        parts.push(i);
      },
    });
    const notifier = discordNotifier();
    expect(await notifier.send(d(1))).toEqual({ kind: 'sent' });
    expect(fake.calls('POST', MESSAGES)).toHaveLength(0);
    expect(await notifier.send(d(0))).toEqual({ kind: 'sent' });
    expect(parts).toEqual([0]);
    expect(fake.calls('POST', MESSAGES)).toHaveLength(1);
  });

  test('GIVEN 5xx twice then OK THEN retried with backoff and delivered once; a role is mentioned in content with allowed_mentions', async () => {
    const a = '750000000000000001';
    fake.fail(new RegExp(`^/channels/${a}/messages$`), { kind: '5xx', status: 502 }, 4);
    await seedEvent(world, [{ platform: 'discord', chatId: a }]);
    await world.deps.subs.upsert('discord', a, { mention: '500000000000000009' });
    await drainAll(dispatcher([discordNotifier()]));
    const ok = fake.calls('POST', MESSAGES).filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    expect(ok[0]!.body.content).toBe('<@&500000000000000009>');
    expect(ok[0]!.body.allowed_mentions).toEqual({ parse: [], roles: ['500000000000000009'] });
  });

  test("GIVEN Discord makes the message but its answer is lost, twice (a timeout after it acted) THEN the sends that follow (the REST's own retry, then the dispatcher's) repeat the nonce and the channel gets one message", async () => {
    const a = '752000000000000001';
    const b = '752000000000000002';
    fake.fail(new RegExp(`^/channels/${a}/messages$`), { kind: 'lost-answer' }, 2);
    await seedEvent(
      world,
      [a, b].map((chatId) => ({ platform: 'discord' as const, chatId })),
    );
    const d = dispatcher([discordNotifier()]);
    await drainAll(d);
    expect(await d.pending()).toBe(0);
    const posts = fake.calls('POST', new RegExp(`^/channels/${a}/messages$`));
    expect(posts.map((r) => r.status)).toEqual([-1, -1, 200]);
    // Every attempt the same nonce, enforced; what the channel shows is one message.
    expect(new Set(posts.map((r) => r.body.nonce)).size).toBe(1);
    expect(posts.every((r) => r.body.enforce_nonce === true)).toBe(true);
    expect(fake.made.get(a)).toHaveLength(1);
    expect(fake.made.get(b)).toHaveLength(1);
    // Another channel's delivery of the same message is another message: another nonce.
    expect(fake.made.get(b)![0]!.nonce).not.toBe(fake.made.get(a)![0]!.nonce);
  });

  test("GIVEN a message long enough for three parts THEN each part has its own nonce within Discord's 25 characters, the same on a later attempt, and three messages are made", async () => {
    const chatId = '753000000000000001';
    const long = localize({ title: 'title', lines: Array.from({ length: 300 }, (_, i) => `line ${i} ${'x'.repeat(40)}`) }, 'en');
    const delivery = {
      kind: 'alert' as const,
      chatId,
      lang: 'en' as const,
      message: long,
      chart: undefined,
      messageKey: '9',
      mention: null,
      fromPart: 0,
      partSent: async () => {},
    };
    expect(await discordNotifier().send(delivery)).toEqual({ kind: 'sent' });
    const nonces = fake.calls('POST', MESSAGES).map((r) => r.body.nonce as string);
    expect(nonces.length).toBeGreaterThanOrEqual(3);
    expect(new Set(nonces).size).toBe(nonces.length);
    for (const n of nonces) expect(n.length).toBeLessThanOrEqual(25);
    expect(fake.made.get(chatId)).toHaveLength(nonces.length);
    // Sent again in full (a crash before any part was stored): Discord answers each with the message it made.
    expect(await discordNotifier().send(delivery)).toEqual({ kind: 'sent' });
    expect(
      fake
        .calls('POST', MESSAGES)
        .map((r) => r.body.nonce)
        .slice(nonces.length),
    ).toEqual(nonces);
    expect(fake.made.get(chatId)).toHaveLength(nonces.length);
  });

  test('GIVEN one event, a Telegram chat and a Discord channel THEN each gets it exactly once, from one process and one outbox', async () => {
    const tg = await FakeTelegram.start();
    try {
      const telegram = new TelegramNotifier({
        api: new Api(tg.token, { apiRoot: tg.apiRoot }),
        rate: 30,
        groupPerMinute: 20,
        paidBroadcast: false,
        log: world.log,
      });
      const discord = discordNotifier();
      await seedEvent(world, [
        { platform: 'telegram', chatId: '4242' },
        { platform: 'discord', chatId: '760000000000000001' },
      ]);
      const d = dispatcher([telegram, discord]);
      await drainAll(d);
      await d.drain(); // a second drain sends nothing again
      expect(tg.callsTo('sendPhoto', '4242')).toHaveLength(1);
      expect(tg.calls.filter((c) => c.method.startsWith('send'))).toHaveLength(1);
      expect(fake.calls('POST', /^\/channels\/760000000000000001\/messages$/)).toHaveLength(1);
    } finally {
      await tg.close();
    }
  });
});

describe('one global budget for alerts and commands', () => {
  // The pace itself is measured on a virtual clock (discord-budget.test.ts); this proves the wiring:
  // the Client's REST and the notifier's share one budget, against the fake enforcing the limit.
  test('GIVEN a broadcast at the whole limit AND a burst of command replies THEN the replies go beside the 10 requests/s, uncharged (Discord does not bind interaction responses to it): no 429, everything delivered and answered', async () => {
    fake.rateLimit = 10;
    fake.latencyMs = 30;
    const bot = makeDiscord(world, discordEnv(fake, { DISCORD_RATE: '10' }));
    try {
      await bot.start();
      await bot.ready();
      const channels = Array.from({ length: 12 }, (_, i) => String(736_000_000_000_000_000n + BigInt(i)));
      await seedEvent(
        world,
        channels.map((chatId) => ({ platform: 'discord' as const, chatId })),
      );
      const d = new Dispatcher(new OutboxStore(onSqlite(world.db)), world.deps.subs, {
        notifiers: [bot.notifier],
        charts: world.charts,
        log: world.log,
        concurrency: 8,
      });
      const before = fake.requests.length;
      const drained = drainAll(d);
      await fake.waitFor('POST', MESSAGES, 5);
      const tokens = Array.from(
        { length: 8 },
        (_, k) => fake.interact(slashInteraction({ name: 'help', userId: String(600000000000001000n + BigInt(k)) })).token,
      );
      await drained;
      for (const token of tokens) await fake.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`));
      const during = fake.requests.slice(before);
      expect(fake.violations).toBe(0);
      expect(during.filter((r) => r.status === 429)).toHaveLength(0);
      expect(fake.calls('POST', MESSAGES).filter((r) => r.status === 200)).toHaveLength(12);
      expect(fake.calls('POST', /\/callback$/).filter((r) => r.status === 204)).toHaveLength(8);
      // The messages were charged to the budget, the replies passed beside it.
      expect(bot.budget.started).toBeGreaterThanOrEqual(12);
      expect(bot.budget.interactionResponses).toBe(8);
    } finally {
      await bot.stop();
    }
  });
});

describe("one global pause for Discord's budget and the outbox", () => {
  test("GIVEN a global 429 on a command's look-up THEN the alert queue holds too: the drain leaves the alert for later instead of sending into the pause", async () => {
    const bot = makeDiscord(world, discordEnv(fake));
    try {
      await bot.start();
      await bot.ready();
      // /subscribe channel:#other in a server the Client has not cached: the guild is fetched through the Client's REST.
      const guildId = '800000000000000001';
      const other = '745000000000000009';
      fake.addGuild(guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: other }] }));
      const GUILD = new RegExp(`^/guilds/${guildId}$`);
      fake.fail(GUILD, { kind: 'global-429', retryAfter: 1.2 }, 1);
      fake.interact(
        slashInteraction({
          name: 'subscribe',
          permissions: MANAGE_CHANNELS,
          options: [{ name: 'channel', type: 7, value: other }],
          resolved: { channels: { [other]: { id: other, type: 0, name: 'x', permissions: String(ALL_SEND_PERMISSIONS) } } },
        }),
      );
      await eventually(() => bot.budget.globalLimited > 0);
      expect(bot.budget.pause.remaining()).toBeGreaterThan(0);

      const channelId = '745000000000000001';
      await seedEvent(world, [{ platform: 'discord', chatId: channelId }]);
      const d = new Dispatcher(new OutboxStore(onSqlite(world.db)), world.deps.subs, {
        notifiers: [bot.notifier],
        charts: world.charts,
        log: world.log,
        maxPauseWaitMs: 100,
      });
      const drained = await d.drain();
      expect(drained.sent).toBe(0);
      expect(await d.pending()).toBe(1);
      expect(fake.calls('POST', new RegExp(`^/channels/${channelId}/messages$`))).toHaveLength(0);
      // The look-up goes again once the pause is over, and the command is answered (nothing left in flight after the test).
      await fake.waitFor('GET', GUILD, 2);
      await fake.waitFor('POST', /^\/interactions\/\d+\/[^/]+\/callback$/);
    } finally {
      await bot.stop();
    }
  });
});
