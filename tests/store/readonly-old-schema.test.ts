/**
 * A reading command (`status`, `ratio`…) on a SQLite file of an older schema that is in use (its
 * -wal beside it: an older goldratio running on it, or one that crashed) changes nothing and says
 * how to go on in one line: read it with the goldratio that wrote it, or start this one. It used
 * to say "run goldratio backfill", which fetches from the network and is no upgrade step.
 */
import { afterEach, expect, test } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, openDatabaseReadOnly, schemaVersion } from '../../src/store/db.ts';
import { MIGRATIONS, latestVersion } from '../../src/store/migrations/index.ts';
import { runCliInProcess } from '../helpers/cli.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanups.splice(0).reverse()) f();
});

test('GIVEN a schema-10 file held open by an older goldratio (its -wal beside it) THEN status refuses in one line saying to start this version, exit 2, and the file keeps its schema', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-oldwal-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'goldratio.db');
  const older = openDatabase(path, MIGRATIONS.slice(0, 10));
  cleanups.unshift(() => older.close());
  older.prepare("INSERT INTO meta (key, value) VALUES ('x', 'y')").run();
  expect(existsSync(`${path}-wal`)).toBe(true);
  expect(() => openDatabaseReadOnly(path)).toThrow(/schema version 10 is older than this goldratio's \d+, and the file is in use/);
  const r = await runCliInProcess(['status'], { DATABASE_PATH: path });
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(
    `goldratio status: database ${path} (DATABASE_PATH): schema version 10 is older than this goldratio's ${latestVersion(MIGRATIONS)}, and the file is in use (a -wal file beside it: an older goldratio running on it, or one that stopped without closing it), so a reading command changes nothing: read it with the goldratio that wrote it, or upgrade it by starting this one (goldratio start migrates it at once)\n`,
  );
  expect(schemaVersion(older)).toBe(10);
});
