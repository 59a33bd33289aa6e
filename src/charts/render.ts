/** Draws a ChartSpec with Chart.js on an @napi-rs/canvas and encodes a PNG. The only canvas owner. */
import { type Canvas, createCanvas } from '@napi-rs/canvas';
import { Chart, type ChartItem, LineController, LineElement, LinearScale, LogarithmicScale, PointElement } from 'chart.js';
import type { ChartSpec } from './spec.ts';
import { HEIGHT, WIDTH } from './spec.ts';
import { chartConfig } from './config.ts';
import { ensureFonts, textOf } from './fonts.ts';
import { encodePng } from './png.ts';
import type { AxisPlacement } from './axis.ts';
import type { LevelLabelLayout, MarkerLabelLayout } from './overlay.ts';

// Only what a line chart on linear/log axes needs: a smaller Chart.js does less per render.
Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale);

export interface Rendered {
  readonly png: Buffer;
  /** Where each axis landed: tests map a level's value to its pixel row with `pixelOf`. */
  readonly axes: { readonly x: AxisPlacement; readonly y: AxisPlacement };
  readonly chartArea: { readonly left: number; readonly right: number; readonly top: number; readonly bottom: number };
  /** Where the level labels went, as the overlay computed it. */
  readonly levelLabels: readonly LevelLabelLayout[];
  /** Where each marker's label went. */
  readonly markerLabels: readonly MarkerLabelLayout[];
}

function placement(scale: Chart['scales'][string], type: AxisPlacement['type']): AxisPlacement {
  return { type, min: scale.min, max: scale.max, startPx: scale.getPixelForValue(scale.min), endPx: scale.getPixelForValue(scale.max) };
}

/**
 * One canvas per height, drawn over by every render in this thread. A canvas's pixels (3 MB at
 * 1200×630) live outside V8's heap until its object is collected, and V8 answers that much
 * external memory with a collection: a new canvas per render (three for a two-panel digest, then
 * the pixels' copy and the PNG's rows) cost a full garbage collection every render or two, as
 * much CPU as the drawing itself in a process with a large heap (a test worker; the bot too). Safe
 * to share: a chart is drawn and its pixels copied out synchronously, before any await, and every
 * chart paints its whole area opaque first (overlay beforeDraw); the context's state is saved
 * before and restored after, so nothing one chart set reaches the next.
 */
const canvases = new Map<number, Canvas>();
function canvasOf(height: number): Canvas {
  let canvas = canvases.get(height);
  if (canvas === undefined) canvases.set(height, (canvas = createCanvas(WIDTH, height)));
  return canvas;
}

/** Draws `spec` on `canvas` (its top WIDTH×HEIGHT), hands the live chart to `read`, and destroys it. */
function draw<T>(
  canvas: Canvas,
  spec: ChartSpec,
  levelLabels: LevelLabelLayout[] | undefined,
  markerLabels: MarkerLabelLayout[] | undefined,
  read: (chart: Chart) => T,
): T {
  const ctx = canvas.getContext('2d');
  ctx.save();
  try {
    // Chart.js picks its BasicPlatform outside a browser: it draws once, synchronously, here.
    const chart = new Chart(ctx as unknown as ChartItem, chartConfig(spec, levelLabels, markerLabels));
    try {
      return read(chart);
    } finally {
      chart.destroy();
    }
  } finally {
    ctx.restore();
  }
}

export async function renderSpec(spec: ChartSpec): Promise<Rendered> {
  ensureFonts(spec.lang, textOf(spec));
  const canvas = canvasOf(HEIGHT);
  const levelLabels: LevelLabelLayout[] = [];
  const markerLabels: MarkerLabelLayout[] = [];
  const { axes, chartArea, pixels } = draw(canvas, spec, levelLabels, markerLabels, (chart) => {
    const { left, right, top, bottom } = chart.chartArea;
    return {
      axes: { x: placement(chart.scales.x!, 'linear'), y: placement(chart.scales.y!, spec.y.type) },
      chartArea: { left, right, top, bottom },
      pixels: canvas.data(),
    };
  });
  const png = await encodePng(pixels, WIDTH, HEIGHT);
  return { png, axes, chartArea, levelLabels, markerLabels };
}

/** Several specs stacked top to bottom in one PNG (the digest: one panel per ratio). */
export async function renderStack(specs: readonly ChartSpec[]): Promise<{ png: Buffer }> {
  for (const spec of specs) ensureFonts(spec.lang, textOf(spec));
  const canvas = canvasOf(HEIGHT * specs.length);
  const ctx = canvas.getContext('2d');
  // A one-panel stack needs a panel canvas besides: a chart's destroy clears the canvas it was drawn on.
  const panel = specs.length === 1 ? createCanvas(WIDTH, HEIGHT) : canvasOf(HEIGHT);
  specs.forEach((spec, i) => {
    draw(panel, spec, undefined, undefined, () => ctx.drawImage(panel, 0, i * HEIGHT));
  });
  return { png: await encodePng(canvas.data(), WIDTH, HEIGHT * specs.length) };
}
