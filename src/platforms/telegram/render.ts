/**
 * Reply model → Telegram HTML and inline keyboards. The only place that builds Telegram message
 * payloads for replies; every interpolated value goes through escapeHtml.
 */
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Line, Reply, Span } from '../../chat/reply.ts';
import { lineLength, splitLines } from '../../chat/split.ts';
import { CAPTION_MAX, MESSAGE_MAX, escapeHtml } from './html.ts';

function spanHtml(s: Span): string {
  if (typeof s === 'string') return escapeHtml(s);
  if ('bold' in s) return `<b>${escapeHtml(s.bold)}</b>`;
  if ('code' in s) return `<code>${escapeHtml(s.code)}</code>`;
  return `<i>${escapeHtml(s.italic)}</i>`;
}

export const lineHtml = (line: Line): string => line.map(spanHtml).join('');

export function replyHtml(lines: readonly Line[]): string {
  return lines.map(lineHtml).join('\n');
}

export function keyboard(r: Reply): InlineKeyboardMarkup | undefined {
  if (r.buttons === undefined || r.buttons.length === 0) return undefined;
  // Telegram has no pressed state: the current choice carries a dot.
  return { inline_keyboard: r.buttons.map((row) => row.map((b) => ({ text: b.selected === true ? `• ${b.label}` : b.label, callback_data: b.action }))) };
}

/** Whole lines grouped into HTML messages of at most `first`, then `max` visible characters (chat/split.ts decides where). */
export function chunkLines(lines: readonly Line[], first: number, max: number = MESSAGE_MAX): string[] {
  return splitLines(lines, { first, rest: max }).map((part) => part.map(lineHtml).join('\n'));
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
