/**
 * The tests' holder of SQLite's write lock (tests/fakes/lock-holder.ts), which the lock tests signal
 * the moment it says "locked": it heard SIGTERM only once its listener was added, after that line,
 * and a signal between the two took Node's default, an exit by the signal with nothing said (12 of 40
 * at load 10; on CI, credits-busy's stop case waited 30 s for its "released").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { holdWriteLock } from './helpers/process.ts';
import { writeDatabase } from './helpers/sqlite-image.ts';

const dir = mkdtempSync(join(tmpdir(), 'goldratio-lock-holder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('GIVEN SIGTERM the moment each of 8 holders says "locked" THEN each commits, says "releasing" and "released", and exits 0', async () => {
  const ends = await Promise.all(
    Array.from({ length: 8 }, async (_, i) => {
      const h = await holdWriteLock(writeDatabase(join(dir, `g${i}.db`)), 0);
      h.child.kill('SIGTERM');
      const end = await h.exited;
      return `${end.code} ${end.signal} ${h.stdout().replace(/\d+/, 'T')}`;
    }),
  );
  expect(ends).toEqual(Array(8).fill('0 null locked\nreleasing T\nreleased\n'));
}, 120_000);
