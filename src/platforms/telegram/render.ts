/**
 * Reply model → Telegram HTML and inline keyboards. The only place that builds Telegram message
 * payloads for replies; every interpolated value goes through escapeHtml.
 */
import type { InlineKeyboardMarkup } from 'grammy/types';
import { replyLines, spanText, type Line, type Reply, type Span } from '../../chat/reply.ts';
import { clipText, lineLength, splitLines } from '../../chat/split.ts';
import { CAPTION_MAX, MESSAGE_MAX, escapeHtml } from './html.ts';
import { isLang, type Lang } from '../../domain/i18n/index.ts';

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

/** Buttons a keyboard row holds on a phone before Telegram cuts their labels short ("1個…"). */
export const ROW_MAX = 4;

/** A row of n buttons as rows of at most ROW_MAX, as even as can be (the chart's 8 ranges: 4 and 4; 7: 4 and 3). */
function evenRows<T>(row: readonly T[]): T[][] {
  const rows = Math.ceil(row.length / ROW_MAX);
  const size = Math.ceil(row.length / rows);
  return Array.from({ length: rows }, (_, i) => row.slice(i * size, (i + 1) * size));
}

/** Telegram's limit on a button's callback_data, in bytes. */
export const CALLBACK_DATA_MAX = 64;
/** Between a button's action and the language its message was written in (no action holds it). */
const LANG_MARK = '|';

/**
 * A button's callback_data: its action, and with `lang` the language its message was written in, so
 * that a press in a group redraws the message in that language, not in the presser's (Telegram has
 * no message only the presser sees). Carried in the data itself: nothing to store, it survives
 * restarts and replicas. Data that would pass Telegram's 64 bytes goes without it.
 */
export function callbackData(action: string, lang?: Lang): string {
  if (lang === undefined) return action;
  const data = `${action}${LANG_MARK}${lang}`;
  return Buffer.byteLength(data) <= CALLBACK_DATA_MAX ? data : action;
}

/**
 * A press's callback_data read back: the action, and the message's language when the button carries
 * it (older buttons do not). No action holds the mark, so whatever follows the first one is marks: one
 * this version does not know (a newer version's, pressed on a replica not yet upgraded in a rolling
 * deploy) is passed over, and the button still does what it says, where it was refused as "no longer
 * valid", as this version's `|en` was on the replicas before it.
 */
export function pressedData(data: string): { readonly action: string; readonly lang: Lang | undefined } {
  const [action = '', ...marks] = data.split(LANG_MARK);
  return { action, lang: marks.find(isLang) };
}

/** `lang`: the message's language, carried by its buttons (callbackData); undefined for a private chat, whose presser is its reader. */
export function keyboard(r: Reply, lang?: Lang): InlineKeyboardMarkup | undefined {
  if (r.buttons === undefined || r.buttons.length === 0) return undefined;
  // Telegram has no pressed state: the current choice carries a dot.
  return {
    inline_keyboard: r.buttons.flatMap((row) =>
      evenRows(row.map((b) => ({ text: b.selected === true ? `• ${b.label}` : b.label, callback_data: callbackData(b.action, lang) }))),
    ),
  };
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

export function renderReply(r: Reply, withPhoto: boolean, lang?: Lang): RenderedReply {
  const kb = keyboard(r, lang);
  const lines = replyLines(r);
  if (withPhoto) {
    const total = lines.reduce((n, l, i) => n + lineLength(l) + (i > 0 ? 1 : 0), 0);
    if (total <= CAPTION_MAX) return { caption: replyHtml(lines), messages: [], keyboard: kb };
    return { caption: undefined, messages: chunkLines(lines, MESSAGE_MAX), keyboard: kb };
  }
  return { caption: undefined, messages: chunkLines(lines, MESSAGE_MAX), keyboard: kb };
}

/**
 * An outbox message (as a Reply: chat/message-lines.ts messageReply) as HTML parts: with a chart,
 * the caption first (≤ 1024 visible characters), then messages (≤ 4096). Its lines are the ones a
 * command reply prints (replyLines); unlike a reply, a long caption is cut into parts rather than
 * moved below the photo, since each part is delivered and recorded on its own.
 */
export function messageParts(r: Reply, withPhoto: boolean): string[] {
  return chunkLines(replyLines(r), withPhoto ? CAPTION_MAX : MESSAGE_MAX);
}

/** Room a line cut short must still have to say something (else it is left out and '…' stands alone). */
const CLIP_MIN = 24;

/**
 * An outbox message as one photo caption, for a chat that takes photos from the bot but no text
 * (CHAT_SEND_PLAIN_FORBIDDEN): whole lines from the top (the headline with the ratio, then the level
 * lines) while they fit `max` visible characters; the first that does not is cut between whole
 * graphemes with '…', or, with too little room left, dropped for a last line '…'. Never silently
 * short: a cut caption always ends with '…'.
 */
export function fittedCaption(r: Reply, max: number = CAPTION_MAX): string {
  const kept: Line[] = [];
  let size = 0;
  for (const line of replyLines(r)) {
    const len = lineLength(line);
    const sep = kept.length > 0 ? 1 : 0;
    if (size + sep + len <= max) {
      kept.push(line);
      size += sep + len;
      continue;
    }
    const room = max - size - sep;
    if (room >= CLIP_MIN || kept.length === 0) {
      kept.push([clipText(line.map(spanText).join(''), room)]);
      break;
    }
    // '\n…' must fit: a last line that ends within two characters of the limit makes way.
    while (kept.length > 0 && size + 2 > max) {
      const last = kept.pop() as Line;
      size -= lineLength(last) + (kept.length > 0 ? 1 : 0);
    }
    kept.push(['…']);
    break;
  }
  return replyHtml(kept);
}
