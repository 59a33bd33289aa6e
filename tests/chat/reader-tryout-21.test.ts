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
