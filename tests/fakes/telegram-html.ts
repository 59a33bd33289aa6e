/**
 * What Telegram's parse_mode HTML accepts, as the Bot API documents it (core.telegram.org/bots/api,
 * "HTML style"): the supported tags only, each closed in order, `<`, `>` and `&` outside a tag or
 * entity escaped, the four named entities and numeric ones. The fake answers anything else as
 * Telegram does, `400 Bad Request: can't parse entities: …`, so a reply our renderer breaks fails
 * the test that sent it instead of passing silently.
 */
const TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'tg-emoji', 'code', 'pre', 'blockquote']);
const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/** The text a user sees, or why Telegram refuses it (its description's wording). */
export function parseTelegramHtml(html: string): { ok: true; text: string } | { ok: false; description: string } {
  const refuse = (why: string, at: number) => ({
    ok: false as const,
    description: `Bad Request: can't parse entities: ${why} at byte offset ${Buffer.byteLength(html.slice(0, at))}`,
  });
  const open: string[] = [];
  let text = '';
  let i = 0;
  while (i < html.length) {
    const c = html[i]!;
    if (c === '<') {
      const end = html.indexOf('>', i);
      if (end < 0) return refuse('Unclosed start tag', i);
      const inner = html.slice(i + 1, end);
      const closing = inner.startsWith('/');
      const name = /^\/?([a-z][a-z0-9-]*)/i.exec(inner)?.[1]?.toLowerCase();
      if (name === undefined) return refuse(`Unsupported start tag "${inner.slice(0, 20)}"`, i);
      if (!TAGS.has(name)) return refuse(`Unsupported ${closing ? 'end' : 'start'} tag "${name}"`, i);
      if (closing) {
        if (open.pop() !== name) return refuse(`Unexpected end tag`, i);
      } else {
        open.push(name);
      }
      i = end + 1;
    } else if (c === '>') {
      // Telegram reads a stray `>` as text, but the API asks for &gt;: our renderer escapes it, so insist.
      return refuse('Unexpected end of tag', i);
    } else if (c === '&') {
      const m = /^&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/i.exec(html.slice(i, i + 12));
      if (m === null) return refuse('Character "&" must be escaped', i);
      const e = m[1]!;
      if (e.startsWith('#')) text += String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)));
      else if (ENTITIES[e.toLowerCase()] !== undefined) text += ENTITIES[e.toLowerCase()];
      else return refuse(`Unsupported HTML entity "&${e};"`, i);
      i += m[0].length;
    } else {
      text += c;
      i++;
    }
  }
  if (open.length > 0) return refuse(`Can't find end tag corresponding to start tag "${open.at(-1)}"`, html.length);
  return { ok: true, text };
}
