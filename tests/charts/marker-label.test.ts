/**
 * An alert chart's break label keeps off the level lines and a zone's edges: drawn across one, its
 * background hid the very level the alert is about (QQQ/Gold under 0.25 on 2000-11-28, the marker
 * near the plot's foot, its label pushed up onto the line). On the real history, as the alert is
 * sent (the closes up to the break) and as drawn later (a month after it).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { placeMarkerLabel, labelBox, type Box } from '../../src/charts/label-layout.ts';
import { alertSpec } from '../../src/charts/spec-alert.ts';
import { renderSpec } from '../../src/charts/render.ts';
import { pixelOf } from '../../src/charts/axis.ts';
import { PALETTES } from '../../src/charts/theme.ts';
import { customLevel, essayLevels, levelById } from '../../src/domain/levels.ts';
import { LANGS, type Lang } from '../../src/domain/i18n/index.ts';
import { createCanvas } from '@napi-rs/canvas';
import { ensureFonts, font, textOf } from '../../src/charts/fonts.ts';
import type { PairId } from '../../src/domain/instruments.ts';
import type { Point } from '../../src/domain/series.ts';
import { describeWithHistory } from '../helpers/history.ts';
import { seedHistory, tempStore, type Fixture } from '../helpers/charts-fixtures.ts';

const crossesRow = (b: Box, row: number) => b.top < row + 1 && b.bottom > row - 1;

test('GIVEN a marker just under a level line at the plot’s foot and data all around THEN its label takes a place clear of the line, not the first one', () => {
  const area = { left: 16, right: 1135, top: 94, bottom: 549 };
  const line = 508;
  const rows = [{ left: area.left, right: area.right, top: line - 1, bottom: line + 1 }];
  const px = 1080;
  const py = 526;
  // Below does not fit; above (py - 24) runs along the line: the first place asked for.
  const first = { x: px - 12, y: py - 24, align: 'right' as const };
  const at = placeMarkerLabel(px, py, 200, first, area, [...rows, { left: px - 9, right: px + 9, top: py - 9, bottom: py + 9 }], () => true);
  expect(crossesRow(labelBox(first.x, first.y, 200, first.align, 14), line)).toBe(true);
  expect(crossesRow(labelBox(at.x, at.y, 200, at.align, 14), line)).toBe(false);
});

describeWithHistory('break labels on the real history', () => {
  let fx: Fixture;
  const series = new Map<PairId, readonly Point[]>();
  beforeAll(async () => {
    fx = tempStore();
    await seedHistory(fx.store);
    for (const pair of ['spx-gold', 'qqq-gold'] as const) series.set(pair, await fx.view.ratio(pair));
  });
  afterAll(() => fx.cleanup());

  // Every break whose label ran along a level line before: a sweep of each essay level's crossings
  // since 1995, as sent and as drawn later (196 charts, each in three languages), found these 10.
  const cases = [
    ['qqq-gold-0.25', '1999-11-18', 'sent'],
    ['qqq-gold-0.25', '2000-11-28', 'sent'],
    ['qqq-gold-0.25', '2000-12-14', 'later'],
    ['qqq-gold-0.25', '2001-01-31', 'later'],
    ['spx-gold-0.6-0.7', '2011-08-23', 'sent'],
    ['spx-gold-0.6-0.7', '2011-08-23', 'later'],
    ['spx-gold-2.5', '2005-10-28', 'later'],
    ['spx-gold-2.5', '2024-03-04', 'later'],
    ['spx-gold-5.5', '1999-07-20', 'later'],
    ['spx-gold-5.5', '2000-09-08', 'later'],
    // A chat's own level a step from an essay one (0.26 and 0.24 beside 0.25): every row up to
    // 48 px from the marker ran along one of the two lines.
    ['qqq-gold-custom-0.26', '2000-11-28', 'sent'],
    ['qqq-gold-custom-0.24', '2000-11-29', 'sent'],
  ] as const;
  const specOf = (id: string, date: string, when: 'sent' | 'later', lang: Lang) => {
    const pair: PairId = id.startsWith('spx') ? 'spx-gold' : 'qqq-gold';
    const own = /-custom-(.+)$/.exec(id)?.[1];
    const level = own === undefined ? levelById(id)! : customLevel(pair, Number(own));
    const all = series.get(pair)!;
    const i = all.findIndex((p) => p.date === date);
    expect(i, `no close on ${date}`).toBeGreaterThan(0);
    return alertSpec({
      pair,
      lang,
      palette: PALETTES.light,
      sources: 'test',
      stale: false,
      series: when === 'sent' ? all.slice(0, i + 1) : all,
      level,
      levels: own === undefined ? essayLevels(pair) : [...essayLevels(pair), level],
      date,
      value: all[i]!.value,
    });
  };

  // Where the label goes hangs on the labels' widths, so the language matters: before the fix 4 of
  // these breaks put their label on a line in English only. On the essay levels' charts zh-TW and
  // zh-CN measure every label alike (full-width Han characters, the same digits; the last test
  // proves it), and so place it alike: those are drawn in English and in one of the two, in turn.
  // A chat's own level is labelled in words of different lengths (11 and 12 characters): all three.
  const drawnIn = (n: number): readonly Lang[] => (cases[n]![0].includes('-custom-') ? LANGS : ['en', n % 2 === 0 ? 'zh-TW' : 'zh-CN']);
  for (const [n, [id, date, when]] of cases.entries())
    test(`GIVEN the alert chart of ${id} on ${date} as ${when} THEN in ${drawnIn(n).join(' and ')} its break label crosses no level line nor zone edge`, async () => {
      for (const lang of drawnIn(n)) {
        const spec = specOf(id, date, when, lang);
        const r = await renderSpec(spec);
        const rows = [...spec.hlines.map((l) => l.value), ...spec.hbands.flatMap((b) => [b.high, b.low])].map((v) => pixelOf(r.axes.y, v));
        expect(r.markerLabels).toHaveLength(1);
        const { box, text } = r.markerLabels[0]!;
        for (const row of rows)
          expect(crossesRow(box, row), `${lang}: "${text}" [${box.top.toFixed(0)}, ${box.bottom.toFixed(0)}] over the row at ${row.toFixed(0)}`).toBe(false);
        // Inside the plot, and off the marker.
        const m = { x: pixelOf(r.axes.x, spec.markers[0]!.x), y: pixelOf(r.axes.y, spec.markers[0]!.y) };
        expect(box.left >= r.chartArea.left && box.right <= r.chartArea.right && box.top >= r.chartArea.top && box.bottom <= r.chartArea.bottom).toBe(true);
        expect(m.x > box.left && m.x < box.right && m.y > box.top && m.y < box.bottom).toBe(false);
      }
    });

  test('GIVEN each essay level’s alert chart above in zh-TW and in zh-CN THEN its break label, level labels and date ticks measure the same widths in both (so one of them stands for the other above)', () => {
    const ctx = createCanvas(10, 10).getContext('2d');
    const widths = (lang: Lang, spec: ReturnType<typeof specOf>) => {
      ensureFonts(lang, textOf(spec));
      const measure = (text: string, size: number) => {
        ctx.font = font(size, 400, lang);
        return `${text.length}:${ctx.measureText(text).width.toFixed(1)}`;
      };
      return [
        ...spec.markers.map((m) => measure(m.label, 14)),
        ...spec.hlines.map((l) => measure(l.label, 13)),
        ...spec.hbands.map((b) => measure(b.label, 13)),
        ...spec.x.ticks.map((t) => measure(t.label, 12)),
      ];
    };
    for (const [id, date, when] of cases.filter(([id]) => !id.includes('-custom-'))) {
      const [tw, cn] = (['zh-TW', 'zh-CN'] as const).map((lang) => widths(lang, specOf(id, date, when, lang)));
      expect(tw!.length, id).toBeGreaterThan(3);
      expect(cn, `${id} on ${date} as ${when}`).toEqual(tw);
    }
  });
});
