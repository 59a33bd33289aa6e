/**
 * What chart to draw, as data: chat replies and outbox messages carry a ChartRequest, and the chart
 * service (src/charts/) turns it into a PNG. Shared by chat/, alerts/, charts/ and the CLI.
 */
import { addDays, addMonths, startOfYear } from './dates.ts';
import type { Lang } from './i18n/index.ts';
import { notBeforeLaunch, QQQ_LAUNCH, type PairId } from './instruments.ts';
import { isTradingDay } from './nyse-calendar.ts';

/** YTD: since the last close of the year before (the base of a year-to-date change). */
export type ChartRange = '1M' | '3M' | '6M' | 'YTD' | '1Y' | '5Y' | '10Y' | 'MAX';
export const CHART_RANGES: readonly ChartRange[] = ['1M', '3M', '6M', 'YTD', '1Y', '5Y', '10Y', 'MAX'];

/** The last NYSE trading day of the year before `date`'s: where a year-to-date chart starts, at that close. */
export function lastCloseOfYearBefore(date: string): string {
  let d = addDays(startOfYear(date), -1);
  while (!isTradingDay(d)) d = addDays(d, -1);
  return d;
}

/** The base date of a power chart (or /power 5y) covering `range` up to today: never before QQQ's launch. */
export function powerBase(range: ChartRange, today: string): string {
  const months: Record<Exclude<ChartRange, 'YTD'>, number | undefined> = { '1M': 1, '3M': 3, '6M': 6, '1Y': 12, '5Y': 60, '10Y': 120, MAX: undefined };
  if (range === 'YTD') return lastCloseOfYearBefore(today);
  const m = months[range];
  if (m === undefined) return QQQ_LAUNCH;
  return notBeforeLaunch(addMonths(today, -m));
}

/** Days a chart shows instead of a range (`/chart spx 2007 2009`): from a date, to another or the latest close. */
export interface ChartWindow {
  readonly from: string;
  readonly to?: string;
}

/**
 * Where a chart of a chat's own level is shown, as its label names that chat (the replies' words,
 * chat/replies.ts platformText): a Discord server's channel or a Telegram channel ("This channel's
 * level", 本頻道水位), a Telegram group ("This group's level", 本群組水位, 本群点位), a Discord DM or
 * Telegram private chat ("This chat's level", 本對話水位); none: a chat whose kind is not known (a
 * Telegram chat that has not talked to the bot since kinds were kept) and the console's (本聊天室水位).
 * Part of the request, so a chart cached for one place is not shown in another.
 */
export type ChartPlace = 'channel' | 'dm' | 'group';

export type ChartRequest =
  /**
   * `window`, when given, is what is shown; `range` is then only the buttons' starting point. `own`:
   * the asking chat's own levels of the pair (/mylevels), drawn beside the essay's; without any, the
   * chart every chat shares (chatLevels gives the list, ascending, so equal sets make equal requests).
   */
  | {
      readonly kind: 'ratio';
      readonly pair: PairId;
      readonly range: ChartRange;
      readonly window?: ChartWindow;
      readonly own?: readonly number[];
      /** Where it is shown, when it draws `own` levels (their label names the place). */
      readonly place?: ChartPlace;
    }
  /** Indexed to 100 at `base`, to `to` (the end /power was asked for) or the latest close. */
  | { readonly kind: 'power'; readonly base: string; readonly to?: string }
  /** Both ratios over one year with the essay's levels in view (the daily digest). */
  | { readonly kind: 'digest' }
  | {
      readonly kind: 'alert';
      readonly pair: PairId;
      readonly levelId: string;
      readonly date: string;
      readonly value: number;
      /** What happened; without it the chart reads a break, its direction taken from the data. */
      readonly event?: 'cross-up' | 'cross-down' | 'zone-enter' | 'zone-exit' | 'approach';
      /** A break the cooldown held: where it happened (`date` and `value` are the close that sent it). */
      readonly late?: { readonly since: string; readonly value: number };
      /** Where it is shown, when its level is a chat's own (its label names the place). */
      readonly place?: ChartPlace;
      /** A sample (`goldratio webhook test`), not news: its title says test, as the message's does. */
      readonly test?: true;
    };

/** A chat's own levels of `pair`, ascending and each once: the `own` of its ratio charts (none: an empty list). */
export function chatLevels(custom: readonly { readonly pair: PairId; readonly value: number }[], pair: PairId): number[] {
  return [...new Set(custom.filter((c) => c.pair === pair).map((c) => c.value))].sort((a, b) => a - b);
}

/** A drawn chart: `key` is stable for equal requests (same data version), so a platform may reuse an upload. */
export interface RenderedChart {
  readonly png: Buffer;
  readonly key: string;
  readonly filename: string;
  /** The sources of the closes it draws, as its footer names them (a platform's card beside it names them too). */
  readonly sources?: readonly string[];
}

/** What chat/ and the dispatcher need from the chart service (src/charts/service.ts satisfies it). */
export interface ChartRenderer {
  render(req: ChartRequest, opts: { theme?: 'light' | 'dark'; lang: Lang }): Promise<RenderedChart>;
}
