/**
 * Inputs no issue listed (round 24): readers typing into the Telegram fake, answered by the real bot
 * (its data made to Wednesday 2026-11-18, 10:00 in New York). Arabic-Indic digits were read (١٠ is 10)
 * but their decimal separator ٫ (U+066B) refused the number; the minus sign − (U+2212) made a level
 * "no number" where -1.5 was refused for being below 0.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningBots, startBothBots, stopBothBots } from '../helpers/discord-harness.ts';
import { linesOf, readerTryout, type Lang } from '../helpers/reader-tryout.ts';
import { nextAnswer } from '../helpers/telegram-harness.ts';

const WEDNESDAY_10_NY = Date.parse('2026-11-18T15:00:00Z');
let bots: RunningBots;

beforeAll(async () => {
  bots = await startBothBots(() => WEDNESDAY_10_NY);
});
afterAll(() => stopBothBots(bots));

const { nextChatId } = readerTryout(() => bots, 24500, 924500000000000001n);

/** The messages typed one after another into one fresh private chat of a `lang` reader: each answer's lines. */
async function inOneChat(lang: Lang, ...texts: string[]): Promise<string[][]> {
  const chatId = nextChatId();
  const user = { id: chatId, first_name: 'Lin', language_code: lang };
  const answers: string[][] = [];
  for (const text of texts) answers.push(linesOf(await nextAnswer(bots.tgFake, chatId, text, user)));
  return answers;
}

describe('the Arabic decimal separator ٫ between digits: the point, as the digits around it are read', () => {
  test.each([
    ['en', '/mylevels add spx ١٫٨', "Added 1.8 on SPX/Gold to this chat's levels."],
    ['zh-TW', '/mylevels add spx ١٫٨', '已將 1.8 新增為本對話的標普500/黃金水位。'],
    ['en', '/move spx ١٫٥ ٢٠', 'Move alert added: SPX/Gold: 1.5% or more over 20 trading days.'],
    ['zh-CN', '/move spx ١٫٥ ٢٠', '已添加急涨急跌提醒：标普500/黄金：20 个交易日内涨跌 1.5% 以上。'],
  ] as const)('GIVEN Telegram %s "%s" in a subscribed chat THEN %s', async (lang, text, line) => {
    const [, answer] = await inOneChat(lang, '/subscribe', text);
    expect(answer![0]).toBe(line);
  });
});

describe('the minus sign − (U+2212) before a level: the hyphen’s minus, refused for being below 0', () => {
  test.each([
    ['en', '/mylevels add spx −1.5', 'Level must be above 0, got "−1.5".'],
    ['en', '/mylevels add spx -1.5', 'Level must be above 0, got "-1.5".'],
  ] as const)('GIVEN Telegram %s "%s" in a subscribed chat THEN %s', async (lang, text, line) => {
    const [, answer] = await inOneChat(lang, '/subscribe', text);
    expect(answer![0]).toBe(line);
  });
});

describe('the minus sign − (U+2212) joining a chart’s window: read as the dash and the en dash are', () => {
  test.each(['/chart spx 2025-01 − 2025-03', '/chart spx 2025-01−2025-03'])('GIVEN Telegram en "%s" THEN January to March 2025', async (text) => {
    const [answer] = await inOneChat('en', text);
    expect(answer![0]).toBe('SPX/Gold, 2025-01-01 to 2025-03-31');
  });
});

describe('gold asked for as if it were a pair: said to be what both ratios divide by', () => {
  test.each([
    ['en', '/ratio gold', 'Gold is what both ratios divide by: use spx (SPX/Gold) or qqq (QQQ/Gold), got "gold".'],
    ['zh-TW', '/ratio 黃金', '黃金是兩個比率共同的分母：請使用 spx（標普500/黃金）或 qqq（QQQ/黃金）；您輸入的是「黃金」。'],
    ['zh-CN', '/chart 黄金 1y', '黄金是两个比率共同的分母：请使用 spx（标普500/黄金）或 qqq（QQQ/黄金）；您输入的是“黄金”。'],
    ['en', '/ratio dow', 'Unknown pair "dow": use spx or qqq.'],
  ] as const)('GIVEN Telegram %s "%s" THEN %s', async (lang, text, line) => {
    const [answer] = await inOneChat(lang, text);
    expect(answer![0]).toBe(line);
  });
});
