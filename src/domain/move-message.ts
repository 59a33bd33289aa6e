/**
 * A decided move as an outbox Message: built once when the move is decided, stored as JSON and
 * read in each chat's language at send time (texts are i18n keys with literal numbers).
 */
import { fmtCount, fmtDate, fmtList, formatPct, formatRatio } from './i18n/format.ts';
import { inEveryLang, t } from './i18n/index.ts';
import type { ChartRange } from './chart-request.ts';
import type { Message } from './message.ts';
import type { MoveEvent } from './moves.ts';

/** A chart wide enough to show the move and what came before it (a year's move, 252 closes, would fill a 1Y chart edge to edge). */
const rangeFor = (days: number): ChartRange => (days <= 40 ? '3M' : days <= 100 ? '6M' : days <= 200 ? '1Y' : days <= 1000 ? '5Y' : '10Y');

/**
 * `past`: a later close followed this one before it was decided (closes caught up after days away):
 * the title names the close's day instead of saying "now" of a value that is not today's.
 */
export function moveMessage(e: MoveEvent, past = false, goldDate?: string): Message {
  const pct = String(Number(e.pct.toPrecision(6)));
  // Dates through each language (2026-08-21 / 2026年8月21日), as level alerts do.
  const date = inEveryLang((lang) => fmtDate(e.date, lang));
  const fromDate = inEveryLang((lang) => fmtDate(e.fromDate, lang));
  // Trading days grouped as every other number is (1,260), in each language.
  const days = inEveryLang((lang) => fmtCount(e.days, lang));
  // N closes that span a trading day with no ratio (gold's price over four days old, a source's gap)
  // took N + those trading days: the title says how many it took, a line which closes it compared,
  // as `replay --move` says it ("in 21 trading days (20 closes: no ratio on 1973-12-26)").
  const without = e.without ?? [];
  const took = inEveryLang((lang) => fmtCount(e.days + without.length, lang));
  return {
    title: {
      key: `move.${past ? 'past' : 'alert'}.${e.direction}`,
      params: {
        pair: { key: `pair.${e.pair}` },
        change: formatPct(Math.abs(e.changePct), false),
        days: took,
        value: formatRatio(e.value),
        ...(past && { date }),
      },
    },
    lines: [
      { key: 'move.alert.from', params: { from: formatRatio(e.fromValue), fromDate, value: formatRatio(e.value), date } },
      ...(without.length > 0 ? [{ key: 'move.alert.closes', params: { closes: days, days: took, dates: noRatioOn(without) } }] : []),
      { key: 'move.alert.watch', params: { pct, days } },
      { key: 'alert.basis.close', params: { date } },
      // The close's ratio over an older gold price (London shut): said, as a level alert says it.
      ...(goldDate !== undefined && goldDate < e.date
        ? [{ key: 'alert.goldOlder', params: { gold: inEveryLang((lang) => fmtDate(goldDate, lang)), date } }]
        : []),
    ],
    chart: { kind: 'ratio', pair: e.pair, range: rangeFor(e.days) },
    mention: true,
    tone: e.direction,
    data: {
      type: 'move',
      pair: e.pair,
      direction: e.direction,
      change_pct: e.changePct,
      days: e.days,
      ...(without.length > 0 && { trading_days: e.days + without.length, no_ratio_on: without.join(',') }),
      threshold_pct: e.pct,
      from_date: e.fromDate,
      from_value: e.fromValue,
      date: e.date,
      value: e.value,
      ...(goldDate !== undefined && goldDate < e.date && { gold_date: goldDate }),
    },
  };
}

/** The days with no ratio, each named (2024-02-12 and 2024-02-13); past two (London's gold market shut for two weeks in March 1968), by their ends. */
function noRatioOn(without: readonly string[]) {
  return inEveryLang((lang) =>
    without.length <= 2
      ? fmtList(
          without.map((d) => fmtDate(d, lang)),
          lang,
        )
      : t(lang, 'move.alert.noRatioSpan', { count: fmtCount(without.length, lang), from: fmtDate(without[0]!, lang), to: fmtDate(without.at(-1)!, lang) }),
  );
}
