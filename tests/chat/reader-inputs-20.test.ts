/**
 * Reader inputs left over from round 19, typed into the Telegram fake and the Discord fake, answered
 * by the real bots: both pairs named to a command that shows both (`/levels spx qqq`), and two named
 * to /chart, which draws one; a window of days as one word (`1/5-3/10`); a month and day in Chinese
 * numerals (十二月二十五日, 三月十日); Discord's zone choices beyond the offered zones in a Chinese locale.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { autocompleteChoices } from '../../src/platforms/discord/autocomplete.ts';
import { readerTryout } from '../helpers/reader-tryout.ts';
import { type RunningBots, startBothBots, stopBothBots } from '../helpers/discord-harness.ts';

const WEDNESDAY_10_NY = Date.parse('2026-11-18T15:00:00Z');
let bots: RunningBots;

beforeAll(async () => {
  bots = await startBothBots(() => WEDNESDAY_10_NY);
});
afterAll(() => stopBothBots(bots));

const { telegram, discord, zoneChoices } = readerTryout(() => bots, 20000, 920000000000000001n);

describe('both pairs named to a command that shows both', () => {
  test.each([
    ['en', '/levels spx qqq', '/levels'],
    ['en', '/levels qqq spx', '/levels'],
    ['en', '/history spx and qqq', '/history'],
    ['en', '/ratio spx, qqq', '/ratio'],
    ['zh-TW', '/levels 標普 納指', '/levels'],
    ['zh-TW', '/ratio 標普 和 納指', '/ratio'],
    ['zh-CN', '/history spx、qqq', '/history'],
    ['en', '/levels spx spx', '/levels spx'],
  ] as const)('GIVEN Telegram %s "%s" THEN the answer to "%s"', async (lang, typed, plain) => {
    const answer = await telegram(lang, typed);
    expect(answer.join('\n')).not.toMatch(/more than this command takes|用不到/);
    expect(answer).toEqual(await telegram(lang, plain));
  });

  test('GIVEN Telegram "/ratio spx qqq hello" THEN the word too many is hello alone', async () => {
    expect((await telegram('en', '/ratio spx qqq hello')).join('\n')).toContain('"hello" is more than this command takes.');
  });
});

describe('two pairs named to /chart', () => {
  test.each([
    ['en', '/chart spx qqq', 'A chart draws one pair: "spx" and "qqq" are two. Ask for one chart, then the other.'],
    ['en', '/chart spx 5y qqq', 'A chart draws one pair: "spx" and "qqq" are two. Ask for one chart, then the other.'],
    ['zh-TW', '/chart 標普 納指', '一張圖只畫一個比率：「標普」和「納指」是兩個。請先要一張，再要另一張。'],
    ['zh-CN', '/chart spx 和 qqq', '一张图只画一个比率：“spx”和“qqq”是两个。请先要一张，再要另一张。'],
  ] as const)('GIVEN Telegram %s "%s" THEN refused naming both: %s', async (lang, typed, refusal) => {
    expect(await telegram(lang, typed)).toContain(refusal);
  });
});

describe('a span of days written as one word', () => {
  test.each([
    ['en', '/chart spx 1/5-3/10', '/chart spx 1/5 - 3/10'],
    ['en', '/power 5/6-7/8', '/power 5/6 - 7/8'],
  ] as const)('GIVEN Telegram %s "%s" THEN the answer to "%s": which day the start is, asked', async (lang, joined, spaced) => {
    const answer = await telegram(lang, joined);
    expect(answer.join('\n')).toMatch(/could be|可能是/);
    expect(answer).toEqual(await telegram(lang, spaced));
  });

  test.each([
    ['en', '/chart spx 2024/1/5-2024/3/10', '/chart spx 2024-01-05 2024-03-10'],
    ['zh-TW', '/chart spx 1月5日-3月10日', '/chart spx 2026-01-05 2026-03-10'],
    ['zh-CN', '/chart spx 12/25-1/15', '/chart spx 2025-12-25 2026-01-15'],
    // Month first in a Chinese chat, as 1/5 is 一月五日 there; spaced or not.
    ['zh-TW', '/chart spx 1/5-3/10', '/chart spx 2026-01-05 2026-03-10'],
    ['zh-TW', '/chart spx 1/5～3/10', '/chart spx 2026-01-05 2026-03-10'],
    ['zh-CN', '/chart spx 1/5到3/10', '/chart spx 2026-01-05 2026-03-10'],
    ['zh-CN', '/chart spx 1/5 到 3/10', '/chart spx 2026-01-05 2026-03-10'],
  ] as const)('GIVEN Telegram %s "%s" THEN the chart of "%s"', async (lang, joined, iso) => {
    expect(await telegram(lang, joined)).toEqual(await telegram(lang, iso));
  });

  test('GIVEN Discord /chart from:1/5-3/10 THEN the answer to from:1/5 to:3/10', async () => {
    const answer = await discord('en', 'chart', { chart: 'spx', from: '1/5-3/10' });
    expect(answer.join('\n')).toContain('could be');
    expect(answer).toEqual(await discord('en', 'chart', { chart: 'spx', from: '1/5', to: '3/10' }));
    // In a Chinese client, month first: January 5 to March 10, named.
    const zh = await discord('zh-TW', 'chart', { chart: 'spx', from: '1/5-3/10' });
    expect(zh).toEqual(await discord('zh-TW', 'chart', { chart: 'spx', from: '2026-01-05', to: '2026-03-10' }));
  });
});

describe('a month and its day in Chinese numerals, typed to the real bots', () => {
  test.each([
    ['zh-TW', '/chart spx 十二月二十五日', '/chart spx 12月25日'],
    ['zh-CN', '/chart spx 十二月廿五日到三月十日', '/chart spx 2025-12-25 2026-03-10'],
    ['zh-TW', '/chart spx 二〇二四年全年', '/chart spx 2024年全年'],
    ['zh-CN', '/power 二〇二四年三月', '/power 2024-03'],
  ] as const)('GIVEN Telegram %s "%s" THEN the answer to "%s"', async (lang, typed, digits) => {
    expect(await telegram(lang, typed)).toEqual(await telegram(lang, digits));
  });
});

describe("Discord's zone choices beyond the offered zones, in a Chinese locale", () => {
  test.each([
    ['yerevan', 'zh-TW', '亞洲 Asia/Yerevan（UTC+4）', 'Asia/Yerevan'],
    ['yerevan', 'zh-CN', '亚洲 Asia/Yerevan（UTC+4）', 'Asia/Yerevan'],
    ['la_rioja', 'zh-TW', '美洲 America/Argentina/La_Rioja（UTC-3）', 'America/Argentina/La_Rioja'],
    ['yerevan', 'en', 'Yerevan (UTC+4)', 'Asia/Yerevan'],
    // An offered zone keeps its city's name.
    ['tokyo', 'zh-TW', '東京（UTC+9）', 'Asia/Tokyo'],
  ] as const)('GIVEN Discord’s autocomplete for "%s" in %s THEN %s', async (typed, lang, name, value) => {
    expect((await zoneChoices(typed, lang))[0]).toEqual({ name, value });
  });

  const NOW = Date.parse('2026-07-01T12:00:00Z');
  test.each(['zh-TW', 'zh-CN'] as const)(
    'GIVEN each zone typed whole in %s THEN its choice has no English city but in its IANA name, within 100 characters',
    (lang) => {
      const english: string[] = [];
      for (const zone of Intl.supportedValuesOf('timeZone')) {
        const choice = autocompleteChoices('digest', 'timezone', zone, lang, NOW).find((c) => c.value === zone);
        if (choice === undefined) continue;
        expect(choice.name.length, zone).toBeLessThanOrEqual(100);
        if (/[a-z]/i.test(choice.name.replace(zone, '').replace(/UTC/g, ''))) english.push(choice.name);
      }
      expect(english).toEqual([]);
    },
  );
});
