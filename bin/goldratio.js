#!/usr/bin/env node
// The `goldratio` command. The sources are TypeScript: the first run compiles them into a bundle
// that later runs load (./bundle.js), so there is no build step to remember; without one, they run
// through tsx.
import { fileURLToPath } from 'node:url';
import { bundledCli, mapStacks } from './bundle.js';
import { readDotEnv } from './dotenv.js';

// A .env in the working directory fills in variables the environment does not already set.
const dotEnv = readDotEnv();
if (dotEnv.problem !== undefined) {
  process.stderr.write(`goldratio: cannot read .env in ${process.cwd()}: ${dotEnv.problem}\n`);
  process.exit(2);
}
for (const [name, value] of Object.entries(dotEnv.vars)) if (process.env[name] === undefined) process.env[name] = value;

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
