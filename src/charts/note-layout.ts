/**
 * A margin note listing levels outside the view ("↑ Above the chart: 2.5 · Resistance… (+47.2%);
 * 5.5 · …"), laid out to the width it has. Cut with an ellipsis, the farthest levels went silently,
 * a chat's own among them. Here no level goes unsaid: first the essay's notes go (farthest first),
 * leaving value and distance; then, if still too long, as many items as fit, a chat's own levels
 * first, and "+N more" for the rest.
 */
import type { NoteList } from './spec.ts';

/** The line for `n` within `max` px, as `width` measures text. */
export function noteLine(n: NoteList, max: number, width: (text: string) => number): string {
  const line = (items: readonly string[]) => `${n.before}${items.join(n.sep)}${n.after}`;
  const texts = n.items.map((i) => i.full);
  if (width(line(texts)) <= max) return line(texts);
  for (let i = texts.length - 1; i >= 0; i--) {
    texts[i] = n.items[i]!.short;
    if (width(line(texts)) <= max) return line(texts);
  }
  // Which to keep: a chat's own levels first, then the nearest; shown in their order (nearest first).
  const order = n.items.map((_, i) => i).sort((a, b) => Number(n.items[b]!.own) - Number(n.items[a]!.own) || a - b);
  for (let k = order.length - 1; k >= 1; k--) {
    const kept = order
      .slice(0, k)
      .sort((a, b) => a - b)
      .map((i) => n.items[i]!.short);
    const s = line([...kept, n.more[order.length - k - 1]!]);
    if (width(s) <= max) return s;
  }
  return line([n.more[order.length - 1]!]);
}

/** A note as text with every level in full, however wide (what a reader of the spec, not the canvas, sees). */
export const noteFull = (n: string | NoteList): string => (typeof n === 'string' ? n : `${n.before}${n.items.map((i) => i.full).join(n.sep)}${n.after}`);
