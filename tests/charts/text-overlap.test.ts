/**
 * Every text a chart draws, read back from the canvas as Chart.js and the overlay wrote it (ticks,
 * title, corner, era names, level labels, end labels, break labels, notes, footer): on the real
 * history, no two of them intersect, none leaves the image, none is shortened with an ellipsis, and
 * every one of them, and the latest-value tag, keeps the side margin the title and footer keep (a YTD
 * chart's first label, its tick on the axis's first day, sat against the image's left edge; the first
 * era's name 22 px from it; the tag 16 px from the right edge). Each chart kind at its longest
 * span (MAX; the power chart since QQQ's launch and since the 2007 peak, where its base = 100 label
 * runs along the top), the ratio chart's other ranges, and with a chat's own levels, in each language.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ChartService } from '../../src/charts/service.ts';
import type { ChartRequest } from '../../src/domain/chart-request.ts';
import { LANGS } from '../../src/domain/i18n/index.ts';
import { SIDE_MARGIN } from '../../src/charts/axis.ts';
import { WIDTH } from '../../src/charts/spec.ts';
import { describeWithHistory } from '../helpers/history.ts';
import { drawnMarks, drawnTexts, realHistoryCharts, type DrawnText } from '../helpers/charts-fixtures.ts';

const meet = (a: DrawnText, b: DrawnText) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

describeWithHistory('texts on the real history’s charts', () => {
  let charts: ChartService;
  let cleanup = () => {};
  beforeAll(async () => {
    ({ charts, cleanup } = await realHistoryCharts());
  });
  afterAll(() => cleanup());

  const cases: [string, ChartRequest][] = [
    ['SPX/Gold MAX', { kind: 'ratio', pair: 'spx-gold', range: 'MAX' }],
    ['QQQ/Gold MAX', { kind: 'ratio', pair: 'qqq-gold', range: 'MAX' }],
    ['SPX/Gold YTD', { kind: 'ratio', pair: 'spx-gold', range: 'YTD' }],
    ['QQQ/Gold YTD', { kind: 'ratio', pair: 'qqq-gold', range: 'YTD' }],
    ['SPX/Gold 1M', { kind: 'ratio', pair: 'spx-gold', range: '1M' }],
    ['SPX/Gold 3M', { kind: 'ratio', pair: 'spx-gold', range: '3M' }],
    ['SPX/Gold 6M', { kind: 'ratio', pair: 'spx-gold', range: '6M' }],
    ['SPX/Gold 1Y', { kind: 'ratio', pair: 'spx-gold', range: '1Y' }],
    ['SPX/Gold 5Y', { kind: 'ratio', pair: 'spx-gold', range: '5Y' }],
    ['SPX/Gold 10Y', { kind: 'ratio', pair: 'spx-gold', range: '10Y' }],
    ['QQQ/Gold 1M', { kind: 'ratio', pair: 'qqq-gold', range: '1M' }],
    ['QQQ/Gold 1Y', { kind: 'ratio', pair: 'qqq-gold', range: '1Y' }],
    ['QQQ/Gold 10Y', { kind: 'ratio', pair: 'qqq-gold', range: '10Y' }],
    [
      'SPX/Gold from 1995 to 2003 (the bubble era inside the plot)',
      { kind: 'ratio', pair: 'spx-gold', range: '1Y', window: { from: '1995-01-01', to: '2003-12-31' } },
    ],
    ['the power chart over 1 year', { kind: 'power', base: '2025-08-21' }],
    // A chat's own levels (/mylevels) on /chart: 2.4 and 2.6 beside the essay's 2.5, 1.75 and 1.8 a line apart.
    ['SPX/Gold MAX with a chat’s own 1.75, 2.4 and 2.6', { kind: 'ratio', pair: 'spx-gold', range: 'MAX', own: [1.75, 2.4, 2.6] }],
    ['SPX/Gold 1Y with a chat’s own 1.75 and 1.8', { kind: 'ratio', pair: 'spx-gold', range: '1Y', own: [1.75, 1.8] }],
    ['SPX/Gold 1M with a chat’s own 1.75', { kind: 'ratio', pair: 'spx-gold', range: '1M', own: [1.75] }],
    // Labelled as the chat's ("This chat's level", 本聊天室水位): beside the essay's on the plot, and in the notes above and below it.
    [
      'SPX/Gold 1Y with a chat’s own 1.75 in view, 0.4 and 0.5 below it, 3, 4 and 5 above',
      { kind: 'ratio', pair: 'spx-gold', range: '1Y', own: [0.4, 0.5, 1.75, 3, 4, 5] },
    ],
    ['the power chart since 1999-03-10', { kind: 'power', base: '1999-03-10' }],
    ['the power chart from the 2007 peak to the 2009 trough', { kind: 'power', base: '2007-10-09', to: '2009-03-09' }],
    // The gold era's last year, narrow at the left, named on the second row (it went unnamed before).
    ['the power chart from 2011 to 2020', { kind: 'power', base: '2011-01-01', to: '2020-12-31' }],
    ['SPX/Gold from late 2024 (the QE era narrow at the left)', { kind: 'ratio', pair: 'spx-gold', range: '1Y', window: { from: '2024-10-01' } }],
    ['the digest’s first panel (SPX/Gold over a year)', { kind: 'digest' }],
    ['the alert chart of the 2.5 break on 2022-01-19', { kind: 'alert', pair: 'spx-gold', levelId: 'spx-gold-2.5', date: '2022-01-19', value: 2.459 }],
  ];
  for (const [name, req] of cases)
    test(`GIVEN ${name} THEN in every language no two texts meet, each is whole, and every text and the latest-value tag keep ${SIDE_MARGIN} px from the sides`, async () => {
      for (const lang of LANGS) {
        const spec = await charts.spec(req, { lang });
        const { texts, latestTag } = drawnMarks(spec);
        expect(texts.length, lang).toBeGreaterThan(10);
        // The era names, the level labels, the y ticks, the latest-value tag: nothing closer to a side than the title is.
        for (const a of texts)
          expect(
            a.left >= SIDE_MARGIN && a.right <= WIDTH - SIDE_MARGIN,
            `${lang}: "${a.text}" at ${a.left.toFixed(1)}–${a.right.toFixed(1)}, within ${SIDE_MARGIN} px of a side`,
          ).toBe(true);
        if (spec.latest !== undefined) {
          expect(latestTag, lang).toBeDefined();
          expect(
            latestTag!.left >= SIDE_MARGIN && latestTag!.right <= WIDTH - SIDE_MARGIN,
            `${lang}: the latest-value tag at ${latestTag!.left.toFixed(1)}–${latestTag!.right.toFixed(1)}, within ${SIDE_MARGIN} px of a side`,
          ).toBe(true);
        }
        const xLabels = new Set(spec.x.ticks.map((t) => t.label));
        const onAxis = texts.filter((t) => xLabels.has(t.text));
        expect(onAxis.length, lang).toBe(spec.x.ticks.length);
        for (const a of onAxis)
          expect(
            a.left >= SIDE_MARGIN && a.right <= WIDTH - SIDE_MARGIN,
            `${lang}: x label "${a.text}" at ${a.left.toFixed(1)}–${a.right.toFixed(1)}, within ${SIDE_MARGIN} px of a side`,
          ).toBe(true);
        for (const [i, a] of texts.entries()) {
          expect(a.left >= 0 && a.right <= 1200 && a.top >= 0 && a.bottom <= 630, `${lang}: "${a.text}" off the image`).toBe(true);
          expect(a.text, lang).not.toContain('…');
          for (const b of texts.slice(i + 1)) expect(meet(a, b), `${lang}: "${a.text}" meets "${b.text}"`).toBe(false);
        }
      }
    });

  test('GIVEN two date ticks 10 days apart on the MAX chart THEN the check sees their labels meet (so the test above can fail)', async () => {
    const spec = await charts.spec({ kind: 'ratio', pair: 'spx-gold', range: 'MAX' }, { lang: 'zh-TW' });
    const at = spec.x.min + 3000;
    const texts = drawnTexts({
      ...spec,
      x: {
        ...spec.x,
        ticks: [
          { value: at, label: '2007年9月' },
          { value: at + 10, label: '2007年10月' },
        ],
      },
    });
    const [a, b] = ['2007年9月', '2007年10月'].map((l) => texts.find((t) => t.text === l)!);
    expect(meet(a!, b!)).toBe(true);
  });
});
