/** The ratio chart as a ChartSpec: the ratio line, the essay's levels, the eras, the latest value. */
import type { PairId } from '../domain/instruments.ts';
import { PAIRS, QQQ_LAUNCH } from '../domain/instruments.ts';
import type { Point } from '../domain/series.ts';
import { addMonths, toEpochDay } from '../domain/dates.ts';
import { distancePct, ERAS, isZone, nearestLevels, ratioNear, type Level } from '../domain/levels.ts';
import { t, type Lang } from '../domain/i18n/index.ts';
import { fmtDate, fmtList, formatLevel, formatPct } from '../domain/i18n/format.ts';
import { lastCloseOfYearBefore, type ChartPlace, type ChartRange, type ChartWindow } from '../domain/chart-request.ts';
import { ChartDataError } from './errors.ts';
import { sourcesDrawn, type InstrumentSources } from '../domain/source-spans.ts';
import { sourceNames } from '../domain/source-name.ts';
import type { Palette } from './theme.ts';
import type { AxisSpec, ChartSpec, HBandSpec, HLineSpec, MarkerSpec, NoteItem, NoteList, VBandSpec, XY } from './spec.ts';
import { axisSpace, dateTicks, decimateMinMax, fromAxisSpace, linearTicks, logTicks } from './axis.ts';

/** MAX starts at QQQ's launch, the essay's base date, for both pairs. */
export const MAX_START = QQQ_LAUNCH;

/** Plot width in pixels, roughly: one min/max pair per pixel column is all a line can show. */
export const DECIMATE_BUCKETS = 1050;

export function rangeStart(range: ChartRange, lastDate: string): string {
  switch (range) {
    case '1M':
      return addMonths(lastDate, -1);
    case '3M':
      return addMonths(lastDate, -3);
    case '6M':
      return addMonths(lastDate, -6);
    case 'YTD':
      return lastCloseOfYearBefore(lastDate);
    case '1Y':
      return addMonths(lastDate, -12);
    case '5Y':
      return addMonths(lastDate, -60);
    case '10Y':
      return addMonths(lastDate, -120);
    case 'MAX':
      return MAX_START;
  }
}

/** QQQ/Gold spans 0.03 to 0.41 over MAX: only a log scale shows both ends. */
export function defaultScale(range: ChartRange): AxisSpec['type'] {
  return range === '10Y' || range === 'MAX' ? 'logarithmic' : 'linear';
}

export interface Frame {
  readonly pair: PairId;
  readonly lang: Lang;
  readonly palette: Palette;
  /** Data sources of the two legs, for the footer: where each one's closes came from (the footer names those drawn), or a fixed text. */
  readonly sources: FooterSources;
  readonly stale: boolean;
  /**
   * The day of the gold price a close's ratio divides by (the latest on or before it): older than the
   * close over a London holiday. The chart says so under its last close, as /ratio and /power do.
   */
  readonly goldDayOf?: (date: string) => string | undefined;
  /** Where the chart is shown: a chat's own level is labelled as that place's (chart-request.ts ChartPlace). */
  readonly place?: ChartPlace;
}

export type FooterSources = string | readonly InstrumentSources[];

/** The footer of a chart drawn from `from` to `date`, and the sources it names: those of the closes in that span, not of the newest ones. */
export function chartFooter(lang: Lang, sources: FooterSources, from: string, date: string, stale: boolean): { footer: string; sources: string[] } {
  const drawn = typeof sources === 'string' ? (sources === '' ? [] : [sources]) : sourcesDrawn(sources, from, date);
  // The tags kept with the closes, as a reader reads them (Yahoo Finance, imported CSV): never import:spx_daily.csv.
  const named = typeof sources === 'string' ? sources : fmtList(sourceNames(drawn, lang), lang);
  const footer = t(lang, stale ? 'chart.footer.stale' : 'chart.footer', { sources: named || t(lang, 'chart.source.none'), date: fmtDate(date, lang) });
  return { footer, sources: drawn };
}

/** Axis tick labels: 4 significant digits. */
const trimRatio = (v: number) => String(Number(v.toPrecision(4)));

export interface WindowInput extends Frame {
  /** Visible points, ascending, at least 2. */
  readonly points: readonly Point[];
  readonly levels: readonly Level[];
  /** Always drawn, highlighted (the alert's broken level). */
  readonly highlight?: Level;
  /** Always drawn, not highlighted (the digest keeps the nearest level above and below in view). */
  readonly keep?: readonly Level[];
  readonly scale: AxisSpec['type'];
  readonly title: string;
  readonly subtitle: string;
  readonly markers?: readonly (MarkerSpec & { readonly date: string })[];
  /** The window ends before the data does: its last value is not "latest". */
  readonly past?: boolean;
}

/** A level is drawn when it lies within half the data's span of the visible data; else it is a note. */
const NEAR_FRACTION = 0.5;

/** The common body of the ratio and alert charts. */
export function ratioWindowSpec(w: WindowInput): ChartSpec {
  const { palette, lang } = w;
  const f = axisSpace(w.scale);
  const inv = fromAxisSpace(w.scale);
  const last = w.points[w.points.length - 1]!;
  const xy: XY[] = w.points.map((p) => ({ x: toEpochDay(p.date), y: p.value }));
  const xMin = xy[0]!.x;
  const lastX = Math.max(xy[xy.length - 1]!.x, ...(w.markers ?? []).map((m) => m.x));
  // A marked break is usually the newest point: a little room on the right keeps it off the axis tag.
  const xMax = w.markers !== undefined && w.markers.length > 0 ? lastX + Math.ceil(0.04 * (lastX - xMin)) : lastX;

  let lo = Infinity;
  let hi = -Infinity;
  for (const p of xy) {
    if (p.y < lo) lo = p.y;
    if (p.y > hi) hi = p.y;
  }
  for (const m of w.markers ?? []) {
    lo = Math.min(lo, m.y);
    hi = Math.max(hi, m.y);
  }
  // A flat window still needs a visible span: ±1% of the value.
  const span = Math.max(f(hi) - f(lo), f(hi * 1.01) - f(hi));
  const nearLo = f(lo) - NEAR_FRACTION * span;
  const nearHi = f(hi) + NEAR_FRACTION * span;

  const drawn: Level[] = [];
  const above: Level[] = [];
  const below: Level[] = [];
  for (const l of w.levels) {
    if (w.highlight !== undefined && l.id === w.highlight.id) continue;
    if (w.keep?.some((k) => k.id === l.id)) drawn.push(l);
    else if (f(l.low) > nearHi) above.push(l);
    else if (f(l.high) < nearLo) below.push(l);
    else drawn.push(l);
  }
  if (w.highlight !== undefined) drawn.push(w.highlight);

  let tLo = f(lo);
  let tHi = f(hi);
  for (const l of drawn) {
    tLo = Math.min(tLo, f(l.low));
    tHi = Math.max(tHi, f(l.high));
  }
  const pad = Math.max(tHi - tLo, span);
  // More room on top: the era names sit there.
  const yMin = inv(tLo - 0.06 * pad);
  const yMax = inv(tHi + 0.14 * pad);
  const yTicks = w.scale === 'logarithmic' ? logTicks(yMin, yMax) : linearTicks(yMin, yMax);

  const hlines: HLineSpec[] = [];
  const hbands: HBandSpec[] = [];
  const chartNote = (l: Level): string => levelChartNote(l, lang, w.place);
  for (const l of drawn) {
    const hl = w.highlight !== undefined && l.id === w.highlight.id;
    const color = hl
      ? palette.highlight
      : l.kind === 'custom'
        ? palette.custom
        : l.kind === 'support' || l.kind === 'floor'
          ? palette.support
          : palette.resistance;
    const label = `${formatLevel(l, lang)} · ${chartNote(l)}`;
    if (isZone(l)) hbands.push({ low: l.low, high: l.high, label, color, fill: hl ? 'rgba(230, 126, 34, 0.22)' : palette.zoneFill });
    // A chat's own level: its colour and a finer dash, so it reads apart from the essay's at a glance.
    else hlines.push({ value: l.low, label, color, width: hl ? 3 : 1.5, ...(hl ? {} : { dash: l.kind === 'custom' ? [3, 4] : [8, 5] }) });
  }

  const vbands: VBandSpec[] = [];
  ERAS.forEach((era, i) => {
    const from = Math.max(toEpochDay(era.from), xMin);
    const to = Math.min(era.to === undefined ? Infinity : toEpochDay(era.to) + 1, xMax);
    if (to > from) vbands.push({ from, to, label: era.name[lang], fill: palette.eraFills[i % 2]! });
  });

  const distance = (l: Level) => formatPct(distancePct(last.value, l));
  // The item reads like a level's label on the chart ("2.5 · Resistance…"); items are apart by the separator.
  const offItem = (l: Level): NoteItem => {
    const full = t(lang, 'chart.offchart.item', { value: formatLevel(l, lang), note: chartNote(l), distance: distance(l) });
    // Short, a chat's own level still says it is theirs.
    const short = l.kind === 'custom' ? full : t(lang, 'chart.offchart.short', { value: formatLevel(l, lang), distance: distance(l) });
    return { full, short, own: l.kind === 'custom' };
  };
  const sep = t(lang, 'chart.offchart.sep');
  const noteList = (key: string, levels: readonly Level[]): NoteList => {
    const [before = '', after = ''] = t(lang, key, { list: '\u0000' }).split('\u0000');
    return { before, after, sep, items: levels.map(offItem), more: levels.map((_, i) => t(lang, 'chart.offchart.more', { n: i + 1 })) };
  };
  const notes: (string | NoteList)[] = [];
  if (above.length > 0)
    notes.push(
      noteList(
        'chart.offchart.above',
        above.sort((a, b) => a.low - b.low),
      ),
    );
  if (below.length > 0)
    notes.push(
      noteList(
        'chart.offchart.below',
        below.sort((a, b) => b.low - a.low),
      ),
    );

  // The last close's ratio over an older gold price (New York open, London shut): named, as /ratio names it.
  const gold = w.goldDayOf?.(last.date);
  if (gold !== undefined && gold < last.date) notes.push(t(lang, 'chart.goldOlder', { gold: fmtDate(gold, lang), date: fmtDate(last.date, lang) }));

  // The latest value beside the levels drawn with it: 0.02996 under the 0.03 floor, not 0.0300 on it.
  const lastLabel = ratioNear(last.value, nearestLevels(last.value, w.levels));
  return {
    palette,
    lang,
    title: w.title,
    subtitle: w.subtitle,
    corner: t(lang, w.past === true ? 'chart.atEnd' : 'chart.latest', { value: lastLabel, date: fmtDate(last.date, lang) }),
    x: { type: 'linear', min: xMin, max: xMax, ticks: dateTicks(xMin, xMax, lang) },
    y: { type: w.scale, min: yMin, max: yMax, ticks: yTicks.map((tk) => ({ value: tk.value, label: trimRatio(tk.value) })), position: 'right' },
    series: [{ label: PAIRS[w.pair].label, points: decimateMinMax(xy, DECIMATE_BUCKETS), color: palette.line, width: 2 }],
    hlines,
    hbands,
    vbands,
    markers: (w.markers ?? []).map(({ date: _d, ...m }) => m),
    latest: { y: last.value, label: lastLabel, color: palette.line },
    notes,
    ...chartFooter(lang, w.sources, w.points[0]!.date, last.date, w.stale),
    rightPad: 0,
  };
}

export interface RatioChartInput extends Frame {
  /** The pair's whole daily ratio series, ascending. */
  readonly series: readonly Point[];
  readonly range: ChartRange;
  /** Days to show instead of the range (`/chart spx 2007 2009`). */
  readonly window?: ChartWindow;
  readonly levels: readonly Level[];
  readonly scale?: AxisSpec['type'];
}

export function rangeName(lang: Lang, range: ChartRange): string {
  return t(lang, `chart.range.${range}`, { date: fmtDate(MAX_START, lang) });
}

/**
 * Longer than any stretch without a common close of both legs (a weekend and a holiday, the four
 * days closed after 9/11): a first close later than this after the range's start means the
 * history itself starts later.
 */
const LATE_START_DAYS = 7;

/**
 * What a range's chart is titled: its name ("1 year", "since 1999-03-10"), or, when the history
 * begins well inside it (a fresh database holding a week), the days it really shows.
 */
export function shownRange(lang: Lang, range: ChartRange, from: string, points: readonly Point[]): string {
  const first = points[0]?.date;
  const last = points.at(-1)?.date;
  // Too few to draw: the refusal names the range asked for.
  if (first === undefined || last === undefined || points.length < 2 || toEpochDay(first) - toEpochDay(from) <= LATE_START_DAYS) return rangeName(lang, range);
  return t(lang, 'chart.range.window', { from: fmtDate(first, lang), to: fmtDate(last, lang) });
}

/** Over ten years a window spans the ratios' decades of range: a log scale, as 10Y and MAX have. */
const LOG_WINDOW_DAYS = 3653;

export function ratioSpec(input: RatioChartInput): ChartSpec {
  const { lang, pair, range, window } = input;
  const lastDate = input.series[input.series.length - 1]?.date;
  const from = window?.from ?? (lastDate === undefined ? MAX_START : rangeStart(range, lastDate));
  const points = input.series.filter((p) => p.date >= from && (window?.to === undefined || p.date <= window.to));
  const shown =
    window === undefined
      ? shownRange(lang, range, from, points)
      : points.length === 0 && window.to === undefined
        ? t(lang, 'chart.range.since', { from: fmtDate(from, lang) })
        : t(lang, 'chart.range.window', { from: fmtDate(points[0]?.date ?? from, lang), to: fmtDate(points.at(-1)?.date ?? window.to ?? from, lang) });
  if (points.length < 2) {
    // History loaded, but too little of it in the window (one day, before QQQ, after the last close): say what there is.
    const first = input.series[0]?.date;
    const params = { pair: t(lang, `pair.${pair}`), range: shown, count: points.length };
    // A span wholly before the first close or after the last (/chart spx 2007-2009 on closes from
    // 2023): no span inside the history is longer, so "pick a longer span" would be false.
    const outside = first !== undefined && lastDate !== undefined && ((window?.to !== undefined && window.to < first) || from > lastDate);
    throw new ChartDataError(
      first === undefined || lastDate === undefined || input.series.length < 2
        ? t(lang, 'chart.error.too-little', params)
        : t(lang, outside ? 'chart.error.window-outside' : 'chart.error.window-little', {
            ...params,
            first: fmtDate(first, lang),
            last: fmtDate(lastDate, lang),
          }),
    );
  }
  const days = toEpochDay(points.at(-1)!.date) - toEpochDay(points[0]!.date);
  const scale = input.scale ?? (window === undefined ? defaultScale(range) : days > LOG_WINDOW_DAYS ? 'logarithmic' : 'linear');
  const past = points.at(-1)!.date !== lastDate;
  return ratioWindowSpec({
    ...input,
    points,
    scale,
    // How old the data is says nothing about a span that ended before it.
    ...(past ? { past, stale: false } : {}),
    title: t(lang, 'chart.ratio.title', { pair: t(lang, `pair.${pair}`), range: shown }),
    subtitle: t(lang, 'chart.ratio.subtitle', { numerator: t(lang, `instrument.${PAIRS[pair].numerator}`), scale: t(lang, `chart.scale.${scale}`) }),
  });
}

/**
 * What a level's label says after its value: the essay's note, or for a chat's own the place's
 * name for it (`This chat's level`; on Discord `This channel's level`, in a DM `This chat's level`).
 */
export function levelChartNote(l: Level, lang: Lang, place: ChartPlace | undefined): string {
  return l.kind === 'custom' ? t(lang, place === undefined ? 'chart.level.custom' : `chart.level.custom.${place}`) : l.note[lang];
}
