/**
 * 幾月 (几月) asks which month: no month and no length. /mute, /chart and /power refuse it in one line
 * naming what works, in the chat's language; 幾個月 (a few months) is still read as 3, said so.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { findCommand } from '../../src/chat/registry.ts';
import { plainText, type Reply } from '../../src/chat/reply.ts';
import { chatWorld, type ChatWorld, type TestContext, LANG_CHATS } from '../helpers/chat.ts';

let w: ChatWorld;
beforeEach(() => {
  w = chatWorld();
});
afterEach(() => w.close());

const run = (name: string, words: readonly string[], ctx: TestContext): Promise<Reply> => findCommand(name)!.run(w.deps, ctx, words);
const chats = LANG_CHATS;
const firstLine = (r: Reply): string => plainText(r).split('\n')[0]!;

describe('幾月: which month, never a few months nor March', () => {
  test.each([
    ['zh-TW', '幾月', '「幾月」問的是哪個月，並未指明月份：請寫出您指的月份或時間長度，例如「到3月」或「3個月」。'],
    ['zh-TW', '到幾月', '「到幾月」問的是哪個月，並未指明月份：請寫出您指的月份或時間長度，例如「到3月」或「3個月」。'],
    ['zh-CN', '几月', '“几月”问的是哪个月，并未指明月份：请写出您指的月份或时长，例如“到3月”或“3个月”。'],
    ['en', '幾月份', '"幾月份" asks which month and names none: give the month or the length you mean, like until March or 3 months.'],
  ] as const)('GIVEN a %s chat and /mute %s THEN refused in one line, not muted', async (lang, typed, said) => {
    const ctx = chats[lang];
    await run('subscribe', [], ctx);
    const before = w.dump();
    const r = await run('mute', [typed], ctx);
    expect(r.status).toBe('usage');
    expect(firstLine(r)).toBe(said);
    expect(w.dump()).toBe(before);
  });

  test.each([
    ['zh-TW', 'chart', ['spx', '幾月'], '「幾月」問的是哪個月，並未指明月份：請寫出您指的月份，例如「2020年3月」，或往回的期間，例如「3個月」。'],
    ['zh-CN', 'chart', ['spx', '几月'], '“几月”问的是哪个月，并未指明月份：请写出您指的月份，例如“2020年3月”，或往回的期间，例如“3个月”。'],
    ['zh-TW', 'chart', ['spx', '幾月以來'], '「幾月以來」問的是哪個月，並未指明月份：請寫出您指的月份，例如「2020年3月」，或往回的期間，例如「3個月」。'],
    ['en', 'power', ['幾月'], '"幾月" asks which month and names none: give the month you mean, like 2020-03, or a span back, like 3m.'],
  ] as const)('GIVEN a %s chat and /%s %j THEN refused in one line, no chart', async (lang, name, words, said) => {
    const r = await run(name, words, chats[lang]);
    expect(r.status).toBe('usage');
    expect(r.chart).toBeUndefined();
    expect(firstLine(r)).toBe(said);
  });

  test('GIVEN 幾個月 (a few months) THEN still 3 months, the reply saying 幾 was read as 3', async () => {
    const ctx = chats['zh-TW'];
    await run('subscribe', [], ctx);
    const mute = await run('mute', ['幾個月'], ctx);
    expect(mute.status).toBe('ok');
    expect(plainText(mute)).toContain('「幾」以 3 計算。');
    const chart = await run('chart', ['spx', '幾個月'], ctx);
    expect(chart.chart).toMatchObject({ kind: 'ratio', range: '3M' });
  });
});
