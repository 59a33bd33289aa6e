/** The alert chart: the ratio around a break, the broken level highlighted, the break point marked. */
import type { PairId } from '../domain/instruments.ts';
import type { Point } from '../domain/series.ts';
import { addMonths, toEpochDay } from '../domain/dates.ts';
import { levelValue, type Level } from '../domain/levels.ts';
import { t } from '../domain/i18n/index.ts';
import { fmtDate, formatLevel, formatRatioBeside } from '../domain/i18n/format.ts';
import { ChartDataError } from './errors.ts';
import type { ChartSpec } from './spec.ts';
import { markerColor } from './theme.ts';
import { levelChartNote, ratioWindowSpec, type Frame } from './spec-ratio.ts';

/** How much history before the break the chart shows, and at most how much after. */
export const ALERT_MONTHS_BEFORE = 6;
export const ALERT_MONTHS_AFTER = 1;

export interface AlertChartInput extends Frame {
  readonly pair: PairId;
  readonly series: readonly Point[];
  readonly level: Level;
  readonly levels: readonly Level[];
  /** The break: the date and the ratio that crossed (may be an intraday value, not a close). */
  readonly date: string;
  readonly value: number;
  readonly event?: 'cross-up' | 'cross-down' | 'zone-enter' | 'zone-exit' | 'approach';
  /** A break the cooldown held: the marker goes where it happened, and says when it was sent (`date`). */
  readonly late?: { readonly since: string; readonly value: number };
  /** A sample, not news (`goldratio webhook test`): the title says test, so the picture alone is never read as a break. */
  readonly test?: true;
}

/**
 * The title's key: which way the ratio went (from the close before the break), and whether it
 * crossed a line, entered or left a zone, or only came near. A value inside a zone after a move
 * down has entered it from above: "broke above" would tell the reader the opposite.
 */
export function alertTitleKey(input: Pick<AlertChartInput, 'series' | 'level' | 'date' | 'value' | 'event'>): string {
  const { level, value } = input;
  const before = [...input.series].reverse().find((p) => p.date < input.date)?.value;
  const down =
    input.event === 'cross-down'
      ? true
      : input.event === 'cross-up'
        ? false
        : before !== undefined && before !== value
          ? before > value
          : value < levelValue(level);
  const dir = down ? 'down' : 'up';
  if (input.event === 'approach') return `chart.alert.title.approach.${dir}`;
  if (level.high > level.low) {
    const inside = value >= level.low && value <= level.high;
    return `chart.alert.title.zone-${inside ? 'enter' : 'exit'}.${dir}`;
  }
  return `chart.alert.title.${down ? 'below' : 'above'}`;
}

export function alertSpec(input: AlertChartInput): ChartSpec {
  const { lang, pair, level, palette } = input;
  const from = addMonths(input.date, -ALERT_MONTHS_BEFORE);
  const to = addMonths(input.date, ALERT_MONTHS_AFTER);
  const points = input.series.filter((p) => p.date >= from && p.date <= to);
  if (points.length < 2) {
    throw new ChartDataError(
      t(lang, 'chart.error.too-little', {
        pair: t(lang, `pair.${pair}`),
        range: `${fmtDate(from, lang)} – ${fmtDate(input.date, lang)}`,
        count: points.length,
      }),
    );
  }
  const titleKey = alertTitleKey(input);
  // The marker names what happened: a rise, a fall, an entry into a zone (which breaks nothing:
  // 跌破點 beside 跌入 would tell a Chinese reader the zone gave way), or only a near miss, from
  // the side the title says (回測點 under 由上方回測, 逼近點 under 由下方逼近).
  const downward = /\.(down|below)$/.test(titleKey);
  const marker = input.event === 'approach' ? `approach.${downward ? 'down' : 'up'}` : titleKey.includes('.zone-enter.') ? 'enter' : downward ? 'down' : 'up';
  const late = input.event === 'approach' ? undefined : input.late;
  const at = late === undefined ? { date: input.date, value: input.value } : { date: late.since, value: late.value };
  // Drawn after newer closes came (a catch-up's alert, a month or more old): its window ends
  // before the data does, so its last value is not "latest", and how old the data is says nothing.
  const past = points.at(-1)!.date !== input.series.at(-1)?.date;
  return ratioWindowSpec({
    ...input,
    ...(past ? { past, stale: false } : {}),
    points,
    highlight: level,
    scale: 'linear',
    title: testMarked(t(lang, titleKey, { pair: t(lang, `pair.${pair}`), level: formatLevel(level, lang) }), input.test, lang),
    // A chat's own level named as its line's label names it (本頻道水位 under 本頻道水位, not 本聊天室水位).
    subtitle: levelChartNote(level, lang, input.place),
    markers: [
      {
        date: at.date,
        x: toEpochDay(at.date),
        y: at.value,
        label:
          late === undefined
            ? t(lang, `chart.alert.marker.${marker}`, { date: fmtDate(at.date, lang), value: formatRatioBeside(at.value, level) })
            : t(lang, `chart.alert.marker.late.${marker}`, {
                date: fmtDate(at.date, lang),
                value: formatRatioBeside(at.value, level),
                sent: fmtDate(input.date, lang),
              }),
        // A break is coloured by its direction as the chart's readers read colours (紅漲綠跌 in Chinese); a near miss breaks nothing.
        color: input.event === 'approach' ? palette.marker : markerColor(palette, downward ? 'down' : 'up', lang),
        labelBelow: at.value < levelValue(level),
      },
    ],
  });
}

/** A sample's title marked as the test it is (a made-up break at 1.698 under "broke below 2.5" reads as news when the picture is forwarded alone). */
const testMarked = (title: string, test: true | undefined, lang: AlertChartInput['lang']): string =>
  test === true ? t(lang, 'chart.alert.testTitle', { title }) : title;
