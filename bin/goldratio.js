#!/usr/bin/env node
// The `goldratio` command. The sources are TypeScript: the first run compiles them into a bundle
// that later runs load (./bundle.js), so there is no build step to remember; without one, they run
// through tsx.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { fileURLToPath } from 'node:url';
import { bundledCli, mapStacks } from './bundle.js';

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

// A .env in the working directory fills in variables the environment does not already set. A
// byte-order mark (Windows editors write one) is dropped: kept, it would hide the first variable.
if (existsSync('.env')) {
  try {
    if (statSync('.env').isDirectory()) throw Object.assign(new Error('folder'), { code: 'EISDIR' });
    const text = readFileSync('.env', 'utf8').replace(/^\uFEFF/, '');
    const problem = envProblem(text);
    if (problem !== undefined) throw Object.assign(new Error('stray'), { code: 'ESTRAY', problem });
    const vars = parseEnv(text);
    for (const [name, value] of Object.entries(vars)) if (process.env[name] === undefined) process.env[name] = value;
  } catch (e) {
    const why = e.code === 'EISDIR' ? 'it is a folder, not a file' : e.code === 'ESTRAY' ? e.problem : (e.code ?? e.message);
    process.stderr.write(`goldratio: cannot read .env in ${process.cwd()}: ${why}\n`);
    process.exit(2);
  }
}

// `goldratio history spx-gold | head -1`: the reader left; stop quietly instead of an EPIPE stack.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

let cli = bundledCli(fileURLToPath(new URL('..', import.meta.url)));
if (cli !== undefined) mapStacks(fileURLToPath(new URL('.', cli)));
else {
  (await import('tsx/esm/api')).register();
  cli = '../src/cli.ts';
}
const { main, exitWhenWritten } = await import(cli);
// A command that left work running on purpose (start's stop past STOP_TIMEOUT_SECONDS, a query
// still waiting on a silent database) asks to end now: what is left must not outlast the grace.
let leave = false;
const code = await main(process.argv.slice(2), {
  leave: () => {
    leave = true;
  },
});
// Once the log's last lines are out of the process: process.exit alone drops what waits in a pipe's queue.
if (leave) await exitWhenWritten(code);
process.exitCode = code;
