/**
 * nearestName stops counting edits once a name cannot come back within the limit (a start weighs
 * every variable of its environment against goldratio's ~100). The guesses must be those of the
 * whole count: checked here against the plain table, on typos of every variable name and command.
 */
import { describe, expect, test } from 'vitest';
import { CONFIG_VARS } from '../../src/config.ts';
import { nearestName } from '../../src/domain/nearest.ts';

/** The whole table (one flat array, no cut): letters added, dropped, changed, or two neighbours swapped. */
function fullDistance(a: string, b: string): number {
  const w = b.length + 1;
  const d = new Uint16Array((a.length + 1) * w);
  for (let i = 0; i <= a.length; i++) d[i * w] = i;
  for (let j = 0; j <= b.length; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(d[(i - 1) * w + j]! + 1, d[i * w + j - 1]! + 1, d[(i - 1) * w + j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * w + j - 2]! + 1);
      d[i * w + j] = v;
    }
  return d[a.length * w + b.length]!;
}

/** nearestName's rule with the whole count. */
function reference(typed: string, names: readonly string[]): string | undefined {
  const word = typed.toLowerCase();
  const limit = Math.min(2, Math.floor(word.length / 3));
  // A length apart by more than the limit is that many edits at least (the rule before the cut, too).
  const distance = (n: string) => (word.length >= 3 && n.startsWith(word) ? 0 : Math.abs(n.length - word.length) > limit ? limit + 1 : fullDistance(word, n));
  const scored = names.map((n) => ({ n, d: distance(n) })).sort((a, b) => a.d - b.d);
  const best = scored[0];
  if (best === undefined || best.d > limit || scored[1]?.d === best.d) return undefined;
  return best.n;
}

/** One edit of each kind at each place of `w`. */
function typos(w: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < w.length; i++) {
    out.push(w.slice(0, i) + w.slice(i + 1));
    out.push(`${w.slice(0, i)}x${w.slice(i + 1)}`);
    out.push(`${w.slice(0, i)}q${w.slice(i)}`);
    if (i + 1 < w.length) out.push(w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2));
  }
  return out;
}

const VARS = CONFIG_VARS.map((v) => v.name.toLowerCase());
const COMMANDS = ['start', 'ratio', 'levels', 'history', 'power', 'chart', 'status', 'backfill', 'import', 'replay', 'digest', 'webhook', 'version', 'help'];

describe('nearestName', () => {
  test('a swap of neighbours is one edit; two edits are guessed in a long name, not in a short one', () => {
    expect(nearestName('stauts', COMMANDS)).toBe('status');
    expect(nearestName('TELGRAM_BOT_TOKN', VARS)).toBe('telegram_bot_token');
    expect(nearestName('rtaoi', COMMANDS)).toBeUndefined();
  });

  test.each([
    ['variable names', VARS],
    ['commands', COMMANDS],
  ] as const)('every typo (one and two edits) of the %s is guessed as with the whole count', (_, names) => {
    let compared = 0;
    let guessed = 0;
    const differ: string[] = [];
    // One in eight one-edit typos of each name, and two-edit typos of the first (the whole
    // count is slow: it is what a start used to pay).
    for (const [k, name] of names.entries()) {
      const once = typos(name);
      const twice = k === 0 ? once.filter((_, i) => i % 25 === 0).flatMap(typos) : [];
      for (const typed of [...once.filter((_, i) => i % 8 === k % 8), ...twice, 'database_url_x', 'xyz', 'path', 'home', 'node_options']) {
        const want = reference(typed, names);
        const got = nearestName(typed, names);
        if (got !== want) differ.push(`${typed}: ${got} instead of ${want}`);
        compared++;
        if (want !== undefined) guessed++;
      }
    }
    expect(differ).toEqual([]);
    // Both answers are among those compared: guesses and none.
    expect(guessed).toBeGreaterThan(20);
    expect(compared - guessed).toBeGreaterThan(20);
  });
});
