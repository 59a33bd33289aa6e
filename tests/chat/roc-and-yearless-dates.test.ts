/**
 * Dates as Taiwanese and other readers write them to /chart and /power: a 民國 year (113年, 民國113年5月,
 * 113/5, 113/05/20; 120年 is 民國120年, 2031, not yet come, never 120 years back), and a day without its
 * year (12/25, 25/12, 12-25, 12月25日, 十二月二十五日, Dec 25: the latest such day; 05/06 asked in English, month
 * first in Chinese, as 1/5 is 一月五日 there). The parser in each
 * language, then the real bots (grammY and discord.js against tests/fakes) as a reader meets them.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chatMessage, parseBaseDate } from '../../src/chat/parse.ts';
import type { Lang } from '../../src/domain/i18n/index.ts';
import { type RunningBots, startBothBots, stopBothBots } from '../helpers/discord-harness.ts';
import { readerTryout } from '../helpers/reader-tryout.ts';

const TODAY = '2026-11-18';
/** What parseBaseDate makes of `typed` as a start in a `lang` chat: the date, or the refusal's words as the chat shows them. */
const read = (typed: string, lang: Lang, side: 'start' | 'end' = 'start'): string => {
  const r = parseBaseDate(typed, TODAY, side, lang, TODAY);
  // Without the marks that make a command line copyable (chat/reply.ts copyable).
  return r.ok ? r.value : chatMessage(lang, r.error).replace(/[\uE000\uE001]/g, '');
};

describe('a 民國 year in each language', () => {
  test.each([
    ['113年', '2024-01-01'],
    ['民國113年', '2024-01-01'],
    ['民國113年5月', '2024-05-01'],
    ['113年5月', '2024-05-01'],
    ['113/5', '2024-05-01'],
    ['113/05/20', '2024-05-20'],
    ['113.05.20', '2024-05-20'],
    ['99/12/31', '2010-12-31'],
    ['過去120年', '1906-11-18'],
    ['30年', '1996-11-18'],
  ])('GIVEN %s in a zh-TW chat THEN %s', (typed, date) => {
    expect(read(typed, 'zh-TW')).toBe(date);
  });

  test.each([
    ['120年', '「120年」是民國120年，即2031年，尚未到來（今天是2026年11月18日）。若是指過去 120 年，請寫「過去120年」。'],
    ['116年', '「116年」是民國116年，即2027年，尚未到來（今天是2026年11月18日）。若是指過去 116 年，請寫「過去116年」。'],
    ['116年3月', '日期「民國116年3月」尚未到來（今天是2026年11月18日）。'],
    ['116/3', '日期「民國116年3月」尚未到來（今天是2026年11月18日）。'],
    ['民國120年', '日期「民國120年」尚未到來（今天是2026年11月18日）。'],
  ])('GIVEN %s in a zh-TW chat THEN refused as a 民國 date not yet come, never read as years back', (typed, refusal) => {
    expect(read(typed, 'zh-TW')).toBe(refusal);
    expect(read(typed, 'zh-TW', 'end')).toBe(refusal);
  });

  test.each([
    ['en', '113/5', '"113/5" is a date as Taiwan counts years (民國), that is 2024-05: write 2024-05.'],
    ['en', '113/05/20', '"113/05/20" is a date as Taiwan counts years (民國), that is 2024-05-20: write 2024-05-20.'],
    ['zh-CN', '113/5', '“113/5”是台湾的民国纪年写法，即 2024-05：请直接写 2024-05。'],
    ['en', '113年', '"113年" could be 113 years back (write 113y) or, as Taiwan counts years, 民國113年, which is 2024 (write 2024).'],
    // A 民國 year not yet come is no reading to offer outside Taiwan: years back, as it was.
    ['en', '120年', '1906-11-18'],
    ['zh-CN', '120年', '1906-11-18'],
    ['zh-CN', '113年', '1913-11-18'],
  ] as const)('GIVEN a %s chat and %s THEN %s', (lang, typed, said) => {
    expect(read(typed, lang)).toBe(said);
  });
});

describe('a day without its year in each language', () => {
  test.each([
    ['en', '12/25', '2025-12-25'],
    ['en', '25/12', '2025-12-25'],
    ['en', '12-25', '2025-12-25'],
    ['en', 'Dec 25', '2025-12-25'],
    ['en', 'since 12/25', '2025-12-25'],
    ['en', '11/18', '2026-11-18'],
    ['en', '2/29', '2024-02-29'],
    ['zh-TW', '12/25', '2025-12-25'],
    ['zh-TW', '12月25日', '2025-12-25'],
    ['zh-TW', '自12月25日', '2025-12-25'],
    ['zh-CN', '12月25日', '2025-12-25'],
    ['zh-CN', '12月25号', '2025-12-25'],
    ['zh-CN', '25/12', '2025-12-25'],
  ] as const)('GIVEN a %s chat and %s THEN the latest such day, %s', (lang, typed, date) => {
    expect(read(typed, lang)).toBe(date);
  });

  test('GIVEN 05/06 in an English chat THEN asked which day, never guessed', () => {
    expect(read('05/06', 'en')).toBe('"05/06" could be 2026-05-06 or 2026-06-05: write the date year first, like 2026-05-06.');
  });

  test.each([
    ['zh-TW', '05/06', '2026-05-06'],
    ['zh-CN', '05/06', '2026-05-06'],
    ['zh-TW', '1/5', '2026-01-05'],
    ['zh-CN', '1/5', '2026-01-05'],
    // One reading only on the calendar: that one, as in English.
    ['zh-CN', '25/12', '2025-12-25'],
  ] as const)('GIVEN a %s chat and %s THEN month first, as Chinese writes it (一月五日): %s', (lang, typed, date) => {
    expect(read(typed, lang)).toBe(date);
  });

  test.each([
    ['en', '2/30', 'There is no "2/30" on the calendar.'],
    ['zh-TW', '2月30日', '日曆上沒有「2月30日」這個日期。'],
    ['zh-CN', '31/4', '日历上没有“31/4”这个日期。'],
  ] as const)('GIVEN a %s chat and %s THEN refused as no such day, not as an unknown range', (lang, typed, said) => {
    expect(read(typed, lang)).toBe(said);
  });

  test('GIVEN a day of the chat’s calendar not yet closed in New York THEN as a start refused as not yet come, as an end today', () => {
    expect(parseBaseDate('11/19', TODAY, 'start', 'en', '2026-11-19')).toMatchObject({ ok: false, error: { key: 'chat.err.dateFuture' } });
    expect(parseBaseDate('11/19', TODAY, 'end', 'en', '2026-11-19')).toEqual({ ok: true, value: TODAY });
  });
});

describe('a month and its day in Chinese numerals, read where 12月25日 is', () => {
  test.each([
    ['zh-TW', '十二月二十五日', '2025-12-25'],
    ['zh-TW', '十二月廿五日', '2025-12-25'],
    ['zh-TW', '三月十日', '2026-03-10'],
    ['zh-TW', '三月十號', '2026-03-10'],
    ['zh-TW', '三月卅一日', '2026-03-31'],
    ['zh-CN', '十二月二十五号', '2025-12-25'],
    ['zh-CN', '十一月三日', '2026-11-03'],
    ['en', '十二月二十五日', '2025-12-25'],
    ['zh-TW', '2024年十二月廿五日', '2024-12-25'],
    ['zh-CN', '二〇二四年', '2024-01-01'],
    ['zh-CN', '二〇二四年三月十日', '2024-03-10'],
    ['zh-TW', '去年三月', '2025-03-01'],
    // A month alone is the latest such month begun, as a day alone is the latest such day (reader-tryout-21zh).
    ['zh-TW', '三月', '2026-03-01'],
    ['zh-TW', '去年十二月廿五日', '2025-12-25'],
  ] as const)('GIVEN a %s chat and %s THEN %s', (lang, typed, date) => {
    expect(read(typed, lang)).toBe(date);
  });

  test.each([
    ['zh-TW', '二月三十日', '日曆上沒有「二月三十日」這個日期。'],
    // No thirteenth month, no 32nd day.
    ['zh-CN', '十三月一日', '日期须为某日、某月或某年（1999-03-10、2020-03、2020）；您输入的是“十三月一日”。'],
    ['zh-CN', '十二月三十二日', '日期须为某日、某月或某年（1999-03-10、2020-03、2020）；您输入的是“十二月三十二日”。'],
  ] as const)('GIVEN a %s chat and %s THEN refused: %s', (lang, typed, refusal) => {
    expect(read(typed, lang)).toBe(refusal);
  });
});
describe('as a reader meets them, through the real bots', () => {
  let bots: RunningBots;
  beforeAll(async () => {
    bots = await startBothBots(() => Date.parse('2026-11-18T15:00:00Z'));
  });
  afterAll(() => stopBothBots(bots));

  const tryout = readerTryout(() => bots, 16500, 916500000000000001n);
  /** The first line of the answer to `text` in a fresh private Telegram chat of a `lang` reader. */
  const telegram = async (lang: Lang, text: string): Promise<string> => (await tryout.telegram(lang, text))[0]!;
  /** The embed's title and description of the answer to `/name` with these options in a fresh Discord channel. */
  async function discord(lang: Lang, name: string, options: Readonly<Record<string, string>>): Promise<string> {
    const [title, ...description] = await tryout.discord(lang, name, options, { title: true });
    return `${title}${description.join('\n')}`;
  }

  test.each([
    ['en', '/chart spx 12/25', 'SPX/Gold, since 2025-12-25'],
    ['en', '/chart spx 25/12', 'SPX/Gold, since 2025-12-25'],
    ['zh-TW', '/chart spx 12月25日', '標普500/黃金，自2025年12月25日起'],
    ['zh-CN', '/chart spx 12-25', '标普500/黄金，自2025年12月25日起'],
    ['zh-TW', '/chart spx 113/5 114/3', '標普500/黃金，2024年5月1日至2025年3月31日'],
    ['zh-TW', '/chart spx 民國113年5月', '標普500/黃金，自2024年5月1日起'],
    ['zh-TW', '/power 120年', '「120年」是民國120年，即2031年，尚未到來（今天是2026年11月18日）。若是指過去 120 年，請寫「過去120年」。'],
    ['en', '/chart spx 05/06', '"05/06" could be 2026-05-06 or 2026-06-05: write the date year first, like 2026-05-06.'],
    ['en', '/chart spx 1/5', '"1/5" could be 2026-01-05 or 2026-05-01: write the date year first, like 2026-01-05.'],
    ['zh-TW', '/chart spx 1/5', '標普500/黃金，自2026年1月5日起'],
    ['zh-CN', '/chart spx 1/5', '标普500/黄金，自2026年1月5日起'],
    ['en', '/history 12/25', '/history takes no date ("12/25"): for that time, try /chart spx 12/25.'],
    ['en', '/chart spx 2/30', 'There is no "2/30" on the calendar.'],
  ] as const)('GIVEN Telegram in %s: %s THEN %s', async (lang, text, first) => {
    expect(await telegram(lang, text)).toBe(first);
  });

  test.each([
    ['en', 'chart', { chart: 'spx', from: '12/25' }, 'SPX/Gold, since 2025-12-25'],
    ['zh-TW', 'chart', { chart: 'spx', from: '113/5' }, '標普500/黃金，自2024年5月1日起'],
    ['zh-TW', 'power', { base: '120年' }, '「120年」是民國120年，即2031年，尚未到來'],
    ['zh-CN', 'chart', { chart: 'spx', from: '12月25日' }, '标普500/黄金，自2025年12月25日起'],
    ['zh-TW', 'chart', { chart: 'spx', from: '1/5' }, '標普500/黃金，自2026年1月5日起'],
  ] as const)('GIVEN Discord in %s: /%s %j THEN %s', async (lang, name, options, said) => {
    expect(await discord(lang, name, options)).toContain(said);
  });
});
