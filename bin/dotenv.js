// The .env a command reads from its working directory, parsed here and applied by goldratio.js:
// a module of its own so that the tests read every case in their process (tests/bad-input.test.ts),
// the bin's line and exit code shown once through a real process.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * What is wrong with the first line of a .env that is neither blank, a # comment, NAME=value (with
 * `export ` before it) nor inside a quoted value over several lines: Node's parser reads such a
 * line and the next as one name ("Telegram settings\nDATABASE_PATH"), and the variable after it
 * would be lost without a word; or whose unquoted value has a # in it, which Node's parser cuts
 * there. Only its number and name are said; the line may hold a token.
 */
function envProblem(text) {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([\w.-]+)\s*=\s*(.*)$/.exec(line);
    if (m === null) return `line ${i + 1} is not NAME=value (a comment starts with #); fix or remove it`;
    // A value opened by a quote that this line does not close runs on to the line that does (if any).
    const quote = m[2][0];
    if (quote === '"' || quote === "'" || quote === '`') {
      if (m[2].indexOf(quote, 1) !== -1) continue;
      const end = lines.findIndex((l, j) => j > i && l.includes(quote));
      if (end !== -1) i = end;
      continue;
    }
    // Unquoted, a # starts a comment even inside the value (a password, a URL's fragment): the rest
    // would be dropped without a word. A comment after a value has a space before its #.
    if (/^[^\s#]+#/.test(m[2])) {
      // Quoted, a URL's # would still end its host part (DATABASE_URL's password): there it is %23.
      const fix = /^[A-Za-z][\w+.-]*:\/\//.test(m[2]) ? 'in a URL a # of a password is written %23 (p%23ss for p#ss)' : `put the value in quotes (${m[1]}="…")`;
      return `line ${i + 1}: the value of ${m[1]} has a # in it, and everything from the # on would be read as a comment; ${fix}`;
    }
  }
  return undefined;
}

/**
 * The variables of the .env in `dir` (none when there is no such file), or what is wrong with it
 * (`problem`, the end of the bin's one line). A byte-order mark (Windows editors write one) is
 * dropped: kept, it would hide the first variable.
 */
export function readDotEnv(dir = process.cwd()) {
  const path = join(dir, '.env');
  if (!existsSync(path)) return { vars: {} };
  try {
    if (statSync(path).isDirectory()) return { problem: 'it is a folder, not a file' };
    const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
    const problem = envProblem(text);
    if (problem !== undefined) return { problem };
    return { vars: parseEnv(text) };
  } catch (e) {
    return { problem: e.code ?? e.message };
  }
}
