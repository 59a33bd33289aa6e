/**
 * The essay's story over the whole stored history, cached per data version: walking 27 years of
 * closes costs a few ms, and the digest, `/history` and the CLI all ask for it.
 */
import type { CrossingOptions, ReplayEvent } from '../domain/crossing.ts';
import { PAIR_IDS, type PairId } from '../domain/instruments.ts';
import type { Point } from '../domain/series.ts';
import { story, type PairStory, type StoryOptions } from '../domain/story.ts';
import type { MarketView } from './market-view.ts';

export interface StoryResult {
  readonly pairs: readonly PairStory[];
  /** Every held break, by date (domain/level-history.ts). */
  readonly breaks: readonly ReplayEvent[];
}

const cache = new WeakMap<MarketView, { key: string; result: StoryResult }>();

export function storyOf(view: MarketView, o: StoryOptions): StoryResult {
  const key = `${view.store.dataVersion()}|${o.approachPct}`;
  const hit = cache.get(view);
  if (hit !== undefined && hit.key === key) return hit.result;
  const series: Partial<Record<PairId, readonly Point[]>> = {};
  for (const pair of PAIR_IDS) series[pair] = view.ratio(pair);
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
