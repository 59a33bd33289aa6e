/**
 * The tests' children built once (tests/helpers/child-script.ts) live in node_modules, which git
 * worktrees share: a build is marked used whenever it is asked for, and one gone since this worker
 * last asked (another checkout's cleanup) is built again, not handed out missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, statSync, utimesSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { childScript } from './helpers/child-script.ts';

const ENTRY = fileURLToPath(new URL('./fakes/echo-child.ts', import.meta.url));
const run = (path: string) => execFileSync(process.execPath, [path, 'hi'], { encoding: 'utf8' });

afterAll(() => rmSync(childScript(ENTRY), { force: true }));

test('GIVEN a child built, then removed by a cleanup WHEN asked for again THEN it is built again and runs', () => {
  const first = childScript(ENTRY);
  expect(run(first)).toBe('echo hi\n');
  rmSync(first);
  const again = childScript(ENTRY);
  expect(existsSync(again)).toBe(true);
  expect(run(again)).toBe('echo hi\n');
});

test('GIVEN a build last used 20 minutes ago WHEN asked for THEN it is marked used now (a cleanup leaves what was used in the last 10)', () => {
  const path = childScript(ENTRY);
  const old = new Date(Date.now() - 20 * 60_000);
  utimesSync(path, old, old);
  expect(childScript(ENTRY)).toBe(path);
  expect(Date.now() - statSync(path).mtimeMs).toBeLessThan(5 * 60_000);
});
