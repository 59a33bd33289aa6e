/**
 * The digest chart: both ratios over one year, one panel each, with the essay's nearest level
 * above and below always in view (a year of SPX/Gold near 1.7 would otherwise leave 2.5 off the chart).
 */
import { PAIR_IDS, PAIRS, type PairId } from '../domain/instruments.ts';
import type { Point } from '../domain/series.ts';
import { essayLevels, nearestLevels, type Level } from '../domain/levels.ts';
import { t, type Lang } from '../domain/i18n/index.ts';
import { ChartDataError } from './errors.ts';
import type { Palette } from './theme.ts';
import type { ChartSpec } from './spec.ts';
import { rangeName, rangeStart, ratioWindowSpec, shownRange, type FooterSources } from './spec-ratio.ts';

export interface DigestChartInput {
  readonly lang: Lang;
  readonly palette: Palette;
  readonly series: Readonly<Record<PairId, readonly Point[]>>;
  readonly frames: Readonly<Record<PairId, { readonly sources: FooterSources; readonly stale: boolean }>>;
}

/** The levels a panel keeps in view: the nearest above and below the last value (or the zone it is in, or the line it is on). */
export function keptLevels(value: number, levels: readonly Level[]): Level[] {
  const n = nearestLevels(value, levels);
  return [n.above?.level, n.below?.level, n.inside, n.on].filter((l): l is Level => l !== undefined);
}

export function digestSpecs(input: DigestChartInput): ChartSpec[] {
  const { lang } = input;
  const panels = PAIR_IDS.map((pair) => {
    const all = input.series[pair];
    const last = all[all.length - 1];
    const from = last === undefined ? '' : rangeStart('1Y', last.date);
    const points = all.filter((p) => p.date >= from);
    if (last === undefined || points.length < 2) {
      throw new ChartDataError(t(lang, 'chart.error.too-little', { pair: t(lang, `pair.${pair}`), range: rangeName(lang, '1Y'), count: points.length }));
    }
    const levels = essayLevels(pair);
    return ratioWindowSpec({
      pair,
      lang,
      palette: input.palette,
      ...input.frames[pair],
      points,
      levels,
      keep: keptLevels(last.value, levels),
      scale: 'linear',
      title: t(lang, 'chart.digest.title', { pair: t(lang, `pair.${pair}`), range: shownRange(lang, '1Y', from, points) }),
      subtitle: t(lang, 'chart.ratio.subtitle', { numerator: t(lang, `instrument.${PAIRS[pair].numerator}`), scale: t(lang, 'chart.scale.linear') }),
    });
  });
  // One y axis width for both panels (SPX/Gold's "2.5" is narrower than QQQ/Gold's "0.25"): the
  // plots end at the same x, so the two panels' dates line up.
  return panels.map((p) => ({ ...p, y: { ...p.y, width: Y_AXIS_WIDTH } }));
}

/** Wider than any tick label a digest panel shows ("0.025", "12.5") with Chart.js's padding. */
export const Y_AXIS_WIDTH = 64;
