/**
 * A time axis in the chart's language: Chinese charts, whose titles say 2026年8月21日, wrote their
 * months and days in ISO (2025-09, 08-20). Now 2025年9月 / 9月 / 8月20日 there, English as it was;
 * on every range of the real history (1M to MAX, a 2-day window, the power chart) no two tick
 * labels touch nor leave the canvas, measured at the tick font where Chart.js put them.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createCanvas } from '@napi-rs/canvas';
import { dateTicks } from '../../src/charts/axis.ts';
import type { ChartService } from '../../src/charts/service.ts';
import { renderSpec } from '../../src/charts/render.ts';
import { pixelOf } from '../../src/charts/axis.ts';
import { fontFamily } from '../../src/charts/fonts.ts';
import { CHART_RANGES, type ChartRequest } from '../../src/domain/chart-request.ts';
import { describeWithHistory } from '../helpers/history.ts';
import { realHistoryCharts } from '../helpers/charts-fixtures.ts';
import { LANGS } from '../../src/domain/i18n/index.ts';

const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;

test.each([
  ['en', ['2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03']],
  ['zh-TW', ['2025年9月', '10月', '11月', '12月', '2026年1月', '2月', '3月']],
  ['zh-CN', ['2025年9月', '10月', '11月', '12月', '2026年1月', '2月', '3月']],
] as const)('GIVEN months on the axis in %s THEN months as the language writes them, the year on the first and on January', (lang, months) => {
  expect(dateTicks(day('2025-09-01'), day('2026-03-31'), lang).map((t) => t.label)).toEqual(months);
});

test.each([
  ['en', ['08-19', '08-20', '08-21'], ['07-27', '08-03', '08-10', '08-17']],
  ['zh-TW', ['8月19日', '8月20日', '8月21日'], ['7月27日', '8月3日', '8月10日', '8月17日']],
  ['zh-CN', ['8月19日', '8月20日', '8月21日'], ['7月27日', '8月3日', '8月10日', '8月17日']],
] as const)('GIVEN days or weeks on the axis in %s THEN month and day as the language writes them', (lang, days, weeks) => {
  expect(dateTicks(day('2026-08-19'), day('2026-08-21'), lang).map((t) => t.label)).toEqual(days);
  expect(dateTicks(day('2026-07-21'), day('2026-08-21'), lang).map((t) => t.label)).toEqual(weeks);
});

describeWithHistory('date ticks on the real charts do not collide', () => {
  let charts: ChartService;
  let cleanup = () => {};
  beforeAll(async () => {
    ({ charts, cleanup } = await realHistoryCharts());
  });
  afterAll(() => cleanup());

  const requests: [string, ChartRequest][] = [
    ...CHART_RANGES.map((range): [string, ChartRequest] => [`SPX/Gold ${range}`, { kind: 'ratio', pair: 'spx-gold', range }]),
    ['a 2-day window', { kind: 'ratio', pair: 'qqq-gold', range: '1M', window: { from: '2026-08-19', to: '2026-08-21' } }],
    ['a window across New Year', { kind: 'ratio', pair: 'spx-gold', range: '1M', window: { from: '2025-12-15', to: '2026-01-12' } }],
    ['the power chart over a year', { kind: 'power', base: '2025-08-21' }],
    ['the power chart over a week', { kind: 'power', base: '2026-08-14' }],
  ];
  for (const lang of LANGS)
    test(`GIVEN every range in ${lang} THEN the date ticks are written alike and 12 px apart at least`, async () => {
      const ctx = createCanvas(10, 10).getContext('2d');
      ctx.font = `13px ${fontFamily(lang)}`;
      for (const [name, req] of requests) {
        const spec = await charts.spec(req, { lang });
        const r = await renderSpec(spec);
        const ticks = spec.x.ticks.map((t) => {
          const x = pixelOf(r.axes.x, t.value);
          const w = ctx.measureText(t.label).width;
          return { label: t.label, left: x - w / 2, right: x + w / 2 };
        });
        expect(ticks.length, name).toBeGreaterThanOrEqual(2);
        // A longer first or last label (2026年1月 at a YTD chart's left edge) stays on the canvas.
        expect(ticks[0]!.left, `${name}: ${ticks[0]!.label}`).toBeGreaterThanOrEqual(0);
        expect(ticks.at(-1)!.right, `${name}: ${ticks.at(-1)!.label}`).toBeLessThanOrEqual(1200);
        for (let i = 1; i < ticks.length; i++)
          expect(ticks[i]!.left - ticks[i - 1]!.right, `${name}: ${ticks[i - 1]!.label} | ${ticks[i]!.label}`).toBeGreaterThanOrEqual(12);
        // No ISO month or day on a Chinese axis; none of 年月日 on an English one.
        for (const t of ticks) expect(lang === 'en' ? /[年月日]/.test(t.label) : /-/.test(t.label), `${name}: ${t.label}`).toBe(false);
      }
    });
});
