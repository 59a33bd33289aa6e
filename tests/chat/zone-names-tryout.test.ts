/**
 * A zone named as the bot names it (都柏林 in the IST prompt, 耶路撒冷, Buenos Aires on a button),
 * typed back to the real bots through the Telegram and Discord fakes: set, in that zone, where the
 * bots refused them (tests/domain/zone-names-read-back.test.ts walks every name).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readerTryout } from '../helpers/reader-tryout.ts';
import { type RunningBots, startBothBots, stopBothBots } from '../helpers/discord-harness.ts';

let bots: RunningBots;
beforeAll(async () => {
  bots = await startBothBots(() => Date.parse('2026-11-18T15:00:00Z'));
});
afterAll(() => stopBothBots(bots));

const { telegram, discord } = readerTryout(() => bots, 20700, 920700000000000001n);

describe('a zone typed as the bot names it', () => {
  test.each([
    [
      'zh-TW',
      '/digest 08:00 都柏林',
      { time: '08:00', timezone: '都柏林' },
      '每日摘要已設為 08:00（都柏林時間）。下一次：2026年11月19日 08:00（都柏林時間）。',
    ],
    ['zh-CN', '/quiet 23-7 耶路撒冷', { hours: '23-7', timezone: '耶路撒冷' }, '免打扰时段已设为 23:00-07:00（耶路撒冷时间）。'],
    [
      'en',
      '/digest 08:00 Buenos Aires',
      { time: '08:00', timezone: 'Buenos Aires' },
      'Daily digest set for 08:00 (Buenos Aires time). Next: 2026-11-19 08:00 (Buenos Aires time).',
    ],
    // The English name a button shows, in a Chinese chat: that city, named back in Chinese.
    [
      'zh-TW',
      '/digest 08:00 Buenos Aires',
      { time: '08:00', timezone: 'Buenos Aires' },
      '每日摘要已設為 08:00（布宜諾斯艾利斯時間）。下一次：2026年11月19日 08:00（布宜諾斯艾利斯時間）。',
    ],
  ] as const)('GIVEN %s "%s" THEN both bots set it in that zone', async (lang, text, options, set) => {
    expect((await telegram(lang, text))[0]).toBe(set);
    expect((await discord(lang, text.slice(1, text.indexOf(' ')), options))[0]).toBe(set);
  });
});

describe('the tryout harness', () => {
  test('GIVEN the bots’ clock on the world’s last close THEN their charts read it too: no stale mark in the footer', async () => {
    const spec = await bots.world.charts.spec({ kind: 'ratio', pair: 'spx-gold', range: '1Y' }, { lang: 'zh-TW' });
    expect(spec.footer).toContain('截至2026年11月18日');
    expect(spec.footer).not.toContain('資料過舊');
  });
});
