/**
 * Every zone the bot offers by name (the common zones' buttons, an abbreviation's choices, a place
 * readers name, Discord's autocomplete for them) is named as its readers name the place, in every
 * language: never the IANA name's English city in a Chinese chat (Tokyo, Sydney on a zh-TW button).
 * The catalogue is checked for each offered zone; the buttons and choices are asked of the real bots.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FakeUser } from '../fakes/telegram.ts';
import { type RunningBots, startBothBots, stopBothBots } from '../helpers/discord-harness.ts';
import { nextAnswer } from '../helpers/telegram-harness.ts';
import { readerTryout } from '../helpers/reader-tryout.ts';
import { COMMON_ZONES, OFFERED_ZONES } from '../../src/domain/digest-schedule.ts';
import { hasKey, LANGS, t } from '../../src/domain/i18n/index.ts';
import { zoneButtonLabel } from '../../src/chat/labels.ts';
import type { Lang } from '../../src/domain/i18n/index.ts';

describe('the catalogue names every offered zone', () => {
  test('GIVEN the zones offered THEN the common zones, every abbreviation’s and every named place’s are among them', () => {
    expect(OFFERED_ZONES).toEqual(expect.arrayContaining([...COMMON_ZONES, 'America/Rio_Branco', 'Pacific/Pago_Pago', 'Europe/Paris', 'Asia/Tokyo']));
  });

  test.each(OFFERED_ZONES.map((z) => [z]))('GIVEN %s THEN it has a city name in every language, in Han characters in both Chinese scripts', (zone) => {
    expect(hasKey(`zone.city.${zone}`), zone).toBe(true);
    for (const lang of LANGS) {
      const name = zoneButtonLabel(lang, zone);
      expect(name, `${lang} ${zone}`).toBe(t(lang, `zone.city.${zone}`));
      if (lang !== 'en' && zone !== 'UTC') expect(name, `${lang} ${zone}`).toMatch(/^\p{Script=Han}+$/u);
    }
  });
});

describe('the zones offered, as the real bots name them', () => {
  let bots: RunningBots;
  beforeAll(async () => {
    bots = await startBothBots(() => Date.parse('2026-11-18T15:00:00Z'));
  });
  afterAll(() => stopBothBots(bots));

  let nextChat = 15500;
  /** The buttons under the answer to `text` in a fresh private Telegram chat of a `lang` reader. */
  async function buttons(lang: Lang, text: string): Promise<string[]> {
    const chatId = nextChat++;
    const user: FakeUser = { id: chatId, first_name: 'Lin', language_code: lang };
    const call = await nextAnswer(bots.tgFake, chatId, text, user);
    const markup = call.params.reply_markup as { inline_keyboard?: { text: string }[][] } | string | undefined;
    const keyboard = (typeof markup === 'string' ? JSON.parse(markup) : markup)?.inline_keyboard ?? [];
    return keyboard.flat().map((b: { text: string }) => b.text);
  }

  const { zoneChoices: choices } = readerTryout(() => bots, 15600, 915500000000000001n);

  test.each([
    ['zh-TW', ['里約布朗庫', '雪梨']],
    ['zh-CN', ['里奥布朗库', '悉尼']],
    ['en', ['Rio Branco', 'Sydney']],
  ] as const)('GIVEN Telegram /digest 08:00 ACT in %s THEN the two zones it may be are buttons named by their cities', async (lang, cities) => {
    expect(await buttons(lang, '/digest 08:00 ACT')).toEqual(expect.arrayContaining([...cities]));
  });

  test.each([
    ['zh-TW', 'IST 可能指不只一個時區（印度 Asia/Kolkata、都柏林 Europe/Dublin、耶路撒冷 Asia/Jerusalem）：請指定其中一個'],
    ['zh-CN', 'IST 可能指多个时区（印度 Asia/Kolkata、都柏林 Europe/Dublin、耶路撒冷 Asia/Jerusalem）：请指定其中一个'],
    ['en', '"IST" names several time zones (Asia/Kolkata for India, Europe/Dublin, Asia/Jerusalem): give one of them'],
  ] as const)('GIVEN Telegram /quiet 23:00-07:00 IST in %s THEN the zones it may be, each with its place, to type by its IANA name', async (lang, asked) => {
    const chatId = nextChat++;
    const call = await nextAnswer(bots.tgFake, chatId, '/quiet 23:00-07:00 IST', { id: chatId, first_name: 'Lin', language_code: lang });
    expect(String(call.params.text)).toContain(asked);
  });

  test.each([
    ['東京', 'zh-TW', '東京（UTC+9）', 'Asia/Tokyo'],
    ['paris', 'zh-CN', '巴黎（UTC+1）', 'Europe/Paris'],
    ['雪梨', 'zh-TW', '雪梨（UTC+11）', 'Australia/Sydney'],
    ['tokyo', 'en', 'Tokyo (UTC+9)', 'Asia/Tokyo'],
  ] as const)('GIVEN Discord’s autocomplete for "%s" in %s THEN the place first, named as its readers name it', async (typed, lang, name, value) => {
    expect((await choices(typed, lang))[0]).toEqual({ name, value });
  });
});
