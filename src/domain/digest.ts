/**
 * What a digest says, as data, and its text in a language. Pure: series, story and power in;
 * the clock never read here (the digest speaks about the last US close it is given).
 */
import { addDays, addMonths, startOfYear } from './dates.ts';
import { LANGS, t, type Lang } from './i18n/index.ts';
import { localizeText, type Message, type Text } from './message.ts';
import { fmtCount, fmtDate, fmtDistance, fmtIndexPct, fmtMonth, fmtNumber, fmtPct, formatLevel, formatLevelValue } from './i18n/format.ts';
import { QQQ_LAUNCH, type PairId } from './instruments.ts';
import { levelById, levelValue, nearestLevels, ratioNear, type Level, type NearestLevels } from './levels.ts';
import { pctChange, type PowerSeries } from './ratio.ts';
import { pointOnOrBefore, type Point } from './series.ts';
import { approachingLevels, type PairStory } from './story.ts';
import { HOLD_CLOSES } from './level-history.ts';
import { daySpan, daysBetween, isDayBase, MAX_BASE_SLACK, type DaySpan } from './report.ts';
import { powerAt, vsM2, type IndexPower } from './power-check.ts';
import { lastCloseBefore } from './digest-schedule.ts';
import { isTradingDay } from './nyse-calendar.ts';

export interface DigestPair {
  readonly pair: PairId;
  readonly date: string;
  readonly value: number;
  readonly change1d: number | undefined;
  /** The 1D's base, when a closure of the exchange (9/11, a funeral) lies between it and the close. */
  readonly change1dSince?: DaySpan;
  readonly change1w: number | undefined;
  readonly changeYtd: number | undefined;
  /** The essay's nearest level above and below, distance in % of the value (levels.ts nearestLevels). */
  readonly levels: NearestLevels;
  /** Levels within the approach % now. */
  readonly approaching: readonly Level[];
  readonly story: PairStory | undefined;
}

export interface PowerLine {
  /** Index value (base = 100) in USD, in gold, and deflated by M2 (undefined: no M2 to measure against, see DigestData.power.m2Old). */
  readonly usd: number;
  readonly gold: number;
  readonly m2: number | undefined;
}

export interface DigestData {
  /** The last US close the digest speaks about. */
  readonly date: string;
  readonly approachPct: number;
  readonly pairs: readonly DigestPair[];
  readonly m2Yoy: { readonly pct: number; readonly month: string } | undefined;
  /**
   * The gold price the ratios of `date` divide by, when it is older than `date` (ratio.ts carries
   * gold forward a few days: a London holiday, a price not fetched yet); undefined when gold has
   * its own price on `date`.
   */
  readonly goldDate?: string;
  /** As /power reads it (power-check.ts powerAt): `m2Old` names the latest M2 month when it is too old for `date`. */
  readonly power:
    | {
        readonly base: string;
        readonly date: string;
        readonly spx: PowerLine;
        readonly qqq: PowerLine;
        readonly m2Old?: string;
        /** The M2 month the M2 figures divide by (the latest on record), named on their lines. */
        readonly m2Month?: string;
      }
    | undefined;
}

export function digestPair(
  pair: PairId,
  series: readonly Point[],
  levels: readonly Level[],
  story: PairStory | undefined,
  approachPct: number,
): DigestPair | undefined {
  const last = series[series.length - 1];
  if (last === undefined) return undefined;
  // A base much older than its label (closes missing for weeks) is none, as /ratio's (report.ts).
  const before = series[series.length - 2];
  const prev = before !== undefined && isDayBase(before.date, last.date) ? before : undefined;
  const span = prev === undefined ? undefined : daySpan(prev.date, last.date);
  const weekAgo = addDays(last.date, -7);
  const weekPoint = pointOnOrBefore(series, weekAgo);
  const week = weekPoint !== undefined && daysBetween(weekPoint.date, weekAgo) <= MAX_BASE_SLACK ? weekPoint : undefined;
  const ytd = pointOnOrBefore(series, addDays(startOfYear(last.date), -1));
  const own = levels.filter((l) => l.pair === pair);
  return {
    pair,
    date: last.date,
    value: last.value,
    change1d: prev ? pctChange(prev.value, last.value) : undefined,
    ...(span !== undefined && { change1dSince: span }),
    change1w: week ? pctChange(week.value, last.value) : undefined,
    changeYtd: ytd ? pctChange(ytd.value, last.value) : undefined,
    levels: nearestLevels(last.value, own),
    // The story's: a level with closes beyond it today (the story says "closed above … since") or one
    // just broken and not yet left is not approached, though within the %.
    approaching: story?.approaching ?? approachingLevels(last.value, own, approachPct),
    story,
  };
}

/** M2's change over twelve months: the last month against the same month a year before. */
export function m2YearOverYear(m2: readonly Point[]): DigestData['m2Yoy'] {
  const last = m2[m2.length - 1];
  if (last === undefined) return undefined;
  const before = m2.find((p) => p.date === addMonths(last.date, -12));
  return before === undefined ? undefined : { pct: pctChange(before.value, last.value), month: last.date };
}

export function powerOf(p: PowerSeries | undefined): DigestData['power'] {
  const a = powerAt(p);
  if (a === undefined) return undefined;
  const line = (x: IndexPower): PowerLine => ({ usd: x.usd, gold: x.gold, m2: x.m2 });
  return { base: a.base, date: a.date, spx: line(a.spx), qqq: line(a.qqq), ...(a.m2TooOld ? { m2Old: a.m2Span.to } : { m2Month: a.m2Span.to }) };
}

export function buildDigest(input: {
  readonly series: Readonly<Partial<Record<PairId, readonly Point[]>>>;
  /** Gold's closes, to name the price the last ratios divide by when it is older than their close. */
  readonly gold?: readonly Point[];
  readonly levels: readonly Level[];
  readonly stories: readonly PairStory[];
  readonly m2: readonly Point[];
  readonly power: PowerSeries | undefined;
  readonly approachPct: number;
}): DigestData | undefined {
  const pairs: DigestPair[] = [];
  for (const pair of ['spx-gold', 'qqq-gold'] as const) {
    const d = digestPair(
      pair,
      input.series[pair] ?? [],
      input.levels,
      input.stories.find((s) => s.pair === pair),
      input.approachPct,
    );
    if (d !== undefined) pairs.push(d);
  }
  if (pairs.length === 0) return undefined;
  const date = pairs
    .map((p) => p.date)
    .sort()
    .at(-1)!;
  const gold = input.gold === undefined ? undefined : pointOnOrBefore(input.gold, date)?.date;
  return {
    date,
    approachPct: input.approachPct,
    pairs,
    ...(gold !== undefined && gold < date && { goldDate: gold }),
    m2Yoy: m2YearOverYear(input.m2),
    power: powerOf(input.power),
  };
}

/* ---------------------------------------------------------------- text */

export const CAPTION_LIMIT = 1024;

export interface DigestText {
  /** At most CAPTION_LIMIT characters: the chart's caption, or the embed's description. */
  readonly head: string;
  /** What did not fit, sent as a second message ('' when everything fit). */
  readonly rest: string;
}

const levelLabel = (l: Level, lang: Lang): string => formatLevel(l, lang);

function pairLines(d: DigestPair, lang: Lang, approachPct: number, headerDate: string): string[] {
  const ch = (v: number | undefined) => (v === undefined ? '–' : fmtPct(v, lang));
  // A pair whose last close is older than the header's (QQQ not yet in while SPX and gold are) says its own date.
  const older = d.date < headerDate;
  const lines = [
    t(lang, older ? 'digest.pair.older' : 'digest.pair', {
      pair: t(lang, `pair.${d.pair}`),
      value: ratioNear(d.value, d.levels),
      d1: ch(d.change1d),
      w1: ch(d.change1w),
      ytd: ch(d.changeYtd),
      date: fmtDate(d.date, lang),
    }),
  ];
  const near: string[] = [];
  if (d.levels.inside) near.push(t(lang, 'digest.inside', { level: levelLabel(d.levels.inside, lang) }));
  if (d.levels.on) near.push(t(lang, 'digest.on', { level: levelLabel(d.levels.on, lang) }));
  if (d.levels.above)
    near.push(t(lang, 'digest.above', { level: levelLabel(d.levels.above.level, lang), distance: fmtDistance(d.levels.above.distancePct, lang) }));
  if (d.levels.below)
    near.push(t(lang, 'digest.below', { level: levelLabel(d.levels.below.level, lang), distance: fmtDistance(d.levels.below.distancePct, lang) }));
  if (near.length > 0) lines.push(near.join(' · '));
  // Which side the level is on: Chinese readers expect "the resistance overhead" or "a retest of the support below".
  for (const l of d.approaching) {
    // A line the ratio closed exactly on is said above ("exactly on 0.03"), not approached: which
    // side it stands on is not in the figures, and the Chinese lines name one (回測下檔: the support below).
    if (l.id === d.levels.on?.id) continue;
    const side = levelValue(l) > d.value ? 'up' : 'down';
    lines.push(t(lang, `digest.approaching.${side}`, { level: levelLabel(l, lang), pct: fmtNumber(approachPct) }));
  }
  return lines;
}

/** One index's figures; `m2Month`, the M2 month the M2 figure divides by, said on the line itself (a title further down named it too late). */
export function powerLine(name: 'spx' | 'qqq', p: PowerLine, lang: Lang, m2Month?: string): string {
  const figures = { name: t(lang, `digest.name.${name}`), usd: fmtIndexPct(p.usd, lang), gold: fmtIndexPct(p.gold, lang) };
  if (p.m2 === undefined) return t(lang, 'digest.power.noM2', figures);
  const key = { beat: 'digest.power.above', matched: 'digest.power.even', behind: 'digest.power.below' }[vsM2(p.m2)];
  const month = m2Month === undefined ? '' : t(lang, 'digest.power.m2Month', { month: fmtMonth(m2Month, lang) });
  return t(lang, key, { ...figures, m2: fmtIndexPct(p.m2, lang, false) }) + month;
}

/**
 * The story of one pair, in a few sentences, read on `readOn` (the reader's day, which a break's
 * "(4.6 years ago)" counts to: a digest of Friday's close read on Monday says three days more than
 * to the close); without it, counted to the last close.
 */
export function storyLine(s: PairStory, lang: Lang, approachPct: number, readOn?: string): string {
  return localizeText(storyText(s, approachPct), lang, { today: readOn });
}

/**
 * The story of one pair as one Text: its sentences joined as each language joins them, each given in
 * every language, but the last break's "(N days ago)", counted when the message is read (a DaysSince
 * from the break to the reader's day, never earlier than the pair's last close).
 */
export function storyText(s: PairStory, approachPct: number): Text {
  const byLang = Object.fromEntries(LANGS.map((l) => [l, storySentences(s, l, approachPct)])) as Record<Lang, ReturnType<typeof storySentences>>;
  const en = byLang.en;
  const sentence = (i: number): Text => Object.fromEntries(LANGS.map((l) => [l, byLang[l].sentences[i]!])) as Record<Lang, string>;
  const parts: Text[] = en.sentences.map((_, i) => sentence(i));
  const b = s.lastBreak;
  if (b !== undefined && en.breakAt !== undefined) {
    const each = (f: (l: Lang) => string): Text => Object.fromEntries(LANGS.map((l) => [l, f(l)])) as Record<Lang, string>;
    const level = levelById(b.levelId);
    parts.splice(en.breakAt, 0, {
      key: `digest.story.break.${breakKey(b.kind, b.direction)}`,
      params: {
        level: each((l) => (level ? levelLabel(level, l) : fmtNumber(b.levelValue))),
        date: each((l) => fmtDate(b.date, l)),
        ago: { daysSince: b.date, asOf: s.asOf },
      },
    });
  }
  return { join: parts };
}

/** The story's sentences in one language, but its last break's (storyText writes that one, with its "ago"): `breakAt` is where it goes. */
function storySentences(s: PairStory, lang: Lang, approachPct: number): { sentences: string[]; breakAt: number | undefined } {
  const parts: string[] = [];
  const pair = t(lang, `pair.${s.pair}`);
  const label = (l: Level | undefined, value: number) => (l ? levelLabel(l, lang) : fmtNumber(value));
  if (s.era) parts.push(t(lang, 'digest.story.era', { pair, era: s.era.name[lang] }));
  const b = s.lastBreak;
  // Each sentence below counts from the last break: the first says "since then" right after it; the
  // next ones name its date, or "since then" would read as since the dates of the sentence before
  // (twice since the break, once since the last close above). Without a break, the stored history.
  let told = 0;
  const since = (): string =>
    b === undefined
      ? t(lang, 'digest.story.since.stored')
      : told++ === 0
        ? t(lang, 'digest.story.since.then')
        : t(lang, 'digest.story.since.date', { date: fmtDate(b.date, lang) });
  let breakAt: number | undefined;
  if (b === undefined) parts.push(t(lang, 'digest.story.noBreak'));
  else breakAt = parts.length;
  for (const u of s.unheld) {
    // One close is told by its day, one close a run by how many, one run by its first and last day;
    // runs of several closes by how many runs and how many closes: "closed five times … last
    // 2024-02-28" read as five closes and the last of them, when there were 11, the last on 2024-03-01.
    const shape = u.closes === 1 ? 'one' : u.closes === u.count ? 'many' : u.count === 1 ? 'run' : 'runs';
    parts.push(
      t(lang, `digest.story.unheld.${shape}.${breakKey(u.kind, u.direction)}`, {
        since: since(),
        level: levelLabel(u.level, lang),
        count: t(lang, `digest.count.${Math.min(u.count, 11)}`, { n: u.count }),
        closes: fmtCount(u.closes, lang),
        first: fmtDate(u.first, lang),
        last: fmtDate(u.last, lang),
      }),
    );
  }
  for (const r of s.retests) {
    // The verb follows the side: from below the ratio rose to the level and fell back; from above it came down and held.
    parts.push(
      t(lang, `digest.story.retest.${r.count === 1 ? 'one' : 'many'}.${r.from}`, {
        since: since(),
        pct: fmtNumber(approachPct),
        level: levelLabel(r.level, lang),
        count: t(lang, `digest.count.${Math.min(r.count, 11)}`, { n: r.count }),
        last: fmtDate(r.last, lang),
      }),
    );
  }
  for (const p of s.pending) {
    // Some of the closes into the zone were past its far edge: "inside since" would be false, the edge is true.
    const through = p.kind === 'zone-enter' && p.outside > 0;
    parts.push(
      t(lang, through ? `digest.story.pending.edge.${p.direction}` : `digest.story.pending.${breakKey(p.kind, p.direction)}`, {
        edge: formatLevelValue(p.levelValue),
        level: label(levelById(p.levelId), p.levelValue),
        // "Below 0.7 since" counts from the first close below 0.7; "inside since" from the first inside.
        date: fmtDate(through ? p.edgeDate : p.date, lang),
        closes: p.closes,
        hold: HOLD_CLOSES,
      }),
    );
  }
  return { sentences: parts, breakAt };
}

/** "The 1D is since the close of 10 September 2001: the exchange was closed 11–14 September 2001." */
export function daySpanLine(span: DaySpan, lang: Lang): string {
  const first = span.closed[0]!;
  const last = span.closed.at(-1)!;
  const closed = first === last ? fmtDate(first, lang) : t(lang, 'digest.closedRange', { from: fmtDate(first, lang), to: fmtDate(last, lang) });
  return t(lang, 'digest.closedSince', { date: fmtDate(span.base, lang), closed });
}

/** `up`, `down`, `zone-enter.up`…: the catalogue's suffix for a break of this kind and direction. */
const breakKey = (kind: string, direction: 'up' | 'down'): string => (kind === 'zone-enter' || kind === 'zone-exit' ? `${kind}.${direction}` : direction);

/** The digest's lines in one language: the title, the figures, then the story (one line per item; its "ago" to `readOn`, storyLine). */
export function digestLines(d: DigestData, lang: Lang, readOn?: string): { title: string; core: string[]; story: string[] } {
  const story = d.pairs.flatMap((p) => (p.story ? [storyLine(p.story, lang, d.approachPct, readOn)] : []));
  return { ...coreLines(d, lang), story };
}

/** The digest's title and figures in one language (nothing in them depends on the day it is read). */
function coreLines(d: DigestData, lang: Lang): { title: string; core: string[] } {
  const core: string[] = [];
  for (const p of d.pairs) core.push(...pairLines(p, lang, d.approachPct, d.date));
  // The header's close divided by an older gold price: say which (the 1D change is the index's alone).
  const since = d.pairs.find((p) => p.change1dSince !== undefined)?.change1dSince;
  if (since !== undefined) core.push(daySpanLine(since, lang));
  if (d.goldDate !== undefined) core.push(t(lang, 'digest.goldOlder', { gold: fmtDate(d.goldDate, lang), date: fmtDate(d.date, lang) }));
  if (d.power) {
    // Figures of an earlier close than the digest's (gold missing on the last one) say so.
    // The M2 month both lines are measured against is said once, in the title, not after each line.
    const title = d.power.date === d.date ? 'digest.power.title' : 'digest.power.titleTo';
    const m2Month = d.power.spx.m2 !== undefined || d.power.qqq.m2 !== undefined ? d.power.m2Month : undefined;
    const params = { base: fmtDate(d.power.base, lang), date: fmtDate(d.power.date, lang) };
    core.push(m2Month === undefined ? t(lang, title, params) : t(lang, `${title}.m2`, { ...params, month: fmtMonth(m2Month, lang) }));
    core.push(powerLine('spx', d.power.spx, lang), powerLine('qqq', d.power.qqq, lang));
    // Who beat M2 is said of price indices: an investor's return had the dividends too.
    if (d.power.spx.m2 !== undefined || d.power.qqq.m2 !== undefined) core.push(t(lang, 'chat.power.dividends'));
    if (d.power.m2Old !== undefined) core.push(t(lang, 'digest.power.m2Old', { month: fmtMonth(d.power.m2Old, lang) }));
  }
  if (d.m2Yoy) core.push(t(lang, 'digest.m2', { pct: fmtDistance(d.m2Yoy.pct, lang), month: fmtMonth(d.m2Yoy.month, lang) }));
  return { title: t(lang, 'digest.title', { date: fmtDate(d.date, lang) }), core };
}

/**
 * The digest as an outbox message: every line given in every language (numbers and dates are
 * formatted per language, so they cannot be one key with shared parameters), the chart by request.
 * One message per close for every chat: the story's "(N days ago)" is a DaysSince (storyText),
 * counted when it is rendered for a chat, to the day it is read on there (`localize`'s `today`):
 * New York reads a close's digest that evening, Taipei the next morning, or on Monday.
 */
export function digestMessage(d: DigestData): Message {
  const byLang = Object.fromEntries(LANGS.map((l) => [l, coreLines(d, l)])) as Record<Lang, ReturnType<typeof coreLines>>;
  const text = (pick: (x: ReturnType<typeof coreLines>) => string): Text => Object.fromEntries(LANGS.map((l) => [l, pick(byLang[l])])) as Record<Lang, string>;
  return {
    title: text((x) => x.title),
    lines: [...byLang.en.core.map((_, i) => text((x) => x.core[i]!)), ...d.pairs.flatMap((p) => (p.story ? [storyText(p.story, d.approachPct)] : []))],
    chart: { kind: 'digest' },
    tone: 'neutral',
  };
}

/**
 * The first line of a digest that waited MAX_LATE_MS for the US close of `missing` in vain: it
 * speaks about the closes there are, up to `last`. Weeks behind, how old the data is, counted to
 * the day it is read on (never before `missing`'s).
 */
export function withoutCloseLine(missing: string, last: string): Text {
  // Weeks behind, "the close of <day> has not reached the bot" reads as one late close: say how old the data is.
  if (tradingDaysAfter(last, missing) > STALE_TRADING_DAYS) {
    return {
      key: 'digest.stale',
      params: { last: Object.fromEntries(LANGS.map((l) => [l, fmtDate(last, l)])) as Record<Lang, string>, ago: { daysSince: last, asOf: missing } },
    };
  }
  return Object.fromEntries(LANGS.map((l) => [l, t(l, 'digest.without', { missing: fmtDate(missing, l), last: fmtDate(last, l) })])) as Record<Lang, string>;
}

/** More trading days than this between the newest stored close and the one due: the sync is failing, not one close late. */
export const STALE_TRADING_DAYS = 5;

/** The NYSE trading days after `from`, up to and including `to`. */
function tradingDaysAfter(from: string, to: string): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isTradingDay(d)) n++;
  return n;
}

/**
 * The digest asked for at `nowMs` (/digest now, the CLI preview): when the newest US close due by
 * then (16:00 New York of the last trading day) is not in the store yet, its first line says so,
 * as a scheduled digest that waited for it in vain does, so older closes never pass for today's.
 * Its "ago" counts to the day given to `localize` (the reader's), as a scheduled one's does.
 */
export function digestMessageAt(d: DigestData, nowMs: number): Message {
  const m = digestMessage(d);
  const due = lastCloseBefore(nowMs);
  return due > d.date ? { ...m, lines: [withoutCloseLine(due, d.date), ...m.lines] } : m;
}

/** The digest as plain text, split where a caption must end (the CLI preview, tests). */
export function digestText(d: DigestData, lang: Lang): DigestText {
  const { title, core, story } = digestLines(d, lang);
  core.unshift(title);
  // Whole lines only: the core first, then as many story lines as still fit the caption.
  const head: string[] = [];
  const rest: string[] = [];
  let size = -1;
  for (const line of [...core, ...story]) {
    if (rest.length === 0 && size + 1 + line.length <= CAPTION_LIMIT) {
      head.push(line);
      size += 1 + line.length;
    } else rest.push(line);
  }
  return { head: head.join('\n'), rest: rest.join('\n') };
}

export const digestBase = QQQ_LAUNCH;
