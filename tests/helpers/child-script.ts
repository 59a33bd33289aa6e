/**
 * The tests' own child processes (tests/fakes/lock-holder.ts, drain-child.ts, part-crash-child.ts,
 * leader-child.ts) bundled with esbuild, the compiler tsx runs file by file: a child then starts on
 * ~0.2 s of CPU instead of 1.5-2.5 s, because Node 20 runs tsx's loader hooks on a thread of their
 * own with a round trip per module. A bundle is named by the fingerprint of the files it can
 * include (src/ and tests/, as bin/bundle.js fingerprints src/), so the suite's workers and later
 * runs reuse it, and an edited source makes a new one. Only our test harnesses are bundled this
 * way; the `goldratio` bin is spawned as a user runs it (helpers/process.ts).
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: plain JavaScript, no declarations
import { esbuildOf, esbuildVersion, fingerprint } from '../../bin/bundle.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Inside the project, so the bundle's imports of packages (better-sqlite3, undici, grammY) resolve
// to node_modules as the sources' do; outside the suite's temp folder, which must end up empty.
const OUT = join(ROOT, 'node_modules', '.cache', 'goldratio-test-children');

interface Esbuild {
  readonly version?: string;
  buildSync(o: Record<string, unknown>): unknown;
}
// Loaded only to build: a child already built needs the version alone (bin/bundle.js's reason).
const esbuildVer = esbuildVersion(ROOT) as string;

const built = new Map<string, string>();

const recent = (path: string): boolean => {
  try {
    return Date.now() - statSync(path).mtimeMs < 10 * 60_000;
  } catch {
    return false;
  }
};

/**
 * Whether the build at `path` (a file, or a split build's entry) is there, marked as just used if
 * so: the cleanup below leaves a build used in the last ten minutes, in this checkout or another.
 */
function used(path: string): boolean {
  const now = new Date();
  try {
    utimesSync(path, now, now);
    if (dirname(path) !== OUT) utimesSync(dirname(path), now, now);
    return true;
  } catch {
    return false;
  }
}

/**
 * A plain-JavaScript copy of the TypeScript entry `entry` (a path) with our sources inlined, for `node <it>`.
 * `split`: the sources' lazy imports (`await import('./ops/metrics.ts')`) stay lazy, as chunks of their
 * own beside the entry, as bin/bundle.js builds the bin; without it, a module imported lazily is inlined
 * and the packages it imports are loaded at the start, whatever the sources do.
 */
export function childScript(entry: string, opts: { readonly split?: boolean } = {}): string {
  const split = opts.split === true;
  let out = built.get(`${split}\0${entry}`);
  // Known to this worker, but gone: another checkout sharing node_modules (a git worktree) took it
  // for an old build (its sources differ) once ten minutes had passed since it was made or last
  // used here. Seen in a 20-minute run beside other worktrees: "Cannot find module …lock-holder-….mjs".
  if (out !== undefined && !used(out)) out = undefined;
  if (out === undefined) {
    const name = split ? `${basename(entry, '.ts')}-split` : basename(entry, '.ts');
    const key = fingerprint(ROOT, ['src', 'tests'], `${esbuildVer}\0`) as string;
    // A split build is a folder (its entry and chunks), renamed into place whole as a file is.
    const made = join(OUT, split ? `${name}-${key}` : `${name}-${key}.mjs`);
    out = split ? join(made, `${basename(entry, '.ts')}.mjs`) : made;
    if (used(out)) {
      built.set(`${split}\0${entry}`, out);
      return out;
    }
    mkdirSync(OUT, { recursive: true });
    // Older builds of this child go (their sources have changed since). Not this key's: another
    // worker may have just built it. Nor one built in the last ten minutes: a checkout sharing this
    // node_modules (a git worktree) may be running it, and a split build's child loads its chunks as it goes.
    for (const f of readdirSync(OUT))
      if (f.startsWith(`${name}-`) && (split ? !f.includes('.') : f.endsWith('.mjs')) && f !== basename(made) && !recent(join(OUT, f)))
        rmSync(join(OUT, f), { recursive: true, force: true });
    // Written aside and renamed: two workers building the same child never leave half a file.
    const part = `${made}.${process.pid}.tmp`;
    rmSync(part, { recursive: true, force: true });
    (esbuildOf(ROOT) as Esbuild).buildSync({
      entryPoints: [entry],
      ...(split ? { outdir: part, splitting: true, chunkNames: 'chunk-[hash]', outExtension: { '.js': '.mjs' } } : { outfile: part }),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'error',
    });
    try {
      renameSync(part, made);
    } catch (e) {
      // Another worker renamed the same build into place first (a folder is not replaced as a file is).
      rmSync(part, { recursive: true, force: true });
      if (!existsSync(out)) throw e;
    }
    built.set(`${split}\0${entry}`, out);
  }
  return out;
}
