/**
 * The bin's compiled copy of the sources (bin/bundle.js), on a copy of the project as a developer
 * has it: the first run builds a bundle and runs it, an edited source is never run stale, and a
 * cache folder that cannot be written still leaves a working command (through tsx).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { appendFileSync, cpSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnChild } from '../helpers/process.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let proj: string;

beforeAll(() => {
  proj = mkdtempSync(join(tmpdir(), 'goldratio-bundle-'));
  for (const f of ['package.json', 'tsconfig.json']) copyFileSync(join(ROOT, f), join(proj, f));
  cpSync(join(ROOT, 'src'), join(proj, 'src'), { recursive: true });
  cpSync(join(ROOT, 'bin'), join(proj, 'bin'), { recursive: true });
  mkdirSync(join(proj, 'node_modules'));
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name !== '.cache') symlinkSync(join(ROOT, 'node_modules', name), join(proj, 'node_modules', name));
  }
});
afterAll(() => rmSync(proj, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const c = spawnChild([join(proj, 'bin', 'goldratio.js'), ...args], { DATA_DIR: join(proj, 'data') }, proj);
  const { code } = await c.exited;
  return { code, out: c.stdout(), err: c.stderr() };
}

const bundles = () => readdirSync(join(proj, 'node_modules', '.cache', 'goldratio')).filter((n) => n.startsWith('bundle-'));

test('GIVEN a first run THEN the sources are compiled once and run from the bundle; an edited source makes a new one, so nothing stale runs', async () => {
  const first = await run(['status']);
  expect(first.code, first.err).toBe(0);
  expect(first.out).toMatch(/^spx\s+no data$/m);
  const [built] = bundles();
  expect(built).toMatch(/^bundle-[0-9a-f]{16}$/);
  expect(readdirSync(join(proj, 'node_modules', '.cache', 'goldratio', built!))).toEqual(expect.arrayContaining(['cli.mjs', 'render-worker.mjs']));

  // The same sources: the same bundle, nothing built again.
  expect((await run(['status'])).code).toBe(0);
  expect(bundles()).toEqual([built]);

  appendFileSync(join(proj, 'src', 'cli.ts'), "\nprocess.stderr.write('edited source ran\\n');\n");
  const edited = await run(['status']);
  expect(edited.code, edited.err).toBe(0);
  expect(edited.err).toMatch(/^edited source ran$/m);
  expect(bundles()).toHaveLength(2);
}, 60_000);

test('GIVEN a cache folder that cannot be made THEN the command still runs, through tsx', async () => {
  rmSync(join(proj, 'node_modules', '.cache'), { recursive: true, force: true });
  // A file where the folder would go: mkdir fails (ENOTDIR), as on a read-only install.
  writeFileSync(join(proj, 'node_modules', '.cache'), 'not a folder');
  const r = await run(['ratio', 'nonsense']);
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/^goldratio ratio: unexpected argument "nonsense"/m);
  expect(r.err).not.toMatch(/\n\s+at /);
}, 60_000);
