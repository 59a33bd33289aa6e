/**
 * Small reader defects found on main (round 14), typed into the Telegram fake and the Discord fake,
 * answered by the real bots: `/ratio today` read as the ratio, not as an unknown pair.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningBots, startBothBots, stopBothBots } from '../helpers/discord-harness.ts';
import { type Lang, readerTryout } from '../helpers/reader-tryout.ts';

const WEDNESDAY_10_NY = Date.parse('2026-11-18T15:00:00Z');
let bots: RunningBots;

beforeAll(async () => {
  bots = await startBothBots(() => WEDNESDAY_10_NY);
});
afterAll(() => stopBothBots(bots));

const { telegram, discord: discordLines, zoneChoices: choices } = readerTryout(() => bots, 14000, 914000000000000001n);
/** The answer to `/name` with these options in a fresh Discord channel: its embed's title, then its lines. */
const discord = (lang: Lang, name: string, options: Readonly<Record<string, string>>) => discordLines(lang, name, options, { title: true });

describe('today or now typed to a command that shows the latest close', () => {
  test.each([
    ['en', '/ratio today', '/ratio'],
    ['en', '/ratio now', '/ratio'],
    ['en', '/ratio qqq today', '/ratio qqq'],
    ['zh-TW', '/ratio 今天', '/ratio'],
    ['zh-TW', '/ratio 現在', '/ratio'],
    ['zh-CN', '/ratio 现在', '/ratio'],
    ['zh-CN', '/history 纳指 今天', '/history 纳指'],
  ] as const)('GIVEN Telegram %s "%s" THEN the answer to "%s"', async (lang, typed, plain) => {
    const answer = await telegram(lang, typed);
    expect(answer.join('\n')).not.toMatch(/pair|交易對|交易对|不接受/);
    expect(answer).toEqual(await telegram(lang, plain));
  });

  test('GIVEN Discord /ratio with its pair option typed today THEN the answer to /ratio', async () => {
    const answer = await discord('en', 'ratio', { pair: 'today' });
    expect(answer.join('\n')).not.toMatch(/pair/i);
    expect(answer).toEqual(await discord('en', 'ratio', {}));
  });

  test('GIVEN a word that is not today beside it THEN the refusals they had', async () => {
    expect((await telegram('en', '/ratio today hello'))[0]).toBe('Unknown pair "hello": use spx or qqq.');
    expect((await telegram('en', '/history 2020'))[0]).toBe('/history takes no date ("2020"): for that time, try /chart spx 2020.');
  });
});

describe("Discord's time-zone autocomplete", () => {
  test('GIVEN "EST" typed THEN the zones that print EST first, and no zone that only holds the letters inside a word', async () => {
    const values = (await choices('EST', 'en')).map((c) => c.value);
    expect(values[0]).toBe('America/New_York');
    expect(values).toEqual(expect.arrayContaining(['America/Detroit', 'America/Toronto']));
    const zonesUsingEst = values.findIndex((v) => ['Europe/Bucharest', 'Europe/Budapest', 'America/Creston'].includes(v));
    expect(zonesUsingEst === -1 || values.slice(0, zonesUsingEst).includes('America/Toronto')).toBe(true);
  });

  test('GIVEN "york" typed THEN New York, a word start, before a zone holding the letters inside a word', async () => {
    expect((await choices('york', 'en'))[0]?.value).toBe('America/New_York');
  });

  test('GIVEN a zone in each language THEN named by its city as the zone buttons name it, the value the IANA zone', async () => {
    expect((await choices('taipei', 'en'))[0]).toEqual({ name: 'Taipei (UTC+8)', value: 'Asia/Taipei' });
    expect((await choices('taipei', 'zh-TW'))[0]).toEqual({ name: '台北（UTC+8）', value: 'Asia/Taipei' });
    expect((await choices('EST', 'zh-CN'))[0]).toEqual({ name: '纽约（UTC-5）', value: 'America/New_York' });
  });
});
