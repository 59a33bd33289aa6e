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

  test("GIVEN Monday's fix in (15:00 London) before the stocks' close THEN gold's age is that of the price the shown ratio uses (08-20's), not Monday's", async () => {
    w = chatWorld({ seed: false });
    await loadHistory(w.quotes, '2025-01-01', '2026-08-21');
    await w.quotes.upsertCloses('gold', [{ date: '2026-08-24', close: 4530, source: 'lbma' }]);
    // Monday 12:00 New York: the ratio is Friday's close over 08-20's gold; Monday's fix is not in it.
    const text = plainText(await run('ratio', ['spx'], chatCtx({ nowMs: Date.parse('2026-08-24T16:00:00Z') })));
    expect(text).toContain('(close 2026-08-21)');
    // Friday's 16:00 New York close, 68 h before; 08-20's gold, 92 h: it read "Gold 2 h", the age of Monday's fix, which the ratio does not use.
    expect(text).toContain('Data age: S&P 500 3 d, Gold 4 d');
    expect(text.split('\n').at(-1)).toBe('The ratio uses the gold price of 2026-08-20, the latest at the close of 2026-08-21.');
  });

  test('GIVEN the stocks and gold of the same day (08-20) THEN no such sentence', async () => {
    w = chatWorld({ seed: false });
    await loadHistory(w.quotes, '2025-01-01', '2026-08-20');
    const text = plainText(await run('ratio', [], chatCtx({ nowMs: Date.parse('2026-08-20T21:30:00Z') })));
    expect(text).toContain('(close 2026-08-20)');
    expect(text).not.toContain('gold price of');
  });
});

describeWithHistory('/status when the stocks closed on a day gold has no price for', () => {
  test('GIVEN the stocks at 08-21 and gold at 08-20 THEN gold’s line says there is no gold price for 08-21 and the ratios use this one (en, zh-TW, zh-CN)', async () => {
    w = chatWorld({ seed: false });
    await loadHistory(w.quotes, '2025-01-01', '2026-08-21');
    const en = plainText(await run('status', [], chatCtx({ nowMs: AFTER_CLOSE })));
    expect(en).toMatch(/^Gold close 2026-08-20 4,518\.96 \(history, [\d,]+ rows\) · no gold price for 2026-08-21: that day's ratios use this one$/m);
    const tw = plainText(await run('status', [], chatCtx({ nowMs: AFTER_CLOSE, chatId: '2001', userLanguageCode: 'zh-TW' })));
    expect(tw).toContain('· 2026年8月21日無金價，當日比率沿用此價');
    const cn = plainText(await run('status', [], chatCtx({ nowMs: AFTER_CLOSE, chatId: '2002', userLanguageCode: 'zh-CN' })));
    expect(cn).toContain('· 2026年8月21日无金价，当日比率沿用此价');
  });

  test('GIVEN the stocks and gold of the same day THEN no such words', async () => {
    w = chatWorld({ seed: false });
    await loadHistory(w.quotes, '2025-01-01', '2026-08-20');
    const text = plainText(await run('status', [], chatCtx({ nowMs: Date.parse('2026-08-20T21:30:00Z') })));
    expect(text).toMatch(/^Gold close 2026-08-20 4,518.96 \(history, [\d,]+ rows\)$/m);
    expect(text).not.toContain('no gold price');
  });
});

test('GIVEN gold’s last price a week before the stocks’ close (past the 4 days it stands in) THEN /status says that day has no ratio, before it reads STALE', async () => {
  w = chatWorld({ seed: false });
  await w.quotes.upsertCloses('spx', [
    { date: '2026-08-14', close: 6000, source: 'yahoo' },
    { date: '2026-08-21', close: 6010, source: 'yahoo' },
  ]);
  await w.quotes.upsertCloses('gold', [{ date: '2026-08-14', close: 4400, source: 'lbma' }]);
  const text = plainText(await run('status', [], chatCtx({ nowMs: AFTER_CLOSE })));
  expect(text).toContain(
    'Gold close 2026-08-14 4,400.00 (LBMA, 1 row) · no gold price for 2026-08-21, and this one is too old to stand in: that day has no ratio',
  );
  expect(text).not.toContain('STALE');
  expect(plainText(await run('ratio', ['spx'], chatCtx({ nowMs: AFTER_CLOSE })))).toContain('(close 2026-08-14)');
});

describeWithHistory('/ratio on the reopening after the exchange was shut', () => {
  test('GIVEN the closes to 2001-09-17 (the reopening after 9/11) THEN /ratio gives a 1D and says it is since 09-10, the exchange shut 09-11 to 09-14 (en, zh-TW, zh-CN)', async () => {
    w = chatWorld({ seed: false });
    await loadHistory(w.quotes, '2000-01-01', '2001-09-17');
    const now = Date.parse('2001-09-17T21:30:00Z');
    const en = plainText(await run('ratio', [], chatCtx({ nowMs: now })));
    expect(en).toContain('(close 2001-09-17)');
    expect(en).not.toMatch(/1D –/);
    expect(en.split('\n').at(-1)).toBe('The 1D is since the close of 2001-09-10: the exchange was closed 2001-09-11 – 2001-09-14.');
    const tw = plainText(await run('ratio', [], chatCtx({ nowMs: now, chatId: '2001', userLanguageCode: 'zh-TW' })));
    expect(tw.split('\n').at(-1)).toBe('單日漲跌是相對2001年9月10日的收盤：交易所於2001年9月11日至2001年9月14日休市。');
    const cn = plainText(await run('ratio', [], chatCtx({ nowMs: now, chatId: '2002', userLanguageCode: 'zh-CN' })));
    expect(cn.split('\n').at(-1)).toBe('单日涨跌是相对2001年9月10日的收盘：交易所于2001年9月11日至2001年9月14日休市。');
  });
});
