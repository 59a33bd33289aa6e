import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { FakeTelegram } from '../../fakes/telegram.ts';
import { makeTelegram, makeWorld, telegramEnv, type World } from '../../helpers/telegram-harness.ts';
import { createTelegram, type Telegram } from '../../../src/platforms/telegram/bot.ts';
import { sharedUploads } from '../../../src/alerts/upload-once.ts';
import { ChartUploadStore } from '../../../src/store/chart-uploads.ts';
import { onSqlite } from '../../../src/store/engine.ts';

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

beforeEach(async () => {
  fake = await FakeTelegram.start();
  world = makeWorld(telegramEnv(fake, { TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/tg/hook', TELEGRAM_WEBHOOK_SECRET: SECRET }));
  tg = makeTelegram(world, 0);
  await tg.start();
});
afterEach(async () => {
  await tg.stop();
  await fake.close();
  world.cleanup();
});

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
      const to = (r: Telegram, body: unknown) =>
        fetch(`http://127.0.0.1:${r.webhookPort()}/tg/hook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
          body: JSON.stringify(body),
        }).then((res) => res.text());
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
