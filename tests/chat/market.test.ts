import { onSqlite } from '../../src/store/engine.ts';
import { runUnit } from '../../src/store/unit.ts';
import { afterEach, describe, expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHAT_COMMANDS, findCommand } from '../../src/chat/registry.ts';
import { handleAction } from '../../src/chat/buttons.ts';
import { usageLine } from '../../src/chat/args.ts';
import { plainText, type Reply } from '../../src/chat/reply.ts';
import { chat } from '../../src/domain/i18n/chat.ts';
import { hasKey, LANGS } from '../../src/domain/i18n/index.ts';
import { stopKey } from '../../src/chat/replies.ts';
import { STOP_CAUSES } from '../../src/domain/stop-cause.ts';
import { chatCtx, chatWorld, NOW_MS, type ChatWorld, type TestContext } from '../helpers/chat.ts';

let w: ChatWorld;
afterEach(() => w?.close());

const run = (name: string, args: readonly string[], ctx: TestContext = chatCtx()): Promise<Reply> => {
  const c = findCommand(name);
  if (c === undefined) throw new Error(`no command ${name}`);
  return c.run(w.deps, ctx, args);
};

describe('/ratio', () => {
  test('GIVEN a live ratio a hair below 2.5 THEN the value is not printed as 2.500 and the distance is not none', async () => {
    w = chatWorld();
    // 9999.84 / 4000 = 2.49996: 0.0016% below 2.5. It read "SPX/Gold 2.500 (live)" and "Next level up: 2.5 (+0.00%)".
    await w.quotes.setLatestQuote('spx', { price: 9999.84, asOf: NOW_MS - 5 * 60_000, source: 'yahoo' });
    await w.quotes.setLatestQuote('gold', { price: 4000, asOf: NOW_MS - 5 * 60_000, source: 'yahoo' });
    const text = plainText(await run('ratio', ['spx']));
    expect(text).toContain('SPX/Gold 2.49996 (live)');
    expect(text).toContain('Next level up: 2.5 (+<0.01%)');
    const levels = plainText(await run('levels', ['spx']));
    expect(levels).toContain('+<0.01% away');
    expect(levels).not.toContain('0.00%');
  });

  test('GIVEN closes only THEN both pairs on the close basis with changes, nearest levels, age and the SPX chart', async () => {
    w = chatWorld();
    const r = await run('ratio', []);
    expect(r.status).toBe('ok');
    expect(plainText(r)).toBe(
      [
        'SPX/Gold 1.390 (close 2026-11-20)',
        '1D +2.96% · 1M -0.71% · YTD -7.33%',
        'Next level up: 2.5 (+79.9%) QE-decade resistance, "retested and failed" per the essay',
        'Next level down: 0.6–0.7 (-49.6%) Historic support zone: the 2011 bottom',
        // A close counts from its trading day's end (20:00 UTC), four hours before now.
        // Since the 16:00 New York close (21:00 UTC in November), as `status` counts it.
        // Gold (Yahoo's GC=F) since its price was set, the COMEX settlement at 13:30 New York (18:30 UTC): 5.5 h.
        'Data age: S&P 500 3 h, Gold 6 h',
        '',
        'QQQ/Gold 0.1500 (close 2026-11-20)',
        '1D +3.45% · 1M -3.23% · YTD -6.25%',
        'Next level up: 0.25 (+66.7%) Key resistance of the QE decade',
        'Next level down: 0.03 (-80.0%) Floor: the 2011 bottom',
        'Data age: QQQ 3 h, Gold 6 h',
      ].join('\n'),
    );
    expect(r.chart).toEqual({ kind: 'ratio', pair: 'spx-gold', range: '1Y' });
  });

  test('GIVEN fresh live quotes and /ratio spx THEN the live value, 1D against the last close, in zh-TW for a zh user', async () => {
    w = chatWorld();
    await w.quotes.setLatestQuote('spx', { price: 5800, asOf: NOW_MS - 5 * 60_000, source: 'yahoo' });
    await w.quotes.setLatestQuote('gold', { price: 4000, asOf: NOW_MS - 10 * 60_000, source: 'yahoo' });
    const r = await run('ratio', ['spx'], chatCtx({ userLanguageCode: 'zh-hant' }));
    const text = plainText(r);
    expect(text).toContain('標普500/黃金：1.450（即時）');
    expect(text).toContain('單日 +4.32%');
    expect(text).toContain('資料時間：標普500指數 5 分鐘前，黃金 10 分鐘前');
    expect(text).not.toContain('QQQ');
    expect(r.chart).toEqual({ kind: 'ratio', pair: 'spx-gold', range: '1Y' });
  });

  test("GIVEN a subscribed chat's own levels THEN /ratio's nearest levels are among them, as /levels lists them (highest first)", async () => {
    w = chatWorld();
    await run('subscribe', ['spx', '1.2', '1.8', '2.2']);
    const text = plainText(await run('ratio', ['spx']));
    expect(text).toContain("Next level up: 1.8 (+29.5%) This chat's level\n");
    expect(text).toContain("Next level down: 1.2 (-13.7%) This chat's level");
    expect(plainText(await run('levels', ['spx']))).toMatch(/2\.2 This chat's level · .*\n.*1\.8 This chat's level · .*\n.*1\.2 This chat's level · /);
    expect(plainText(await run('mylevels', []))).toContain("this chat's levels 2.2, 1.8, 1.2");
    // Another chat is shown the essay's.
    expect(plainText(await run('ratio', ['spx'], chatCtx({ chatId: '2002' })))).toContain('Next level up: 2.5 (+79.9%)');
  });

  test('GIVEN /ratio dow THEN the usage line', async () => {
    w = chatWorld();
    const r = await run('ratio', ['dow']);
    expect(r.status).toBe('usage');
    expect(plainText(r)).toBe('Unknown pair "dow": use spx or qqq.\n/ratio [spx|qqq]');
  });

  test('GIVEN an empty database THEN an error saying there is no data, no chart', async () => {
    w = chatWorld({ seed: false });
    const r = await run('ratio', []);
    expect(r.status).toBe('error');
    expect(plainText(r)).toBe('No data yet for SPX/Gold.\n\nNo data yet for QQQ/Gold.');
    expect(r.chart).toBeUndefined();
  });

  test('GIVEN the first history load still running THEN /ratio, /chart and /power say it is loading and to ask again (en, zh-TW), no chart', async () => {
    w = chatWorld({ seed: false });
    const loading = { ...w.deps, historyLoading: () => true };
    const ask = (name: string, args: string[], ctx: TestContext = chatCtx()) => findCommand(name)!.run(loading, ctx, args);
    const ratio = await ask('ratio', []);
    expect(ratio.status).toBe('error');
    expect(plainText(ratio)).toBe(
      'No SPX/Gold yet: the history is still loading. Ask again in a moment.\n\nNo QQQ/Gold yet: the history is still loading. Ask again in a moment.',
    );
    const chart = await ask('chart', ['qqq']);
    expect([chart.status, plainText(chart), chart.chart]).toEqual([
      'error',
      'No QQQ/Gold yet: the history is still loading. Ask again in a moment.',
      undefined,
    ]);
    const power = await ask('power', []);
    expect([power.status, plainText(power)]).toEqual(['error', 'The history is still loading. Ask again in a moment.']);
    const zh = chatCtx({ userLanguageCode: 'zh-TW' });
    expect(plainText(await ask('ratio', ['spx'], zh))).toBe('標普500/黃金尚無資料：歷史資料仍在載入中，請稍後再試。');
    expect(plainText(await ask('chart', ['power'], zh))).toBe('歷史資料仍在載入中，請稍後再試。');
    expect(plainText(await ask('power', [], zh))).toBe('歷史資料仍在載入中，請稍後再試。');
    // Once loaded (or never loading), the old answers.
    expect(plainText(await run('ratio', ['spx']))).toBe('No data yet for SPX/Gold.');
  });
});

describe('/chart and its buttons', () => {
  test('GIVEN /chart qqq 5y THEN the QQQ chart and buttons switching pair and range', async () => {
    w = chatWorld();
    const r = await run('chart', ['qqq', '5y']);
    expect(r.chart).toEqual({ kind: 'ratio', pair: 'qqq-gold', range: '5Y' });
    expect(r.buttons?.[0]?.map((b) => b.action)).toEqual(['chart:spx-gold:5Y', 'chart:qqq-gold:5Y', 'chart:power:5Y']);
    expect(r.buttons?.[1]?.map((b) => b.action)).toEqual(['1M', '3M', '6M', 'YTD', '1Y', '5Y', '10Y', 'MAX'].map((x) => `chart:qqq-gold:${x}`));
    expect(
      r.buttons
        ?.flat()
        .filter((b) => b.selected === true)
        .map((b) => b.label),
    ).toEqual(['QQQ/Gold', '5Y']);
  });

  test.each([
    [[], { kind: 'ratio', pair: 'spx-gold', range: '1Y' }],
    [['power'], { kind: 'power', base: '1999-03-10' }],
    [['power', '1Y'], { kind: 'power', base: '2025-11-21' }],
    [['spx', 'max'], { kind: 'ratio', pair: 'spx-gold', range: 'MAX' }],
    // Year to date, as investors say it and in Chinese; its power chart is indexed to the year before's last close (2025-12-31).
    [['spx', 'ytd'], { kind: 'ratio', pair: 'spx-gold', range: 'YTD' }],
    [['qqq', '今年'], { kind: 'ratio', pair: 'qqq-gold', range: 'YTD' }],
    [['spx', '年初至今'], { kind: 'ratio', pair: 'spx-gold', range: 'YTD' }],
    [['power', 'YTD'], { kind: 'power', base: '2025-12-31' }],
  ])('GIVEN /chart %j THEN %j', async (args, chart) => {
    w = chatWorld();
    expect((await run('chart', args)).chart).toEqual(chart);
  });

  test.each([[['btc']], [['spx', '2x']], [['spx', '1Y', 'x']]])('GIVEN /chart %j THEN usage', async (args) => {
    w = chatWorld();
    const r = await run('chart', args);
    expect(r.status).toBe('usage');
    // The chart argument is optional (spx by default): the derived usage line says so with brackets.
    expect(plainText(r)).toContain('/chart [spx|qqq|power] [1M|3M|6M|YTD|1Y|5Y|10Y|MAX]');
  });

  test('GIVEN the button chart:power:MAX THEN the same message is edited to the power chart', async () => {
    w = chatWorld();
    const r = await handleAction(w.deps, chatCtx(), 'chart:power:MAX');
    expect(r.edit).toBe(true);
    expect(r.reply.chart).toEqual({ kind: 'power', base: '1999-03-10' });
    expect(plainText(r.reply)).toBe('Purchasing power since 1999-03-10');
    // A range counts back to a calendar day, perhaps a weekend: the caption names the range, and
    // the chart the first close it is indexed to.
    const five = await handleAction(w.deps, chatCtx(), 'chart:power:5Y');
    expect(plainText(five.reply)).toBe('Purchasing power, 5Y');
    expect(plainText(await run('chart', ['power', '5y'], chatCtx({ userLanguageCode: 'zh-TW' })))).toBe('購買力，5年');
  });

  test('GIVEN /chart spx 2007 2009 THEN that window: its title, the subject buttons keeping it, no range marked; a subject button redraws it for QQQ', async () => {
    w = chatWorld();
    const r = await run('chart', ['spx', '2007', '2009']);
    const window = { from: '2007-01-01', to: '2009-12-31' };
    expect(r.chart).toEqual({ kind: 'ratio', pair: 'spx-gold', range: '1Y', window });
    expect(plainText(r)).toBe('SPX/Gold, 2007-01-01 to 2009-12-31');
    expect(r.buttons?.[0]?.map((b) => b.action)).toEqual([
      'chart:spx-gold:2007-01-01:2009-12-31',
      'chart:qqq-gold:2007-01-01:2009-12-31',
      'chart:power:2007-01-01:2009-12-31',
    ]);
    expect(r.buttons?.[1]?.some((b) => b.selected === true)).toBe(false);
    // Telegram's callback_data holds 64 bytes.
    expect(Math.max(...r.buttons!.flat().map((b) => Buffer.byteLength(b.action)))).toBeLessThanOrEqual(64);
    const qqq = await handleAction(w.deps, chatCtx(), 'chart:qqq-gold:2007-01-01:2009-12-31');
    expect(qqq.edit).toBe(true);
    expect(qqq.reply.chart).toEqual({ kind: 'ratio', pair: 'qqq-gold', range: '1Y', window });
    const power = await handleAction(w.deps, chatCtx({ userLanguageCode: 'zh-TW' }), 'chart:power:2007-01-01:2009-12-31');
    expect(power.reply.chart).toEqual({ kind: 'power', base: '2007-01-01', to: '2009-12-31' });
    expect(plainText(power.reply)).toBe('購買力，2007年1月1日至2009年12月31日');
    // A window without an end runs to the latest close, from the first close in it (this world's: 2025-12-31); a range button leaves the window.
    const since = await run('chart', ['qqq', '2020-03']);
    expect(since.chart).toEqual({ kind: 'ratio', pair: 'qqq-gold', range: '1Y', window: { from: '2025-12-31' } });
    // Asked from before the closes start: the reply says where they start.
    expect(plainText(since)).toBe('QQQ/Gold, since 2025-12-31\nThe QQQ/Gold history starts on 2025-12-31: the chart starts there, not on 2020-03-01.');
    expect(since.buttons?.[0]?.[0]?.action).toBe('chart:spx-gold:2025-12-31:');
    expect((await handleAction(w.deps, chatCtx(), 'chart:spx-gold:2025-12-31:')).reply.chart).toEqual({
      kind: 'ratio',
      pair: 'spx-gold',
      range: '1Y',
      window: { from: '2025-12-31' },
    });
    expect(since.buttons?.[1]?.find((b) => b.label === '5Y')?.action).toBe('chart:qqq-gold:5Y');
  });

  test('GIVEN a date with its year last (20/10/2026 day first, 10/20/2026 month first) THEN that day; 05/11/2026, either, is asked with both days named; 31/13/2026 is on no calendar', async () => {
    w = chatWorld();
    for (const typed of ['20/10/2026', '10/20/2026', '20.10.2026']) {
      const r = await run('chart', ['spx', typed]);
      expect(r.chart).toMatchObject({ kind: 'ratio', pair: 'spx-gold', window: { from: '2026-10-20' } });
      expect(plainText(r)).toBe('SPX/Gold, since 2026-10-20');
    }
    const asked = await run('chart', ['spx', '05/11/2026']);
    expect(asked.status).toBe('usage');
    expect(asked.chart).toBeUndefined();
    expect(plainText(asked).split('\n')[0]).toBe('"05/11/2026" could be 2026-11-05 or 2026-05-11: write the date year first, like 2026-11-05.');
    // The date to type is an example to copy, in code as every other example is.
    expect(asked.lines[0]).toContainEqual({ code: '2026-11-05' });
    expect(plainText(await run('power', ['05/11/2026'], chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' }))).split('\n')[0]).toBe(
      '「05/11/2026」可能是2026年11月5日，也可能是2026年5月11日：請以年在前的格式輸入日期，例如 2026-11-05。',
    );
    expect(plainText(await run('chart', ['spx', '05/11/2026'], chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' }))).split('\n')[0]).toBe(
      '“05/11/2026”可能是2026年11月5日，也可能是2026年5月11日：请按年在前的格式输入日期，例如 2026-11-05。',
    );
    expect(plainText(await run('chart', ['spx', '31/13/2026'])).split('\n')[0]).toBe('There is no "31/13/2026" on the calendar.');
  });

  test('GIVEN 去年 or 前年 (last year, the year before) as a date, and 今年 as an end THEN those calendar years, in both scripts; 今年 alone stays the YTD range', async () => {
    w = chatWorld();
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' });
    // 去年 alone is the calendar year 2025, to its last day (its one close here, 2025-12-31), said in the title.
    const last = await run('chart', ['spx', '去年'], tw);
    expect(last.chart).toMatchObject({ kind: 'ratio', pair: 'spx-gold', window: { from: '2025-12-31', to: '2025-12-31' } });
    expect(plainText(last)).toBe('標普500/黃金，2025年12月31日至2025年12月31日\n標普500/黃金的資料始於2025年12月31日，因此圖表從該日起，而非2025年1月1日。');
    // Since last year (去年以來) is still a start, to the latest close.
    expect((await run('chart', ['spx', '去年以來'], tw)).chart).toMatchObject({ window: { from: '2025-12-31' } });
    expect((await run('chart', ['spx', '去年以來'], tw)).chart).not.toHaveProperty('window.to');
    // On Discord, from:去年 with no end is that year too; an end given is kept.
    const discord = chatCtx({ platform: 'discord', chatId: 'd-last', userLanguageCode: 'zh-TW' });
    expect((await findCommand('chart')!.runNamed(w.deps, discord, { chart: 'spx', from: '去年' })).chart).toEqual(last.chart);
    expect((await findCommand('chart')!.runNamed(w.deps, discord, { chart: 'spx', from: 'last year', to: '2026' })).chart).toMatchObject({
      window: { from: '2025-12-31', to: '2026-11-20' },
    });
    const both = await run('chart', ['spx', '前年', '今年'], chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' }));
    expect(both.chart).toMatchObject({ window: { from: '2025-12-31', to: '2026-11-20' } });
    expect(plainText(both)).toBe('标普500/黄金，2025年12月31日至2026年11月20日\n标普500/黄金的数据始于2025年12月31日，因此图表从该日开始，而非2024年1月1日。');
    expect((await run('chart', ['spx', '2020', '去年'], tw)).chart).toMatchObject({ window: { from: '2025-12-31', to: '2025-12-31' } });
    expect(plainText(await run('chart', ['spx', '今年'], tw))).toBe('標普500/黃金，今年');
  });

  test('GIVEN 大前年, 上一年, 去年全年, 去年一整年, the year before last, the whole of last year THEN the calendar years they name, whole, as 去年 and 前年 are', async () => {
    w = chatWorld();
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' });
    const cn = chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' });
    const lastYear = (await run('chart', ['spx', '去年'], tw)).chart;
    for (const [words, ctx] of [
      [['上一年'], tw],
      [['去年全年'], tw],
      [['去年一整年'], cn],
      [['the', 'whole', 'of', 'last', 'year'], chatCtx()],
      [['the', 'entire', 'previous', 'year'], chatCtx()],
    ] as const) {
      expect((await run('chart', ['spx', ...words], ctx)).chart, words.join(' ')).toEqual(lastYear);
    }
    const three = await run('chart', ['spx', '大前年'], tw);
    expect(three.chart).toMatchObject({ window: { from: '2023-01-01', to: '2023-12-31' } });
    expect(plainText(three)).toBe('標普500/黃金，2023年1月1日至2023年12月31日');
    expect(plainText(await run('chart', ['spx', 'the', 'year', 'before', 'last']))).toBe('SPX/Gold, 2024-01-01 to 2024-12-31');
    // Since then still runs to the latest close; a part of such a year is its part.
    expect((await run('chart', ['spx', '大前年以來'], tw)).chart).not.toHaveProperty('window.to');
    expect((await run('chart', ['spx', '大前年底'], cn)).chart).toMatchObject({ window: { from: '2025-12-31' } });
    expect(plainText(await run('chart', ['spx', '大前年底'], cn)).split('\n')[1]).toBe(
      '标普500/黄金的数据始于2025年12月31日，因此图表从该日开始，而非2023年12月31日。',
    );
  });

  test.each([
    ['en', ['spx', 'Q1', '2020'], 'SPX/Gold, 2020-01-01 to 2020-03-31'],
    ['en', ['spx', '2020', 'H1'], 'SPX/Gold, 2020-01-01 to 2020-06-30'],
    ['en', ['qqq', "Q3'20"], 'QQQ/Gold, 2020-07-01 to 2020-09-30'],
    ['zh-TW', ['spx', '2020年上半年'], '標普500/黃金，2020年1月1日至2020年6月30日'],
    ['zh-TW', ['spx', '2020年第一季'], '標普500/黃金，2020年1月1日至2020年3月31日'],
    ['zh-TW', ['spx', '去年第二季'], '標普500/黃金，2025年4月1日至2025年6月30日'],
    ['zh-CN', ['spx', '2020年一季度'], '标普500/黄金，2020年1月1日至2020年3月31日'],
    ['zh-CN', ['spx', '上一季'], '标普500/黄金，2026年7月1日至2026年9月30日'],
    // A year in digits said whole (2025 alone runs to the latest close).
    ['zh-TW', ['spx', '2024年全年'], '標普500/黃金，2024年1月1日至2024年12月31日'],
    ['zh-CN', ['spx', '2024一整年'], '标普500/黄金，2024年1月1日至2024年12月31日'],
    ['en', ['spx', 'the', 'whole', 'of', '2024'], 'SPX/Gold, 2024-01-01 to 2024-12-31'],
    ['en', ['spx', 'full', 'year', '2024'], 'SPX/Gold, 2024-01-01 to 2024-12-31'],
  ] as const)(
    'GIVEN a %s chat and /chart %j, a quarter, a half or a year said whole THEN that period alone, start to end, the title naming it',
    async (lang, words, title) => {
      w = chatWorld();
      const r = await run('chart', words, chatCtx({ chatId: lang, userLanguageCode: lang }));
      expect(r.chart).toMatchObject({ kind: 'ratio', window: { to: expect.stringMatching(/-(?:03|06|09)-30$|-03-31$|-12-31$/) } });
      expect(plainText(r)).toBe(title);
    },
  );

  test('GIVEN since Q1 2020 or 2020年第一季以來 THEN still from the period to the latest close; an end given is kept; on Discord from:Q1 2020 is the quarter', async () => {
    w = chatWorld();
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' });
    for (const words of [['since', 'Q1', '2020'], ['2020年第一季以來'], ['從2020年上半年']]) {
      const r = await run('chart', ['spx', ...words], tw);
      expect(r.status, words.join(' ')).toBe('ok');
      expect(r.chart, words.join(' ')).not.toHaveProperty('window.to');
    }
    expect((await run('chart', ['spx', 'Q1', '2020', '2021'], tw)).chart).toMatchObject({ window: { from: '2020-01-01', to: '2021-12-31' } });
    const discord = chatCtx({ platform: 'discord', chatId: 'd-q1' });
    expect((await findCommand('chart')!.runNamed(w.deps, discord, { chart: 'spx', from: 'Q1 2020' })).chart).toMatchObject({
      window: { from: '2020-01-01', to: '2020-03-31' },
    });
    // A month or a year in digits is a start, as before: to the latest close.
    expect((await run('chart', ['spx', '2020-03'], tw)).chart).not.toHaveProperty('window.to');
  });

  test('GIVEN New Year’s morning in Taipei (still 2026-12-31 in New York) THEN a Taipei chat’s 去年 and 上個月 are on its calendar; a chat with no zone keeps New York’s', async () => {
    w = chatWorld();
    // 2027-01-01 01:00 in Taipei, 2026-12-31 12:00 in New York.
    const nowMs = Date.parse('2026-12-31T17:00:00Z');
    const taipei = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW', nowMs });
    await run('subscribe', [], taipei);
    await run('digest', ['08:00', 'Asia/Taipei'], taipei);
    // 去年 there is 2026, still running in New York: from its start to the latest close, as 2026 is.
    const lastYear = await run('chart', ['spx', '去年'], taipei);
    expect(lastYear.chart).toMatchObject({ window: { from: '2026-10-20' } });
    expect(lastYear.chart).toEqual((await run('chart', ['spx', '2026'], taipei)).chart);
    // 上個月 there is December 2026, which has no close yet: said so, as for 2026-12.
    expect(plainText(await run('chart', ['spx', '上個月'], taipei))).toBe('2026年12月1日起尚無收盤資料：最新一筆是2026年11月20日。');
    // Quiet hours set a zone too; on Discord as on Telegram.
    const discord = chatCtx({ platform: 'discord', chatId: 'd-tw', userLanguageCode: 'zh-TW', nowMs });
    await findCommand('subscribe')!.runNamed(w.deps, discord, {});
    await findCommand('quiet')!.runNamed(w.deps, discord, { hours: '23:00-07:00', timezone: 'Asia/Taipei' });
    expect((await findCommand('chart')!.runNamed(w.deps, discord, { chart: 'spx', from: '前年' })).chart).toMatchObject({ window: { to: '2025-12-31' } });
    // No zone: New York's date, 2026-12-31, whose 去年 is 2025.
    const none = chatCtx({ chatId: 'none', userLanguageCode: 'zh-TW', nowMs });
    await run('subscribe', [], none);
    expect((await run('chart', ['spx', '去年'], none)).chart).toMatchObject({ window: { from: '2025-12-31', to: '2025-12-31' } });
  });

  test('GIVEN Monday morning in Taipei (still Sunday in New York) THEN a Taipei chat’s 上週 and 本週 are weeks on its calendar; a chat with no zone keeps New York’s', async () => {
    w = chatWorld();
    // 2026-11-23 06:00 in Taipei, a Monday; 2026-11-22 17:00 in New York, a Sunday. The closes run to Friday 2026-11-20.
    const nowMs = Date.parse('2026-11-22T22:00:00Z');
    const taipei = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW', nowMs });
    await run('subscribe', [], taipei);
    await run('digest', ['08:00', 'Asia/Taipei'], taipei);
    // 上週 there is the week just ended, Monday to Friday (the window named by the closes the world holds in it).
    const justEnded = (await run('chart', ['spx', '2026-11-16', '2026-11-20'], taipei)).chart;
    expect(justEnded).toMatchObject({ window: { to: '2026-11-20' } });
    expect((await run('chart', ['spx', '上週'], taipei)).chart).toEqual(justEnded);
    // 本週 there has begun, but not yet in New York, whose date the closes are on: no close of it stored yet,
    // the latest named, and the week before to type (not "not yet come": the reader's week has come).
    expect(plainText(await run('chart', ['spx', '本週'], taipei)).split('\n')[0]).toBe(
      '「本週」這一週尚無收盤資料：最新一筆是2026年11月20日。要看上一週，請輸入 上週。',
    );
    // Monday in New York too, before its close (Taipei's Monday evening): the same, not "no close since Monday".
    const mondayMorning = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW', nowMs: Date.parse('2026-11-23T14:00:00Z') });
    expect(plainText(await run('chart', ['spx', '本週'], mondayMorning))).toBe(
      '「本週」這一週尚無收盤資料：最新一筆是2026年11月20日。要看上一週，請輸入 上週。',
    );
    const cn = chatCtx({ chatId: 'cn-none', userLanguageCode: 'zh-CN', nowMs: Date.parse('2026-11-23T14:00:00Z') });
    await run('subscribe', [], cn);
    expect(plainText(await run('chart', ['qqq', '这周'], cn))).toBe('“这周”这一周尚无收盘数据：最新收盘数据为2026年11月20日。要看上一周，请输入 上周。');
    expect(plainText(await run('chart', ['spx', 'this', 'week'], chatCtx({ chatId: 'en-none', nowMs: Date.parse('2026-11-23T14:00:00Z') })))).toBe(
      'No close is stored yet for "this week", the week running: the latest is 2026-11-20. For the week before, type last week.',
    );
    // No zone: New York’s Sunday, whose last week is the one before, and whose this week is the one just ended.
    const none = chatCtx({ chatId: 'none', userLanguageCode: 'zh-TW', nowMs });
    await run('subscribe', [], none);
    expect((await run('chart', ['spx', '上週'], none)).chart).toEqual((await run('chart', ['spx', '2026-11-09', '2026-11-13'], none)).chart);
    expect((await run('chart', ['spx', 'this', 'week'], none)).chart).toEqual(justEnded);
    expect((await run('chart', ['spx', '上週'], none)).chart).not.toEqual(justEnded);
  });

  test('GIVEN the year quoted, /chart spx "last year", “去年”, 「前年」 or from:"last year" THEN the quotes are no part of it: the calendar year, as unquoted', async () => {
    w = chatWorld();
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' });
    const last = (await run('chart', ['spx', '去年'], tw)).chart;
    expect(last).toMatchObject({ window: { from: '2025-12-31', to: '2025-12-31' } });
    expect((await run('chart', ['spx', '"last', 'year"'])).chart).toEqual(last);
    expect((await run('chart', ['spx', '“去年”'], tw)).chart).toEqual(last);
    expect((await run('chart', ['spx', '「前年」'], tw)).chart).toEqual((await run('chart', ['spx', '前年'], tw)).chart);
    const discord = chatCtx({ platform: 'discord', chatId: 'd-quoted' });
    expect((await findCommand('chart')!.runNamed(w.deps, discord, { chart: 'spx', from: '"last year"' })).chart).toEqual(last);
    // A single quote stays what was typed: the refusal names it.
    expect(plainText(await run('chart', ["'去年'"], tw)).split('\n')[0]).toContain("'去年'");
  });

  test.each([
    ['en', 'QQQ/Gold, since 2025-12-31\nThe QQQ/Gold history starts on 2025-12-31: the chart starts there, not on 1990-01-01.'],
    ['zh-TW', 'QQQ/黃金，自2025年12月31日起\nQQQ/黃金的資料始於2025年12月31日，因此圖表從該日起，而非1990年1月1日。'],
    ['zh-CN', 'QQQ/黄金，自2025年12月31日起\nQQQ/黄金的数据始于2025年12月31日，因此图表从该日开始，而非1990年1月1日。'],
  ])(
    'GIVEN a %s chat and /chart qqq 1990, before the closes start THEN the chart from the first close, the reply saying the history starts there',
    async (lang, said) => {
      w = chatWorld();
      const r = await run('chart', ['qqq', '1990'], chatCtx({ chatId: lang, userLanguageCode: lang }));
      expect(r.chart).toMatchObject({ kind: 'ratio', pair: 'qqq-gold', window: { from: '2025-12-31' } });
      expect(plainText(r)).toBe(said);
      // A window that ends before the closes start says no such thing: there is nothing to start at.
      expect(plainText(await run('chart', ['spx', '前年']))).toBe('SPX/Gold, 2024-01-01 to 2024-12-31');
    },
  );

  test.each([
    [
      'en',
      'Last year (去年) alone is that calendar year, January to December, and 前年 (the year before last) likewise; a quarter or a half (Q1 2020, 2020 H1) is that quarter or half, and last quarter (上一季) the calendar quarter before this one (the past three months are 3M or past quarter); a year in digits (2025) or since last year runs to the latest close.',
    ],
    [
      'zh-TW',
      '單寫「去年」即去年整個日曆年，1月至12月，「前年」亦同；寫一季或半年（2020年第一季、2020年上半年）即畫該季或該半年，「上一季」即上一個日曆季度（近三個月請寫 3M 或「近一季」）；寫數字年份（2025）或「去年以來」則畫到最新收盤。',
    ],
    [
      'zh-CN',
      '单写“去年”即去年整个日历年，1月至12月，“前年”亦同；写一季或半年（2020年第一季度、2020年上半年）即画该季度或该半年，“上一季度”即上一个日历季度（近三个月请写 3M 或“近一季”）；写数字年份（2025）或“去年以来”则画到最新收盘。',
    ],
  ])('GIVEN /help chart in a %s chat THEN its last line says what 去年 (last year) means, and a lone year still runs to now', async (lang, said) => {
    w = chatWorld();
    const ctx = chatCtx({ chatId: lang, userLanguageCode: lang });
    expect(
      plainText(await run('help', ['chart'], ctx))
        .split('\n')
        .at(-1),
    ).toBe(said);
    // As said: 2025 alone is a start, to the latest close.
    expect((await run('chart', ['spx', '2025'], ctx)).chart).toMatchObject({ window: { from: '2025-12-31' } });
    expect((await run('chart', ['spx', '2025'], ctx)).chart).not.toHaveProperty('window.to');
  });

  test.each([
    ['en', '“a few” read as 3.', '“幾” read as 3.', '“几” read as 3.'],
    ['zh-TW', '「a few」以 3 計算。', '「幾」以 3 計算。', '「几」以 3 計算。'],
    ['zh-CN', '“a few”按 3 计算。', '“幾”按 3 计算。', '“几”按 3 计算。'],
  ])(
    'GIVEN a %s chat and /chart spx a few years, 幾年, a few months or 几个月 THEN 3 of them, the reply saying so naming the word typed, on Discord too',
    async (lang, few, ji, jiCn) => {
      w = chatWorld();
      const ctx = chatCtx({ chatId: lang, userLanguageCode: lang });
      const years = await run('chart', ['spx', 'a', 'few', 'years'], ctx);
      // Three years back from 2026-11-20, drawn from the first close (2025-12-31) as 3y is.
      expect(years.chart).toEqual((await run('chart', ['spx', '3y'], ctx)).chart);
      expect(plainText(years).split('\n').at(-1)).toBe(few);
      expect(plainText(years).split('\n').slice(0, -1)).toEqual(plainText(await run('chart', ['spx', '3y'], ctx)).split('\n'));
      const han = await run('chart', ['spx', '幾年'], ctx);
      expect(han.chart).toEqual(years.chart);
      expect(plainText(han).split('\n').at(-1)).toBe(ji);
      // A few months is the 3M range, as 3 months is.
      const months = await run('chart', ['spx', '过去几个月'], ctx);
      expect(months.chart).toMatchObject({ range: '3M' });
      expect(plainText(months).split('\n')).toEqual([...plainText(await run('chart', ['spx', '3M'], ctx)).split('\n'), jiCn]);
      expect(
        plainText(await run('chart', ['spx', 'a', 'few', 'months'], ctx))
          .split('\n')
          .at(-1),
      ).toBe(few);
      // Discord: from:"a few years" and range:"幾個月" as Telegram's words.
      const discord = chatCtx({ platform: 'discord', chatId: `d-${lang}`, userLanguageCode: lang });
      const named = await findCommand('chart')!.runNamed(w.deps, discord, { chart: 'spx', from: 'a few years' });
      expect([named.chart, plainText(named).split('\n').at(-1)]).toEqual([years.chart, few]);
      const range = await findCommand('chart')!.runNamed(w.deps, discord, { chart: 'spx', range: '幾個月' });
      expect([range.chart, plainText(range).split('\n').at(-1)]).toEqual([months.chart, ji]);
      // A span typed with its number says nothing of a few.
      expect(plainText(await run('chart', ['spx', '3', 'years'], ctx))).not.toMatch(/3 計算|3 计算|read as 3/);
      // 幾% is no span: refused as before.
      expect((await run('chart', ['spx', '幾%'], ctx)).status).toBe('usage');
    },
  );

  test('GIVEN English last year THEN the calendar year before, as 去年 is; the past year and 1y stay the trailing year (1Y)', async () => {
    w = chatWorld();
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' });
    const en = await run('chart', ['spx', 'last', 'year']);
    expect(en.chart).toEqual((await run('chart', ['spx', '去年'], tw)).chart);
    expect(en.chart).toMatchObject({ window: { from: '2025-12-31', to: '2025-12-31' } });
    expect((await run('chart', ['spx', 'Last', 'Year', 'to', 'now'])).chart).toMatchObject({ window: { from: '2025-12-31', to: '2026-11-20' } });
    expect((await run('chart', ['spx', 'past', 'year'])).chart).toMatchObject({ range: '1Y' });
    expect((await run('chart', ['spx', 'the', 'last', 'year'])).chart).toMatchObject({ range: '1Y' });
    // previous year as last year, as previous month and previous quarter are calendar ones.
    expect((await run('chart', ['spx', 'previous', 'year'])).chart).toEqual(en.chart);
  });

  test('GIVEN English last month THEN the calendar month before, as 上個月 is; the past month and 1m stay the trailing month (1M)', async () => {
    w = chatWorld();
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' });
    expect((await run('chart', ['spx', '2020', 'last', 'month'])).chart).toEqual((await run('chart', ['spx', '2020', '上個月'], tw)).chart);
    expect((await run('chart', ['spx', 'past', 'month'])).chart).toMatchObject({ range: '1M' });
    expect((await run('chart', ['spx', 'the', 'last', 'month'])).chart).toMatchObject({ range: '1M' });
    expect((await run('chart', ['spx', '1m'])).chart).toMatchObject({ range: '1M' });
  });

  test('GIVEN a span back past ninety-nine in Chinese numerals (過去一百二十天) THEN read as in digits; 一千年 refused as too long, as 1000y is', async () => {
    w = chatWorld();
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' });
    expect((await run('chart', ['spx', '過去一百二十天'], tw)).chart).toEqual((await run('chart', ['spx', '過去120天'], tw)).chart);
    // The start it names: 120 days back (the chart itself starts at the first stored close).
    expect(plainText(await run('power', ['過去一百二十天'], tw))).toBe('無法從2026年7月24日起計算指數：尚未儲存任何 M2 貨幣供給資料。');
    expect(plainText(await run('chart', ['spx', '一千年'], tw)).split('\n')[0]).toBe(
      '「一千年」回溯太久：最多 999 年、個月、週或天。要看全部歷史請用「全部」；可用的區間有 1個月、3個月、6個月、今年、1年、5年、10年、全部。',
    );
    expect(plainText(await run('chart', ['spx', '1000y'], tw)).split('\n')[0]).toMatch(/^「1000y」回溯太久：最多 999 年/);
  });

  test('GIVEN a year, month or day written in Chinese numerals (二〇二五年, 二零二六年十月二十日) THEN the same chart as in digits; a future one refused as that', async () => {
    w = chatWorld();
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' });
    expect((await run('chart', ['spx', '二〇二五年', '二〇二五年'], tw)).chart).toEqual((await run('chart', ['spx', '2025年', '2025年'], tw)).chart);
    const day = await run('chart', ['spx', '二零二六年十月二十日'], chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' }));
    expect(day.chart).toMatchObject({ window: { from: '2026-10-20' } });
    expect(plainText(day)).toBe('标普500/黄金，自2026年10月20日起');
    expect(plainText(await run('chart', ['spx', '二〇九九年'], tw)).split('\n')[0]).toBe(
      '日期「二〇九九年」尚未到來（今天是2026年11月21日，目前最新的收盤資料為2026年11月20日）。',
    );
  });

  test('GIVEN a 民國 (ROC) year (民國114年, 民國一一四年十二月, 民国114年) THEN N + 1911 in every chat; 114年 and 114年12月 alone read so in a zh-TW chat, and the reply states the date used; 5年 and 30年 stay spans back', async () => {
    w = chatWorld();
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' });
    const cn = chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' });
    const chartOf = async (words: string[], ctx: TestContext = tw) => (await run('chart', ['spx', ...words], ctx)).chart;
    const y2025 = await chartOf(['2025年']);
    expect(y2025).toMatchObject({ window: { from: '2025-12-31' } });
    expect(await chartOf(['民國114年'])).toEqual(y2025);
    expect(await chartOf(['民国114年'], cn)).toEqual(y2025);
    expect(await chartOf(['民國114年'], chatCtx())).toEqual(y2025);
    expect(await chartOf(['114年'])).toEqual(y2025);
    expect(await chartOf(['民國', '114年'])).toEqual(y2025);
    expect(await chartOf(['民國一一四年十二月'])).toEqual(await chartOf(['2025-12']));
    expect(await chartOf(['114年12月'])).toEqual(await chartOf(['2025-12']));
    expect(await chartOf(['115年10月20日'])).toEqual(await chartOf(['2026-10-20']));
    // The base used is in the reply (here its refusal for want of M2), so the reading is never silent.
    expect(plainText(await run('power', ['民國100年'], tw))).toBe('無法從2011年1月1日起計算指數：尚未儲存任何 M2 貨幣供給資料。');
    expect(plainText(await run('power', ['100年'], tw))).toBe('無法從2011年1月1日起計算指數：尚未儲存任何 M2 貨幣供給資料。');
    expect(plainText(await run('power', ['民國100年']))).toBe('Cannot index from 2011-01-01: no M2 money supply data is stored yet.');
    // A ROC year not yet reached is refused as a date in the future.
    expect(plainText(await run('power', ['民國120年'], tw)).split('\n')[0]).toBe(
      '日期「民國120年」尚未到來（今天是2026年11月21日，目前最新的收盤資料為2026年11月20日）。',
    );
    // Counts a Taiwanese user types as years back stay so: the range 5年, 30 years back.
    expect(await chartOf(['5年'])).toMatchObject({ range: '5Y' });
    expect(await chartOf(['30年'])).toEqual(await chartOf(['過去30年']));
    expect(plainText(await run('power', ['30年'], tw))).toMatch(/^無法從1996年11月2\d日起計算指數/);
    // Outside a zh-TW chat 100年 is what it was: 100 years back, as 過去100年 is in every chat.
    expect(await chartOf(['100年'], cn)).toEqual(await chartOf(['过去100年'], cn));
    expect(await chartOf(['過去100年'])).toEqual(await chartOf(['过去100年'], cn));
    expect(plainText(await run('power', ['100年'], cn))).toMatch(/^无法从1926年11月2\d日起计算指数/);
  });

  test.each([
    [['Oct', '20,', '2026'], '2026-10-20'],
    [['Oct', '20', '2026'], '2026-10-20'],
    [['October', '20th,', '2026'], '2026-10-20'],
    [['20', 'Oct,', '2026'], '2026-10-20'],
    [['Oct.', '20,', '2026', 'to', 'Nov', '19,', '2026'], '2026-10-20'],
  ])('GIVEN /chart spx %j (a US date, its comma typed) THEN that day, not an unknown range', async (words, from) => {
    w = chatWorld();
    const r = await run('chart', ['spx', ...words]);
    expect(plainText(r).split('\n')[0]).toMatch(/^SPX\/Gold, (since 2026-10-20|2026-10-20 to 2026-11-19)$/);
    expect(r.chart).toMatchObject({ kind: 'ratio', pair: 'spx-gold', window: { from, ...(words.includes('to') ? { to: '2026-11-19' } : {}) } });
    // Discord's option holds it whole, as typed.
    const named = await findCommand('chart')!.runNamed(w.deps, chatCtx({ platform: 'discord', chatId: 'd1' }), { chart: 'spx', from: words.join(' ') });
    expect(named.chart).toEqual(r.chart);
    // /power reads it so too (and names it: no M2 is stored in this world).
    expect(plainText(await run('power', words))).toMatch(/^Cannot index from 2026-10-20: no M2/);
  });

  test('GIVEN /power 十年前 or 10 years ago (a span back written with its 前, its ago) THEN read as 過去十年, the date used named in the reply (zh-TW, zh-CN, en)', async () => {
    w = chatWorld();
    expect(plainText(await run('power', ['十年前'], chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' })))).toBe(
      plainText(await run('power', ['過去十年'], chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' }))),
    );
    expect(plainText(await run('power', ['3个月前'], chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' })))).toMatch(/^无法从2026年8月2\d日起计算指数/);
    expect(plainText(await run('power', ['10', 'years', 'ago']))).toMatch(/^Cannot index from 2016-11-2\d: no M2/);
  });

  test('GIVEN a month named in English (Oct 2026, 20 October 2026, jan 2025 dec 2025) THEN the same chart as in digits; 31 Feb 2026 is on no calendar', async () => {
    w = chatWorld();
    expect((await run('chart', ['spx', 'Oct', '2026'])).chart).toEqual((await run('chart', ['spx', '2026-10'])).chart);
    const day = await run('chart', ['spx', '20', 'October', '2026']);
    expect(day.chart).toMatchObject({ window: { from: '2026-10-20' } });
    expect(plainText(day)).toBe('SPX/Gold, since 2026-10-20');
    expect((await run('chart', ['spx', 'jan', '2025', 'dec', '2025'])).chart).toMatchObject({ window: { from: '2025-12-31', to: '2025-12-31' } });
    expect(plainText(await run('power', ['31', 'Feb', '2026'])).split('\n')[0]).toBe('There is no "31 Feb 2026" on the calendar.');
  });

  test('GIVEN a window the closes start or end inside THEN its title names the closes, as the chart shows them', async () => {
    w = chatWorld();
    // This world's closes: 2025-12-31, 2026-10-20, 2026-11-19, 2026-11-20.
    const r = await run('chart', ['spx', '2026-10', '2026-11']);
    expect(r.chart).toEqual({ kind: 'ratio', pair: 'spx-gold', range: '1Y', window: { from: '2026-10-20', to: '2026-11-20' } });
    expect(plainText(r)).toBe('SPX/Gold, 2026-10-20 to 2026-11-20');
    // To the latest close: the start follows the closes, the end stays open.
    expect((await run('chart', ['qqq', '2026-01'])).chart).toEqual({ kind: 'ratio', pair: 'qqq-gold', range: '1Y', window: { from: '2026-10-20' } });
    // From after the latest close (a span back while the data is older): that close is named, no empty chart.
    for (const target of ['spx', 'qqq']) {
      const after = await run('chart', [target, '2026-11-21']);
      expect(after.chart).toBeUndefined();
      expect(plainText(after)).toBe('No close on or after 2026-11-21 yet: the latest is 2026-11-20.');
    }
  });

  test.each([
    // A ratio chart has a start, not a base (the power chart's word).
    [['spx', '2009', '2007'], 'The end date 2007-12-31 is before the start date 2009-01-01.'],
    [['power', '2009', '2007'], 'The end date 2007-12-31 is before the base date 2009-01-01.'],
    [['spx', '5y', '2008'], 'A range or dates, not both: /chart spx 5y, or /chart spx 2007 2009.'],
  ])('GIVEN /chart %j THEN refused: %s', async (args, text) => {
    w = chatWorld();
    const r = await run('chart', args);
    expect(r.chart).toBeUndefined();
    expect(plainText(r)).toBe(text);
  });

  test.each([
    [['spx', '2030'], 'en', 'Date "2030" is in the future (today is 2026-11-21; the latest close on record is 2026-11-20).'],
    [['qqq', 'since', '2099'], 'en', 'Date "2099" is in the future (today is 2026-11-21; the latest close on record is 2026-11-20).'],
    [['spx', '2020-02-30'], 'en', 'There is no "2020-02-30" on the calendar.'],
    [['标普', '2030'], 'zh-CN', '日期“2030”尚未到来（今天是2026年11月21日，目前最新的收盘数据为2026年11月20日）。'],
  ])("GIVEN /chart %j (a future year, an impossible day) THEN the date's own refusal, as /power gives it, not an unknown range", async (args, lang, text) => {
    w = chatWorld();
    const r = await run('chart', args, chatCtx({ userLanguageCode: lang }));
    expect(r.status).toBe('usage');
    expect(plainText(r).split('\n')[0]).toBe(text);
  });

  test("GIVEN /chart with two ranges (1y 5y, or a range and a span back) THEN refused as two ranges, on Discord too, in the chat's language", async () => {
    w = chatWorld();
    const first = (r: Reply) => plainText(r).split('\n')[0];
    expect(first(await run('chart', ['spx', '1y', '5y']))).toBe('Two ranges given, "1y" and "5y": pick one.');
    expect(first(await run('chart', ['spx', '1y', '2y'], chatCtx({ userLanguageCode: 'zh-TW' })))).toBe('您給了兩個區間「1y」與「2y」：請擇一。');
    const discord = await findCommand('chart')!.runNamed(w.deps, chatCtx({ platform: 'discord', userLanguageCode: 'zh-CN' }), { range: '1Y', from: '5y' });
    expect(discord.chart).toBeUndefined();
    expect(first(discord)).toBe('您给了两个区间“1Y”和“5y”：请选其一。');
  });

  test("GIVEN Discord options with an end and no start THEN refused, saying what to give as Discord's form takes it", async () => {
    w = chatWorld();
    const r = await findCommand('chart')!.runNamed(w.deps, chatCtx({ platform: 'discord' }), { chart: 'spx', to: '2009' });
    expect(r.chart).toBeUndefined();
    expect(plainText(r)).toBe('An end needs a start: /chart chart:SPX/Gold from:2007 to:2009 (or a range: /chart chart:SPX/Gold range:5Y).');
    const zh = await findCommand('chart')!.runNamed(w.deps, chatCtx({ platform: 'discord', userLanguageCode: 'zh-TW' }), { range: '5Y', from: '2008' });
    expect(plainText(zh)).toBe('區間與日期擇一：/圖表 圖表:標普500/黃金 區間:5年，或 /圖表 圖表:標普500/黃金 起始日:2007 結束日:2009。');
  });

  test("GIVEN Discord's from option holding a window THEN that window, as Telegram's words give it; with an end given too, refused, saying so", async () => {
    w = chatWorld();
    const window = { from: '2007-01-01', to: '2009-12-31' };
    const discord = chatCtx({ platform: 'discord' });
    for (const from of ['2007 2009', '2007-2009']) {
      const r = await findCommand('chart')!.runNamed(w.deps, discord, { chart: 'qqq', from });
      expect(r.chart).toEqual({ kind: 'ratio', pair: 'qqq-gold', range: '1Y', window });
      expect(plainText(r)).toBe(plainText(await run('chart', ['qqq', ...from.split(' ')])));
    }
    const both = await findCommand('chart')!.runNamed(w.deps, discord, { chart: 'qqq', from: '2007-2009', to: '2010' });
    expect(both.chart).toBeUndefined();
    expect(plainText(both).split('\n')[0]).toBe('"2007-2009" is a start and an end already, and "2010" is given as the end too: give the end once.');
    const zh = await findCommand('chart')!.runNamed(w.deps, chatCtx({ platform: 'discord', userLanguageCode: 'zh-TW' }), { from: '2007 2009', to: '2010' });
    expect(plainText(zh).split('\n')[0]).toBe('「2007 2009」已含起訖日期，又另填了結束日「2010」：結束日請只填一處。');
  });

  test.each(['chart:spx-gold:2007-01-01:garbage', 'chart:spx-gold:2009-01-01:2007-12-31', 'chart:spx-gold:2099-01-01:', 'chart:btc:2007-01-01:'])(
    'GIVEN the forged or stale button %s THEN an error, no chart',
    async (action) => {
      w = chatWorld();
      const r = await handleAction(w.deps, chatCtx(), action);
      expect(r.edit).toBe(false);
      expect(r.reply.chart).toBeUndefined();
    },
  );

  test('GIVEN the start buttons THEN they run /subscribe and /ratio as new messages', async () => {
    w = chatWorld();
    const start = await run('start', []);
    expect(start.buttons?.flat().map((b) => b.action)).toEqual(['cmd:subscribe', 'cmd:ratio']);
    const ratio = await handleAction(w.deps, chatCtx(), 'cmd:ratio');
    expect(ratio.edit).toBe(false);
    expect(plainText(ratio.reply)).toBe(plainText(await run('ratio', [])));
    const sub = await handleAction(w.deps, chatCtx(), 'cmd:subscribe');
    expect(sub.reply.status).toBe('ok');
    expect(await w.deps.subs.countActive()).toBe(1);
  });
});

describe('/power', () => {
  async function seedM2(world: ChatWorld): Promise<void> {
    await world.quotes.upsertCloses('m2', [
      { date: '2025-12-01', close: 22_000, source: 'fred' },
      { date: '2026-10-01', close: 24_200, source: 'fred' },
    ]);
  }

  test('GIVEN /power THEN indexed to 100 from the first date with every series, with the power chart', async () => {
    w = chatWorld();
    await seedM2(w);
    const r = await run('power', []);
    expect(r.status).toBe('ok');
    expect(plainText(r).split('\n').slice(0, 3)).toEqual([
      'Indexed to 100 on 2025-12-31, as of 2026-11-20:',
      // 5560/6000 = 92.7; gold flat so the same in gold; M2 grew 10%: 92.7/1.1 = 84.2.
      'S&P 500 in USD 92.7 · in gold 92.7 · M2-adjusted 84.2',
      'QQQ in USD 93.8 · in gold 93.8 · M2-adjusted 85.2',
    ]);
    expect(r.chart).toEqual({ kind: 'power', base: '2025-12-31' });
  });

  test('GIVEN no M2 stored, or M2 only up to months before the base THEN /power says which is missing, never that the base may be too recent (en, zh-TW, zh-CN)', async () => {
    w = chatWorld();
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' });
    const cn = chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' });
    const none = await run('power', ['1990']);
    expect([none.status, plainText(none)]).toEqual(['error', 'Cannot index from 1990-01-01: no M2 money supply data is stored yet.']);
    expect(plainText(await run('power', ['1990'], tw))).toBe('無法從1990年1月1日起計算指數：尚未儲存任何 M2 貨幣供給資料。');
    expect(plainText(await run('power', ['1990'], cn))).toBe('无法从1990年1月1日起计算指数：尚未存储任何 M2 货币供应数据。');
    await w.quotes.upsertCloses('m2', [{ date: '2026-05-01', close: 22_000, source: 'fred' }]);
    const old = await run('power', ['2026-10-01']);
    expect([old.status, plainText(old)]).toEqual([
      'error',
      'Cannot index from 2026-10-01: M2 money supply is stored only up to 2026-05, too far before that base date.',
    ]);
    expect(plainText(await run('power', ['2026-10-01'], tw))).toBe('無法從2026年10月1日起計算指數：M2 貨幣供給資料只到2026年5月，距離該基準日太久。');
    expect(plainText(await run('power', ['2026-10-01'], cn))).toBe('无法从2026年10月1日起计算指数：M2 货币供应数据只到2026年5月，距离该基准日太久。');
  });

  test('GIVEN /power from before QQQ existed THEN indexed from its launch, and the answer says why; a base the data merely starts after gets no such line', async () => {
    w = chatWorld();
    await w.quotes.upsertCloses('m2', [
      { date: '1999-03-01', close: 4_600, source: 'fred' },
      { date: '1999-04-01', close: 4_620, source: 'fred' },
    ]);
    for (const [i, v] of [
      ['spx', 1300],
      ['qqq', 100],
      ['gold', 290],
    ] as const) {
      await w.quotes.upsertCloses(
        i,
        ['1999-03-09', '1999-03-10', '1999-03-11'].filter((d) => i !== 'qqq' || d >= '1999-03-10').map((date) => ({ date, close: v, source: 'test' })),
      );
    }
    const lines = plainText(await run('power', ['1998-01-01', '1999-03-11'])).split('\n');
    expect(lines.slice(0, 2)).toEqual([
      'Indexed to 100 on 1999-03-10, as of 1999-03-11:',
      'QQQ did not exist on 1998-01-01: its history starts on 1999-03-10, so both are indexed from there.',
    ]);
    const zh = plainText(await run('power', ['1998-01-01', '1999-03-11'], chatCtx({ userLanguageCode: 'zh-hant', chatId: 'zh-power' })));
    expect(zh).toContain('1998年1月1日時 QQQ 尚未上市：其歷史始於1999年3月10日，因此兩者都從該日起算。');
    // A span back past the launch is cut there too, and says so as a date does.
    expect(
      plainText(await run('power', ['30y', '1999-03-11']))
        .split('\n')
        .slice(0, 2),
    ).toEqual([
      'Indexed to 100 on 1999-03-10, as of 1999-03-11:',
      'QQQ did not exist on 1996-11-21: its history starts on 1999-03-10, so both are indexed from there.',
    ]);
    // max, all, 全部, 最大: the whole history, which is no cut.
    for (const word of ['max', 'all', '全部', '最大']) {
      const r = await run('power', [word, '1999-03-11']);
      expect([r.status, ...plainText(r).split('\n').slice(0, 2)], word).toEqual([
        'ok',
        'Indexed to 100 on 1999-03-10, as of 1999-03-11:',
        expect.not.stringContaining('QQQ did not exist'),
      ]);
    }
  });

  test('GIVEN /power 2026-10-20 THEN indexed from that date', async () => {
    w = chatWorld();
    await seedM2(w);
    const r = await run('power', ['2026-10-20']);
    expect(plainText(r)).toContain('S&P 500 in USD 99.3');
  });

  test('GIVEN /power as people type a span (a month, a year, 1m back) THEN the first close of it is the base, a month or year as the end reads to its last close', async () => {
    w = chatWorld();
    await seedM2(w);
    const byDay = plainText(await run('power', ['2026-10-01', '2026-10-31']));
    expect(byDay).toMatch(/^Indexed to 100 on 2026-10-\d\d, as of 2026-10-\d\d:/);
    expect(plainText(await run('power', ['2026-10', '2026-10']))).toBe(byDay);
    // A month back from today (2026-11-21) is 2026-10-21, whose first close on or after is 2026-11-19 here.
    const back = plainText(await run('power', ['1m']));
    expect(back).toBe(plainText(await run('power', ['2026-10-21'])));
    expect(back).toMatch(/^Indexed to 100 on 2026-11-19, as of 2026-11-20:/);
    expect(plainText(await run('power', ['2026']))).toBe(plainText(await run('power', ['2026-01-01'])));
    // The chart ends where the table does: at the last close on or before the end asked for.
    expect((await run('power', ['2025-12-31', '2026-10'])).chart).toEqual({ kind: 'power', base: '2025-12-31', to: '2026-10-20' });
    expect((await run('power', ['2025-12-31'])).chart).toEqual({ kind: 'power', base: '2025-12-31' });
    // Year to date: from the year before's last close (2025-12-31), as /power 2025-12-31 reads it.
    expect(plainText(await run('power', ['ytd']))).toBe(plainText(await run('power', ['2025-12-31'])));
    expect(plainText(await run('power', ['今年'], chatCtx({ userLanguageCode: 'zh-TW' })))).toBe(
      plainText(await run('power', ['2025-12-31'], chatCtx({ userLanguageCode: 'zh-TW' }))),
    );
  });

  test.each([
    [['2026-13-01'], 'There is no "2026-13-01" on the calendar.'],
    [['10/03/1999'], '"10/03/1999" could be 1999-03-10 or 1999-10-03: write the date year first, like 1999-03-10.'],
    [['Q5 1999'], 'A date is a day, a month or a year (1999-03-10, 2020-03, 2020), got "Q5 1999".'],
    [['2027-01-01'], 'is in the future (today is 2026-11-21; the latest close on record is 2026-11-20)'],
  ])('GIVEN /power %j THEN usage: %s', async (args, message) => {
    w = chatWorld();
    const r = await run('power', args);
    expect(r.status).toBe('usage');
    expect(plainText(r)).toContain(message);
  });

  test("GIVEN a base after the last close THEN it names that close, in the chat's language", async () => {
    w = chatWorld();
    await seedM2(w);
    const r = await run('power', ['2026-11-21']);
    expect(r.status).toBe('error');
    expect(plainText(r)).toBe('No close on or after 2026-11-21 yet: the latest is 2026-11-20.');
  });

  test('GIVEN no M2 THEN an error, not a throw', async () => {
    w = chatWorld();
    const r = await run('power', []);
    expect(r.status).toBe('error');
  });
});

describe('/levels, /history, /status', () => {
  test('GIVEN /levels THEN every essay level with note, era and distance; a subscriber sees its own levels too', async () => {
    w = chatWorld();
    await run('subscribe', ['spx', '1.8']);
    const text = plainText(await run('levels', []));
    // A close is no "now": it says which close (months old, it would otherwise pass for today's).
    expect(text).toContain('SPX/Gold 1.390 (close 2026-11-20)');
    expect(text).not.toContain('now 1.390');
    expect(plainText(await run('levels', [], chatCtx({ chatId: '2002', userLanguageCode: 'zh-TW' })))).toContain('標普500/黃金：1.390（2026年11月20日收盤）');
    expect(plainText(await run('levels', [], chatCtx({ chatId: '2003', userLanguageCode: 'zh-CN' })))).toContain('标普500/黄金：1.390（2026年11月20日收盘）');
    expect(text).toContain('5.5 Epic resistance: the 2000 peak · 1999–2002 bubble peak · +295.7% away');
    expect(text).toContain('0.6–0.7 Historic support zone: the 2011 bottom · 2003–2011 flight to gold · -49.6% away');
    expect(text).toContain('0.03 Floor: the 2011 bottom · 2003–2011 flight to gold · -80.0% away');
    expect(text).toContain("1.8 This chat's level · +29.5% away");
  });

  test('GIVEN /levels qqq (or 納指) THEN only QQQ/Gold and its levels', async () => {
    w = chatWorld();
    for (const words of [['qqq'], ['納指']]) {
      const text = plainText(await run('levels', words));
      expect(text).toContain('QQQ/Gold 0.1500 (close 2026-11-20)');
      expect(text).toContain('0.03 Floor: the 2011 bottom');
      expect(text).not.toContain('SPX/Gold');
      expect(text).not.toContain('5.5 Epic resistance');
    }
  });

  test('GIVEN stored events THEN /history lists the newest first, and /history qqq only QQQ', async () => {
    w = chatWorld();
    const base = { watchKey: '', basis: 'close', createdAt: NOW_MS } as const;
    await runUnit(onSqlite(w.db), () =>
      w.events.insert({
        ...base,
        date: '2026-11-05',
        pair: 'spx-gold',
        levelId: 'spx-gold-0.6-0.7',
        watchKey: 'spx-gold-0.6-0.7',
        kind: 'zone-enter',
        direction: 'down',
        value: 0.69,
        levelValue: 0.7,
      }),
    );
    await runUnit(onSqlite(w.db), () =>
      w.events.insert({
        ...base,
        date: '2026-11-10',
        pair: 'qqq-gold',
        levelId: 'qqq-gold-0.25',
        watchKey: 'qqq-gold-0.25',
        kind: 'approach',
        direction: 'up',
        value: 0.2431,
        levelValue: 0.25,
      }),
    );
    await runUnit(onSqlite(w.db), () =>
      w.events.insert({
        ...base,
        date: '2026-11-18',
        pair: 'spx-gold',
        levelId: 'spx-gold-2.5',
        watchKey: 'spx-gold-2.5',
        kind: 'cross-down',
        direction: 'down',
        value: 2.49,
        levelValue: 2.5,
      }),
    );
    await runUnit(onSqlite(w.db), () =>
      w.events.insert({
        ...base,
        date: '2026-11-19',
        pair: 'spx-gold',
        levelId: 'spx-gold-custom-1.8',
        watchKey: 'spx-gold-custom-1.8@3',
        kind: 'cross-up',
        direction: 'up',
        value: 1.8123,
        levelValue: 1.8,
      }),
    );
    // Another chat's own approach % on an essay level (a watch of its own): its approach alert is its own.
    await runUnit(onSqlite(w.db), () =>
      w.events.insert({
        ...base,
        date: '2026-11-20',
        pair: 'spx-gold',
        levelId: 'spx-gold-2.5',
        watchKey: 'spx-gold-2.5@7',
        kind: 'approach',
        direction: 'down',
        value: 2.62,
        levelValue: 2.5,
      }),
    );
    // A chat's own level's events are that chat's: another sees the essay's only.
    expect(plainText(await run('history', ['spx'], chatCtx({ chatId: '2002' })))).toBe(
      ['The last 2 level events:', '2026-11-18 SPX/Gold broke below 2.5 at 2.490', '2026-11-05 SPX/Gold entered the 0.6–0.7 zone from above at 0.6900'].join(
        '\n',
      ),
    );
    await run('subscribe', ['spx', '1.8']);
    expect(plainText(await run('history', []))).toBe(
      [
        'The last 4 level events:',
        '2026-11-19 SPX/Gold broke above 1.8 at 1.812',
        '2026-11-18 SPX/Gold broke below 2.5 at 2.490',
        '2026-11-10 QQQ/Gold approaching 0.25 from below at 0.2431',
        '2026-11-05 SPX/Gold entered the 0.6–0.7 zone from above at 0.6900',
      ].join('\n'),
    );
    // A chat at its own approach % (7, kept from an earlier APPROACH_PCT): its own approach line, not
    // the default watch's (0.25 at 3%).
    await w.deps.subs.upsert('telegram', '4004', { approachPct: 7 });
    const own = plainText(await run('history', [], chatCtx({ chatId: '4004' })));
    expect(own).toContain('2026-11-20 SPX/Gold');
    expect(own).not.toContain('approaching 0.25');
    expect(own).toContain('broke below 2.5');
    expect(plainText(await run('history', ['qqq'], chatCtx({ chatId: '3003', userLanguageCode: 'zh-TW' })))).toBe(
      '最近 1 筆水位事件：\n2026年11月10日：QQQ/黃金由下方逼近 0.25，報 0.2431',
    );
  });

  test('GIVEN no events THEN /history says so', async () => {
    w = chatWorld();
    expect(plainText(await run('history', []))).toBe('No level breaks recorded yet.');
  });

  test('GIVEN closes, a live gold quote and an old M2 THEN /status shows each, flags M2 stale', async () => {
    w = chatWorld();
    await w.quotes.setLatestQuote('gold', { price: 4012.5, asOf: NOW_MS - 15 * 60_000, source: 'lbma' });
    expect(plainText(await run('status', []))).toBe(
      [
        'Data freshness:',
        'S&P 500 close 2026-11-20 5,560.00 (Yahoo Finance, 4 rows)',
        'QQQ close 2026-11-20 600.00 (Yahoo Finance, 4 rows)',
        'Gold close 2026-11-20 4,000.00 (Yahoo Finance, 4 rows) · live 4,012.50, 15 min ago',
        'M2 money supply no data',
      ].join('\n'),
    );
    await w.quotes.upsertCloses('m2', [{ date: '2026-05-01', close: 22_000, source: 'fred' }]);
    expect(plainText(await run('status', []))).toContain('M2 money supply 2026-05 22,000.00 bn USD (FRED, 1 month) · STALE');
  });

  test('GIVEN a start’s history sync running THEN /status says the history is still loading only while a series has no data, else that it is being updated (en, zh-TW, zh-CN)', async () => {
    w = chatWorld();
    const syncing = { ...w.deps, historyLoading: () => true };
    const status = async (lang?: string) =>
      plainText(await findCommand('status')!.run(syncing, chatCtx(lang === undefined ? {} : { userLanguageCode: lang }), []));
    // M2 has no data yet: the numbers do fill in as the history lands.
    expect((await status()).split('\n')[1]).toBe('History is still loading; the numbers fill in as it lands.');
    await w.quotes.upsertCloses('m2', [{ date: '2026-05-01', close: 22_000, source: 'fred' }]);
    // Every series has its history: a restart's sync only adds what is missing since.
    expect((await status()).split('\n')[1]).toBe('Updating the history in the background: only what is missing since the last close is fetched.');
    expect((await status('zh-TW')).split('\n')[1]).toBe('正在背景更新歷史資料：只補抓上次收盤之後缺少的部分。');
    expect((await status('zh-CN')).split('\n')[1]).toBe('正在后台更新历史数据：只补取上次收盘之后缺少的部分。');
  });
});

describe('menu, help and i18n', () => {
  test('GIVEN /help THEN every command with its usage', async () => {
    w = chatWorld();
    const text = plainText(await run('help', []));
    for (const c of CHAT_COMMANDS) expect(text).toContain(`/${c.name}`);
    expect(text).toContain('/mute <30m|2h|1d|1w|until monday> Pause the alerts for a while');
  });

  test('GIVEN /help and a command (its name, with a slash, in Chinese, misspelt, or a word people try) THEN that command: its usage, each argument, who may change settings', async () => {
    w = chatWorld();
    const digest = plainText(await run('help', ['digest']));
    expect(digest).toBe(
      [
        '/digest [HH:MM|off|now] [timezone, e.g. Asia/Taipei]',
        'A daily digest at your hour, e.g. 08:00 Asia/Taipei',
        'time: A time like 08:00 or 8am, or off, or now for a preview',
        "timezone: IANA time zone, e.g. Asia/Taipei (default: this chat's zone, else UTC)",
        'In groups and channels only administrators can change the settings.',
      ].join('\n'),
    );
    for (const typed of ['/digest', 'DIGEST', '摘要', 'digets', '/digest@goldratio_bot']) expect(plainText(await run('help', [typed]))).toBe(digest);
    expect(plainText(await run('help', ['price']))).toMatch(/^\/ratio \[spx\|qqq\]\n/);
    // In the chat's language, on Discord with its options' names.
    const zh = await run('help', ['chart'], chatCtx({ platform: 'discord', userLanguageCode: 'zh-TW' }));
    expect(plainText(zh).split('\n').slice(0, 3)).toEqual([
      '/圖表 [圖表:標普500/黃金|QQQ/黃金|購買力] [區間:1個月|3個月|6個月|今年|1年|5年|10年|全部] [起始日:日期、月份或年份，或 2007-2009] [結束日:日期、月份或年份]',
      '比率或購買力的圖表',
      '圖表：比率或購買力',
    ]);
    // The console has one chat and no groups: no word about administrators there.
    const onConsole = chatCtx({ platform: 'console' });
    expect(plainText(await run('help', ['digest'], onConsole))).toBe(digest.split('\n').slice(0, -1).join('\n'));
    expect(plainText(await run('help', [], onConsole))).not.toContain('administrators');
    // A word of any length is echoed cut: under the bound as a command unknown, over it refused as too long (define-command.ts MAX_ARGS_TEXT), one line and the usage.
    expect(plainText(await run('help', ['/' + 'x'.repeat(150)])).split('\n')[0]).toBe(`There is no /${'x'.repeat(39)}…. These are the commands:`);
    expect(plainText(await run('help', ['x'.repeat(500)]))).toMatch(/^Too long: .*, got 500 \("x{39}…"\)\.\n\/help [^\n]*$/);
    // A word that names no command: the list the reader asked for (`/help me`); said to be none first when written as one (reader25).
    const list = plainText(await run('help', []));
    expect(plainText(await run('help', ['nothing']))).toBe(list);
    expect(plainText(await run('help', ['/nothing']))).toBe(`There is no /nothing. These are the commands:\n${list}`);
  });

  test('GIVEN the registry THEN names are unique, settings commands are flagged, descriptions exist in both languages', () => {
    const names = CHAT_COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(CHAT_COMMANDS.filter((c) => c.changesSettings).map((c) => c.name)).toEqual([
      'subscribe',
      'unsubscribe',
      'mylevels',
      'mute',
      'unmute',
      'lang',
      'digest',
      'quiet',
      'move',
    ]);
    for (const c of CHAT_COMMANDS) {
      expect(hasKey(`chat.cmd.${c.name}`)).toBe(true);
      for (const lang of LANGS) expect(usageLine(c.name, c.args, lang)).toMatch(new RegExp(`^/${c.name}( |$)`));
      // Telegram: a command description is 3-256 characters.
      for (const lang of LANGS) expect(c.describe(lang, 'telegram').length).toBeGreaterThanOrEqual(3);
      expect(c.describe('zh-TW', 'telegram')).not.toBe(c.describe('en', 'telegram'));
    }
  });

  test('GIVEN the chat catalogue THEN both languages have the same keys and the same placeholders', () => {
    const en = chat.en;
    const zh = chat['zh-TW'];
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    const holes = (s: string) => [...s.matchAll(/\{(\w+)(?:\}|, plural,)/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en)) expect([key, holes(zh[key]!)]).toEqual([key, holes(en[key]!)]);
  });

  test('GIVEN every i18n key written in src/chat THEN each exists in both languages', () => {
    const dir = new URL('../../src/chat/', import.meta.url).pathname;
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const keys = new Set<string>();
    for (const f of files) for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/'((?:chat|pair|instrument)\.[\w.-]+)'/g)) keys.add(m[1]!);
    // Keys built at run time.
    for (const k of ['cross-up', 'cross-down', 'zone-enter.up', 'zone-enter.down', 'zone-exit.up', 'zone-exit.down', 'approach.up', 'approach.down'])
      keys.add(`chat.event.${k}`);
    for (const lang of LANGS) keys.add(`chat.lang.${lang}`);
    // A stop's texts: a prefix by what it took (replies.ts stopKey), then its cause.
    for (const had of [null, 'digest', 'both'] as const) {
      keys.delete(stopKey(had));
      for (const cause of STOP_CAUSES) keys.add(`${stopKey(had)}.${cause}`);
    }
    for (const p of ['spx-gold', 'qqq-gold']) keys.add(`pair.${p}`);
    for (const i of ['spx', 'qqq', 'gold', 'm2']) keys.add(`instrument.${i}`);
    expect(keys.size).toBeGreaterThan(60);
    expect([...keys].filter((k) => !hasKey(k))).toEqual([]);
  });
});
