/**
 * /levels beside each essay level: what the stored closes show for its era (domain/level-record.ts),
 * in every language, on the real history; a chat's own levels get no such line.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { findCommand } from '../../src/chat/registry.ts';
import { plainText, type Reply } from '../../src/chat/reply.ts';
import { chatCtx, chatWorld, type ChatWorld, type TestContext } from '../helpers/chat.ts';
import { describeWithHistory, loadHistory } from '../helpers/history.ts';

const runIn = (w: ChatWorld, name: string, args: readonly string[], ctx: TestContext = chatCtx()): Promise<Reply> => findCommand(name)!.run(w.deps, ctx, args);
const linesAfter = (text: string, start: string): string[] => {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith(start));
  return lines.slice(at, at + 2);
};

describeWithHistory('/levels on the real history: the era record under each essay level', () => {
  let w: ChatWorld;
  beforeAll(async () => {
    w = chatWorld({ seed: false });
    await loadHistory(w.quotes);
  });
  afterAll(() => w?.close());

  test('GIVEN English THEN the essay label as written, and under it the era high or low, its date and how far from the level', async () => {
    await runIn(w, 'subscribe', ['spx', '1.8']);
    const text = plainText(await runIn(w, 'levels', []));
    expect(linesAfter(text, '5.5 ')).toEqual([
      '5.5 Epic resistance: the 2000 peak · 1999–2002 bubble peak · +223.9% away',
      "↳ The era's highest close: 5.568 on 1999-07-16, closed above it by 1.24%",
    ]);
    expect(linesAfter(text, '2.5 ')).toEqual([
      '2.5 QE-decade resistance, "retested and failed" per the essay · 2012–2024 QE and tech · +47.2% away',
      "↳ The era's highest close: 2.683 on 2021-12-27, closed above it by 7.30% (with the gold price of 2021-12-24, the latest that day)",
    ]);
    expect(linesAfter(text, '0.6–0.7 ')[1]).toBe("↳ The era's lowest close: 0.5985 on 2011-08-22, closed below it by 0.25%");
    expect(linesAfter(text, '0.4 ')[1]).toBe("↳ The era's highest close: 0.4141 on 2000-03-27, closed above it by 3.53%");
    expect(linesAfter(text, '0.25 ')).toEqual([
      '0.25 Key resistance of the QE decade · 2012–2024 QE and tech · +58.4% away',
      "↳ The era's highest close: 0.2259 on 2021-12-27, never reached: 9.64% below it (with the gold price of 2021-12-24, the latest that day)",
    ]);
    expect(linesAfter(text, '0.03 ')[1]).toBe("↳ The era's lowest close: 0.0267 on 2011-08-22, closed below it by 10.9%");
    // A chat's own level: no era, no record, nothing under it.
    const own = text.split('\n').findIndex((l) => l.startsWith("1.8 This chat's level"));
    expect(text.split('\n')[own + 1]).toBe('');
    expect(text.match(/↳/g)).toHaveLength(6);
    // Only the days that used an older gold price say so (2021-12-27, a London holiday); 1999-07-16 had its own.
    expect(text.match(/with the gold price of/g)).toHaveLength(2);
  });

  test('GIVEN Traditional or Simplified Chinese THEN the same record in its words, dates as each writes them', async () => {
    const tw = plainText(await runIn(w, 'levels', ['spx'], chatCtx({ chatId: '2002', userLanguageCode: 'zh-TW' })));
    expect(linesAfter(tw, '5.5 ')[1]).toBe('↳ 該時期最高收盤：5.568（1999年7月16日），曾收高於此水位 1.24%');
    expect(linesAfter(tw, '2.5 ')[0]).toContain('量化寬鬆十年的壓力，原文稱「多次叩關未果」');
    expect(linesAfter(tw, '2.5 ')[1]).toBe('↳ 該時期最高收盤：2.683（2021年12月27日），曾收高於此水位 7.30%（採用2021年12月24日的金價，為當日最新一筆）');
    expect(linesAfter(tw, '0.6–0.7 ')[1]).toBe('↳ 該時期最低收盤：0.5985（2011年8月22日），曾收低於此水位 0.25%');
    const cn = plainText(await runIn(w, 'levels', ['qqq'], chatCtx({ chatId: '2003', userLanguageCode: 'zh-CN' })));
    expect(linesAfter(cn, '0.25 ')[1]).toBe(
      '↳ 该时期最高收盘：0.2259（2021年12月27日），从未触及，仍低于该点位 9.64%（采用2021年12月24日的金价，即当日可获得的最新金价）',
    );
    expect(linesAfter(cn, '0.03 ')[1]).toBe('↳ 该时期最低收盘：0.0267（2011年8月22日），曾收低于该点位 10.9%');
  });
});

describe('/levels: the era record on other closes', () => {
  let w: ChatWorld;
  afterEach(() => w?.close());

  test("GIVEN a fresh install's year of closes THEN no record: a year is not the era", async () => {
    w = chatWorld();
    const text = plainText(await runIn(w, 'levels', []));
    expect(text).toContain('5.5 Epic resistance: the 2000 peak');
    expect(text).not.toContain('↳');
  });

  test('GIVEN the era low a hair under 0.6 THEN printed with the digits that tell it from 0.6, and the distance never as none', async () => {
    w = chatWorld({ seed: false });
    const rows = (pairs: [string, number][]) => pairs.map(([date, close]) => ({ date, close, source: 'test' }));
    const dates = ['2003-01-02', '2007-06-01', '2011-08-22', '2011-12-30', '2026-11-20'];
    await w.quotes.upsertCloses('gold', rows(dates.map((d) => [d, 1000])));
    // 599.99 / 1000 = 0.59999: formatRatio writes 0.6000, which reads as on the zone's edge.
    await w.quotes.upsertCloses('spx', rows(dates.map((d) => [d, d === '2011-08-22' ? 599.99 : 1500])));
    const text = plainText(await runIn(w, 'levels', ['spx']));
    expect(linesAfter(text, '0.6–0.7 ')[1]).toBe("↳ The era's lowest close: 0.59999 on 2011-08-22, closed below it by <0.01%");
  });
});
