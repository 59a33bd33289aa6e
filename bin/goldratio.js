#!/usr/bin/env node
// The `goldratio` command. The sources are TypeScript run through tsx, so there is no build step.
import { existsSync } from 'node:fs';
import { register } from 'tsx/esm/api';

// A .env in the working directory fills in variables the environment does not already set.
if (existsSync('.env')) process.loadEnvFile('.env');

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
