#!/usr/bin/env node
// The `goldratio` command. The sources are TypeScript: the first run compiles them into a bundle
// that later runs load (./bundle.js), so there is no build step to remember; without one, they run
// through tsx.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { fileURLToPath } from 'node:url';
import { bundledCli } from './bundle.js';

// A .env in the working directory fills in variables the environment does not already set. A
// byte-order mark (Windows editors write one) is dropped: kept, it would hide the first variable.
if (existsSync('.env')) {
  try {
    if (statSync('.env').isDirectory()) throw Object.assign(new Error('folder'), { code: 'EISDIR' });
    const vars = parseEnv(readFileSync('.env', 'utf8').replace(/^\uFEFF/, ''));
    for (const [name, value] of Object.entries(vars)) if (process.env[name] === undefined) process.env[name] = value;
  } catch (e) {
    const why = e.code === 'EISDIR' ? 'it is a folder, not a file' : (e.code ?? e.message);
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
if (cli === undefined) {
  (await import('tsx/esm/api')).register();
  cli = '../src/cli.ts';
}
const { main } = await import(cli);
process.exitCode = await main(process.argv.slice(2));
