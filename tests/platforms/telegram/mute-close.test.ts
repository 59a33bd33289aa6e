/**
 * /mute until the close through the real bot against the fake Bot API, its clock set: on an early
 * close (the day after Thanksgiving, Christmas Eve) the mute ends at 13:00 New York and the reply
 * says so, in each language; on a full day it ends at 16:00 and the reply is as it always was. An end
 * on the reader's clock (到明天早上) in a chat with no zone offers zone buttons; the close offers none.
 */
import { afterEach, expect, test } from 'vitest';
import { FakeTelegram, type FakeUser } from '../../fakes/telegram.ts';
import { makeWorld, nextAnswer, telegramEnv, type World } from '../../helpers/telegram-harness.ts';
import { createTelegram, type Telegram } from '../../../src/platforms/telegram/bot.ts';
import { MetaStore } from '../../../src/store/meta.ts';
import { onSqlite } from '../../../src/store/engine.ts';
import '../../../src/chat/registry.ts';

const USERS: Readonly<Record<'en' | 'zh-TW' | 'zh-CN', FakeUser>> = {
  en: { id: 2002, first_name: 'Bob', language_code: 'en' },
  'zh-TW': { id: 3003, first_name: 'Mei', language_code: 'zh-hant' },
  'zh-CN': { id: 4004, first_name: 'Li', language_code: 'zh-hans' },
};

let running: { fake: FakeTelegram; world: World; tg: Telegram } | undefined;
afterEach(async () => {
  if (running === undefined) return;
  await running.tg.stop();
  await running.fake.close();
  running.world.cleanup();
  running = undefined;
});

/** The bot started on a clock stopped at `at`. */
async function botAt(at: string) {
  const nowMs = Date.parse(at);
  const fake = await FakeTelegram.start();
  const world = makeWorld(telegramEnv(fake), nowMs);
  const tg = createTelegram({
    config: world.config,
    deps: world.deps,
    charts: world.charts,
    log: world.log,
    meta: new MetaStore(onSqlite(world.db)),
    now: () => nowMs,
  });
  running = { fake, world, tg };
  await tg.start();
  return running;
}

async function muteUntilClose(lang: keyof typeof USERS, chatId: number, typed: string) {
  const { fake, world } = running!;
  await nextAnswer(fake, chatId, '/subscribe', USERS[lang]);
  const said = await nextAnswer(fake, chatId, `/mute ${typed}`, USERS[lang]);
  return { text: String(said.params.text), mutedUntil: (await world.deps.subs.get('telegram', String(chatId)))?.mutedUntil };
}

test.each([
  // The day after Thanksgiving, 10:00 New York (EST).
  ['2026-11-27T15:00:00Z', 'en', 'until the close', 'Muted until 2026-11-27 18:00 (UTC), the close (13:00 New York, an early close).', '2026-11-27T18:00:00Z'],
  ['2026-11-27T15:00:00Z', 'zh-TW', '到收盤', '已靜音至2026年11月27日 18:00（UTC），即美股收盤（紐約時間 13:00，提前收盤）。', '2026-11-27T18:00:00Z'],
  ['2026-11-27T15:00:00Z', 'zh-CN', '到收盘', '已静音至2026年11月27日 18:00（UTC），即美股收盘（纽约时间 13:00，提前收盘）。', '2026-11-27T18:00:00Z'],
  // Christmas Eve, 09:00 New York.
  [
    '2026-12-24T14:00:00Z',
    'en',
    'until market close',
    'Muted until 2026-12-24 18:00 (UTC), the close (13:00 New York, an early close).',
    '2026-12-24T18:00:00Z',
  ],
  ['2026-12-24T14:00:00Z', 'zh-TW', '到收盤', '已靜音至2026年12月24日 18:00（UTC），即美股收盤（紐約時間 13:00，提前收盤）。', '2026-12-24T18:00:00Z'],
  ['2026-12-24T14:00:00Z', 'zh-CN', '到收盘', '已静音至2026年12月24日 18:00（UTC），即美股收盘（纽约时间 13:00，提前收盘）。', '2026-12-24T18:00:00Z'],
  // A full day (Monday 2026-11-30, 10:00 New York): 16:00, said as always.
  ['2026-11-30T15:00:00Z', 'en', 'until the close', 'Muted until 2026-11-30 21:00 (UTC).', '2026-11-30T21:00:00Z'],
  ['2026-11-30T15:00:00Z', 'zh-TW', '到收盤', '已靜音至2026年11月30日 21:00（UTC）。', '2026-11-30T21:00:00Z'],
  ['2026-11-30T15:00:00Z', 'zh-CN', '到收盘', '已静音至2026年11月30日 21:00（UTC）。', '2026-11-30T21:00:00Z'],
] as const)('GIVEN %s and a %s chat typing /mute %s THEN %s', async (at, lang, typed, text, end) => {
  await botAt(at);
  expect(await muteUntilClose(lang, 71, typed)).toEqual({ text, mutedUntil: Date.parse(end) });
});

test.each([
  [
    'en',
    'until tomorrow morning',
    'Read in UTC: this chat has no time zone of its own (/digest or /quiet with a zone gives it one). Or read it in:',
    'Asia/Taipei',
    'Muted until 2026-11-22 08:00 (Taipei time).',
    '2026-11-22T00:00:00Z',
  ],
  [
    'zh-TW',
    '到明天早上',
    '以 UTC 計算：本對話尚未設定時區（使用 /digest 或 /quiet 時加上時區即可設定）。或改以下列時區計算：',
    'Asia/Taipei',
    '已靜音至2026年11月22日 08:00（台北時間）。',
    '2026-11-22T00:00:00Z',
  ],
  [
    'zh-CN',
    '到明天早上',
    '按 UTC 计算：本对话尚未设置时区（使用 /digest 或 /quiet 时加上时区即可设置）。或改按以下时区计算：',
    'Asia/Shanghai',
    '已静音至2026年11月22日 08:00（北京时间）。',
    '2026-11-22T00:00:00Z',
  ],
] as const)(
  'GIVEN a %s chat with no zone typing /mute %s THEN the UTC end with zone buttons (callback_data within 64 bytes); the first pressed, the same end in %s',
  async (lang, typed, pick, zone, pressedText, end) => {
    const { fake, world } = await botAt('2026-11-21T03:00:00Z');
    const chatId = 72;
    await nextAnswer(fake, chatId, '/subscribe', USERS[lang]);
    const said = await nextAnswer(fake, chatId, `/mute ${typed}`, USERS[lang]);
    expect(String(said.params.text).split('\n').at(-1)).toBe(pick);
    const data = (said.params.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard.flat().map((b) => b.callback_data);
    expect(data[0]).toMatch(new RegExp(`^mute:.+:${zone}$`));
    expect(data.every((d) => Buffer.byteLength(d) <= 64)).toBe(true);
    expect((await world.deps.subs.get('telegram', String(chatId)))?.mutedUntil).toBe(Date.parse('2026-11-22T08:00:00Z'));
    const from = fake.calls.length;
    fake.callbackQuery(chatId, (said.result as { message_id: number }).message_id, data[0]!, USERS[lang]);
    const answer = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(chatId), undefined, from);
    expect(String(answer.params.text)).toBe(pressedText);
    expect((await world.deps.subs.get('telegram', String(chatId)))?.mutedUntil).toBe(Date.parse(end));
  },
);

test('GIVEN /mute until the close in a chat with no zone THEN no zone buttons: the close is New York’s', async () => {
  const { fake } = await botAt('2026-11-30T15:00:00Z');
  await nextAnswer(fake, 73, '/subscribe', USERS.en);
  const said = await nextAnswer(fake, 73, '/mute until the close', USERS.en);
  expect(said.params.reply_markup).toBeUndefined();
});
