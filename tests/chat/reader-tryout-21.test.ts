/**
 * What round 21 noticed, typed into the real bots (grammY and discord.js against tests/fakes): a
 * country's flag as a zone (`/digest 8am 🇹🇼`, `/quiet 22-7 🇯🇵`): one clock read as it, several asked
 * as an abbreviation's are; and what /start says the essay argues.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningBots, startBothBots, stopBothBots } from '../helpers/discord-harness.ts';
import { linesOf, readerTryout } from '../helpers/reader-tryout.ts';

const WEDNESDAY_10_NY = Date.parse('2026-11-18T15:00:00Z');
let bots: RunningBots;

beforeAll(async () => {
  bots = await startBothBots(() => WEDNESDAY_10_NY);
});
afterAll(() => stopBothBots(bots));

const { telegram, telegramCall, discord } = readerTryout(() => bots, 22000, 922000000000000001n);

describe("a country's flag as a zone", () => {
  test.each([
    ['en', '/digest 8am 🇹🇼', 'Daily digest set for 08:00 (Taipei time)'],
    ['zh-TW', '/digest 8am 🇯🇵', '08:00（日本時間）'],
    ['zh-CN', '/digest 早上8点 🇨🇳', '北京时间'],
    ['en', '/quiet 22-7 🇯🇵', '22:00-07:00 (Japan time)'],
    ['zh-TW', '/quiet 22-7 🇹🇼', '22:00-07:00（台北時間）'],
    ['en', '/digest 8am 🇩🇪', 'Berlin'],
  ] as const)('GIVEN Telegram %s "%s" THEN read as its one clock, the reply naming it: %s', async (lang, text, named) => {
    expect((await telegram(lang, text)).join('\n')).toContain(named);
  });

  test('GIVEN /digest 8am 🇺🇸 THEN asked which of its clocks, east to west, one button each', async () => {
    const { call } = await telegramCall('en', '/digest 8am 🇺🇸');
    expect(linesOf(call)[0]).toBe('🇺🇸 has more than one time zone. Which one for 08:00?');
    const actions = (call.params.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard.flat().map((b) => b.callback_data);
    expect(actions.slice(0, 3)).toEqual(['digest:0800:America/New_York', 'digest:0800:America/Chicago', 'digest:0800:America/Denver']);
    expect(actions).toContain('digest:0800:Pacific/Honolulu');
  });

  test('GIVEN /quiet 22-7 🇦🇺 in zh-TW THEN asked naming its clocks, nothing set', async () => {
    const lines = await telegram('zh-TW', '/quiet 22-7 🇦🇺');
    expect(lines[0]).toMatch(/^🇦🇺 可能指不只一個時區（雪梨 Australia\/Sydney、/);
    expect(lines[0]).toContain('Australia/Perth');
  });

  test('GIVEN a flag of no country with a clock (🇪🇺) THEN refused as no zone', async () => {
    expect((await telegram('en', '/digest 8am 🇪🇺')).join('\n')).toMatch(/time zone/i);
  });

  test('GIVEN Discord /digest with the timezone 🇹🇼 THEN read as Taipei', async () => {
    expect((await discord('en', 'digest', { time: '08:00', timezone: '🇹🇼' })).join('\n')).toContain('Taipei time');
  });
});

describe('/start says what the essay argues', () => {
  test.each([
    [
      'en',
      [
        'goldratio watches the stock market priced in gold.',
        "A macro essay argues that US stocks only look like they rose since 1999: priced in gold, most of the gain is the dollar's loss.",
        'goldratio follows SPX/Gold and QQQ/Gold against its levels: 5.5, 2.5 and the 0.6–0.7 zone for SPX/Gold; 0.4, 0.25 and 0.03 for QQQ/Gold. Subscribe to hear when one breaks.',
      ],
    ],
    [
      'zh-TW',
      [
        'goldratio 以黃金衡量股市。',
        '一篇總經文章主張：美股自1999年以來的漲幅多半只是「看起來」上漲；以黃金計價，大部分漲幅其實是美元的貶值。',
        'goldratio 追蹤標普500/黃金與 QQQ/黃金相對於文章中關鍵水位的位置：標普500/黃金的 5.5、2.5 與 0.6–0.7 區間；QQQ/黃金的 0.4、0.25 與 0.03。訂閱後，水位遭突破或跌破時會通知您。',
      ],
    ],
    [
      'zh-CN',
      [
        'goldratio 用黄金衡量股市。',
        '一篇宏观文章认为：美股自1999年以来的涨幅大多只是“看起来”在涨；以黄金计价，大部分涨幅其实是美元的贬值。',
        'goldratio 跟踪标普500/黄金与 QQQ/黄金相对于文章中关键点位的位置：标普500/黄金的 5.5、2.5 与 0.6–0.7 区间；QQQ/黄金的 0.4、0.25 与 0.03。订阅后，点位被突破或跌破时会提醒您。',
      ],
    ],
  ] as const)(
    'GIVEN /start from a %s reader THEN its first lines: what goldratio does, what the essay argues, the ratios and their levels',
    async (lang, first) => {
      const lines = await telegram(lang, '/start');
      expect(lines.slice(0, 3)).toEqual(first);
      // No title or address the essay was never given here.
      expect(lines.join('\n')).not.toMatch(/https?:|《|“[^”]*”.*essay/);
    },
  );
});
