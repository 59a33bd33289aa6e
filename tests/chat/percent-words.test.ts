/**
 * A percent written the Chinese way (百分之百, 百分之一百, 百分之五十, 百分之零點五, 百分之零点五) is a
 * number where a percent is asked (/move's size), in every language's chat: read, then taken or
 * refused as that number. Where a percent makes no sense (/mylevels' and /subscribe's levels, values
 * of a ratio), it is refused as a percent, naming what a level is, with nothing written.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { findCommand } from '../../src/chat/registry.ts';
import { plainText, type Reply } from '../../src/chat/reply.ts';
import { hanDecimal, hanPercent } from '../../src/domain/han-numbers.ts';
import { chatWorld, type ChatWorld, type TestContext, LANG_CHATS, movesOf } from '../helpers/chat.ts';

let w: ChatWorld;
beforeEach(() => {
  w = chatWorld();
});
afterEach(() => w.close());

const run = (name: string, words: readonly string[], ctx: TestContext): Promise<Reply> => findCommand(name)!.run(w.deps, ctx, words);
const chats = LANG_CHATS;
const moves = (chatId: string) => movesOf(w, chatId);

test.each([
  ['百分之百', 100],
  ['百分之一百', 100],
  ['百分之五十', 50],
  ['百分之零點五', 0.5],
  ['百分之零点五', 0.5],
  ['百分之二點五', 2.5],
  ['百分之15', 15],
  ['百分之一百零五', 105],
] as const)('GIVEN %s THEN hanPercent reads %d', (typed, value) => {
  expect(hanPercent(typed)).toBe(value);
});

test.each(['百分之', '百分之點五', '百分之一點', '百分之一點十', '五十', '百分之兩點兩'])('GIVEN %s THEN no percent is read', (typed) => {
  expect(hanPercent(typed)).toBeUndefined();
});

test('GIVEN decimals in Chinese numerals THEN hanDecimal reads them; a whole number as hanNumber does', () => {
  expect([hanDecimal('零點五'), hanDecimal('一點二五'), hanDecimal('十二點五'), hanDecimal('五十'), hanDecimal('點五'), hanDecimal('一點〇五')]).toEqual([
    0.5,
    1.25,
    12.5,
    50,
    undefined,
    1.05,
  ]);
});

test('GIVEN /move with 百分之百, 百分之一百 or 百分之五十 in an English, a zh-TW and a zh-CN chat THEN each is the move of that percent', async () => {
  const typed = { en: '百分之百', 'zh-TW': '百分之一百', 'zh-CN': '百分之五十' } as const;
  for (const [lang, ctx] of Object.entries(chats) as [keyof typeof chats, TestContext][]) {
    await run('subscribe', [], ctx);
    const r = await run('move', ['spx', typed[lang], '20'], ctx);
    expect(r.status, `${lang}: ${plainText(r)}`).toBe('ok');
    expect(await moves(ctx.chatId)).toEqual([{ pair: 'spx-gold', pct: lang === 'zh-CN' ? 50 : 100, days: 20 }]);
  }
});

test.each([
  [['10', 'pct'], 'en'],
  [['10pct'], 'zh-TW'],
  [['10', 'percent'], 'zh-CN'],
  [['10percent'], 'en'],
] as const)('GIVEN /move spx %j 20 (digits and a word for percent) THEN the move of 10%, as 10%% is, in a %s chat', async (pct, lang) => {
  const ctx = chats[lang];
  await run('subscribe', [], ctx);
  const r = await run('move', ['spx', ...pct, '20'], ctx);
  expect(r.status, plainText(r)).toBe('ok');
  expect(await moves(ctx.chatId)).toEqual([{ pair: 'spx-gold', pct: 10, days: 20 }]);
});

test('GIVEN /move spx 百分之 五十 20 (a space after 百分之) THEN the move of 50%, as 10 % is 10%', async () => {
  const ctx = chats['zh-TW'];
  await run('subscribe', [], ctx);
  expect((await run('move', ['spx', '百分之', '五十', '20'], ctx)).status).toBe('ok');
  expect(await moves(ctx.chatId)).toEqual([{ pair: 'spx-gold', pct: 50, days: 20 }]);
});

test('GIVEN /move with 百分之零點五 (百分之零点五) THEN it is read as 0.5% and refused as under the least a move is, naming 0.5%, in each language; nothing added', async () => {
  const said = {
    en: '"百分之零點五" is 0.5%: percent must be a number from 1 to 100, like 10.',
    'zh-TW': '「百分之零點五」是 0.5%；百分比必須是 1 到 100 之間的數字，例如 10。',
    'zh-CN': '“百分之零点五”是 0.5%；百分比必须是 1 到 100 之间的数字，例如 10。',
  };
  for (const [lang, ctx] of Object.entries(chats) as [keyof typeof chats, TestContext][]) {
    await run('subscribe', [], ctx);
    const r = await run('move', ['qqq', lang === 'zh-CN' ? '百分之零点五' : '百分之零點五', '20'], ctx);
    expect(r.status).not.toBe('ok');
    expect(plainText(r).split('\n')[0]).toBe(said[lang]);
    expect(await moves(ctx.chatId)).toEqual([]);
  }
  // 百 alone is still no number: a refusal of the percent as typed, not a reading of it.
  expect(plainText(await run('move', ['spx', '百', '5'], chats['zh-TW'])).split('\n')[0]).toBe('百分比必須是 1 到 100 之間的數字，例如 10；您輸入的是「百」。');
});

test('GIVEN /mylevels add with a percent (50%, 百分之五十) THEN refused as a percent, saying what a level is, in each language; nothing written', async () => {
  const said = {
    en: 'A level is a value of the ratio like 0.25, not a percent: got "百分之五十".',
    'zh-TW': '水位是比率的數值，例如 0.25，不是百分比；您輸入的是「百分之五十」。',
    'zh-CN': '点位是比率的数值，例如 0.25，不是百分比；您输入的是“百分之五十”。',
  };
  for (const [lang, ctx] of Object.entries(chats) as [keyof typeof chats, TestContext][]) {
    await run('subscribe', [], ctx);
    const before = w.dump();
    const r = await run('mylevels', ['add', 'spx', '百分之五十'], ctx);
    expect(r.status).not.toBe('ok');
    expect(plainText(r).split('\n')[0]).toBe(said[lang]);
    expect(plainText(await run('mylevels', ['spx', '50%'], ctx)).split('\n')[0]).toBe(said[lang].replace('百分之五十', '50%'));
    expect(w.dump()).toBe(before);
  }
});

test.each([
  [['ten', 'percent'], 'ten percent'],
  [['five', 'per', 'cent'], 'five per cent'],
  [['50', '%'], '50 %'],
  [['10', 'pct'], '10 pct'],
  [['百分之十'], '百分之十'],
  [['十%'], '十%'],
])(
  'GIVEN /mylevels add spx %j (a percent in words, or spaced) THEN refused as a percent naming all of it, not as its first word, in each language; nothing written',
  async (words, typed) => {
    const said = {
      en: `A level is a value of the ratio like 0.25, not a percent: got "${typed}".`,
      'zh-TW': `水位是比率的數值，例如 0.25，不是百分比；您輸入的是「${typed}」。`,
      'zh-CN': `点位是比率的数值，例如 0.25，不是百分比；您输入的是“${typed}”。`,
    };
    for (const [lang, ctx] of Object.entries(chats) as [keyof typeof chats, TestContext][]) {
      await run('subscribe', [], ctx);
      const before = w.dump();
      const r = await run('mylevels', ['add', 'spx', ...words], ctx);
      expect(r.status).toBe('usage');
      expect(plainText(r).split('\n')[0]).toBe(said[lang]);
      // The verb left out, as /mylevels spx 1.8 adds.
      expect(plainText(await run('mylevels', ['spx', ...words], ctx)).split('\n')[0]).toBe(said[lang]);
      expect(w.dump()).toBe(before);
    }
    // A number in words alone is still no level, and a level with a word too many still names that word.
    expect(plainText(await run('mylevels', ['add', 'spx', 'ten'], chats.en)).split('\n')[0]).toBe('Level must be a number like 0.25, got "ten".');
    expect((await run('mylevels', ['add', 'spx', '1.8', 'percent'], chats.en)).status).toBe('usage');
  },
);

test('GIVEN /move with a percent where its span goes (20%, 百分之二十) THEN refused as a percent, saying the span is trading days, in each language; nothing added', async () => {
  const said = {
    en: 'The span is a count of trading days like 20, not a percent: got "百分之二十".',
    'zh-TW': '期間是交易日的數目，例如 20，不是百分比；您輸入的是「百分之二十」。',
    'zh-CN': '期间是交易日的数目，例如 20，不是百分比；您输入的是“百分之二十”。',
  };
  for (const [lang, ctx] of Object.entries(chats) as [keyof typeof chats, TestContext][]) {
    await run('subscribe', [], ctx);
    expect(plainText(await run('move', ['spx', '10', '百分之二十'], ctx)).split('\n')[0]).toBe(said[lang]);
    expect(plainText(await run('move', ['spx', '10', '20%'], ctx)).split('\n')[0]).toBe(said[lang].replace('百分之二十', '20%'));
    expect(await moves(ctx.chatId)).toEqual([]);
  }
});

test('GIVEN /subscribe spx 百分之五十 THEN refused as a percent where a level goes, not as "neither a pair nor a level"', async () => {
  const r = await run('subscribe', ['spx', '百分之五十'], chats['zh-TW']);
  expect(r.status).not.toBe('ok');
  expect(plainText(r).split('\n')[0]).toBe('水位是比率的數值，例如 0.25，不是百分比；您輸入的是「百分之五十」。');
  expect(await w.deps.subs.get('telegram', 'tw')).toBeUndefined();
});

test.each(
  (['en', 'zh-TW', 'zh-CN'] as const).flatMap((lang) =>
    (
      [
        ['ten percent', 10],
        ['Ten Percent', 10],
        ['five per cent', 5],
        ['fifteen pct', 15],
        ['百分之十', 10],
        ['百分之五', 5],
      ] as const
    ).map(([typed, pct]) => [lang, typed, pct] as const),
  ),
)('GIVEN a %s chat and /move spx %s 20 THEN the move of %d%, as 10% is', async (lang, typed, pct) => {
  const ctx = chats[lang];
  await run('subscribe', [], ctx);
  const r = await run('move', ['spx', ...typed.split(' '), '20'], ctx);
  expect(r.status, plainText(r)).toBe('ok');
  expect(await moves(ctx.chatId)).toEqual([{ pair: 'spx-gold', pct, days: 20 }]);
  // The same alert as the percent in digits: adding that again is refused as one the chat has.
  expect((await run('move', ['spx', `${pct}%`, '20'], ctx)).status).toBe('error');
});

test('GIVEN /move with a percent in words where its span goes (twenty percent, 20 %) THEN refused as a percent, as 20% is, in each language; nothing added', async () => {
  const said = {
    en: 'The span is a count of trading days like 20, not a percent: got "{x}".',
    'zh-TW': '期間是交易日的數目，例如 20，不是百分比；您輸入的是「{x}」。',
    'zh-CN': '期间是交易日的数目，例如 20，不是百分比；您输入的是“{x}”。',
  };
  for (const [lang, ctx] of Object.entries(chats) as [keyof typeof chats, TestContext][]) {
    await run('subscribe', [], ctx);
    for (const typed of ['twenty percent', '20 %', 'twenty per cent'])
      expect(plainText(await run('move', ['spx', '10', ...typed.split(' ')], ctx)).split('\n')[0]).toBe(said[lang].replace('{x}', typed));
    expect(await moves(ctx.chatId)).toEqual([]);
  }
});

test('GIVEN /move spx a few percent 20 (or a couple percent) THEN refused: a vague count is no size to alert at, in any language; nothing added', async () => {
  for (const [lang, ctx] of Object.entries(chats) as [keyof typeof chats, TestContext][]) {
    await run('subscribe', [], ctx);
    for (const typed of ['a few percent', 'a couple percent']) {
      const r = await run('move', ['spx', ...typed.split(' '), '20'], ctx);
      expect(r.status, `${lang}: ${plainText(r)}`).toBe('usage');
    }
    expect(await moves(ctx.chatId)).toEqual([]);
  }
});
