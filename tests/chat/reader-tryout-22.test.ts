/**
 * Inputs still refused (round 22): readers in English, Traditional and Simplified Chinese typed into the
 * Telegram fake and the Discord fake, answered by the real bots (their data made to Wednesday 2026-11-18,
 * 10:00 in New York). /mute 到中秋 / 到端午 (the lunar festivals' next dates, from a table checked
 * against ICU's Chinese calendar); /lang 普通话, 國語; 1。8 (an IME's full stop for the decimal point) in
 * levels and /move; Urumqi's two clocks asked about; 去年同期 refused naming what to type.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningBots, startBothBots, stopBothBots } from '../helpers/discord-harness.ts';
import { linesOf, readerTryout, type Lang } from '../helpers/reader-tryout.ts';
import { nextAnswer } from '../helpers/telegram-harness.ts';
import { DRAGON_BOAT, MID_AUTUMN } from '../../src/chat/lunar-festivals.ts';

const WEDNESDAY_10_NY = Date.parse('2026-11-18T15:00:00Z');
let bots: RunningBots;

beforeAll(async () => {
  bots = await startBothBots(() => WEDNESDAY_10_NY);
});
afterAll(() => stopBothBots(bots));

const { nextChatId, telegram, telegramCall, discord } = readerTryout(() => bots, 22500, 922500000000000001n);

/** The messages typed one after another into one fresh private chat of a `lang` reader: each answer's lines. */
async function inOneChat(lang: Lang, ...texts: string[]): Promise<string[][]> {
  const chatId = nextChatId();
  const user = { id: chatId, first_name: 'Lin', language_code: lang };
  const answers: string[][] = [];
  for (const text of texts) answers.push(linesOf(await nextAnswer(bots.tgFake, chatId, text, user)));
  return answers;
}

describe('the lunar festivals: 中秋 the 15th of the 8th month, 端午 the 5th of the 5th', () => {
  test('GIVEN the tables THEN each date is that day of that month on ICU’s Chinese calendar (a leap month never), one a year', () => {
    const chinese = new Intl.DateTimeFormat('zh-TW-u-ca-chinese', { timeZone: 'UTC', month: 'long', day: 'numeric' });
    const lunar = (iso: string) => {
      const parts = chinese.formatToParts(new Date(`${iso}T00:00:00Z`));
      return `${parts.find((p) => p.type === 'month')!.value} ${parts.find((p) => p.type === 'day')!.value}`;
    };
    expect(new Set(DRAGON_BOAT.map(lunar))).toEqual(new Set(['五月 5']));
    expect(new Set(MID_AUTUMN.map(lunar))).toEqual(new Set(['八月 15']));
    for (const table of [DRAGON_BOAT, MID_AUTUMN]) expect(table.map((d) => Number(d.slice(0, 4)))).toEqual(Array.from({ length: 25 }, (_, i) => 2026 + i));
  });

  test.each([
    ['zh-TW', '/mute 到中秋', '已靜音至2027年9月15日 00:00（UTC）。'],
    ['zh-TW', '/mute 到中秋節', '已靜音至2027年9月15日 00:00（UTC）。'],
    ['zh-CN', '/mute 到端午', '已静音至2027年6月9日 00:00（UTC）。'],
    ['zh-CN', '/mute 到端午节', '已静音至2027年6月9日 00:00（UTC）。'],
    ['en', '/mute until the dragon boat festival', 'Muted until 2027-06-09 00:00 (UTC).'],
    ['en', '/mute until mid-autumn', 'Muted until 2027-09-15 00:00 (UTC).'],
  ] as const)('GIVEN Telegram %s "%s" in a subscribed chat THEN the festival’s next date: %s', async (lang, text, line) => {
    const [, muted] = await inOneChat(lang, '/subscribe', text);
    expect(muted![0]).toBe(line);
  });
});

describe('/lang by the name of the spoken language: 普通话 Simplified, 國語 Traditional', () => {
  test.each([
    ['en', '/lang 普通话', '语言已设为简体中文。'],
    ['zh-TW', '/lang 普通話', '语言已设为简体中文。'],
    ['zh-CN', '/lang 國語', '語言已設為繁體中文。'],
    ['en', '/lang 国语', '語言已設為繁體中文。'],
    ['zh-TW', '/lang 简体', '语言已设为简体中文。'],
    ['zh-CN', '/lang 繁體', '語言已設為繁體中文。'],
  ] as const)('GIVEN Telegram %s "%s" THEN %s', async (lang, text, line) => {
    expect(await telegram(lang, text)).toEqual([line]);
  });

  test('GIVEN Discord zh-TW /lang language:普通话 THEN Simplified, said so', async () => {
    expect((await discord('zh-TW', 'lang', { language: '普通话' })).join('\n')).toContain('语言已设为简体中文。');
  });
});

describe('1。8: the full stop a Chinese IME types for the decimal point, read as one between digits', () => {
  test('GIVEN Telegram zh-TW /mylevels add spx 1。8 and zh-CN /subscribe spx 1。8 THEN 1.8, named in the reply', async () => {
    const [, added] = await inOneChat('zh-TW', '/subscribe', '/mylevels add spx 1。8');
    expect(added![0]).toBe('已將 1.8 新增為本對話的標普500/黃金水位。');
    const [subscribed] = await inOneChat('zh-CN', '/subscribe spx 1。8');
    expect(subscribed).toContain('标普500/黄金：无文章点位；本对话点位 1.8');
  });

  test('GIVEN Telegram zh-CN /move spx 1。5 20 THEN 1.5%', async () => {
    const [, move] = await inOneChat('zh-CN', '/subscribe', '/move spx 1。5 20');
    expect(move![0]).toBe('已添加急涨急跌提醒：标普500/黄金：20 个交易日内涨跌 1.5% 以上。');
  });

  test('GIVEN a full stop ending the sentence (/mylevels add spx 1。) THEN it ends the sentence, as before: 1, no decimal point', async () => {
    const [, added] = await inOneChat('zh-TW', '/subscribe', '/mylevels add spx 1。');
    expect(added![0]).toBe('已將 1 新增為本對話的標普500/黃金水位。');
  });
});

describe('Urumqi keeps two clocks: asked which, as CST is', () => {
  test.each([
    ['zh-TW', '/digest 08:00 烏魯木齊', '烏魯木齊有兩種時間：官方的北京時間，以及晚兩小時的新疆時間。08:00 是哪一種時間？'],
    ['zh-CN', '/digest 08:00 乌鲁木齐市', '乌鲁木齐市有两种时间：官方的北京时间，以及晚两小时的新疆时间。08:00 是哪一种时间？'],
    ['en', '/digest 08:00 Urumqi', "Urumqi keeps two clocks: Beijing's, the official one, and Xinjiang's own, two hours behind. Which one for 08:00?"],
  ] as const)('GIVEN Telegram %s "%s" THEN asked, Beijing’s clock and Xinjiang’s to press', async (lang, text, line) => {
    const { call } = await telegramCall(lang, text);
    expect(linesOf(call)[0]).toBe(line);
    const presses = JSON.stringify(call.params.reply_markup);
    expect(presses).toContain('digest:0800:Asia/Shanghai');
    expect(presses).toContain('digest:0800:Asia/Urumqi');
  });

  test('GIVEN Discord zh-CN /digest time:08:00 timezone:乌鲁木齐 THEN asked too', async () => {
    expect((await discord('zh-CN', 'digest', { time: '08:00', timezone: '乌鲁木齐' })).join('\n')).toContain('乌鲁木齐有两种时间：');
  });
});

describe('去年同期, the same period last year: no span of its own, refused naming what to type', () => {
  test.each([
    [
      'zh-TW',
      '/chart spx 去年同期',
      '「去年同期」沒有指明是哪一段期間：請寫出去年的日期，例如 2025-10-19 2025-11-18，即到去年今天為止的 30 天，或寫「去年」看去年全年。',
    ],
    [
      'zh-CN',
      '/ratio 去年同期',
      '“去年同期”没有指明是哪一段时间：请写出去年的日期，例如 2025-10-19 2025-11-18，即到去年今天为止的 30 天，或写“去年”看去年全年。',
    ],
    [
      'en',
      '/chart qqq same period last year',
      '"same period last year" names no span of its own: type the days a year back, e.g. 2025-10-19 2025-11-18 for the 30 days to this day last year, or last year for the whole year.',
    ],
  ] as const)('GIVEN Telegram %s "%s" THEN %s', async (lang, text, line) => {
    expect((await telegram(lang, text))[0]).toBe(line);
  });

  test('GIVEN Discord zh-TW /chart from:去年同期 THEN the same refusal', async () => {
    expect((await discord('zh-TW', 'chart', { chart: 'spx', from: '去年同期' })).join('\n')).toContain('「去年同期」沒有指明是哪一段期間');
  });
});
