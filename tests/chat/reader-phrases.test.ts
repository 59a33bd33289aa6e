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

describe('typed into Telegram (round 2): a close said with before, close of business, end of day, the weekend, a month’s close', () => {
  test('GIVEN /mute 明天收盤前, 明天收盘前, before tomorrow’s close, 收盤前 THEN muted to that close, as until it', async () => {
    const tw = await ask('zh-TW', '/mute 明天收盤前', ['/subscribe']);
    expect(tw.lines[0]).toBe('已靜音至2026年11月19日 21:00（UTC），即美股2026年11月19日收盤（紐約時間 16:00）。');
    expect(await mutedUntil(tw.chatId)).toBe(Date.parse('2026-11-19T21:00:00Z'));
    const cn = await ask('zh-CN', '/mute 明天收盘前', ['/subscribe']);
    expect(cn.lines[0]).toBe('已静音至2026年11月19日 21:00（UTC），即美股2026年11月19日收盘（纽约时间 16:00）。');
    const en = await ask('en', "/mute before tomorrow's close", ['/subscribe']);
    expect(en.lines[0]).toBe('Muted until 2026-11-19 21:00 (UTC), the close of 2026-11-19 (16:00 New York).');
    const today = await ask('zh-TW', '/mute 收盤前', ['/subscribe']);
    expect(today.lines[0]).toBe('已靜音至2026年11月18日 21:00（UTC）。');
    expect(await mutedUntil(today.chatId)).toBe(Date.parse('2026-11-18T21:00:00Z'));
  });

  test('GIVEN /mute until close of business, until COB THEN the market’s close, the reply saying so; until end of day, 到今天結束 THEN midnight, said so', async () => {
    for (const typed of ['/mute until close of business', '/mute until COB']) {
      const en = await ask('en', typed, ['/subscribe']);
      expect(en.lines.slice(0, 2)).toEqual([
        'Muted until 2026-11-18 21:00 (UTC).',
        "Close of business read as the US market's close; for midnight on this chat's clock, write until end of day.",
      ]);
      expect(await mutedUntil(en.chatId)).toBe(Date.parse('2026-11-18T21:00:00Z'));
    }
    const eod = await ask('en', '/mute until end of day', ['/subscribe']);
    expect(eod.lines.slice(0, 2)).toEqual([
      'Muted until 2026-11-19 00:00 (UTC).',
      "End of day read as midnight on this chat's clock; for the US market's close, write until close.",
    ]);
    const tw = await ask('zh-TW', '/mute 到今天結束', ['/subscribe']);
    expect(tw.lines.slice(0, 2)).toEqual(['已靜音至2026年11月19日 00:00（UTC）。', '「今天結束」以本對話時區的午夜計算；若要到美股收盤，請寫「到收盤」。']);
    const cn = await ask('zh-CN', '/mute until cob', ['/subscribe']);
    expect(cn.lines[1]).toBe('COB（close of business）按美股收盘计算；如要到本对话时区的午夜，请写“到今天结束”。');
    expect(await mutedUntil(cn.chatId)).toBe(Date.parse('2026-11-18T21:00:00Z'));
  });

  test('GIVEN /mute until the weekend, 到週末 on a Wednesday THEN to Friday’s close, named', async () => {
    const en = await ask('en', '/mute until the weekend', ['/subscribe']);
    expect(en.lines[0]).toBe('Muted until 2026-11-20 21:00 (UTC), the close of 2026-11-20 (16:00 New York).');
    expect(await mutedUntil(en.chatId)).toBe(Date.parse('2026-11-20T21:00:00Z'));
    const tw = await ask('zh-TW', '/mute 到週末', ['/subscribe']);
    expect(tw.lines[0]).toBe('已靜音至2026年11月20日 21:00（UTC），即美股2026年11月20日收盤（紐約時間 16:00）。');
  });

  test('GIVEN /mute until march close, 到下周收盘, 到週末收盤 THEN one line naming a trading day that works; not muted', async () => {
    const en = await ask('en', '/mute until march close', ['/subscribe']);
    expect(en.lines[0]).toBe('"until march close" names no one day, and a close is one day\'s: name the day, e.g. until 2027-03-31 close.');
    expect(await mutedUntil(en.chatId)).toBeNull();
    const cn = await ask('zh-CN', '/mute 到下周收盘', ['/subscribe']);
    expect(cn.lines[0]).toBe('“到下周收盘”没有指明哪一天，而收盘是某一天的收盘：请写出日期，例如“到2026年11月27日收盘”。');
    const tw = await ask('zh-TW', '/mute 到週末收盤', ['/subscribe']);
    expect(tw.lines[0]).toBe('「到週末收盤」並未指明哪一天，而收盤是某一天的收盤：請寫出日期，例如「到2026年11月20日收盤」。');
    // An open's example is the month's first trading day.
    expect((await ask('en', '/mute until march open', ['/subscribe'])).lines[0]).toBe(
      '"until march open" names no one day, and an open is one day\'s: name the day, e.g. until 2027-03-01 open.',
    );
    // The day named works as typed.
    const again = await ask('en', '/mute until 2027-03-31 close', ['/subscribe']);
    expect(again.lines[0]).toBe('Muted until 2027-03-31 20:00 (UTC), the close of 2027-03-31 (16:00 New York).');
  });
});

describe('typed into Telegram (round 2): ranges of minutes and hours in other forms', () => {
  test.each([
    ['zh-TW', '二三十分鐘', '「二三十分鐘」是一個範圍，不是單一長度：請只輸入一個數字，例如「20分鐘」或「30分鐘」。'],
    ['zh-CN', '十一二天', '“十一二天”是一个范围，不是单一时长：请只输入一个数字，例如“11天”或“12天”。'],
    ['zh-TW', '半小時到一小時', '「半小時到一小時」是一個範圍，不是單一長度：請只輸入一個數字，例如「30分鐘」或「60分鐘」。'],
    ['zh-CN', '半小时到一小时', '“半小时到一小时”是一个范围，不是单一时长：请只输入一个数字，例如“30分钟”或“60分钟”。'],
    ['en', '1.5-2 hours', '"1.5-2 hours" is a range, not one length: give a single number, e.g. 1.5h or 2h.'],
    ['en', '30-45 min', '"30-45 min" is a range, not one length: give a single number, e.g. 30m or 45m.'],
    ['en', '30 min to an hour', '"30 min to an hour" is a range, not one length: give a single number, e.g. 30m or 60m.'],
    ['en', '1h-1h30', '"1h-1h30" is a range, not one length: give a single number, e.g. 1h or 1.5h.'],
  ])('GIVEN a %s reader’s /mute %s THEN the one-number range line; not muted', async (lang, typed, line) => {
    const r = await ask(lang, `/mute ${typed}`, ['/subscribe']);
    expect(r.lines[0]).toBe(line);
    expect(await mutedUntil(r.chatId)).toBeNull();
  });

  test('GIVEN the example an answer gives (1.5h) THEN it mutes', async () => {
    const r = await ask('en', '/mute 1.5h', ['/subscribe']);
    expect(r.lines[0]).toBe('Muted until 2026-11-18 16:30 (UTC).');
  });

  test('GIVEN /chart spx 二三十天 (a span back as tens) THEN the range line in days; no chart', async () => {
    const r = await ask('zh-TW', '/chart spx 二三十天');
    expect(r.lines[0]).toBe('「二三十天」是一個範圍，不是單一長度：請只輸入一個數字，例如「20天」或「30天」。');
  });
});

describe('typed into Telegram (round 2): last quarter is the calendar quarter in /chart, as in /power and the CLI', () => {
  test('GIVEN /chart spx last quarter, previous quarter, 上季 THEN Q3 2026 drawn whole; past quarter and 近一季 THEN the 3M range', async () => {
    expect((await ask('en', '/chart spx last quarter')).lines).toEqual(['SPX/Gold, 2026-07-01 to 2026-09-30']);
    expect((await ask('en', '/chart spx previous quarter')).lines).toEqual(['SPX/Gold, 2026-07-01 to 2026-09-30']);
    expect((await ask('zh-TW', '/chart spx 上季')).lines).toEqual(['標普500/黃金，2026年7月1日至2026年9月30日']);
    expect((await ask('zh-CN', '/chart spx 上一季度')).lines).toEqual(['标普500/黄金，2026年7月1日至2026年9月30日']);
    expect((await ask('en', '/chart spx past quarter')).lines).toEqual(['SPX/Gold, 3M']);
    expect((await ask('zh-TW', '/chart spx 近一季')).lines).toEqual(['標普500/黃金，3個月']);
  });
});

describe('typed into Telegram (round 2): what readers type around these', () => {
  test.each([
    ['en', 'for the rest of the day', 'Muted until 2026-11-19 00:00 (UTC).', '2026-11-19T00:00:00Z'],
    ['en', 'until EOD today', 'Muted until 2026-11-19 00:00 (UTC).', '2026-11-19T00:00:00Z'],
    ['zh-TW', '今天結束前', '已靜音至2026年11月19日 00:00（UTC）。', '2026-11-19T00:00:00Z'],
    ['en', 'until after the close', 'Muted until 2026-11-18 21:00 (UTC).', '2026-11-18T21:00:00Z'],
    ['zh-CN', '到收盘后', '已静音至2026年11月18日 21:00（UTC）。', '2026-11-18T21:00:00Z'],
    ['en', 'until the end of march', 'Muted until 2027-04-01 00:00 (UTC).', '2027-04-01T00:00:00Z'],
    ['zh-TW', '到三月底', '已靜音至2027年4月1日 00:00（UTC）。', '2027-04-01T00:00:00Z'],
    ['zh-CN', '到12月底', '已静音至2027年1月1日 00:00（UTC）。', '2027-01-01T00:00:00Z'],
    // Tonight's midnight: read as today's 00:00 it was refused as passed.
    ['zh-TW', '到今晚12點', '已靜音至2026年11月19日 00:00（UTC）。', '2026-11-19T00:00:00Z'],
    ['en', 'till midnight tonight', 'Muted until 2026-11-19 00:00 (UTC).', '2026-11-19T00:00:00Z'],
    ['en', '2 and a half hours', 'Muted until 2026-11-18 17:30 (UTC).', '2026-11-18T17:30:00Z'],
    ['zh-TW', '一整天', '已靜音至2026年11月19日 15:00（UTC）。', '2026-11-19T15:00:00Z'],
  ])('GIVEN a %s reader’s /mute %s THEN %s', async (lang, typed, line, end) => {
    const r = await ask(lang, `/mute ${typed}`, ['/subscribe']);
    expect(r.lines[0]).toBe(line);
    expect(await mutedUntil(r.chatId)).toBe(Date.parse(end));
  });

  test('GIVEN /mute an hour or so, 一個小時左右, 大概半小时 THEN that length, the reply saying it is read exactly', async () => {
    const en = await ask('en', '/mute an hour or so', ['/subscribe']);
    expect(en.lines.slice(0, 2)).toEqual(['Muted until 2026-11-18 16:00 (UTC).', '“an hour or so” read as exactly that length.']);
    expect(await mutedUntil(en.chatId)).toBe(Date.parse('2026-11-18T16:00:00Z'));
    const tw = await ask('zh-TW', '/mute 一個小時左右', ['/subscribe']);
    expect(tw.lines.slice(0, 2)).toEqual(['已靜音至2026年11月18日 16:00（UTC）。', '「一個小時左右」以剛好該長度計算。']);
    const cn = await ask('zh-CN', '/mute 大概半小时', ['/subscribe']);
    expect(cn.lines.slice(0, 2)).toEqual(['已静音至2026年11月18日 15:30（UTC）。', '“大概半小时”按刚好该时长计算。']);
  });

  test('GIVEN /mute for 20-30 minutes, 二三十分 THEN the range line; /chart spx prior quarter, 前一季 THEN Q3 2026', async () => {
    expect((await ask('en', '/mute for 20-30 minutes', ['/subscribe'])).lines[0]).toBe(
      '"20-30 minutes" is a range, not one length: give a single number, e.g. 20m or 30m.',
    );
    expect((await ask('zh-CN', '/mute 二三十分', ['/subscribe'])).lines[0]).toBe(
      '“二三十分”是一个范围，不是单一时长：请只输入一个数字，例如“20分钟”或“30分钟”。',
    );
    expect((await ask('en', '/chart spx prior quarter')).lines).toEqual(['SPX/Gold, 2026-07-01 to 2026-09-30']);
    expect((await ask('zh-TW', '/chart spx 前一季')).lines).toEqual(['標普500/黃金，2026年7月1日至2026年9月30日']);
  });
});
