/** The essay's headline picture: SPX and QQQ since a base date, indexed to 100, in USD, in gold and ÷ M2. */
import { m2Changes, type PowerSeries } from '../domain/ratio.ts';
import { toEpochDay } from '../domain/dates.ts';
import { ERAS } from '../domain/levels.ts';
import { t, type Lang } from '../domain/i18n/index.ts';
import { fmtDate, fmtIndex, fmtMonth } from '../domain/i18n/format.ts';
import { ChartDataError } from './errors.ts';
import type { Palette } from './theme.ts';
import type { ChartSpec, SeriesSpec, VBandSpec, XY } from './spec.ts';
import { dateTicks, decimateMinMax, logTicks, tickLabel } from './axis.ts';
import { chartFooter, type FooterSources } from './spec-ratio.ts';

export interface PowerChartInput {
  /** undefined when the inputs share no date from the base on. */
  readonly power: PowerSeries | undefined;
  /** The base asked for (the series' own base is the first shared date on or after it). */
  readonly base: string;
  /** An end asked for (`/power 2011 2020`): the series is cut there, and the title names it. */
  readonly to?: string;
  readonly lang: Lang;
  readonly palette: Palette;
  readonly sources: FooterSources;
  readonly stale: boolean;
  /**
   * The days of the gold prices under the first and last dates, when older than them (a London
   * holiday: Easter Monday's ratio divides by Thursday's fix): the chart says so, as /power does.
   */
  readonly goldDates?: { readonly base?: string | undefined; readonly end?: string | undefined };
}

/** /power's sentences for a first or last close divided by an older gold price, under the chart. */
function goldNotes(lang: Lang, base: string, end: string, gold: PowerChartInput['goldDates']): string[] {
  const notes: string[] = [];
  if (gold?.base !== undefined && gold.base < base)
    notes.push(t(lang, 'chat.power.goldOlderBase', { gold: fmtDate(gold.base, lang), date: fmtDate(base, lang) }));
  if (gold?.end !== undefined && gold.end < end) notes.push(t(lang, 'chat.power.goldOlder', { gold: fmtDate(gold.end, lang), date: fmtDate(end, lang) }));
  return notes;
}

/** Coarser than the ratio chart: six lines, and QQQ's dashes stay readable on a calmer line. */
const POWER_BUCKETS = 400;

export function powerSpec(input: PowerChartInput): ChartSpec {
  const { lang, palette, power } = input;
  // One day from the base on (the base is the last close): the closes are there, a line needs two.
  if (power?.dates.length === 1) {
    throw new ChartDataError(t(lang, 'chart.error.power-one-day', { base: fmtDate(input.base, lang), date: fmtDate(power.dates[0]!, lang) }));
  }
  if (power === undefined || power.dates.length < 2) {
    throw new ChartDataError(t(lang, 'chart.error.no-power', { base: fmtDate(input.base, lang) }));
  }
  const xs = power.dates.map(toEpochDay);
  const line = (values: readonly number[]): XY[] =>
    decimateMinMax(
      // The ÷ M2 lines may end before the others (ratio.ts: M2 too old for the last closes).
      xs.slice(0, values.length).map((x, i) => ({ x, y: values[i]! })),
      POWER_BUCKETS,
    );
  const spx = t(lang, 'chart.power.spx');
  const qqq = t(lang, 'instrument.qqq');
  // M2 is monthly: a span that reads one month of it at both ends has ÷ M2 lines equal to the USD
  // ones, which would say M2 did not grow. They are left out, and a note says why.
  const m2Month = power.m2Months[power.m2Months.length - 1]!;
  const withM2 = m2Changes(power);
  type Def = [string, readonly number[], string, boolean];
  const defs: Def[] = [
    [t(lang, 'chart.power.usd', { name: qqq }), power.qqqUsd, palette.usd, true],
    [t(lang, 'chart.power.usd', { name: spx }), power.spxUsd, palette.usd, false],
    ...(withM2
      ? [
          [t(lang, 'chart.power.m2', { name: qqq }), power.qqqM2, palette.m2, true] as Def,
          [t(lang, 'chart.power.m2', { name: spx }), power.spxM2, palette.m2, false] as Def,
        ]
      : []),
    [t(lang, 'chart.power.gold', { name: spx }), power.spxGold, palette.gold, false],
    [t(lang, 'chart.power.gold', { name: qqq }), power.qqqGold, palette.gold, true],
  ];
  const series: SeriesSpec[] = defs.map(([label, values, color, isQqq]) => ({
    label,
    points: line(values),
    color,
    width: 2,
    // QQQ dashed, SPX solid: colour says the measure, the stroke says the index.
    ...(isQqq ? { dash: [7, 4] } : {}),
    // Written as /power's caption writes the same figure (1,397.2 in both, not 1,397 beside 1,397.2).
    endLabel: `${label} ${fmtIndex(values[values.length - 1]!, lang)}`,
  }));

  let lo = 100;
  let hi = 100;
  for (const s of series)
    for (const p of s.points) {
      if (p.y < lo) lo = p.y;
      if (p.y > hi) hi = p.y;
    }
  // Room below and above the lines, in proportion to their spread: a span of decades gets 1.25× and
  // 1.6× (room for the end labels and the era names), a span of days a few percent, so its moves are
  // not flattened against 100.
  const spread = Math.log(hi / lo);
  const yMin = lo / Math.exp(Math.min(Math.log(1.25), Math.max(Math.log(1.01), 0.3 * spread)));
  const yMax = hi * Math.exp(Math.min(Math.log(1.6), Math.max(Math.log(1.02), 0.6 * spread)));
  const xMin = xs[0]!;
  const xMax = xs[xs.length - 1]!;
  const vbands: VBandSpec[] = [];
  ERAS.forEach((era, i) => {
    const from = Math.max(toEpochDay(era.from), xMin);
    const to = Math.min(era.to === undefined ? Infinity : toEpochDay(era.to) + 1, xMax);
    if (to > from) vbands.push({ from, to, label: era.name[lang], fill: palette.eraFills[i % 2]! });
  });
  const lastDate = power.dates[power.dates.length - 1]!;
  return {
    palette,
    lang,
    title:
      input.to === undefined
        ? t(lang, 'chart.power.title', { base: fmtDate(power.base, lang) })
        : t(lang, 'chart.power.titleTo', { base: fmtDate(power.base, lang), to: fmtDate(lastDate, lang) }),
    subtitle: t(lang, 'chart.power.subtitle'),
    corner: '',
    x: { type: 'linear', min: xMin, max: xMax, ticks: dateTicks(xMin, xMax, lang) },
    y: {
      type: 'logarithmic',
      min: yMin,
      max: yMax,
      ticks: logTicks(yMin, yMax).map((tk) => ({ value: tk.value, label: tickLabel(tk.value) })),
      position: 'left',
    },
    series,
    hlines: [{ value: 100, label: t(lang, 'chart.power.base'), color: palette.muted, width: 1.5, dash: [4, 4] }],
    hbands: [],
    vbands,
    markers: [],
    latest: undefined,
    notes: [
      ...(!withM2
        ? [t(lang, 'chart.power.noM2', { month: fmtMonth(m2Month, lang) })]
        : power.m2Months.length < power.dates.length
          ? [t(lang, 'chart.power.m2Ends', { date: fmtDate(power.dates[power.m2Months.length - 1]!, lang), month: fmtMonth(m2Month, lang) })]
          : // The last closes read an earlier month's M2 (published weeks late): their ÷ M2 end labels are not that day's M2, said as /power says it.
            m2Month.slice(0, 7) < lastDate.slice(0, 7)
            ? [t(lang, 'chart.power.m2Carried', { month: fmtMonth(m2Month, lang) })]
            : []),
      ...goldNotes(lang, power.base, lastDate, input.goldDates),
    ],
    // M2 only where its lines are drawn.
    ...chartFooter(
      lang,
      typeof input.sources === 'string' || withM2 ? input.sources : input.sources.filter((i) => i.instrument !== 'm2'),
      power.dates[0]!,
      lastDate,
      input.stale,
    ),
    rightPad: 215,
  };
}
