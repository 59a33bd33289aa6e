import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { acquireInstanceLock } from '../../src/store/instance-lock.ts';
import { DatabaseOpenError } from '../../src/store/db.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'goldratio-lock-'));
  dirs.push(d);
  return d;
};

describe('the instance lock, taken before the database opens', () => {
  test('GIVEN a DATABASE_PATH in a folder that does not exist yet THEN the folder is made and the lock taken (as openDatabase would)', () => {
    const path = join(tempDir(), 'new', 'folder', 'goldratio.db');
    const lock = acquireInstanceLock(path);
    try {
      expect(existsSync(`${path}.lock`)).toBe(true);
    } finally {
      lock.release();
    }
  });

  test('GIVEN a DATABASE_PATH under a file THEN one DatabaseOpenError naming the path, not a driver TypeError', () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'x');
    const path = join(file, 'goldratio.db');
    expect(() => acquireInstanceLock(path)).toThrow(DatabaseOpenError);
    expect(() => acquireInstanceLock(path)).toThrow(path);
  });
});
