/** What an open migrated, as a start logs it: the versions before and after and the migrations applied, on either engine. */
import { describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, upgradeAtOpen } from '../../src/store/db.ts';
import { openPostgres } from '../../src/store/postgres.ts';
import { latestVersion, MIGRATIONS, schemaUpgradeText } from '../../src/store/migrations/index.ts';
import { describeWithPostgres, freshPgDatabase } from '../helpers/postgres.ts';

const LATEST = latestVersion(MIGRATIONS);
const before = (v: number) => MIGRATIONS.filter((m) => m.version <= v);
const applied = (from: number) => MIGRATIONS.filter((m) => m.version > from).map(({ version, name }) => ({ version, name }));

describe('schemaUpgradeText', () => {
  test.each([
    [{ from: 22, to: 23, applied: [{ version: 23, name: 'stop-had' }] }, 'database schema upgraded from version 22 to 23 (023 stop-had)'],
    [
      {
        from: 9,
        to: 11,
        applied: [
          { version: 10, name: 'a' },
          { version: 11, name: 'b' },
        ],
      },
      'database schema upgraded from version 9 to 11 (010 a, 011 b)',
    ],
    // Many: the first three and the last, the count in the versions.
    [
      { from: 2, to: 8, applied: [3, 4, 5, 6, 7, 8].map((version) => ({ version, name: `m${version}` })) },
      'database schema upgraded from version 2 to 8 (003 m3, 004 m4, 005 m5, ... 008 m8)',
    ],
    [{ from: 0, to: 23, applied: [] }, 'database schema created (version 23)'],
  ])('GIVEN %j THEN %s', (u, line) => {
    expect(schemaUpgradeText(u)).toBe(line);
  });
});

describe('SQLite: the upgrade an open made', () => {
  test('GIVEN a new file, then one at schema 22 opened by this code, then opened again THEN created, 22 to the latest, then nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'goldratio-upgrade-'));
    try {
      const created = openDatabase(join(dir, 'new.db'));
      expect(upgradeAtOpen(created)).toEqual({ from: 0, to: LATEST, applied: applied(0) });
      created.close();
      const path = join(dir, 'old.db');
      const old = openDatabase(path, before(22));
      expect(upgradeAtOpen(old)?.to).toBe(22);
      old.close();
      const upgraded = openDatabase(path);
      expect(upgradeAtOpen(upgraded)).toEqual({ from: 22, to: LATEST, applied: applied(22) });
      upgraded.close();
      const again = openDatabase(path);
      expect(upgradeAtOpen(again)).toBeUndefined();
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeWithPostgres('PostgreSQL: the upgrade an open made', () => {
  test('GIVEN an empty database, then one at schema 22 opened by this code, then opened again THEN created, 22 to the latest, then nothing', async () => {
    const fresh = await freshPgDatabase();
    try {
      const old = await openPostgres(fresh.url, { what: 'DATABASE_URL', migrations: before(22) });
      expect(old.upgraded).toEqual({ from: 0, to: 22, applied: applied(0).filter((m) => m.version <= 22) });
      await old.close();
      const upgraded = await openPostgres(fresh.url, { what: 'DATABASE_URL' });
      expect(upgraded.upgraded).toEqual({ from: 22, to: LATEST, applied: applied(22) });
      await upgraded.close();
      const again = await openPostgres(fresh.url, { what: 'DATABASE_URL' });
      expect(again.upgraded).toBeUndefined();
      await again.close();
    } finally {
      await fresh.drop();
    }
  });
});
