/**
 * The tests' own child processes (tests/fakes/lock-holder.ts, drain-child.ts, part-crash-child.ts,
 * leader-child.ts) bundled with esbuild, the compiler tsx runs file by file: a child then starts on
 * ~0.2 s of CPU instead of 1.5-2.5 s, because Node 20 runs tsx's loader hooks on a thread of their
 * own with a round trip per module. A bundle is named by the fingerprint of the files it can
 * include (src/ and tests/, as bin/bundle.js fingerprints src/), so the suite's workers and later
 * runs reuse it, and an edited source makes a new one. Only our test harnesses are bundled this
 * way; the `goldratio` bin is spawned as a user runs it (helpers/process.ts).
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: plain JavaScript, no declarations
import { esbuildOf, fingerprint } from '../../bin/bundle.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Inside the project, so the bundle's imports of packages (better-sqlite3, undici, grammY) resolve
// to node_modules as the sources' do; outside the suite's temp folder, which must end up empty.
const OUT = join(ROOT, 'node_modules', '.cache', 'goldratio-test-children');

interface Esbuild {
  readonly version?: string;
  buildSync(o: Record<string, unknown>): unknown;
}
const esbuild = esbuildOf(ROOT) as Esbuild;

const built = new Map<string, string>();

/** A plain-JavaScript copy of the TypeScript entry `entry` (a path) with our sources inlined, for `node <it>`. */
export function childScript(entry: string): string {
  let out = built.get(entry);
  if (out === undefined) {
    const name = basename(entry, '.ts');
    const key = fingerprint(ROOT, ['src', 'tests'], `${esbuild.version ?? ''}\0`) as string;
    out = join(OUT, `${name}-${key}.mjs`);
    if (existsSync(out)) {
      built.set(entry, out);
      return out;
    }
    mkdirSync(OUT, { recursive: true });
    // Older builds of this child go (their sources have changed since).
    // (Not this key's: another worker may have just built it.)
    for (const f of readdirSync(OUT)) if (f.startsWith(`${name}-`) && f.endsWith('.mjs') && f !== basename(out)) rmSync(join(OUT, f), { force: true });
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
