/**
 * What a failed Discord send is, told by what failed (the real @discordjs/rest against the fake):
 * no answer (a connection reset or refused, a timeout) and Discord's 5xx are outages, waited out
 * without spending an attempt; an answer our own code cannot read is our fault, which spends an
 * attempt, is said once with its message, and is given up after the attempts, not retried for a day.
 */
import { expect, test } from 'vitest';
import { REST } from 'discord.js';
import { onSqlite } from '../../../src/store/engine.ts';
import { OutboxStore } from '../../../src/store/outbox.ts';
import { Dispatcher } from '../../../src/alerts/dispatcher.ts';
import type { Delivery } from '../../../src/alerts/notifier.ts';
import { localize } from '../../../src/domain/message.ts';
import { notifierRest, restOptions } from '../../../src/platforms/discord/client.ts';
import { DiscordNotifier } from '../../../src/platforms/discord/notifier.ts';
import { noAnswer } from '../../../src/platforms/discord/no-answer.ts';
import { FakeDiscord, type Fault } from '../../fakes/discord.ts';
import { seedEvent, type World } from '../../helpers/telegram-harness.ts';
import { sleep } from '../../../src/sleep.ts';
import { eachWithFakeDiscord } from '../../helpers/discord-world.ts';

const MESSAGES = /^\/channels\/(\d+)\/messages$/;
const dc = { rate: 50, token: undefined, applicationId: undefined, alertRoleId: undefined };
let fake: FakeDiscord;
let world: World;

eachWithFakeDiscord((s) => ({ fake, world } = s));

function notifier(rest: REST = notifierRest({ ...dc, apiBase: fake.api }, fake.token)): DiscordNotifier {
  return new DiscordNotifier({ rest, rate: 50, log: world.log });
}

/** One delivery to `chatId`, with a chart when asked (its upload is what reads the answer's attachments). */
function delivery(chatId: string, chart = false): Delivery {
  return {
    kind: 'alert',
    chatId,
    lang: 'en',
    message: localize({ title: 'SPX/Gold broke 2.6', lines: ['body'] }, 'en'),
    chart: chart ? { png: Buffer.from('\x89PNG\r\n\x1a\n'), filename: 'chart.png' } : undefined,
    messageKey: '7',
    mention: null,
    fromPart: 0,
    partSent: async () => {},
  };
}

const errors = () => world.log.lines.filter((l) => /\bERROR\b/.test(l));

test.each<[string, Fault, RegExp]>([
  ['a connection reset with no answer', { kind: 'reset' }, /other side closed|ECONNRESET|socket/i],
  ['Discord answering 503', { kind: '5xx', status: 503 }, /^503 /],
  ['Discord answering 502', { kind: '5xx', status: 502 }, /^502 /],
])('GIVEN %s THEN an outage: retried, no attempt spent, nothing logged as our error', async (_, fault, reason) => {
  fake.fail(MESSAGES, fault, 10);
  const r = await notifier().send(delivery('760000000000000001'));
  expect(r).toEqual({ kind: 'retry', reason: expect.stringMatching(reason), outage: true });
  expect(errors()).toEqual([]);
});

test("GIVEN the token reset while running (Discord answers 401) THEN the bot's outage, pausing the queue, said as DISCORD_TOKEN refused, no error line a channel", async () => {
  const n = notifier();
  (fake as unknown as { token: string }).token = 'reset-in-the-portal';
  const r = await n.send(delivery('760000000000000009'));
  // Was an unknown 4xx's retry: an error line per channel, every queued alert given up after ten tries.
  expect(r).toEqual({
    kind: 'retry',
    reason: 'Discord refused DISCORD_TOKEN (401): reset in the Developer Portal? Set DISCORD_TOKEN and restart goldratio',
    outage: true,
    global: true,
  });
  expect(errors()).toEqual([]);
  // @discordjs/rest drops its token at a 401: the queue's next try, to any channel, is the same
  // outage (no request: none could carry the token), not 'Expected token to be set' as our error.
  const before = fake.calls('POST', MESSAGES).length;
  (fake as unknown as { token: string }).token = 'still-reset';
  for (const chatId of ['760000000000000009', '760000000000000010']) {
    expect(await n.send(delivery(chatId)), chatId).toEqual(r);
  }
  expect(fake.calls('POST', MESSAGES).length).toBe(before);
  expect(errors()).toEqual([]);
});

test('GIVEN a request Discord takes and never answers THEN @discordjs/rest gives up at its timeout, and that is an outage', async () => {
  fake.fail(MESSAGES, { kind: 'silent' }, 10);
  const rest = new REST({ ...restOptions({ ...dc, apiBase: fake.api }), timeout: 200, retries: 0 }).setToken(fake.token);
  const r = await notifier(rest).send(delivery('760000000000000002'));
  expect(r).toMatchObject({ kind: 'retry', outage: true });
  expect(errors()).toEqual([]);
});

test('GIVEN nothing listening where Discord should be (connection refused) THEN an outage, for an upload too (Node fetch: TypeError "fetch failed" caused by ECONNREFUSED)', async () => {
  const port = fake.port;
  await fake.close();
  const rest = notifierRest({ ...dc, apiBase: `http://127.0.0.1:${port}/api` }, 'token');
  for (const chart of [false, true]) {
    const r = await notifier(rest).send(delivery('760000000000000003', chart));
    expect(r, `chart ${chart}`).toEqual({ kind: 'retry', reason: expect.stringMatching(/ECONNREFUSED/), outage: true });
  }
  fake = await FakeDiscord.start();
});

test('GIVEN a TLS handshake that fails (https spoken to a server that answers plain HTTP, as a proxy in the way would) THEN an outage, for an upload too, nothing logged as our error', async () => {
  const rest = notifierRest({ ...dc, apiBase: fake.api.replace(/^http:/, 'https:') }, fake.token);
  for (const chart of [false, true]) {
    const r = await notifier(rest).send(delivery('760000000000000006', chart));
    expect(r, `chart ${chart}`).toMatchObject({ kind: 'retry', outage: true });
  }
  expect(errors()).toEqual([]);
  expect(noAnswer(Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }))).toBe(true);
  expect(noAnswer(Object.assign(new Error('connect EADDRNOTAVAIL 127.0.0.1:443'), { code: 'EADDRNOTAVAIL' }))).toBe(true);
});

test('GIVEN an answer our code cannot read (an upload answered without its attachments) THEN our fault: an attempt spent, said once with its message and no stack', async () => {
  fake.fail(MESSAGES, { kind: 'answer', status: 200, body: { id: '1' } }, 1);
  const r = await notifier().send(delivery('760000000000000004', true));
  expect(r).toEqual({ kind: 'retry', reason: expect.stringMatching(/^TypeError: /) });
  expect(r).not.toHaveProperty('outage');
  expect(errors()).toEqual([expect.stringContaining(`discord send failed on our side: ${(r as { reason: string }).reason}`)]);
  expect(world.log.raw.join('\n')).not.toMatch(/\n\s+at /);
});

test('GIVEN a 400 (our request refused) THEN as before: retried with an attempt spent, said as refused', async () => {
  fake.fail(MESSAGES, { kind: 'error', status: 400, code: 50035 }, 1);
  const r = await notifier().send(delivery('760000000000000005'));
  expect(r).toEqual({ kind: 'retry', reason: 'Invalid Form Body' });
  expect(errors()).toEqual([expect.stringContaining('discord refused a message')]);
});

/** A dispatcher over the notifier, its attempts cut to 3, and the outbox row of `chatId`. */
function sending(): { d: Dispatcher; row: (chatId: string) => { status: string; attempts: number; failingSince: number | null; lastError: string } } {
  const d = new Dispatcher(new OutboxStore(onSqlite(world.db)), world.deps.subs, {
    notifiers: [notifier()],
    charts: world.charts,
    log: world.log,
    backoffMs: 20,
    maxAttempts: 3,
  });
  const row = (chatId: string) =>
    world.db.prepare('SELECT status, attempts, failing_since AS failingSince, last_error AS lastError FROM outbox WHERE chat_id = ?').get(chatId) as {
      status: string;
      attempts: number;
      failingSince: number | null;
      lastError: string;
    };
  return { d, row };
}

test('GIVEN through the dispatcher, our fault on every try THEN an attempt spent each, said once a try, given up after the attempts, the channel kept', async () => {
  const ours = '761000000000000002';
  fake.fail(MESSAGES, { kind: 'answer', status: 200, body: { id: '1' } }, 100);
  await seedEvent(world, [{ platform: 'discord', chatId: ours }]);
  const { d, row } = sending();
  for (let i = 0; i < 20 && row(ours).status === 'pending'; i++) {
    await d.drain();
    await sleep(50);
  }
  expect(row(ours)).toMatchObject({ status: 'dead', attempts: 3, lastError: expect.stringMatching(/^gave up after 3 attempts: TypeError: /) });
  expect(errors().filter((l) => l.includes('discord send failed on our side'))).toHaveLength(3);
  expect(await world.deps.subs.get('discord', ours)).toMatchObject({ active: true });
});

test('GIVEN through the dispatcher, a connection reset on every try THEN no attempt spent: its failing spell begun, waited out, the channel kept', async () => {
  const reset = '761000000000000001';
  fake.fail(MESSAGES, { kind: 'reset' }, 100);
  await seedEvent(world, [{ platform: 'discord', chatId: reset }]);
  const { d, row } = sending();
  for (let i = 0; i < 3; i++) {
    await d.drain();
    await sleep(50);
  }
  expect(row(reset)).toMatchObject({
    status: 'pending',
    attempts: 0,
    failingSince: expect.any(Number),
    lastError: expect.stringMatching(/other side closed|ECONNRESET/),
  });
  expect(errors()).toEqual([]);
  expect(await world.deps.subs.get('discord', reset)).toMatchObject({ active: true });
});

test('noAnswer reads causes, not names: a TypeError of ours is not a network failure, "fetch failed" caused by a reset is', () => {
  expect(noAnswer(new TypeError("Cannot read properties of undefined (reading '0')"))).toBe(false);
  expect(noAnswer(new RangeError('Invalid string length'))).toBe(false);
  expect(noAnswer(new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }))).toBe(true);
  expect(noAnswer(Object.assign(new Error('getaddrinfo EAI_AGAIN discord.com'), { code: 'EAI_AGAIN' }))).toBe(true);
  expect(noAnswer(new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:443'), { code: 'ECONNREFUSED' })]))).toBe(true);
  expect(noAnswer(new DOMException('This operation was aborted', 'AbortError'))).toBe(true);
  expect(noAnswer(Object.assign(new Error('invalid method'), { code: 'UND_ERR_INVALID_ARG' }))).toBe(false);
  expect(noAnswer('ECONNRESET')).toBe(false);
});
