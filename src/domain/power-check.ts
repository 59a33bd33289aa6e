/**
 * The essay's yardstick on one day: SPX and QQQ since a base date in USD, in gold and against M2,
 * and M2's own growth over the same span. "Only what beats M2 is real": an index beat M2 when its
 * M2-deflated index is above 100. Pure: a PowerSeries in, figures out.
 */
import type { PowerSeries } from './ratio.ts';

export interface IndexPower {
  /** Indexed to 100 on the base date. */
  readonly usd: number;
  readonly gold: number;
  /** Deflated by M2: above 100 means it grew faster than the money supply. */
  readonly m2: number;
  readonly beatM2: boolean;
}

export interface PowerAt {
  readonly base: string;
  /** The last date on or before `to` with every input. */
  readonly date: string;
  /** M2's growth over the same span, in %. */
  readonly m2GrowthPct: number;
  readonly spx: IndexPower;
  readonly qqq: IndexPower;
}

export function powerAt(p: PowerSeries | undefined, to?: string): PowerAt | undefined {
  if (p === undefined) return undefined;
  let i = p.dates.length - 1;
  if (to !== undefined) while (i >= 0 && p.dates[i]! > to) i--;
  if (i < 0) return undefined;
  const idx = (usd: number, gold: number, m2: number): IndexPower => ({ usd, gold, m2, beatM2: m2 > 100 });
  // spxM2 = 100 · (spx/m2) / (spx₀/m2₀), so M2's own index is 100 · spxUsd / spxM2.
  const m2Index = (100 * p.spxUsd[i]!) / p.spxM2[i]!;
  return {
    base: p.base,
    date: p.dates[i]!,
    m2GrowthPct: m2Index - 100,
    spx: idx(p.spxUsd[i]!, p.spxGold[i]!, p.spxM2[i]!),
    qqq: idx(p.qqqUsd[i]!, p.qqqGold[i]!, p.qqqM2[i]!),
  };
}
