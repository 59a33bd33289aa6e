/**
 * The name a typo most likely meant, for "did you mean …?": pure, shared by the CLI's unknown
 * command and the chat's. A guess is made only when one name is clearly nearest.
 */

/** Edits from a to b: a letter added, dropped, changed, or two neighbours swapped (stauts → status is one). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const row = d[i]!;
      row[j] = Math.min(d[i - 1]![j]! + 1, row[j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}

/**
 * The name `typed` most likely meant: a word from `aliases` (what people try: alerts → mylevels),
 * a name it begins (three letters or more), or one within two edits (one for words under six
 * letters); none when two names are as near as each other.
 */
export function nearestName(typed: string, names: readonly string[], aliases: Readonly<Record<string, string>> = {}): string | undefined {
  const word = typed.toLowerCase();
  if (Object.hasOwn(aliases, word)) return aliases[word];
  const limit = Math.min(2, Math.floor(word.length / 3));
  // A name longer or shorter by more than the limit is at least that many edits away: not worth
  // the table (a typed time zone is weighed against about 600 cities).
  const distance = (n: string) => (word.length >= 3 && n.startsWith(word) ? 0 : Math.abs(n.length - word.length) > limit ? limit + 1 : editDistance(word, n));
  const scored = names.map((n) => ({ n, d: distance(n) })).sort((a, b) => a.d - b.d);
  const best = scored[0];
  if (best === undefined || best.d > limit || scored[1]?.d === best.d) return undefined;
  return best.n;
}
