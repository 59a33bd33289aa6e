#!/usr/bin/env node
// The `goldratio` command. The sources are TypeScript run through tsx, so there is no build step.
import { existsSync, statSync } from 'node:fs';
import { register } from 'tsx/esm/api';

// A .env in the working directory fills in variables the environment does not already set.
if (existsSync('.env')) {
  try {
    if (statSync('.env').isDirectory()) throw Object.assign(new Error('folder'), { code: 'EISDIR' });
    process.loadEnvFile('.env');
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

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
