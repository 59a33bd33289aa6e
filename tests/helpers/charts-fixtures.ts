/** Shared by the chart tests and bench: a real temp SQLite store seeded with closes, and the overlay drawn on a recording canvas. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { writeDatabase } from './sqlite-image.ts';
import { discardDb } from './discard-db.ts';
import { QuoteStore, type CloseRow } from '../../src/store/quotes.ts';
import { MarketView } from '../../src/store/market-view.ts';
import { onSqlite } from '../../src/store/engine.ts';
import type { InstrumentId } from '../../src/domain/instruments.ts';
import { addDays, toEpochDay } from '../../src/domain/dates.ts';
import { createCanvas } from '@napi-rs/canvas';
import { Chart, type ChartItem } from 'chart.js';
import { chartConfig } from '../../src/charts/config.ts';
// Registers the line chart's controllers and scales with Chart.js, as every render does.
import '../../src/charts/render.ts';
import type { ChartSpec } from '../../src/charts/spec.ts';
import { overlayPlugin } from '../../src/charts/overlay.ts';
import { ensureFonts, textOf } from '../../src/charts/fonts.ts';
import { ChartService } from '../../src/charts/service.ts';

import { HISTORY_DIR, hasHistory as historyPresent } from './history.ts';

/** Whether the real history is there (tests use describeWithHistory; the bench falls back to a walk). */
export const hasHistory = (): boolean => historyPresent;

export interface Fixture {
  readonly db: Db;
  readonly store: QuoteStore;
  readonly view: MarketView;
  cleanup(): void;
}

export function tempStore(): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-charts-'));
  const db = openDatabase(writeDatabase(join(dir, 'test.db')));
  const store = new QuoteStore(onSqlite(db));
  return {
    db,
    store,
    view: new MarketView(store),
    cleanup: () => discardDb(db, dir),
  };
}

export function readHistoryCsv(file: string, source: string, from = '1990-01-01'): CloseRow[] {
  const lines = readFileSync(join(HISTORY_DIR, file), 'utf8').trim().split('\n').slice(1);
  const rows: CloseRow[] = [];
  for (const line of lines) {
    const [date, close] = line.split(',');
    if (date !== undefined && date >= from && close !== undefined && Number.isFinite(Number(close))) rows.push({ date, close: Number(close), source });
  }
  return rows;
}

/** The real history (spx, qqq, gold, m2) from GOLDRATIO_HISTORY_DIR (tests/helpers/history.ts). */
export async function seedHistory(store: QuoteStore): Promise<void> {
  await store.upsertCloses('spx', readHistoryCsv('spx_daily.csv', 'stooq'));
  await store.upsertCloses('qqq', readHistoryCsv('qqq_daily.csv', 'stooq'));
  await store.upsertCloses('gold', readHistoryCsv('gold_daily.csv', 'lbma'));
  await store.upsertCloses('m2', readHistoryCsv('m2_monthly.csv', 'fred'));
}

/** A chart service over a temp store seeded with the real history, as of the files' last close (2026-08-21). */
export async function realHistoryCharts(): Promise<{ readonly charts: ChartService; cleanup(): void }> {
  const f = tempStore();
  await seedHistory(f.store);
  return { charts: new ChartService(f.view, { now: () => Date.parse('2026-08-21T22:00:00Z') }), cleanup: () => f.cleanup() };
}

/** Weekday dates from `from`, `n` of them. */
export function weekdays(from: string, n: number): string[] {
  const out: string[] = [];
  for (let d = from; out.length < n; d = addDays(d, 1)) {
    const dow = (toEpochDay(d) + 4) % 7; // 0 = Sunday
    if (dow !== 0 && dow !== 6) out.push(d);
  }
  return out;
}

/** Closes so that instrument/gold follows `ratio(i)` exactly, gold held at 1000. */
export async function seedRatio(store: QuoteStore, numerator: InstrumentId, dates: readonly string[], ratio: (i: number) => number): Promise<void> {
  await store.upsertCloses(
    'gold',
    dates.map((date) => ({ date, close: 1000, source: 'test' })),
  );
  await store.upsertCloses(
    numerator,
    dates.map((date, i) => ({ date, close: ratio(i) * 1000, source: 'test' })),
  );
}

/** Width and height from a PNG's IHDR, after checking the 8-byte signature. */
export function pngSize(png: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!png.subarray(0, 8).equals(signature)) throw new Error('not a PNG: bad signature');
  if (png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG: first chunk is not IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Decoded RGBA pixels of a PNG (decoded by the canvas library, independent of how it was drawn). */
export async function decodePng(png: Buffer): Promise<{ width: number; height: number; rgba: Uint8ClampedArray }> {
  const { createCanvas, loadImage } = await import('@napi-rs/canvas');
  const img = await loadImage(png);
  const c = createCanvas(img.width, img.height);
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0);
  return { width: img.width, height: img.height, rgba: ctx.getImageData(0, 0, img.width, img.height).data };
}

export function hexRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/**
 * The largest share of a plot row (rows 80-559, columns 30-1099 of a 1200×630 chart) drawn in a
 * chat's-own purple (its dotted line: about 0.4; none: 0), read from the PNG a platform was sent.
 * Told by hue, not nearness to one colour: antialiased, the line is a paler purple, while the grey of
 * the axis labels lies as near the purple as that; no other colour of the chart has red and blue both
 * well above green (the data line's blue, the levels' red and green, the greys).
 */
export async function ownLineShare(png: Buffer): Promise<number> {
  const img = await decodePng(png);
  let most = 0;
  for (let y = 80; y < 560; y++) {
    let n = 0;
    for (let x = 30; x < 1100; x++) {
      const i = (y * img.width + x) * 4;
      const g = img.rgba[i + 1]!;
      if (img.rgba[i]! - g > 30 && img.rgba[i + 2]! - g > 50) n++;
    }
    most = Math.max(most, n / 1070);
  }
  return most;
}

/** Share of pixels in row `y`, columns [x0, x1), within `tolerance` (max channel difference) of `rgb`. */
export function rowShare(img: { width: number; rgba: Uint8ClampedArray }, y: number, x0: number, x1: number, rgb: readonly number[], tolerance = 60): number {
  let hits = 0;
  for (let x = x0; x < x1; x++) {
    const i = (y * img.width + x) * 4;
    const d = Math.max(Math.abs(img.rgba[i]! - rgb[0]!), Math.abs(img.rgba[i + 1]! - rgb[1]!), Math.abs(img.rgba[i + 2]! - rgb[2]!));
    if (d <= tolerance) hits++;
  }
  return hits / (x1 - x0);
}

/** A text the overlay wrote: where it starts, and its width at the font it was drawn in. */
export interface WrittenText {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
}

/**
 * Runs the overlay's `hook` for `spec` on a real 1200×630 canvas, through a context that records
 * every text written: a Chart.js chart is only its plot area (15–1140 × 74–570) and linear scales
 * over the spec's x and y here. Returns the texts in the order written, and the scales.
 */
export function drawOverlay(
  spec: ChartSpec,
  hook: 'afterDraw' | 'afterDatasetsDraw',
): { out: WrittenText[]; px: (v: number) => number; py: (v: number) => number } {
  ensureFonts(spec.lang, textOf(spec));
  const real = createCanvas(1200, 630).getContext('2d');
  const out: WrittenText[] = [];
  const ctx = new Proxy(real, {
    get(target, key) {
      if (key === 'fillText')
        return (text: string, x: number, y: number) => {
          out.push({ text, x, y, width: target.measureText(text).width });
          target.fillText(text, x, y);
        };
      const v = Reflect.get(target, key, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
    set: (target, key, value) => Reflect.set(target, key, value, target),
  });
  const plot = { left: 15, right: 1140, top: 74, bottom: 570 };
  const px = (v: number) => plot.left + ((v - spec.x.min) / (spec.x.max - spec.x.min)) * (plot.right - plot.left);
  const py = (v: number) => plot.bottom - ((v - spec.y.min) / (spec.y.max - spec.y.min)) * (plot.bottom - plot.top);
  const chart = { ctx, chartArea: plot, scales: { x: { getPixelForValue: px }, y: { getPixelForValue: py } } } as unknown as Chart;
  (overlayPlugin(spec)[hook] as (c: Chart) => void)(chart);
  return { out, px, py };
}

/** A text as drawn on the whole chart (Chart.js's ticks too): its glyph box, from its font size, alignment, baseline and the transform. */
export interface DrawnText {
  readonly text: string;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/**
 * Draws `spec` with Chart.js as render.ts does, through a context that records every visible text
 * (a tick label made transparent under the latest-value tag is not seen, so not counted).
 */
export function drawnTexts(spec: ChartSpec): DrawnText[] {
  return drawnMarks(spec).texts;
}

/**
 * drawnTexts, and the latest-value tag's box as drawn (the filled rectangle in the tag's colour,
 * the only one the overlay fills in the line's colour): undefined for a chart without one.
 */
export function drawnMarks(spec: ChartSpec): { texts: DrawnText[]; latestTag: Omit<DrawnText, 'text'> | undefined } {
  ensureFonts(spec.lang, textOf(spec));
  const canvas = createCanvas(1200, 630);
  const real = canvas.getContext('2d');
  const out: DrawnText[] = [];
  let latestTag: Omit<DrawnText, 'text'> | undefined;
  const ctx: unknown = new Proxy(real, {
    get(target, key) {
      if (key === 'fillRect')
        return (x: number, y: number, w: number, h: number) => {
          const m = target.getTransform();
          if (spec.latest !== undefined && String(target.fillStyle).toLowerCase() === spec.latest.color.toLowerCase())
            latestTag = { left: x + m.e, right: x + w + m.e, top: y + m.f, bottom: y + h + m.f };
          target.fillRect(x, y, w, h);
        };
      if (key === 'fillText')
        return (text: string, x: number, y: number) => {
          const w = target.measureText(text).width;
          const size = Number(/(\d+)px/.exec(target.font)?.[1] ?? 12);
          const left = target.textAlign === 'right' || target.textAlign === 'end' ? x - w : target.textAlign === 'center' ? x - w / 2 : x;
          const top = target.textBaseline === 'middle' ? y - size / 2 : target.textBaseline === 'top' ? y : y - size * 0.8;
          const m = target.getTransform();
          if (text.trim() !== '' && String(target.fillStyle) !== 'rgba(0, 0, 0, 0)')
            out.push({ text, left: left + m.e, right: left + w + m.e, top: top + m.f, bottom: top + size + m.f });
          target.fillText(text, x, y);
        };
      if (key === 'canvas') return item;
      const v = Reflect.get(target, key, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
    set: (target, key, value) => Reflect.set(target, key, value, target),
  });
  // Chart.js reaches the context through its canvas: one that hands out the recording context.
  const item: unknown = new Proxy(canvas, {
    get(target, key) {
      if (key === 'getContext') return () => ctx;
      const v = Reflect.get(target, key, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
    set: (target, key, value) => Reflect.set(target, key, value, target),
  });
  new Chart(item as ChartItem, chartConfig(spec)).destroy();
  return { texts: out, latestTag };
}
