import { linkSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { acquireInstanceLock, InstanceLockedError, lockHolderPid } from '../../src/store/instance-lock.ts';
import { childScript } from '../helpers/child-script.ts';
import { spawnChild } from '../helpers/process.ts';
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

  test('GIVEN a start through a symlink to the running database, or to its folder THEN refused as a start through its own path is', () => {
    const dir = tempDir();
    const path = join(dir, 'goldratio.db');
    writeFileSync(path, '');
    const lock = acquireInstanceLock(path);
    try {
      expect(() => acquireInstanceLock(path)).toThrow(InstanceLockedError);
      const alias = join(tempDir(), 'alias.db');
      symlinkSync(path, alias);
      expect(() => acquireInstanceLock(alias)).toThrow(InstanceLockedError);
      const folder = join(tempDir(), 'data');
      symlinkSync(dir, folder);
      expect(() => acquireInstanceLock(join(folder, 'goldratio.db'))).toThrow(InstanceLockedError);
    } finally {
      lock.release();
    }
    // Released: a start through the alias takes it.
    const again = acquireInstanceLock(path);
    again.release();
  });

  test('GIVEN a database with a second hard link THEN a start through either name is refused, saying why', () => {
    const dir = tempDir();
    const path = join(dir, 'goldratio.db');
    writeFileSync(path, '');
    const other = join(tempDir(), 'other.db');
    linkSync(path, other);
    expect(() => acquireInstanceLock(other)).toThrow(DatabaseOpenError);
    expect(() => acquireInstanceLock(path)).toThrow(/\(DATABASE_PATH\): it has 2 hard links: goldratio cannot tell whether another copy runs on it/);
  });

  test('GIVEN a DATABASE_PATH under a file THEN one DatabaseOpenError naming the path, not a driver TypeError', () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'x');
    const path = join(file, 'goldratio.db');
    expect(() => acquireInstanceLock(path)).toThrow(DatabaseOpenError);
    expect(() => acquireInstanceLock(path)).toThrow(path);
  });

  test('GIVEN another process reading the lock file (a status reading the pid) as a start takes the lock THEN the start waits the moment out and holds the lock, not refused naming its own pid', async () => {
    const db = join(tempDir(), 'g.db');
    acquireInstanceLock(db).release();
    const reader = spawnChild([childScript(fileURLToPath(new URL('../fakes/read-holder.ts', import.meta.url))), `${db}.lock`, '400'], {});
    await reader.waitFor(/^reading$/m);
    const lock = acquireInstanceLock(db);
    try {
      expect(lockHolderPid(db)).toBe(process.pid);
      expect(() => acquireInstanceLock(db)).toThrow(new InstanceLockedError(db, process.pid).message);
    } finally {
      lock.release();
      await reader.exited;
    }
    expect(reader.stdout()).toBe('reading\ndone\n');
  });
});
