/**
 * Level labels on real charts (the real history): where every place at the ends of a label's line
 * covers the data line (MAX near 2.5, an alert chart at its level, the power chart's base = 100), the
 * label goes further along its line, where no plotted point lies under it (counted here from the
 * spec's points at the pixels Chart.js put them); a label still over data is drawn see-through.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ChartService } from '../../src/charts/service.ts';
import { renderSpec } from '../../src/charts/render.ts';
import { pixelOf } from '../../src/charts/axis.ts';
import type { ChartSpec } from '../../src/charts/spec.ts';
import { type Box, pointsUnder } from '../../src/charts/label-layout.ts';
import type { ChartRequest } from '../../src/domain/chart-request.ts';
import { LANGS, type Lang } from '../../src/domain/i18n/index.ts';
import { PALETTES } from '../../src/charts/theme.ts';
import { describeWithHistory } from '../helpers/history.ts';
import { realHistoryCharts } from '../helpers/charts-fixtures.ts';

describeWithHistory('level labels over the real history', () => {
  let charts: ChartService;
  let cleanup = () => {};
  beforeAll(async () => {
    ({ charts, cleanup } = await realHistoryCharts());
  });
  afterAll(() => cleanup());

  /** Each level label as drawn, with how many plotted points each place it could take would cover. */
  async function labels(req: ChartRequest, lang: Lang) {
    const spec: ChartSpec = await charts.spec(req, { lang, theme: 'light' });
    const r = await renderSpec(spec);
    const px = (v: number) => pixelOf(r.axes.x, v);
    const py = (v: number) => pixelOf(r.axes.y, v);
    const pts = spec.series.flatMap((s) => s.points.map((p) => ({ x: px(p.x), y: py(p.y) })));
    const count = (b: Box) => pts.filter((p) => p.x > b.left && p.x < b.right && p.y > b.top && p.y < b.bottom).length;
    const markers = spec.markers.map((m) => ({ x: px(m.x), y: py(m.y) }));
    const hidesMarker = (b: Box) => markers.some((m) => m.x + 9 > b.left && m.x - 9 < b.right && m.y + 9 > b.top && m.y - 9 < b.bottom);
    const { left, right, top, bottom } = r.chartArea;
    return r.levelLabels.map((l, i) => {
      const w = l.box.right - l.box.left;
      const h = l.box.bottom - l.box.top;
      // Left or right end (10 px in, 4 px of padding), just above or just under the level's line.
      const rows = [Math.max(l.line - 11, top + 50), Math.min(l.line + 11, bottom - 10)];
      const others = r.levelLabels.filter((_, k) => k !== i).map((o) => o.box);
      const places = [left + 6, right - 6 - w]
        .flatMap((x) => rows.map((y) => ({ left: x, right: x + w, top: y - h / 2, bottom: y + h / 2 })))
        .filter((b) => !hidesMarker(b) && !others.some((o) => o.left < b.right && b.left < o.right && o.top < b.bottom && b.top < o.bottom));
      // Further along its line, inward from either end in the layout's steps: the places it takes
      // when both ends cover data, counted as the layout counts (a line crossing the box counts).
      const along = [];
      for (let d = 24; 10 + d + w <= right - left - 2; d += 24) along.push(left + 6 + d, right - 6 - w - d);
      const alongPlaces = along
        .flatMap((x) => rows.map((y) => ({ left: x, right: x + w, top: y - h / 2, bottom: y + h / 2 })))
        .filter((b) => !hidesMarker(b) && !others.some((o) => o.left < b.right && b.left < o.right && o.top < b.bottom && b.top < o.bottom));
      const under = (b: Box) => spec.series.reduce((n, s) => n + pointsUnder(s.points, b, px, py), 0);
      return {
        ...l,
        counted: count(l.box),
        fewest: Math.min(...places.map(count)),
        alongClean: alongPlaces.some((b) => under(b) === 0),
        hidesMarker: hidesMarker(l.box),
      };
    });
  }

  const cases: [string, ChartRequest, string][] = [
    ['SPX/Gold MAX', { kind: 'ratio', pair: 'spx-gold', range: 'MAX' }, '2.5'],
    ['the alert chart of the 2.5 break on 2022-01-19', { kind: 'alert', pair: 'spx-gold', levelId: 'spx-gold-2.5', date: '2022-01-19', value: 2.5 }, '2.5'],
    ['the alert chart of 2.5 on 2021-12-30', { kind: 'alert', pair: 'spx-gold', levelId: 'spx-gold-2.5', date: '2021-12-30', value: 2.5 }, '2.5'],
    ['the power chart since 1999', { kind: 'power', base: '1999-03-10' }, '100'],
    ['the power chart over a year', { kind: 'power', base: '2025-08-21' }, '100'],
  ];
  for (const [name, req, level] of cases)
    for (const lang of LANGS)
      test(`GIVEN ${name} in ${lang} THEN the ${level} label covers the fewest points it can, see-through, off the marker`, async () => {
        const ls = await labels(req, lang);
        const label = ls.find((l) => l.text.includes(level));
        expect(label, `no label naming ${level}`).toBeDefined();
        for (const l of ls) {
          expect(l.counted, `${l.text}: covers ${l.counted} points where ${l.fewest} was possible`).toBeLessThanOrEqual(l.fewest);
          expect(l.hidesMarker).toBe(false);
          expect(l.background).toBe(l.covers > 0 ? PALETTES.light.labelBackgroundOverData : PALETTES.light.labelBackground);
        }
        // These charts run along the level at both ends of it: where a stretch of its own line further
        // in carries no data, the label goes there (at the ends it hid the lines, see-through; the
        // power chart's base = 100 sat on three of them), just above or just under its line.
        if (label!.alongClean) expect(label!.covers, `${label!.text}: over data where its line had a clean stretch`).toBe(0);
        expect(Math.min(Math.abs(label!.box.bottom - label!.line), Math.abs(label!.box.top - label!.line))).toBeLessThanOrEqual(6);
      });
});
