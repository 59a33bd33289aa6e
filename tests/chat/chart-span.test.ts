/**
 * A span back the chart cannot read (`/chart spx 1000y`, `0y`, `-5y`, `1.5y`), through the Telegram
 * and Discord fakes and the real bot, in each language: the answer names what is wrong with the span
 * (too long, or no whole count from 1) and the ranges that work, as the chat's language writes them.
 * It was "Unknown chart" (`/chart 1000y`), "Unknown range" or "A date is a day, a month or a year".
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FakeUser } from '../fakes/telegram.ts';
import { slashInteraction } from '../fakes/discord.ts';
import { interactionAnswer, type RunningBots, startBothBots, stopBothBots } from '../helpers/discord-harness.ts';
import { nextAnswer } from '../helpers/telegram-harness.ts';

let bots: RunningBots;

beforeAll(async () => (bots = await startBothBots()));
afterAll(() => stopBothBots(bots));

const LANG_CODE = { en: 'en', 'zh-TW': 'zh-TW', 'zh-CN': 'zh-CN' } as const;
type Lang = keyof typeof LANG_CODE;

let nextChat = 9700;
/** What the bot answers `text` in a fresh private Telegram chat of a user of `lang`: the first line of its text, tags removed. */
async function telegram(text: string, lang: Lang): Promise<string> {
  const chatId = nextChat++;
  const user: FakeUser = { id: chatId, first_name: 'Lin', language_code: LANG_CODE[lang] };
  const call = await nextAnswer(bots.tgFake, chatId, text, user);
  return String(call.params.text ?? call.params.caption ?? '')
    .replace(/<[^>]+>/g, '')
    .split('\n')[0]!;
}

let nextChannel = 731000000000000001n;
/** What the bot answers `/name` with these options from a Discord client in `lang`: the embed's text, first line. */
async function discord(name: string, options: Readonly<Record<string, string>>, lang: Lang): Promise<string> {
  const channelId = String(nextChannel++);
  const { token } = bots.dcFake.interact(
    slashInteraction({
      name,
      channelId,
      userId: String(nextChannel - 100000000000000000n),
      locale: lang === 'en' ? 'en-US' : LANG_CODE[lang],
      options: Object.entries(options).map(([n, value]) => ({ name: n, type: 3, value })),
    }),
  );
  const answer = await interactionAnswer(bots.dcFake, token);
  const embed = answer.body.embeds?.[0] ?? answer.body.data?.embeds?.[0] ?? {};
  return String(embed.description ?? embed.title ?? '').split('\n')[0]!;
}

const RANGES: Record<Lang, string> = {
  en: '1M, 3M, 6M, YTD, 1Y, 5Y, 10Y, MAX',
  'zh-TW': '1個月、3個月、6個月、今年、1年、5年、10年、全部',
  'zh-CN': '1个月、3个月、6个月、今年、1年、5年、10年、全部',
};
const tooLong = (input: string): Record<Lang, string> => ({
  en: `"${input}" is too long a span back: at most 999 years, months, weeks or days. For the whole history use MAX; the ranges are ${RANGES.en}.`,
  'zh-TW': `「${input}」回溯太久：最多 999 年、個月、週或天。要看全部歷史請用「全部」；可用的區間有 ${RANGES['zh-TW']}。`,
  'zh-CN': `“${input}”回溯太久：最多 999 年、个月、周或天。要看全部历史请用“全部”；可用的区间有 ${RANGES['zh-CN']}。`,
});
const noCount = (input: string): Record<Lang, string> => ({
  en: `"${input}" is no span back: count whole years, months, weeks or days from 1, like 2y or 18m. The ranges are ${RANGES.en}.`,
  'zh-TW': `「${input}」不是可用的回溯期間：請以 1 以上的整數計年、月、週或天，例如「2年」或「18個月」。可用的區間有 ${RANGES['zh-TW']}。`,
  'zh-CN': `“${input}”不是有效的回溯时长：请用 1 以上的整数表示年、月、周或天，例如“2年”或“18个月”。可用的区间有 ${RANGES['zh-CN']}。`,
});

describe.each<Lang>(['en', 'zh-TW', 'zh-CN'])('a span back the chart cannot read, in %s', (lang) => {
  test.each<[string, string, Record<Lang, string>]>([
    ['/chart spx 1000y', '1000y', tooLong('1000y')],
    // Without a pair: the span, not "Unknown chart".
    ['/chart 1000y', '1000y', tooLong('1000y')],
    ['/chart spx 99999999999y', '99999999999y', tooLong('99999999999y')],
    ['/chart 標普 10000年', '10000年', tooLong('10000年')],
    ['/chart spx 過去1000年', '過去1000年', tooLong('過去1000年')],
    ['/chart spx １０００ｙ', '１０００ｙ', tooLong('１０００ｙ')],
    ['/power 1000y', '1000y', tooLong('1000y')],
    ['/chart spx 0y', '0y', noCount('0y')],
    ['/chart spx -5y', '-5y', noCount('-5y')],
    ['/chart spx 1.5y', '1.5y', noCount('1.5y')],
    ['/chart 標普 0年', '0年', noCount('0年')],
    ['/power 0y', '0y', noCount('0y')],
  ])('GIVEN Telegram %s THEN one line naming what is wrong with %s and the ranges that work', async (text, _input, said) => {
    expect(await telegram(text, lang)).toBe(said[lang]);
  });

  test.each<[string, Record<string, string>, Record<Lang, string>]>([
    ['chart', { chart: 'spx', from: '1000y' }, tooLong('1000y')],
    ['chart', { from: '-5y' }, noCount('-5y')],
    ['chart', { from: '1.5y' }, noCount('1.5y')],
    ['power', { base: '1000y' }, tooLong('1000y')],
  ])('GIVEN Discord /%s %j THEN the same line', async (name, options, said) => {
    expect(await discord(name, options, lang)).toBe(said[lang]);
  });

  test('GIVEN an unknown range THEN the ranges are listed as the language names them', async () => {
    const said: Record<Lang, string> = {
      en: `Unknown range "2x": use one of ${RANGES.en}.`,
      'zh-TW': `無法辨識區間「2x」：請使用以下其中之一：${RANGES['zh-TW']}。`,
      'zh-CN': `无法识别区间“2x”：请使用以下之一：${RANGES['zh-CN']}。`,
    };
    expect(await telegram('/chart spx 2x', lang)).toBe(said[lang]);
  });
});

describe.each<Lang>(['en', 'zh-TW', 'zh-CN'])('an end without a start, in %s', (lang) => {
  // It was 'Unknown range "to"': the word that joins a window read as a range.
  const said: Record<Lang, string> = {
    en: 'An end needs a start: /chart spx 2007 2009 (or a range: /chart spx 5y).',
    'zh-TW': '有結束日也要有起始日：/chart spx 2007 2009（或用區間：/chart spx 5y）。',
    'zh-CN': '有结束日也要有起始日：/chart spx 2007 2009（或用区间：/chart spx 5y）。',
  };
  test.each(['/chart spx to 2009', '/chart spx 至 2009', '/chart 到 2009', '/chart spx - 2009'])(
    'GIVEN %s THEN the end is named as an end that needs a start',
    async (text) => {
      expect(await telegram(text, lang)).toBe(said[lang]);
    },
  );
});

describe('spans that work stay as they were', () => {
  test.each([
    ['/chart spx 10Y', 'SPX/Gold, 10Y'],
    ['/chart spx 999y', 'SPX/Gold, since'],
    ['/chart 標普 5年', 'SPX/Gold, 5Y'],
  ])('GIVEN %s THEN a chart', async (text, title) => {
    expect(await telegram(text, 'en')).toContain(title);
  });
});
