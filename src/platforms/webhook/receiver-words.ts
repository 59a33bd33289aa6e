/**
 * A receiver's words as goldratio shows them (`webhook test`, `webhook list`, the log, a stop's
 * reason): one plain line a receiver cannot dress up. Its control characters (C0 and C1: an escape
 * sequence would recolour or rewrite the operator's terminal) and bidirectional controls (U+202A-
 * U+202E embeddings and overrides, U+2066-U+2069 isolates, the U+200E, U+200F and U+061C marks: a
 * "right-to-left override" shows `gpj.exe` for `exe.jpg` and can make the line read other than it
 * is) are dropped, and it is cut between whole code points.
 */

/** The bidirectional controls: embeddings and overrides, isolates, and the marks. */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

/** `text` as one plain line of at most `max` code points (the last one `…` when cut). */
export function plainLine(text: string, max: number): string {
  const line = text
    .replace(BIDI, '')
    .replace(/[\p{Cc}\s]+/gu, ' ')
    .trim();
  const chars = [...line];
  return chars.length <= max ? line : `${chars.slice(0, max - 1).join('')}…`;
}

/** The named references an error page's title uses; any other name is left as written. */
const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  middot: '·',
  copy: '©',
  reg: '®',
  trade: '™',
};

/**
 * An HTML text's character references decoded, once (`&amp;lt;` is `&lt;`): named ones of NAMED,
 * decimal and hexadecimal ones (`&#39;`, `&#x27;`; one naming no character, a surrogate or 0 is
 * U+FFFD, as browsers read it). What they decode to is plain text: plainLine drops the controls
 * among it.
 */
export function decodeEntities(html: string): string {
  return html.replace(/&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,7})|([a-zA-Z]{2,8}));/g, (whole, dec?: string, hex?: string, name?: string) => {
    if (name !== undefined) return Object.hasOwn(NAMED, name) ? NAMED[name]! : whole;
    const cp = dec !== undefined ? Number(dec) : Number.parseInt(hex!, 16);
    return cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? '\ufffd' : String.fromCodePoint(cp);
  });
}

/** An HTML page's title, its entities decoded, or '' when it has none. */
export function htmlTitle(page: string): string {
  return decodeEntities(/<title[^>]*>([^<]*)<\/title>/i.exec(page)?.[1]?.trim() ?? '');
}
