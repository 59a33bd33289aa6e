/** ChartSpec → Chart.js configuration. Pure: no canvas here, only options and the overlay plugin. */
import type { ChartConfiguration, Scale } from 'chart.js';
import type { ChartSpec, Tick } from './spec.ts';
import { FOOTER_HEIGHT, NOTE_LINE, TITLE_HEIGHT, overlayPlugin } from './overlay.ts';
import { FONT_FAMILY } from './fonts.ts';

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

export function chartConfig(spec: ChartSpec): ChartConfiguration<'line', { x: number; y: number }[]> {
  const p = spec.palette;
  const x = fixedTicks(spec.x.ticks);
  const y = fixedTicks(spec.y.ticks);
  const tickFont = { family: FONT_FAMILY, size: 13 };
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
          left: 16,
          right: 16 + spec.rightPad,
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
          ticks: { callback: y.callback, autoSkip: false, color: p.muted, font: tickFont, padding: 8 },
          grid: { color: p.grid },
          border: { color: p.grid },
        },
      },
    },
    plugins: [overlayPlugin(spec)],
  };
}
