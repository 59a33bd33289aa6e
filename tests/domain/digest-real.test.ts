/**
 * What the digest and /power say about the real history (../shared/market-history, last close
 * 2026-08-21). The figures were read off `goldratio power` and `goldratio replay` over the same files.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { onSqlite } from '../../src/store/engine.ts';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { MarketView } from '../../src/store/market-view.ts';
import { digestOf } from '../../src/store/digest-view.ts';
import { digestMessage, digestText, m2YearOverYear } from '../../src/domain/digest.ts';
import { localize } from '../../src/domain/message.ts';
import { powerAt } from '../../src/domain/power-check.ts';
import { digest as catalogue } from '../../src/domain/i18n/digest.ts';
import { LANGS } from '../../src/domain/i18n/index.ts';
import { findCommand } from '../../src/chat/registry.ts';
import { plainText } from '../../src/chat/reply.ts';
import { describeWithHistory, HISTORY_DIR, HISTORY_FILES, independentRatio, historyFile, commandDeps } from '../helpers/history.ts';
import { chatCtx } from '../helpers/chat.ts';
import { runCliInProcess } from '../helpers/cli.ts';

const O = { approachPct: 3 };

test('the digest catalogue: both languages have the same keys and the same placeholders', async () => {
  const ph = (s: string) => [...s.matchAll(/\{(\w+)[,}]/g)].map((m) => m[1]).sort();
  expect(Object.keys(catalogue['zh-TW']).sort()).toEqual(Object.keys(catalogue.en).sort());
  for (const k of Object.keys(catalogue.en)) expect(ph(catalogue['zh-TW'][k]!), k).toEqual(ph(catalogue.en[k]!));
});

describeWithHistory('the real history', () => {
  let dir: string;
  let db: Db;
  let view: MarketView;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'goldratio-digest-real-'));
    db = openDatabase(await historyFile(join(dir, 'h.db')));
    view = new MarketView(new QuoteStore(onSqlite(db)));
  });
  afterAll(async () => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  /** What /power needs to run on the real history. */
  const chatDeps = () => commandDeps(db, view);

  test("the essay's yardstick since 1999-03-10, as of 2026-08-21: S&P 500 +496% in USD, -62% in gold, +14% above M2; M2 +423%", async () => {
    const p = powerAt(await view.power('1999-03-10'))!;
    expect(p.date).toBe('2026-08-21');
    expect(p.spx.usd).toBeCloseTo(596.37, 1);
    expect(p.spx.gold).toBeCloseTo(38.47, 1);
    expect(p.spx.m2).toBeCloseTo(114.1, 1);
    expect(p.qqq.m2).toBeCloseTo(267.31, 1);
    expect(p.m2GrowthPct).toBeCloseTo(422.7, 0);
    expect([p.spx.beatM2, p.qqq.beatM2]).toEqual([true, true]);
    // As of the 2011 bottom neither had beaten M2.
    const then = powerAt(await view.power('1999-03-10'), '2011-08-22')!;
    expect(then.date).toBe('2011-08-22');
    expect(then.spx.m2).toBeCloseTo(40.6, 0);
    expect([then.spx.beatM2, then.qqq.beatM2]).toEqual([false, false]);
    expect(m2YearOverYear(await view.store.closes('m2'))).toEqual({ pct: expect.closeTo(5.526, 2), month: '2026-06-01' });
  });

  test('the digest in English: figures, the yardstick line and the story, within one caption', async () => {
    const d = (await digestOf(view, O))!;
    const text = digestText(d, 'en');
    expect(text.rest).toBe('');
    expect(text.head.length).toBeLessThanOrEqual(1024);
    expect(text.head.split('\n')).toEqual([
      'goldratio digest · US close of 2026-08-21',
      'SPX/Gold 1.698 · 1D +0.43% · 1W -4.53% · YTD +7.24%',
      '↑ 2.5 (+47.2%) · ↓ 0.6–0.7 (-58.8%)',
      'QQQ/Gold 0.1579 · 1D +0.35% · 1W -5.48% · YTD +11.1%',
      '↑ 0.25 (+58.4%) · ↓ 0.03 (-81.0%)',
      // The files' last gold price is 2026-08-20's: the ratios of the 21st divide by it, and say so.
      'The ratios use the gold price of 2026-08-20, the latest at the close of 2026-08-21.',
      'Since 1999-03-10 (only what beats M2 is real; M2 as of 2026-06):',
      'S&P 500 +496% in USD, -62% in gold, 14% above M2',
      'QQQ +1,297% in USD, -9.9% in gold, 167% above M2',
      'Both are price indices, dividends left out: reinvested, each does better versus M2 than shown.',
      'M2 +5.53% YoY (2026-06)',
      'SPX/Gold (2025– monetary reset): last broke below 2.5 on 2022-01-19 (4.6 years ago). Since then it went five times above 2.5 (11 closes) without holding (2022-01-31 to 2024-03-01).',
      'QQQ/Gold (2025– monetary reset): last broke above 0.03 on 2011-09-13 (14.9 years ago). Since then it dipped twice to within 3% of 0.03 and held each time (last 2011-10-03).',
    ]);
  });

  test('the closes above 2.5 since the 2022 break that did not hold, counted from the files: five runs, 11 closes, the last on 2024-03-01, not "five times … last 2024-02-28"', async () => {
    // Independently of goldratio's code: every close of SPX/Gold above 2.5 after 2022-01-19, and its runs.
    const after = independentRatio('spx', '2022-01-20');
    const above = after.filter((p) => p.value > 2.5);
    const runs = after.filter((p, i) => p.value > 2.5 && !(i > 0 && after[i - 1]!.value > 2.5)).length;
    expect([runs, above.length, above[0]!.date, above.at(-1)!.date]).toEqual([5, 11, '2022-01-31', '2024-03-01']);
    const d = (await digestOf(view, O))!;
    const line = (lang: (typeof LANGS)[number]) =>
      digestText(d, lang)
        .head.split('\n')
        .find((l) => l.startsWith(lang === 'en' ? 'SPX/Gold (' : lang === 'zh-TW' ? '標普500/黃金（' : '标普500/黄金（'))!;
    expect(line('en')).toContain(
      `Since then it went five times above 2.5 (${above.length} closes) without holding (${above[0]!.date} to ${above.at(-1)!.date}).`,
    );
    expect(line('zh-TW')).toContain('此後曾五次收在 2.5 之上（共 11 次收盤），都未能站穩（首次為2022年1月31日，最後一次為2024年3月1日）。');
    expect(line('zh-CN')).toContain('此后曾五次收于 2.5 上方（共 11 次收盘），均未能站稳（首次为2022年1月31日，最后一次为2024年3月1日）。');
    for (const lang of LANGS) expect(line(lang)).not.toMatch(/2024-02-28|2024年2月28日/);
  });

  test('the stored message reads the same in each language as the preview text', async () => {
    const d = (await digestOf(view, O))!;
    const m = JSON.parse(JSON.stringify(digestMessage(d)));
    for (const lang of LANGS) {
      const l = localize(m, lang);
      const t = digestText(d, lang);
      expect([l.title, ...l.lines].join('\n')).toBe(t.rest === '' ? t.head : `${t.head}\n${t.rest}`);
    }
    expect(localize(m, 'zh-TW').lines[6]).toBe('標普500：美元計價 +496%，黃金計價 -62%，跑贏 M2 14%');
    expect(localize(m, 'zh-TW').lines[10]).toBe(
      '標普500/黃金（2025年起：貨幣重置）：上次跌破 2.5 是在2022年1月19日（4.6 年前）。此後曾五次收在 2.5 之上（共 11 次收盤），都未能站穩（首次為2022年1月31日，最後一次為2024年3月1日）。',
    );
    expect(localize(m, 'zh-TW').lines[11]).toBe(
      'QQQ/黃金（2025年起：貨幣重置）：上次向上突破 0.03 是在2011年9月13日（14.9 年前）。此後曾兩次回測 0.03（3% 以內），每次都守住（最近一次為2011年10月3日）。',
    );
    expect(localize(m, 'zh-CN').lines[11]).toBe(
      'QQQ/黄金（2025年起：货币重置）：上次向上突破 0.03 是在2011年9月13日（14.9 年前）。此后曾两次回踩 0.03（3% 以内），每次都守住（最近一次为2011年10月3日）。',
    );
    expect(localize(m, 'zh-CN').lines[6]).toBe('标普500：美元计价 +496%，黄金计价 -62%，跑赢 M2 14%');
    expect(localize(m, 'zh-CN').lines[8]).toBe('标普500和 QQQ 为价格指数，未计入股息；若股息再投资，相对 M2 的表现会比这里显示的更好。');
    expect(localize(m, 'zh-CN').lines[9]).toBe('M2 同比增速 +5.53%（2026年6月）');
    expect(localize(m, 'zh-TW').lines[4]).toBe('比率所用的金價為2026年8月20日的報價，是2026年8月21日收盤時最新的一筆。');
    expect(localize(m, 'zh-CN').lines[4]).toBe('比率采用2026年8月20日的金价，即2026年8月21日收盘时可获得的最新金价。');
  });

  test('GIVEN spans where the S&P 500 all but tied M2 (1999-07-02 to 2000-06-16: +0.014%; 2000-04-17 to 2000-09-26: -0.04%, from the files) THEN /power and goldratio power give the figure, never "beat M2 by 0%" beside "M2-adjusted 100.0", in every language; nor "M2 shrank 0.00%" where it moved 0.0024% (2009-06 to 2009-09)', async () => {
    // Independently of goldratio's code: each close from the CSV files, M2 by the months of the two days.
    const csv = (file: string) =>
      new Map(
        readFileSync(join(HISTORY_DIR, file), 'utf8')
          .trim()
          .split('\n')
          .slice(1)
          .map((l) => [l.split(',')[0]!, Number(l.split(',')[1])] as const),
      );
    const spx = csv(HISTORY_FILES.spx);
    const m2 = csv(HISTORY_FILES.m2);
    const adjusted = (base: string, end: string) =>
      ((spx.get(end)! / spx.get(base)!) * 100) / (m2.get(`${end.slice(0, 7)}-01`)! / m2.get(`${base.slice(0, 7)}-01`)!);
    expect(adjusted('1999-07-02', '2000-06-16')).toBeCloseTo(100.014, 3);
    expect(adjusted('2000-04-17', '2000-09-26')).toBeCloseTo(99.962, 3);
    const deps = chatDeps();
    const power = async (lang: string, base: string, end: string) =>
      plainText(await findCommand('power')!.run(deps, chatCtx({ userLanguageCode: lang, nowMs: Date.parse('2026-11-25T00:00:00Z') }), [base, end]));
    const beat = await power('en', '1999-07-02', '2000-06-16');
    expect(beat).toContain('S&P 500 beat M2 by 0.01%: real growth.');
    expect(beat).toContain('M2-adjusted 100.01');
    const lost = await power('en', '2000-04-17', '2000-09-26');
    expect(lost).toContain('S&P 500 did not beat M2: 0.04% behind it.');
    expect(lost).toContain('M2-adjusted 99.96');
    expect(await power('zh-TW', '1999-07-02', '2000-06-16')).toContain('標普500指數跑贏 M2 0.01%，屬實質成長。');
    expect(await power('zh-CN', '2000-04-17', '2000-09-26')).toContain('M2 平减 99.96');
    for (const text of [beat, lost]) expect(text).not.toMatch(/ 0%|100\.0 /);
    // M2 from 2009-06 to 2009-09 moved 0.0024% (the files): never "shrank 0.00%", which reads as not at all.
    const m2Change = (m2.get('2009-09-01')! / m2.get('2009-06-01')! - 1) * 100;
    expect(m2Change).toBeLessThan(0);
    expect(Math.abs(m2Change)).toBeLessThan(0.005);
    expect(await power('en', '2009-06', '2009-09')).toContain('M2 shrank <0.01% from 2009-06 to 2009-09.');
    expect(await power('zh-TW', '2009-06', '2009-09')).not.toContain('0.00%');
    const flat = await runCliInProcess(['power', '--base', '2009-06', '--to', '2009-09'], { DATABASE_PATH: join(dir, 'h.db'), DATA_DIR: dir });
    expect(flat.stdout).toContain('M2 shrank <0.01% from 2009-06 to 2009-09.');
    // A base and an end on one close: 100.0 each, not a float's error on it shown as 100.000.
    const same = await power('en', '2026-08-21', '2026-08-21');
    expect(same).toContain('S&P 500 in USD 100.0 · in gold 100.0');
    expect(same).toContain('QQQ in USD 100.0 · in gold 100.0');
    expect(same).not.toMatch(/100\.0\d/);
    const cli = await runCliInProcess(['power', '--base', '1999-07-02', '--to', '2000-06-16'], { DATABASE_PATH: join(dir, 'h.db'), DATA_DIR: dir });
    expect(cli.stdout).toContain('SPX beat M2 by 0.01%: real growth.');
    expect(cli.stdout).toMatch(/SPX +105\.3 +95\.3 +100\.01\n/);
  });

  test('GIVEN a base on Easter Monday 2024 (London shut) THEN /power and goldratio power say its figures in gold start from the fix of 2024-03-28, as they say it of an end; in every language and in --json', async () => {
    // Independently: no fix on 2024-04-01, Thursday's stands in (Good Friday both shut); the S&P 500 in gold to 2024-06-28 from the files.
    const csv = (file: string) =>
      new Map(
        readFileSync(join(HISTORY_DIR, file), 'utf8')
          .trim()
          .split('\n')
          .slice(1)
          .map((l) => [l.split(',')[0]!, Number(l.split(',')[1])] as const),
      );
    const gold = csv(HISTORY_FILES.gold);
    const spx = csv(HISTORY_FILES.spx);
    expect([gold.has('2024-04-01'), gold.has('2024-03-29'), gold.has('2024-03-28'), gold.has('2024-06-28')]).toEqual([false, false, true, true]);
    const inGold = (spx.get('2024-06-28')! / gold.get('2024-06-28')! / (spx.get('2024-04-01')! / gold.get('2024-03-28')!)) * 100;
    const deps = chatDeps();
    const power = async (lang: string) =>
      plainText(
        await findCommand('power')!.run(deps, chatCtx({ userLanguageCode: lang, nowMs: Date.parse('2026-11-25T00:00:00Z') }), ['2024-04-01', '2024-06-28']),
      );
    const en = await power('en');
    expect(en).toContain(`S&P 500 in USD 104.1 · in gold ${inGold.toFixed(1)}`);
    expect(en).toContain('At the base, the figures in gold start from the gold price of 2024-03-28, the latest at the close of 2024-04-01.');
    expect(await power('zh-TW')).toContain('基準日的黃金計價採用2024年3月28日的金價，是2024年4月1日收盤時最新的一筆。');
    expect(await power('zh-CN')).toContain('基准日的黄金计价采用2024年3月28日的金价，即2024年4月1日收盘时可获得的最新金价。');
    const env = { DATABASE_PATH: join(dir, 'h.db'), DATA_DIR: dir };
    expect((await runCliInProcess(['power', '--base', '2024-04-01', '--to', '2024-06-28'], env)).stdout).toContain(
      'At the base, the figures in gold start from the gold price of 2024-03-28, the latest at the close of 2024-04-01.',
    );
    const json = JSON.parse((await runCliInProcess(['power', '--base', '2024-04-01', '--to', '2024-06-28', '--json'], env)).stdout);
    expect(json).toMatchObject({ base: '2024-04-01', baseGoldDate: '2024-03-28', goldDate: '2024-06-28' });
    expect(json.spx.gold).toBeCloseTo(inGold, 2);
    // A base with its own fix says nothing of it.
    const plain = plainText(await findCommand('power')!.run(deps, chatCtx({ nowMs: Date.parse('2026-11-25T00:00:00Z') }), ['2024-04-02', '2024-06-28']));
    expect(plain).not.toContain('At the base');
  });

  test("/power 1999-03-10 2011-08-22 in zh-TW: the table as of that day, M2's growth and who beat it", async () => {
    const deps = chatDeps();
    const text = plainText(
      await findCommand('power')!.run(deps, chatCtx({ userLanguageCode: 'zh-TW', nowMs: Date.parse('2026-11-25T00:00:00Z') }), ['1999-03-10', '2011-08-22']),
    );
    expect(text.split('\n')).toEqual([
      '以1999年3月10日為 100，截至2011年8月22日：',
      '標普500指數：美元計價 87.3 · 黃金計價 13.6 · M2 平減 40.6',
      'QQQ：美元計價 98.3 · 黃金計價 15.3 · M2 平減 45.7',
      'M2 自1999年3月至2011年8月成長 115%。跑贏 M2 才算實質成長：',
      '標普500指數未能跑贏 M2，落後 59%。',
      'QQQ 未能跑贏 M2，落後 54%。',
      '標普500與 QQQ 為價格指數，未計入股息；若股息再投入，相對 M2 的表現會比這裡顯示的更好。',
      '黃金計價低於 100：指數能買到的黃金比基準日少。',
    ]);
    const en = plainText(await findCommand('power')!.run(deps, chatCtx({ nowMs: Date.parse('2026-11-25T00:00:00Z') }), []));
    expect(en).toContain(
      'M2 grew 423% from 1999-03 to 2026-06 (2026-06 is the latest M2 published: the M2-adjusted figures of 2026-08-21 divide by it). Only what beats M2 is real:\nS&P 500 beat M2 by 14%: real growth.\nQQQ beat M2 by 167%: real growth.',
    );
    // The files' gold ends a day before the S&P: the figures in gold of the 21st use the 20th's price, and say so.
    expect(en).toContain('The figures in gold use the gold price of 2026-08-20, the latest at the close of 2026-08-21.');
    const zhNow = plainText(
      await findCommand('power')!.run(deps, chatCtx({ chatId: '2002', userLanguageCode: 'zh-TW', nowMs: Date.parse('2026-11-25T00:00:00Z') }), []),
    );
    expect(zhNow).toContain('黃金計價採用2026年8月20日的金價，是2026年8月21日收盤時最新的一筆。');
    const cnNow = plainText(
      await findCommand('power')!.run(deps, chatCtx({ chatId: '2003', userLanguageCode: 'zh-CN', nowMs: Date.parse('2026-11-25T00:00:00Z') }), []),
    );
    expect(cnNow).toContain('黄金计价采用2026年8月20日的金价，即2026年8月21日收盘时可获得的最新金价。');
    const bad = await findCommand('power')!.run(deps, chatCtx({ nowMs: Date.parse('2026-11-25T00:00:00Z') }), ['2011-01-01', '2010-01-01']);
    expect(plainText(bad)).toBe('The end date 2010-01-01 is before the base date 2011-01-01.');
  });

  test('GIVEN a span M2 has no change in (after its latest month, or inside one month) THEN /power and goldratio power say so, never "M2 grew 0%" and a verdict on it', async () => {
    // M2's latest month in the files is 2026-06: a base of 2026-07-01 reads June's M2 at both ends.
    const p = powerAt(await view.power('2026-07-01'))!;
    expect(p.m2Span).toEqual({ from: '2026-06-01', to: '2026-06-01' });
    expect([p.m2GrowthPct, p.spx.m2, p.spx.beatM2, p.qqq.m2, p.qqq.beatM2]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(p.spx.usd).toBeGreaterThan(100);
    // A span inside one month of history is the same.
    expect(powerAt(await view.power('2011-09-01'), '2011-09-20')!.m2GrowthPct).toBeUndefined();
    // The full span reads M2 to its latest month, two months before the last close: it lags.
    const full = powerAt(await view.power('1999-03-10'))!;
    expect(full.m2Span).toEqual({ from: '1999-03-01', to: '2026-06-01' });
    expect(full.m2Lags).toBe(true);
    expect(powerAt(await view.power('1999-03-10'), '2011-08-22')!.m2Lags).toBe(false);

    const deps = chatDeps();
    const at = Date.parse('2026-11-25T00:00:00Z');
    const en = plainText(await findCommand('power')!.run(deps, chatCtx({ nowMs: at }), ['2026-07-01']));
    expect(en.split('\n')).toEqual([
      'Indexed to 100 on 2026-07-01, as of 2026-08-21:',
      'S&P 500 in USD 102.6 · in gold 91.5',
      'QQQ in USD 98.4 · in gold 87.8',
      'The figures in gold use the gold price of 2026-08-20, the latest at the close of 2026-08-21.',
      'M2 is monthly, and both ends of this span read 2026-06: there is no change of M2 to measure against.',
      'Below 100 in gold: the index bought less gold than on the base date.',
    ]);
    const zh = plainText(await findCommand('power')!.run(deps, chatCtx({ userLanguageCode: 'zh-TW', nowMs: at }), ['2026-07-01']));
    expect(zh).toContain('M2 為月資料，此期間頭尾用的都是2026年6月的數值：沒有 M2 的變化可供比較。');
    expect(zh).not.toMatch(/跑贏|M2 平減/);
    const cn = plainText(await findCommand('power')!.run(deps, chatCtx({ userLanguageCode: 'zh-CN', nowMs: at }), []));
    expect(cn).toContain('M2 自1999年3月至2026年6月增长 423%（2026年6月为最新公布数据，2026年8月21日的 M2 平减数值即按此计算）。跑赢 M2 才算实际增长：');
    // The note on figures under 100 in gold only where one is: since 2011's bottom, both are far over it.
    const since2011 = plainText(await findCommand('power')!.run(deps, chatCtx({ nowMs: at }), ['2011-09-06']));
    expect(since2011).toMatch(/S&P 500 in USD \d+\.\d · in gold \d{3}\.\d/);
    expect(since2011).not.toContain('Below 100 in gold');
    // A small change is not rounded to "+0%".
    const may = plainText(await findCommand('power')!.run(deps, chatCtx({ nowMs: at }), ['2026-05-15']));
    expect(may).toContain('M2 grew 0.43% from 2026-05 to 2026-06 (2026-06 is the latest M2 published: the M2-adjusted figures of 2026-08-21 divide by it).');
    expect(may).toContain('QQQ beat M2 by 0.2%: real growth.');

    const env = { DATABASE_PATH: join(dir, 'h.db'), DATA_DIR: dir };
    const cli = await runCliInProcess(['power', '--base', '2026-07-01'], env);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain('  SPX      102.6      91.5            —\n');
    expect(cli.stdout).toContain('M2 is monthly, and both ends of this span read 2026-06: there is no change of M2 to measure against.');
    expect(cli.stdout).not.toMatch(/beat M2|M2 grew/);
    const json = JSON.parse((await runCliInProcess(['power', '--base', '2026-07-01', '--json'], env)).stdout);
    expect(json).toMatchObject({ m2: { from: '2026-06', to: '2026-06' }, m2GrowthPct: null, spx: { m2: null, beatM2: null } });
    // Asked for a base before QQQ existed: the CLI says why the table starts later, as /power does.
    const early = await runCliInProcess(['power', '--base', '1990-01-01'], env);
    expect(early.stdout.split('\n').slice(0, 5)).toEqual([
      'Purchasing power since 1999-03-10 (= 100), as of 2026-08-21',
      'QQQ did not exist on 1990-01-01: its history starts on 1999-03-10, so both are indexed from there.',
      // The column says what /power's rows say (an index, not the "14% above M2" of the verdict), thousands grouped.
      '          in USD   in gold  M2-adjusted',
      '  SPX      596.4      38.5        114.1',
      '  QQQ    1,397.2      90.1        267.3',
    ]);
    expect(early.stdout).toContain(
      'M2 grew 423% from 1999-03 to 2026-06 (2026-06 is the latest M2 published: the M2-adjusted figures of 2026-08-21 divide by it).',
    );
  });

  test('GIVEN a span M2 shrank in (2022-03 to 2023-10: -4.8%) THEN the verb says which way, the figure unsigned: never "M2 grew -4.8%"; in every language, and the CLI', async () => {
    const deps = chatDeps();
    const at = Date.parse('2026-11-25T00:00:00Z');
    const said = async (lang: string) =>
      plainText(await findCommand('power')!.run(deps, chatCtx({ userLanguageCode: lang, nowMs: at }), ['2022-03', '2023-10'])).split('\n')[3];
    expect(await said('en')).toBe('M2 shrank 4.82% from 2022-03 to 2023-10. Only what beats M2 is real:');
    expect(await said('zh-TW')).toBe('M2 自2022年3月至2023年10月減少 4.82%。跑贏 M2 才算實質成長：');
    expect(await said('zh-CN')).toBe('M2 自2022年3月至2023年10月减少 4.82%。跑赢 M2 才算实际增长：');
    const cli = await runCliInProcess(['power', '--base', '2022-03', '--to', '2023-10'], { DATABASE_PATH: join(dir, 'h.db'), DATA_DIR: dir });
    expect(cli.stdout).toContain('M2 shrank 4.82% from 2022-03 to 2023-10.');
    // The digest's yardstick line: above or below M2 in words, the figure unsigned, as zh-TW and zh-CN write it.
    const d = (await digestOf(view, O))!;
    for (const lang of LANGS) expect(digestText(d, lang).head, lang).not.toMatch(/[+-]\d[\d,.]*% above M2|跑[贏赢] M2 [+-]|落後 M2 [+-]|跑输 M2 [+-]/);
  });

  test('goldratio digest --preview (en, zh-TW) prints the digest and writes its chart; goldratio power --to reads an earlier day', async () => {
    const env = { DATABASE_PATH: join(dir, 'h.db'), DATA_DIR: dir };
    const en = await runCliInProcess(['digest', '--preview', '--out', join(dir, 'en.png')], env);
    expect(en.code).toBe(0);
    expect(en.stdout).toContain('S&P 500 +496% in USD, -62% in gold, 14% above M2');
    expect(en.stdout).toContain(`chart: ${join(dir, 'en.png')}`);
    expect(readFileSync(join(dir, 'en.png')).subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const zh = await runCliInProcess(['digest', '--preview', '--lang', 'zh-tw'], env);
    expect(zh.code).toBe(0);
    expect(zh.stdout).toContain('標普500：美元計價 +496%');
    expect(existsSync(join(dir, 'digest-2026-08-21-zh-TW.png'))).toBe(true);
    const power = await runCliInProcess(['power', '--to', '2011-08-22'], env);
    expect(power.stdout).toContain('as of 2011-08-22');
    expect(power.stdout).toContain('M2 grew 115% from 1999-03 to 2011-08.');
    expect(power.stdout).toContain('SPX did not beat M2: 59% behind it.');
  });

  test('goldratio power and /power give one M2 verdict: the verb says which way (no sign to say it twice), each with the index name its table uses (it was "+14% above it" and "55% above it")', async () => {
    const cli = await runCliInProcess(['power'], { DATABASE_PATH: join(dir, 'h.db'), DATA_DIR: dir });
    const chat = plainText(await findCommand('power')!.run(chatDeps(), chatCtx({ nowMs: Date.parse('2026-11-25T00:00:00Z') }), []));
    expect(cli.stdout).toContain('  SPX beat M2 by 14%: real growth.');
    expect(chat).toContain('S&P 500 beat M2 by 14%: real growth.');
    expect(cli.stdout).toContain('  QQQ beat M2 by 167%: real growth.');
    expect(chat).toContain('QQQ beat M2 by 167%: real growth.');
  });

  test('goldratio status groups the row counts (spx 7,962 rows) and reads the age on its clock: 16 h the morning after', async () => {
    const r = await runCliInProcess(['status'], { DATABASE_PATH: join(dir, 'h.db'), DATA_DIR: dir }, { nowMs: Date.parse('2026-08-22T12:00:00Z') });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^spx {4}7,962 rows {2}last 2026-08-21 7674\.37 \(history, 16 h old\)$/m);
    // M2 by its month, a monthly figure's, with no age of a day's price.
    expect(r.stdout).toMatch(/^m2 {7}378 rows {2}last 2026-06 23155\.2 bn USD \(history\)$/m);
  });

  test('goldratio ratio and status give one age for the same close at the same moment (it was 105 d and 106 d)', async () => {
    const env = { DATABASE_PATH: join(dir, 'h.db'), DATA_DIR: dir };
    // 2026-12-05 06:47 UTC: 105 days and 10 hours after the 2026-08-21 close (16:00 New York).
    const nowMs = Date.parse('2026-12-05T06:47:00Z');
    const ratio = await runCliInProcess(['ratio'], env, { nowMs });
    const status = await runCliInProcess(['status'], env, { nowMs });
    expect(ratio.stdout).toContain('  data age        SPX 105 d, gold 106 d');
    expect(status.stdout).toMatch(/^spx .*last 2026-08-21 7674\.37 \(history, 105 d old\)/m);
    expect(status.stdout).toMatch(/^gold .*last 2026-08-20 .*\(history, 106 d old\)/m);
  });

  test('goldratio ratio names the levels for what they are: SPX/Gold 1.698 has its next level up at 2.5 (+47.2%), not "above 2.5"', async () => {
    const r = await runCliInProcess(['ratio'], { DATABASE_PATH: join(dir, 'h.db'), DATA_DIR: dir }, { nowMs: Date.parse('2026-08-22T12:00:00Z') });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'SPX/Gold  1.698  (close 2026-08-21)',
      '  change          1D +0.43%   1M -9.37%   YTD +7.24%',
      '  next level up   2.5 (+47.2%)  QE-decade resistance, "retested and failed" per the essay',
      '  next level down 0.6–0.7 (-58.8%)  Historic support zone: the 2011 bottom',
    ]);
    expect(r.stdout).not.toMatch(/^\s+(above|below)\s/m);
  });

  test.each([
    [['digest'], /^goldratio digest: usage: goldratio digest --preview/],
    [['digest', '--preview', '--lang', 'fr'], new RegExp(`^goldratio digest: --lang must be one of ${LANGS.join(', ')}, got "fr"`)],
    [
      ['digest', '--preview', '--out', '/nonexistent-dir/x.png'],
      /^goldratio digest: cannot write --out \/nonexistent-dir\/x.png: folder \/nonexistent-dir does not exist$/m,
    ],
    [['power', '--base', '2000-03-24', '--to', '2000-01-01'], /^goldratio power: --to 2000-01-01 is before --base 2000-03-24/],
  ])('goldratio %j → one line on stderr, exit 2', async (args, line) => {
    const r = await runCliInProcess(args, { DATABASE_PATH: join(dir, 'h.db'), DATA_DIR: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(line);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
