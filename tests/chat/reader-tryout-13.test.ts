/**
 * A reader's tryout in three languages (round 13), typed into the Telegram fake and the Discord fake,
 * answered by the real bots (their data made to Wednesday 2026-11-18, read on Monday 2026-12-07, 10:00
 * in New York, as a bot whose sources went quiet for weeks reads it): a future word
 * where no date is taken (/history 明年), the future refusal naming the latest close the data holds,
 * numbers in refusals grouped as every other number, and the zone buttons named by their places.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FakeUser } from '../fakes/telegram.ts';
import { type RunningBots, startBothBots, stopBothBots } from '../helpers/discord-harness.ts';
import { type Lang, linesOf, readerTryout } from '../helpers/reader-tryout.ts';
import { nextAnswer } from '../helpers/telegram-harness.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { moveMessage } from '../../src/domain/move-message.ts';
import { localize } from '../../src/domain/message.ts';

const WEDNESDAY_10_NY = Date.parse('2026-11-18T15:00:00Z');
const MONDAY_10_NY = Date.parse('2026-12-07T15:00:00Z');
let clock = WEDNESDAY_10_NY;
let bots: RunningBots;

beforeAll(async () => {
  bots = await startBothBots(() => clock);
  clock = MONDAY_10_NY;
});
afterAll(() => stopBothBots(bots));

const { nextChatId, telegramCall, telegram, discord } = readerTryout(() => bots, 13000, 913000000000000001n);

/** The latest close the world's data holds (either ratio's): what a future refusal names. */
async function latestClose(): Promise<string> {
  const snap = await bots.world.deps.view.snapshot();
  return [snap.ratio('spx-gold').at(-1)!.date, snap.ratio('qqq-gold').at(-1)!.date].sort().at(-1)!;
}

describe('a future word where a command takes no date', () => {
  const FUTURE: Readonly<Record<Lang, (input: string) => string>> = {
    en: (input) => `Date "${input}" is in the future (today is 2026-12-07; the latest close on record is 2026-11-18).`,
    'zh-TW': (input) => `日期「${input}」尚未到來（今天是2026年12月7日，目前最新的收盤資料為2026年11月18日）。`,
    'zh-CN': (input) => `日期“${input}”尚未到来（今天是2026年12月7日，目前最新的收盘数据为2026年11月18日）。`,
  };

  test('GIVEN the world’s data THEN its latest close is weeks before the clock’s today (what the refusals below name)', async () => {
    expect(await latestClose()).toBe('2026-11-18');
  });

  test.each([
    ['zh-TW', '/history 明年', '明年', '/history [spx|qqq]'],
    ['zh-CN', '/history 明年', '明年', '/history [spx|qqq]'],
    ['en', '/history next year', 'next year', '/history [spx|qqq]'],
    ['en', '/history spx next year', 'next year', '/history [spx|qqq]'],
    ['zh-TW', '/history 標普 下個月', '下個月', '/history [spx|qqq]'],
    ['zh-CN', '/ratio 后天', '后天', '/ratio [spx|qqq]'],
    ['en', '/ratio tomorrow', 'tomorrow', '/ratio [spx|qqq]'],
    ['zh-TW', '/levels 2099', '2099', '/levels [spx|qqq]'],
    ['en', '/levels qqq 2099-01-01', '2099-01-01', '/levels [spx|qqq]'],
    ['zh-TW', '/status 明天', '明天', '/status'],
    ['en', '/status the day after tomorrow', 'the day after tomorrow', '/status'],
    // Full-width digits, as a Chinese keyboard types them, and a question after it.
    ['zh-CN', '/history ２０９９年？', '２０９９年', '/history [spx|qqq]'],
  ] as const)('GIVEN a %s reader typing %s THEN refused as in the future, as /chart refuses it, with the usage', async (lang, text, input, usage) => {
    const lines = await telegram(lang, text);
    expect(lines[0]).toBe(FUTURE[lang](input));
    expect(lines.at(-1)).toBe(usage);
  });

  test.each([
    ['zh-TW', '/chart spx 後年', '後年'],
    ['zh-TW', '/power 大後年', '大後年'],
    ['zh-CN', '/chart qqq 下下个月', '下下个月'],
    ['zh-TW', '/chart spx 下下週', '下下週'],
    ['zh-TW', '/ratio 下週一', '下週一'],
    ['zh-CN', '/history 下个星期五', '下个星期五'],
    ['zh-TW', '/power 明後天', '明後天'],
    ['en', '/chart spx the year after next', 'the year after next'],
    ['en', '/power next friday', 'next friday'],
    // A word read as a date (今年底 is 2026-12-31 here) is named as typed, not as the date it was read as.
    ['zh-TW', '/chart spx 今年底', '今年底'],
  ] as const)(
    'GIVEN a %s reader typing %s (a future word that read as no date, or named as read) THEN refused as in the future, naming it as typed',
    async (lang, text, input) => {
      expect((await telegram(lang, text))[0]).toBe(FUTURE[lang](input));
    },
  );

  test('GIVEN /chart 明年 and /power next month THEN the same refusal, naming the latest close, not today’s month', async () => {
    expect((await telegram('zh-TW', '/chart 明年'))[0]).toBe(FUTURE['zh-TW']('明年'));
    expect((await telegram('en', '/power next month'))[0]).toBe(FUTURE.en('next month'));
    expect((await discord('zh-CN', 'power', { base: '下个月' }))[0]).toBe(FUTURE['zh-CN']('下个月'));
  });

  test('GIVEN Discord /history with its pair option typed 明年 THEN refused as in the future, as on Telegram', async () => {
    expect((await discord('zh-TW', 'history', { pair: '明年' }))[0]).toBe(FUTURE['zh-TW']('明年'));
  });

  test('GIVEN a past date or a span where no date is taken THEN said that the command takes none, with the chart of that time to type (its pair kept)', async () => {
    expect((await telegram('en', '/history 2020'))[0]).toBe('/history takes no date ("2020"): for that time, try /chart spx 2020.');
    expect((await telegram('en', '/history qqq 2008'))[0]).toBe('/history takes no date ("2008"): for that time, try /chart qqq 2008.');
    expect((await telegram('zh-TW', '/ratio 去年'))[0]).toBe('/ratio 不接受日期（「去年」）：要看那段時間，請用 /chart spx 去年。');
    expect((await telegram('zh-CN', '/levels 纳指 5年'))[0]).toBe('/levels 不接受日期（“5年”）：要看那段时间，请用 /chart qqq 5年。');
  });

  test('GIVEN no date at all, or a future word to /unmute (a setting) THEN the refusals they had', async () => {
    expect((await telegram('en', '/history hello'))[0]).toBe('Unknown pair "hello": use spx or qqq.');
    expect((await telegram('zh-CN', '/unmute 明天'))[0]).toBe('此命令用不到“明天”。');
  });
});

describe('numbers in refusals', () => {
  test('GIVEN a move span past the most THEN its trading days and the most grouped as the language groups numbers', async () => {
    expect((await telegram('en', '/move spx 10 100y'))[0]).toBe(
      '"100y" is 25,200 trading days (252 a year); a move spans at most 5 years (1,260 trading days).',
    );
    expect((await telegram('zh-TW', '/move 標普 10 70個月'))[0]).toBe(
      '「70個月」是 1,470 個交易日（每月 21 個）；急漲急跌的期間最多 60 個月（1,260 個交易日）。',
    );
    expect((await telegram('zh-CN', '/move 标普 10 5000'))[0]).toBe(
      '天数必须是 1 到 1,260 之间的整数（交易日），例如 20，也可写周、月、年，例如 4周、3个月、1年；您输入的是“5000”。',
    );
  });

  test('GIVEN a year typed where none is read THEN it stays as typed, never grouped (2,099)', async () => {
    expect((await telegram('en', '/move spx 2099 20'))[0]).toBe('Percent must be a number from 1 to 100, like 10, got "2099".');
  });
});

describe('numbers in move replies and alerts', () => {
  test('GIVEN /move spx 10 5y THEN the reply and the list name 1,260 trading days, grouped as in a refusal', async () => {
    const chatId = nextChatId();
    const user: FakeUser = { id: chatId, first_name: 'Lin', language_code: 'en' };
    await nextAnswer(bots.tgFake, chatId, '/subscribe', user);
    const added = linesOf(await nextAnswer(bots.tgFake, chatId, '/move spx 10 5y', user));
    expect(added.slice(0, 2)).toEqual(['Move alert added: SPX/Gold: 10% or more over 1,260 trading days.', '5 years read as 1,260 trading days (252 a year).']);
    const tw = { ...user, language_code: 'zh-TW' };
    expect(linesOf(await nextAnswer(bots.tgFake, chatId, '/lang zh-TW', tw))[0]).toBe('語言已設為繁體中文。');
    expect(linesOf(await nextAnswer(bots.tgFake, chatId, '/move', tw))[1]).toBe('• 標普500/黃金：1,260 個交易日內漲跌 10% 以上 /move remove spx 10 1260');
  });

  test('GIVEN a move alert over 1,260 trading days THEN its title and its watch line group the days in each language', () => {
    const m = moveMessage({
      date: '2026-11-17',
      pair: 'spx-gold',
      pct: 50,
      days: 1260,
      direction: 'down',
      changePct: -52,
      fromDate: '2021-11-17',
      fromValue: 2.5,
      value: 1.2,
    });
    const en = localize(m, 'en');
    expect(en.title).toBe('SPX/Gold fell 52.0% in 1,260 trading days: now 1.200');
    expect(en.lines).toContain("This chat's move alert: 50% or more over 1,260 trading days");
    expect(localize(m, 'zh-CN').lines).toContain('本聊天的急涨急跌提醒：1,260 个交易日内涨跌 50% 以上');
  });
});

describe('zone buttons', () => {
  const LABELS: Readonly<Record<Lang, readonly string[]>> = {
    en: ['Taipei', 'Hong Kong', 'Beijing', 'Singapore', 'New York', 'London', 'UTC'],
    'zh-TW': ['台北', '香港', '北京', '新加坡', '紐約', '倫敦', 'UTC'],
    'zh-CN': ['北京', '台北', '香港', '新加坡', '纽约', '伦敦', 'UTC'],
  };
  type Keyboard = { inline_keyboard: { text: string; callback_data: string }[][] };

  test.each(['en', 'zh-TW', 'zh-CN'] as const)(
    'GIVEN /digest 08:00 and /quiet 23:00-07:00 with no zone in a %s chat THEN the buttons name places in the reader’s language; a press stores the IANA zone',
    async (lang) => {
      const asked = await telegramCall(lang, '/digest 08:00');
      const buttons = (asked.call.params.reply_markup as Keyboard).inline_keyboard.flat();
      expect(buttons.map((b) => b.text)).toEqual(LABELS[lang]);
      expect(buttons.every((b) => /^digest:0800:(?:[A-Za-z_]+\/[A-Za-z_]+|UTC)$/.test(b.callback_data))).toBe(true);
      // The first: the reader's own place, stored as its IANA zone.
      const from = bots.tgFake.calls.length;
      bots.tgFake.callbackQuery(asked.chatId, (asked.call.result as { message_id: number }).message_id, buttons[0]!.callback_data, asked.user);
      await bots.tgFake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(asked.chatId), undefined, from);
      const sub = await bots.world.deps.subs.get('telegram', String(asked.chatId));
      const setting = sub && (await bots.world.deps.digests!.get(sub.id));
      expect(setting?.timezone).toBe(lang === 'zh-CN' ? 'Asia/Shanghai' : 'Asia/Taipei');
      const quiet = (await telegramCall(lang, '/quiet 23:00-07:00')).call;
      expect((quiet.params.reply_markup as Keyboard).inline_keyboard.flat().map((b) => b.text)).toEqual(LABELS[lang]);
    },
  );

  test('GIVEN /digest 08:00 CST THEN a button per zone it may name, each a place in the reader’s language', async () => {
    const asked = (await telegramCall('en', '/digest 08:00 CST')).call;
    const buttons = (asked.params.reply_markup as Keyboard).inline_keyboard.flat();
    expect(buttons.map((b) => [b.text, b.callback_data])).toEqual([
      ['Chicago', 'digest:0800:America/Chicago'],
      ['Taipei', 'digest:0800:Asia/Taipei'],
      ['Beijing', 'digest:0800:Asia/Shanghai'],
      ['Havana', 'digest:0800:America/Havana'],
    ]);
  });

  test('GIVEN /mute until 9am with no zone in a zh-TW chat THEN its zone buttons name places too', async () => {
    const chatId = nextChatId();
    const user: FakeUser = { id: chatId, first_name: 'Lin', language_code: 'zh-TW' };
    await nextAnswer(bots.tgFake, chatId, '/subscribe', user);
    const asked = await nextAnswer(bots.tgFake, chatId, '/mute 到早上9點', user);
    const labels = (asked.params.reply_markup as Keyboard | undefined)?.inline_keyboard.flat().map((b) => b.text);
    expect(labels).toEqual(LABELS['zh-TW']);
  });
});

describe('the dividends note', () => {
  test('GIVEN /power in each language THEN the note names both indices, that dividends are left out, and M2, as the Chinese ones do', async () => {
    // M2 for the span (the world holds the closes alone): the verdict against it, and the note under it.
    const months = Array.from({ length: 34 }, (_, i) => ({
      date: `${2024 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`,
      close: 21000 + 50 * i,
      source: 'test',
    }));
    await new QuoteStore(onSqlite(bots.world.db)).upsertCloses('m2', months);
    const note = (lines: string[]) => lines.find((l) => /dividend|股息/.test(l));
    expect(note(await telegram('en', '/power 1y'))).toBe('Both are price indices, dividends left out: reinvested, each does better versus M2 than shown.');
    expect(note(await telegram('zh-TW', '/power 1y'))).toBe('標普500與 QQQ 為價格指數，未計入股息；若股息再投入，相對 M2 的表現會比這裡顯示的更好。');
    expect(note(await telegram('zh-CN', '/power 1y'))).toBe('标普500和 QQQ 为价格指数，未计入股息；若股息再投资，相对 M2 的表现会比这里显示的更好。');
  });
});

describe('an inline query', () => {
  test('GIVEN @bot spx 明年 by a zh-TW user THEN the help card’s line says the date is in the future, naming the latest close, as the command does', async () => {
    const call = await bots.tgFake.inlineAnswer(bots.tgFake.inlineQuery('spx 明年', { id: 13999, first_name: 'Lin', language_code: 'zh-TW' }));
    const [card] = call.params.results as { type: string; description?: string }[];
    expect(card).toMatchObject({ type: 'article', description: '日期「明年」尚未到來（今天是2026年12月7日，目前最新的收盤資料為2026年11月18日）。' });
  });
});
