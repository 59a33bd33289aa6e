/**
 * A watch is one thing the crossing engine keeps state for: a level evaluated at one approach %.
 * The essay's levels are watched at the default approach % for everyone; a chat's custom level,
 * or an essay level at a chat's own approach %, is a watch shared by every chat that asked for
 * exactly that (so 10,000 chats with a level at 1.8 cost one state, not 10,000).
 */
import type { PairId } from './instruments.ts';
import { ESSAY_LEVELS, customLevel, levelById, type Level } from './levels.ts';

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

/** Which events of its watch an alert is: a level's (a break, a zone entered or left), its approach, a move. */
export type WatchTakes = 'level' | 'approach' | 'move';

/** The watch an alert's message was fanned out by (messages.watch_*, migration 016). */
export interface AlertWatch {
  /** As in sub_watches (a level's) or move_watches (a move's). */
  readonly key: string;
  readonly takes: WatchTakes;
  readonly pair: PairId;
  /** The level's id; none for a move. */
  readonly level?: string;
}

/** An alert's watch with what its chat follows now: its settings, and for a move whether it still has the move's watch. */
export interface AlertWatchNow extends AlertWatch {
  readonly spec: WatchSpec;
  /** A move: the chat still has its move_watches row (what the move's fan-out selects by). */
  readonly moveKept: boolean;
}

/**
 * Why the chat no longer follows what this alert is about, or undefined: its pair unsubscribed
 * (/unsubscribe spx), its essay level turned off, its custom level removed (/mylevels remove),
 * approach alerts turned off (approach 0), its move alert removed (/move remove). What the chat
 * follows is what watchesOf makes of its settings now, the rule its fan-out was chosen by (a move's:
 * its move_watches row). Asked at send time (alerts/dispatcher.ts stoppedSince) and when quiet hours
 * release what they held (store/quiet.ts). A chat that still follows the level at another approach % keeps the alert:
 * it asked for that level's alerts, and the watch at its new % starts from where the ratio is now.
 */
export function unfollowedSince(w: AlertWatchNow): string | undefined {
  if (w.takes === 'move') return w.moveKept ? undefined : 'move alert removed before it was sent';
  // Its own approach % as the default: which levels it follows, and whether it takes their approach
  // events, do not depend on the default (only the watches' keys do).
  const own = watchesOf(w.spec, w.spec.approachPct).filter((s) => s.watch.level.id === w.level);
  if (own.length > 0 && (w.takes !== 'approach' || own.some((s) => s.wantsApproach))) return undefined;
  if (!w.spec.pairs.includes(w.pair)) return 'chat unsubscribed from the pair before it was sent';
  if (own.length > 0) return 'approach alerts turned off before it was sent';
  if (w.level !== undefined && levelById(w.level) !== undefined) return 'level turned off before it was sent';
  return 'custom level removed before it was sent';
}
