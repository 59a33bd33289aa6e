/** The purchasing-power chart's lines: ÷ M2 only where the span holds a change of M2; its notes, a base or end on a London holiday on the real history. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { powerSpec } from '../../src/charts/spec-power.ts';
import { ChartService } from '../../src/charts/service.ts';
import { describeWithHistory, loadHistory } from '../helpers/history.ts';
import { tempStore, type Fixture } from '../helpers/charts-fixtures.ts';
import { PALETTES } from '../../src/charts/theme.ts';
import { purchasingPower } from '../../src/domain/ratio.ts';
import { powerUntil } from '../../src/domain/power-check.ts';
import { toEpochDay } from '../../src/domain/dates.ts';
import type { Point } from '../../src/domain/series.ts';

const days = ['2026-04-01', '2026-05-01', '2026-06-01', '2026-07-01', '2026-07-02', '2026-08-03', '2026-08-21'];
const line = (f: (i: number) => number): Point[] => days.map((date, i) => ({ date, value: f(i) }));
const input = {
  spx: line((i) => 7000 + 20 * i),
  qqq: line((i) => 700 - i),
  gold: line((i) => 4400 + 10 * i),
  // Monthly, the latest published for June.
  m2: [
    { date: '2026-04-01', value: 22_000 },
    { date: '2026-05-01', value: 22_100 },
    { date: '2026-06-01', value: 22_200 },
  ],
};
/** Every plotted value of every line. */
const ysOf = (s: ReturnType<typeof powerSpec>) => s.series.flatMap((l) => l.points.map((p) => p.y));
const spec = (base: string, lang: 'en' | 'zh-TW' | 'zh-CN' = 'en') =>
  powerSpec({ power: purchasingPower(input, base), base, lang, palette: PALETTES.light, sources: 'test', stale: false });

test('GIVEN a span with M2 months in it THEN six lines, the ÷ M2 ones among them; a note only where the last closes read an earlier month of M2', () => {
  const s = spec('2026-04-01');
  expect(s.series.map((l) => l.label)).toEqual(['QQQ in USD', 'S&P 500 in USD', 'QQQ ÷ M2', 'S&P 500 ÷ M2', 'S&P 500 in gold', 'QQQ in gold']);
  // The closes run to 2026-08-21, M2 to June: the ÷ M2 end labels divide by June's M2, and say so.
  expect(s.notes).toEqual(['The ÷ M2 lines divide the closes after 2026-06 by the M2 of 2026-06, the latest on record.']);
  expect(spec('2026-04-01', 'zh-TW').notes).toEqual(['2026年6月之後的收盤，M2 平減線沿用2026年6月的 M2（目前取得的最新資料）。']);
  expect(spec('2026-04-01', 'zh-CN').notes).toEqual(['2026年6月之后的收盘，M2 平减线沿用2026年6月的 M2（目前获取的最新数据）。']);
  // Cut at a close of June, the last close reads its own month's M2: no note.
  expect(
    powerSpec({
      power: powerUntil(purchasingPower(input, '2026-04-01'), '2026-06-01'),
      base: '2026-04-01',
      lang: 'en',
      palette: PALETTES.light,
      sources: 'test',
      stale: false,
    }).notes,
  ).toEqual([]);
  // End labels keep a decimal: 100.9, not a rounded 101 that hides a short span's move.
  expect(s.series[1]!.endLabel).toBe('S&P 500 in USD 101.7');
});

test.each([
  ['en', 'QQQ in USD 1,397.2'],
  ['zh-TW', 'QQQ（美元） 1,397.2'],
  ['zh-CN', 'QQQ（美元） 1,397.2'],
] as const)("GIVEN an index past 1,000 in %s THEN its end label has the one decimal /power's caption gives it (1,397.2, not 1,397)", (lang, label) => {
  const grown = { ...input, qqq: days.map((date, i) => ({ date, value: i === days.length - 1 ? 700 * 13.972 : 700 })) };
  const s = powerSpec({ power: purchasingPower(grown, '2026-04-01'), base: '2026-04-01', lang, palette: PALETTES.light, sources: 'test', stale: false });
  expect(s.series[0]!.endLabel).toBe(label);
});

test('GIVEN a span after the latest M2 month THEN no ÷ M2 lines (they would equal the USD ones) and a note that says why', () => {
  const s = spec('2026-07-01');
  expect(s.series.map((l) => l.label)).toEqual(['QQQ in USD', 'S&P 500 in USD', 'S&P 500 in gold', 'QQQ in gold']);
  expect(s.notes).toEqual(['No ÷ M2 lines: M2 is monthly, and both ends of this span read 2026-06.']);
  // The span is July to August: what falls in June is the M2 figure both ends read, not the span.
  expect(spec('2026-07-01', 'zh-TW').notes).toEqual(['未畫 M2 平減線：M2 為月資料，此期間頭尾用的都是2026年6月的數值。']);
  expect(spec('2026-07-01', 'zh-CN').notes).toEqual(['未画 M2 平减线：M2 为月度数据，此期间首尾用的都是2026年6月的数值。']);
});

test('GIVEN a span of days THEN the y axis fits its moves (not 80-160 around ±1%) and its dates have ticks', () => {
  const s = spec('2026-07-02');
  const ys = ysOf(s);
  expect(s.y.min).toBeGreaterThan(Math.min(...ys) / 1.1);
  expect(s.y.max).toBeLessThan(Math.max(...ys) * 1.2);
  expect(s.y.min).toBeLessThan(Math.min(...ys));
  expect(s.y.max).toBeGreaterThan(Math.max(...ys));
  expect(s.y.ticks.length).toBeGreaterThanOrEqual(3);
  // 2026-07-02 to 2026-08-21, seven weeks: a tick every two weeks.
  expect(s.x.ticks.map((t) => t.label)).toEqual(['07-06', '07-20', '08-03', '08-17']);
});

test('GIVEN a span of decades THEN the y axis keeps its room: 1.25× below the lowest line, 1.6× above the highest', () => {
  // Each series at its two ends: [first date, value], [last date, value].
  const ends = (a: [string, number], b: [string, number]): Point[] => [a, b].map(([date, value]) => ({ date, value }));
  const long = {
    spx: ends(['1999-03-10', 1300], ['2026-08-21', 7600]),
    qqq: ends(['1999-03-10', 100], ['2026-08-21', 700]),
    gold: ends(['1999-03-10', 290], ['2026-08-21', 4500]),
    m2: ends(['1999-03-01', 4400], ['2026-06-01', 22_000]),
  };
  const s = powerSpec({ power: purchasingPower(long, '1999-03-10'), base: '1999-03-10', lang: 'en', palette: PALETTES.light, sources: 'test', stale: false });
  const ys = ysOf(s);
  expect(s.y.min).toBeCloseTo(Math.min(...ys) / 1.25, 6);
  expect(s.y.max).toBeCloseTo(Math.max(...ys) * 1.6, 6);
});

test('GIVEN an end (/power 2026-04-01 2026-07) THEN the lines stop at the last close on or before it, and the title names both days', () => {
  const cut = (lang: 'en' | 'zh-TW') =>
    powerSpec({
      power: powerUntil(purchasingPower(input, '2026-04-01'), '2026-07-31'),
      base: '2026-04-01',
      to: '2026-07-31',
      lang,
      palette: PALETTES.light,
      sources: 'test',
      stale: false,
    });
  const s = cut('en');
  expect(Math.max(...s.series.flatMap((l) => l.points.map((p) => p.x)))).toBe(toEpochDay('2026-07-02'));
  expect(s.title).toBe('What the S&P 500 and QQQ were worth from 2026-04-01 (= 100) to 2026-07-02');
  expect(s.footer).toContain('2026-07-02');
  // The same lines as the whole span's, cut: nothing re-indexed.
  const whole = spec('2026-04-01');
  expect(s.series[1]!.points).toEqual(whole.series[1]!.points.filter((p) => p.x <= toEpochDay('2026-07-02')));
  expect(cut('zh-TW').title).toBe('2026年4月1日（= 100）至2026年7月2日標普500與 QQQ 的價值');
});

test('GIVEN closes past the latest M2 by more than 100 days THEN the USD and gold lines reach the last close, the ÷ M2 ones end where M2 does, and a note says so', () => {
  const later = (s: Point[], v: number): Point[] => [...s, { date: '2026-09-15', value: v }];
  const power = purchasingPower({ ...input, spx: later(input.spx, 7200), qqq: later(input.qqq, 690), gold: later(input.gold, 4500) }, '2026-04-01');
  const s = powerSpec({ power, base: '2026-04-01', lang: 'en', palette: PALETTES.light, sources: 'test', stale: false });
  const lastX = (label: string) => Math.max(...s.series.find((l) => l.label === label)!.points.map((p) => p.x));
  expect(lastX('S&P 500 in USD')).toBe(toEpochDay('2026-09-15'));
  expect(lastX('S&P 500 in gold')).toBe(toEpochDay('2026-09-15'));
  expect(lastX('S&P 500 ÷ M2')).toBe(toEpochDay('2026-08-21'));
  expect(ysOf(s).every(Number.isFinite)).toBe(true);
  expect(s.notes).toEqual(['The ÷ M2 lines end on 2026-08-21: the latest M2 on record, 2026-06, is too old for later closes.']);
  const zh = powerSpec({ power, base: '2026-04-01', lang: 'zh-TW', palette: PALETTES.light, sources: 'test', stale: false });
  expect(zh.notes).toEqual(['M2 平減線止於2026年8月21日：目前取得的最新 M2 為2026年6月，距之後的收盤過久。']);
});

describeWithHistory('the power chart over a London holiday, on the real history', () => {
  let f: Fixture;
  let charts: ChartService;
  beforeAll(async () => {
    f = tempStore();
    await loadHistory(f.store, '2023-01-01', '2025-06-30');
    charts = new ChartService(f.view, { now: () => Date.parse('2025-06-30T22:00:00Z') });
  });
  afterAll(() => f.cleanup());

  // The store as on 2025-06-30: M2 to 2025-05, the latest out by then; the closes of June divide by it.
  test.each([
    [
      'en',
      'The ÷ M2 lines divide the closes after 2025-05 by the M2 of 2025-05, the latest on record.',
      'At the base, the figures in gold start from the gold price of 2024-03-28, the latest at the close of 2024-04-01.',
    ],
    [
      'zh-TW',
      '2025年5月之後的收盤，M2 平減線沿用2025年5月的 M2（目前取得的最新資料）。',
      '基準日的黃金計價採用2024年3月28日的金價，是2024年4月1日收盤時最新的一筆。',
    ],
    [
      'zh-CN',
      '2025年5月之后的收盘，M2 平减线沿用2025年5月的 M2（目前获取的最新数据）。',
      '基准日的黄金计价采用2024年3月28日的金价，即2024年4月1日收盘时可获得的最新金价。',
    ],
  ] as const)(
    'GIVEN the base 2024-04-01, Easter Monday, in %s THEN the chart says its figures in gold start from the fix of 03-28, as /power does, and which M2 its last closes read',
    async (lang, m2, note) => {
      const s = await charts.spec({ kind: 'power', base: '2024-04-01', to: '2025-06-30' }, { lang });
      expect(s.notes).toEqual([m2, note]);
    },
  );

  test('GIVEN an end on Easter Monday 2025 THEN the chart names the fix of 04-17 its last figures in gold use; a base with its own fix says nothing of it', async () => {
    const s = await charts.spec({ kind: 'power', base: '2024-04-02', to: '2025-04-21' }, { lang: 'en' });
    // (M2 of 2025-04 is on record in this store, the month of the end: no M2 note.)
    expect(s.notes).toEqual(['The figures in gold use the gold price of 2025-04-17, the latest at the close of 2025-04-21.']);
  });
});
