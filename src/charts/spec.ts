/**
 * A chart as plain data: what to draw and where, in data units (x in epoch days, y in the value's
 * unit). Spec builders (spec-ratio, spec-alert, spec-power) fill it; config.ts turns it into a
 * Chart.js configuration; render.ts draws it. Nothing here touches a canvas.
 */
import type { Palette } from './theme.ts';
import type { Lang } from '../domain/i18n/index.ts';

export const WIDTH = 1200;
export const HEIGHT = 630;

export interface XY {
  readonly x: number;
  readonly y: number;
}

export interface SeriesSpec {
  readonly label: string;
  readonly points: readonly XY[];
  readonly color: string;
  readonly width: number;
  readonly dash?: readonly number[];
  /** Drawn right of the line's last point (purchasing-power chart). */
  readonly endLabel?: string;
}

export interface HLineSpec {
  readonly value: number;
  readonly label: string;
  readonly color: string;
  readonly width: number;
  readonly dash?: readonly number[];
}

export interface HBandSpec {
  readonly low: number;
  readonly high: number;
  readonly label: string;
  readonly color: string;
  readonly fill: string;
}

export interface VBandSpec {
  readonly from: number;
  readonly to: number;
  readonly label: string;
  readonly fill: string;
}

export interface MarkerSpec {
  readonly x: number;
  readonly y: number;
  readonly label: string;
  readonly color: string;
  /** Put the label under the point (a break downwards: above it runs the broken level). */
  readonly labelBelow?: boolean;
}

export interface Tick {
  readonly value: number;
  readonly label: string;
}

export interface AxisSpec {
  readonly type: 'linear' | 'logarithmic';
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly Tick[];
}

export interface ChartSpec {
  readonly palette: Palette;
  /** The chart's language: picks the font whose glyph forms it reads (Simplified or Traditional). */
  readonly lang?: Lang;
  readonly title: string;
  readonly subtitle: string;
  /** Top right: the headline figure (latest value). */
  readonly corner: string;
  readonly x: AxisSpec;
  /** `width`: the y axis's least width in px, so stacked panels (the digest) share one plot width and their dates line up. */
  readonly y: AxisSpec & { readonly position: 'left' | 'right'; readonly width?: number };
  readonly series: readonly SeriesSpec[];
  readonly hlines: readonly HLineSpec[];
  readonly hbands: readonly HBandSpec[];
  readonly vbands: readonly VBandSpec[];
  readonly markers: readonly MarkerSpec[];
  /** The latest value, tagged on the y axis. */
  readonly latest: { readonly y: number; readonly label: string; readonly color: string } | undefined;
  /** Margin notes under the plot: a line of text, or the levels outside the visible range (laid out to the width: note-layout.ts). */
  readonly notes: readonly (string | NoteList)[];
  readonly footer: string;
  /** The sources the footer names: those of the closes drawn (a platform's card beside the chart names them too). */
  readonly sources: readonly string[];
  /** Extra room right of the plot for end labels. */
  readonly rightPad: number;
}

/** One level in a margin note: in full, and short (no essay note: value and distance); `own`: a chat's own level. */
export interface NoteItem {
  readonly full: string;
  readonly short: string;
  readonly own: boolean;
}

/** A margin note's levels, nearest first, with the words around them: `${before}${items joined by sep}${after}`. */
export interface NoteList {
  readonly before: string;
  readonly after: string;
  readonly sep: string;
  readonly items: readonly NoteItem[];
  /** What stands for the items left out: `more[n - 1]` says "+n more". */
  readonly more: readonly string[];
}
