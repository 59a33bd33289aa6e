/**
 * A Chart.js plugin that draws what Chart.js has no element for: background, eras, levels and
 * their labels, markers, the latest-value tag, end labels, title, margin notes and footer.
 * It only uses the 2D context Chart.js hands it; every position comes from the chart's scales.
 */
import type { Chart, Plugin } from 'chart.js';
import type { SKRSContext2D } from '@napi-rs/canvas';
import type { ChartSpec } from './spec.ts';
import { HEIGHT, WIDTH } from './spec.ts';
import { font } from './fonts.ts';
import type { Lang } from '../domain/i18n/index.ts';
import { labelBox, lineCrossesBox, placeLabels, placeMarkerLabel, pointsUnder, spreadApart, type Box } from './label-layout.ts';
import { noteLine } from './note-layout.ts';
import { SIDE_MARGIN } from './axis.ts';

type Ctx = SKRSContext2D;

export const TITLE_HEIGHT = 74;
export const FOOTER_HEIGHT = 30;
export const NOTE_LINE = 20;
/** Half the latest-value tag's height: the tag is 22 px tall, centred on the last value. */
export const LATEST_TAG_HALF = 11;

function textBox(ctx: Ctx, text: string, x: number, y: number, align: 'left' | 'right', color: string, bg: string, size = 13, lang?: Lang): void {
  ctx.font = font(size, 400, lang);
  const w = ctx.measureText(text).width;
  const left = align === 'left' ? x : x - w;
  ctx.fillStyle = bg;
  ctx.fillRect(left - 4, y - size / 2 - 3, w + 8, size + 6);
  ctx.fillStyle = color;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, left, y);
}

/** Shortens `text` with an ellipsis to fit `max` pixels at the current font. */
function fit(ctx: Ctx, text: string, max: number): string {
  if (ctx.measureText(text).width <= max) return text;
  let s = text;
  while (s.length > 1 && ctx.measureText(`${s}…`).width > max) s = s.slice(0, -1);
  return `${s}…`;
}

/** Where the overlay put each level label, and how many plotted points its box covers (tests read it). */
export interface LevelLabelLayout {
  readonly text: string;
  readonly box: Box;
  /** The pixel row of the label's level line (a zone's: its top). */
  readonly line: number;
  readonly covers: number;
  /** The fill behind its text: see-through where it covers data. */
  readonly background: string;
}

/** Where the overlay put a marker's label (tests read it). */
export interface MarkerLabelLayout {
  readonly text: string;
  readonly box: Box;
}

/** `layout`, when given, receives the level labels as placed on each draw; `markerLayout` the markers' labels. */
export function overlayPlugin(spec: ChartSpec, layout?: LevelLabelLayout[], markerLayout?: MarkerLabelLayout[]): Plugin<'line'> {
  const p = spec.palette;
  return {
    id: 'goldratio-overlay',
    beforeDraw(chart: Chart) {
      const ctx = chart.ctx as unknown as Ctx;
      ctx.save();
      ctx.fillStyle = p.background;
      ctx.fillRect(0, 0, WIDTH, HEIGHT);
      ctx.restore();
    },
    beforeDatasetsDraw(chart: Chart) {
      const ctx = chart.ctx as unknown as Ctx;
      const { left, right, top, bottom } = chart.chartArea;
      const x = chart.scales.x!;
      const y = chart.scales.y!;
      ctx.save();
      ctx.beginPath();
      ctx.rect(left, top, right - left, bottom - top);
      ctx.clip();
      for (const b of spec.vbands) {
        ctx.fillStyle = b.fill;
        const x0 = x.getPixelForValue(b.from);
        ctx.fillRect(x0, top, x.getPixelForValue(b.to) - x0, bottom - top);
      }
      for (const b of spec.hbands) {
        const y0 = y.getPixelForValue(b.high);
        const y1 = y.getPixelForValue(b.low);
        ctx.fillStyle = b.fill;
        ctx.fillRect(left, y0, right - left, y1 - y0);
        ctx.strokeStyle = b.color;
        ctx.lineWidth = 1;
        ctx.setLineDash([]);
        ctx.beginPath();
        ctx.moveTo(left, Math.round(y0) + 0.5);
        ctx.lineTo(right, Math.round(y0) + 0.5);
        ctx.moveTo(left, Math.round(y1) + 0.5);
        ctx.lineTo(right, Math.round(y1) + 0.5);
        ctx.stroke();
      }
      for (const l of spec.hlines) {
        // Rounded to the pixel row so that a thin line is crisp (and testable at that row).
        const py = Math.round(y.getPixelForValue(l.value)) + (l.width % 2 === 1 ? 0.5 : 0);
        ctx.strokeStyle = l.color;
        ctx.lineWidth = l.width;
        ctx.setLineDash(l.dash ? [...l.dash] : []);
        ctx.beginPath();
        ctx.moveTo(left, py);
        ctx.lineTo(right, py);
        ctx.stroke();
      }
      ctx.setLineDash([]);
      for (const m of spec.markers) {
        const px = x.getPixelForValue(m.x);
        ctx.strokeStyle = m.color;
        ctx.lineWidth = 1;
        ctx.setLineDash([3, 3]);
        ctx.beginPath();
        ctx.moveTo(px, top);
        ctx.lineTo(px, bottom);
        ctx.stroke();
      }
      ctx.restore();
    },
    afterDatasetsDraw(chart: Chart) {
      const ctx = chart.ctx as unknown as Ctx;
      const { left, right, top, bottom } = chart.chartArea;
      const x = chart.scales.x!;
      const y = chart.scales.y!;
      ctx.save();
      // Era names along the top of the plot, where the y range keeps room for them.
      ctx.font = font(12, 400, spec.lang);
      ctx.textBaseline = 'middle';
      for (const b of spec.vbands) {
        const x0 = x.getPixelForValue(b.from);
        const x1 = x.getPixelForValue(b.to);
        // An era's name starts 6 px into it, yet never nearer the image's side than the title (the
        // plot itself starts 16 px in: the first era's name sat 22 px from the edge).
        const start = Math.max(x0 + 6, SIDE_MARGIN);
        if (ctx.measureText(b.label).width <= x1 - start - 6) {
          ctx.fillStyle = p.eraText;
          ctx.textAlign = 'left';
          ctx.fillText(b.label, start, top + 12);
        } else if (x1 - x0 >= 16 && x1 >= right - 1) {
          // The current era is narrow on a long chart (2025-): its name on a second row, ending at the
          // plot's right edge.
          textBox(ctx, b.label, x1 - 6, top + 32, 'right', p.eraText, p.labelBackground, 12, spec.lang);
        } else if (x1 - x0 >= 16) {
          // A narrow era inside the plot (1999-2002 on a chart from 1990), or at its left (a chart starting
          // late in it: 2011 on /power 2011 2020, the gold era's last year): its name on the second row,
          // starting where it starts. Unnamed, the shaded strip said nothing of what it was.
          textBox(ctx, fit(ctx, b.label, right - start - 6), start, top + 32, 'left', p.eraText, p.labelBackground, 12, spec.lang);
        }
      }
      // Level labels, inside the plot just above their line, on the side away from any marker; a
      // label that would hide the data line goes where it hides none (see placeLabels).
      const mid = (left + right) / 2;
      const labelsLeft = spec.markers.some((m) => x.getPixelForValue(m.x) > mid);
      const labels = [
        ...spec.hlines.map((l) => ({ text: l.label, color: l.color, line: y.getPixelForValue(l.value) })),
        ...spec.hbands.map((b) => ({ text: b.label, color: b.color, line: y.getPixelForValue(b.high) })),
      ];
      // Below the era names (and a narrow era's second row).
      const ys = spreadApart(
        labels.map((l) => l.line - 11),
        20,
        top + 50,
        bottom - 10,
      );
      ctx.font = font(13, 400, spec.lang);
      const texts = labels.map((l) => fit(ctx, l.text, right - left - 40));
      // Every line drawn: the power chart's six, not only its first.
      const crossesData = (box: Box) =>
        spec.series.some((s) =>
          lineCrossesBox(
            s.points,
            box,
            (v) => x.getPixelForValue(v),
            (v) => y.getPixelForValue(v),
          ),
        );
      // A marker under a label would hide what the chart is about: it weighs as many points.
      const markerBoxes = spec.markers.map((m) => {
        const mx = x.getPixelForValue(m.x);
        const my = y.getPixelForValue(m.y);
        return { left: mx - 9, right: mx + 9, top: my - 9, bottom: my + 9 };
      });
      const hidesMarker = (box: Box) => markerBoxes.some((m) => m.left < box.right && box.left < m.right && m.top < box.bottom && box.top < m.bottom);
      const coveredData = (box: Box) =>
        (hidesMarker(box) ? 1000 : 0) +
        spec.series.reduce(
          (n, s) =>
            n +
            pointsUnder(
              s.points,
              box,
              (v) => x.getPixelForValue(v),
              (v) => y.getPixelForValue(v),
            ),
          0,
        );
      const widths = texts.map((text) => ctx.measureText(text).width);
      // Every level line and zone edge: a label kept off the others where it has room (a chat's own
      // level a few pixels from an essay's).
      const lineRows = [...spec.hlines.map((l) => l.value), ...spec.hbands.flatMap((b) => [b.high, b.low])].map((v) => y.getPixelForValue(v));
      const placed = placeLabels(
        widths.map((width, i) => ({ width, y: ys[i]!, line: labels[i]!.line })),
        { left, right, top: top + 50, bottom: bottom - 10 },
        labelsLeft ? 'left' : 'right',
        // Beside a marker, the other side is its label's: a level's label stays off it.
        spec.markers.length === 0,
        coveredData,
        lineRows,
      );
      const levelBoxes = placed.map((pl, i) => labelBox(pl.x, pl.y, widths[i]!, pl.align));
      // Where every place covers data, the line stays in view through the label's background.
      const backgrounds = placed.map((pl) => (pl.covers > 0 ? p.labelBackgroundOverData : p.labelBackground));
      if (layout !== undefined) {
        layout.length = 0;
        layout.push(
          ...placed.map((pl, i) => ({ text: texts[i]!, box: levelBoxes[i]!, line: labels[i]!.line, covers: pl.covers, background: backgrounds[i]! })),
        );
      }
      labels.forEach((l, i) => textBox(ctx, texts[i]!, placed[i]!.x, placed[i]!.y, placed[i]!.align, l.color, backgrounds[i]!, 13, spec.lang));

      // The level lines and a zone's edges: a marker's label drawn across one hides the very level
      // the alert is about (a break just under 0.25 near the plot's foot, its label pushed up onto it).
      const levelRows = lineRows.map((row) => ({ left, right, top: row - 1, bottom: row + 1 }));
      if (markerLayout !== undefined) markerLayout.length = 0;
      for (const m of spec.markers) {
        const px = x.getPixelForValue(m.x);
        const py = y.getPixelForValue(m.y);
        ctx.beginPath();
        ctx.arc(px, py, 7, 0, Math.PI * 2);
        ctx.fillStyle = p.background;
        ctx.fill();
        ctx.lineWidth = 3;
        ctx.strokeStyle = m.color;
        ctx.stroke();
        const onRight = px < (left + right) / 2;
        const ly = m.labelBelow === true ? (py + 26 > bottom - 10 ? py - 24 : py + 26) : py - 24 < top + 30 ? py + 26 : py - 24;
        ctx.font = font(14, 400, spec.lang);
        const at = placeMarkerLabel(
          px,
          py,
          ctx.measureText(m.label).width,
          { x: onRight ? px + 12 : px - 12, y: ly, align: onRight ? 'left' : 'right' },
          { left, right, top: top + 20, bottom: bottom - 1 },
          [...levelBoxes, ...levelRows, { left: px - 9, right: px + 9, top: py - 9, bottom: py + 9 }],
          crossesData,
        );
        textBox(ctx, m.label, at.x, at.y, at.align, m.color, p.labelBackground, 14, spec.lang);
        markerLayout?.push({ text: m.label, box: labelBox(at.x, at.y, ctx.measureText(m.label).width, at.align, 14) });
      }

      if (spec.latest !== undefined) {
        const py = y.getPixelForValue(spec.latest.y);
        const last = spec.series[0]?.points.at(-1);
        if (last !== undefined) {
          ctx.beginPath();
          ctx.arc(x.getPixelForValue(last.x), py, 4, 0, Math.PI * 2);
          ctx.fillStyle = spec.latest.color;
          ctx.fill();
        }
        ctx.font = font(13, 700, spec.lang);
        const w = ctx.measureText(spec.latest.label).width + 12;
        const tagX = spec.y.position === 'right' ? right + 2 : left - 2 - w;
        ctx.fillStyle = spec.latest.color;
        ctx.fillRect(tagX, py - LATEST_TAG_HALF, w, 2 * LATEST_TAG_HALF);
        ctx.fillStyle = p.background;
        ctx.textAlign = 'left';
        ctx.textBaseline = 'middle';
        ctx.fillText(spec.latest.label, tagX + 6, py);
      }

      const ends = spec.series.filter((s) => s.endLabel !== undefined && s.points.length > 0);
      if (ends.length > 0) {
        const eys = spreadApart(
          ends.map((s) => y.getPixelForValue(s.points.at(-1)!.y)),
          19,
          top + 8,
          bottom - 8,
        );
        ends.forEach((s, i) => {
          const py0 = y.getPixelForValue(s.points.at(-1)!.y);
          ctx.strokeStyle = s.color;
          ctx.lineWidth = 1;
          ctx.setLineDash([]);
          ctx.beginPath();
          ctx.moveTo(right + 2, py0);
          ctx.lineTo(right + 10, eys[i]!);
          ctx.stroke();
          ctx.font = font(13, 700, spec.lang);
          ctx.fillStyle = s.color;
          ctx.textAlign = 'left';
          ctx.textBaseline = 'middle';
          ctx.fillText(fit(ctx, s.endLabel!, spec.rightPad - 16), right + 13, eys[i]!);
        });
      }
      ctx.restore();
    },
    afterDraw(chart: Chart) {
      const ctx = chart.ctx as unknown as Ctx;
      ctx.save();
      ctx.textBaseline = 'alphabetic';
      ctx.textAlign = 'right';
      ctx.font = font(20, 700, spec.lang);
      const cornerW = spec.corner ? ctx.measureText(spec.corner).width : 0;
      ctx.fillStyle = p.text;
      if (spec.corner) ctx.fillText(spec.corner, WIDTH - 24, 36);
      ctx.textAlign = 'left';
      ctx.font = font(24, 700, spec.lang);
      ctx.fillText(fit(ctx, spec.title, WIDTH - 72 - cornerW), 24, 36);
      ctx.font = font(15, 400, spec.lang);
      ctx.fillStyle = p.muted;
      ctx.fillText(fit(ctx, spec.subtitle, WIDTH - 48), 24, 60);
      ctx.font = font(14, 400, spec.lang);
      ctx.fillStyle = p.text;
      spec.notes.forEach((n, i) => {
        const text = typeof n === 'string' ? n : noteLine(n, WIDTH - 48, (s) => ctx.measureText(s).width);
        ctx.fillText(fit(ctx, text, WIDTH - 48), 24, HEIGHT - FOOTER_HEIGHT - (spec.notes.length - 1 - i) * NOTE_LINE - 4);
      });
      ctx.font = font(12, 400, spec.lang);
      ctx.fillStyle = p.muted;
      ctx.fillText(fit(ctx, spec.footer, WIDTH - 48), 24, HEIGHT - 11);
      ctx.restore();
    },
  };
}
