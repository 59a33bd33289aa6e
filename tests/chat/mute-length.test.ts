/**
 * /mute lengths written as people write them: parts joined by `and` or a comma (`1 month and 2
 * days`), minutes after hours without their unit (`1hr30`), and one and a half in Chinese
 * (`一個半小時`; a month and a half is refused: months count whole).
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { findCommand } from '../../src/chat/registry.ts';
import { plainText, type Reply } from '../../src/chat/reply.ts';
import { chatCtx, chatWorld, NOW_MS, type ChatWorld, type TestContext } from '../helpers/chat.ts';

let w: ChatWorld;
beforeEach(() => {
  w = chatWorld();
});
afterEach(() => w.close());

const run = (name: string, args: readonly string[], ctx: TestContext = chatCtx()): Promise<Reply> => findCommand(name)!.run(w.deps, ctx, args);
const mutedUntil = async (chatId = '1001') => (await w.deps.subs.get('telegram', chatId))?.mutedUntil;

describe('/mute lengths in more of the ways people write them', () => {
  // NOW_MS: 2026-11-21 00:00 UTC.
  test.each([
    [['1', 'month', 'and', '2', 'days'], '2026-12-23T00:00:00Z', 'Muted until 2026-12-23 00:00 (UTC).'],
    [['1', 'month,', '2', 'days'], '2026-12-23T00:00:00Z', 'Muted until 2026-12-23 00:00 (UTC).'],
    [['1', 'hour', 'and', '30', 'minutes'], '2026-11-21T01:30:00Z', 'Muted until 2026-11-21 01:30 (UTC).'],
    [['1hr30'], '2026-11-21T01:30:00Z', 'Muted until 2026-11-21 01:30 (UTC).'],
    [['2h', '30'], '2026-11-21T02:30:00Z', 'Muted until 2026-11-21 02:30 (UTC).'],
    [['1.5h'], '2026-11-21T01:30:00Z', 'Muted until 2026-11-21 01:30 (UTC).'],
    [['for', '2', 'hours'], '2026-11-21T02:00:00Z', 'Muted until 2026-11-21 02:00 (UTC).'],
  ])('GIVEN /mute %j THEN muted that long, the reply naming the end', async (args, end, text) => {
    await run('subscribe', []);
    expect(plainText(await run('mute', args))).toBe(text);
    expect(await mutedUntil()).toBe(Date.parse(end));
  });

  test('GIVEN 一個半小時, 兩個半鐘頭 (zh-TW) and 一个半小时 (zh-CN) THEN an hour and a half, two and a half', async () => {
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' });
    await run('subscribe', [], tw);
    expect(plainText(await run('mute', ['一個半小時'], tw))).toBe('已靜音至2026年11月21日 01:30（UTC）。');
    expect(plainText(await run('mute', ['兩個半鐘頭'], tw))).toBe('已靜音至2026年11月21日 02:30（UTC）。');
    expect(await mutedUntil('tw')).toBe(NOW_MS + 150 * 60_000);
    const cn = chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' });
    await run('subscribe', [], cn);
    expect(plainText(await run('mute', ['一个半小时'], cn))).toBe('已静音至2026年11月21日 01:30（UTC）。');
  });

  test('GIVEN 一个半月 or 1 month and a half THEN refused as half a month (months count whole), nothing written; 1h90 is no time', async () => {
    const cn = chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' });
    await run('subscribe', [], cn);
    await run('subscribe', []);
    const before = w.dump();
    const half = await run('mute', ['一个半月'], cn);
    expect([half.status, plainText(half).split('\n')[0]]).toEqual([
      'usage',
      '月数须为整数（按日历计算），例如“1个月”或“3个月”，或改用天数，例如“15天”；您输入的是“一个半月”。',
    ]);
    expect(plainText(await run('mute', ['1.5', 'months'])).split('\n')[0]).toBe(
      'Months count whole, by the calendar: give whole months, like 1mo or 3 months, or days, like 15d; got "1.5 months".',
    );
    expect(plainText(await run('mute', ['13', 'months'])).split('\n')[0]).toBe('Mute lasts from 1 minute to 1 year, got "13 months".');
    expect(plainText(await run('mute', ['1h90'])).split('\n')[0]).toBe(
      'Mute needs a duration like 30m, 2h, 1d or 1w, or an end like until monday, got "1h90".',
    );
    expect(w.dump()).toBe(before);
  });
});

describe('a couple of and a few, in /mute and /move spans, in every language', () => {
  const chats = {
    en: chatCtx({ chatId: 'en', userLanguageCode: 'en' }),
    'zh-TW': chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' }),
    'zh-CN': chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' }),
  } as const;
  type ChatLang = keyof typeof chats;
  /** What a few was read as, as each language's reply says it. */
  const fewSaid: Record<ChatLang, string> = { en: '“a few” read as 3.', 'zh-TW': '「a few」以 3 計算。', 'zh-CN': '“a few”按 3 计算。' };
  const langs = Object.keys(chats) as ChatLang[];

  test.each(
    langs.flatMap((lang) =>
      (
        [
          ['a couple of hours', 'two hours', 2 * 3_600_000],
          ['a couple of days', 'two days', 2 * 86_400_000],
          ['couple days', '2 days', 2 * 86_400_000],
          ['a couple of weeks', 'two weeks', 14 * 86_400_000],
        ] as const
      ).map(([typed, same, ms]) => [lang, typed, same, ms] as const),
    ),
  )('GIVEN a %s chat and /mute %s THEN muted as %s is, for that long', async (lang, typed, same, ms) => {
    const ctx = chats[lang];
    await run('subscribe', [], ctx);
    const got = plainText(await run('mute', typed.split(' '), ctx));
    expect(await mutedUntil(ctx.chatId)).toBe(NOW_MS + ms);
    expect(got).toBe(plainText(await run('mute', same.split(' '), ctx)));
  });

  test.each(langs)('GIVEN a %s chat and /mute a few days THEN three days, the reply saying a few was read as 3', async (lang) => {
    const ctx = chats[lang];
    await run('subscribe', [], ctx);
    const end = {
      en: 'Muted until 2026-11-24 00:00 (UTC).',
      'zh-TW': '已靜音至2026年11月24日 00:00（UTC）。',
      'zh-CN': '已静音至2026年11月24日 00:00（UTC）。',
    };
    expect(plainText(await run('mute', ['a', 'few', 'days'], ctx))).toBe(`${end[lang]}\n${fewSaid[lang]}`);
    expect(await mutedUntil(ctx.chatId)).toBe(NOW_MS + 3 * 86_400_000);
  });

  test.each(langs)(
    'GIVEN a %s chat and /move spans of a couple of weeks and a few days or weeks THEN 10, 3 and 15 trading days; a few said as 3',
    async (lang) => {
      const ctx = chats[lang];
      await run('subscribe', [], ctx);
      const stored = async () => (await w.deps.moves!.list((await w.deps.subs.get('telegram', ctx.chatId))!.id)).map((m) => m.days).sort((a, b) => a - b);
      // A couple of weeks: two weeks, 10 trading days, with nothing said of a few; removed as two weeks, the same alert.
      expect(plainText(await run('move', ['spx', '10', 'a', 'couple', 'of', 'weeks'], ctx))).not.toContain(fewSaid[lang]);
      expect(await stored()).toEqual([10]);
      expect((await run('move', ['remove', 'spx', '10', 'two', 'weeks'], ctx)).status).toBe('ok');
      expect(await stored()).toEqual([]);
      const days = plainText(await run('move', ['spx', '10', 'a', 'few', 'days'], ctx)).split('\n');
      expect(days[1]).toBe(fewSaid[lang]);
      const weeks = plainText(await run('move', ['spx', '10', 'a', 'few', 'weeks'], ctx)).split('\n');
      expect(weeks[1]).toBe(fewSaid[lang]);
      expect(await stored()).toEqual([3, 15]);
    },
  );

  /** 幾 said back as typed, in each language's line. */
  const hanFewSaid = (lang: ChatLang, word: string): string =>
    ({ en: `“${word}” read as 3.`, 'zh-TW': `「${word}」以 3 計算。`, 'zh-CN': `“${word}”按 3 计算。` })[lang];

  test.each(
    langs.flatMap((lang) =>
      (
        [
          ['幾天', '幾', 3 * 86_400_000],
          ['几天', '几', 3 * 86_400_000],
          ['幾小時', '幾', 3 * 3_600_000],
          ['几个小时', '几', 3 * 3_600_000],
          ['幾週', '幾', 21 * 86_400_000],
        ] as const
      ).map(([typed, word, ms]) => [lang, typed, word, ms] as const),
    ),
  )('GIVEN a %s chat and /mute %s THEN muted as for 3 of them, the reply naming %s as read as 3', async (lang, typed, word, ms) => {
    const ctx = chats[lang];
    await run('subscribe', [], ctx);
    const lines = plainText(await run('mute', [typed], ctx)).split('\n');
    expect(await mutedUntil(ctx.chatId)).toBe(NOW_MS + ms);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(hanFewSaid(lang, word));
  });

  test('GIVEN /mute 幾個月 (zh-TW) and 几个月 (zh-CN) THEN three calendar months, as 3個月 is, said read as 3', async () => {
    await run('subscribe', [], chats['zh-TW']);
    expect(plainText(await run('mute', ['幾個月'], chats['zh-TW']))).toBe('已靜音至2027年2月21日 00:00（UTC）。\n「幾」以 3 計算。');
    await run('subscribe', [], chats['zh-CN']);
    expect(plainText(await run('mute', ['几个月'], chats['zh-CN']))).toBe('已静音至2027年2月21日 00:00（UTC）。\n“几”按 3 计算。');
    expect(await mutedUntil('tw')).toBe(Date.parse('2027-02-21T00:00:00Z'));
  });

  test.each(langs)('GIVEN a %s chat and /move spans of 幾天, 幾週, 几个月 and 幾個交易日 THEN 3, 15, 63 and 3 trading days, each said as 3', async (lang) => {
    const ctx = chats[lang];
    await run('subscribe', [], ctx);
    const stored = async () => (await w.deps.moves!.list((await w.deps.subs.get('telegram', ctx.chatId))!.id)).map((m) => `${m.pct}/${m.days}`).sort();
    for (const [pct, typed, word] of [
      ['10', '幾週', '幾'],
      ['10', '几个月', '几'],
      ['10', '幾個交易日', '幾'],
      ['12', '過去幾天', '幾'],
    ] as const) {
      const lines = plainText(await run('move', ['spx', pct, typed], ctx)).split('\n');
      expect(lines[1]).toBe(hanFewSaid(lang, word));
    }
    expect(await stored()).toEqual(['10/15', '10/3', '10/63', '12/3']);
  });

  test('GIVEN a few said in ways that are no count of 3 (十幾天 ten-odd, 好幾天 quite a few, 幾%, 几个百分点) THEN refused as before, nothing added', async () => {
    const tw = chats['zh-TW'];
    await run('subscribe', [], tw);
    const before = w.dump();
    for (const typed of ['十幾天', '好幾天', '幾十天']) {
      const r = await run('mute', [typed], tw);
      expect(r.status).toBe('usage');
      expect(plainText(r)).not.toContain('以 3 計算');
      expect((await run('move', ['spx', '10', typed], tw)).status).toBe('usage');
    }
    for (const typed of ['幾%', '几个百分点']) {
      expect(plainText(await run('move', ['spx', typed, '20'], tw)).split('\n')[0]).toBe(`百分比必須是 1 到 100 之間的數字，例如 10；您輸入的是「${typed}」。`);
    }
    expect(w.dump()).toBe(before);
  });
});
