/** Read-only market commands: ratio, chart, power. */
import { pointOnOrBefore } from '../../domain/series.ts';
import { fmtDate, fmtIndex, formatAge, formatDistance, formatLevel, formatPct } from '../../domain/i18n/format.ts';
import { t, type Lang } from '../../domain/i18n/index.ts';
import { fromLaunchSentence, indexedFromLaunch, m2Sentence, noPowerSentence, powerAt, vsM2Sentence, type IndexPower } from '../../domain/power-check.ts';
import { PAIR_IDS, PAIRS, QQQ_LAUNCH, type PairId } from '../../domain/instruments.ts';
import { goldOlderNotes, type PairReport } from '../../domain/report.ts';
import { daySpanLine } from '../../domain/digest.ts';
import { customLevel, essayLevels } from '../../domain/levels.ts';
import { CHART_RANGES, chatLevels, powerBase, type ChartPlace, type ChartRange, type ChartRequest, type ChartWindow } from '../../domain/chart-request.ts';
import { commandLine, FEW_SAID, THIS_WEEK_SAID } from '../args.ts';
import { A_FEW_COUNT } from '../../domain/han-numbers.ts';
import { defineCommand } from '../define-command.ts';
import { chatLang, type ChatContext, type ChatDeps } from '../context.ts';
import { gap, labelSep, pairName, ratioNear } from '../labels.ts';
import { CHART_TARGETS, chatMessage, thisWeekNoClose, type ChartTarget } from '../parse.ts';
import { whyNoHistory } from '../no-history.ts';
import { chartPlace } from '../replies.ts';
import { copyable, errorReply, reply, type Button, type Line, type Reply } from '../reply.ts';

export const RATIO_CHART_RANGE: ChartRange = '1Y';
export const DEFAULT_CHART_RANGE: ChartRange = '1Y';
/** The power chart starts at the essay's base (QQQ's launch) unless a shorter range is picked. */
export const DEFAULT_POWER_RANGE: ChartRange = 'MAX';

function reportLines(lang: Lang, r: PairReport): Line[] {
  const info = PAIRS[r.pair];
  const pct = (v: number | undefined) => (v === undefined ? '–' : formatPct(v));
  const lines: Line[] = [
    [
      { bold: pairName(lang, r.pair) },
      labelSep(lang),
      { code: ratioNear(r.value, r.levels) },
      gap(lang),
      r.basis === 'live' ? t(lang, 'chat.ratio.live') : t(lang, 'chat.ratio.close', { date: fmtDate(r.closeDate, lang) }),
    ],
    [t(lang, 'chat.ratio.changes', { d1: pct(r.change1d), m1: pct(r.change1m), ytd: pct(r.changeYtd) })],
  ];
  const { above, below, inside, on } = r.levels;
  if (inside) lines.push([t(lang, 'chat.ratio.inside', { level: formatLevel(inside, lang), note: inside.note[lang] })]);
  if (on) lines.push([t(lang, 'chat.ratio.on', { level: formatLevel(on, lang), note: on.note[lang] })]);
  if (above) {
    lines.push([
      t(lang, 'chat.ratio.above', { level: formatLevel(above.level, lang), distance: formatDistance(above.distancePct, true), note: above.level.note[lang] }),
    ]);
  }
  if (below) {
    lines.push([
      t(lang, 'chat.ratio.below', { level: formatLevel(below.level, lang), distance: formatDistance(below.distancePct, true), note: below.level.note[lang] }),
    ]);
  }
  lines.push([
    t(lang, 'chat.ratio.age', {
      numerator: t(lang, `instrument.${info.numerator}`),
      numeratorAge: formatAge(r.ageMs.numerator, lang),
      denominator: t(lang, `instrument.${info.denominator}`),
      denominatorAge: formatAge(r.ageMs.denominator, lang),
    }),
  ]);
  return lines;
}

export const ratioCommand = defineCommand({
  name: 'ratio',
  changesSettings: false,
  args: [{ name: 'pair', kind: 'pair', all: true }],
  describe: (lang) => t(lang, 'chat.cmd.ratio'),
  async execute(deps, ctx, args) {
    const lang = await chatLang(deps, ctx);
    const pairs: readonly PairId[] = args.pair === undefined ? PAIR_IDS : [args.pair as PairId];
    const lines: Line[] = [];
    const reports: PairReport[] = [];
    // The nearest levels are the essay's and the chat's own, as /levels lists them.
    const custom = await ownLevels(deps, ctx);
    for (const pair of pairs) {
      if (lines.length > 0) lines.push([]);
      const own = chatLevels(custom, pair).map((v) => customLevel(pair, v));
      const r = await deps.view.report(pair, ctx.nowMs, [...essayLevels(pair), ...own]);
      // While the first history load runs, or after it could not reach the sources, "no data" would
      // read as "there is none": say it is coming, or why not and when the next try is.
      if (r === undefined) lines.push([(await whyNoHistory(deps, lang, ctx.nowMs, pair)) ?? t(lang, 'chat.noData', { pair: pairName(lang, pair) })]);
      else {
        lines.push(...reportLines(lang, r));
        reports.push(r);
      }
    }
    if (reports.length === 0) return { status: 'error', lines };
    // A close-based ratio over an older gold price (a London holiday, the fix not fetched yet): say
    // which, as the digest and /power do; the digest's sentence when it is both ratios, its singular for one.
    const goldOlder = goldOlderNotes(reports);
    if (goldOlder.length > 0) lines.push([]);
    for (const g of goldOlder) {
      lines.push([t(lang, g.pairs > 1 ? 'digest.goldOlder' : 'chat.ratio.goldOlder', { gold: fmtDate(g.gold, lang), date: fmtDate(g.date, lang) })]);
    }
    // A 1D across days the exchange was shut (the reopening after 9/11) says its base, once.
    const since = reports.find((r) => r.change1dSince !== undefined)?.change1dSince;
    if (since !== undefined) lines.push([], [daySpanLine(since, lang)]);
    const chartPair = pairs.length === 1 ? pairs[0]! : 'spx-gold';
    const own = chatLevels(custom, chartPair);
    return reply(lines, { chart: { kind: 'ratio', pair: chartPair, range: RATIO_CHART_RANGE, ...ownAt(own, chartPlace(ctx)) } });
  },
});

/**
 * A ratio chart's own levels, and where it is shown when it has some (their label names the place:
 * a Discord channel's, a DM's); none, the chart every chat shares.
 */
const ownAt = (own: readonly number[], place: ChartPlace | undefined) => (own.length === 0 ? {} : { own, ...(place !== undefined ? { place } : {}) });

/** The chat's own levels (/mylevels), which its ratio charts draw: none while it is not subscribed, as /levels lists them. */
export async function ownLevels(
  deps: ChatDeps,
  ctx: Pick<ChatContext, 'platform' | 'chatId'>,
): Promise<readonly { readonly pair: PairId; readonly value: number }[]> {
  const sub = await deps.subs.get(ctx.platform, ctx.chatId);
  return sub?.active === true ? sub.customLevels : [];
}

/**
 * The charts the chat commands and their buttons ask for on `today` (the trading date): every
 * pair × range, and the power chart per range, the defaults first. The chart service renders these
 * ahead after each data change (ChartService.warmUp), so a first asker does not wait for a render.
 */
export function askedCharts(today: string): ChartRequest[] {
  const ranges = [DEFAULT_CHART_RANGE, ...CHART_RANGES.filter((r) => r !== DEFAULT_CHART_RANGE)];
  const ratio = ranges.flatMap((range) => PAIR_IDS.map((pair): ChartRequest => ({ kind: 'ratio', pair, range })));
  const powerRanges = [DEFAULT_POWER_RANGE, ...CHART_RANGES.filter((r) => r !== DEFAULT_POWER_RANGE)];
  const power = [...new Set(powerRanges.map((r) => powerBase(r, today)))].map((base): ChartRequest => ({ kind: 'power', base }));
  return [...ratio, ...power];
}

/**
 * Buttons switching the chart's subject and range; the platform edits the message in place. A
 * window's subject buttons keep the window (`chart:qqq-gold:2007-01-01:2009-12-31`: 36 characters,
 * within Telegram's 64 bytes); its range buttons leave it for that range.
 */
export function chartButtons(lang: Lang, target: ChartTarget, range: ChartRange, window?: ChartWindow): Button[][] {
  const targetLabel = (x: ChartTarget) => (x === 'power' ? t(lang, 'chat.chart.power') : pairName(lang, x));
  const shown = window === undefined ? range : `${window.from}:${window.to ?? ''}`;
  return [
    CHART_TARGETS.map((x) => ({ label: targetLabel(x), action: `chart:${x}:${shown}`, selected: x === target })),
    CHART_RANGES.map((r) => ({ label: t(lang, `chart.range.short.${r}`), action: `chart:${target}:${r}`, selected: window === undefined && r === range })),
  ];
}

/**
 * A range's chart, or a window's: a power chart of a window is indexed to 100 at its first day and ends at its last;
 * a ratio chart draws the chat's own levels of its pair (`custom`: all of the chat's).
 */
function chartRequest(
  target: ChartTarget,
  range: ChartRange,
  today: string,
  window: ChartWindow | undefined,
  custom: readonly { readonly pair: PairId; readonly value: number }[],
  place: ChartPlace | undefined,
): Extract<ChartRequest, { kind: 'ratio' | 'power' }> {
  if (target !== 'power') {
    const own = chatLevels(custom, target);
    return { kind: 'ratio', pair: target, range, ...(window !== undefined ? { window } : {}), ...ownAt(own, place) };
  }
  if (window === undefined) return { kind: 'power', base: powerBase(range, today) };
  return { kind: 'power', base: window.from, ...(window.to !== undefined ? { to: window.to } : {}) };
}

/** What a title calls the span: a range's short name, "since 2020-03-01", or "2007-01-01 to 2009-12-31". */
function spanName(lang: Lang, range: ChartRange, window: ChartWindow | undefined): string {
  if (window === undefined) return t(lang, `chart.range.short.${range}`);
  const from = fmtDate(window.from, lang);
  return window.to === undefined ? t(lang, 'chart.range.since', { from }) : t(lang, 'chart.range.window', { from, to: fmtDate(window.to, lang) });
}

/**
 * The chart reply for a subject and a range or a window (used by /chart and by its buttons); `today` is the trading date,
 * `custom` the chat's own levels (ownLevels).
 */
export function chartReply(
  lang: Lang,
  target: ChartTarget,
  range: ChartRange,
  today: string,
  window?: ChartWindow,
  notes: readonly Line[] = [],
  custom: readonly { readonly pair: PairId; readonly value: number }[] = [],
  place?: ChartPlace,
): Reply {
  const chart = chartRequest(target, range, today, window, custom, place);
  const title =
    chart.kind === 'ratio'
      ? t(lang, 'chat.chart.title', { pair: pairName(lang, chart.pair), range: spanName(lang, range, window) })
      : // A range counts back to a calendar day (5Y: a Saturday, perhaps): named as the range, the
        // chart itself names the first close it is indexed to.
        chart.to !== undefined || (window === undefined && range !== 'MAX')
        ? t(lang, 'chat.chart.powerWindow', { window: spanName(lang, range, window) })
        : t(lang, 'chat.chart.powerTitle', { base: fmtDate(chart.base, lang) });
  return reply([[{ bold: title }], ...notes], { chart, buttons: chartButtons(lang, target, range, window) });
}

export const chartCommand = defineCommand({
  name: 'chart',
  changesSettings: false,
  args: [
    { name: 'chart', kind: 'chart' },
    { name: 'range', kind: 'range' },
    // Instead of a range, a span of days: `/chart spx 2007 2009` (a year or month as the end: its last day).
    // 去年, last year, 前年 alone: that calendar year, January to December.
    { name: 'from', kind: 'date', wholePeriod: true },
    { name: 'to', kind: 'date', end: true },
  ],
  describe: (lang) => t(lang, 'chat.cmd.chart'),
  async execute(deps, ctx, args) {
    const lang = await chatLang(deps, ctx);
    const target = (args.chart as ChartTarget | undefined) ?? 'spx-gold';
    const range = (args.range as ChartRange | undefined) ?? (target === 'power' ? DEFAULT_POWER_RANGE : DEFAULT_CHART_RANGE);
    const from = args.from as string | undefined;
    const to = args.to as string | undefined;
    // Examples as the platform takes them (Discord: /chart chart:SPX/Gold from:2007 to:2009).
    const example = (values: Record<string, string>) => copyable(commandLine('chart', chartCommand.args, lang, ctx.platform, { chart: 'spx', ...values }));
    const examples = { window: example({ from: '2007', to: '2009' }), range: example({ range: '5y' }) };
    if (to !== undefined && from === undefined) return errorReply(t(lang, 'chat.chart.toWithoutFrom', examples));
    if (from !== undefined && args.range !== undefined) return errorReply(t(lang, 'chat.chart.rangeAndFrom', examples));
    if (from !== undefined && to !== undefined && to < from)
      // The power chart is indexed at its start (its base); a ratio chart only starts there.
      return errorReply(
        target === 'power'
          ? t(lang, 'chat.power.toBeforeBase', { base: fmtDate(from, lang), to: fmtDate(to, lang) })
          : t(lang, 'chat.chart.toBeforeFrom', { from: fmtDate(from, lang), to: fmtDate(to, lang) }),
      );
    const window = from === undefined ? undefined : { from, ...(to !== undefined ? { to } : {}) };
    const why = await whyNoHistory(deps, lang, ctx.nowMs, target === 'power' ? undefined : target);
    if (why !== undefined) {
      // Nothing to draw yet (loading, or the sources unreachable): the chart would only say "not enough data".
      const empty = target === 'power' ? powerAt(await deps.view.power(QQQ_LAUNCH)) === undefined : (await deps.view.ratio(target)).length < 2;
      if (empty) return errorReply(why);
    }
    const shown = window === undefined ? undefined : await closesIn(deps, target, window);
    if (window !== undefined && shown === undefined && window.to === undefined) {
      // Asked from a day after the latest close (`/chart spx 3w` while the data is older): name that close.
      const last = target === 'power' ? await deps.view.lastPowerDate() : (await deps.view.ratio(target)).at(-1)?.date;
      // This week on New York's Monday before its close: no close of it yet, said as the week it is, with the one just ended to type.
      const week = args[THIS_WEEK_SAID] as string | undefined;
      if (last !== undefined && last < window.from && week !== undefined) {
        const e = thisWeekNoClose(week, lang);
        if (!e.ok)
          return errorReply(chatMessage(lang, { ...e.error, key: `${e.error.key}.latest`, params: { ...e.error.params, latest: last }, dates: ['latest'] }));
      }
      if (last !== undefined && last < window.from)
        return errorReply(t(lang, 'chat.power.after', { base: fmtDate(window.from, lang), last: fmtDate(last, lang) }));
    }
    const later = await startsLater(deps, lang, target, window);
    // `a few years`, 幾個月: no exact count; the 3 it was read as is said, naming the word (the title shows only its dates or range).
    const few = args[FEW_SAID] as string | undefined;
    const notes: Line[] = [
      ...(later === undefined ? [] : [[later]]),
      ...(few === undefined ? [] : [[{ italic: t(lang, 'chat.readAs.aFew', { word: few, n: A_FEW_COUNT }) }]]),
    ];
    return chartReply(lang, target, range, deps.today(ctx.nowMs), shown ?? window, notes, await ownLevels(deps, ctx), chartPlace(ctx));
  },
});

/**
 * Asked to start before the history does (`/chart qqq 1990`: QQQ began in 1999): where the chart
 * starts instead, and that it is the history's start, not a gap; else undefined.
 */
async function startsLater(deps: ChatDeps, lang: Lang, target: ChartTarget, w: ChartWindow | undefined): Promise<string | undefined> {
  if (w === undefined) return undefined;
  // The power chart's four series start together at QQQ's launch at the earliest.
  const first = target === 'power' ? (await deps.view.power(QQQ_LAUNCH))?.dates[0] : (await deps.view.ratio(target))[0]?.date;
  // A window that ends before the history starts has nothing to start at: the chart says so itself.
  if (first === undefined || first <= w.from || (w.to !== undefined && w.to < first)) return undefined;
  const pair = target === 'power' ? t(lang, 'chat.choice.power') : pairName(lang, target);
  return t(lang, 'chat.chart.startsLater', { pair, first: fmtDate(first, lang), asked: fmtDate(w.from, lang) });
}

/**
 * The window as its closes have it, so the reply's title says what the chart shows: its first close,
 * and its last when it has an end (`/chart qqq 1999 2002` starts 1999-03-10, at QQQ's launch);
 * undefined when no close lies in it.
 */
async function closesIn(deps: ChatDeps, target: ChartTarget, w: ChartWindow): Promise<ChartWindow | undefined> {
  const dates =
    target === 'power'
      ? ((await deps.view.power(w.from))?.dates ?? []).filter((d) => w.to === undefined || d <= w.to)
      : (await deps.view.ratio(target, w.from, w.to)).map((p) => p.date);
  if (dates.length === 0) return undefined;
  return { from: dates[0]!, ...(w.to !== undefined ? { to: dates.at(-1)! } : {}) };
}

export const powerCommand = defineCommand({
  name: 'power',
  changesSettings: false,
  args: [
    { name: 'base', kind: 'date', bothPairs: true },
    { name: 'to', kind: 'date', end: true, bothPairs: true },
  ],
  describe: (lang) => t(lang, 'chat.cmd.power'),
  async execute(deps, ctx, args) {
    const lang = await chatLang(deps, ctx);
    const base = (args.base as string | undefined) ?? QQQ_LAUNCH;
    // An end date reads the table as of that day (the essay's own figures on the day it was written).
    const to = args.to as string | undefined;
    if (to !== undefined && to < base) return errorReply(t(lang, 'chat.power.toBeforeBase', { base: fmtDate(base, lang), to: fmtDate(to, lang) }));
    const p = powerAt(await deps.view.power(base), to);
    if (p === undefined) {
      const why = await whyNoHistory(deps, lang, ctx.nowMs);
      if (why !== undefined) return errorReply(why);
      // A base after the last close the four series share: name that close, rather than guess why.
      const last = await deps.view.lastPowerDate();
      const after = last !== undefined && base > last;
      if (after) return errorReply(t(lang, 'chat.power.after', { base: fmtDate(base, lang), last: fmtDate(last, lang) }));
      // Else say what is missing (M2, which the base date needs, most often).
      return errorReply(noPowerSentence((await deps.view.snapshot()).closes('m2'), base, lang));
    }
    const golds = (await deps.view.snapshot()).closes('gold');
    const gold = pointOnOrBefore(golds, p.date)?.date;
    // The base's close over an older gold price too (the base on a London holiday): its gold figures start from that price.
    const baseGold = pointOnOrBefore(golds, p.base)?.date;
    const idx = (v: number) => fmtIndex(v, lang);
    const row = (name: string, x: IndexPower): Line => [
      { bold: name },
      labelSep(lang),
      x.m2 === undefined
        ? t(lang, 'chat.power.rowNoM2', { usd: idx(x.usd), gold: idx(x.gold) })
        : t(lang, 'chat.power.row', { usd: idx(x.usd), gold: idx(x.gold), m2: idx(x.m2) }),
    ];
    const verdicts = (['spx', 'qqq'] as const).flatMap((k): Line[] =>
      p[k].m2 === undefined ? [] : [[vsM2Sentence(t(lang, `instrument.${k}`), p[k].m2, lang)]],
    );
    return reply(
      [
        [t(lang, 'chat.power.title', { base: fmtDate(p.base, lang), date: fmtDate(p.date, lang) })],
        // Asked for a base before QQQ existed: say why the index starts later than asked.
        ...(indexedFromLaunch(base, p) ? [[fromLaunchSentence(base, lang)]] : []),
        row(t(lang, 'instrument.spx'), p.spx),
        row(t(lang, 'instrument.qqq'), p.qqq),
        // The day's close divided by an older gold price (carried over a London holiday, or not fetched yet): say which.
        // A base that is the table's own day (/power on the latest close) has that said once, by the line after.
        ...(baseGold !== undefined && baseGold < p.base && p.base !== p.date
          ? [[t(lang, 'chat.power.goldOlderBase', { gold: fmtDate(baseGold, lang), date: fmtDate(p.base, lang) })]]
          : []),
        ...(gold !== undefined && gold < p.date ? [[t(lang, 'chat.power.goldOlder', { gold: fmtDate(gold, lang), date: fmtDate(p.date, lang) })]] : []),
        [m2Sentence(p, lang)],
        ...verdicts,
        // Who beat M2 is said of price indices: an investor's return had the dividends too.
        ...(verdicts.length > 0 ? [[{ italic: t(lang, 'chat.power.dividends') }]] : []),
        // What a gold figure under 100 means, when one is.
        ...(p.spx.gold < 100 || p.qqq.gold < 100 ? [[{ italic: t(lang, 'chat.power.note') }]] : []),
        // `a few years`, 幾年: no exact count; the 3 it was read as is said, naming the word.
        ...(args[FEW_SAID] === undefined ? [] : [[{ italic: t(lang, 'chat.readAs.aFew', { word: args[FEW_SAID] as string, n: A_FEW_COUNT }) }]]),
      ],
      // The chart ends where the table does: an end asked for cuts it there.
      { chart: to === undefined ? { kind: 'power', base: p.base } : { kind: 'power', base: p.base, to: p.date } },
    );
  },
});
