/**
 * A week said as a span (round 21): readers in English, Traditional and Simplified Chinese typed into the
 * Telegram fake and the Discord fake, answered by the real bots (their data made to Wednesday 2026-11-18,
 * 10:00 in New York). What made a reader stop: 上周, 本周, 这周 refused on /chart, and `last week` drawn as
 * the seven days back. Read now as a reader means them: 上週 / last week the calendar week before (its
 * Monday to its Friday, drawn whole, as 上個月 is); 本週 / this week from this week's Monday to the latest
 * close; past week / 近一週 the last seven days, as 1w is.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningBots, startBothBots, stopBothBots } from '../helpers/discord-harness.ts';
import { readerTryout } from '../helpers/reader-tryout.ts';
import { parseBaseDate } from '../../src/chat/parse.ts';

const WEDNESDAY_10_NY = Date.parse('2026-11-18T15:00:00Z');
let bots: RunningBots;

beforeAll(async () => {
  bots = await startBothBots(() => WEDNESDAY_10_NY);
});
afterAll(() => stopBothBots(bots));

const { telegram, discord } = readerTryout(() => bots, 21500, 921500000000000001n);

describe('last week, 上週, 上周: the calendar week before this one, Monday to Friday', () => {
  test.each([
    ['en', '/chart spx last week', 'SPX/Gold, 2026-11-09 to 2026-11-13'],
    ['en', '/chart qqq previous week', 'QQQ/Gold, 2026-11-09 to 2026-11-13'],
    ['zh-TW', '/chart spx 上週', '標普500/黃金，2026年11月9日至2026年11月13日'],
    ['zh-TW', '/chart spx 上禮拜', '標普500/黃金，2026年11月9日至2026年11月13日'],
    ['zh-TW', '/chart 納指 上個星期', 'QQQ/黃金，2026年11月9日至2026年11月13日'],
    ['zh-CN', '/chart spx 上周', '标普500/黄金，2026年11月9日至2026年11月13日'],
    ['zh-CN', '/chart 标普 上礼拜', '标普500/黄金，2026年11月9日至2026年11月13日'],
    ['zh-CN', '/chart spx 上星期', '标普500/黄金，2026年11月9日至2026年11月13日'],
  ] as const)('GIVEN Telegram %s "%s" THEN %s', async (lang, text, caption) => {
    expect(await telegram(lang, text)).toEqual([caption]);
  });

  test('GIVEN Discord zh-CN /chart from:上周 THEN that week, as on Telegram', async () => {
    expect(await discord('zh-CN', 'chart', { chart: 'spx', from: '上周' })).toEqual(['**标普500/黄金，2026年11月9日至2026年11月13日**']);
  });

  test.each([
    ['en', '/power last week', 'Cannot index from 2026-11-09: no M2 money supply data is stored yet.'],
    ['zh-TW', '/power 上週', '無法從2026年11月9日起計算指數：尚未儲存任何 M2 貨幣供給資料。'],
    ['zh-CN', '/power 上周', '无法从2026年11月9日起计算指数：尚未存储任何 M2 货币供应数据。'],
  ] as const)('GIVEN Telegram %s "%s" THEN indexed from that Monday (the world holds no M2: the refusal names the base)', async (lang, text, line) => {
    expect((await telegram(lang, text))[0]).toBe(line);
  });
});

describe('this week, 本週, 本周, 這週, 这周: from this week’s Monday to the latest close', () => {
  test.each([
    ['en', '/chart spx this week', 'SPX/Gold, since 2026-11-16'],
    ['zh-TW', '/chart spx 本週', '標普500/黃金，自2026年11月16日起'],
    ['zh-TW', '/chart spx 這週', '標普500/黃金，自2026年11月16日起'],
    ['zh-CN', '/chart spx 本周', '标普500/黄金，自2026年11月16日起'],
    ['zh-CN', '/chart spx 这周', '标普500/黄金，自2026年11月16日起'],
    ['zh-CN', '/chart 纳指 这个礼拜', 'QQQ/黄金，自2026年11月16日起'],
  ] as const)('GIVEN Telegram %s "%s" THEN %s', async (lang, text, caption) => {
    expect(await telegram(lang, text)).toEqual([caption]);
  });

  test('GIVEN 上周 to 本周 THEN from last week’s Monday to the latest close', async () => {
    expect(await telegram('zh-CN', '/chart spx 上周 本周')).toEqual(['标普500/黄金，2026年11月9日至2026年11月18日']);
  });

  test('GIVEN an ISO week in digits (2026-W46) THEN from its Monday to the latest close, as a month in digits runs on', async () => {
    expect(await telegram('en', '/chart spx 2026-W46')).toEqual(['SPX/Gold, since 2026-11-09']);
    // A week the year has (2020 has 53), or none (2019 has 52): refused saying how many weeks the year has.
    expect(parseBaseDate('2020-W53', '2026-11-18')).toEqual({ ok: true, value: '2020-12-28' });
    expect(parseBaseDate('2019-W53', '2026-11-18')).toMatchObject({ ok: false, error: { key: 'chat.err.noSuchWeek' } });
    expect((await telegram('en', '/chart spx 2019-W53'))[0]).toBe('There is no week 53 in 2019: its ISO weeks run W01 to W52 (got "2019-W53").');
    expect((await telegram('zh-TW', '/chart spx 2026w60'))[0]).toBe('2026年沒有第 60 週：該年只有 53 週（您輸入的是「2026w60」）。');
    expect((await discord('zh-CN', 'chart', { chart: 'spx', from: '2019-W53' }))[0]).toBe('2019年没有第 53 周：该年只有 52 周（您输入的是“2019-W53”）。');
  });

  test('GIVEN /power this week THEN indexed from this Monday', async () => {
    expect((await telegram('en', '/power this week'))[0]).toBe('Cannot index from 2026-11-16: no M2 money supply data is stored yet.');
  });
});

describe('past week, 近一週, 近一周: the last seven days, as 1w', () => {
  test.each([
    ['en', '/chart spx past week', 'SPX/Gold, since 2026-11-11'],
    ['en', '/chart spx the last week', 'SPX/Gold, since 2026-11-11'],
    ['en', '/chart spx 1w', 'SPX/Gold, since 2026-11-11'],
    ['zh-TW', '/chart spx 近一週', '標普500/黃金，自2026年11月11日起'],
    ['zh-TW', '/chart spx 過去一週', '標普500/黃金，自2026年11月11日起'],
    ['zh-CN', '/chart spx 近一周', '标普500/黄金，自2026年11月11日起'],
  ] as const)('GIVEN Telegram %s "%s" THEN %s', async (lang, text, caption) => {
    expect(await telegram(lang, text)).toEqual([caption]);
  });
});
