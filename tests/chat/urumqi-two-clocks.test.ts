/**
 * Urumqi keeps two clocks: Beijing's, the official one, and Xinjiang's own, two hours behind. /digest,
 * /quiet and /mute ask about it in the same words (chat/labels.ts twoClocksSaid), not as a name of
 * several zones; its buttons name both clocks in the reader's language (北京時間 | 新疆時間, not "Urumqi" nor a city beside a clock),
 * and that name typed back is that clock, while the city's bare name is still asked. Typed into the
 * Telegram fake and the Discord fake, answered by the real bots.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningBots, startBothBots, stopBothBots } from '../helpers/discord-harness.ts';
import { linesOf, readerTryout, type Lang } from '../helpers/reader-tryout.ts';
import { nextAnswer } from '../helpers/telegram-harness.ts';
import type { RecordedCall } from '../fakes/telegram.ts';

let bots: RunningBots;
beforeAll(async () => {
  bots = await startBothBots(() => Date.parse('2026-11-18T15:00:00Z'));
});
afterAll(() => stopBothBots(bots));

const { nextChatId, telegramCall, discord, zoneChoices } = readerTryout(() => bots, 22800, 922800000000000001n);

/** The answers to `texts` typed one after another into one fresh private chat of a `lang` reader. */
async function inOneChat(lang: Lang, ...texts: string[]): Promise<RecordedCall[]> {
  const chatId = nextChatId();
  const user = { id: chatId, first_name: 'Lin', language_code: lang };
  const answers: RecordedCall[] = [];
  for (const text of texts) answers.push(await nextAnswer(bots.tgFake, chatId, text, user));
  return answers;
}

/** The buttons under an answer: label and action. */
function buttonsOf(call: RecordedCall): { text: string; callback_data: string }[] {
  const markup = call.params.reply_markup as { inline_keyboard?: { text: string; callback_data: string }[][] } | string | undefined;
  return ((typeof markup === 'string' ? JSON.parse(markup) : markup)?.inline_keyboard ?? []).flat();
}

const CLOCKS = {
  en: (place: string) => `${place} keeps two clocks: Beijing's, the official one, and Xinjiang's own, two hours behind.`,
  'zh-TW': (place: string) => `${place}有兩種時間：官方的北京時間，以及晚兩小時的新疆時間。`,
  'zh-CN': (place: string) => `${place}有两种时间：官方的北京时间，以及晚两小时的新疆时间。`,
} as const;

describe('/digest, /quiet and /mute say Urumqi’s two clocks alike', () => {
  test.each([
    ['zh-TW', '烏魯木齊', '/digest 08:00 烏魯木齊', '08:00 是哪一種時間？', undefined],
    ['zh-TW', '烏魯木齊', '/quiet 23:00-07:00 烏魯木齊', '請指定其中一個時區（', '），例如 /quiet 23:00-07:00 Asia/Shanghai。'],
    ['zh-CN', '乌鲁木齐市', '/quiet 23:00-07:00 乌鲁木齐市', '请指定其中一个时区（', '），例如 /quiet 23:00-07:00 Asia/Shanghai。'],
    ['en', 'Urumqi', '/quiet 23:00-07:00 Urumqi', ' Give one of their zones (', '), e.g. /quiet 23:00-07:00 Asia/Shanghai.'],
    ['zh-TW', '新疆', '/mute 到明天早上9點 新疆', '請指定其中一個時區（', '），例如 /mute 到明天早上9點 Asia/Shanghai。'],
    ['zh-CN', '乌鲁木齐', '/mute 到明天早上9点 乌鲁木齐', '请指定其中一个时区（', '），例如 /mute 到明天早上9点 Asia/Shanghai。'],
    ['en', 'Urumqi', '/mute until 9am Urumqi', ' Give one of their zones (', '), e.g. /mute until 9am Asia/Shanghai.'],
  ] as const)(
    'GIVEN Telegram %s "%s" typed as the zone of "%s" in a subscribed chat THEN its two clocks said, then the question',
    async (lang, place, text, asked, example) => {
      const [, answer] = await inOneChat(lang, '/subscribe', text);
      const line = linesOf(answer!)[0]!;
      expect(line.startsWith(`${CLOCKS[lang](place)}${asked}`), line).toBe(true);
      if (example !== undefined) expect(line.endsWith(example), line).toBe(true);
    },
  );

  test('GIVEN Discord zh-CN /quiet hours:23:00-07:00 timezone:乌鲁木齐 THEN said so too', async () => {
    expect((await discord('zh-CN', 'quiet', { hours: '23:00-07:00', timezone: '乌鲁木齐' })).join('\n')).toContain(CLOCKS['zh-CN']('乌鲁木齐'));
  });

  test('GIVEN CST, a name of several zones THEN /quiet and /mute still ask it as one', async () => {
    const [, quiet, mute] = await inOneChat('en', '/subscribe', '/quiet 23:00-07:00 CST', '/mute until 9am CST');
    expect(linesOf(quiet!)[0]).toMatch(/^"CST" names several time zones \(/);
    expect(linesOf(mute!)[0]).toMatch(/^"CST" names several time zones \(/);
  });
});

describe('Xinjiang’s clock on a button, in the reader’s language, read back as that clock', () => {
  test.each([
    ['zh-TW', '/digest 08:00 烏魯木齊', ['北京時間', '新疆時間']],
    ['zh-CN', '/digest 08:00 乌鲁木齐', ['北京时间', '新疆时间']],
    ['en', '/digest 08:00 Urumqi', ['Beijing time', 'Xinjiang time']],
  ] as const)('GIVEN Telegram %s "%s" THEN the buttons are %j', async (lang, text, labels) => {
    const { call } = await telegramCall(lang, text);
    expect(buttonsOf(call).map((b) => [b.text, b.callback_data])).toEqual([
      [labels[0], 'digest:0800:Asia/Shanghai'],
      [labels[1], 'digest:0800:Asia/Urumqi'],
    ]);
  });

  test.each([
    ['zh-TW', '/quiet 23:00-07:00 烏魯木齊', '（北京時間 Asia/Shanghai、新疆時間 Asia/Urumqi）'],
    ['zh-CN', '/mute 到明天早上9点 乌鲁木齐', '（北京时间 Asia/Shanghai、新疆时间 Asia/Urumqi）'],
    ['en', '/quiet 23:00-07:00 Urumqi', '(Asia/Shanghai for Beijing time, Asia/Urumqi for Xinjiang time)'],
  ] as const)('GIVEN Telegram %s "%s" THEN the choices to type name Xinjiang’s clock so too: %s', async (lang, text, choices) => {
    const [, answer] = await inOneChat(lang, '/subscribe', text);
    expect(linesOf(answer!)[0]).toContain(choices);
  });

  test.each([
    ['zh-TW', '/digest 08:00 新疆時間', '新疆時間'],
    ['zh-CN', '/digest 08:00 新疆时间', '新疆时间'],
    ['en', '/digest 08:00 Xinjiang time', 'Xinjiang time'],
    // A label is read back in a chat of another language too.
    ['en', '/digest 08:00 新疆時間', 'Xinjiang time'],
  ] as const)('GIVEN Telegram %s "%s" (the button’s label typed) THEN the digest is set on Xinjiang’s clock, not asked', async (lang, text, clock) => {
    const [set] = await inOneChat(lang, text);
    const line = linesOf(set!)[0]!;
    expect(line).toContain('08:00');
    expect(line).toContain(clock);
    expect(buttonsOf(set!).map((b) => b.callback_data)).not.toContain('digest:0800:Asia/Shanghai');
  });

  test.each([
    ['zh-TW', '/digest 08:00 烏魯木齊時間', '烏魯木齊時間'],
    ['zh-CN', '/digest 08:00 新疆', '新疆'],
    ['en', '/digest 08:00 Urumqi time', 'Urumqi'],
  ] as const)('GIVEN Telegram %s "%s" (the city or region, either clock) THEN still asked', async (lang, text, place) => {
    const { call } = await telegramCall(lang, text);
    expect(linesOf(call)[0]).toMatch(new RegExp(`^${CLOCKS[lang](place).replaceAll('.', '\\.')}`));
    expect(buttonsOf(call).map((b) => b.callback_data)).toEqual(['digest:0800:Asia/Shanghai', 'digest:0800:Asia/Urumqi']);
  });

  test.each([
    ['新疆', 'zh-CN', ['北京时间（UTC+8）', '新疆时间（UTC+6）']],
    ['烏魯木齊', 'zh-TW', ['北京時間（UTC+8）', '新疆時間（UTC+6）']],
    ['urumqi', 'en', ['Beijing time (UTC+8)', 'Xinjiang time (UTC+6)']],
  ] as const)(
    'GIVEN Discord’s autocomplete for "%s" in %s THEN both clocks first, Beijing’s then Xinjiang’s, each named as a clock as the question’s buttons name them',
    async (typed, lang, names) => {
      expect((await zoneChoices(typed, lang)).slice(0, 2)).toEqual([
        { name: names[0], value: 'Asia/Shanghai' },
        { name: names[1], value: 'Asia/Urumqi' },
      ]);
    },
  );

  test.each([
    ['北京', 'zh-CN', '北京（UTC+8）'],
    ['beijing', 'en', 'Beijing (UTC+8)'],
  ] as const)('GIVEN Discord’s autocomplete for "%s" in %s (a city of one clock) THEN it is named by its city as before: %s', async (typed, lang, name) => {
    expect((await zoneChoices(typed, lang))[0]).toEqual({ name, value: 'Asia/Shanghai' });
  });
});
