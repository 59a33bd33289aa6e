/** Axis helpers, pure: value ↔ pixel mapping, tick choice, decimation. */
import { fromEpochDay } from '../domain/dates.ts';
import { fmtAxisDay, fmtAxisMonth, fmtDate } from '../domain/i18n/format.ts';
import type { Lang } from '../domain/i18n/langs.ts';
import type { AxisSpec, Tick, XY } from './spec.ts';

/** Where a scale lies on the canvas once Chart.js laid it out: enough to map values to pixels. */
export interface AxisPlacement {
  readonly type: 'linear' | 'logarithmic';
  readonly min: number;
  readonly max: number;
  /** Pixel of `min` and of `max` (for y, start is the bottom). */
  readonly startPx: number;
  readonly endPx: number;
}

/** The pixel a value maps to on a placed axis (linear or log10), as Chart.js computes it. */
export function pixelOf(a: AxisPlacement, v: number): number {
  const f = a.type === 'logarithmic' ? Math.log10 : (x: number) => x;
  const frac = (f(v) - f(a.min)) / (f(a.max) - f(a.min));
  return a.startPx + frac * (a.endPx - a.startPx);
}

/** `t(v)`: the axis's own space (log10 for a log axis), where padding and nearness are measured. */
export const axisSpace = (type: AxisSpec['type']) => (type === 'logarithmic' ? Math.log10 : (v: number) => v);
export const fromAxisSpace = (type: AxisSpec['type']) => (type === 'logarithmic' ? (v: number) => 10 ** v : (v: number) => v);

/** The room every chart keeps between its texts and the image's sides: the title and footer start there (overlay.ts). */
export const SIDE_MARGIN = 24;

/**
 * The least padding on one side of the x axis for the label of its outermost tick, centred on the
 * tick, to start `margin` px from the image's edge. Chart.js pads only for the label to stay on the
 * image (its tick padding, 3 px): a tick at the axis's end (a YTD chart's 1 January) put its label
 * against the edge. `at` is the tick's distance from that end as a share of the axis, `label` the
 * label's width, `axis` the axis's length before padding; the plot narrows by the padding, the tick
 * moving with it (as Chart.js's own padding reckons, core.scale _calculatePadding). 0 when the tick
 * is far enough in.
 */
export function edgePadding(at: number, label: number, axis: number, margin = SIDE_MARGIN): number {
  const offset = at * axis;
  if (offset >= axis) return 0;
  return Math.max(((label / 2 - offset + margin) * axis) / (axis - offset), 0);
}

/** A short number for a tick: 0.25, 1.5, 12, 1,200. */
export function tickLabel(v: number): string {
  const n = Number(v.toPrecision(3));
  return Math.abs(n) >= 1000 ? n.toLocaleString('en-US') : String(n);
}

/** Nice linear ticks (1, 2, 2.5, 5 × 10^k) for about `target` intervals. */
export function linearTicks(min: number, max: number, target = 6): Tick[] {
  const span = max - min;
  if (!(span > 0)) return [{ value: min, label: tickLabel(min) }];
  const raw = span / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: Tick[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
    const value = Number(v.toPrecision(12));
    out.push({ value, label: tickLabel(value) });
  }
  return out;
}

/** Log ticks at m × 10^k, using the densest mantissa set that gives at most `maxTicks`. */
export function logTicks(min: number, max: number, maxTicks = 10): Tick[] {
  const sets = [[1, 1.5, 2, 3, 4, 5, 7], [1, 2, 3, 5], [1, 2, 5], [1, 3], [1]];
  let best: number[] = [];
  for (const set of sets) {
    const vals: number[] = [];
    for (let k = Math.floor(Math.log10(min)) - 1; k <= Math.ceil(Math.log10(max)); k++) {
      for (const m of set) {
        const v = Number((m * 10 ** k).toPrecision(6));
        if (v >= min && v <= max) vals.push(v);
      }
    }
    best = vals;
    if (vals.length <= maxTicks) break;
  }
  // Less than about a decade (a 10Y QQQ/Gold chart): plain linear steps read better than 1-2-5.
  if (best.length < 4) return linearTicks(min, max, 6);
  return best.map((value) => ({ value, label: tickLabel(value) }));
}

/**
 * Date ticks on an epoch-day axis: years, months, weeks or days, depending on the span, written as
 * the chart's language writes dates on an axis (format.ts fmtAxisMonth, fmtAxisDay): a year is its
 * number; a month 2025-09 in English, 9月 in Chinese with its year (2025年9月) on the first tick and
 * each January; a day or week 08-20 / 8月20日, the first of each new year on the axis the whole
 * date (2026-01-05, 2026年1月5日), so a window across New Year says which year.
 */
export function dateTicks(minDay: number, maxDay: number, lang: Lang): Tick[] {
  const { kind, days } = calendarTicks(minDay, maxDay);
  return days.map((value, i) => {
    const iso = fromEpochDay(value);
    const before = days[i - 1];
    const newYear = before !== undefined && fromEpochDay(before).slice(0, 4) !== iso.slice(0, 4);
    const label =
      kind === 'year' ? iso.slice(0, 4) : kind === 'month' ? fmtAxisMonth(iso, lang, i === 0 || newYear) : newYear ? fmtDate(iso, lang) : fmtAxisDay(iso, lang);
    return { value, label };
  });
}

function calendarTicks(minDay: number, maxDay: number): { kind: 'year' | 'month' | 'day'; days: number[] } {
  const span = maxDay - minDay;
  const out: number[] = [];
  if (span > 3 * 365) {
    const years = span / 365.25;
    const step = [1, 2, 5, 10].find((s) => years / s <= 13) ?? 10;
    const y0 = Number(fromEpochDay(minDay).slice(0, 4));
    const y1 = Number(fromEpochDay(maxDay).slice(0, 4));
    for (let y = Math.ceil(y0 / step) * step; y <= y1; y += step) {
      const day = Date.UTC(y, 0, 1) / 86_400_000;
      if (day >= minDay && day <= maxDay) out.push(day);
    }
    return { kind: 'year', days: out };
  }
  if (span > 62) {
    const months = span / 30.4;
    // Steps dividing 12: every January is a tick, where a Chinese axis says the year.
    const step = [1, 2, 3, 6].find((s) => months / s <= 12) ?? 6;
    const d0 = new Date(minDay * 86_400_000);
    for (let m = d0.getUTCFullYear() * 12 + d0.getUTCMonth(); ; m++) {
      if (m % step !== 0) continue;
      const day = Date.UTC(Math.floor(m / 12), m % 12, 1) / 86_400_000;
      if (day > maxDay) break;
      if (day >= minDay) out.push(day);
    }
    return { kind: 'month', days: out };
  }
  // Under two weeks (a /power span of a few days): weekdays, each of them under a week, else Mon/Wed/Fri.
  // Epoch day 4 was a Monday.
  if (span < 13) {
    const weekday = (day: number) => (((day - 4) % 7) + 7) % 7;
    const keep = span < 7 ? (w: number) => w < 5 : (w: number) => w === 0 || w === 2 || w === 4;
    for (let day = Math.ceil(minDay); day <= maxDay; day++) if (keep(weekday(day))) out.push(day);
    return { kind: 'day', days: out };
  }
  // Weeks: every 7 days from the first Monday.
  const step = span > 31 ? 14 : 7;
  for (let day = minDay + ((((4 - minDay) % 7) + 7) % 7); day <= maxDay; day += step) out.push(day);
  return { kind: 'day', days: out };
}

/**
 * Min/max decimation: per x bucket keep the lowest and highest point, in their original order,
 * plus the first and last point overall. Peaks and troughs (the 2000 top, the 2011 bottom) survive
 * exactly, which the essay's levels are read against; averaging would shave them.
 */
export function decimateMinMax(points: readonly XY[], buckets: number): XY[] {
  if (points.length <= buckets * 2) return points.slice();
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const span = last.x - first.x || 1;
  const out: XY[] = [first];
  let b = -1;
  let lo: XY | undefined;
  let hi: XY | undefined;
  let loI = 0;
  let hiI = 0;
  const flush = () => {
    if (lo === undefined || hi === undefined) return;
    if (lo === hi) out.push(lo);
    else if (loI < hiI) out.push(lo, hi);
    else out.push(hi, lo);
  };
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i]!;
    const pb = Math.floor(((p.x - first.x) / span) * buckets);
    if (pb !== b) {
      flush();
      b = pb;
      lo = hi = p;
      loI = hiI = i;
    } else {
      if (p.y < lo!.y) {
        lo = p;
        loI = i;
      }
      if (p.y > hi!.y) {
        hi = p;
        hiI = i;
      }
    }
  }
  flush();
  out.push(last);
  return out;
}
