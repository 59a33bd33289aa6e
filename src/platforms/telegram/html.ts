/** Telegram HTML parse mode: escaping and splitting text at the API's length limits. */

/** Escapes a value for parse_mode HTML (Telegram needs only these three). */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Telegram's limits, counted on the visible text (after entity parsing), in UTF-16 units. */
export const CAPTION_MAX = 1024;
export const MESSAGE_MAX = 4096;

/**
 * Cuts plain text into pieces of at most `first` then `rest` characters, preferring a line break,
 * then a space, and never splitting a surrogate pair. Joining the pieces with their cut
 * whitespace gives the text back.
 */
export function splitText(text: string, first: number, rest: number = MESSAGE_MAX): string[] {
  const out: string[] = [];
  let remaining = text;
  let max = first;
  while (remaining.length > max) {
    let cut = remaining.lastIndexOf('\n', max);
    if (cut <= 0) cut = remaining.lastIndexOf(' ', max);
    if (cut <= 0) {
      cut = max;
      const code = remaining.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    }
    out.push(remaining.slice(0, cut));
    remaining = remaining.slice(cut).replace(/^[\n ]/, '');
    max = rest;
  }
  out.push(remaining);
  return out;
}
