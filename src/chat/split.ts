/**
 * The one splitter: a text made of lines is cut into parts that each fit a platform's length
 * limit (Telegram: a 1024-character caption, then 4096-character messages; Discord: 2000 or an
 * embed's 4096). Whole lines are kept together; a line longer than a part is cut at a space, or
 * between whole graphemes (never inside an emoji). Lengths count the visible text (UTF-16 units), which is
 * what both platforms count after their markup is parsed.
 */
import { spanText, type Line } from './reply.ts';

export interface SplitLimits {
  /** Visible characters of the first part (e.g. a photo caption). */
  readonly first: number;
  /** Visible characters of every later part. */
  readonly rest: number;
}

export const lineLength = (line: Line): number => line.reduce((n, s) => n + spanText(s).length, 0);

// Made at the first cut, not when the module loads: a segmenter reads ICU's break rules, 35-80 ms
// that every `goldratio` command paid at its start (this module is in the CLI's first chunk).
let graphemes: Intl.Segmenter | undefined;

/** Where to cut `text` at most `max` characters in: the end of its last whole grapheme that fits (0 when the first is longer). */
function graphemeCut(text: string, max: number): number {
  let cut = 0;
  // Read up to a little past the cut (a grapheme is short, a text may not be).
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  for (const g of graphemes.segment(text.slice(0, max + 64))) {
    const end = g.index + g.segment.length;
    if (end > max) break;
    cut = end;
  }
  return cut;
}

/**
 * One over-long plain line in pieces of at most `first`, then `rest` characters, nothing left out:
 * cut at the last space that fits (the space dropped), else between whole graphemes (never inside
 * an emoji, a flag or a letter and its accent), and hard only inside one grapheme longer than a
 * piece. A caller that escapes its pieces cuts before escaping, so no escape is cut in two.
 */
export function linePieces(text: string, first: number, rest: number = first): string[] {
  const out: string[] = [];
  let remaining = text;
  let max = first;
  while (remaining.length > max) {
    let cut = remaining.lastIndexOf(' ', max);
    if (cut <= 0) cut = graphemeCut(remaining, max) || max;
    out.push(remaining.slice(0, cut));
    remaining = remaining.slice(cut).replace(/^ /, '');
    max = rest;
  }
  out.push(remaining);
  return out;
}

/**
 * Items in order in groups of at most `limit(first).count` items and `limit(first).size` in all
 * (a platform's message: Discord's 10 embeds and 6,000 characters; the first may have less room).
 * An item too big for any group still gets one of its own; there is always one group.
 */
export function pack<T>(items: Iterable<T>, sizeOf: (item: T) => number, limit: (first: boolean) => { count: number; size: number }): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let total = 0;
  for (const item of items) {
    const size = sizeOf(item);
    const { count, size: most } = limit(groups.length === 0);
    if (current.length > 0 && (current.length + 1 > count || total + size > most)) {
      groups.push(current);
      current = [];
      total = 0;
    }
    current.push(item);
    total += size;
  }
  groups.push(current);
  return groups;
}

/**
 * Groups lines into parts within the limits. Joining every part's lines with '\n', and the parts
 * with '\n', gives the text back (a cut at a space drops that one space).
 */
export function splitLines(lines: readonly Line[], limits: SplitLimits): Line[][] {
  const parts: Line[][] = [];
  let current: Line[] = [];
  let size = 0;
  const limit = () => (parts.length === 0 ? limits.first : limits.rest);
  const flush = () => {
    parts.push(current);
    current = [];
    size = 0;
  };
  for (const line of lines) {
    const len = lineLength(line);
    if (current.length > 0 && size + 1 + len > limit()) flush();
    if (len <= limit()) {
      size = current.length === 0 ? len : size + 1 + len;
      current.push(line);
      continue;
    }
    // Too long for any part: cut it as plain text (its emphasis is lost, its words are not).
    const pieces = linePieces(line.map(spanText).join(''), limit(), limits.rest);
    for (const [i, piece] of pieces.entries()) {
      current.push([piece]);
      size = piece.length;
      if (i < pieces.length - 1) flush();
    }
  }
  if (current.length > 0 || parts.length === 0) parts.push(current);
  return parts;
}

/**
 * One plain text kept within `max` characters (UTF-16 units): whole when it fits, else cut with
 * '…' at the end, between whole graphemes: never inside a surrogate pair (half an emoji is no
 * text: Telegram and Discord refuse the whole request carrying it), nor inside a flag, a family
 * joined by ZWJ, or a letter and its accent (each half would show as something else).
 */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 1) return '';
  return `${text.slice(0, graphemeCut(text, max - 1))}…`;
}

/** Plain text cut the same way: parts of at most `first`, then `rest` characters. */
export function splitText(text: string, first: number, rest: number = first): string[] {
  return splitLines(
    text.split('\n').map((l) => [l]),
    { first, rest },
  ).map((part) => part.map((l) => l.map(spanText).join('')).join('\n'));
}
