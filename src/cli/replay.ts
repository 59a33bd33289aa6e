/**
 * `goldratio replay [--from D|SPAN] [--to D] [--json]`: the stored history run through the same
 * crossing engine as the live alerts, from a fresh state: every event it would have sent. A break
 * the cooldown held is listed as the alert and /history tell it: at its own date and ratio,
 * reported late at the close that sent it.
 */
import type { Command } from './command.ts';
import { CLI_SPECS } from './specs.ts';
import { baseDateArg, dateArg, json, parseCli } from './args.ts';
import { noData, noDataInSpan, storeOf, UserError, whereOf } from './command.ts';
import { PAIR_IDS, PAIRS, type PairId } from '../domain/instruments.ts';
import { customLevel, ESSAY_LEVELS, levelById } from '../domain/levels.ts';
import { replay, type ReplayEvent } from '../domain/crossing.ts';
import { formatRatioBeside } from '../domain/i18n/format.ts';
import type { Point } from '../domain/series.ts';
import { MarketView } from '../store/market-view.ts';
import { QuoteStore } from '../store/quotes.ts';
import { moveJson, moveLine, moveReplay, parseMoveArg, topArg } from './replay-moves.ts';

const figure = (v: number) => Number(v.toPrecision(6));

/** A late event's `date` and `value` are its break's own; `late` says when it was sent, at what ratio, after which break. */
export const replayJson = (e: ReplayEvent) => ({
  date: e.late?.since ?? e.date,
  pair: e.pair,
  level: e.levelId,
  kind: e.kind,
  value: figure(e.late?.value ?? e.value),
  ...(e.late && { late: { reported: e.date, value: figure(e.value), after: e.late.after } }),
});

function replayLine(e: ReplayEvent): string {
  // The ratio beside its level, as the alert has it: an approach at 0.02998 is not "0.0300", on 0.03.
  const level = levelById(e.levelId) ?? customLevel(e.pair, e.levelValue);
  const formatRatio = (v: number) => formatRatioBeside(v, level);
  const kind = e.kind === 'cross-up' || e.kind === 'cross-down' ? e.kind : `${e.kind} ${e.direction}`;
  const line = `${e.late?.since ?? e.date}  ${PAIRS[e.pair].label.padEnd(8)}  ${e.levelId.padEnd(18)}  ${kind.padEnd(15)}  ${formatRatio(e.late?.value ?? e.value)}`;
  return e.late ? `${line}  (reported late, ${e.date}: now ${formatRatio(e.value)})` : line;
}

/** By the break's own date (a late one sorts where it happened); same-date events keep the engine's order. */
const byBreakDate = (a: ReplayEvent, b: ReplayEvent): number => {
  const [x, y] = [a.late?.since ?? a.date, b.late?.since ?? b.date];
  return x < y ? -1 : x > y ? 1 : 0;
};

export const replayCommand: Command = {
  ...CLI_SPECS.replay,
  database: 'read',
  async run(args, ctx) {
    const { values } = parseCli(args, {
      from: { type: 'string' },
      to: { type: 'string' },
      json: { type: 'boolean' },
      move: { type: 'string' },
      top: { type: 'string' },
    });
    // A start after today is refused naming today (as power's --base and chart's --from are); a span back (1y) is read too.
    const from = baseDateArg(values.from, '--from', (ctx.now ?? Date.now)());
    const to = dateArg(values.to, '--to', 'end');
    if (from !== undefined && to !== undefined && from > to) throw new UserError(`--from ${from} is after --to ${to}`);
    const moves = values.move === undefined ? undefined : parseMoveArg(values.move);
    const top = topArg(values.top);
    if (top !== undefined && moves === undefined) throw new UserError('--top needs --move (the largest moves of a move alert)');
    const view = new MarketView(new QuoteStore(await storeOf(ctx)));
    const series: Partial<Record<PairId, readonly Point[]>> = {};
    for (const pair of PAIR_IDS) series[pair] = await view.ratio(pair, from, to);
    if (PAIR_IDS.every((p) => (series[p]?.length ?? 0) === 0) && (from || to)) {
      // The longer-running pair's stored span (SPX/Gold's, from 1968, holds QQQ/Gold's).
      const all = await view.ratio('spx-gold', undefined, undefined);
      if (all.length > 0) throw noDataInSpan('', { from, to }, all);
    }
    if (PAIR_IDS.every((p) => (series[p]?.length ?? 0) === 0))
      throw noData(from || to ? `from ${from ?? 'the start'} to ${to ?? 'today'}` : 'yet', whereOf(ctx));
    if (moves !== undefined) {
      // A watch made on --from has the closes before it (a live one reads them): its first N-day change is the day's, not N days on.
      const whole: Partial<Record<PairId, readonly Point[]>> = {};
      for (const pair of PAIR_IDS) whole[pair] = from === undefined ? (series[pair] ?? []) : await view.ratio(pair, undefined, to);
      const found = moveReplay(moves, whole, ctx.config.cooldownDays, top, from);
      if (values.json === true) ctx.out(json(found.map(moveJson)));
      else
        ctx.out(
          [
            ...found.map(moveLine),
            `${found.length} move(s)${top !== undefined ? `, the ${top} largest` : ''}; ${moves.map((m) => `${PAIRS[m.pair].label} ${m.pct}% over ${m.days} trading ${m.days === 1 ? 'day' : 'days'}`).join(', ')}; cooldown ${ctx.config.cooldownDays} d`,
          ].join('\n'),
        );
      return 0;
    }
    const events = replay(series, ESSAY_LEVELS, {
      approachPct: ctx.config.approachPct,
      hysteresisPct: ctx.config.hysteresisPct,
      cooldownDays: ctx.config.cooldownDays,
    }).sort(byBreakDate);
    if (values.json === true) {
      ctx.out(json(events.map(replayJson)));
    } else {
      const span = PAIR_IDS.map((p) => {
        const s = series[p] ?? [];
        return s.length === 0 ? `${PAIRS[p].label}: no data` : `${PAIRS[p].label} ${s[0]!.date}..${s[s.length - 1]!.date}`;
      });
      ctx.out(
        [
          ...events.map(replayLine),
          `${events.length} ${events.length === 1 ? 'event' : 'events'}; ${span.join(', ')}; hysteresis ${ctx.config.hysteresisPct}%, cooldown ${ctx.config.cooldownDays} d, approach ${ctx.config.approachPct}%`,
        ].join('\n'),
      );
    }
    return 0;
  },
};
