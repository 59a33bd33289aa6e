/**
 * What readers type that had the generic refusal or a surprising reading (round 9), typed into the
 * Telegram fake and the Discord fake, answered by the real bots on one clock a test may move
 * (Wednesday 2026-11-18, 10:00 in New York, unless moved): midnight (到半夜), office hours (到下班),
 * the bell, a US market holiday, 十幾分鐘, 到下午收盤, another market's close, half a day, next friday,
 * a Taipei chat's 今年 as an end on its New Year's morning. Every answer read in en, zh-TW and zh-CN.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { FakeUser } from '../fakes/telegram.ts';
import { botMessage, buttonInteraction, MANAGE_CHANNELS, slashInteraction } from '../fakes/discord.ts';
import { interactionAnswer, type RunningBots, startBothBots, stopBothBots } from '../helpers/discord-harness.ts';
import { nextAnswer } from '../helpers/telegram-harness.ts';
import { LANGS, type Lang } from '../../src/domain/i18n/index.ts';

const WEDNESDAY_10_NY = Date.parse('2026-11-18T15:00:00Z');
let clock = WEDNESDAY_10_NY;
let bots: RunningBots;

beforeAll(async () => (bots = await startBothBots(() => clock)));
afterAll(() => stopBothBots(bots));
beforeEach(() => {
  clock = WEDNESDAY_10_NY;
});

let nextChat = 9900;
/** Types `before` then `text` into a fresh private Telegram chat of a `lang` reader: the answer to `text`, its lines, tags removed. */
async function telegram(lang: Lang, text: string, before: readonly string[] = ['/subscribe']): Promise<{ readonly id: string; readonly lines: string[] }> {
  const chatId = nextChat++;
  const user: FakeUser = { id: chatId, first_name: 'Lin', language_code: lang };
  for (const b of before) await nextAnswer(bots.tgFake, chatId, b, user);
  const call = await nextAnswer(bots.tgFake, chatId, text, user);
  return {
    id: String(chatId),
    lines: String(call.params.text ?? call.params.caption ?? '')
      .replace(/<[^>]+>/g, '')
      .split('\n'),
  };
}

let nextChannel = 739000000000000001n;
/** The answer to `/name` with these options in a fresh Discord channel of a `lang` client (subscribed first): its embed's lines. */
async function discord(
  lang: Lang,
  name: string,
  options: Readonly<Record<string, string>>,
  before: readonly (readonly [string, Readonly<Record<string, string>>])[] = [['subscribe', {}]],
): Promise<{ readonly id: string; readonly lines: string[] }> {
  const channelId = String(nextChannel++);
  const ask = async (command: string, opts: Readonly<Record<string, string>>) => {
    const { token } = bots.dcFake.interact(
      slashInteraction({
        name: command,
        channelId,
        userId: String(nextChannel - 100000000000000000n),
        permissions: MANAGE_CHANNELS,
        locale: lang === 'en' ? 'en-US' : lang,
        options: Object.entries(opts).map(([n, value]) => ({ name: n, type: 3, value })),
      }),
    );
    const answer = await interactionAnswer(bots.dcFake, token);
    const embed = answer.body.embeds?.[0] ?? answer.body.data?.embeds?.[0] ?? {};
    // An italic line as Discord's markdown writes it (*…*, a caption in bold **…**): its words.
    return String(embed.description ?? embed.title ?? '')
      .split('\n')
      .map((l) => l.replace(/^\*{1,2}(.+?)\*{1,2}$/, '$1'));
  };
  for (const [command, opts] of before) await ask(command, opts);
  return { id: channelId, lines: await ask(name, options) };
}

const mutedUntil = async (platform: 'telegram' | 'discord', id: string) => (await bots.world.deps.subs.get(platform, id))?.mutedUntil ?? null;

/** Asks `/mute <typed>` on both platforms in `lang`: the two answers' lines (Discord's embed drops nothing else), and the chats' ends. */
async function muteBoth(lang: Lang, typed: string) {
  const tg = await telegram(lang, `/mute ${typed}`);
  const dc = await discord(lang, 'mute', { duration: typed });
  return { tg: tg.lines, dc: dc.lines, ends: [await mutedUntil('telegram', tg.id), await mutedUntil('discord', dc.id)] };
}

describe('/mute ends that had the generic refusal', () => {
  test('GIVEN /mute 到半夜, 到午夜 THEN muted until midnight on the chat’s clock, named', async () => {
    const tw = await muteBoth('zh-TW', '到半夜');
    expect(tw.tg[0]).toBe('已靜音至2026年11月19日 00:00（UTC）。');
    expect(tw.dc[0]).toBe(tw.tg[0]);
    expect(tw.ends).toEqual([Date.parse('2026-11-19T00:00:00Z'), Date.parse('2026-11-19T00:00:00Z')]);
    expect((await muteBoth('zh-CN', '到午夜')).tg[0]).toBe('已静音至2026年11月19日 00:00（UTC）。');
    expect((await muteBoth('en', 'until midnight')).tg[0]).toBe('Muted until 2026-11-19 00:00 (UTC).');
  });

  test('GIVEN /mute 到下班, until after work THEN one line: office hours are not known, what to type instead; not muted', async () => {
    const cases: readonly [Lang, string, string][] = [
      ['zh-TW', '到下班', '本機器人不知道您的下班時間（「到下班」）：要到美股收盤請寫「到今天收盤」，或寫時間，例如「到18:00」。'],
      ['zh-CN', '到下班', '机器人不知道您的下班时间（“到下班”）：要到美股收盘请写“到今天收盘”，或写时间，例如“到18:00”。'],
      [
        'en',
        'until after work',
        'The bot does not know your office hours ("until after work"): write until today\'s close for the US market\'s close, or a time, like until 18:00.',
      ],
    ];
    for (const [lang, typed, line] of cases) {
      const r = await muteBoth(lang, typed);
      expect([r.tg[0], r.dc[0]]).toEqual([line, line]);
      expect(r.ends).toEqual([null, null]);
    }
    // What it suggests works: today's close.
    expect((await muteBoth('zh-TW', '到今天收盤')).tg[0]).toBe('已靜音至2026年11月18日 21:00（UTC），即美股2026年11月18日收盤（紐約時間 16:00）。');
  });

  test('GIVEN /mute until the bell while the market is open THEN today’s close, the reply saying it is the closing bell; while shut, the next open, said so', async () => {
    const open = await muteBoth('en', 'until the bell');
    expect(open.tg.slice(0, 2)).toEqual([
      'Muted until 2026-11-18 21:00 (UTC), the close of 2026-11-18 (16:00 New York).',
      "The bell read as today's closing bell, the market being open; for the next open, write until the open.",
    ]);
    expect(open.dc.slice(0, 2)).toEqual(open.tg.slice(0, 2));
    expect(open.ends).toEqual([Date.parse('2026-11-18T21:00:00Z'), Date.parse('2026-11-18T21:00:00Z')]);
    // 17:00 in New York: shut until Thursday's 09:30.
    clock = Date.parse('2026-11-18T22:00:00Z');
    const tw = await muteBoth('zh-TW', 'until the bell');
    expect(tw.tg.slice(0, 2)).toEqual([
      '已靜音至2026年11月19日 14:30（UTC），即美股2026年11月19日開盤（紐約時間 09:30）。',
      '「the bell」以下次的開盤鐘計算（美股休市中）；若要到其後的收盤，請寫「到收盤」。',
    ]);
    expect(tw.ends).toEqual([Date.parse('2026-11-19T14:30:00Z'), Date.parse('2026-11-19T14:30:00Z')]);
    const cn = await muteBoth('zh-CN', 'until the bell');
    expect(cn.tg[1]).toBe('“the bell”按下次的开盘钟计算（美股休市中）；如要到其后的收盘，请写“到收盘”。');
  });

  test('GIVEN /mute until thanksgiving, 到感恩節 THEN the last close before it (Wednesday’s), the reply naming the holiday; on the Wednesday after that close, refused as passed, naming it', async () => {
    const en = await muteBoth('en', 'until thanksgiving');
    expect(en.tg.slice(0, 2)).toEqual([
      'Muted until 2026-11-25 21:00 (UTC), the close of 2026-11-25 (16:00 New York).',
      'The US market is closed on Thanksgiving (2026-11-26): read as the last close before it.',
    ]);
    expect(en.dc.slice(0, 2)).toEqual(en.tg.slice(0, 2));
    expect(en.ends).toEqual([Date.parse('2026-11-25T21:00:00Z'), Date.parse('2026-11-25T21:00:00Z')]);
    const tw = await muteBoth('zh-TW', '到感恩節');
    expect(tw.tg.slice(0, 2)).toEqual([
      '已靜音至2026年11月25日 21:00（UTC），即美股2026年11月25日收盤（紐約時間 16:00）。',
      '美股於感恩節（2026年11月26日）休市：以其前一個收盤計算。',
    ]);
    const cn = await muteBoth('zh-CN', '到感恩节');
    expect(cn.tg[1]).toBe('美股于感恩节（2026年11月26日）休市：按其前一个收盘计算。');
    // July 4th 2027 is a Sunday: shut on Monday the 5th, the close before it Friday the 2nd.
    expect((await muteBoth('en', 'until the 4th of july')).tg[1]).toBe(
      'The US market is closed on Independence Day (2027-07-05): read as the last close before it.',
    );
    // As the README lists it, without `until`: `the 4th` is no day of the month with words after it.
    const theFourth = await muteBoth('en', 'the 4th of july');
    expect([theFourth.tg[1], theFourth.dc[1]]).toEqual(
      Array(2).fill('The US market is closed on Independence Day (2027-07-05): read as the last close before it.'),
    );
    expect(theFourth.ends).toEqual([Date.parse('2027-07-02T20:00:00Z'), Date.parse('2027-07-02T20:00:00Z')]);
    // Wednesday 2026-11-25 at 17:00 in New York: that close has passed.
    clock = Date.parse('2026-11-25T22:00:00Z');
    const late = await muteBoth('en', 'until thanksgiving');
    expect(late.tg[0]).toBe('That end, 2026-11-25 21:00 (UTC), has already passed: give one ahead, like until monday, or a length, like 2h.');
    expect(late.ends).toEqual([null, null]);
  });

  test('GIVEN /mute until christmas, until new year, 到聖誕節, 到元旦, 到新年, 到圣诞节 THEN as every other NYSE holiday: the last close before it, the reply naming the holiday; Christmas Eve, Lunar New Year and a time on Christmas keep their own day', async () => {
    const xmas = await muteBoth('en', 'until christmas');
    expect(xmas.tg.slice(0, 2)).toEqual([
      'Muted until 2026-12-24 18:00 (UTC), the close of 2026-12-24 (13:00 New York, an early close).',
      'The US market is closed on Christmas (2026-12-25): read as the last close before it.',
    ]);
    expect(xmas.dc.slice(0, 2)).toEqual(xmas.tg.slice(0, 2));
    expect(xmas.ends).toEqual([Date.parse('2026-12-24T18:00:00Z'), Date.parse('2026-12-24T18:00:00Z')]);
    const newYear = await muteBoth('en', 'until new year');
    expect(newYear.tg.slice(0, 2)).toEqual([
      'Muted until 2026-12-31 21:00 (UTC), the close of 2026-12-31 (16:00 New York).',
      "The US market is closed on New Year's Day (2027-01-01): read as the last close before it.",
    ]);
    expect(newYear.ends).toEqual([Date.parse('2026-12-31T21:00:00Z'), Date.parse('2026-12-31T21:00:00Z')]);
    expect((await muteBoth('zh-TW', '到聖誕節')).tg.slice(0, 2)).toEqual([
      '已靜音至2026年12月24日 18:00（UTC），即美股2026年12月24日收盤（紐約時間 13:00，提前收盤）。',
      '美股於聖誕節（2026年12月25日）休市：以其前一個收盤計算。',
    ]);
    for (const typed of ['到元旦', '到新年']) expect((await muteBoth('zh-TW', typed)).tg[1]).toBe('美股於元旦（2027年1月1日）休市：以其前一個收盤計算。');
    expect((await muteBoth('zh-CN', '到圣诞节')).tg[1]).toBe('美股于圣诞节（2026年12月25日）休市：按其前一个收盘计算。');
    expect((await muteBoth('zh-CN', '到元旦')).dc[1]).toBe('美股于元旦（2027年1月1日）休市：按其前一个收盘计算。');
    // What is no exchange holiday, or a time typed on the day, keeps that day.
    expect((await muteBoth('en', 'until xmas eve')).tg[0]).toBe('Muted until 2026-12-24 00:00 (UTC).');
    expect((await muteBoth('en', 'until christmas 9am')).tg[0]).toBe('Muted until 2026-12-25 09:00 (UTC).');
    expect((await muteBoth('zh-TW', '到過年')).tg[0]).toBe('已靜音至2027年2月6日 00:00（UTC）。');
  });

  test('GIVEN /mute 十幾分鐘, 十几分钟 THEN the range line, one number asked for, as for 兩三個小時; not muted', async () => {
    const tw = await muteBoth('zh-TW', '十幾分鐘');
    expect([tw.tg[0], tw.dc[0]]).toEqual(Array(2).fill('「十幾分鐘」是一個範圍，不是單一長度：請只輸入一個數字，例如「11分鐘」或「19分鐘」。'));
    expect(tw.ends).toEqual([null, null]);
    expect((await muteBoth('zh-CN', '十几分钟')).tg[0]).toBe('“十几分钟”是一个范围，不是单一时长：请只输入一个数字，例如“11分钟”或“19分钟”。');
    expect((await muteBoth('en', '二十幾分鐘')).tg[0]).toBe('"二十幾分鐘" is a range, not one length: give a single number, e.g. 21m or 29m.');
  });

  test('GIVEN /mute 到下午收盤, 到明天下午收盘 THEN that day’s close (today’s when no day is typed)', async () => {
    const tw = await muteBoth('zh-TW', '到下午收盤');
    expect([tw.tg[0], tw.dc[0]]).toEqual(Array(2).fill('已靜音至2026年11月18日 21:00（UTC），即美股2026年11月18日收盤（紐約時間 16:00）。'));
    expect(tw.ends).toEqual([Date.parse('2026-11-18T21:00:00Z'), Date.parse('2026-11-18T21:00:00Z')]);
    expect((await muteBoth('zh-CN', '到明天下午收盘')).tg[0]).toBe('已静音至2026年11月19日 21:00（UTC），即美股2026年11月19日收盘（纽约时间 16:00）。');
    expect((await muteBoth('en', 'until 下午收盤')).tg[0]).toBe('Muted until 2026-11-18 21:00 (UTC), the close of 2026-11-18 (16:00 New York).');
  });

  test('GIVEN /mute 到台股收盤, A股收盘, 到港股收市 THEN one line: the close here is New York’s, that market’s close as a time on its clock; not muted', async () => {
    const cases: readonly [Lang, string, string][] = [
      [
        'zh-TW',
        '到台股收盤',
        '這裡的收盤指紐約的美股收盤（紐約時間 16:00），不是台股（「到台股收盤」）：美股收盤請寫「到收盤」；台股收盤請寫時間，例如「到13:30 台北」。',
      ],
      [
        'zh-CN',
        'A股收盘',
        '这里的收盘指纽约的美股收盘（纽约时间 16:00），不是沪深股市（“A股收盘”）：美股收盘请写“到收盘”；沪深股市收盘请写时间，例如“到15:00 上海”。',
      ],
      [
        'zh-TW',
        '到港股收市',
        '這裡的收盤指紐約的美股收盤（紐約時間 16:00），不是港股（「到港股收市」）：美股收盤請寫「到收盤」；港股收盤請寫時間，例如「到16:00 香港」。',
      ],
      [
        'en',
        'until the hong kong close',
        "The close here is New York's, the US market's (16:00 New York), not Hong Kong's (\"until the hong kong close\"): for the US close write until close; for Hong Kong's, its time, like until 16:00 Hong Kong.",
      ],
    ];
    for (const [lang, typed, line] of cases) {
      const r = await muteBoth(lang, typed);
      expect([r.tg[0], r.dc[0]]).toEqual([line, line]);
      expect(r.ends).toEqual([null, null]);
    }
    // What it suggests works: that market's close on its clock (13:30 in Taipei is 05:30 UTC, Thursday's next).
    expect((await muteBoth('zh-TW', '到13:30 台北')).tg[0]).toBe('已靜音至2026年11月19日 13:30（台北時間）。');
  });
});

describe('/mute readings said', () => {
  test('GIVEN /mute 半天, half a day THEN 12 hours, the reply saying so and how to mute for the rest of the session', async () => {
    const tw = await muteBoth('zh-TW', '半天');
    expect(tw.tg.slice(0, 2)).toEqual(['已靜音至2026年11月19日 03:00（UTC）。', '「半天」以 12 小時計算；若要到今天美股收盤，請寫「到收盤」。']);
    expect(tw.dc.slice(0, 2)).toEqual(tw.tg.slice(0, 2));
    expect(tw.ends).toEqual([Date.parse('2026-11-19T03:00:00Z'), Date.parse('2026-11-19T03:00:00Z')]);
    expect((await muteBoth('zh-CN', '半天')).tg[1]).toBe('“半天”按 12 小时计算；如要到今天美股收盘，请写“到收盘”。');
    expect((await muteBoth('en', 'half a day')).tg[1]).toBe("“half a day” read as 12 hours; for the rest of today's session, write until close.");
  });

  test('GIVEN next friday close on a Wednesday THEN this week’s Friday, named, with a line how to type the week after’s; this friday close, 下週五收盤 without it', async () => {
    const en = await muteBoth('en', 'until next friday close');
    expect(en.tg.slice(0, 2)).toEqual([
      'Muted until 2026-11-20 21:00 (UTC), the close of 2026-11-20 (16:00 New York).',
      '“Next” read as the coming one, 2026-11-20; for the one a week later, write until 2026-11-27 close.',
    ]);
    expect(en.dc.slice(0, 2)).toEqual(en.tg.slice(0, 2));
    // What it offers works: the day after Thanksgiving, an early close.
    expect((await muteBoth('en', 'until 2026-11-27 close')).tg[0]).toBe(
      'Muted until 2026-11-27 18:00 (UTC), the close of 2026-11-27 (13:00 New York, an early close).',
    );
    const tw = await muteBoth('zh-TW', 'until next friday');
    expect(tw.tg.slice(0, 2)).toEqual([
      '已靜音至2026年11月20日 00:00（UTC）。',
      '「next」以即將到來的那天（2026年11月20日）計算；若指再晚一週的那天，請寫「到2026年11月27日」。',
    ]);
    const cn = await muteBoth('zh-CN', 'next friday close');
    expect(cn.tg[1]).toBe('“next”按即将到来的那天（2026年11月20日）计算；如指再晚一周的那天，请写“到2026年11月27日收盘”。');
    // This Friday and 下週五 are no question: no line.
    const thisFriday = await muteBoth('en', 'until this friday close');
    expect(thisFriday.tg).toEqual(['Muted until 2026-11-20 21:00 (UTC), the close of 2026-11-20 (16:00 New York).']);
    expect((await muteBoth('zh-TW', '下週五收盤')).tg).toEqual(['已靜音至2026年11月27日 18:00（UTC），即美股2026年11月27日收盤（紐約時間 13:00，提前收盤）。']);
    // On a Friday morning, next friday close is a week today, not today's: no question either.
    clock = Date.parse('2026-11-20T15:00:00Z');
    expect((await muteBoth('en', 'until next friday close')).tg).toEqual([
      'Muted until 2026-11-27 18:00 (UTC), the close of 2026-11-27 (13:00 New York, an early close).',
    ]);
  });
});

describe('/mute’s zone buttons keep what the reply said', () => {
  // What was typed, the line in a Telegram private chat, the line in a Discord server's channel (each names its clock as it names the chat).
  const EOD_LINE: Readonly<Record<Lang, [string, string, string]>> = {
    en: [
      'until end of day',
      "End of day read as midnight on this chat's clock; for the US market's close, write until close.",
      "End of day read as midnight on this channel's clock; for the US market's close, write until close.",
    ],
    'zh-TW': [
      '到今天結束',
      '「今天結束」以本對話時區的午夜計算；若要到美股收盤，請寫「到收盤」。',
      '「今天結束」以本頻道時區的午夜計算；若要到美股收盤，請寫「到收盤」。',
    ],
    'zh-CN': [
      '到今天结束',
      '“今天结束”按本对话时区的午夜计算；如要到美股收盘，请写“到收盘”。',
      '“今天结束”按本频道时区的午夜计算；如要到美股收盘，请写“到收盘”。',
    ],
  };

  test.each(LANGS)(
    'GIVEN /mute until end of day in a %s chat with no zone, and a zone button pressed THEN the end of day line is said again under the zone’s end',
    async (lang) => {
      const [typed, line, channelLine] = EOD_LINE[lang];
      // Telegram: the button's callback, answered with the end in that zone and the line.
      const chatId = nextChat++;
      const user: FakeUser = { id: chatId, first_name: 'Lin', language_code: lang };
      await nextAnswer(bots.tgFake, chatId, '/subscribe', user);
      const said = await nextAnswer(bots.tgFake, chatId, `/mute ${typed}`, user);
      expect(
        String(said.params.text)
          .replace(/<[^>]+>/g, '')
          .split('\n')[1],
      ).toBe(line);
      const data = (said.params.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard.flat().map((b) => b.callback_data);
      const from = bots.tgFake.calls.length;
      bots.tgFake.callbackQuery(chatId, (said.result as { message_id: number }).message_id, data[0]!, user);
      const pressed = await bots.tgFake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(chatId), undefined, from);
      const tgLines = String(pressed.params.text)
        .replace(/<[^>]+>/g, '')
        .split('\n');
      // Midnight tomorrow on the zone's clock, named in it.
      expect(tgLines[0]).toMatch(/2026.+11.+19.* 00:00 ?[(（](?:Taipei time|台北時間|北京时间)[)）]/);
      expect(tgLines[1]).toBe(line);
      // Discord: the same, pressed on the channel's reply.
      const channelId = String(nextChannel++);
      const interact = async (body: Record<string, unknown>) => {
        const { token } = bots.dcFake.interact(body);
        const answer = await interactionAnswer(bots.dcFake, token);
        return answer.body.data ?? answer.body;
      };
      const locale = lang === 'en' ? 'en-US' : lang;
      await interact(slashInteraction({ name: 'subscribe', channelId, permissions: MANAGE_CHANNELS, locale }));
      const reply = await interact(
        slashInteraction({ name: 'mute', channelId, permissions: MANAGE_CHANNELS, locale, options: [{ name: 'duration', type: 3, value: typed }] }),
      );
      const ids = (reply.components as { components: { custom_id: string }[] }[]).flatMap((r) => r.components.map((c) => c.custom_id));
      const after = await interact(buttonInteraction({ customId: ids[0]!, message: botMessage(reply), channelId, permissions: MANAGE_CHANNELS, locale }));
      const dcLines = String(after.embeds[0].description)
        .split('\n')
        .map((l: string) => l.replace(/^\*{1,2}(.+?)\*{1,2}$/, '$1'));
      expect(dcLines[0]).toBe(tgLines[0]);
      expect(dcLines[1]).toBe(channelLine);
    },
  );
});

describe('a chat’s calendar words as an end', () => {
  test('GIVEN a Taipei chat on its New Year’s morning (still 2026-12-31 in New York) and /chart spx 2026 今年 THEN 今年 is the year running there, to the latest close, not refused as future', async () => {
    // 2027-01-01 01:00 in Taipei; this world's closes end on 2026-11-18.
    clock = Date.parse('2026-12-31T17:00:00Z');
    const expected: Readonly<Record<Lang, [string, string]>> = {
      en: ['今年', 'SPX/Gold, 2026-01-01 to 2026-11-18'],
      'zh-TW': ['今年', '標普500/黃金，2026年1月1日至2026年11月18日'],
      'zh-CN': ['今年', '标普500/黄金，2026年1月1日至2026年11月18日'],
    };
    for (const lang of LANGS) {
      const [word, caption] = expected[lang];
      const tg = await telegram(lang, `/chart spx 2026 ${word}`, ['/subscribe', '/digest 08:00 Asia/Taipei']);
      expect(tg.lines[0]).toBe(caption);
      const dc = await discord(lang, 'chart', { chart: 'spx', from: '2026', to: word }, [
        ['subscribe', {}],
        ['digest', { time: '08:00', timezone: 'Asia/Taipei' }],
      ]);
      expect(dc.lines[0]).toBe(caption);
    }
  });
});

describe('/chart last month and /move over a period named', () => {
  test('GIVEN /chart spx last month, 上個月, 上个月 THEN October drawn whole, to its last close (Friday the 30th); past month, 近一個月 stay the rolling month', async () => {
    // Telegram reads a rolling month as the 1M range; Discord's from: option as the start a month back, to the latest close.
    const cases: readonly [Lang, string, string, string?][] = [
      ['en', 'last month', 'SPX/Gold, 2026-10-01 to 2026-10-30'],
      ['zh-TW', '上個月', '標普500/黃金，2026年10月1日至2026年10月30日'],
      ['zh-CN', '上个月', '标普500/黄金，2026年10月1日至2026年10月30日'],
      ['en', 'past month', 'SPX/Gold, 1M', 'SPX/Gold, since 2026-10-19'],
      ['zh-TW', '近一個月', '標普500/黃金，1個月', '標普500/黃金，自2026年10月19日起'],
    ];
    for (const [lang, word, caption, fromCaption] of cases) {
      expect((await telegram(lang, `/chart spx ${word}`, [])).lines[0]).toBe(caption);
      expect((await discord(lang, 'chart', { chart: 'spx', from: word }, [])).lines[0]).toBe(fromCaption ?? caption);
    }
  });

  test('GIVEN /move spx 10% last quarter, 上一季 THEN the rolling quarter, 63 trading days, said; this quarter, 本季 refused as the whole phrase, not as "this"', async () => {
    const added = await telegram('en', '/move spx 10% last quarter');
    expect(added.lines.slice(0, 2)).toEqual(['Move alert added: SPX/Gold: 10% or more over 63 trading days.', '1 quarter read as 63 trading days.']);
    const dc = await discord('zh-TW', 'move', { pair: 'spx', percent: '10', days: '上一季' });
    expect(dc.lines[0]).toBe('已新增急漲急跌通知：標普500/黃金：63 個交易日內漲跌 10% 以上。');
    const cases: readonly [Lang, string, string][] = [
      [
        'en',
        'this quarter',
        '"this quarter" is a period on the calendar, still running, not a span: a move is watched over a rolling number of trading days, like 20, 4w, 3m or 1y.',
      ],
      ['zh-TW', '本季', '「本季」是日曆上仍在進行的期間，不是一段長度：急漲急跌以滾動的交易日數計算，例如 20、4週、3個月或1年。'],
      ['zh-CN', '今年', '“今年”是日历上仍在进行的期间，不是一段时长：急涨急跌按滚动的交易日数计算，例如 20、4周、3个月或1年。'],
    ];
    for (const [lang, word, line] of cases) {
      expect((await telegram(lang, `/move spx 10% ${word}`)).lines[0]).toBe(line);
      expect((await discord(lang, 'move', { pair: 'spx', percent: '10', days: word })).lines[0]).toBe(line);
    }
  });
});
