/**
 * The tests' own child processes (tests/fakes/lock-holder.ts, drain-child.ts, part-crash-child.ts)
 * bundled with esbuild, the compiler tsx runs file by file, once per test process: a child then
 * starts on ~0.2 s of CPU instead of 1.5-2.5 s, because Node 20 runs tsx's loader hooks on a thread
 * of their own with a round trip per module. Only our test harnesses are bundled; the `goldratio`
 * bin is always spawned as a user runs it (helpers/process.ts), through tsx.
 */
import { createRequire } from 'node:module';
import { mkdirSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Inside the project, so the bundle's imports of packages (better-sqlite3, undici, grammY) resolve
// to node_modules as the sources' do; outside the suite's temp folder, which must end up empty.
const OUT = join(ROOT, 'node_modules', '.cache', 'goldratio-test-children');

interface Esbuild {
  buildSync(o: Record<string, unknown>): unknown;
}
// tsx's own esbuild (a dependency of tsx, so present wherever the sources run at all).
const esbuild = createRequire(join(ROOT, 'node_modules', 'tsx', 'package.json'))('esbuild') as Esbuild;

const built = new Map<string, string>();

/** A plain-JavaScript copy of the TypeScript entry `entry` (a path) with our sources inlined, for `node <it>`. */
export function childScript(entry: string): string {
  let out = built.get(entry);
  if (out === undefined) {
    mkdirSync(OUT, { recursive: true });
    out = join(OUT, `${basename(entry, '.ts')}.mjs`);
    // Written aside and renamed: two workers building the same child never leave half a file.
    const part = `${out}.${process.pid}.tmp`;
    esbuild.buildSync({
      entryPoints: [entry],
      outfile: part,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'error',
    });
    renameSync(part, out);
    built.set(entry, out);
  }
  return out;
}
