/**
 * A mainland reader's tryout (round 21), only in Simplified Chinese, typed into the Telegram fake
 * (clients zh-hans, zh-cn, zh-sg) and the Discord fake (locale zh-CN), answered by the real bots
 * (their data made to Wednesday 2026-11-18, 10:00 in New York). What made such a reader stop: 二季度
 * drawn as six months back (on the mainland 一季度 … 四季度 are the year's quarters, Q1 … Q4), and
 * 上半年 refused; 1月 drawn as the month back while 3月 was refused; 重庆, 天津, 南京, 武汉, 西安 not
 * read as zones, nor 北京时区; the fund apps' 近3月, 近6月 and 今年来 refused as ranges; 标准普尔500
 * refused as no ratio; /mute 到国庆 and 到五一 refused; /move 5个点 refused. And what was right, kept so: the words a mainland reader types (标普, 纳斯达克,
 * 号, 礼拜五, 下午3点, 北京时间, full-width digits, the bot's @name) read as meant, answered with no
 * Traditional character.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningBots, startBothBots, stopBothBots } from '../helpers/discord-harness.ts';
import { linesOf, readerTryout } from '../helpers/reader-tryout.ts';
import { nextAnswer } from '../helpers/telegram-harness.ts';
import { otherScript } from '../helpers/han-scripts.ts';
import { parseBaseDate } from '../../src/chat/parse.ts';

const WEDNESDAY_10_NY = Date.parse('2026-11-18T15:00:00Z');
let bots: RunningBots;

beforeAll(async () => {
  bots = await startBothBots(() => WEDNESDAY_10_NY);
});
afterAll(() => stopBothBots(bots));

const { nextChatId, telegram, discord } = readerTryout(() => bots, 21000, 921000000000000001n);

/** `text` typed into a fresh private chat by a client whose app sends `code` (zh-hans, zh-cn, zh-sg): the answer's lines. */
async function typedBy(code: string, text: string): Promise<string[]> {
  const chatId = nextChatId();
  return linesOf(await nextAnswer(bots.tgFake, chatId, text, { id: chatId, first_name: 'Lin', language_code: code }));
}

/** The messages typed one after another into one fresh private chat of a zh-hans client: each answer's lines. */
async function inOneChat(...texts: string[]): Promise<string[][]> {
  const chatId = nextChatId();
  const user = { id: chatId, first_name: 'Lin', language_code: 'zh-hans' };
  const answers: string[][] = [];
  for (const text of texts) answers.push(linesOf(await nextAnswer(bots.tgFake, chatId, text, user)));
  return answers;
}

describe('一季度 … 四季度 with no year: the year’s quarter, as the mainland names Q1 … Q4', () => {
  test.each([
    ['zh-hans', '/chart 标普 一季度', '标普500/黄金，2026年1月1日至2026年3月31日'],
    ['zh-cn', '/chart spx 二季度', '标普500/黄金，2026年4月1日至2026年6月30日'],
    ['zh-sg', '/chart 纳指 三季度', 'QQQ/黄金，2026年7月1日至2026年9月30日'],
    ['zh-hans', '/chart 纳指 第二季度', 'QQQ/黄金，2026年4月1日至2026年6月30日'],
    ['zh-hans', '/chart 标普 1季度', '标普500/黄金，2026年1月1日至2026年3月31日'],
    // The quarter running: from its first day to the latest close.
    ['zh-cn', '/chart 标普 四季度', '标普500/黄金，自2026年10月1日起'],
  ])('GIVEN Telegram %s "%s" THEN that quarter of this year, not a span back', async (code, text, caption) => {
    expect(await typedBy(code, text)).toEqual([caption]);
  });

  test('GIVEN Telegram /power 二季度 THEN indexed from 1 April (the world holds no M2: the refusal names the base)', async () => {
    expect((await telegram('zh-CN', '/power 二季度'))[0]).toBe('无法从2026年4月1日起计算指数：尚未存储任何 M2 货币供应数据。');
  });

  test('GIVEN Discord zh-CN /chart chart:spx from:一季度 to:三季度 THEN Q1 to Q3 of this year', async () => {
    const answer = (await discord('zh-CN', 'chart', { chart: 'spx', from: '一季度', to: '三季度' })).join('\n');
    expect(answer).toContain('标普500/黄金，2026年1月1日至2026年9月30日');
  });

  test('GIVEN a quarter not yet begun this year THEN last year’s: 四季度 typed in February is the Q4 just ended', () => {
    expect(parseBaseDate('四季度', '2026-02-10')).toEqual({ ok: true, value: '2025-10-01' });
    expect(parseBaseDate('一季度', '2026-02-10')).toEqual({ ok: true, value: '2026-01-01' });
  });

  test.each([
    ['/chart 标普 两个季度', '标普500/黄金，6个月'],
    ['/chart 标普 近一季度', '标普500/黄金，3个月'],
    ['/chart 标普 一季', '标普500/黄金，3个月'],
    ['/chart 标普 去年四季度', '标普500/黄金，2025年10月1日至2025年12月31日'],
  ])('GIVEN "%s" (a count of quarters, or a year named) THEN read as before: %s', async (text, caption) => {
    expect(await telegram('zh-CN', text)).toEqual([caption]);
  });
});

describe('上半年, 下半年 with no year: this year’s half, as 二季度 is its quarter', () => {
  test.each([
    ['/chart 标普 上半年', '标普500/黄金，2026年1月1日至2026年6月30日'],
    ['/chart 标普 下半年', '标普500/黄金，自2026年7月1日起'],
    ['/chart 标普 半年', '标普500/黄金，6个月'],
  ])('GIVEN Telegram "%s" THEN %s', async (text, first) => {
    expect((await telegram('zh-CN', text))[0]).toBe(first);
  });

  test('GIVEN 下半年 typed in May THEN last year’s second half, not yet begun this year', () => {
    expect(parseBaseDate('下半年', '2026-05-10')).toEqual({ ok: true, value: '2025-07-01' });
  });
});

describe('a mainland city names Beijing time', () => {
  test.each(['重庆', '天津', '南京', '武汉', '西安', '北京时区', 'chongqing'])(
    'GIVEN Telegram zh-hans "/digest 8点 %s" THEN the digest at 08:00 北京时间',
    async (place) => {
      expect((await typedBy('zh-hans', `/digest 8点 ${place}`))[0]).toBe('每日摘要已设为 08:00（北京时间）。下一次：2026年11月19日 08:00（北京时间）。');
    },
  );

  test('GIVEN Discord zh-CN /quiet hours:晚上10点到早上7点 timezone:重庆 THEN 22:00-07:00 北京时间', async () => {
    expect((await discord('zh-CN', 'quiet', { hours: '晚上10点到早上7点', timezone: '重庆' }))[0]).toBe('免打扰时段已设为 22:00-07:00（北京时间）。');
  });
});

describe('the ranges of a mainland fund app (近1周 近1月 近3月 近6月 近1年 今年来)', () => {
  test.each([
    ['近一月', '1个月'],
    ['近3月', '3个月'],
    ['近三月', '3个月'],
    ['近6月', '6个月'],
    ['近六月', '6个月'],
    ['今年来', '今年'],
  ])('GIVEN Telegram /chart 标普 %s THEN the %s range', async (range, shown) => {
    expect(await telegram('zh-CN', `/chart 标普 ${range}`)).toEqual([`标普500/黄金，${shown}`]);
  });
});

describe('the S&P 500 and the Nasdaq-100 by their full mainland names', () => {
  test.each([
    ['/ratio 标准普尔500', '标普500/黄金：1.697（2026年11月18日收盘）'],
    ['/ratio 标准普尔', '标普500/黄金：1.697（2026年11月18日收盘）'],
    ['/ratio 标普指数', '标普500/黄金：1.697（2026年11月18日收盘）'],
    ['/ratio 纳斯达克100指数', 'QQQ/黄金：0.1572（2026年11月18日收盘）'],
    ['/chart 纳斯达克/黄金 近一年', 'QQQ/黄金，1年'],
  ])('GIVEN Telegram "%s" THEN that pair: %s', async (text, first) => {
    expect((await telegram('zh-CN', text))[0]).toBe(first);
  });
});

describe('/mute until a mainland holiday on a fixed day', () => {
  test('GIVEN a subscribed chat on Beijing time THEN 到国庆 is 1 October and 到五一, 到劳动节 1 May, the next such day', async () => {
    const [, , nationalDay, mayDay, labourDay] = await inOneChat('/subscribe', '/digest 8点 北京', '/mute 到国庆', '/mute 到五一', '/mute 到劳动节');
    expect(nationalDay![0]).toBe('已静音至2027年10月1日 00:00（北京时间）。');
    expect(mayDay![0]).toBe('已静音至2027年5月1日 00:00（北京时间）。');
    expect(labourDay![0]).toBe('已静音至2027年5月1日 00:00（北京时间）。');
  });

  test('GIVEN a zh-TW chat on Taipei time THEN 到國慶 is Taiwan’s, 10 October', async () => {
    const chatId = nextChatId();
    const user = { id: chatId, first_name: 'Lin', language_code: 'zh-hant' };
    for (const text of ['/subscribe', '/digest 8點 台北']) await nextAnswer(bots.tgFake, chatId, text, user);
    expect(linesOf(await nextAnswer(bots.tgFake, chatId, '/mute 到國慶', user))[0]).toBe('已靜音至2027年10月10日 00:00（台北時間）。');
  });
});

describe('/move with a percent as the mainland’s market talk says it', () => {
  test('GIVEN a subscribed chat THEN /move 纳指 5个点 20 is 5% over 20 trading days, and 5点 (a time) is still refused', async () => {
    const [, points, clock] = await inOneChat('/subscribe', '/move 纳指 5个点 20', '/move 纳指 5点 20');
    expect(points![0]).toBe('已添加急涨急跌提醒：QQQ/黄金：20 个交易日内涨跌 5% 以上。');
    expect(clock![0]).toBe('百分比必须是 1 到 100 之间的数字，例如 10；您输入的是“5点”。');
  });
});

describe('a month with no year (3月, 三月): the latest such month begun, as 12月25号 is the latest such day', () => {
  test.each([
    ['/chart 标普 3月', '标普500/黄金，自2026年3月2日起'],
    ['/chart 标普 三月份', '标普500/黄金，自2026年3月2日起'],
    // 1月 is January, not the month back 近1月 is.
    ['/chart 标普 1月', '标普500/黄金，自2026年1月1日起'],
    ['/chart 标普 12月', '标普500/黄金，自2025年12月1日起'],
    ['/chart 标普 近1月', '标普500/黄金，1个月'],
    ['/power 三月', '无法从2026年3月1日起计算指数：尚未存储任何 M2 货币供应数据。'],
  ])('GIVEN Telegram "%s" THEN %s', async (text, first) => {
    expect((await telegram('zh-CN', text))[0]).toBe(first);
  });
});

describe('what was right, kept so', () => {
  test.each([
    ['/ratio 纳斯达克', 'QQQ/黄金：0.1572（2026年11月18日收盘）'],
    ['/ratio@goldratio_test_bot 标普500', '标普500/黄金：1.697（2026年11月18日收盘）'],
    ['/chart 标普 2024年3月1号', '标普500/黄金，自2024年3月1日起'],
    ['/chart 标普500 ２０２４年３月１号到２０２４年６月１号', '标普500/黄金，2024年3月1日至2024年5月31日'],
    ['/chart 纳指 今年以来', 'QQQ/黄金，今年'],
    ['/chart 标普 上个月', '标普500/黄金，2026年10月1日至2026年10月30日'],
    ['/digest 晚上8点 北京时间', '每日摘要已设为 20:00（北京时间）。下一次：2026年11月19日 20:00（北京时间）。'],
    ['/digest ２０：００ 上海', '每日摘要已设为 20:00（北京时间）。下一次：2026年11月19日 20:00（北京时间）。'],
    ['/digest 下午3点15分 东八区', '每日摘要已设为 15:15（UTC+8）。下一次：2026年11月19日 15:15（UTC+8）。'],
    ['/quiet 晚上10点到早上7点 北京时间', '免打扰时段已设为 22:00-07:00（北京时间）。'],
  ])('GIVEN Telegram "%s" THEN its first line: %s', async (text, first) => {
    expect((await telegram('zh-CN', text))[0]).toBe(first);
  });

  test('GIVEN a subscribed chat THEN /mute 到礼拜五, 到12月25号, 两小时, and /mylevels with 一点八 and １．８ read as meant', async () => {
    const [, friday, christmas, twoHours, added, again] = await inOneChat(
      '/subscribe',
      '/mute 到礼拜五',
      '/mute 到12月25号',
      '/mute 两小时',
      '/mylevels 添加 标普 一点八',
      '/mylevels 添加 标普 １．８',
    );
    expect(friday![0]).toBe('已静音至2026年11月20日 00:00（UTC）。');
    expect(christmas![0]).toBe('已静音至2026年12月25日 00:00（UTC）。');
    expect(twoHours![0]).toBe('已静音至2026年11月18日 17:00（UTC）。');
    expect(added![0]).toBe('已将 1.8 添加为本对话的标普500/黄金点位。');
    expect(again![0]).toBe('1.8 已是本对话的标普500/黄金点位。');
  });

  test('GIVEN the answers of /help, /ratio, /levels, /status and /digest now to a zh-sg client THEN no character only Traditional writes', async () => {
    for (const text of ['/help', '/ratio', '/levels', '/status', '/digest now']) {
      const answer = (await typedBy('zh-sg', text)).join('\n');
      expect(otherScript('Hans', answer), `${text}:\n${answer}`).toEqual([]);
    }
  });
});
