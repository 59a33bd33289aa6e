/**
 * The dates /power and /chart take as people write a period: a quarter (Q1 2020, 2020Q1,
 * 2020年第一季, 2020年一季度), a half year (H1 2020, 2020年上半年), a year's start or end
 * (2020年初, 2020年底, end of 2020), in each language; and 100年 outside a zh-TW chat, where
 * a 民國 year is no reading a reader there would make alone.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { findCommand } from '../../src/chat/registry.ts';
import { plainText, type Reply } from '../../src/chat/reply.ts';
import { commandWords } from '../../src/chat/command-words.ts';
import { chatCtx, chatWorld, type ChatWorld, type TestContext } from '../helpers/chat.ts';

let w: ChatWorld;
beforeEach(() => {
  w = chatWorld();
});
afterEach(() => w.close());

const tw = () => chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' });
const cn = () => chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' });
/** A command line as typed after the command's name, split as Telegram's handler splits it. */
const ask = (name: string, typed: string, ctx: TestContext = chatCtx()): Promise<Reply> => findCommand(name)!.run(w.deps, ctx, commandWords(typed));

describe('a period as a date', () => {
  test.each([
    ['Q1 2020 Q4 2020', 'en', 'SPX/Gold, 2020-01-01 to 2020-12-31', '2020-01-01', '2020-12-31'],
    ['2020Q1 2020q2', 'en', 'SPX/Gold, 2020-01-01 to 2020-06-30', '2020-01-01', '2020-06-30'],
    ['q3-2021 to Q3 2021', 'en', 'SPX/Gold, 2021-07-01 to 2021-09-30', '2021-07-01', '2021-09-30'],
    ['H1 2020 H1 2020', 'en', 'SPX/Gold, 2020-01-01 to 2020-06-30', '2020-01-01', '2020-06-30'],
    ['2020 H2 2021 H1', 'en', 'SPX/Gold, 2020-07-01 to 2021-06-30', '2020-07-01', '2021-06-30'],
    ['start of 2020 to end of 2021', 'en', 'SPX/Gold, 2020-01-01 to 2021-12-31', '2020-01-01', '2021-12-31'],
    ['2020年第一季 2020年第一季', 'zh-TW', '標普500/黃金，2020年1月1日至2020年3月31日', '2020-01-01', '2020-03-31'],
    ['２０２０年第４季 ２０２１年第１季', 'zh-TW', '標普500/黃金，2020年10月1日至2021年3月31日', '2020-10-01', '2021-03-31'],
    ['2020年首季至2020年上半年', 'zh-TW', '標普500/黃金，2020年1月1日至2020年6月30日', '2020-01-01', '2020-06-30'],
    ['2020年初 2021年底', 'zh-TW', '標普500/黃金，2020年1月1日至2021年12月31日', '2020-01-01', '2021-12-31'],
    ['2020年一季度 2020年三季度', 'zh-CN', '标普500/黄金，2020年1月1日至2020年9月30日', '2020-01-01', '2020-09-30'],
    ['2020年上半年-2020年下半年', 'zh-CN', '标普500/黄金，2020年1月1日至2020年12月31日', '2020-01-01', '2020-12-31'],
    ['2019年底 2020年底', 'zh-CN', '标普500/黄金，2019年12月31日至2020年12月31日', '2019-12-31', '2020-12-31'],
  ] as const)('GIVEN /chart spx %s in a %s chat THEN that window, named in the reply', async (typed, lang, title, from, to) => {
    const ctx = lang === 'en' ? chatCtx() : lang === 'zh-TW' ? tw() : cn();
    const r = await ask('chart', `spx ${typed}`, ctx);
    expect(plainText(r).split('\n')[0]).toBe(title);
    expect(r.chart).toMatchObject({ window: { from, to } });
  });

  test.each([
    ['Q1 2020', chatCtx, 'Cannot index from 2020-01-01: no M2 money supply data is stored yet.'],
    ['H2 2020', chatCtx, 'Cannot index from 2020-07-01: no M2 money supply data is stored yet.'],
    ['2020年初', tw, '無法從2020年1月1日起計算指數：尚未儲存任何 M2 貨幣供給資料。'],
    ['2020年第一季', tw, '無法從2020年1月1日起計算指數：尚未儲存任何 M2 貨幣供給資料。'],
    ['2020年底', cn, '无法从2020年12月31日起计算指数：尚未存储任何 M2 货币供应数据。'],
    ['2020年二季度', cn, '无法从2020年4月1日起计算指数：尚未存储任何 M2 货币供应数据。'],
  ] as const)('GIVEN /power %s THEN indexed from that period start, the date named', async (typed, ctx, text) => {
    expect(plainText(await ask('power', typed, ctx()))).toBe(text);
  });

  test('GIVEN a quarter not yet begun, or no quarter (Q5) THEN refused naming it, in each language', async () => {
    expect(plainText(await ask('power', 'Q1 2027')).split('\n')[0]).toBe(
      'Date "Q1 2027" is in the future (today is 2026-11-21; the latest close on record is 2026-11-20).',
    );
    expect(plainText(await ask('power', '2027年第一季', tw())).split('\n')[0]).toBe(
      '日期「2027年第一季」尚未到來（今天是2026年11月21日，目前最新的收盤資料為2026年11月20日）。',
    );
    expect(plainText(await ask('power', 'Q5 2020', cn())).split('\n')[0]).toBe('日期须为某日、某月或某年（1999-03-10、2020-03、2020）；您输入的是“Q5”。');
  });
});

describe('a date after today said in words', () => {
  // Today in New York is 2026-11-21 (chatCtx's NOW_MS): each is refused as in the future, naming
  // today and the latest close on record, where it was "a date is a day, a month or a year".
  const en = 'Date "{w}" is in the future (today is 2026-11-21; the latest close on record is 2026-11-20).';
  const zhTW = '日期「{w}」尚未到來（今天是2026年11月21日，目前最新的收盤資料為2026年11月20日）。';
  const zhCN = '日期“{w}”尚未到来（今天是2026年11月21日，目前最新的收盘数据为2026年11月20日）。';
  test.each([
    ['next year', chatCtx, en],
    ['tomorrow', chatCtx, en],
    ['the day after tomorrow', chatCtx, en],
    ['Next Month', chatCtx, en],
    ['2099-01-01', chatCtx, en],
    ['明年', tw, zhTW],
    ['明天', tw, zhTW],
    ['下個月', tw, zhTW],
    ['下週', tw, zhTW],
    ['明年', cn, zhCN],
    ['明天', cn, zhCN],
    ['下个月', cn, zhCN],
    ['後天', cn, zhCN],
  ] as const)(
    'GIVEN /power %s, /power 2020 %s and /chart spx %s THEN refused as in the future in the chat’s language, nothing else said as wrong',
    async (typed, ctx, text) => {
      const said = text.replace('{w}', typed);
      expect(plainText(await ask('power', typed, ctx())).split('\n')[0]).toBe(said);
      expect(plainText(await ask('power', `2020 ${typed}`, ctx())).split('\n')[0]).toBe(said);
      const chart = await findCommand('chart')!.run(w.deps, ctx(), ['spx', ...typed.split(' ')]);
      expect(plainText(chart).split('\n')[0]).toBe(said);
    },
  );
});

describe('100年 outside a zh-TW chat', () => {
  test('GIVEN /power 100年 in an English chat THEN refused offering both readings (100 years back, 民國100年 = 2011), nothing guessed', async () => {
    const r = await ask('power', '100年');
    expect([r.status, plainText(r).split('\n')[0]]).toEqual([
      'usage',
      '"100年" could be 100 years back (write 100y) or, as Taiwan counts years, 民國100年, which is 2011 (write 2011).',
    ]);
    expect(plainText(await ask('chart', 'spx 100年')).split('\n')[0]).toBe(
      '"100年" could be 100 years back (write 100y) or, as Taiwan counts years, 民國100年, which is 2011 (write 2011).',
    );
    // What either reading says is still read: 100y, 2011, 民國100年.
    expect(plainText(await ask('power', '2011'))).toBe('Cannot index from 2011-01-01: no M2 money supply data is stored yet.');
    expect(plainText(await ask('power', '民國100年'))).toBe('Cannot index from 2011-01-01: no M2 money supply data is stored yet.');
  });

  test('GIVEN 110年3月 (a 民國 month) in English and Simplified Chinese chats THEN refused naming its date; in zh-TW read as it', async () => {
    expect(plainText(await ask('power', '110年3月')).split('\n')[0]).toBe(
      '"110年3月" is a date as Taiwan counts years (民國), that is 2021年3月: write 2021年3月.',
    );
    expect(plainText(await ask('power', '110年3月', cn())).split('\n')[0]).toBe('“110年3月”是台湾的民国纪年写法，即 2021年3月：请直接写 2021年3月。');
    expect(plainText(await ask('power', '109年第一季', cn())).split('\n')[0]).toBe(
      '“109年第一季”是台湾的民国纪年写法，即 2020年第一季：请直接写 2020年第一季。',
    );
    expect(plainText(await ask('power', '109年第一季', tw()))).toBe('無法從2020年1月1日起計算指數：尚未儲存任何 M2 貨幣供給資料。');
    expect(plainText(await ask('power', '110年3月', tw()))).toBe('無法從2021年3月1日起計算指數：尚未儲存任何 M2 貨幣供給資料。');
  });
});

describe('a date as investors say it relative to this year, and with a sentence around it', () => {
  // Today is 2026-11-21.
  test.each([
    ['去年底', tw, '無法從2025年12月31日起計算指數：尚未儲存任何 M2 貨幣供給資料。'],
    ['今年初', tw, '無法從2026年1月1日起計算指數：尚未儲存任何 M2 貨幣供給資料。'],
    ['自去年年底', cn, '无法从2025年12月31日起计算指数：尚未存储任何 M2 货币供应数据。'],
    ['前年第一季', cn, '无法从2024年1月1日起计算指数：尚未存储任何 M2 货币供应数据。'],
    ['2020年。', tw, '無法從2020年1月1日起計算指數：尚未儲存任何 M2 貨幣供給資料。'],
    ['2020.', chatCtx, 'Cannot index from 2020-01-01: no M2 money supply data is stored yet.'],
    ['03/2020', chatCtx, 'Cannot index from 2020-03-01: no M2 money supply data is stored yet.'],
    ['since the start of 2020', chatCtx, 'Cannot index from 2020-01-01: no M2 money supply data is stored yet.'],
    ['the end of 2019', chatCtx, 'Cannot index from 2019-12-31: no M2 money supply data is stored yet.'],
  ] as const)('GIVEN /power %s THEN indexed from that day, named', async (typed, ctx, text) => {
    expect(plainText(await ask('power', typed, ctx()))).toBe(text);
  });

  test('GIVEN /chart spx 去年底 今年初 THEN the chart of 2025-12-31 to 2026-01-01', async () => {
    const r = await ask('chart', 'spx 去年底 今年初', tw());
    expect(r.status).toBe('ok');
    expect(r.chart).toEqual((await ask('chart', 'spx 2025-12-31 2026-01-01', tw())).chart);
  });
});

describe('periods as investors write them (round 5)', () => {
  test.each([
    ["Q1'20 Q4'21", 'en', 'SPX/Gold, 2020-01-01 to 2021-12-31', '2020-01-01', '2021-12-31'],
    ['1Q20 2Q20', 'en', 'SPX/Gold, 2020-01-01 to 2020-06-30', '2020-01-01', '2020-06-30'],
    ["2H19 Q1'20", 'en', 'SPX/Gold, 2019-07-01 to 2020-03-31', '2019-07-01', '2020-03-31'],
    // Two years, the second cut short: from the first to the second, named.
    ['2020-21', 'en', 'SPX/Gold, 2020-01-01 to 2021-12-31', '2020-01-01', '2021-12-31'],
    ['1999-00', 'en', 'SPX/Gold, 1999-01-01 to 2000-12-31', '1999-01-01', '2000-12-31'],
    ['2019–20', 'zh-TW', '標普500/黃金，2019年1月1日至2020年12月31日', '2019-01-01', '2020-12-31'],
    ['2020-21', 'zh-CN', '标普500/黄金，2020年1月1日至2021年12月31日', '2020-01-01', '2021-12-31'],
  ] as const)('GIVEN /chart spx %s in a %s chat THEN that window, named in the reply', async (typed, lang, title, from, to) => {
    const ctx = lang === 'en' ? chatCtx() : lang === 'zh-TW' ? tw() : cn();
    const r = await ask('chart', `spx ${typed}`, ctx);
    expect(plainText(r).split('\n')[0]).toBe(title);
    expect(r.chart).toMatchObject({ window: { from, to } });
  });

  test.each([
    ["Q1'20", chatCtx, 'Cannot index from 2020-01-01: no M2 money supply data is stored yet.'],
    ['1Q20', chatCtx, 'Cannot index from 2020-01-01: no M2 money supply data is stored yet.'],
    // last year is the calendar year before, as 去年 is; the past year is twelve months back.
    ['since last year', chatCtx, 'Cannot index from 2025-01-01: no M2 money supply data is stored yet.'],
    ['last year', chatCtx, 'Cannot index from 2025-01-01: no M2 money supply data is stored yet.'],
    // previous year as last year is, as previous month and previous quarter are calendar ones.
    ['previous year', chatCtx, 'Cannot index from 2025-01-01: no M2 money supply data is stored yet.'],
    ['since previous year', chatCtx, 'Cannot index from 2025-01-01: no M2 money supply data is stored yet.'],
    ['自去年', tw, '無法從2025年1月1日起計算指數：尚未儲存任何 M2 貨幣供給資料。'],
    ['去年以来', cn, '无法从2025年1月1日起计算指数：尚未存储任何 M2 货币供应数据。'],
    ['the past year', chatCtx, 'Cannot index from 2025-11-21: no M2 money supply data is stored yet.'],
    ['過去一年', tw, '無法從2025年11月21日起計算指數：尚未儲存任何 M2 貨幣供給資料。'],
    ['近5年', tw, '無法從2021年11月21日起計算指數：尚未儲存任何 M2 貨幣供給資料。'],
    ['last ten years', chatCtx, 'Cannot index from 2016-11-21: no M2 money supply data is stored yet.'],
    // A month named alone after since: its latest 1st (December's is last year's on 2026-11-21).
    ['since march', chatCtx, 'Cannot index from 2026-03-01: no M2 money supply data is stored yet.'],
    ['since Dec', chatCtx, 'Cannot index from 2025-12-01: no M2 money supply data is stored yet.'],
    ['since yesterday', chatCtx, 'Cannot index from 2026-11-20: no M2 money supply data is stored yet.'],
    ['从昨天起', cn, '无法从2026年11月20日起计算指数：尚未存储任何 M2 货币供应数据。'],
  ] as const)('GIVEN /power %s THEN indexed from that start, the date named', async (typed, ctx, text) => {
    expect(plainText(await ask('power', typed, ctx()))).toBe(text);
  });

  test.each([
    [
      'power',
      'FY2020',
      chatCtx,
      '"FY2020" is a fiscal year, and each company\'s and country\'s starts in its own month: give the months, like 2019-10 2020-09, or the calendar year, 2020.',
    ],
    [
      'chart',
      'spx FY20',
      chatCtx,
      '"FY20" is a fiscal year, and each company\'s and country\'s starts in its own month: give the months, like 2019-10 2020-09, or the calendar year, 2020.',
    ],
    ['power', '2020財年', tw, '「2020財年」是會計年度，各公司、各國的起始月份都不同：請直接寫月份，例如 2019-10 2020-09，或寫日曆年 2020。'],
    ['power', '2020财年', cn, '“2020财年”是财年，各公司、各国的起始月份都不同：请直接写月份，例如 2019-10 2020-09，或写自然年 2020。'],
    ['power', 'mid 2020', chatCtx, '"mid 2020" is no one date: give a month, like 2020-06 or 2020-07, or a half, like H1 2020.'],
    ['chart', 'spx mid-2020', chatCtx, '"mid-2020" is no one date: give a month, like 2020-06 or 2020-07, or a half, like H1 2020.'],
    ['power', '2020年中', tw, '「2020年中」不是明確的日期：請寫月份，例如 2020-06 或 2020-07，或寫半年，例如 2020年上半年。'],
    ['chart', 'spx 2020年中', cn, '“2020年中”不是明确的日期：请写月份，例如 2020-06 或 2020-07，或写半年，例如 2020年上半年。'],
    ['power', 'since covid', chatCtx, '"covid" is no date: give the date you mean, like since 2020-03.'],
    ['chart', 'spx since covid', chatCtx, '"covid" is no date: give the date you mean, like since 2020-03.'],
    ['chart', 'spx 自疫情以來', tw, '「疫情」不是日期：請寫出您指的日期，例如 2020年3月以來。'],
    ['power', '从新冠以来', cn, '“新冠”不是日期：请写出您指的日期，例如 2020年3月以来。'],
  ] as const)('GIVEN /%s %s THEN one line saying why it names no date, with a form that works', async (name, typed, ctx, text) => {
    const r = await ask(name, typed, ctx());
    expect([r.status, plainText(r).split('\n')[0]]).toEqual(['usage', text]);
  });
});

test.each([
  ['spx five years', 'SPX/Gold, 5Y'],
  ['spx past three months', 'SPX/Gold, 3M'],
])('GIVEN /chart %s, the count spelt out THEN that range', async (typed, title) => {
  expect(plainText(await ask('chart', typed)).split('\n')[0]).toBe(title);
});

describe('an end that is today, a decade, all time (round 5)', () => {
  // The world's closes start 2025-12-31 and end 2026-11-20: the window is the closes it shows.
  test.each([
    ['spx 2025-12 to now', chatCtx, 'SPX/Gold, 2025-12-31 to 2026-11-20', '2025-12-31', '2026-11-20'],
    ['spx 2025-12 - present', chatCtx, 'SPX/Gold, 2025-12-31 to 2026-11-20', '2025-12-31', '2026-11-20'],
    ['spx 2025-12 to today', chatCtx, 'SPX/Gold, 2025-12-31 to 2026-11-20', '2025-12-31', '2026-11-20'],
    ['標普 2025年12月到現在', tw, '標普500/黃金，2025年12月31日至2026年11月20日', '2025-12-31', '2026-11-20'],
    ['标普 从2025年12月到现在', cn, '标普500/黄金，2025年12月31日至2026年11月20日', '2025-12-31', '2026-11-20'],
  ] as const)('GIVEN /chart %s THEN from that start to today', async (typed, ctx, title, from, to) => {
    const r = await ask('chart', typed, ctx());
    expect(plainText(r).split('\n')[0]).toBe(title);
    expect(r.chart).toMatchObject({ window: { from, to } });
  });

  test.each([
    ['chart', 'spx last decade', chatCtx, 'SPX/Gold, 10Y'],
    ['chart', 'spx all time', chatCtx, 'SPX/Gold, MAX'],
    ['power', 'last decade', chatCtx, 'Cannot index from 2016-11-21: no M2 money supply data is stored yet.'],
    ['power', '2 decades', chatCtx, 'Cannot index from 2006-11-21: no M2 money supply data is stored yet.'],
  ] as const)('GIVEN /%s %s THEN read as meant', async (name, typed, ctx, text) => {
    expect(plainText(await ask(name, typed, ctx())).split('\n')[0]).toBe(text);
  });
});

describe('a calendar month or quarter named from today’s (round 6)', () => {
  // Today is 2026-11-21: last month is October, last quarter Q3 (July to September), this quarter Q4.
  test.each([
    ['上個月', tw, '無法從2026年10月1日起計算指數：尚未儲存任何 M2 貨幣供給資料。'],
    ['上一季', tw, '無法從2026年7月1日起計算指數：尚未儲存任何 M2 貨幣供給資料。'],
    ['自上個月以來', tw, '無法從2026年10月1日起計算指數：尚未儲存任何 M2 貨幣供給資料。'],
    ['上个月', cn, '无法从2026年10月1日起计算指数：尚未存储任何 M2 货币供应数据。'],
    ['本季度', cn, '无法从2026年10月1日起计算指数：尚未存储任何 M2 货币供应数据。'],
    ['last quarter', chatCtx, 'Cannot index from 2026-07-01: no M2 money supply data is stored yet.'],
    // English last month is the calendar month, as 上個月 is (and last year 去年's year).
    ['last month', chatCtx, 'Cannot index from 2026-10-01: no M2 money supply data is stored yet.'],
    ['since last month', chatCtx, 'Cannot index from 2026-10-01: no M2 money supply data is stored yet.'],
    ['previous month', chatCtx, 'Cannot index from 2026-10-01: no M2 money supply data is stored yet.'],
    ['since last quarter', chatCtx, 'Cannot index from 2026-07-01: no M2 money supply data is stored yet.'],
    ['this quarter', chatCtx, 'Cannot index from 2026-10-01: no M2 money supply data is stored yet.'],
    ['last qtr', chatCtx, 'Cannot index from 2026-07-01: no M2 money supply data is stored yet.'],
    ['this month', chatCtx, 'Cannot index from 2026-11-01: no M2 money supply data is stored yet.'],
    ['mtd', chatCtx, 'Cannot index from 2026-11-01: no M2 money supply data is stored yet.'],
    ['這個月', tw, '無法從2026年11月1日起計算指數：尚未儲存任何 M2 貨幣供給資料。'],
  ] as const)('GIVEN /power %s THEN indexed from that period’s first day, named', async (typed, ctx, text) => {
    expect(plainText(await ask('power', typed, ctx()))).toBe(text);
  });

  test('GIVEN /chart spx 2020 上個月, 2020 last quarter THEN the chart to that period’s last day, as typed in dates', async () => {
    const month = await ask('chart', 'spx 2020 上個月', tw());
    expect(month.status).toBe('ok');
    expect(month.chart).toEqual((await ask('chart', 'spx 2020 2026-10-31', tw())).chart);
    const quarter = await ask('chart', 'spx 2020 last quarter', chatCtx());
    expect(quarter.status).toBe('ok');
    expect(quarter.chart).toEqual((await ask('chart', 'spx 2020 2026-09-30', chatCtx())).chart);
    expect(plainText(quarter)).toBe(plainText(await ask('chart', 'spx 2020 2026-09-30', chatCtx())));
  });
});

describe('a year with what happened in it, which no date names (round 6)', () => {
  test.each([
    ['power', '2008年金融海嘯', tw, '「2008年金融海嘯」不是日期：請寫出您指的月份或日期，例如「2008年9月」或「2008-09-15」。'],
    ['chart', 'spx 自2008年金融海嘯以來', tw, '「2008年金融海嘯」不是日期：請寫出您指的月份或日期，例如「2008年9月」或「2008-09-15」。'],
    ['power', '2020年疫情以来', cn, '“2020年疫情”不是日期：请写出您指的月份或日期，例如“2020年9月”或“2020-09-15”。'],
    ['power', 'since the 2020 low', chatCtx, '"the 2020 low" is no date: give the month or day you mean, like 2020-09 or 2020-09-15.'],
    ['chart', 'spx since the 2020 low', chatCtx, '"the 2020 low" is no date: give the month or day you mean, like 2020-09 or 2020-09-15.'],
    ['chart', 'spx 2000 the 2008 crash', chatCtx, '"the 2008 crash" is no date: give the month or day you mean, like 2008-09 or 2008-09-15.'],
  ] as const)('GIVEN /%s %s THEN refused in one line naming it as no date, with dates that work', async (command, typed, ctx, text) => {
    const r = await ask(command, typed, ctx());
    expect(r.status).toBe('usage');
    expect(plainText(r).split('\n')[0]).toBe(text);
  });

  test('GIVEN the example a refusal gives (2020-09, 2008年9月) THEN it works', async () => {
    expect(plainText(await ask('power', '2020-09', chatCtx()))).toBe('Cannot index from 2020-09-01: no M2 money supply data is stored yet.');
    expect(plainText(await ask('power', '2008年9月', tw()))).toBe('無法從2008年9月1日起計算指數：尚未儲存任何 M2 貨幣供給資料。');
  });
});

describe('a year and two digits after a dash or a tilde, a month or a span of years (round 6)', () => {
  test.each([
    ['chart', 'spx 2000–10', chatCtx, '"2000–10" could be the month 2000-10 or the years 2000-2010: write the one you mean as it is written here.'],
    ['power', 'since 2000—10', chatCtx, '"2000—10" could be the month 2000-10 or the years 2000-2010: write the one you mean as it is written here.'],
    ['chart', 'spx 2000~10', tw, '「2000~10」可能是「2000-10」這個月份，也可能是「2000-2010」這段年份：請直接寫您指的那一種。'],
    ['power', '2000–10', cn, '“2000–10”可能是“2000-10”这个月份，也可能是“2000-2010”这段年份：请直接写您指的那一种。'],
  ] as const)('GIVEN /%s %s THEN asked which, both offered as written to work', async (command, typed, ctx, text) => {
    const r = await ask(command, typed, ctx());
    expect(r.status).toBe('usage');
    expect(plainText(r).split('\n')[0]).toBe(text);
  });

  test('GIVEN the two offered (2000-10, 2000-2010) and the years with an en dash, an em dash or 至 THEN each read', async () => {
    expect(plainText(await ask('power', '2000-10', chatCtx()))).toBe('Cannot index from 2000-10-01: no M2 money supply data is stored yet.');
    const span = (await ask('chart', 'spx 2000-2010', chatCtx())).chart;
    expect(span).toMatchObject({ window: { from: '2000-01-01', to: '2010-12-31' } });
    expect((await ask('chart', 'spx 2000–2010', chatCtx())).chart).toEqual(span);
    expect((await ask('chart', 'spx 2000—2010', chatCtx())).chart).toEqual(span);
    expect((await ask('chart', 'spx 2000 至 2010', tw())).chart).toEqual(span);
    // Two digits that can be no month: the years, as before (2019–20).
    expect((await ask('chart', 'spx 2019–20', chatCtx())).chart).toMatchObject({ window: { from: '2019-01-01', to: '2020-12-31' } });
  });
});
