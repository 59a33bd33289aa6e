import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { FakeTelegram } from '../../fakes/telegram.ts';
import { startBot, stopBot, type World } from '../../helpers/telegram-harness.ts';
import { createTelegram, type Telegram } from '../../../src/platforms/telegram/bot.ts';
import { sharedUploads } from '../../../src/alerts/upload-once.ts';
import { ChartUploadStore } from '../../../src/store/chart-uploads.ts';
import { onSqlite } from '../../../src/store/engine.ts';
import { Api } from 'grammy';
import { OutboxStore } from '../../../src/store/outbox.ts';
import { Dispatcher } from '../../../src/alerts/dispatcher.ts';
import { TelegramNotifier } from '../../../src/platforms/telegram/notifier.ts';
import { MetaStore } from '../../../src/store/meta.ts';
import { BOT_KEY } from '../../../src/platforms/telegram/bot.ts';

const SECRET = 'correct-horse-battery';
let fake: FakeTelegram;
let world: World;
let tg: Telegram;

const update = (id: number, chatId: number, text: string) => ({
  update_id: id,
  message: {
    message_id: id,
    date: 1,
    text,
    chat: { id: chatId, type: 'private', first_name: 'Ada' },
    from: { id: chatId, is_bot: false, first_name: 'Ada' },
    entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]?.length ?? 0 }],
  },
});

function post(path: string, body: unknown, secret?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret !== undefined) headers['x-telegram-bot-api-secret-token'] = secret;
  return fetch(`http://127.0.0.1:${tg.webhookPort()}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
}

/** An update POSTed to replica `r`'s webhook, as Telegram (or a load balancer in front) sends it. */
const to = (r: Telegram, body: unknown) =>
  fetch(`http://127.0.0.1:${r.webhookPort()}/tg/hook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify(body),
  }).then((res) => res.text());

beforeEach(async () => ({ fake, world, tg } = await startBot({ TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/tg/hook', TELEGRAM_WEBHOOK_SECRET: SECRET }, 0)));
afterEach(() => stopBot({ fake, world, tg }));

describe('Telegram webhook mode', () => {
  test('GIVEN TELEGRAM_WEBHOOK_URL THEN the bot registers the webhook with its secret and does not poll', () => {
    expect(fake.callsTo('setWebhook')[0]?.params).toMatchObject({ url: 'https://bot.example.org/tg/hook', secret_token: SECRET });
    expect(fake.callsTo('getUpdates')).toHaveLength(0);
  });

  test.each([
    ['a wrong secret token', 'guess'],
    ['no secret token', undefined],
  ])('GIVEN %s THEN the webhook answers 401 and the update is not handled', async (_name, secret) => {
    const res = await post('/tg/hook', update(1, 71, '/help'), secret);
    expect(res.status).toBe(401);
    await res.text();
    // A correct call afterwards proves the server was listening and would have answered.
    const ok = await post('/tg/hook', update(2, 72, '/help'), SECRET);
    expect(ok.status).toBe(200);
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '72');
    expect(fake.callsTo('sendMessage', 71)).toHaveLength(0);
  });

  test('GIVEN a request to another path THEN 404', async () => {
    const res = await post('/elsewhere', update(3, 73, '/help'), SECRET);
    expect(res.status).toBe(404);
  });
});

describe('Telegram webhook: bodies it refuses, with the right secret', () => {
  const raw = (body: string | Uint8Array, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${tg.webhookPort()}/tg/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET, ...headers },
      body,
    });
  const errors = () => world.log.lines.filter((l) => /\bERROR\b/.test(l));

  test('GIVEN a body that is not JSON THEN 400, one warning, no error, and the next update is handled', async () => {
    const res = await raw('{"update_id": 1, "message": ');
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('body is not JSON\n');
    expect(world.log.lines.filter((l) => /webhook request refused \(400\): body is not JSON/.test(l))).toHaveLength(1);
    expect(errors()).toEqual([]);
    const ok = await post('/tg/hook', update(3, 74, '/help'), SECRET);
    expect(ok.status).toBe(200);
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '74');
  });

  test('GIVEN a 3 MB body (the cap is 1 MiB) THEN 413 before it is read, and the next update is handled', async () => {
    const big = JSON.stringify({ update_id: 4, message: { text: 'x'.repeat(3 * 1024 * 1024) } });
    const res = await raw(big);
    expect(res.status).toBe(413);
    await res.text();
    expect(world.log.lines.filter((l) => /webhook request refused \(413\): body of \d+ bytes over the 1048576-byte cap/.test(l))).toHaveLength(1);
    expect(errors()).toEqual([]);
    const ok = await post('/tg/hook', update(5, 75, '/help'), SECRET);
    expect(ok.status).toBe(200);
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '75');
  });

  test('GIVEN a body over the cap sent without a length (chunked) THEN 413 once the cap is passed', async () => {
    const chunk = new Uint8Array(256 * 1024).fill(0x20);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        // 3 MiB in all; the server stops reading after 1 MiB.
        if (sent >= 12) return c.close();
        sent++;
        c.enqueue(chunk);
      },
    });
    const res = await fetch(`http://127.0.0.1:${tg.webhookPort()}/tg/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body,
      duplex: 'half',
    } as RequestInit).catch((e: unknown) => e as Error);
    // The server answers 413 and closes; a client still sending may see the close first.
    if (res instanceof Response) expect(res.status).toBe(413);
    await fake.waitFor(() => world.log.lines.some((l) => /webhook request refused \(413\): body over the 1048576-byte cap/.test(l)));
    expect(errors()).toEqual([]);
  });
});

describe('Telegram webhook: replicas behind a load balancer', () => {
  test('GIVEN two replicas sharing the database THEN a chart one of them uploaded is sent by the other as its file_id, not uploaded again, and offered inline', async () => {
    const uploads = sharedUploads(new ChartUploadStore(onSqlite(world.db)), 'telegram');
    const replica = () =>
      createTelegram({ config: world.config, deps: world.deps, charts: world.charts, log: world.log, webhookPort: 0, sharedUploads: uploads, replicas: true });
    const [a, b] = [replica(), replica()];
    try {
      await Promise.all([a.start(), b.start()]);
      // The load balancer sends the first /chart to one replica, the next to the other.
      await to(a, update(11, 81, '/chart spx 1Y'));
      const first = await fake.waitFor((c) => c.method === 'sendPhoto' && c.chatId === '81');
      expect(first.files).toHaveLength(1);
      await to(b, update(12, 82, '/chart spx 1Y'));
      const second = await fake.waitFor((c) => c.method === 'sendPhoto' && c.chatId === '82');
      expect(second.files).toHaveLength(0);
      expect(typeof second.params.photo).toBe('string');
      expect(fake.callsTo('sendPhoto').filter((c) => c.files.length > 0)).toHaveLength(1);
      // One row in the shared record for the reply's chart, apart from the alerts' (its own prefix).
      const recorded = () => world.db.prepare("SELECT count(*) AS n FROM chart_uploads WHERE chart_key LIKE 'reply:%'").get() as { n: number };
      expect(recorded().n).toBe(1);
      // An inline query on the other replica offers that chart as the photo Telegram has (no upload chat is set).
      await to(b, {
        update_id: 13,
        inline_query: { id: 'q1', from: { id: 83, is_bot: false, first_name: 'Ada', language_code: 'en' }, query: 'spx', offset: '' },
      });
      const inline = await fake.waitFor((c) => c.method === 'answerInlineQuery');
      expect(JSON.stringify(inline.params.results)).toContain(String(second.params.photo));
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});

describe('Telegram: the database moved to another bot', () => {
  test("GIVEN file_ids recorded by another bot THEN a reply, its button, an inline card and an alert that meet one upload their chart again, and the record holds this bot's", async () => {
    const record = new ChartUploadStore(onSqlite(world.db));
    const uploads = sharedUploads(record, 'telegram');
    const meta = new MetaStore(onSqlite(world.db));
    const onBot = (api: FakeTelegram) =>
      createTelegram({
        // The move is meant (TELEGRAM_ACCEPT_NEW_BOT): without it the new bot would not start (the next test).
        config: { ...world.config, telegram: { ...world.config.telegram, token: api.token, apiRoot: api.apiRoot, acceptNewBot: true } },
        deps: world.deps,
        meta,
        charts: world.charts,
        log: world.log,
        webhookPort: 0,
        sharedUploads: uploads,
        replicas: true,
      });
    const inline = (id: number) => ({
      update_id: id,
      inline_query: { id: `q${id}`, from: { id: 83, is_bot: false, first_name: 'Ada', language_code: 'en' }, query: 'spx', offset: '' },
    });
    // The old bot sends two charts (/chart's 5Y, and /ratio spx's 1Y, which the inline card offers): both recorded.
    const old = onBot(fake);
    await old.start();
    await to(old, update(21, 91, '/chart spx 5Y'));
    await to(old, update(22, 91, '/ratio spx'));
    await to(old, update(23, 91, '/chart spx 10Y'));
    await fake.waitFor(() => fake.callsTo('sendPhoto').length === 3);
    await old.stop();
    const recorded = () => world.db.prepare("SELECT ref FROM chart_uploads WHERE chart_key LIKE 'reply:%' ORDER BY ref").all() as { ref: string }[];
    expect(recorded().map((r) => r.ref)).toEqual(Array(3).fill(expect.stringMatching(/^AgACfake123456x/)));

    const other = await FakeTelegram.start({ token: '654321:OTHER-token' });
    const bot = onBot(other);
    try {
      await bot.start();
      // The inline card: its file_id refused, forgotten, and the card answered without it (no upload chat is set).
      await to(bot, inline(31));
      const answers = () => other.callsTo('answerInlineQuery');
      await other.waitFor(() => answers().some((c) => c.status === 200));
      expect(answers().map((c) => c.status)).toEqual([400, 200]);
      expect(JSON.stringify(answers()[1]!.params.results)).not.toContain('AgACfake123456');
      // The reply: refused by id, then sent as a file, whose new id is recorded.
      await to(bot, update(32, 92, '/chart spx 5Y'));
      const photos = () => other.callsTo('sendPhoto', '92');
      await other.waitFor(() => photos().some((c) => c.status === 200));
      expect(photos().map((c) => [c.status, c.files.length])).toEqual([
        [400, 0],
        [200, 1],
      ]);
      // Its 10Y button edits the photo: that chart's refused id too, then the file.
      const sent = photos().find((c) => c.status === 200)!.result as { message_id: number };
      await to(bot, {
        update_id: 33,
        callback_query: {
          id: 'cq33',
          from: { id: 92, is_bot: false, first_name: 'Ada' },
          chat_instance: 'ci92',
          message: { ...sent, chat: { id: 92, type: 'private', first_name: 'Ada' } },
          data: 'chart:spx-gold:10Y',
        },
      });
      const edits = () => other.callsTo('editMessageMedia', '92');
      await other.waitFor(() => edits().some((c) => c.status === 200));
      expect(edits().map((c) => [c.status, c.files.length])).toEqual([
        [400, 0],
        [200, 1],
      ]);
      expect(recorded().map((r) => r.ref)).toEqual(Array(2).fill(expect.stringMatching(/^AgACfake654321x/)));
      expect(world.log.lines.filter((l) => /update failed|ERROR/.test(l))).toEqual([]);

      // An alert whose chart the old bot had uploaded: one refusal, one upload, then this bot's id for every chat.
      const message = { title: { en: 'SPX/Gold broke below 2.5' }, lines: ['2.49'], chart: { kind: 'ratio', pair: 'spx-gold', range: '1Y' } } as const;
      const subs = await Promise.all([1, 2, 3].map(async (i) => (await world.deps.subs.upsert('telegram', String(9300 + i))).id));
      const outbox = new OutboxStore(onSqlite(world.db));
      await outbox.enqueue('alert', message, subs, { nowMs: Date.now() });
      const notifier = (api: FakeTelegram) =>
        new TelegramNotifier({
          api: new Api(api.token, { apiRoot: api.apiRoot }),
          rate: 100,
          groupPerMinute: 20,
          paidBroadcast: false,
          log: world.log,
          sharedUploads: uploads,
        });
      const drain = (api: FakeTelegram) =>
        new Dispatcher(outbox, world.deps.subs, { notifiers: [notifier(api)], charts: world.charts, concurrency: 1 }).drain();
      expect((await drain(fake)).sent).toBe(3);
      // The same rows again (a resend), now on the other bot.
      world.db.prepare("UPDATE outbox SET status = 'pending', next_at = 0, parts_sent = 0 WHERE chat_id LIKE '93%'").run();
      expect((await drain(other)).sent).toBe(3);
      const alerts = other.callsTo('sendPhoto').filter((c) => String(c.chatId).startsWith('93'));
      expect(alerts.map((c) => [c.status, c.files.length])).toEqual([
        [400, 0],
        [200, 1],
        [200, 0],
        [200, 0],
      ]);
      expect(new Set(alerts.slice(2).map((c) => c.params.photo))).toEqual(new Set([expect.stringMatching(/^AgACfake654321x/)]));
    } finally {
      await bot.stop();
      await other.close();
    }
  });

  test('GIVEN a token of another bot than the chats subscribed through THEN Telegram is off with one line naming both, nothing is sent and no chat unsubscribed; TELEGRAM_ACCEPT_NEW_BOT starts it', async () => {
    const meta = new MetaStore(onSqlite(world.db));
    const on = (api: FakeTelegram, acceptNewBot = false) =>
      createTelegram({
        config: { ...world.config, telegram: { ...world.config.telegram, token: api.token, apiRoot: api.apiRoot, acceptNewBot } },
        deps: world.deps,
        charts: world.charts,
        log: world.log,
        webhookPort: 0,
        meta,
      });
    // The first start records the bot; a second one on the same bot starts as before.
    for (let i = 0; i < 2; i++) {
      const first = on(fake);
      expect((await first.start()).kind).toBe('started');
      await first.stop();
    }
    expect(await meta.get(BOT_KEY)).toBe('123456 @goldratio_test_bot');
    const sub = await world.deps.subs.upsert('telegram', '9501');
    const outbox = new OutboxStore(onSqlite(world.db));
    await outbox.enqueue('alert', { title: { en: 'SPX/Gold broke below 2.5' }, lines: ['2.49'] }, [sub.id], { nowMs: Date.now() });

    const other = await FakeTelegram.start({ token: '654321:OTHER-token', username: 'goldratio_staging_bot' });
    try {
      const wrong = on(other);
      // A drain before the start has said who the bot is (a leader drains as soon as it leads): nothing goes.
      expect(await new Dispatcher(outbox, world.deps.subs, { notifiers: [wrong.notifier] }).drain()).toMatchObject({ sent: 0, dead: 0 });
      expect(other.calls.filter((c) => c.method.startsWith('send'))).toEqual([]);
      const r = await wrong.start();
      expect(r).toEqual({
        kind: 'refused',
        reason:
          "TELEGRAM_BOT_TOKEN is @goldratio_staging_bot's (bot 654321), but this database's chats subscribed through @goldratio_test_bot (bot 123456): sending would fail for them and unsubscribe them, so nothing is sent. Use @goldratio_test_bot's token, or set TELEGRAM_ACCEPT_NEW_BOT=true if the move is meant",
      });
      expect(world.log.lines.filter((l) => /ERROR .*Telegram is off: TELEGRAM_BOT_TOKEN is @goldratio_staging_bot's/.test(l))).toHaveLength(1);
      // The alert waits, untried, and the chat stays subscribed.
      const dispatcher = new Dispatcher(outbox, world.deps.subs, { notifiers: [wrong.notifier] });
      expect(await dispatcher.drain()).toMatchObject({ sent: 0, retried: 0, dead: 0 });
      expect(other.calls.filter((c) => c.method.startsWith('send'))).toEqual([]);
      expect((await world.deps.subs.get('telegram', '9501'))?.active).toBe(true);
      expect(await dispatcher.pending()).toBe(1);
      expect(await meta.get(BOT_KEY)).toBe('123456 @goldratio_test_bot');
      await wrong.stop();

      // Meant: it starts, says what the move means, records the new bot, and sends.
      const moved = on(other, true);
      expect((await moved.start()).kind).toBe('started');
      expect(world.log.lines.filter((l) => /WARN .*TELEGRAM_ACCEPT_NEW_BOT: this database's chats move from @goldratio_test_bot/.test(l))).toHaveLength(1);
      expect(await meta.get(BOT_KEY)).toBe('654321 @goldratio_staging_bot');
      expect((await new Dispatcher(outbox, world.deps.subs, { notifiers: [moved.notifier] }).drain()).sent).toBe(1);
      await moved.stop();
    } finally {
      await other.close();
    }
  });
});
