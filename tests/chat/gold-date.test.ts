/**
 * /ratio and /status on the real history (GOLDRATIO_HISTORY_DIR) as the bot had it after the close
 * of 2026-08-21: the stocks' closes of 08-21, gold's latest price of 08-20 (the files end there).
 * The ratios of 08-21 divide by the gold price of 08-20: /ratio says so, as the digest and /power
 * do, in each language, and only when the days differ.
 */
import { afterEach, expect, test } from 'vitest';
import { findCommand } from '../../src/chat/registry.ts';
import { plainText, type Reply } from '../../src/chat/reply.ts';
import { chatCtx, chatWorld, type ChatWorld, type TestContext } from '../helpers/chat.ts';
import { describeWithHistory, loadHistory } from '../helpers/history.ts';

/** 17:30 New York on Friday 2026-08-21, after the close. */
const AFTER_CLOSE = Date.parse('2026-08-21T21:30:00Z');

let w: ChatWorld;
afterEach(() => w?.close());

const run = (name: string, args: readonly string[], ctx: TestContext): Promise<Reply> => findCommand(name)!.run(w.deps, ctx, args);

describeWithHistory('/ratio when the gold price is older than the close', () => {
  test('GIVEN the stocks at 08-21 and gold at 08-20 THEN /ratio says the ratios use the gold price of 08-20 (en, zh-TW, zh-CN), once for both pairs', async () => {
    w = chatWorld({ seed: false });
    await loadHistory(w.quotes, '2025-01-01', '2026-08-21');
    const en = plainText(await run('ratio', [], chatCtx({ nowMs: AFTER_CLOSE })));
    expect(en).toContain('SPX/Gold 1.');
    expect(en).toContain('(close 2026-08-21)');
    expect(en.split('\n').at(-1)).toBe('The ratios use the gold price of 2026-08-20, the latest at the close of 2026-08-21.');
    expect(en.match(/gold price of/g)).toHaveLength(1);
    const tw = plainText(await run('ratio', [], chatCtx({ nowMs: AFTER_CLOSE, chatId: '2001', userLanguageCode: 'zh-TW' })));
    expect(tw.split('\n').at(-1)).toBe('比率所用的金價為2026年8月20日的報價，是2026年8月21日收盤時最新的一筆。');
    const cn = plainText(await run('ratio', [], chatCtx({ nowMs: AFTER_CLOSE, chatId: '2002', userLanguageCode: 'zh-CN' })));
    expect(cn.split('\n').at(-1)).toBe('比率采用2026年8月20日的金价，即2026年8月21日收盘时可获得的最新金价。');
  });

  test('GIVEN /ratio of one pair THEN the sentence speaks of that one ratio', async () => {
    w = chatWorld({ seed: false });
    await loadHistory(w.quotes, '2025-01-01', '2026-08-21');
    const en = plainText(await run('ratio', ['qqq'], chatCtx({ nowMs: AFTER_CLOSE })));
    expect(en).not.toContain('SPX');
    expect(en.split('\n').at(-1)).toBe('The ratio uses the gold price of 2026-08-20, the latest at the close of 2026-08-21.');
  });

  test('GIVEN the stocks and gold of the same day (08-20) THEN no such sentence', async () => {
    w = chatWorld({ seed: false });
    await loadHistory(w.quotes, '2025-01-01', '2026-08-20');
    const text = plainText(await run('ratio', [], chatCtx({ nowMs: Date.parse('2026-08-20T21:30:00Z') })));
    expect(text).toContain('(close 2026-08-20)');
    expect(text).not.toContain('gold price of');
  });
});
