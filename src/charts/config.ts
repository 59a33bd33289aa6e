/** ChartSpec → Chart.js configuration. Pure: no canvas here, only options and the overlay plugin. */
import type { ChartConfiguration, Scale, ScriptableScaleContext } from 'chart.js';
import type { ChartSpec, Tick } from './spec.ts';
import { FOOTER_HEIGHT, LATEST_TAG_HALF, NOTE_LINE, TITLE_HEIGHT, overlayPlugin, type LevelLabelLayout, type MarkerLabelLayout } from './overlay.ts';
import { font, fontFamily } from './fonts.ts';
import { SIDE_MARGIN, edgePadding } from './axis.ts';

function fixedTicks(ticks: readonly Tick[]) {
  const labels = new Map(ticks.map((t) => [t.value, t.label]));
  return {
    // Our own ticks (dates on an epoch-day axis, 1-2-5 on a log axis) replace Chart.js's.
    afterBuildTicks: (scale: Scale) => {
      scale.ticks = ticks.map((t) => ({ value: t.value }));
    },
    callback: (value: number | string) => labels.get(Number(value)) ?? '',
  };
}

/** Half a y tick label's height at the tick font (13 px), with a pixel to spare. */
const TICK_LABEL_HALF = 8;

/**
 * The y tick labels' colour: transparent for a label the latest-value tag would cover (the tag sits
 * on the axis at the last value and shows that value, so it takes the label's place; half a label
 * peeking out beside it reads as a different number). Resolved at draw time, after the layout.
 */
function yTickColor(spec: ChartSpec): string | ((c: ScriptableScaleContext) => string) {
  const latest = spec.latest;
  if (latest === undefined) return spec.palette.muted;
  return (c) => {
    const y = c.chart.scales.y;
    if (y === undefined || c.tick === undefined) return spec.palette.muted;
    const apart = Math.abs(y.getPixelForValue(c.tick.value) - y.getPixelForValue(latest.y));
    return apart < LATEST_TAG_HALF + TICK_LABEL_HALF ? 'rgba(0, 0, 0, 0)' : spec.palette.muted;
  };
}

/**
 * The y axis's least width for the latest-value tag, which sits on the axis (2 px right of the plot,
 * its text and 6 px either side): ticks of one digit ("1" … "6") make an axis narrower than
 * "1.044", and the tag ran off the image's right edge. Measured at layout time, in the tag's font.
 */
function latestTagRoom(spec: ChartSpec, scale: Scale): number {
  if (spec.latest === undefined || spec.y.position !== 'right') return 0;
  const ctx = scale.ctx;
  ctx.save();
  ctx.font = font(13, 700, spec.lang);
  const w = ctx.measureText(spec.latest.label).width;
  ctx.restore();
  return 2 + w + 12;
}

/**
 * Room beside the x axis for its first and last tick labels, so that neither touches the image's
 * sides (edgePadding): measured at layout time, in the tick font.
 */
function edgeRoom(spec: ChartSpec, scale: Scale): void {
  const ticks = spec.x.ticks;
  const first = ticks[0];
  const last = ticks.at(-1);
  const span = spec.x.max - spec.x.min;
  if (first === undefined || last === undefined || !(span > 0)) return;
  const ctx = scale.ctx;
  ctx.save();
  ctx.font = font(13, 400, spec.lang);
  const left = edgePadding((first.value - spec.x.min) / span, ctx.measureText(first.label).width, scale.maxWidth);
  const right = edgePadding((spec.x.max - last.value) / span, ctx.measureText(last.label).width, scale.maxWidth);
  ctx.restore();
  scale.paddingLeft = Math.max(scale.paddingLeft, left);
  scale.paddingRight = Math.max(scale.paddingRight, right);
}

/** `layout` and `markerLayout` receive where the level and marker labels went (see overlayPlugin). */
export function chartConfig(
  spec: ChartSpec,
  layout?: LevelLabelLayout[],
  markerLayout?: MarkerLabelLayout[],
): ChartConfiguration<'line', { x: number; y: number }[]> {
  const p = spec.palette;
  const x = fixedTicks(spec.x.ticks);
  const y = fixedTicks(spec.y.ticks);
  const tickFont = { family: fontFamily(spec.lang), size: 13 };
  return {
    type: 'line',
    data: {
      datasets: spec.series.map((s) => ({
        label: s.label,
        data: s.points as { x: number; y: number }[],
        borderColor: s.color,
        borderWidth: s.width,
        borderDash: s.dash ? [...s.dash] : [],
        pointRadius: 0,
        tension: 0,
        fill: false,
        spanGaps: true,
      })),
    },
    options: {
      animation: false,
      responsive: false,
      maintainAspectRatio: false,
      devicePixelRatio: 1,
      events: [],
      parsing: false,
      normalized: true,
      color: p.text,
      layout: {
        padding: {
          top: TITLE_HEIGHT,
          bottom: FOOTER_HEIGHT + spec.notes.length * NOTE_LINE,
          // The plot may start 16 px in; on the right the y axis, its labels and the latest-value tag
          // (which ends where the axis does) keep the side margin the title and footer keep.
          left: 16,
          right: SIDE_MARGIN + spec.rightPad,
        },
      },
      plugins: {},
      scales: {
        x: {
          type: 'linear',
          min: spec.x.min,
          max: spec.x.max,
          bounds: 'data',
          afterBuildTicks: x.afterBuildTicks,
          afterFit: (scale: Scale) => edgeRoom(spec, scale),
          ticks: { callback: x.callback, autoSkip: false, maxRotation: 0, color: p.muted, font: tickFont },
          grid: { color: p.grid },
          border: { color: p.grid },
        },
        y: {
          type: spec.y.type,
          position: spec.y.position,
          min: spec.y.min,
          max: spec.y.max,
          bounds: 'data',
          afterBuildTicks: y.afterBuildTicks,
          afterFit: (scale: Scale) => void (scale.width = Math.max(scale.width, spec.y.width ?? 0, latestTagRoom(spec, scale))),
          ticks: { callback: y.callback, autoSkip: false, color: yTickColor(spec), font: tickFont, padding: 8 },
          grid: { color: p.grid },
          border: { color: p.grid },
        },
      },
    },
    plugins: [overlayPlugin(spec, layout, markerLayout)],
  };
}
