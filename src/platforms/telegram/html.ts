/** Telegram HTML parse mode: escaping, and the API's length limits (chat/split.ts cuts to them). */

/** Escapes a value for parse_mode HTML (Telegram needs only these three). */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Telegram's limits, counted on the visible text (after entity parsing), in UTF-16 units. */
export const CAPTION_MAX = 1024;
export const MESSAGE_MAX = 4096;
