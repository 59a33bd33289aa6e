/**
 * The essay's story over the whole stored history, cached per data version: walking 27 years of
 * closes costs a few ms, and the digest, `/history` and the CLI all ask for it.
 */
import type { CrossingOptions, ReplayEvent } from '../domain/crossing.ts';
import { PAIR_IDS, type PairId } from '../domain/instruments.ts';
import type { Point } from '../domain/series.ts';
import { story, type PairStory, type StoryOptions } from '../domain/story.ts';
import type { MarketSnapshot, MarketView } from './market-view.ts';

export interface StoryResult {
  readonly pairs: readonly PairStory[];
  /** Every held break, by date (domain/level-history.ts). */
  readonly breaks: readonly ReplayEvent[];
}

const cache = new WeakMap<MarketView, { key: string; result: StoryResult }>();

export async function storyOf(view: MarketView, o: StoryOptions): Promise<StoryResult> {
  return storyAt(view, await view.snapshot(), o);
}

/** The story of one snapshot of `view` (a caller that already holds one reads the same data). */
export function storyAt(view: MarketView, snap: MarketSnapshot, o: StoryOptions): StoryResult {
  const key = `${snap.version}|${o.approachPct}`;
  const hit = cache.get(view);
  if (hit !== undefined && hit.key === key) return hit.result;
  const series: Partial<Record<PairId, readonly Point[]>> = {};
  for (const pair of PAIR_IDS) series[pair] = snap.ratio(pair);
  const result = story(series, o);
  cache.set(view, { key, result });
  return result;
}

/** The engine's options from the config, as `replay` uses them. */
export const crossingOptions = (c: { approachPct: number; hysteresisPct: number; cooldownDays: number }): CrossingOptions => ({
  approachPct: c.approachPct,
  hysteresisPct: c.hysteresisPct,
  cooldownDays: c.cooldownDays,
});
