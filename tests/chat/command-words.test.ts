/**
 * A command's words as a sentence carries them (round 5): emoji around or between them (`/chart spx
 * 🙏`, `/mute 2h 🙏`, `5y👍🏽`) and a sentence's end after the last (`1y!`, `1年？`, `1年。`,
 * `0.25.`) are no part of them, in each language, through the chat layer as Telegram splits a line.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { findCommand } from '../../src/chat/registry.ts';
import { plainText, type Reply } from '../../src/chat/reply.ts';
import { commandAtStart, commandWords } from '../../src/chat/command-words.ts';
import { chatCtx, chatWorld, type ChatWorld, type TestContext } from '../helpers/chat.ts';
import type { Lang } from '../../src/domain/i18n/index.ts';

let w: ChatWorld;
beforeEach(() => {
  w = chatWorld();
});
afterEach(() => w.close());

const ctxOf = (lang: Lang): TestContext => chatCtx({ chatId: lang, userLanguageCode: lang });
/** A whole line as typed, command and all, answered as the Telegram handler answers it. */
const say = (line: string, ctx: TestContext): Promise<Reply> => {
  const c = commandAtStart(line)!;
  return findCommand(c.name)!.run(w.deps, ctx, commandWords(c.rest));
};
const first = (r: Reply) => plainText(r).split('\n')[0];

describe('emoji and a sentence’s end around a command’s words', () => {
  test.each([
    ['en', '/chart spx 1y!', 'SPX/Gold, 1Y'],
    ['en', '/chart spx 5y👍🏽', 'SPX/Gold, 5Y'],
    ['en', '/chart 🙏 spx 5y', 'SPX/Gold, 5Y'],
    ['en', '/chart spx 1y 🚀🚀', 'SPX/Gold, 1Y'],
    ['zh-TW', '/chart spx 1年？', '標普500/黃金，1年'],
    ['zh-TW', '/chart 標普 5年！', '標普500/黃金，5年'],
    ['zh-CN', '/chart spx 1年。', '标普500/黄金，1年'],
    ['zh-CN', '/chart 纳指 半年 🙏', 'QQQ/黄金，6个月'],
  ] as const)('GIVEN %s %s THEN the chart asked for, named', async (lang, line, title) => {
    expect(first(await say(line, ctxOf(lang)))).toBe(title);
  });

  test.each([
    ['en', '/mylevels add spx 0.25.', "Added 0.25 on SPX/Gold to this chat's levels."],
    ['zh-TW', '/mute 2小時 🙏', '已靜音至2026年11月21日 02:00（UTC）。'],
    ['zh-CN', '/quiet 23:00-07:00！', '免打扰时段已设为 23:00-07:00（UTC：未指定时区，这里也未设置其他时区）。'],
  ] as const)('GIVEN %s %s THEN set as meant, named in the reply', async (lang, line, text) => {
    const ctx = ctxOf(lang);
    await say('/subscribe', ctx);
    expect(first(await say(line, ctx))).toBe(text);
  });

  test('GIVEN an emoji alone (/mute 🙏, /ratio 🚀) THEN refused as the word it is, in one line with what works; nothing muted', async () => {
    const ctx = ctxOf('en');
    await say('/subscribe', ctx);
    const r = await say('/mute 🙏', ctx);
    expect([r.status, first(r)]).toEqual(['usage', 'Mute needs a duration like 30m, 2h, 1d or 1w, or an end like until monday, got "🙏".']);
    expect(first(await say('/ratio 🚀', ctxOf('zh-TW')))).toBe('無法辨識比率「🚀」：請使用 spx 或 qqq。');
    expect((await w.deps.subs.get('telegram', 'en'))?.mutedUntil).toBeNull();
  });
});

describe('an index named with its number apart (S&P 500, Nasdaq 100)', () => {
  test.each([
    ['en', '/chart S&P 500 5y', 'SPX/Gold, 5Y'],
    ['en', '/chart Nasdaq 100 1y', 'QQQ/Gold, 1Y'],
    ['zh-TW', '/chart 那斯達克100 1年', 'QQQ/黃金，1年'],
    ['zh-CN', '/chart 纳斯达克 100 半年', 'QQQ/黄金，6个月'],
  ] as const)('GIVEN %s %s THEN that pair', async (lang, line, title) => {
    expect(first(await say(line, ctxOf(lang)))).toBe(title);
  });

  test('GIVEN /history S&P 500 THEN the history of SPX/Gold; /mylevels add nasdaq 100 THEN still the level 100, refused', async () => {
    expect(first(await say('/history S&P 500', ctxOf('en')))).toBe('No level breaks recorded yet.');
    expect(first(await say('/history 纳斯达克100', ctxOf('zh-CN')))).toBe('尚无点位突破或跌破的记录。');
    const ctx = ctxOf('en');
    await say('/subscribe', ctx);
    expect(first(await say('/mylevels add nasdaq 100', ctx))).toBe('Level must be below 100, got "100" (a ratio, not a price).');
  });
});
