/**
 * vitest globalSetup: the suite gets a temp folder of its own (TMPDIR, which os.tmpdir() and every
 * child process read), and fails at the end if anything is left in it, so a test that leaks a temp
 * folder is caught on the run that adds it, not after months of runs have filled the system's one.
 * It fails too if the run added a file to the project's root or data/ (a path left relative, as a
 * database once was: it ended up committed).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT = fileURLToPath(new URL('../..', import.meta.url));
/** The folders a test with a relative path (a database, a backup, a chart) would write into. */
const WATCHED = [PROJECT, join(PROJECT, 'data')];
const entries = (dir: string): string[] => {
  try {
    return readdirSync(dir).map((f) => join(dir, f));
  } catch {
    return [];
  }
};

const MARK = 'GOLDRATIO_TEST_TMPDIR';

export function setup(): (() => void) | undefined {
  // Set already: a run inside another one's environment (a vitest started by a test) shares its folder.
  if (process.env[MARK] !== undefined) return undefined;
  const root = mkdtempSync(join(tmpdir(), 'goldratio-suite-'));
  // tsx (in every spawned bin and child) keeps its compile cache in tmpdir()/tsx-<uid>: point it at
  // the system's, so children start warm and the cache is not counted as left behind.
  const tsxCache = `tsx-${process.geteuid?.() ?? userInfo().username}`;
  mkdirSync(join(tmpdir(), tsxCache), { recursive: true });
  symlinkSync(join(tmpdir(), tsxCache), join(root, tsxCache));
  const before = new Set(WATCHED.flatMap(entries));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  process.env[MARK] = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    delete process.env[MARK];
    const left = readdirSync(root).filter((f) => f !== tsxCache);
    rmSync(root, { recursive: true, force: true });
    const added = WATCHED.flatMap(entries).filter((f) => !before.has(f));
    if (added.length > 0) {
      process.exitCode = 1;
      throw new Error(`the tests wrote ${added.length} item(s) into the project (a path left relative?): ${added.slice(0, 10).join(', ')}`);
    }
    if (left.length > 0) {
      // vitest prints a teardown's error but still exits 0: the exit code says it too.
      process.exitCode = 1;
      throw new Error(`the tests left ${left.length} item(s) in their temp folder (a test must remove what it creates): ${left.slice(0, 10).join(', ')}`);
    }
  };
}
