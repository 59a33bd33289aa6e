/**
 * What readers type that was refused or misread, typed into the Telegram fake and answered by the real
 * bot on a fixed clock (Wednesday 2026-11-18, 10:00 in New York): a day's close (到明天收盤, until
 * saturday close), a range of hours (兩三個小時), /move's choice of two quoted as typed, the year words
 * (大前年, 去年全年), a quarter drawn alone (去年第一季), and 幾月 asked about, not read.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FakeTelegram, type FakeUser } from '../fakes/telegram.ts';
import { makeWorld, nextAnswer, telegramEnv, type World } from '../helpers/telegram-harness.ts';
import { createTelegram, type Telegram } from '../../src/platforms/telegram/bot.ts';
import { MetaStore } from '../../src/store/meta.ts';
import { onSqlite } from '../../src/store/engine.ts';

const NOW_MS = Date.parse('2026-11-18T15:00:00Z');

let fake: FakeTelegram;
let world: World;
let tg: Telegram;

beforeAll(async () => {
  fake = await FakeTelegram.start();
  world = makeWorld(telegramEnv(fake), NOW_MS);
  tg = createTelegram({
    config: world.config,
    deps: world.deps,
    charts: world.charts,
    log: world.log,
    meta: new MetaStore(onSqlite(world.db)),
    now: () => NOW_MS,
  });
  await tg.start();
});
afterAll(async () => {
  await tg.stop();
  await fake.close();
  world.cleanup();
});

let nextChat = 9400;
/** Types `before`, then `text`, into a fresh private chat of a `lang` reader; the bot's answer to `text`: its lines, tags removed. */
async function ask(lang: string, text: string, before: readonly string[] = []): Promise<{ readonly chatId: number; readonly lines: readonly string[] }> {
  const chatId = nextChat++;
  const user: FakeUser = { id: chatId, first_name: 'Lin', language_code: lang };
  for (const b of before) await nextAnswer(fake, chatId, b, user);
  const call = await nextAnswer(fake, chatId, text, user);
  return {
    chatId,
    lines: String(call.params.text ?? call.params.caption ?? '')
      .replace(/<[^>]+>/g, '')
      .split('\n'),
  };
}
const mutedUntil = async (chatId: number) => (await world.deps.subs.get('telegram', String(chatId)))?.mutedUntil;

describe('typed into Telegram', () => {
  test('GIVEN /mute 到明天收盤 and /mute until friday close THEN muted to that day’s close, the reply naming its date and New York time', async () => {
    const tw = await ask('zh-TW', '/mute 到明天收盤', ['/subscribe']);
    expect(tw.lines[0]).toBe('已靜音至2026年11月19日 21:00（UTC），即美股2026年11月19日收盤（紐約時間 16:00）。');
    expect(await mutedUntil(tw.chatId)).toBe(Date.parse('2026-11-19T21:00:00Z'));
    const en = await ask('en', "/mute till monday's close", ['/subscribe']);
    expect(en.lines[0]).toBe('Muted until 2026-11-23 21:00 (UTC), the close of 2026-11-23 (16:00 New York).');
    expect(await mutedUntil(en.chatId)).toBe(Date.parse('2026-11-23T21:00:00Z'));
  });

  test('GIVEN /mute until saturday close THEN one line: the market is shut that day, the next close to type; not muted', async () => {
    const en = await ask('en', '/mute until saturday close', ['/subscribe']);
    expect(en.lines[0]).toBe(
      'The US market is closed on 2026-11-21, so that day has no close; the next is 2026-11-23 21:00 (UTC): write until 2026-11-23 close.',
    );
    expect(await mutedUntil(en.chatId)).toBeNull();
  });

  test('GIVEN /mute 兩三個小時 and /mute an hour or two THEN the range line, one number asked for; not muted', async () => {
    const tw = await ask('zh-TW', '/mute 兩三個小時', ['/subscribe']);
    expect(tw.lines[0]).toBe('「兩三個小時」是一個範圍，不是單一長度：請只輸入一個數字，例如「2小時」或「3小時」。');
    expect(await mutedUntil(tw.chatId)).toBeNull();
    const en = await ask('en', '/mute an hour or two', ['/subscribe']);
    expect(en.lines[0]).toBe('"an hour or two" is a range, not one length: give a single number, e.g. 1h or 2h.');
  });

  test('GIVEN /move spx 10% 2d or 3d THEN the choice-of-two line quotes only what was typed', async () => {
    const en = await ask('en', '/move spx 10% 2d or 3d', ['/subscribe']);
    expect(en.lines[0]).toBe('"spx 10% 2d or 3d" is a choice of two: give one of them.');
  });

  test('GIVEN /chart spx 大前年, 去年全年, 去年第一季 THEN those calendar periods, whole, the caption naming them', async () => {
    // The closes here start on 2023-10-26: the caption says so, and ends at that year's last close.
    expect((await ask('zh-TW', '/chart spx 大前年')).lines).toEqual([
      '標普500/黃金，2023年10月26日至2023年12月29日',
      '標普500/黃金的資料始於2023年10月26日，因此圖表從該日起，而非2023年1月1日。',
    ]);
    expect((await ask('zh-CN', '/chart spx 去年全年')).lines).toEqual(['标普500/黄金，2025年1月1日至2025年12月31日']);
    expect((await ask('en', '/chart spx Q1 2025')).lines).toEqual(['SPX/Gold, 2025-01-01 to 2025-03-31']);
    expect((await ask('zh-TW', '/chart spx 去年第一季')).lines).toEqual(['標普500/黃金，2025年1月1日至2025年3月31日']);
    // Since the quarter: to the latest close.
    expect((await ask('en', '/chart spx since Q1 2025')).lines).toEqual(['SPX/Gold, since 2025-01-01']);
  });

  test('GIVEN /chart spx 幾月 THEN one line asking which month; no chart', async () => {
    const tw = await ask('zh-TW', '/chart spx 幾月');
    expect(tw.lines[0]).toBe('「幾月」問的是哪個月，並未指明月份：請寫出您指的月份，例如「2020年3月」，或往回的期間，例如「3個月」。');
  });
});
