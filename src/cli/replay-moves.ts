/**
 * `goldratio replay --move spx:10:20[,qqq:15:60] [--top N]`: the move alerts a chat with those
 * /move settings would have got over the stored history, through the same rules as the live
 * engine (domain/moves.ts, the configured cooldown), each with how far its move went before it
 * eased. `--top N` keeps the N largest moves, largest first: a market's fastest N-day moves.
 */
import { PAIRS, parsePair, type PairId } from '../domain/instruments.ts';
import { MAX_MOVE_DAYS, MAX_MOVE_PCT, MIN_MOVE_PCT, replayMoves, type MoveSpec, type ReplayedMove } from '../domain/moves.ts';
import { formatPct, formatRatio } from '../domain/i18n/format.ts';
import type { Point } from '../domain/series.ts';
import { parseMovePct, parseMoveSpan, spanLongUnit } from '../chat/parse-alerts.ts';
import { cut } from './args.ts';
import { UserError } from './command.ts';

/** `spx:10:20` (pair, percent, trading days), several joined by commas; `spx:10%:1m` as /move takes it. */
export function parseMoveArg(value: string): MoveSpec[] {
  const items = value.split(',');
  if (items.length > 1 && items.some((i) => i.trim() === ''))
    throw new UserError(`--move "${cut(value)}": an empty entry (a stray comma?); expected pair:percent:days like spx:10:20[,qqq:15:60]`);
  const specs = items.map((item) => {
    const [p, pct, days, extra] = item.trim().split(':');
    const bad = (why: string) => new UserError(`--move "${cut(item.trim())}": ${why}; expected pair:percent:days like spx:10:20`);
    const pair = p === undefined ? undefined : parsePair(p);
    if (pair === undefined || extra !== undefined) throw bad(pair === undefined ? `unknown pair "${cut(p ?? '')}" (use spx or qqq)` : 'too many parts');
    // As /move reads them (chat/parse-alerts.ts): 10, 10%, ±10; 20, 20d, and weeks, months, quarters and years as trading days (4w, 1m, 1q, 1y).
    const v = pct === undefined ? undefined : parseMovePct(pct);
    if (v?.ok !== true) throw bad(`percent must be a number from ${MIN_MOVE_PCT} to ${MAX_MOVE_PCT}`);
    const span = days === undefined ? undefined : parseMoveSpan(days);
    if (span?.ok !== true) {
      const unit = span === undefined ? undefined : spanLongUnit(span.error.key);
      if (span !== undefined && unit !== undefined) {
        throw bad(
          `${cut(days ?? '')} is ${span.error.params.days} trading days; a move spans at most ${span.error.params.most} ${unit}s (${MAX_MOVE_DAYS} trading days)`,
        );
      }
      if (span?.error.key === 'chat.err.moveHalfWeek') throw bad(`${cut(days ?? '')} is half a week, 2.5 trading days; give 2 or 3, or 1w (5)`);
      throw bad(`days must be a whole number from 1 to ${MAX_MOVE_DAYS}`);
    }
    return { pair, pct: v.value, days: span.value.days };
  });
  // The same alert twice would list each of its moves twice.
  const seen = new Set<string>();
  for (const m of specs) {
    const key = `${m.pair}:${m.pct}:${m.days}`;
    if (seen.has(key)) throw new UserError(`--move "${cut(value)}": ${m.pair === 'spx-gold' ? 'spx' : 'qqq'}:${m.pct}:${m.days} is given twice`);
    seen.add(key);
  }
  return specs;
}

export function topArg(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,6}$/.test(value) || Number(value) < 1) throw new UserError(`--top must be a whole number, 1 or more, got "${cut(value)}"`);
  return Number(value);
}

/** With `from`, the watches are made on that day over the whole `series` (the closes before it give the first changes). */
export function moveReplay(
  specs: readonly MoveSpec[],
  series: Partial<Record<PairId, readonly Point[]>>,
  cooldownDays: number,
  top?: number,
  from?: string,
): ReplayedMove[] {
  const all = specs.flatMap((m) => replayMoves(m, series[m.pair] ?? [], cooldownDays, from));
  if (top !== undefined) return all.sort((a, b) => Math.abs(b.peakPct) - Math.abs(a.peakPct) || (a.date < b.date ? -1 : 1)).slice(0, top);
  return all.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** A span of N closes with trading days in it that had no ratio: how many trading days it really took, and which. */
const spanJson = (days: number, without: readonly string[] | undefined) =>
  without === undefined ? {} : { tradingDays: days + without.length, noRatioOn: without };

export const moveJson = (e: ReplayedMove) => ({
  date: e.date,
  pair: e.pair,
  move: `${e.pct}% / ${e.days}d`,
  direction: e.direction,
  changePct: Number(e.changePct.toFixed(2)),
  from: { date: e.fromDate, value: Number(e.fromValue.toPrecision(6)) },
  value: Number(e.value.toPrecision(6)),
  ...spanJson(e.days, e.without),
  peak: { date: e.peakDate, changePct: Number(e.peakPct.toFixed(2)), ...spanJson(e.days, e.peakWithout) },
});

/**
 * "20 trading days"; N closes that span a trading day the ratio has none for (gold's price over four
 * days old: 1973-12-26, 1984-12-26) took longer, and say so: "21 trading days (20 closes: no ratio on 1973-12-26)".
 */
function spanText(days: number, without: readonly string[] | undefined): string {
  if (without === undefined) return `${days} trading ${days === 1 ? 'day' : 'days'}`;
  // London's gold market shut for two weeks in March 1968: nine such days in a row, named by their ends.
  const which = without.length <= 2 ? without.join(', ') : `${without.length} trading days, ${without[0]} to ${without.at(-1)}`;
  return `${days + without.length} trading days (${days} ${days === 1 ? 'close' : 'closes'}: no ratio on ${which})`;
}

export function moveLine(e: ReplayedMove): string {
  // Trading days, said in full: "20 d" is how the CLI writes calendar days (the data age, the
  // cooldown), and 20 trading days are about 28 of those.
  const what = `${e.direction === 'up' ? 'up' : 'down'} ${formatPct(Math.abs(e.changePct), false)} in ${spanText(e.days, e.without)}`;
  // The peak is the largest change over the same N trading days, to its own day: not from the base
  // shown beside it ("0.8975 → 0.7976  peak -28.8% on 2011-08-19" read as -28.8% from 0.8975, which
  // by then was -32.8%). Said with its span, so it reads as what it is.
  return `${e.date}  ${PAIRS[e.pair].label.padEnd(8)}  ${what.padEnd(32)}  ${formatRatio(e.fromValue)} → ${formatRatio(e.value)}  peak ${formatPct(e.peakPct)} in the ${spanText(e.days, e.peakWithout)} to ${e.peakDate}`;
}
