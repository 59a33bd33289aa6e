/** Draws a ChartSpec with Chart.js on an @napi-rs/canvas and encodes a PNG. The only canvas owner. */
import { createCanvas } from '@napi-rs/canvas';
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

export async function renderSpec(spec: ChartSpec): Promise<Rendered> {
  ensureFonts(spec.lang, textOf(spec));
  const canvas = createCanvas(WIDTH, HEIGHT);
  const ctx = canvas.getContext('2d');
  // Chart.js picks its BasicPlatform outside a browser: it draws once, synchronously, here.
  const levelLabels: LevelLabelLayout[] = [];
  const markerLabels: MarkerLabelLayout[] = [];
  const chart = new Chart(ctx as unknown as ChartItem, chartConfig(spec, levelLabels, markerLabels));
  try {
    const axes = { x: placement(chart.scales.x!, 'linear'), y: placement(chart.scales.y!, spec.y.type) };
    const { left, right, top, bottom } = chart.chartArea;
    const png = await encodePng(canvas.data(), WIDTH, HEIGHT);
    return { png, axes, chartArea: { left, right, top, bottom }, levelLabels, markerLabels };
  } finally {
    chart.destroy();
  }
}

/** Several specs stacked top to bottom in one PNG (the digest: one panel per ratio). */
export async function renderStack(specs: readonly ChartSpec[]): Promise<{ png: Buffer }> {
  for (const spec of specs) ensureFonts(spec.lang, textOf(spec));
  const canvas = createCanvas(WIDTH, HEIGHT * specs.length);
  const ctx = canvas.getContext('2d');
  specs.forEach((spec, i) => {
    const panel = createCanvas(WIDTH, HEIGHT);
    const chart = new Chart(panel.getContext('2d') as unknown as ChartItem, chartConfig(spec));
    try {
      ctx.drawImage(panel, 0, i * HEIGHT);
    } finally {
      chart.destroy();
    }
  });
  return { png: await encodePng(canvas.data(), WIDTH, HEIGHT * specs.length) };
}
