/** makeDirs: mkdir -p one level at a time, which fails where Node's recursive mkdir would spin. */
import { afterAll, expect, test } from 'vitest';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDirs } from '../src/make-dirs.ts';

const root = mkdtempSync(join(tmpdir(), 'goldratio-dirs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

test('GIVEN missing parents THEN each is made; a folder that exists THEN nothing happens', () => {
  makeDirs(join(root, 'a', 'b', 'c'));
  expect(statSync(join(root, 'a', 'b', 'c')).isDirectory()).toBe(true);
  makeDirs(join(root, 'a', 'b', 'c'));
  makeDirs(join(root, 'a', 'b', '..', 'd'));
  expect(statSync(join(root, 'a', 'd')).isDirectory()).toBe(true);
});

test('GIVEN a file where a folder is asked for, or above it THEN ENOTDIR naming it', () => {
  writeFileSync(join(root, 'f'), 'x');
  expect(() => makeDirs(join(root, 'f'))).toThrow(expect.objectContaining({ code: 'ENOTDIR', path: join(root, 'f') }));
  expect(() => makeDirs(join(root, 'f', 'g'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
});

// Linux's /proc answers mkdir with ENOENT though /proc exists: Node's recursive mkdir never returns there.
test.runIf(process.platform === 'linux')('GIVEN a folder under /proc THEN ENOENT at once, not a spin', () => {
  expect(() => makeDirs('/proc/goldratio-nope/x')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
});
