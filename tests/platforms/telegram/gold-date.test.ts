/**
 * Through the real Telegram bot and the fake Bot API: the stocks' last close has no gold price of
 * its own day (gold's last row removed from the synthetic history). /ratio's caption names the
 * gold price its ratios use, and /status's gold line says that day has none, in the user's language.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { FakeTelegram, FakeUser } from '../../fakes/telegram.ts';
import { isTelegramHtml, nextAnswer, startBot, stopBot, type World } from '../../helpers/telegram-harness.ts';
import type { Telegram } from '../../../src/platforms/telegram/bot.ts';
import { fmtDate } from '../../../src/domain/i18n/format.ts';
import { t } from '../../../src/domain/i18n/index.ts';
import '../../../src/chat/registry.ts';

const BOB: FakeUser = { id: 2002, first_name: 'Bob', username: 'bob', language_code: 'en' };
const MEI: FakeUser = { id: 3003, first_name: 'Mei', language_code: 'zh-hant' };

let fake: FakeTelegram;
let world: World;
let tg: Telegram;
let stocks: string;
let gold: string;

beforeEach(async () => {
  ({ fake, world, tg } = await startBot());
  const last = (i: string) => (world.db.prepare('SELECT max(date) AS d FROM closes WHERE instrument = ?').get(i) as { d: string }).d;
  stocks = last('spx');
  world.db.prepare('DELETE FROM closes WHERE instrument = ? AND date = ?').run('gold', last('gold'));
  world.db.prepare("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'data_version'").run();
  gold = last('gold');
  expect(gold < stocks).toBe(true);
});
afterEach(() => stopBot({ fake, world, tg }));

test('GIVEN the last close over an older gold price THEN /ratio on Telegram says which gold price, once, in HTML Telegram accepts', async () => {
  const call = await nextAnswer(fake, 42, '/ratio', BOB);
  const caption = String(call.params.caption ?? call.params.text);
  expect(caption).toContain(t('en', 'digest.goldOlder', { gold, date: stocks }));
  expect(caption.match(/gold price of/g)).toHaveLength(1);
  expect(isTelegramHtml(caption)).toBe(true);
});

test('GIVEN the same THEN /status on Telegram says, on gold’s line, that the day has no gold price (zh-TW)', async () => {
  const call = await nextAnswer(fake, 43, '/status', MEI);
  const goldLine = String(call.params.text)
    .split('\n')
    .find((l) => l.includes(t('zh-TW', 'instrument.gold')));
  expect(goldLine).toContain(fmtDate(gold, 'zh-TW'));
  expect(goldLine).toContain(t('zh-TW', 'chat.status.goldMissing', { date: fmtDate(stocks, 'zh-TW') }));
});
