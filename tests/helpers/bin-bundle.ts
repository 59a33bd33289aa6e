/**
 * vitest globalSetup: the bin's compiled bundle (bin/bundle.js) built before any test starts. In a
 * fresh checkout (CI's) the first `goldratio` a test spawned compiled it, and the bins starting
 * beside it waited on its lock: a build is 1-3 s of CPU alone, but at load 27 (the waiting files
 * start first, four bins at once) no bin of ops/stop, pg-silent-bot or cli/postgres-wait said a line
 * within the 30 s their tests give it (before-and-after counts: docs/ci.md, flake21). Built here, it
 * costs no test its bound, and the bins start as a user's second start does; the first start's build
 * is tests/bin/bundle.test.ts's. When it cannot be had (no esbuild), the bins run the sources through
 * tsx, as a user's would. This process marks it in use meanwhile: another checkout sharing
 * node_modules (a git worktree) does not prune it under the run.
 */
import { fileURLToPath } from 'node:url';
// @ts-expect-error: plain JavaScript, no declarations
import { bundledCli } from '../../bin/bundle.js';

export function setup(): void {
  bundledCli(fileURLToPath(new URL('../..', import.meta.url)));
}
