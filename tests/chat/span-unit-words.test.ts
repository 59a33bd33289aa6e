/**
 * A span's unit said without its count is one of it, wherever `1w` works: /move's span (`week`, 週,
 * 月), /mute's length (`week`, 周, `month`), /chart's start (`month`, 年). A span said as a range
 * (`a week or two`, 一兩週, 一两周, 兩三天, 两三天, `1-2 weeks`) is no one length: refused in one line
 * naming both ends as the example, in the chat's language, nothing written; never guessed.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { findCommand } from '../../src/chat/registry.ts';
import { plainText, type Reply } from '../../src/chat/reply.ts';
import { chatWorld, NOW_MS, type ChatWorld, type TestContext, LANG_CHATS, movesOf } from '../helpers/chat.ts';

let w: ChatWorld;
beforeEach(() => {
  w = chatWorld();
});
afterEach(() => w.close());

const run = (name: string, words: readonly string[], ctx: TestContext): Promise<Reply> => findCommand(name)!.run(w.deps, ctx, words);
const chats = LANG_CHATS;
type Lang = keyof typeof chats;
const moves = (chatId: string) => movesOf(w, chatId);
const mutedUntil = async (chatId: string) => (await w.deps.subs.get('telegram', chatId))?.mutedUntil;
const DAY_MS = 86_400_000;

describe('a unit alone is one of it', () => {
  test.each([
    ['en', ['spx', '5%', 'week'], 5],
    ['en', ['spx', '5', 'month'], 21],
    ['en', ['qqq', '10', 'quarter'], 63],
    ['en', ['spx', '10', 'year'], 252],
    ['zh-TW', ['標普', '5%', '週'], 5],
    ['zh-TW', ['標普', '5%', '季'], 63],
    ['zh-CN', ['标普', '5%', '周'], 5],
    ['zh-CN', ['标普', '5%', '月'], 21],
    ['zh-CN', ['标普', '5%', '天'], 1],
  ] as const)('GIVEN a %s chat and /move %j THEN a move over %d trading days is stored', async (lang, words, days) => {
    const ctx = chats[lang];
    await run('subscribe', [], ctx);
    const reply = await run('move', words, ctx);
    expect(reply.status).toBe('ok');
    expect(await moves(ctx.chatId)).toEqual([{ pair: words[0] === 'qqq' ? 'qqq-gold' : 'spx-gold', pct: Number.parseFloat(words[1]!.replace('%', '')), days }]);
  });

  test.each([
    ['en', 'week', 7 * DAY_MS],
    ['en', 'day', DAY_MS],
    ['zh-TW', '週', 7 * DAY_MS],
    ['zh-TW', '天', DAY_MS],
    ['zh-CN', '周', 7 * DAY_MS],
    ['zh-CN', '年', 365 * DAY_MS],
  ] as const)('GIVEN a %s chat and /mute %s THEN muted for one of it', async (lang, word, ms) => {
    const ctx = chats[lang];
    await run('subscribe', [], ctx);
    expect((await run('mute', [word], ctx)).status).toBe('ok');
    expect(await mutedUntil(ctx.chatId)).toBe(NOW_MS + ms);
  });

  test('GIVEN /mute month and /mute 月 THEN a calendar month (2026-11-21 → 2026-12-21), as 1mo is', async () => {
    await run('subscribe', [], chats.en);
    expect(plainText(await run('mute', ['month'], chats.en))).toBe('Muted until 2026-12-21 00:00 (UTC).');
    await run('subscribe', [], chats['zh-TW']);
    expect(plainText(await run('mute', ['月'], chats['zh-TW']))).toBe('已靜音至2026年12月21日 00:00（UTC）。');
  });
});

test.each([
  ['en', ['spx', 'month'], { kind: 'ratio', pair: 'spx-gold', range: '1M' }],
  ['zh-TW', ['標普', '年'], { kind: 'ratio', pair: 'spx-gold', range: '1Y' }],
  ['zh-CN', ['标普', '季'], { kind: 'ratio', pair: 'spx-gold', range: '3M' }],
] as const)('GIVEN a %s chat and /chart %j (a unit alone) THEN the chart of one of it', async (lang, words, chart) => {
  const reply = await run('chart', words, chats[lang]);
  expect(reply.status, plainText(reply)).toBe('ok');
  expect(reply.chart).toMatchObject(chart);
});

test.each([
  ['en', 'week', '1w'],
  ['zh-TW', '週', '1週'],
  ['zh-CN', '天', '1天'],
] as const)('GIVEN a %s chat and /chart qqq %s THEN the same window as /chart qqq %s', async (lang, bare, counted) => {
  const [a, b] = [await run('chart', ['qqq', bare], chats[lang]), await run('chart', ['qqq', counted], chats[lang])];
  expect(a.status, plainText(a)).toBe('ok');
  expect(a.chart).toMatchObject({ kind: 'ratio', pair: 'qqq-gold', window: { from: expect.stringMatching(/^2026-11-/) } });
  expect(a.chart).toEqual(b.chart);
});

describe('a range where one number is needed', () => {
  const said: Readonly<Record<Lang, string>> = {
    en: '"{input}" is a range, not one length: give a single number, e.g. {ex}.',
    'zh-TW': '「{input}」是一個範圍，不是單一長度：請只輸入一個數字，例如{ex}。',
    'zh-CN': '“{input}”是一个范围，不是单一时长：请只输入一个数字，例如{ex}。',
  };
  const line = (lang: Lang, input: string, ex: string) => said[lang].replace('{input}', input).replace('{ex}', ex);

  test.each([
    ['en', 'a week or two', '1w or 2w'],
    ['en', '1-2 weeks', '1w or 2w'],
    ['en', 'two or three days', '2d or 3d'],
    ['en', 'a month or two', '1mo or 2mo'],
    ['zh-TW', '一兩週', '「1週」或「2週」'],
    ['zh-TW', '兩三天', '「2天」或「3天」'],
    ['zh-TW', '三五個月', '「3個月」或「5個月」'],
    ['zh-CN', '一两周', '“1周”或“2周”'],
    ['zh-CN', '两三天', '“2天”或“3天”'],
    ['zh-CN', '2到3年', '“2年”或“3年”'],
  ] as const)('GIVEN a %s chat and /move spx 10 %s THEN refused naming both ends, nothing stored', async (lang, span, ex) => {
    const ctx = chats[lang];
    await run('subscribe', [], ctx);
    const reply = await run('move', ['spx', '10', ...span.split(' ')], ctx);
    expect(reply.status).toBe('usage');
    expect(plainText(reply).split('\n')[0]).toBe(line(lang, span, ex));
    expect(await moves(ctx.chatId)).toEqual([]);
  });

  test.each([
    ['en', 'a day or two', '1d or 2d'],
    ['zh-TW', '兩三天', '「2天」或「3天」'],
    ['zh-CN', '一两周', '“1周”或“2周”'],
    // Hours and minutes, a mute's lengths, as its days are (not the generic duration line).
    ['en', 'an hour or two', '1h or 2h'],
    ['en', '2 or 3 hours', '2h or 3h'],
    ['en', '1-2 hours', '1h or 2h'],
    ['en', '5-10 minutes', '5m or 10m'],
    ['zh-TW', '兩三個小時', '「2小時」或「3小時」'],
    ['zh-TW', '一兩個小時', '「1小時」或「2小時」'],
    ['zh-TW', '兩三個鐘頭', '「2小時」或「3小時」'],
    ['zh-CN', '两三个小时', '“2小时”或“3小时”'],
    ['zh-CN', '一两个小时', '“1小时”或“2小时”'],
  ] as const)('GIVEN a %s chat and /mute %s THEN refused naming both ends, not muted', async (lang, span, ex) => {
    const ctx = chats[lang];
    await run('subscribe', [], ctx);
    const reply = await run('mute', span.split(' '), ctx);
    expect(reply.status).toBe('usage');
    expect(plainText(reply).split('\n')[0]).toBe(line(lang, span, ex));
    expect(await mutedUntil(ctx.chatId)).toBeNull();
  });

  test.each([
    ['en', 'a week or two', '1w or 2w'],
    ['zh-TW', '一兩週', '「1週」或「2週」'],
    ['zh-CN', '两三年', '“2年”或“3年”'],
  ] as const)('GIVEN a %s chat and /chart spx %s THEN refused naming both ends, no chart', async (lang, span, ex) => {
    const reply = await run('chart', ['spx', ...span.split(' ')], chats[lang]);
    expect(reply.status).toBe('usage');
    expect(reply.chart).toBeUndefined();
    expect(plainText(reply).split('\n')[0]).toBe(line(lang, span, ex));
  });

  test.each([
    ['move', ['spx', '10', '2-3', 'hours']],
    ['chart', ['spx', '1-2', 'hours']],
  ] as const)('GIVEN /%s %j (hours: no span of a move or a chart) THEN no range line offering hours', async (name, words) => {
    await run('subscribe', [], chats.en);
    const reply = await run(name, words, chats.en);
    expect(reply.status).toBe('usage');
    expect(plainText(reply)).not.toContain('is a range');
  });

  test.each(['十二天', '九十天', '二十週', '2-3月'])('GIVEN /move spx 10 %s (one count, or 2-3月: no span) THEN no range refusal', async (span) => {
    await run('subscribe', [], chats['zh-TW']);
    const reply = await run('move', ['spx', '10', span], chats['zh-TW']);
    expect(plainText(reply)).not.toContain('範圍');
  });
});
