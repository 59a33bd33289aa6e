/** Read-only reference commands: the essay's levels, the last level breaks, data freshness. */
import { goldGap } from '../../domain/gold-gap.ts';
import { sourceName } from '../../domain/source-name.ts';
import { daysBetween } from '../../domain/dates.ts';
import { formatAge, formatDistance, formatPrice, formatRatioBeside } from '../../domain/i18n/format.ts';
import { t, type Lang } from '../../domain/i18n/index.ts';
import { INSTRUMENT_INFO, PAIR_IDS, type PairId } from '../../domain/instruments.ts';
import { customLevel, ERAS, ESSAY_LEVELS, essayLevels, isZone, levelById, type Level } from '../../domain/levels.ts';
import type { LevelEvent } from '../../store/events.ts';
import { crossingOptions, storyAt } from '../../store/story-view.ts';
import { historyLines, type HistoryLine } from '../../domain/history-list.ts';
import { watchesOf } from '../../domain/watches.ts';
import type { Point } from '../../domain/series.ts';
import type { LevelRecord } from '../../domain/level-record.ts';
import type { MarketView } from '../../store/market-view.ts';
import { defineCommand } from '../define-command.ts';
import { distancePct, gap, labelSep, pairName, ratioNear } from '../labels.ts';
import { fmtCount, fmtDate, fmtList, fmtMonth, formatLevel, formatLevelValue } from '../../domain/i18n/format.ts';
import { chatLang } from '../context.ts';
import { reply, type Line } from '../reply.ts';
import { unreachableLine } from '../no-history.ts';

export const HISTORY_LIMIT = 10;

function levelLine(lang: Lang, level: Level, value: number | undefined): Line {
  const era = ERAS.find((e) => e.id === level.era);
  const line: Line = [{ code: formatLevel(level, lang) }, ' ', level.note[lang]];
  const extra: string[] = [];
  if (era) extra.push(era.name[lang]);
  if (value !== undefined) {
    const d = distancePct(value, level);
    // At 0 a zone holds the value; a line has no inside: the value is on it.
    const at = isZone(level) ? 'chat.levels.inside' : 'chat.levels.on';
    extra.push(d === 0 ? t(lang, at) : t(lang, 'chat.levels.distance', { distance: formatDistance(d, true) }));
  }
  return extra.length > 0 ? [...line, ` · ${extra.join(' · ')}`] : line;
}

/**
 * Under an essay level, what the stored closes show for its era (domain/level-record.ts): the
 * essay's words stay as written, this line is the data beside them. The extreme is printed with the
 * digits that tell it from the level (0.2259 beside 0.25; never 0.6000 for a close under 0.6).
 */
function recordLine(lang: Lang, level: Level, r: LevelRecord): Line {
  const outcome =
    r.outcome === 'short' || r.outcome === 'beyond'
      ? t(lang, `chat.levels.record.${r.outcome}.${r.side}`, { pct: formatDistance(r.pct) })
      : r.outcome === 'inside'
        ? t(lang, `chat.levels.record.inside.${r.side}`)
        : t(lang, 'chat.levels.record.on');
  // That day's ratio divided by an older gold price (a London holiday): said, as /ratio and the digest say it.
  const gold = r.goldDate === undefined ? [] : [t(lang, 'chat.levels.record.goldOlder', { gold: fmtDate(r.goldDate, lang) })];
  return [
    '↳ ',
    t(lang, `chat.levels.record.${r.side}.${r.scope}`, { value: formatRatioBeside(r.value, level), date: fmtDate(r.date, lang), outcome }),
    ...gold,
  ];
}

/**
 * /levels' lines: each pair's value now (or its close), its essay levels with the distance to each
 * and what the closes of the level's era show, then `own` levels (a chat's). `goldratio levels`
 * prints the same lines.
 */
export async function levelsLines(
  lang: Lang,
  view: MarketView,
  nowMs: number,
  pairs: readonly PairId[],
  own: (pair: PairId) => readonly Level[] = () => [],
): Promise<Line[]> {
  const lines: Line[] = [];
  // The era records come from the closes at one data version, computed once per version (MarketSnapshot.levelRecord).
  const snap = await view.snapshot();
  for (const pair of pairs) {
    if (lines.length > 0) lines.push([]);
    const report = await view.report(pair, nowMs);
    const value = report?.value;
    lines.push([
      { bold: pairName(lang, pair) },
      labelSep(lang),
      // Only a live value is "now"; a close says which one (as /ratio does), however old it is.
      ...(report === undefined
        ? [t(lang, 'chat.levels.noValue')]
        : report.basis === 'live'
          ? [t(lang, 'chat.levels.now', { value: ratioNear(report.value, report.levels) })]
          : [ratioNear(report.value, report.levels), gap(lang), t(lang, 'chat.ratio.close', { date: fmtDate(report.closeDate, lang) })]),
    ]);
    for (const level of essayLevels(pair)) {
      lines.push(levelLine(lang, level, value));
      const record = snap.levelRecord(level);
      if (record !== undefined) lines.push(recordLine(lang, level, record));
    }
    for (const level of own(pair)) lines.push(levelLine(lang, level, value));
  }
  return lines;
}

export const levelsCommand = defineCommand({
  name: 'levels',
  changesSettings: false,
  args: [{ name: 'pair', kind: 'pair', all: true }],
  describe: (lang) => t(lang, 'chat.cmd.levels'),
  async execute(deps, ctx, args) {
    const lang = await chatLang(deps, ctx);
    const sub = await deps.subs.get(ctx.platform, ctx.chatId);
    const only = args.pair as PairId | undefined;
    const own = (pair: PairId) =>
      sub?.active
        ? sub.customLevels
            .filter((c) => c.pair === pair)
            .sort((a, b) => b.value - a.value)
            .map((c) => customLevel(pair, c.value))
        : [];
    return reply(await levelsLines(lang, deps.view, ctx.nowMs, only === undefined ? PAIR_IDS : [only], own));
  },
});

/** The text of one decided event: "broke above 2.5 at 2.512". */
export function eventText(lang: Lang, e: Pick<LevelEvent, 'pair' | 'levelId' | 'levelValue' | 'kind' | 'direction' | 'value'>): string {
  const essay = levelById(e.levelId);
  const level = essay ? formatLevel(essay, lang) : formatLevelValue(e.levelValue);
  // A line break says its direction in its kind; zone and approach events need the direction to read right.
  const key = e.kind === 'cross-up' || e.kind === 'cross-down' ? `chat.event.${e.kind}` : `chat.event.${e.kind}.${e.direction}`;
  // Beside its level with the digits that tell it from it, as the alert said it: 0.02998, not 0.0300 on 0.03.
  return t(lang, key, { level, value: formatRatioBeside(e.value, essay ?? customLevel(e.pair, e.levelValue)) });
}

export const historyCommand = defineCommand({
  name: 'history',
  changesSettings: false,
  args: [{ name: 'pair', kind: 'pair', all: true }],
  describe: (lang) => t(lang, 'chat.cmd.history'),
  async execute(deps, ctx, args) {
    const lang = await chatLang(deps, ctx);
    const pair = args.pair as PairId | undefined;
    // Live decided events, and the breaks the closes of the whole stored history hold (the story's,
    // domain/level-history.ts): a fresh install has 27 years of them before its first live one.
    // The essay's levels and this chat's own watches: another chat's own levels, or its own
    // approach % on an essay level, are its business.
    const sub = await deps.subs.get(ctx.platform, ctx.chatId);
    const own = sub === undefined ? [] : watchesOf(sub, deps.config.approachPct);
    // Approach events only of the watches the chat takes them from: a chat at its own approach %
    // was not told the default watch's approaches, and its /history does not list them either.
    const approaches =
      sub === undefined || sub.approachPct === deps.config.approachPct ? undefined : own.filter((w) => w.wantsApproach).map((w) => w.watch.key);
    const keys = [...new Set([...ESSAY_LEVELS.map((l) => l.id), ...own.map((w) => w.watch.key)])];
    const snap = await deps.view.snapshot();
    const breaks = storyAt(deps.view, snap, crossingOptions(deps.config)).breaks.filter((e) => pair === undefined || e.pair === pair);
    const series: Partial<Record<PairId, readonly Point[]>> = {};
    for (const p of PAIR_IDS) series[p] = snap.ratio(p);
    // Each break once, dated by its first close beyond the edge (domain/history-list.ts), the alert's close beside it.
    // Events older than those fetched may tell a listed break (it is no "history") or be the alert of a
    // held break listed: fetched further back until none of the lines shown needs older ones.
    let merged: HistoryLine[] = [];
    for (let n = HISTORY_LIMIT * 2; ; n *= 4) {
      const events = await deps.events.recent(n, pair, keys, approaches);
      const r = historyLines(events, breaks, series, HISTORY_LIMIT, events.length < n);
      merged = r.lines;
      if (!r.needsOlder) break;
    }
    if (merged.length === 0) return reply([[t(lang, 'chat.history.none')]]);
    const lines: Line[] = [[{ bold: t(lang, 'chat.history.title', { count: merged.length }) }]];
    for (const e of merged) {
      const line: Line[number][] = [{ code: fmtDate(e.date, lang) }, labelSep(lang), { bold: pairName(lang, e.pair) }, gap(lang), eventText(lang, e)];
      if (e.alerted !== undefined) {
        // An alert at a close before the run that held (domain/history-list.ts): said so, or "alerted" before the day named reads as a slip.
        const key = e.alerted.date < e.date ? 'chat.history.early' : e.alerted.late ? 'chat.history.late' : 'chat.history.alerted';
        line.push(gap(lang), t(lang, key, { date: fmtDate(e.alerted.date, lang) }));
      }
      if (e.historic) line.push(gap(lang), { italic: t(lang, 'chat.history.historic') });
      lines.push(line);
    }
    return reply(lines);
  },
});

/** The most ranges not fetched /status names on an instrument's line; the rest are counted. */
const UNFETCHED_NAMED = 2;

/** "2012-11-16..2020-01-01 not fetched yet; asked again at each sync": the ranges a sync kept to ask again (store/unfetched.ts). */
function unfetchedText(ranges: readonly { readonly from: string; readonly to: string }[], lang: Lang): string {
  const named = fmtList(
    ranges.slice(0, UNFETCHED_NAMED).map((r) => t(lang, 'chat.status.unfetchedRange', { from: fmtDate(r.from, lang), to: fmtDate(r.to, lang) })),
    lang,
  );
  const more = ranges.length - UNFETCHED_NAMED;
  return more > 0 ? t(lang, 'chat.status.unfetchedMore', { ranges: named, more }) : t(lang, 'chat.status.unfetched', { ranges: named });
}

export const statusCommand = defineCommand({
  name: 'status',
  changesSettings: false,
  args: [],
  describe: (lang) => t(lang, 'chat.cmd.status'),
  async execute(deps, ctx) {
    const lang = await chatLang(deps, ctx);
    const today = deps.today(ctx.nowMs);
    const lines: Line[] = [[{ bold: t(lang, 'chat.status.title') }]];
    const series = await deps.view.status();
    // A start's sync on a database with every series' history only adds the days since: not "loading".
    if (deps.historyLoading?.() === true) lines.push([t(lang, series.every((s) => s.lastDate !== undefined) ? 'chat.status.updating' : 'chat.status.loading')]);
    const unreachable = await unreachableLine(deps, lang, ctx.nowMs);
    if (unreachable !== undefined) lines.push([unreachable]);
    // The stocks closed on a day gold has no price for: said beside gold's, not left to read as "nothing missing".
    const goldBehind = goldGap(
      series.find((s) => s.instrument === 'gold')?.lastDate,
      series.filter((s) => s.instrument === 'spx' || s.instrument === 'qqq').map((s) => s.lastDate),
    );
    for (const s of series) {
      const name = t(lang, `instrument.${s.instrument}`);
      if (s.lastDate === undefined || s.lastClose === undefined) {
        // A history no source gave yet may still have a range kept to ask again: said, as on a line with closes.
        lines.push([{ bold: name }, labelSep(lang), t(lang, 'chat.status.none'), ...(s.unfetched.length > 0 ? [' · ', unfetchedText(s.unfetched, lang)] : [])]);
        continue;
      }
      const figures = { close: formatPrice(s.lastClose), source: s.source === undefined ? '?' : sourceName(s.source, lang), rows: fmtCount(s.rows, lang) };
      const line: Line[number][] = [
        { bold: name },
        labelSep(lang),
        // M2 is a monthly figure (billions of USD), not a close.
        INSTRUMENT_INFO[s.instrument].frequency === 'monthly'
          ? t(lang, 'chat.status.month', { month: fmtMonth(s.lastDate, lang), ...figures })
          : t(lang, 'chat.status.close', { date: fmtDate(s.lastDate, lang), ...figures }),
      ];
      if (s.latestQuote) {
        line.push(
          ' · ',
          t(lang, 'chat.status.live', { price: formatPrice(s.latestQuote.price), age: formatAge(Math.max(0, ctx.nowMs - s.latestQuote.asOf), lang) }),
        );
      }
      if (s.instrument === 'gold' && goldBehind !== undefined)
        line.push(' · ', t(lang, goldBehind.carried ? 'chat.status.goldMissing' : 'chat.status.goldGap', { date: fmtDate(goldBehind.date, lang) }));
      if (daysBetween(s.lastDate, today) > INSTRUMENT_INFO[s.instrument].staleAfterDays) line.push(' · ', { bold: t(lang, 'chat.status.stale') });
      if (s.unfetched.length > 0) line.push(' · ', unfetchedText(s.unfetched, lang));
      lines.push(line);
    }
    return reply(lines);
  },
});
