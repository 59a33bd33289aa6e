/**
 * A command named inside a text. The catalogue (and chat/ where it builds a line) writes every
 * command it names in one form, the declared Latin name after a slash (`/subscribe`), which is
 * what Telegram's menu and the console take. A platform whose menu shows other names (Discord's
 * localized `name_localizations`, or a command mention) finds these references here and writes its
 * own form (platforms/discord/render.ts); the others print the text as it is.
 * tests/domain/i18n.test.ts fails if a catalogue text names a command any other way.
 */

/** A run of text, or a reference to the command named `command`. */
export type TextPart = string | { readonly command: string };

/**
 * `/name` with nothing glued before it that would make it part of a word, a path or a URL
 * (`SPX/Gold`, `Asia/Taipei`, `https://x/help`, `</x:1>`), and no name character after it (Han
 * may touch it on either side: Chinese text may write 使用/subscribe). Nor right after an opening
 * quote: the catalogue never quotes a command, and a quoted one is what the user typed, echoed
 * (`"/help" is neither a pair…`, 您輸入的是「/help」): shown as typed, never made a mention.
 */
const REF = /(?<![A-Za-z0-9_./:<@"'“‘「『-])\/([a-z]+)(?![A-Za-z0-9_-])/g;

/**
 * A run in quotes ("…", “…”, 「…」, 『…』): what the user typed, echoed (`Unknown pair "spx /ratio"`),
 * shown as typed wherever a command stands in it, not only right after the opening quote.
 */
const QUOTED = /"[^"]*"|“[^”]*”|「[^」]*」|『[^』]*』/g;

/** `text` cut into plain runs and references to the commands `known` accepts; a text without one is itself. */
export function commandRefs(text: string, known: (name: string) => boolean): TextPart[] {
  const parts: TextPart[] = [];
  const quoted = [...text.matchAll(QUOTED)].map((q) => [q.index, q.index + q[0].length] as const);
  const inQuotes = (i: number) => quoted.some(([from, to]) => i > from && i < to);
  let at = 0;
  for (const m of text.matchAll(REF)) {
    const name = m[1]!;
    if (!known(name) || inQuotes(m.index)) continue;
    if (m.index > at) parts.push(text.slice(at, m.index));
    parts.push({ command: name });
    at = m.index + m[0].length;
  }
  if (at < text.length || parts.length === 0) parts.push(text.slice(at));
  return parts;
}
