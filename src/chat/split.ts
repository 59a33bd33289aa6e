/**
 * The one splitter: a text made of lines is cut into parts that each fit a platform's length
 * limit (Telegram: a 1024-character caption, then 4096-character messages; Discord: 2000 or an
 * embed's 4096). Whole lines are kept together; a line longer than a part is cut at a space, or
 * hard, never inside a surrogate pair. Lengths count the visible text (UTF-16 units), which is
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

/** Cuts one over-long plain line: pieces of at most `first`, then `rest` characters. */
function cutLine(text: string, first: number, rest: number): string[] {
  const out: string[] = [];
  let remaining = text;
  let max = first;
  while (remaining.length > max) {
    let cut = remaining.lastIndexOf(' ', max);
    if (cut <= 0) {
      cut = max;
      const code = remaining.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    }
    out.push(remaining.slice(0, cut));
    remaining = remaining.slice(cut).replace(/^ /, '');
    max = rest;
  }
  out.push(remaining);
  return out;
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
    const pieces = cutLine(line.map(spanText).join(''), limit(), limits.rest);
    for (const [i, piece] of pieces.entries()) {
      current.push([piece]);
      size = piece.length;
      if (i < pieces.length - 1) flush();
    }
  }
  if (current.length > 0 || parts.length === 0) parts.push(current);
  return parts;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * One plain text kept within `max` characters (UTF-16 units): whole when it fits, else cut with
 * '…' at the end, between whole graphemes: never inside a surrogate pair (half an emoji is no
 * text: Telegram and Discord refuse the whole request carrying it), nor inside a flag, a family
 * joined by ZWJ, or a letter and its accent (each half would show as something else).
 */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 1) return '';
  const room = max - 1;
  let cut = 0;
  // Read up to a little past the cut (a grapheme is short, a text may not be).
  for (const g of graphemes.segment(text.slice(0, room + 64))) {
    const end = g.index + g.segment.length;
    if (end > room) break;
    cut = end;
  }
  return `${text.slice(0, cut)}…`;
}

/** Plain text cut the same way: parts of at most `first`, then `rest` characters. */
export function splitText(text: string, first: number, rest: number = first): string[] {
  return splitLines(
    text.split('\n').map((l) => [l]),
    { first, rest },
  ).map((part) => part.map((l) => l.map(spanText).join('')).join('\n'));
}
