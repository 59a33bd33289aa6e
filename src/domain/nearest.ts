/**
 * The name a typo most likely meant, for "did you mean …?": pure, shared by the CLI's unknown
 * command and the chat's. A guess is made only when one name is clearly nearest.
 */

/**
 * Edits from a to b: a letter added, dropped, changed, or two neighbours swapped (stauts → status is
 * one). Past `max` the exact count does not matter: max + 1 is said as soon as no path can come back
 * under it. Two rows and the one before them, kept as numbers: a start weighs each variable of the
 * environment against the ~100 goldratio reads, and a table of arrays for each pair took 15-60 ms.
 */
function editDistance(a: string, b: string, max: number): number {
  const n = b.length;
  let before = new Uint16Array(n + 1);
  let prev = new Uint16Array(n + 1);
  let row = new Uint16Array(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      row[j] = d;
      if (d < rowMin) rowMin = d;
    }
    // A cell comes from the row above (+0 or +1), its left (+1) or two rows up (+1), and a row's
    // least is at most the least above it + 1: this row past max, the one above is at max or more,
    // and every row after is past max.
    if (rowMin > max) return max + 1;
    [before, prev, row] = [prev, row, before];
  }
  return Math.min(prev[n]!, max + 1);
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
  const distance = (n: string) =>
    word.length >= 3 && n.startsWith(word) ? 0 : Math.abs(n.length - word.length) > limit ? limit + 1 : editDistance(word, n, limit);
  const scored = names.map((n) => ({ n, d: distance(n) })).sort((a, b) => a.d - b.d);
  const best = scored[0];
  if (best === undefined || best.d > limit || scored[1]?.d === best.d) return undefined;
  return best.n;
}
