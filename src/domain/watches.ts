/**
 * A watch is one thing the crossing engine keeps state for: a level evaluated at one approach %.
 * The essay's levels are watched at the default approach % for everyone; a chat's custom level,
 * or an essay level at a chat's own approach %, is a watch shared by every chat that asked for
 * exactly that (so 10,000 chats with a level at 1.8 cost one state, not 10,000).
 */
import type { PairId } from './instruments.ts';
import { ESSAY_LEVELS, customLevel, type Level } from './levels.ts';

export interface Watch {
  readonly key: string;
  readonly level: Level;
  readonly approachPct: number;
  /** Only the approach events count (the breaks of an essay level come from its default watch). */
  readonly approachOnly: boolean;
}

export interface WatchSpec {
  readonly pairs: readonly PairId[];
  readonly levelIds: readonly string[] | 'all';
  readonly customLevels: readonly { readonly pair: PairId; readonly value: number }[];
  readonly approachPct: number;
}

/** One subscription's row per watch: the watch, and whether the chat takes its approach events. */
export interface SubWatch {
  readonly watch: Watch;
  readonly wantsApproach: boolean;
}

export const essayWatch = (level: Level, defaultApproachPct: number): Watch => ({
  key: level.id,
  level,
  approachPct: defaultApproachPct,
  approachOnly: false,
});

const pctText = (pct: number): string => String(Number(pct.toPrecision(6)));

export function watchesOf(spec: WatchSpec, defaultApproachPct: number): SubWatch[] {
  const out: SubWatch[] = [];
  const own = spec.approachPct;
  for (const level of ESSAY_LEVELS) {
    if (!spec.pairs.includes(level.pair)) continue;
    if (spec.levelIds !== 'all' && !spec.levelIds.includes(level.id)) continue;
    const sameApproach = own === defaultApproachPct;
    out.push({ watch: essayWatch(level, defaultApproachPct), wantsApproach: sameApproach && own > 0 });
    if (!sameApproach && own > 0) {
      out.push({ watch: { key: `${level.id}@${pctText(own)}`, level, approachPct: own, approachOnly: true }, wantsApproach: true });
    }
  }
  const seen = new Set<string>();
  for (const c of spec.customLevels) {
    if (!spec.pairs.includes(c.pair)) continue;
    const level = customLevel(c.pair, c.value);
    const key = `${level.id}@${pctText(own)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ watch: { key, level, approachPct: own, approachOnly: false }, wantsApproach: own > 0 });
  }
  return out;
}
