/**
 * The overlay's era names, drawn on a real canvas through a context that records what is written
 * where: a Chart.js chart is only its plot area and scales here.
 */
import { expect, test } from 'vitest';
import { createCanvas } from '@napi-rs/canvas';
import type { Chart } from 'chart.js';
import { overlayPlugin } from '../../src/charts/overlay.ts';
import { ratioSpec } from '../../src/charts/spec-ratio.ts';
import { PALETTES } from '../../src/charts/theme.ts';
import { ensureFonts } from '../../src/charts/fonts.ts';
import { addDays, toEpochDay } from '../../src/domain/dates.ts';
import { essayLevels } from '../../src/domain/levels.ts';

/** The era names a chart from `from` to 2026 shows, with where each starts. */
function eraNames(from: string): { text: string; x: number; y: number }[] {
  ensureFonts('en');
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

test('GIVEN a chart starting late in an era THEN that narrow era at the left goes unnamed', () => {
  expect(eraNames('2024-11-01').map((n) => n.text)).toEqual(['2025– monetary reset']);
});
