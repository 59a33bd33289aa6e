/**
 * What made a Taipei and a Shanghai reader hesitate (round 20), typed into the Telegram fake and the
 * Discord fake, answered by the real bots: /help in a private chat naming the chat two ways in one
 * reply (本對話 above, 本聊天室 below); English glosses in the Chinese /help chart note; a UTC offset
 * refused with cities named in English; 设定 where every other zh-CN text says 设置.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readerTryout } from '../helpers/reader-tryout.ts';
import { type RunningBots, startBothBots, stopBothBots } from '../helpers/discord-harness.ts';

const WEDNESDAY_10_NY = Date.parse('2026-11-18T15:00:00Z');
let bots: RunningBots;

beforeAll(async () => {
  bots = await startBothBots(() => WEDNESDAY_10_NY);
});
afterAll(() => stopBothBots(bots));

const { telegram, discord } = readerTryout(() => bots, 20000, 920000000000000001n);

describe('/help of a command in a private chat', () => {
  // A private chat is 本對話 / 本对话 (chat.*.dm); the group word is 本聊天室 / 本聊天, and no line of the reply may say it.
  test.each([
    ['zh-TW', 'mylevels', '本對話', /本聊天室/],
    ['zh-TW', 'lang', '本對話', /本聊天室/],
    ['zh-TW', 'digest', '本對話', /本聊天室/],
    ['zh-TW', 'quiet', '本對話', /本聊天室/],
    ['zh-CN', 'mylevels', '本对话', /本聊天/],
    ['zh-CN', 'lang', '本对话', /本聊天/],
    ['zh-CN', 'digest', '本对话', /本聊天/],
    ['zh-CN', 'quiet', '本对话', /本聊天/],
  ] as const)('GIVEN Telegram %s "/help %s" THEN its argument lines name the chat as %s, as the command line does', async (lang, command, word, other) => {
    const answer = await telegram(lang, `/help ${command}`);
    const args = answer.filter((line) => line.includes('：') && !line.startsWith('/'));
    expect(args.filter((line) => line.includes(word)).length, answer.join('\n')).toBeGreaterThan(0);
    expect(answer.filter((line) => other.test(line))).toEqual([]);
  });
});

describe('/help chart in Chinese', () => {
  test.each([
    ['zh-TW', '單寫「去年」即去年整個日曆年', '「上一季」即上一個日曆季度'],
    ['zh-CN', '单写“去年”即去年整个日历年', '“上一季度”即上一个日历季度'],
  ] as const)('GIVEN Telegram %s THEN its note says 去年 and 上一季 with no English gloss', async (lang, lastYear, lastQuarter) => {
    const note = (await telegram(lang, '/help chart')).at(-1)!;
    expect(note).toContain(lastYear);
    expect(note).toContain(lastQuarter);
    expect(note).not.toMatch(/last|year|quarter/);
  });
});

describe('a UTC offset no place uses', () => {
  test.each([
    ['zh-TW', '每日摘要已設為 08:00（'],
    ['zh-CN', '每日摘要已设为 08:00（'],
  ] as const)('GIVEN Telegram %s "/digest 08:00 UTC+3:15" THEN the cities it suggests are named in Chinese, and each typed back is read', async (lang, set) => {
    const refusal = (await telegram(lang, '/digest 08:00 UTC+3:15'))[0]!;
    const cities = /城市，例如(\p{Script=Han}+)或(\p{Script=Han}+)。/u.exec(refusal);
    expect(cities, refusal).not.toBeNull();
    for (const city of cities!.slice(1)) expect((await telegram(lang, `/digest 08:00 ${city}`))[0], city).toContain(set);
  });
});

describe('zh-CN says 设置 for a setting, as every other of its texts does', () => {
  test('GIVEN Telegram zh-CN /digest 08:00 in a chat with no zone THEN "这里也未设置其他时区"', async () => {
    const answer = (await telegram('zh-CN', '/digest 08:00'))[0]!;
    expect(answer).toContain('这里也未设置其他时区');
    expect(answer).not.toContain('设定');
  });

  test('GIVEN Discord zh-CN /quiet hours:23:00-07:00 in a channel with no zone THEN the same', async () => {
    const answer = (await discord('zh-CN', 'quiet', { hours: '23:00-07:00' }))[0]!;
    expect(answer).toContain('这里也未设置其他时区');
    expect(answer).not.toContain('设定');
  });
});
