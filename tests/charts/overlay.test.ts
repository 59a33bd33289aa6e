/**
 * The overlay's era names, drawn on a real canvas through a context that records what is written
 * where: a Chart.js chart is only its plot area and scales here.
 */
import { expect, test } from 'vitest';
import { createCanvas } from '@napi-rs/canvas';
import type { Chart } from 'chart.js';
import type { ChartSpec } from '../../src/charts/spec.ts';
import { overlayPlugin } from '../../src/charts/overlay.ts';
import { ratioSpec } from '../../src/charts/spec-ratio.ts';
import { alertSpec } from '../../src/charts/spec-alert.ts';
import { describeWithHistory } from '../helpers/history.ts';
import { drawOverlay, readHistoryCsv } from '../helpers/charts-fixtures.ts';
import { PALETTES } from '../../src/charts/theme.ts';
import { ensureFonts, textOf } from '../../src/charts/fonts.ts';
import { addDays, toEpochDay } from '../../src/domain/dates.ts';
import { customLevel, essayLevels } from '../../src/domain/levels.ts';

/** The era names a chart from `from` to 2026 shows, with where each starts. */
function eraNames(from: string): { text: string; x: number; y: number }[] {
  const days = toEpochDay('2026-08-21') - toEpochDay(from);
  const series = Array.from({ length: days + 1 }, (_, i) => ({ date: addDays(from, i), value: 2 + Math.sin(i / 400) }));
  const spec = ratioSpec({
    pair: 'spx-gold',
    lang: 'en',
    palette: PALETTES.light,
    sources: 'test',
    stale: false,
    series,
    range: 'MAX',
    window: { from },
    levels: essayLevels('spx-gold'),
  });
  ensureFonts('en', textOf(spec));
  const canvas = createCanvas(1200, 630);
  const real = canvas.getContext('2d');
  const written: { text: string; x: number; y: number }[] = [];
  const ctx = new Proxy(real, {
    get(target, key) {
      if (key === 'fillText')
        return (text: string, x: number, y: number) => {
          written.push({ text, x, y });
          target.fillText(text, x, y);
        };
      const v = Reflect.get(target, key, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
    set: (target, key, value) => Reflect.set(target, key, value, target),
  });
  const [left, right] = [15, 1140];
  const [x0, x1] = [toEpochDay(from), toEpochDay('2026-08-21')];
  const chart = {
    ctx,
    chartArea: { left, right, top: 74, bottom: 570 },
    scales: {
      x: { getPixelForValue: (v: number) => left + ((v - x0) / (x1 - x0)) * (right - left) },
      y: { getPixelForValue: (v: number) => 570 - v * 60 },
    },
  } as unknown as Chart;
  (overlayPlugin(spec).afterDatasetsDraw as (c: Chart) => void)(chart);
  return written.filter((w) => /^\d{4}–/.test(w.text));
}

test('GIVEN a chart from 1990 THEN every era is named, the narrow 1999–2002 one on the second row where it starts', () => {
  const names = eraNames('1990-01-02');
  expect(names.map((n) => n.text)).toEqual(['1999–2002 bubble peak', '2003–2011 flight to gold', '2012–2024 QE and tech', '2025– monetary reset']);
  const bubble = names[0]!;
  expect(bubble.y).toBeGreaterThan(names[1]!.y);
  expect(bubble.x).toBeGreaterThan(15 + ((toEpochDay('1999-01-01') - toEpochDay('1990-01-02')) / (toEpochDay('2026-08-21') - toEpochDay('1990-01-02'))) * 1125);
});

test('GIVEN a chart starting late in an era (2011 on a chart from 2011) THEN that narrow era at the left is named too, on the second row from the plot’s left', () => {
  const names = eraNames('2024-11-01');
  expect(names.map((n) => n.text)).toEqual(['2012–2024 QE and tech', '2025– monetary reset']);
  const [qe, reset] = [names[0]!, names[1]!];
  expect(qe.y).toBeGreaterThan(reset.y);
  expect(qe.x).toBeLessThan(reset.x);
  // A few days of an era (too narrow to say anything over) stays unnamed.
  expect(eraNames('2024-12-29').map((n) => n.text)).toEqual(['2025– monetary reset']);
});

/** Everything the overlay writes for `spec`, with each text's width at the font it was drawn in, over a plot 15–1140 × 74–570. */
function written(spec: ChartSpec) {
  const { out, px, py } = drawOverlay(spec, 'afterDatasetsDraw');
  // The data lines in pixels, sampled every pixel column, independently of the overlay's own test.
  const line: { x: number; y: number }[] = [];
  for (const series of spec.series) {
    const pts = series.points.map((p) => ({ x: px(p.x), y: py(p.y) }));
    for (let k = 0; k + 1 < pts.length; k++) {
      const [a, b] = [pts[k]!, pts[k + 1]!];
      const steps = Math.max(1, Math.ceil(b.x - a.x));
      for (let s = 0; s <= steps; s++) line.push({ x: a.x + ((b.x - a.x) * s) / steps, y: a.y + ((b.y - a.y) * s) / steps });
    }
  }
  /** A label's box as drawn (textBox: 4 px beside the text, 9.5 px above and below its middle). */
  const box = (w: { x: number; y: number; width: number }) => ({ left: w.x - 4, right: w.x + w.width + 4, top: w.y - 9.5, bottom: w.y + 9.5 });
  const hides = (w: { x: number; y: number; width: number }) => {
    const b = box(w);
    return line.some((p) => p.x > b.left && p.x < b.right && p.y > b.top && p.y < b.bottom);
  };
  return { out, box, hides, py };
}

/** SPX/Gold as 2007–2012 drew it: from 2.3 down to a 2009 low near 0.73, then 0.74 to 0.86 all along the right. */
function fallThenFlat(levels = essayLevels('spx-gold')) {
  const from = '2007-01-01';
  const series = Array.from({ length: 2190 }, (_, i) => ({
    date: addDays(from, i),
    value: i < 800 ? 2.3 - (1.57 * i) / 800 : 0.74 + 0.12 * Math.abs(Math.sin(i / 90)),
  }));
  return ratioSpec({ pair: 'spx-gold', lang: 'zh-TW', palette: PALETTES.light, sources: 'test', stale: false, series, range: 'MAX', window: { from }, levels });
}

test('GIVEN the ratio running just above the 0.6–0.7 zone on the right THEN the zone’s label moves where it hides none of the line', () => {
  const { out, hides } = written(fallThenFlat());
  const zone = out.find((w) => w.text.startsWith('0.6–0.7'))!;
  expect(zone).toBeDefined();
  expect(hides(zone)).toBe(false);
});

test('GIVEN custom levels at 0.65 (inside the zone) and 2.45 (next to 2.5) THEN no two level labels overlap and none hides the line', () => {
  const spec = fallThenFlat([...essayLevels('spx-gold'), customLevel('spx-gold', 0.65), customLevel('spx-gold', 2.45)]);
  const { out, box, hides, py } = written(spec);
  const labels = out.filter((w) => /^\d+(\.\d+)?(–[\d.]+)? · /.test(w.text));
  expect(labels.map((l) => l.text.split(' · ')[0]).sort()).toEqual(['0.65', '0.6–0.7', '2.45', '2.5']);
  for (const [i, a] of labels.entries())
    for (const b of labels.slice(i + 1)) {
      const [p, q] = [box(a), box(b)];
      expect(p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom, `${a.text} / ${b.text}`).toBe(false);
    }
  for (const l of labels) expect(hides(l), l.text).toBe(false);
  // Nor does one sit on its own line (2.45, pushed down by 2.5's label, used to).
  const lineOf = (text: string) => py(Number(text.split(' · ')[0]!.split('–').at(-1)));
  for (const l of labels) {
    const b = box(l);
    expect(b.top < lineOf(l.text) + 1 && b.bottom > lineOf(l.text) - 1, l.text).toBe(false);
  }
});

test('GIVEN a level near the top of the plot (the digest keeps 2.5 in view) THEN its label is not pushed down onto its line, past the era names', () => {
  const series = Array.from({ length: 365 }, (_, i) => ({ date: addDays('2025-08-21', i), value: 1.5 + 0.7 * Math.abs(Math.sin(i / 120)) }));
  const spec = ratioSpec({
    pair: 'spx-gold',
    lang: 'zh-CN',
    palette: PALETTES.light,
    sources: 'test',
    stale: false,
    series,
    range: '1Y',
    levels: essayLevels('spx-gold'),
  });
  expect(spec.hlines.map((h) => h.value)).toEqual([2.5]);
  const { out, box, hides, py } = written(spec);
  const label = out.find((w) => w.text.startsWith('2.5 · '))!;
  const b = box(label);
  expect(b.top < py(2.5) + 1 && b.bottom > py(2.5) - 1).toBe(false);
  expect(b.top).toBeGreaterThanOrEqual(74 + 41);
  expect(hides(label)).toBe(false);
});

describeWithHistory('an alert chart on the real closes', () => {
  test('GIVEN the break of 2.5 on 2024-02-28, after February’s peaks just above it THEN the marker’s label hides none of them', () => {
    const spx = new Map(readHistoryCsv('spx_daily.csv', 'stooq', '2023-01-01').map((r) => [r.date, r.close]));
    const series = readHistoryCsv('gold_daily.csv', 'lbma', '2023-01-01')
      .filter((g) => spx.has(g.date))
      .map((g) => ({ date: g.date, value: spx.get(g.date)! / g.close }));
    const level = essayLevels('spx-gold').find((l) => l.id === 'spx-gold-2.5')!;
    const value = series.find((p) => p.date === '2024-02-28')!.value;
    const spec = alertSpec({
      pair: 'spx-gold',
      lang: 'en',
      palette: PALETTES.light,
      sources: 'test',
      stale: false,
      series,
      level,
      levels: essayLevels('spx-gold'),
      date: '2024-02-28',
      value,
      event: 'cross-up',
    });
    const { out, hides } = written(spec);
    const label = out.find((w) => w.text.startsWith('Break 2024-02-28'))!;
    expect(label).toBeDefined();
    expect(hides(label)).toBe(false);
  });
});

test('GIVEN several lines (the power chart) THEN the base line’s label keeps off every one of them, not only the first', () => {
  // The first line runs high and clear; the second ends just above 100, under where the label would go on the right.
  const xs = Array.from({ length: 200 }, (_, i) => i);
  const spec = {
    ...fallThenFlat(),
    y: { type: 'linear', min: 80, max: 130, ticks: [], position: 'left' },
    x: { type: 'linear', min: 0, max: 199, ticks: [] },
    series: [
      { label: 'high', points: xs.map((x) => ({ x, y: 125 })), color: '#000', width: 2 },
      { label: 'rising', points: xs.map((x) => ({ x, y: 90 + x / 16 })), color: '#000', width: 2 },
    ],
    hlines: [{ value: 100, label: 'base = 100', color: '#888', width: 1.5, dash: [4, 4] }],
    hbands: [],
    vbands: [],
    markers: [],
    latest: undefined,
  } satisfies ChartSpec;
  const { out, hides } = written(spec);
  const label = out.find((w) => w.text === 'base = 100')!;
  expect(label).toBeDefined();
  expect(hides(label)).toBe(false);
});
