/**
 * A press on a message's buttons redraws it in the language it was written in: in a group, another
 * member's own Telegram language would rewrite it for everyone (Telegram has no message only the
 * presser sees). Through the real bot against the fake Bot API.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { FakeTelegram, FakeUser, RecordedCall } from '../../fakes/telegram.ts';
import { startBot, stopBot, type World } from '../../helpers/telegram-harness.ts';
import type { Telegram } from '../../../src/platforms/telegram/bot.ts';
import { callbackData, CALLBACK_DATA_MAX, pressedData } from '../../../src/platforms/telegram/render.ts';
import { t } from '../../../src/domain/i18n/index.ts';
import { until } from '../../helpers/replicas.ts';
import '../../../src/chat/registry.ts';

const BOB: FakeUser = { id: 2002, first_name: 'Bob', username: 'bob', language_code: 'en' };
const MEI: FakeUser = { id: 3003, first_name: 'Mei', language_code: 'zh-hant' };
const LIN: FakeUser = { id: 3004, first_name: 'Lin', language_code: 'zh-hans' };

/** Chinese characters: a caption in English has none. */
const HAN = /\p{Script=Han}/u;

type Keyboard = { inline_keyboard: { text: string; callback_data: string }[][] };
const buttons = (c: RecordedCall) => (c.params.reply_markup as Keyboard).inline_keyboard.flat();
const messageIdOf = (c: RecordedCall): number => (c.result as { message_id: number }).message_id;
const captionOf = (c: RecordedCall): string => String((c.params.media as { caption?: string } | undefined)?.caption ?? c.params.caption ?? '');

let fake: FakeTelegram;
let world: World;
let tg: Telegram;

describe('Telegram: a button press keeps the language of its message', () => {
  beforeEach(async () => ({ fake, world, tg } = await startBot()));
  afterEach(() => stopBot({ fake, world, tg }));

  test('GIVEN an English /chart in a group that never subscribed WHEN members in zh-TW and zh-CN press its buttons THEN the chart stays English', async () => {
    fake.textMessage(-730, '/chart spx 1Y', BOB, 'supergroup');
    const sent = await fake.waitFor((c) => c.method === 'sendPhoto' && c.chatId === '-730');
    expect(captionOf(sent)).not.toMatch(HAN);
    expect(await world.deps.subs.get('telegram', '-730')).toBeUndefined();
    const fiveYears = buttons(sent).find((b) => pressedData(b.callback_data).action === 'chart:spx-gold:5Y');
    expect(fiveYears?.callback_data).toBe('chart:spx-gold:5Y|en');

    fake.callbackQuery(-730, messageIdOf(sent), fiveYears?.callback_data ?? '', MEI);
    const first = await fake.waitFor((c) => c.method === 'editMessageMedia' && c.chatId === '-730');
    expect(first.status).toBe(200);
    expect(captionOf(first)).not.toBe('');
    expect(captionOf(first)).not.toMatch(HAN);
    // The redrawn keyboard carries English on, for the next press.
    const tenYears = buttons(first).find((b) => pressedData(b.callback_data).action === 'chart:spx-gold:10Y');
    expect(tenYears?.callback_data).toBe('chart:spx-gold:10Y|en');

    fake.callbackQuery(-730, messageIdOf(sent), tenYears?.callback_data ?? '', LIN);
    const second = await until('the second press redrawn', () => fake.callsTo('editMessageMedia', -730)[1], 10_000);
    expect(captionOf(second)).not.toBe('');
    expect(captionOf(second)).not.toMatch(HAN);
    expect(fake.callsTo('sendPhoto', -730)).toHaveLength(1);
  });

  test('GIVEN a zh-TW /chart in a group that never subscribed WHEN an English member presses a range THEN it stays zh-TW, not the default language', async () => {
    fake.textMessage(-733, '/chart spx 1Y', MEI, 'supergroup');
    const sent = await fake.waitFor((c) => c.method === 'sendPhoto' && c.chatId === '-733');
    expect(captionOf(sent)).toMatch(HAN);
    const fiveYears = buttons(sent).find((b) => pressedData(b.callback_data).action === 'chart:spx-gold:5Y');
    fake.callbackQuery(-733, messageIdOf(sent), fiveYears?.callback_data ?? '', BOB);
    const edit = await fake.waitFor((c) => c.method === 'editMessageMedia' && c.chatId === '-733');
    expect(captionOf(edit)).toMatch(HAN);
  });

  test('GIVEN a newer version’s button (a mark this one does not know beside the language) pressed on this replica in a rolling deploy THEN the chart is redrawn in its language, not refused as no longer valid', async () => {
    fake.textMessage(-734, '/chart spx 1Y', MEI, 'supergroup');
    const sent = await fake.waitFor((c) => c.method === 'sendPhoto' && c.chatId === '-734');
    fake.callbackQuery(-734, messageIdOf(sent), 'chart:spx-gold:5Y|zh-TW|t7', BOB);
    const edit = await fake.waitFor((c) => c.method === 'editMessageMedia' && c.chatId === '-734');
    expect(edit.status).toBe(200);
    expect(captionOf(edit)).toMatch(HAN);
    expect(fake.callsTo('answerCallbackQuery').map((c) => c.params.text ?? '')).not.toContain(t('en', 'chat.err.action'));
  });

  test('GIVEN an older button without its language in a group without a subscription WHEN a zh-TW member presses it THEN the chat language (the default), not the presser’s', async () => {
    fake.textMessage(-731, '/chart spx 1Y', BOB, 'supergroup');
    const sent = await fake.waitFor((c) => c.method === 'sendPhoto' && c.chatId === '-731');
    fake.callbackQuery(-731, messageIdOf(sent), 'chart:spx-gold:5Y', MEI);
    const edit = await fake.waitFor((c) => c.method === 'editMessageMedia' && c.chatId === '-731');
    expect(edit.status).toBe(200);
    expect(captionOf(edit)).not.toBe('');
    expect(captionOf(edit)).not.toMatch(HAN);
  });

  test('GIVEN a zh-TW reader’s /chart in a private chat WHEN they press a range THEN it stays in their language, the buttons carrying none', async () => {
    fake.textMessage(MEI.id, '/chart spx 1Y', MEI);
    const sent = await fake.waitFor((c) => c.method === 'sendPhoto' && c.chatId === String(MEI.id));
    expect(captionOf(sent)).toMatch(HAN);
    const fiveYears = buttons(sent).find((b) => b.callback_data === 'chart:spx-gold:5Y');
    expect(fiveYears).toBeDefined();
    fake.callbackQuery(MEI.id, messageIdOf(sent), fiveYears?.callback_data ?? '', MEI);
    const edit = await fake.waitFor((c) => c.method === 'editMessageMedia' && c.chatId === String(MEI.id));
    expect(captionOf(edit)).toMatch(HAN);
    expect(buttons(edit).every((b) => !b.callback_data.includes('|'))).toBe(true);
  });

  test('GIVEN a group’s welcome written in zh-TW WHEN an English admin presses Subscribe under it THEN the answer and the subscription are in zh-TW', async () => {
    fake.setMember(-732, BOB.id, 'administrator');
    fake.textMessage(-732, '/start', MEI, 'supergroup');
    const welcome = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-732');
    const subscribe = buttons(welcome).find((b) => pressedData(b.callback_data).action === 'cmd:subscribe');
    expect(subscribe?.callback_data).toBe('cmd:subscribe|zh-TW');
    fake.callbackQuery(-732, messageIdOf(welcome), subscribe?.callback_data ?? '', BOB);
    const told = await until('the subscribe answer', () => fake.callsTo('sendMessage', -732)[1], 10_000);
    expect(String(told.params.text)).toContain(t('zh-TW', 'chat.sub.done'));
    expect((await world.deps.subs.get('telegram', '-732'))?.lang).toBe('zh-TW');
  });
});

describe('callback data with the message language', () => {
  test('GIVEN an action and a language THEN it reads back; data past 64 bytes goes without the language; a mark this version does not know (a newer one’s) is passed over', () => {
    expect(pressedData(callbackData('digest:0800:Asia/Taipei', 'zh-CN'))).toEqual({ action: 'digest:0800:Asia/Taipei', lang: 'zh-CN' });
    expect(pressedData('chart:spx-gold:5Y')).toEqual({ action: 'chart:spx-gold:5Y', lang: undefined });
    // A rolling deploy: a newer version's button pressed on this one, its marks unknown here, before or after the language.
    expect(pressedData('chart:spx-gold:5Y|xx')).toEqual({ action: 'chart:spx-gold:5Y', lang: undefined });
    expect(pressedData('chart:spx-gold:5Y|zh-TW|t7')).toEqual({ action: 'chart:spx-gold:5Y', lang: 'zh-TW' });
    expect(pressedData('chart:spx-gold:5Y|v9|en')).toEqual({ action: 'chart:spx-gold:5Y', lang: 'en' });
    const long = `quiet:2300-0700:${'x'.repeat(CALLBACK_DATA_MAX - 20)}`;
    expect(callbackData(long, 'zh-TW')).toBe(long);
    expect(Buffer.byteLength(callbackData('quiet:2300-0700:America/Argentina/ComodRivadavia', 'zh-TW'))).toBeLessThanOrEqual(CALLBACK_DATA_MAX);
  });
});
