/**
 * A chat's own level a few pixels from an essay's (or from a zone's edge), on the real history: no
 * level label is drawn across another level's line where there is room beside it, read back from
 * the PNG. Each line near a label (within 30 px of its centre) still shows its own colour along the
 * label's whole width, which a label's background drawn over it would wash out (the essay's 0.25
 * label once sat across a chat's dotted 0.2444, 8 px under it, on the QQQ/Gold 10-year chart).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ChartService } from '../../src/charts/service.ts';
import { renderSpec } from '../../src/charts/render.ts';
import { pixelOf, type AxisPlacement } from '../../src/charts/axis.ts';
import type { ChartRange } from '../../src/domain/chart-request.ts';
import type { PairId } from '../../src/domain/instruments.ts';
import { LANGS } from '../../src/domain/i18n/index.ts';
import { describeWithHistory } from '../helpers/history.ts';
import { decodePng, hexRgb, realHistoryCharts } from '../helpers/charts-fixtures.ts';

/** The value drawn at a pixel row (the inverse of pixelOf). */
function valueAt(a: AxisPlacement, px: number): number {
  const frac = (px - a.startPx) / (a.endPx - a.startPx);
  if (a.type === 'logarithmic') return 10 ** (Math.log10(a.min) + frac * (Math.log10(a.max) - Math.log10(a.min)));
  return a.min + frac * (a.max - a.min);
}

/**
 * Share of the columns [x0, x1) in which `rgb`, laid over the background at some strength, is what
 * a pixel of rows `rows` shows (the line's antialiased pixels are paler; the grey of texts and grid
 * is not a paler red, green or purple). A line under a label's 85% white background is not.
 */
function lineShare(img: { width: number; rgba: Uint8ClampedArray }, rows: readonly number[], x0: number, x1: number, rgb: readonly number[]): number {
  const [dr, dg, db] = rgb.map((c) => 255 - c) as [number, number, number];
  const norm = dr * dr + dg * dg + db * db;
  let hits = 0;
  for (let x = Math.ceil(x0); x < Math.floor(x1); x++) {
    const hit = rows.some((y) => {
      const i = (y * img.width + x) * 4;
      const d = [255 - img.rgba[i]!, 255 - img.rgba[i + 1]!, 255 - img.rgba[i + 2]!] as const;
      const strength = (d[0] * dr + d[1] * dg + d[2] * db) / norm;
      const off = Math.max(Math.abs(d[0] - strength * dr), Math.abs(d[1] - strength * dg), Math.abs(d[2] - strength * db));
      return strength >= 0.35 && off <= 30;
    });
    if (hit) hits++;
  }
  return hits / (Math.floor(x1) - Math.ceil(x0));
}

describeWithHistory('level labels off the other levels’ lines', () => {
  let charts: ChartService;
  let cleanup = () => {};
  beforeAll(async () => {
    ({ charts, cleanup } = await realHistoryCharts());
  });
  afterAll(() => cleanup());

  // An essay level (a zone's edge) and a chat's own level `px` pixels from it (negative: above).
  const cases: [PairId, ChartRange, number, number][] = [
    ['qqq-gold', '10Y', 0.25, 8],
    ['qqq-gold', '5Y', 0.25, 8],
    ['spx-gold', '10Y', 2.5, -8],
    ['spx-gold', '5Y', 0.7, -8],
  ];
  for (const [pair, range, essay, px] of cases)
    test(`GIVEN ${pair} ${range} with a chat’s own level ${Math.abs(px)} px ${px > 0 ? 'under' : 'above'} ${essay} THEN in every language each line near a label stays in view along it`, async () => {
      const plain = await renderSpec(await charts.spec({ kind: 'ratio', pair, range }, { lang: 'en', theme: 'light' }));
      const own = Number(valueAt(plain.axes.y, pixelOf(plain.axes.y, essay) + px).toPrecision(4));
      for (const lang of LANGS) {
        const spec = await charts.spec({ kind: 'ratio', pair, range, own: [own] }, { lang, theme: 'light' });
        const r = await renderSpec(spec);
        const img = await decodePng(r.png);
        const row = (v: number) => pixelOf(r.axes.y, v);
        const gap = Math.abs(row(own) - row(essay));
        expect(gap, `${lang}: the own level ${own} is ${gap.toFixed(1)} px from ${essay}`).toBeGreaterThan(6);
        expect(gap).toBeLessThan(10);
        const lines = [
          ...spec.hlines.map((l) => ({ name: l.label, at: row(l.value), color: l.color })),
          ...spec.hbands.flatMap((b) => [
            { name: `${b.label} (top)`, at: row(b.high), color: b.color },
            { name: `${b.label} (bottom)`, at: row(b.low), color: b.color },
          ]),
        ];
        expect(
          lines.some((l) => l.name.includes(String(own))),
          `${lang}: ${own} is drawn`,
        ).toBe(true);
        let near = 0;
        for (const label of r.levelLabels) {
          const centre = (label.box.top + label.box.bottom) / 2;
          for (const line of lines) {
            // Its own line (a zone's top) is where it belongs.
            if (Math.abs(line.at - label.line) < 1 || Math.abs(line.at - centre) > 30) continue;
            near++;
            const across = label.box.top < line.at + 1 && label.box.bottom > line.at - 1;
            expect(across, `${lang}: “${label.text}” is drawn across ${line.name}`).toBe(false);
            // Drawn at the pixel row it rounds to: a 1.5 px line covers that row and the one above.
            const rows = [Math.round(line.at) - 1, Math.round(line.at)];
            const share = lineShare(img, rows, label.box.left, label.box.right, hexRgb(line.color));
            expect(share, `${lang}: ${line.name} in view beside “${label.text}”`).toBeGreaterThan(0.25);
          }
        }
        // The essay's label and the chat's lie near each other's line: the check above ran.
        expect(near, lang).toBeGreaterThanOrEqual(1);
      }
    });
});
