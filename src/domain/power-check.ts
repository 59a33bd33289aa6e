/**
 * The essay's yardstick on one day: SPX and QQQ since a base date in USD, in gold and against M2,
 * and M2's own growth over the months the span reads. "Only what beats M2 is real": an index beat M2 when its
 * M2-deflated index is above 100. Pure: a PowerSeries in, figures out.
 *
 * M2 is monthly and published weeks late, so a span reads M2 from the month on record at its base
 * to the one on record at its end. When both ends read the same month (a span of a few weeks, or
 * one that starts after the latest M2 published) there is no change of M2 to measure: the M2
 * figures are then undefined, never a 0% that M2 did not report.
 */
import { addDays, daysBetween } from './dates.ts';
import { QQQ_LAUNCH } from './instruments.ts';
import { t, type Lang } from './i18n/index.ts';
import { fmtDate, fmtDistance, fmtIndexPct, fmtMonth, sameAsBase } from './i18n/format.ts';
import { M2_CARRY_DAYS, m2Changes, type PowerSeries } from './ratio.ts';
import type { Point } from './series.ts';

export interface IndexPower {
  /** Indexed to 100 on the base date. */
  readonly usd: number;
  readonly gold: number;
  /** Deflated by M2: above 100 means it grew faster than the money supply (undefined: no M2 change on record in the span). */
  readonly m2: number | undefined;
  readonly beatM2: boolean | undefined;
  /** Beat M2, matched it (a true tie: its M2-adjusted index is 100), or fell behind it (undefined: no M2 change on record). */
  readonly vsM2: VsM2 | undefined;
}

export type VsM2 = 'beat' | 'matched' | 'behind';

/**
 * Where an M2-adjusted index stands against M2: a true tie is neither a win nor a loss ("fell behind M2
 * by 0%" read as a loss that was none). A tie is 100 within a float's error (sameAsBase), as its
 * change then reads 0%; a near tie is beat or behind, its change +<0.01% (fmtIndexPct).
 */
export function vsM2(m2: number): VsM2 {
  return sameAsBase(m2) ? 'matched' : m2 > 100 ? 'beat' : 'behind';
}

export interface PowerAt {
  readonly base: string;
  /** The last date on or before `to` with every input. */
  readonly date: string;
  /** The M2 months (YYYY-MM-01) the span's base and end read. */
  readonly m2Span: { readonly from: string; readonly to: string };
  /** M2's growth from m2Span.from to m2Span.to, in % (undefined when they are one month). */
  readonly m2GrowthPct: number | undefined;
  /** The end reads an earlier month's M2 than its own (the latest M2 is not out yet for it). */
  readonly m2Lags: boolean;
  /**
   * The end is later than the month it reads could still be the latest M2 published
   * (M2_LATEST_PUBLISHED_DAYS): a newer month is out and the bot has not stored it (its fetch
   * failing). Said as "the latest M2 on record", never as "the latest published".
   */
  readonly m2Behind: boolean;
  /** The latest M2 (m2Span.to) is too old for the end (ratio.ts M2_CARRY_DAYS): no M2 figures, the USD and gold ones still as of `date`. */
  readonly m2TooOld: boolean;
  readonly spx: IndexPower;
  readonly qqq: IndexPower;
}

/**
 * How long after its first day a month's M2 can still be the latest published: the Fed's H.6 gives
 * month X+1 on the fourth Tuesday of X+2 or so (by day 28), so X is superseded within 31 + 31 + 28
 * days; a few days more for a late release. Past that, a newer M2 is out: the one stored is only the
 * latest on record.
 */
export const M2_LATEST_PUBLISHED_DAYS = 92;

export function powerAt(p: PowerSeries | undefined, to?: string): PowerAt | undefined {
  if (p === undefined) return undefined;
  let i = p.dates.length - 1;
  if (to !== undefined) while (i >= 0 && p.dates[i]! > to) i--;
  if (i < 0) return undefined;
  const m2TooOld = i >= p.m2Months.length;
  const m2Span = { from: p.m2Months[0]!, to: p.m2Months[Math.min(i, p.m2Months.length - 1)]! };
  const measured = m2Changes(p, i);
  const idx = (usd: number, gold: number, m2: number | undefined): IndexPower =>
    measured && m2 !== undefined
      ? { usd, gold, m2, beatM2: vsM2(m2) === 'beat', vsM2: vsM2(m2) }
      : { usd, gold, m2: undefined, beatM2: undefined, vsM2: undefined };
  // spxM2 = 100 · (spx/m2) / (spx₀/m2₀), so M2's own index is 100 · spxUsd / spxM2.
  const m2Index = measured ? (100 * p.spxUsd[i]!) / p.spxM2[i]! : undefined;
  return {
    base: p.base,
    date: p.dates[i]!,
    m2Span,
    m2GrowthPct: m2Index === undefined ? undefined : m2Index - 100,
    m2Lags: m2Span.to.slice(0, 7) < p.dates[i]!.slice(0, 7),
    m2Behind: daysBetween(m2Span.to, p.dates[i]!) > M2_LATEST_PUBLISHED_DAYS,
    m2TooOld,
    spx: idx(p.spxUsd[i]!, p.spxGold[i]!, p.spxM2[i]),
    qqq: idx(p.qqqUsd[i]!, p.qqqGold[i]!, p.qqqM2[i]),
  };
}

/** The series up to `to` (its dates on or before it): a power chart that ends where /power's table does. */
export function powerUntil(p: PowerSeries | undefined, to: string | undefined): PowerSeries | undefined {
  if (p === undefined || to === undefined) return p;
  let n = p.dates.length;
  while (n > 0 && p.dates[n - 1]! > to) n--;
  if (n === p.dates.length) return p;
  return {
    base: p.base,
    dates: p.dates.slice(0, n),
    spxUsd: p.spxUsd.slice(0, n),
    spxGold: p.spxGold.slice(0, n),
    spxM2: p.spxM2.slice(0, n),
    qqqUsd: p.qqqUsd.slice(0, n),
    qqqGold: p.qqqGold.slice(0, n),
    qqqM2: p.qqqM2.slice(0, n),
    m2Months: p.m2Months.slice(0, n),
  };
}

/** Asked for a base before QQQ existed, and indexed from its launch instead: the reply says why. */
export function indexedFromLaunch(asked: string, p: PowerAt): boolean {
  return asked < QQQ_LAUNCH && p.base >= QQQ_LAUNCH && p.base <= addDays(QQQ_LAUNCH, 7);
}

/** Whether an index beat M2, matched it or fell behind it, in `lang` (/power and `goldratio power` give it). */
export function vsM2Sentence(name: string, m2: number, lang: Lang): string {
  const key = { beat: 'chat.power.beat', matched: 'chat.power.matched', behind: 'chat.power.lost' }[vsM2(m2)];
  // Unsigned: the verb says which way (beat by / behind, 跑贏 / 落後), a sign would say it twice.
  return t(lang, key, { name, pct: fmtIndexPct(m2, lang, false) });
}

/**
 * The sentence on M2 over the span, in `lang`: its growth between the two months it reads, named (a
 * span ending after the latest M2 published measures months fewer than its closes: 2025-08-21 to
 * 2026-08-21 reads M2 from 2025-08 to 2026-06, and "the same span" said of that was false), or that
 * the span holds no change of it.
 */
export function m2Sentence(p: PowerAt, lang: Lang): string {
  const month = fmtMonth(p.m2Span.to, lang);
  // Too old to measure against: then a newer M2 is out (M2_CARRY_DAYS > M2_LATEST_PUBLISHED_DAYS), and the one stored only the latest on record.
  if (p.m2TooOld) return t(lang, 'chat.power.m2Old', { month, date: fmtDate(p.date, lang) });
  if (p.m2GrowthPct === undefined) return t(lang, 'chat.power.m2None', { month });
  // The verb says which way M2 went (grew, shrank), the figure unsigned: never "M2 grew -4.8%".
  const key = `chat.power.${p.m2Lags ? (p.m2Behind ? 'm2Behind' : 'm2Lags') : 'm2'}${p.m2GrowthPct < 0 ? 'Down' : ''}`;
  // Never rounded to none: M2 moved 0.0024% from 2009-06 to 2009-09, "shrank 0.00%" read as not at all.
  return t(lang, key, { pct: fmtDistance(p.m2GrowthPct, lang, false), from: fmtMonth(p.m2Span.from, lang), month, date: fmtDate(p.date, lang) });
}

/** Why a base asked before QQQ existed is indexed from its launch, in `lang` (see indexedFromLaunch). */
export function fromLaunchSentence(asked: string, lang: Lang): string {
  return t(lang, 'chat.power.fromLaunch', { asked: fmtDate(asked, lang), launch: fmtDate(QQQ_LAUNCH, lang) });
}

/**
 * Why no index starts from `base` when M2 is the cause: an index starts on a day with an M2 month on
 * record within M2_CARRY_DAYS (ratio.ts purchasingPower), so with none stored, or the latest too far
 * before the base, there is none. Undefined when M2 is not why.
 */
export function m2Gap(m2: readonly Point[], base: string): { kind: 'none' } | { kind: 'ends'; month: string } | undefined {
  const last = m2.at(-1);
  if (last === undefined) return { kind: 'none' };
  return addDays(last.date, M2_CARRY_DAYS) < base ? { kind: 'ends', month: last.date } : undefined;
}

/** What /power says when nothing can be indexed from `base` and no close is later than it: what is missing. */
export function noPowerSentence(m2: readonly Point[], base: string, lang: Lang): string {
  const gap = m2Gap(m2, base);
  const b = fmtDate(base, lang);
  if (gap?.kind === 'none') return t(lang, 'chat.power.noM2', { base: b });
  if (gap?.kind === 'ends') return t(lang, 'chat.power.m2Ends', { base: b, month: fmtMonth(gap.month, lang) });
  return t(lang, 'chat.power.noData', { base: b });
}
