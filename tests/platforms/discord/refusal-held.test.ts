/**
 * The 50013s that what the bot knows reads otherwise than as a refusal of the channel: the bot
 * timed out in the server (a pause of its sends there, from the gateway's GUILD_MEMBER_UPDATE or
 * from REST), a cache behind a right taken (REST's answer kept, so one refusal per window, and
 * dropped when the gateway says the server's rights changed), a
 * plain-text message refused (no embeds tried after it), a refusal nothing explains (waited out,
 * doubling, the channel stopped after UNEXPLAINED_MAX in a row, counted across a restart); and the uploads a text-mode
 * channel costs. Through the real bot (its Client and notifier) against the Discord fake, the
 * requests counted.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { onSqlite } from '../../../src/store/engine.ts';
import { OutboxStore } from '../../../src/store/outbox.ts';
import { DiscordStore } from '../../../src/store/discord.ts';
import { Dispatcher } from '../../../src/alerts/dispatcher.ts';
import { RIGHTS_ASKED_MS, UNEXPLAINED_MAX, UNEXPLAINED_WAIT_MS } from '../../../src/platforms/discord/notifier.ts';
import { discordEnv, makeDiscord, seedEvent, startDiscordBot, stopDiscordBot, type RunningDiscord } from '../../helpers/discord-harness.ts';
import type { Notifier } from '../../../src/alerts/notifier.ts';
import { ALL_SEND_PERMISSIONS, FAKE_BOT_ID, guildCreatePayload } from '../../fakes/discord.ts';
import { sleep } from '../../../src/sleep.ts';
import { until } from '../../helpers/replicas.ts';
import { t } from '../../../src/domain/i18n/index.ts';
import { eventually } from '../../helpers/eventually.ts';

const EMBED_LINKS = 16384n;
const ATTACH_FILES = 32768n;
const DAY = 86_400_000;
const HOUR = 3_600_000;

/** The clock of the notifier and the dispatchers: the real one, moved on by the tests. */
let skew = 0;
const now = () => Date.now() + skew;

let running: RunningDiscord;
beforeEach(async () => {
  skew = 0;
  running = await startDiscordBot({ now });
});
afterEach(() => stopDiscordBot(running));

async function cached(guildId: string, channels: { id: string; denyBot?: bigint }[]): Promise<void> {
  running.fake.dispatch('GUILD_CREATE', guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels }));
  const client = running.bot.client()!;
  await eventually(() => channels.every((c) => client.channels.cache.has(c.id)));
  expect(channels.every((c) => client.channels.cache.has(c.id))).toBe(true);
}

function dispatcher(notifier: Notifier = running.bot.notifier): Dispatcher {
  return new Dispatcher(new OutboxStore(onSqlite(running.world.db)), running.world.deps.subs, {
    notifiers: [notifier],
    charts: running.world.charts,
    log: running.world.log,
    backoffMs: 50,
    now,
  });
}

/** One alert (an event `later` ms on) to each of `chats`, drained as far as it goes now; how many rows still wait. */
async function deliver(chats: string[], later = 0, notifier?: Notifier): Promise<number> {
  const store = new DiscordStore(onSqlite(running.world.db));
  for (const c of chats) if ((await store.channel(c))?.type === undefined) await store.setChannel(c, { type: 0 });
  await seedEvent(
    running.world,
    chats.map((chatId) => ({ platform: 'discord' as const, chatId })),
    Date.now() + later,
  );
  return drain(notifier);
}

async function drain(notifier?: Notifier): Promise<number> {
  const d = dispatcher(notifier);
  for (let i = 0; i < 10 && (await d.pending()) > 0; i++) await d.drain();
  return d.pending();
}

const posts = (channelId: string) => running.fake.calls('POST', new RegExp(`^/channels/${channelId}/messages$`));
const gets = (before: number) =>
  running.fake.requests
    .slice(before)
    .filter((r) => r.method === 'GET' && !r.path.startsWith('/gateway'))
    .map((r) => r.path);
/** How many embeds the channel's last message made has. */
const lastEmbeds = (ch: string) => (running.fake.made.get(ch)?.at(-1)?.body.embeds as unknown[] | undefined)?.length;
const active = async (ch: string) => (await running.world.deps.subs.get('discord', ch))?.active;

describe('the bot timed out in a server', () => {
  test("GIVEN the gateway's GUILD_MEMBER_UPDATE times the bot out THEN its alerts there wait without a request, the channel kept; once the timeout is lifted they go", async () => {
    const guildId = '848000000000000001';
    const ch = '748000000000000001';
    await cached(guildId, [{ id: ch }]);
    const until = new Date(Date.now() + HOUR).toISOString();
    const member = (guildCreatePayload({ guildId, everyone: 0n, channels: [] }).members as Record<string, unknown>[])[0]!;
    running.fake.dispatch('GUILD_MEMBER_UPDATE', { ...member, guild_id: guildId, communication_disabled_until: until });
    const me = () => running.bot.client()!.guilds.cache.get(guildId)!.members.me!;
    await eventually(() => me().isCommunicationDisabled());
    const before = running.fake.requests.length;
    expect(await deliver([ch])).toBe(1);
    expect(posts(ch)).toEqual([]);
    expect(gets(before)).toEqual([]);
    expect(await active(ch)).toBe(true);
    expect(running.world.log.lines.filter((l) => l.includes(`timed out in server ${guildId}`))).toHaveLength(1);
    running.fake.dispatch('GUILD_MEMBER_UPDATE', { ...member, guild_id: guildId, communication_disabled_until: null });
    await eventually(() => !me().isCommunicationDisabled());
    skew += HOUR;
    expect(await drain()).toBe(0);
    expect(posts(ch).map((r) => r.status)).toEqual([200]);
  });

  test('GIVEN the bot timed out for 28 days THEN its alert waits a day (OUTAGE_SPAN_MS) and is given up, the channel kept, not sent weeks late', async () => {
    const guildId = '848000000000000009';
    const ch = '748000000000000019';
    await cached(guildId, [{ id: ch }]);
    const member = (guildCreatePayload({ guildId, everyone: 0n, channels: [] }).members as Record<string, unknown>[])[0]!;
    running.fake.dispatch('GUILD_MEMBER_UPDATE', { ...member, guild_id: guildId, communication_disabled_until: new Date(Date.now() + 28 * DAY).toISOString() });
    const me = () => running.bot.client()!.guilds.cache.get(guildId)!.members.me!;
    await eventually(() => me().isCommunicationDisabled());
    expect(await deliver([ch])).toBe(1);
    skew += 23 * HOUR;
    expect(await drain()).toBe(1);
    skew += 2 * HOUR;
    expect(await drain()).toBe(0);
    expect(posts(ch)).toEqual([]);
    expect(await active(ch)).toBe(true);
    expect(running.world.log.lines.filter((l) => / WARN .*gave up on message \d+ after waiting 25 h/.test(l))).toHaveLength(1);
  });

  test('GIVEN a replica without the gateway WHEN a send is refused and REST says the bot is timed out THEN one refusal and one look-up pause the whole server: its other channel waits without a request; both kept', async () => {
    const guildId = '848000000000000002';
    const [a, b] = ['748000000000000002', '748000000000000003'];
    const guild = guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: a }, { id: b }] });
    (guild.members as Record<string, unknown>[])[0]!.communication_disabled_until = new Date(Date.now() + HOUR).toISOString();
    running.fake.addGuild(guild);
    running.fake.fail(/^\/channels\/74800000000000000[23]\/messages$/, { kind: 'error', status: 403, code: 50013 }, 10, 'POST');
    const store = new DiscordStore(onSqlite(running.world.db));
    for (const c of [a, b]) await store.setChannel(c, { type: 0, guildId });
    const standby = makeDiscord(running.world, discordEnv(running.fake), { gateway: false, now });
    try {
      await standby.start();
      await standby.ready();
      const before = running.fake.requests.length;
      expect(await deliver([a], 0, standby.notifier)).toBe(1);
      // The second alert goes to both (every subscriber of the level): a's and b's wait, with no request.
      expect(await deliver([b], DAY, standby.notifier)).toBe(3);
      expect([...posts(a), ...posts(b)].map((r) => r.status)).toEqual([403]);
      expect(gets(before)).toEqual(['/users/@me', `/channels/${a}`, `/guilds/${guildId}`, `/guilds/${guildId}/members/${FAKE_BOT_ID}`]);
      for (const c of [a, b]) expect(await active(c)).toBe(true);
    } finally {
      await standby.stop();
    }
  });
});

describe('a cache behind a right taken (no CHANNEL_UPDATE yet)', () => {
  test("GIVEN Embed Links and Attach Files taken where the cache still says the bot has them THEN REST's answer decides the channel's next alerts (text at once) for RIGHTS_ASKED_MS: one refusal and one look-up per window, not per alert", async () => {
    const guildId = '848000000000000003';
    const ch = '748000000000000004';
    await cached(guildId, [{ id: ch }]);
    running.fake.addGuild(guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: ch, denyBot: EMBED_LINKS | ATTACH_FILES }] }));
    running.fake.denyEmbedLinks(ch);
    running.fake.denyAttachFiles(ch);
    const before = running.fake.requests.length;
    for (let i = 0; i < 3; i++) {
      expect(await deliver([ch], i * DAY)).toBe(0);
      // Past the 30 s in which one message's refusals share a look-up.
      skew += 60_000;
    }
    expect(posts(ch).map((r) => r.status)).toEqual([403, 200, 200, 200]);
    expect(gets(before)).toHaveLength(3);
    // The window over, with the cache still behind: the refusal and the look-up once more.
    skew += RIGHTS_ASKED_MS;
    expect(await deliver([ch], 3 * DAY)).toBe(0);
    expect(posts(ch).map((r) => r.status)).toEqual([403, 200, 200, 200, 403, 200]);
    expect(gets(before)).toHaveLength(6);
    expect(running.fake.made.get(ch)?.every((m) => (m.body.embeds as unknown[]).length === 0)).toBe(true);
  });
});

describe("REST's answer after the server fixed the bot's rights", () => {
  const member = (guildId: string) => ({
    ...(guildCreatePayload({ guildId, everyone: 0n, channels: [] }).members as Record<string, unknown>[])[0]!,
    guild_id: guildId,
  });
  test.each([
    ['CHANNEL_UPDATE', (guildId: string, ch: string) => ({ id: ch, type: 0, guild_id: guildId, name: 'channel-0', position: 0, permission_overwrites: [] })],
    [
      'GUILD_ROLE_UPDATE',
      (guildId: string) => ({
        guild_id: guildId,
        role: {
          id: guildId,
          name: '@everyone',
          permissions: String(ALL_SEND_PERMISSIONS),
          position: 0,
          color: 0,
          hoist: false,
          managed: false,
          mentionable: false,
          flags: 0,
        },
      }),
    ],
    ['GUILD_MEMBER_UPDATE', (guildId: string) => member(guildId)],
  ] as const)(
    'GIVEN REST said no Embed Links where the cache lagged WHEN the server gives them back and the gateway says %s THEN the next alert goes with its embeds, not as text for the rest of RIGHTS_ASKED_MS',
    async (event, payload) => {
      const guildId = '848000000000000009';
      const ch = '748000000000000011';
      await cached(guildId, [{ id: ch }]);
      running.fake.addGuild(guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: ch, denyBot: EMBED_LINKS | ATTACH_FILES }] }));
      running.fake.denyEmbedLinks(ch);
      running.fake.denyAttachFiles(ch);
      expect(await deliver([ch])).toBe(0);
      expect(posts(ch).map((r) => r.status)).toEqual([403, 200]);
      // Fixed by the server's admin: the gateway's event, and the cache says again what it said when REST was asked.
      running.fake.addGuild(guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: ch }] }));
      running.fake.giveBack(ch);
      const seen = running.fake.requests.length;
      running.fake.dispatch(event, payload(guildId, ch));
      await sleep(100);
      skew += 60_000;
      expect(await deliver([ch], DAY)).toBe(0);
      // With its embeds: it went as text again (REST's word kept 10 minutes), its chart a file of its own.
      expect(posts(ch).map((r) => r.status)).toEqual([403, 200, 200]);
      expect(lastEmbeds(ch)).toBeGreaterThan(0);
      expect(gets(seen)).toEqual([]);
    },
  );

  test("GIVEN another member's GUILD_MEMBER_UPDATE THEN REST's answer stands: the next alert goes as text at once", async () => {
    const guildId = '848000000000000010';
    const ch = '748000000000000012';
    await cached(guildId, [{ id: ch }]);
    running.fake.addGuild(guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: ch, denyBot: EMBED_LINKS | ATTACH_FILES }] }));
    running.fake.denyEmbedLinks(ch);
    running.fake.denyAttachFiles(ch);
    expect(await deliver([ch])).toBe(0);
    const other = { ...member(guildId), user: { id: '600000000000000001', username: 'someone', discriminator: '0', avatar: null } };
    running.fake.dispatch('GUILD_MEMBER_UPDATE', other);
    await sleep(100);
    skew += 60_000;
    expect(await deliver([ch], DAY)).toBe(0);
    expect(posts(ch).map((r) => r.status)).toEqual([403, 200, 200]);
    expect(lastEmbeds(ch)).toBe(0);
  });
});

describe('a plain-text message refused', () => {
  test('GIVEN a channel the cache and REST say lacks Embed Links WHEN its text is refused all the same THEN no embeds are tried after it: one refusal, one look-up, the alert waits and the channel stays, said in one warn line', async () => {
    const guildId = '848000000000000004';
    const ch = '748000000000000005';
    await cached(guildId, [{ id: ch, denyBot: EMBED_LINKS }]);
    running.fake.addGuild(guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: ch, denyBot: EMBED_LINKS }] }));
    running.fake.fail(new RegExp(`^/channels/${ch}/messages$`), { kind: 'error', status: 403, code: 50013 }, 1, 'POST');
    const before = running.fake.requests.length;
    expect(await deliver([ch])).toBe(1);
    expect(posts(ch).map((r) => [r.status, (r.body.embeds ?? []).length])).toEqual([[403, 0]]);
    expect(gets(before)).toEqual([`/channels/${ch}`, `/guilds/${guildId}`, `/guilds/${guildId}/members/${FAKE_BOT_ID}`]);
    expect(await active(ch)).toBe(true);
    const warned = running.world.log.lines.filter((l) => l.includes('nothing known explains'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain('not embed links');
    skew += UNEXPLAINED_WAIT_MS;
    expect(await drain()).toBe(0);
    expect(posts(ch).map((r) => [r.status, (r.body.embeds ?? []).length])).toEqual([
      [403, 0],
      [200, 0],
    ]);
  });
});

describe('a plain-text message with its chart refused', () => {
  test('GIVEN a channel the cache says lacks Embed Links only WHEN Attach Files was taken since THEN the refusal asks Discord once and the text goes again without the chart, saying why: two posts, no embeds tried, the channel kept', async () => {
    const guildId = '848000000000000008';
    const ch = '748000000000000008';
    await cached(guildId, [{ id: ch, denyBot: EMBED_LINKS }]);
    running.fake.addGuild(guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: ch, denyBot: EMBED_LINKS | ATTACH_FILES }] }));
    running.fake.denyEmbedLinks(ch);
    running.fake.denyAttachFiles(ch);
    const before = running.fake.requests.length;
    expect(await deliver([ch])).toBe(0);
    expect(posts(ch).map((r) => [r.status, r.files.length, (r.body.embeds ?? []).length])).toEqual([
      [403, 1, 0],
      [200, 0, 0],
    ]);
    expect(gets(before)).toHaveLength(3);
    expect((running.fake.made.get(ch)?.[0]?.body as { content?: string } | undefined)?.content).toContain(`*${t('en', 'discord.noFiles')}*`);
    expect(await active(ch)).toBe(true);
  });
});

describe('a 50013 that the cache and REST both say should not be', () => {
  test(`GIVEN every message refused where both say the bot may do all THEN the channel's sends wait ${UNEXPLAINED_WAIT_MS / 60_000} min, doubling, without a request meanwhile, and the ${UNEXPLAINED_MAX}th refusal in a row stops it`, async () => {
    const guildId = '848000000000000005';
    const ch = '748000000000000006';
    await cached(guildId, [{ id: ch }]);
    running.fake.addGuild(guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: ch }] }));
    running.fake.fail(new RegExp(`^/channels/${ch}/messages$`), { kind: 'error', status: 403, code: 50013 }, 100, 'POST');
    expect(await deliver([ch])).toBe(1);
    expect(posts(ch)).toHaveLength(1);
    // Another alert meanwhile waits too, with no request.
    expect(await deliver([ch], DAY)).toBe(2);
    expect(posts(ch)).toHaveLength(1);
    for (let n = 1; n < UNEXPLAINED_MAX; n++) {
      expect(await active(ch)).toBe(true);
      skew += UNEXPLAINED_WAIT_MS * 2 ** (n - 1);
      await drain();
      expect(posts(ch)).toHaveLength(n + 1);
    }
    const sub = await running.world.deps.subs.get('discord', ch);
    expect(sub?.active).toBe(false);
    expect(sub?.deactivatedReason).toContain(`${UNEXPLAINED_MAX} times in a row`);
    expect(running.world.log.lines.filter((l) => l.includes('nothing known explains'))).toHaveLength(UNEXPLAINED_MAX - 1);
  });

  test('GIVEN one such refusal THEN a message delivered there after the wait ends the row: the count starts again', async () => {
    const guildId = '848000000000000006';
    const ch = '748000000000000007';
    await cached(guildId, [{ id: ch }]);
    running.fake.addGuild(guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: ch }] }));
    for (let round = 0; round < UNEXPLAINED_MAX; round++) {
      running.fake.fail(new RegExp(`^/channels/${ch}/messages$`), { kind: 'error', status: 403, code: 50013 }, 1, 'POST');
      expect(await deliver([ch], round * DAY)).toBe(1);
      skew += UNEXPLAINED_WAIT_MS;
      expect(await drain()).toBe(0);
    }
    expect(posts(ch).map((r) => r.status)).toEqual(Array.from({ length: UNEXPLAINED_MAX }, () => [403, 200]).flat());
    expect(await active(ch)).toBe(true);
  });
});

describe('unexplained refusals across a restart', () => {
  test('GIVEN one unexplained refusal WHEN the bot restarts THEN the next one is the second in a row (20 min), not the first again: the count is kept in the store', async () => {
    const guildId = '848000000000000011';
    const ch = '748000000000000013';
    await cached(guildId, [{ id: ch }]);
    running.fake.addGuild(guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: ch }] }));
    running.fake.fail(new RegExp(`^/channels/${ch}/messages$`), { kind: 'error', status: 403, code: 50013 }, 2, 'POST');
    expect(await deliver([ch])).toBe(1);
    const kept = () => new DiscordStore(onSqlite(running.world.db)).unexplained();
    expect([...(await kept()).entries()]).toEqual([[ch, { count: 1, until: expect.any(Number) }]]);
    await running.bot.stop();
    const bot = makeDiscord(running.world, discordEnv(running.fake), { now });
    running = { ...running, bot };
    await bot.start();
    await bot.ready();
    await cached(guildId, [{ id: ch }]);
    skew += UNEXPLAINED_WAIT_MS;
    expect(await drain()).toBe(1);
    expect(posts(ch)).toHaveLength(2);
    const said = running.world.log.lines.filter((l) => l.includes('nothing known explains'));
    // Restarted, it said "10 min (1 of 4 …)" again: a bot restarted every few minutes never stopped such a channel.
    expect(said.at(-1)).toMatch(/its alerts wait 20 min \(2 of 4 before it is stopped\)$/);
    // Delivered at last: the row ends, in the store too.
    skew += 2 * UNEXPLAINED_WAIT_MS;
    expect(await drain()).toBe(0);
    expect(posts(ch).map((r) => r.status)).toEqual([403, 403, 200]);
    await until('the row forgotten', async () => (await kept()).size === 0 || undefined, 5_000);
  });
});

describe('unexplained refusals across a lead given up and taken again', () => {
  test("GIVEN a replica that counted one unexplained refusal, gave up the lead, and another leader counted the second meanwhile WHEN it takes the lead again THEN it goes on from the store: the sends wait the other leader's 20 min, and the next refusal is the third (40 min)", async () => {
    const guildId = '848000000000000012';
    const ch = '748000000000000014';
    // A replica: the gateway is the leader's (leaderOnly), started as the lead is taken.
    await running.bot.stop();
    const bot = makeDiscord(running.world, discordEnv(running.fake), { now, gateway: false });
    running = { ...running, bot };
    await bot.start();
    await bot.gateway.start();
    await cached(guildId, [{ id: ch }]);
    running.fake.addGuild(guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: ch }] }));
    running.fake.fail(new RegExp(`^/channels/${ch}/messages$`), { kind: 'error', status: 403, code: 50013 }, 2, 'POST');
    expect(await deliver([ch])).toBe(1);
    const store = new DiscordStore(onSqlite(running.world.db));
    await until('the first refusal kept', async () => (await store.unexplained()).get(ch)?.count === 1 || undefined, 5_000);

    // The lead given up; the other leader's 10 min pass, its send is refused: the second in a row.
    await bot.gateway.stop('the lead moved');
    skew += UNEXPLAINED_WAIT_MS;
    await store.setUnexplained(ch, { count: 2, until: now() + 2 * UNEXPLAINED_WAIT_MS });

    await bot.gateway.start();
    await cached(guildId, [{ id: ch }]);
    // Its own 10 min are over; the other leader's 20 are not: nothing is sent.
    expect(await drain()).toBe(1);
    expect(posts(ch)).toHaveLength(1);
    skew += 2 * UNEXPLAINED_WAIT_MS;
    expect(await drain()).toBe(1);
    expect(posts(ch)).toHaveLength(2);
    const said = running.world.log.lines.filter((l) => l.includes('nothing known explains'));
    expect(said.at(-1)).toMatch(/its alerts wait 40 min \(3 of 4 before it is stopped\)$/);
  });
});

describe('the chart in channels that show no embeds', () => {
  test('GIVEN 3 channels without Embed Links and 3 with THEN 4 uploads: one shared by the embeds, one per text-mode channel (an embed-less message shows a chart only as its own file)', async () => {
    const guildId = '848000000000000007';
    const text = ['748000000000000010', '748000000000000011', '748000000000000012'];
    const embeds = ['748000000000000013', '748000000000000014', '748000000000000015'];
    await cached(guildId, [...text.map((id) => ({ id, denyBot: EMBED_LINKS })), ...embeds.map((id) => ({ id }))]);
    for (const c of text) running.fake.denyEmbedLinks(c);
    expect(await deliver([...text, ...embeds])).toBe(0);
    const all = [...text, ...embeds].flatMap((c) => posts(c));
    expect(all.map((r) => r.status).every((s) => s === 200)).toBe(true);
    expect(all.filter((r) => r.files.length > 0)).toHaveLength(4);
    for (const c of text) expect(posts(c)[0]?.files).toHaveLength(1);
    expect(embeds.map((c) => posts(c)[0]?.files.length).sort()).toEqual([0, 0, 1]);
  });
});
