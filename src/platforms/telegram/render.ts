/**
 * Reply model → Telegram HTML and inline keyboards. The only place that builds Telegram message
 * payloads for replies; every interpolated value goes through escapeHtml.
 */
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Line, Reply, Span } from '../../chat/reply.ts';
import { CAPTION_MAX, MESSAGE_MAX, escapeHtml } from './html.ts';

function spanHtml(s: Span): string {
  if (typeof s === 'string') return escapeHtml(s);
  if ('bold' in s) return `<b>${escapeHtml(s.bold)}</b>`;
  if ('code' in s) return `<code>${escapeHtml(s.code)}</code>`;
  return `<i>${escapeHtml(s.italic)}</i>`;
}

const spanText = (s: Span): string => (typeof s === 'string' ? s : 'bold' in s ? s.bold : 'code' in s ? s.code : s.italic);

export const lineHtml = (line: Line): string => line.map(spanHtml).join('');
/** What Telegram counts against its limits: the text after entity parsing. */
const lineLength = (line: Line): number => line.map(spanText).join('').length;

export function replyHtml(lines: readonly Line[]): string {
  return lines.map(lineHtml).join('\n');
}

export function keyboard(r: Reply): InlineKeyboardMarkup | undefined {
  if (r.buttons === undefined || r.buttons.length === 0) return undefined;
  return { inline_keyboard: r.buttons.map((row) => row.map((b) => ({ text: b.label, callback_data: b.action }))) };
}

/**
 * Groups whole lines into messages of at most `max` visible characters (`first` for the first
 * group, e.g. a caption). A single line longer than a message is cut (a reply never has one).
 */
export function chunkLines(lines: readonly Line[], first: number, max: number = MESSAGE_MAX): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let size = 0;
  let limit = first;
  for (const line of lines) {
    const len = lineLength(line);
    const needed = current.length === 0 ? len : size + 1 + len;
    if (needed > limit && current.length > 0) {
      chunks.push(current.join('\n'));
      current = [];
      size = 0;
      limit = max;
    }
    if (len > limit) {
      current.push(escapeHtml(line.map(spanText).join('').slice(0, limit)));
      size = limit;
      continue;
    }
    size = current.length === 0 ? len : size + 1 + len;
    current.push(lineHtml(line));
  }
  if (current.length > 0 || chunks.length === 0) chunks.push(current.join('\n'));
  return chunks;
}

/** A reply as Telegram messages: the caption (if it fits) and the text messages that follow. */
export interface RenderedReply {
  /** HTML caption for the photo, or undefined when the text is too long to be one. */
  readonly caption: string | undefined;
  /** HTML messages, sent in order (after the photo, or alone). */
  readonly messages: readonly string[];
  readonly keyboard: InlineKeyboardMarkup | undefined;
}

export function renderReply(r: Reply, withPhoto: boolean): RenderedReply {
  const kb = keyboard(r);
  if (withPhoto) {
    const total = r.lines.reduce((n, l, i) => n + lineLength(l) + (i > 0 ? 1 : 0), 0);
    if (total <= CAPTION_MAX) return { caption: replyHtml(r.lines), messages: [], keyboard: kb };
    return { caption: undefined, messages: chunkLines(r.lines, MESSAGE_MAX), keyboard: kb };
  }
  return { caption: undefined, messages: chunkLines(r.lines, MESSAGE_MAX), keyboard: kb };
}
