import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { FakeTelegram } from './fakes/telegram.ts';
import { makeTelegram, makeWorld, telegramEnv, type World } from './telegram-harness.ts';
import type { Telegram } from '../src/platforms/telegram/bot.ts';

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
