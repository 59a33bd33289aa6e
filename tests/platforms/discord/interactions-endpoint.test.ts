/**
 * Discord's Interactions Endpoint end to end: the fake POSTs signed interactions to the bot's
 * endpoint as Discord does (its own Ed25519 key pair; the bot is given the public half as
 * DISCORD_PUBLIC_KEY), the HTTP answer is the first response, and what follows (the chart edited
 * in) arrives on the fake's REST through @discordjs/rest. Two bots on one SQLite file stand in for
 * two replicas behind a load balancer.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runCliInProcess } from '../../helpers/cli.ts';
import { loadConfig } from '../../../src/config.ts';
import { discordAdapter } from '../../../src/platforms/discord/adapter.ts';
import { makeWorld, type World } from '../../helpers/telegram-harness.ts';
import { discordEnv, makeDiscord } from '../../helpers/discord-harness.ts';
import {
  botMessage,
  ALL_SEND_PERMISSIONS,
  FakeDiscord,
  MANAGE_CHANNELS,
  buttonInteraction,
  guildCreatePayload,
  selectInteraction,
  slashInteraction,
  userInstallInteraction,
  type RecordedRequest,
} from '../../fakes/discord.ts';
import type { Discord } from '../../../src/platforms/discord/client.ts';
import { INTERACTIONS_PATH, startInteractionsEndpoint } from '../../../src/platforms/discord/interactions-endpoint.ts';
import { openDatabase } from '../../../src/store/db.ts';
import { SubscriptionStore } from '../../../src/store/subscriptions.ts';
import { EventStore } from '../../../src/store/events.ts';
import { QuoteStore } from '../../../src/store/quotes.ts';
import { onSqlite } from '../../../src/store/engine.ts';
import { MarketView } from '../../../src/store/market-view.ts';
import { ChartService } from '../../../src/charts/service.ts';
import { memoryLogger } from '../../../src/log.ts';
import { eventually } from '../../helpers/eventually.ts';

const PNG = '\x89PNG';
const CALLBACKS = /^\/interactions\//;

let world: World;
let fake: FakeDiscord;
let bot: Discord;
let url: string;

async function startBot(w: World, extra: { deferAfterMs?: number; gateway?: boolean } = {}): Promise<{ bot: Discord; url: string }> {
  const b = makeDiscord(w, discordEnv(fake, { DISCORD_PUBLIC_KEY: fake.publicKey }), { interactionsPort: 0, ...extra });
  await b.start();
  await b.ready();
  return { bot: b, url: `http://127.0.0.1:${b.endpointPort()}${INTERACTIONS_PATH}` };
}

beforeEach(async () => {
  world = makeWorld();
  fake = await FakeDiscord.start();
  ({ bot, url } = await startBot(world));
});
afterEach(async () => {
  await bot.stop();
  await fake.close();
  world.cleanup();
});

/** The PATCH that edits an interaction's original message in. */
async function originalEdit(token: string): Promise<RecordedRequest> {
  const [edit] = await fake.waitFor('PATCH', new RegExp(`^/webhooks/\\d+/${token}/messages/@original$`));
  return edit!;
}

/** A message object carrying a reply's embeds and components, to press a button on. */
const messageOf = (edit: RecordedRequest): Record<string, unknown> => botMessage(edit.body);

describe('the Interactions Endpoint: signatures', () => {
  it('GIVEN a signed PING THEN PONG (what Discord sends when the URL is saved)', async () => {
    const res = await fake.postInteraction(url, { type: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ type: 1 });
  });

  it('GIVEN no signature, a signature of another body, a malformed one, or another key THEN 401, and the command is not run', async () => {
    const payload = slashInteraction({ name: 'help' });
    const body = JSON.stringify({ ...payload, id: '1', token: 't', application_id: '1' });
    const ts = String(Math.floor(Date.now() / 1000));
    const other = await FakeDiscord.start();
    try {
      const answers = [
        await fake.postInteraction(url, payload, { signature: null }),
        await fake.postInteraction(url, payload, { signature: fake.sign(ts, `${body} `), timestamp: ts }),
        await fake.postInteraction(url, payload, { signature: 'zz'.repeat(64) }),
        await fake.postInteraction(url, payload, { signature: other.sign(ts, body), raw: body, timestamp: ts }),
        await fake.postInteraction(url, { type: 1 }, { signature: fake.sign(ts, 'x') }),
      ];
      expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
      expect(answers.map((a) => a.text)).toEqual(['missing signature\n', ...Array(4).fill('invalid request signature\n')]);
    } finally {
      await other.close();
    }
    expect(fake.calls('POST', CALLBACKS)).toHaveLength(0);
    expect(fake.calls('PATCH', /^\/webhooks\//)).toHaveLength(0);
  });

  it('GIVEN a signed request 10 minutes old (a replay) THEN 401 and one warning naming the clock; 4 minutes off is still answered', async () => {
    const old = String(Math.floor(Date.now() / 1000) - 600);
    const res = await fake.postInteraction(url, slashInteraction({ name: 'help' }), { timestamp: old });
    expect(res.status).toBe(401);
    expect(res.text).toBe('stale timestamp\n');
    // (601 when a second ticks between making the timestamp and the check.)
    expect(world.log.lines.filter((l) => /refused a signed interaction 60[01] s away from this machine's clock/.test(l))).toHaveLength(1);
    const skewed = await fake.postInteraction(url, slashInteraction({ name: 'help' }), { timestamp: String(Math.floor(Date.now() / 1000) + 240) });
    expect(skewed.status).toBe(200);
    expect(skewed.body.type).toBe(4);
  });

  it('GIVEN the same signed request twice at one replica (a replay inside the 5 minutes) THEN the command runs once; the second is left unanswered (204)', async () => {
    const payload = slashInteraction({ name: 'subscribe', permissions: MANAGE_CHANNELS });
    const first = await fake.postInteraction(url, payload);
    expect(first.status).toBe(200);
    await world.deps.subs.upsert('discord', '700000000000000001', { active: false });
    const replay = await fake.postInteraction(url, { ...payload, id: first.id, token: first.token });
    expect(replay.status).toBe(204);
    expect((await world.deps.subs.get('discord', '700000000000000001'))?.active).toBe(false);
  });

  it('GIVEN a body over 256 KiB THEN 413 before it is verified; a signed body that is not JSON THEN 400; another path 404, a GET 405; the next command is answered', async () => {
    const big = await fake.postInteraction(url, { ...slashInteraction({ name: 'help' }), padding: 'x'.repeat(300 * 1024) });
    expect(big.status).toBe(413);
    const broken = await fake.postInteraction(url, {}, { raw: '{"type": 2, "id": ' });
    expect(broken.status).toBe(400);
    expect(broken.text).toBe('body is not JSON\n');
    expect(world.log.lines.filter((l) => /WARN.*interaction refused \(400\): body is not JSON/.test(l))).toHaveLength(1);
    const notInteraction = await fake.postInteraction(url, {}, { raw: '[1, 2]' });
    expect(notInteraction.status).toBe(400);
    expect((await fetch(url.replace(INTERACTIONS_PATH, '/elsewhere'), { method: 'POST' })).status).toBe(404);
    expect((await fetch(url)).status).toBe(405);
    expect(world.log.lines.filter((l) => /\bERROR\b/.test(l))).toEqual([]);
    const ok = await fake.postInteraction(url, slashInteraction({ name: 'help' }));
    expect(ok.status).toBe(200);
    expect(ok.body.type).toBe(4);
  });
});

describe('the Interactions Endpoint: answers through the same chat/ code as the gateway', () => {
  it('GIVEN /ratio THEN the HTTP answer is the deferral, then the original is PATCHed with the embed and the PNG; no callback through REST', async () => {
    const res = await fake.postInteraction(url, slashInteraction({ name: 'ratio' }));
    expect(res.status).toBe(200);
    // The deferral, not the chart: how soon it comes (Discord allows 3 s) is measured in
    // bench/discord-endpoint.ts; a wall-clock bound here failed only when the machine was loaded.
    expect(res.body).toEqual({ type: 5, data: { flags: 0 } });
    const edit = await originalEdit(res.token);
    const embed = edit.body.embeds[0];
    expect(embed.fields.map((f: { name: string }) => f.name)).toEqual(['SPX/Gold', 'QQQ/Gold']);
    expect(embed.image.url).toMatch(/^attachment:\/\/.+\.png$/);
    expect(edit.files[0]!.bytes.subarray(0, 4).toString('latin1')).toBe(PNG);
    expect(edit.auth).toBeUndefined(); // the interaction token authenticates, not the bot's
    expect(fake.calls('POST', CALLBACKS)).toHaveLength(0);
    // Interaction responses are not charged to the global budget.
    expect(bot.budget.interactionResponses).toBeGreaterThanOrEqual(1);
    expect(fake.requests.filter((r) => r.path.startsWith('/webhooks/')).length).toBe(1);
  });

  it('GIVEN /chart from a user who installed the app to their account, in a DM (no guild, no member) THEN it is answered through the interaction: deferral, then the chart edited in', async () => {
    const res = await fake.postInteraction(url, userInstallInteraction({ name: 'chart', context: 1, locale: 'zh-TW' }));
    expect(res.body).toEqual({ type: 5, data: { flags: 0 } });
    const edit = await originalEdit(res.token);
    expect(edit.files[0]!.bytes.subarray(0, 4).toString('latin1')).toBe(PNG);
    expect(edit.body.embeds[0].description).toContain('黃金');
    expect(fake.calls('POST', /^\/channels\//)).toHaveLength(0);
  });

  it('GIVEN /help in zh-TW THEN the answer itself is the HTTP response, in Traditional Chinese', async () => {
    const res = await fake.postInteraction(url, slashInteraction({ name: 'help', locale: 'zh-TW' }));
    expect(res.status).toBe(200);
    expect(res.body.type).toBe(4);
    expect(res.body.data.embeds[0].description).toContain('所有指令與用法');
    expect(res.body.data.allowed_mentions).toEqual({ parse: [] });
    expect(fake.calls('POST', CALLBACKS)).toHaveLength(0);
  });

  it('GIVEN a button and then a select menu on the /chart answer THEN each HTTP answer is a deferred update (6) and the same message is PATCHed with the new range', async () => {
    const first = await fake.postInteraction(url, slashInteraction({ name: 'chart', options: [{ name: 'chart', type: 3, value: 'qqq' }] }));
    expect(first.body.type).toBe(5);
    const message = messageOf(await originalEdit(first.token));

    const press = await fake.postInteraction(url, buttonInteraction({ customId: 'chart:spx-gold:1Y', message }));
    expect(press.body).toEqual({ type: 6 });
    const pressed = await originalEdit(press.token);
    expect(pressed.body.embeds[0].description).toContain('SPX/Gold');
    expect(pressed.files[0]!.bytes.subarray(0, 4).toString('latin1')).toBe(PNG);

    const select = (message.components as { components: { custom_id: string }[] }[])[1]!.components[0]!;
    const pick = await fake.postInteraction(url, selectInteraction({ customId: select.custom_id, values: ['chart:qqq-gold:5Y'], message }));
    expect(pick.body).toEqual({ type: 6 });
    const picked = await originalEdit(pick.token);
    expect(picked.body.embeds[0].description).toContain('5Y');
    expect(fake.calls('POST', CALLBACKS)).toHaveLength(0);
  });

  it('GIVEN autocomplete on /digest timezone THEN the HTTP answer is the choices (type 8)', async () => {
    const payload = slashInteraction({
      name: 'digest',
      permissions: MANAGE_CHANNELS,
      options: [
        { name: 'time', type: 3, value: '08:00' },
        { name: 'timezone', type: 3, value: 'Taip' },
      ],
    });
    (payload.data as { options: { focused?: boolean }[] }).options[1]!.focused = true;
    const res = await fake.postInteraction(url, { ...payload, type: 4 });
    expect(res.status).toBe(200);
    expect(res.body.type).toBe(8);
    expect(res.body.data.choices).toContainEqual({ name: 'Taipei (UTC+8)', value: 'Asia/Taipei' });
  });

  it('GIVEN an interaction the gateway already delivered to this process THEN the endpoint leaves it unanswered (204): one interaction, one answer', async () => {
    const payload = slashInteraction({ name: 'help' });
    const { id, token } = fake.interact(payload);
    await fake.waitFor('POST', new RegExp(`^/interactions/${id}/${token}/callback$`));
    const again = await fake.postInteraction(url, { ...payload, id, token });
    expect(again.status).toBe(204);
    expect(fake.calls('POST', CALLBACKS)).toHaveLength(1);
    expect(fake.calls('PATCH', /^\/webhooks\//)).toHaveLength(0);
  });

  it("GIVEN /subscribe channel:#other THEN the endpoint's Client (never logged in) checks the bot's permissions there through REST: the missing one named, ephemeral; an open channel subscribed", async () => {
    const { blocked, open, pick } = restOnlyGuild();
    const refused = await fake.postInteraction(url, pick(blocked));
    expect(refused.body.type).toBe(4);
    expect(refused.body.data.flags).toBe(64);
    expect(refused.body.data.embeds[0].description).toContain(`<#${blocked}>`);
    expect(refused.body.data.embeds[0].description).toContain('Send Messages');
    expect(fake.calls('GET', /^\/guilds\/\d+\/members\/900000000000000002$/).length).toBeGreaterThanOrEqual(1);
    expect(await world.deps.subs.get('discord', blocked)).toBeUndefined();

    const ok = await fake.postInteraction(url, pick(open));
    expect(ok.body.type).toBe(4);
    expect((await world.deps.subs.get('discord', open))?.active).toBe(true);
  });

  it("GIVEN /subscribe at the endpoint from a server that added goldratio with its commands only (no bot; app_permissions are @everyone's) THEN refused in the chat's language with the invite, nothing stored; a server with the bot is subscribed", async () => {
    const guildId = '800000000000000088';
    const channelId = '700000000000000088';
    fake.installWithoutBot(guildId, [channelId]);
    const refused = await fake.postInteraction(
      url,
      slashInteraction({ name: 'subscribe', guildId, channelId, locale: 'zh-TW', permissions: MANAGE_CHANNELS, appPermissions: ALL_SEND_PERMISSIONS }),
    );
    expect(refused.body.type).toBe(4);
    expect(refused.body.data.flags).toBe(64);
    const text = refused.body.data.embeds[0].description as string;
    expect(text).toContain('檢視頻道、發送訊息、嵌入連結、附加檔案');
    expect(text).toContain(`client_id=900000000000000001&scope=bot+applications.commands&permissions=52224&guild_id=${guildId}`);
    expect(await world.deps.subs.get('discord', channelId)).toBeUndefined();

    const ok = await fake.postInteraction(url, slashInteraction({ name: 'subscribe', permissions: MANAGE_CHANNELS }));
    expect(ok.body.data.embeds[0].description).toContain('Subscribed');
    expect((await world.deps.subs.get('discord', '700000000000000001'))?.active).toBe(true);
  });

  it('GIVEN an ephemeral answer not ready in time (here: at once, while the REST look-ups run) THEN the HTTP answer is the deferral, the answer an ephemeral follow-up, and the public placeholder deleted', async () => {
    await bot.stop();
    ({ bot, url } = await startBot(world, { deferAfterMs: 0 }));
    const { blocked, pick } = restOnlyGuild();
    const res = await fake.postInteraction(url, pick(blocked));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ type: 5 });
    // An edit cannot make the public "thinking…" ephemeral: the refusal (it names the server's permissions) goes as an ephemeral follow-up.
    const [followUp] = await fake.waitFor('POST', new RegExp(`^/webhooks/\\d+/${res.token}$`));
    expect(followUp!.body.flags).toBe(64);
    expect(followUp!.body.embeds[0].description).toContain('Send Messages');
    await fake.waitFor('DELETE', new RegExp(`^/webhooks/\\d+/${res.token}/messages/@original$`));
    expect(fake.calls('PATCH', new RegExp(`^/webhooks/\\d+/${res.token}/messages/@original$`))).toHaveLength(0);
    expect(fake.calls('POST', CALLBACKS)).toHaveLength(0);
  });
});

/** A server known to REST only (no GUILD_CREATE reached any Client): one channel the bot may not send in, one it can post in. */
function restOnlyGuild() {
  const guildId = '800000000000000001';
  const blocked = '700000000000000004';
  const open = '700000000000000005';
  fake.addGuild(guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: blocked, denyBot: 2048n }, { id: open }] }));
  const pick = (id: string) =>
    slashInteraction({
      name: 'subscribe',
      permissions: MANAGE_CHANNELS,
      options: [{ name: 'channel', type: 7, value: id }],
      resolved: { channels: { [id]: { id, type: 0, name: 'x', permissions: String(ALL_SEND_PERMISSIONS) } } },
    });
  return { blocked, open, pick };
}

describe('the Interactions Endpoint: set-up problems', () => {
  it('GIVEN DISCORD_INTERACTIONS_PORT already in use THEN Discord is off with one line naming the variable, and the rest keeps running', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, resolve));
    const port = (taken.address() as AddressInfo).port;
    const other = makeDiscord(world, discordEnv(fake, { DISCORD_PUBLIC_KEY: fake.publicKey }), { interactionsPort: port });
    try {
      const up = await other.start();
      expect(up).toEqual({ kind: 'refused', reason: `cannot listen on DISCORD_INTERACTIONS_PORT ${port} (the port is already in use)` });
      expect(other.readiness()).toBe('the Interactions Endpoint is not listening');
      expect(world.log.lines.filter((l) => l.includes(`Discord is off: cannot listen on DISCORD_INTERACTIONS_PORT ${port}`))).toHaveLength(1);
    } finally {
      await other.stop();
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('GIVEN a taken DISCORD_INTERACTIONS_PORT whose number holds 401 (as 14010 or 34010 do) THEN it is still the port that is named, not the token', async () => {
    const taken = createServer();
    let port: number | undefined;
    for (const p of [14010, 24010, 34010, 40100, 40199, 44010, 54010]) {
      const ok = await new Promise<boolean>((resolve) => {
        taken.once('error', () => resolve(false));
        taken.listen(p, '127.0.0.1', () => resolve(true));
      });
      if (ok) {
        port = p;
        break;
      }
    }
    expect(port, 'one of the ports holding 401 is free').toBeDefined();
    const other = makeDiscord(world, discordEnv(fake, { DISCORD_PUBLIC_KEY: fake.publicKey }), { interactionsPort: port! });
    try {
      expect(await other.start()).toEqual({ kind: 'refused', reason: `cannot listen on DISCORD_INTERACTIONS_PORT ${port} (the port is already in use)` });
    } finally {
      await other.stop();
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('GIVEN DISCORD_PUBLIC_KEY without DISCORD_TOKEN and DISCORD_APPLICATION_ID THEN Discord is off with a warning saying what is missing', async () => {
    expect(discordAdapter.enabled(loadConfig({ DISCORD_PUBLIC_KEY: fake.publicKey }))).toEqual({
      on: false,
      note: { level: 'warn', text: 'Discord is off: DISCORD_PUBLIC_KEY needs DISCORD_TOKEN and DISCORD_APPLICATION_ID too' },
    });
    expect(discordAdapter.enabled(loadConfig({}))).toEqual({ on: false });
  });

  it('GIVEN a DISCORD_PUBLIC_KEY that is not 64 hex characters THEN goldratio stops at once: one line, exit 2', async () => {
    const r = await runCliInProcess(['status'], { DATABASE_PATH: world.config.databasePath, DATA_DIR: world.config.dataDir, DISCORD_PUBLIC_KEY: 'not-a-key' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "DISCORD_PUBLIC_KEY: expected the application's public key, 64 hex characters (Developer Portal, General Information), got 9 characters",
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

/** An endpoint on any port whose `answering` resolves once `answer` is first called (the request read, not idle). */
async function endpointAnswering(answer: Parameters<typeof startInteractionsEndpoint>[0]['answer']) {
  let called!: () => void;
  const answering = new Promise<void>((r) => (called = r));
  const endpoint = await startInteractionsEndpoint({
    publicKey: fake.publicKey,
    port: 0,
    log: world.log,
    answer: (i) => {
      called();
      return answer(i);
    },
  });
  return { endpoint, answering };
}

describe('the Interactions Endpoint: stopping and the gateway beside it', () => {
  it('GIVEN a replica stopping while an answer is in flight THEN that answer still goes out, new requests are refused, and close waits no longer than the grace', async () => {
    // Closing starts once the request is being answered (a fixed wait can come before the server
    // has even read it on a busy machine, and then it is an idle connection, rightly cut).
    const { endpoint, answering: answered } = await endpointAnswering(async () => {
      await new Promise((r) => setTimeout(r, 300));
      return { type: 4, data: { content: 'late but there' } };
    });
    const at = `http://127.0.0.1:${endpoint.port}${INTERACTIONS_PATH}`;
    const inFlight = fake.postInteraction(at, slashInteraction({ name: 'help' }));
    await answered;
    const t0 = Date.now();
    const closing = endpoint.close();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ type: 4, data: { content: 'late but there' } });
    await closing;
    expect(Date.now() - t0).toBeLessThan(3000);
    await expect(fake.postInteraction(at, { type: 1 })).rejects.toThrow();

    const { endpoint: stuck, answering: stuckAnswered } = await endpointAnswering(() => new Promise(() => {}));
    const hung = fake.postInteraction(`http://127.0.0.1:${stuck.port}${INTERACTIONS_PATH}`, slashInteraction({ name: 'help' })).catch((e: unknown) => e);
    await stuckAnswered;
    const t1 = Date.now();
    await stuck.close(200);
    expect(Date.now() - t1).toBeGreaterThanOrEqual(190);
    expect(Date.now() - t1).toBeLessThan(2000);
    expect(await hung).toBeInstanceOf(Error);
  });

  it('GIVEN the endpoint on THEN the gateway still tells of a server that removed the bot: its channels are deactivated', async () => {
    const sub = await fake.postInteraction(url, slashInteraction({ name: 'subscribe', permissions: MANAGE_CHANNELS }));
    expect(sub.body.type).toBe(4);
    expect((await world.deps.subs.get('discord', '700000000000000001'))?.active).toBe(true);
    fake.dispatch('GUILD_DELETE', { id: '800000000000000001' });
    await eventually(async () => (await world.deps.subs.get('discord', '700000000000000001'))?.active !== true);
    expect((await world.deps.subs.get('discord', '700000000000000001'))?.active).toBe(false);
  });
});

describe('a standby replica: the endpoint without the gateway', () => {
  it("GIVEN a standby replica (no gateway: its Client has no user) THEN /subscribe from a server with goldratio's commands but not its bot is still refused with the invite, and one with the bot subscribed", async () => {
    await bot.stop();
    const standby = await startBot(world, { gateway: false });
    try {
      const guildId = '800000000000000089';
      const channelId = '700000000000000089';
      fake.installWithoutBot(guildId, [channelId]);
      const refused = await fake.postInteraction(standby.url, slashInteraction({ name: 'subscribe', guildId, channelId, permissions: MANAGE_CHANNELS }));
      expect(refused.body.data.flags).toBe(64);
      expect(refused.body.data.embeds[0].description).toContain(`permissions=52224&guild_id=${guildId}`);
      expect(await world.deps.subs.get('discord', channelId)).toBeUndefined();
      const ok = await fake.postInteraction(standby.url, slashInteraction({ name: 'subscribe', permissions: MANAGE_CHANNELS }));
      expect(ok.body.data.embeds[0].description).toContain('Subscribed');
    } finally {
      await standby.bot.stop();
    }
  });

  it('GIVEN gateway: false THEN commands are answered at the endpoint with no gateway session; gateway.start() (it leads) logs in and server removals arrive; gateway.stop() closes it, commands still answered', async () => {
    // The only bot on the fake: a removal seen below came through this one's gateway.
    await bot.stop();
    const identifies = () => fake.gatewayIn.filter((f: { op: number }) => f.op === 2).length;
    const before = identifies();
    const standby = await startBot(world, { gateway: false });
    try {
      expect(standby.bot.client()).toBeUndefined();
      expect(standby.bot.readiness()).toBeUndefined();
      const sub = await fake.postInteraction(
        standby.url,
        slashInteraction({ name: 'subscribe', permissions: MANAGE_CHANNELS, channelId: '700000000000000009' }),
      );
      expect(sub.body.type).toBe(4);
      expect(identifies()).toBe(before);

      expect(await standby.bot.gateway.start()).toEqual({ kind: 'started', attempts: 1 });
      expect(identifies()).toBe(before + 1);
      expect(standby.bot.readiness()).toBeUndefined();
      fake.dispatch('GUILD_DELETE', { id: '800000000000000001' });
      await eventually(async () => (await world.deps.subs.get('discord', '700000000000000009'))?.active !== true);
      expect((await world.deps.subs.get('discord', '700000000000000009'))?.active).toBe(false);

      await standby.bot.gateway.stop('lost the lead');
      expect(standby.bot.client()).toBeUndefined();
      expect(world.log.lines.filter((l) => l.includes('Discord gateway closed (lost the lead)'))).toHaveLength(1);
      const after = await fake.postInteraction(standby.url, slashInteraction({ name: 'help' }));
      expect(after.body.type).toBe(4);
    } finally {
      await standby.bot.stop();
    }
  });
});

describe('two replicas on one database', () => {
  it('GIVEN two bots on one SQLite file THEN /subscribe at one and /unsubscribe at the other are both answered, on the same subscription', async () => {
    const other = replicaOf(world);
    const second = await startBot(other);
    try {
      const sub = await fake.postInteraction(url, slashInteraction({ name: 'subscribe', permissions: MANAGE_CHANNELS }));
      expect(sub.status).toBe(200);
      expect(sub.body.type).toBe(4);
      expect((await other.deps.subs.get('discord', '700000000000000001'))?.active).toBe(true);

      const unsub = await fake.postInteraction(second.url, slashInteraction({ name: 'unsubscribe', permissions: MANAGE_CHANNELS }));
      expect(unsub.status).toBe(200);
      expect(unsub.body.data.embeds[0].description).not.toMatch(/not subscribed/i);
      expect((await world.deps.subs.get('discord', '700000000000000001'))?.active).toBe(false);

      // Every POST to one of them, alternating as a load balancer would: all answered.
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, n) => fake.postInteraction(n % 2 === 0 ? url : second.url, slashInteraction({ name: 'levels' }))),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
      expect(fake.calls('POST', CALLBACKS)).toHaveLength(0);
    } finally {
      await second.bot.stop();
      other.cleanup();
    }
  });
});

/** A second process's view of the same database: its own connection, stores and charts. */
function replicaOf(w: World): World {
  const db = openDatabase(w.config.databasePath);
  const view = new MarketView(new QuoteStore(onSqlite(db)));
  return {
    db,
    config: w.config,
    deps: {
      ...w.deps,
      view,
      subs: new SubscriptionStore(onSqlite(db), { approachPct: w.config.approachPct, lang: w.config.defaultLang }),
      events: new EventStore(onSqlite(db)),
    },
    charts: new ChartService(view),
    log: memoryLogger(),
    cleanup: () => db.close(),
  };
}
