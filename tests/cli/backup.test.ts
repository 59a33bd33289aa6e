/**
 * `goldratio backup` when the disk refuses the copy: a full disk or a failed write is the
 * machine's (exit 1), a place the user may not write is theirs (exit 2); either is one line naming
 * the backup file, and nothing is left under its name.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backupFailure } from '../../src/cli/backup.ts';
import { describeFailure } from '../../src/cli/run.ts';
import { Database } from '../../src/store/driver.ts';
import { openDatabase } from '../../src/store/db.ts';
import { runCli, runCliInProcess } from '../helpers/cli.ts';

const BIN = fileURLToPath(new URL('../../bin/goldratio.js', import.meta.url));

let dir: string;
let dbPath: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'goldratio-backup-disk-'));
  dbPath = join(dir, 'live.db');
  const db = openDatabase(dbPath);
  db.exec('CREATE TABLE IF NOT EXISTS pad (x TEXT NOT NULL)');
  const ins = db.prepare('INSERT INTO pad (x) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 2000; i++) ins.run('x'.repeat(200));
  })();
  db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A real failure thrown by `f`. */
function thrownBy(f: () => void): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
}

describe('backup onto a disk that refuses the copy', () => {
  test('GIVEN a destination whose writes fail (a file-size limit the copy passes) THEN one line naming the backup file, exit 1, nothing left', () => {
    const env = { DATABASE_PATH: dbPath, DATA_DIR: dir };
    // The same command with room to write succeeds (and leaves the bin's bundle built, so the limited run writes only the copy).
    const fine = runCli(['backup', join(dir, 'fine.db')], env);
    expect([fine.code, fine.stderr]).toEqual([0, '']);
    const dest = join(dir, 'copy.db');
    // The live database is ~450 KB; 64 blocks is at most 64 KB. SIGXFSZ ignored, so a write past the limit fails instead of killing.
    const r = spawnSync('sh', ['-c', 'trap "" XFSZ; ulimit -f 64; exec "$@"', 'sh', process.execPath, BIN, 'backup', dest], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe(`goldratio backup: cannot write ${dest}: disk I/O error\n`);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(readdirSync(dir).filter((f) => f.startsWith('copy.db'))).toEqual([]);
  });

  const full = (): unknown => {
    const db = new Database(join(dir, `full-${Math.random()}.db`));
    db.exec('CREATE TABLE t (x TEXT)');
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    const e = thrownBy(() => db.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(10_000)));
    db.close();
    return e;
  };
  test.each([
    // The disk's: a full disk as the OS says it (/dev/full), as SQLite says it, and a file-size limit.
    ['ENOSPC (a write to /dev/full)', 1, () => thrownBy(() => writeFileSync('/dev/full', 'x'))],
    ['SQLITE_FULL', 1, full],
    // Where the user pointed it: a folder that does not exist, a folder where the file should be.
    ['ENOENT (no such folder)', 2, () => thrownBy(() => writeFileSync(join(dir, 'no-such-folder', 'x.db'), 'x'))],
    ['SQLITE_CANTOPEN (a folder)', 2, () => thrownBy(() => new Database(dir))],
  ] as const)('GIVEN %s THEN the one line names the backup file and exits %i', (_name, code, failure) => {
    const e = failure();
    const said = describeFailure(backupFailure(e, 'b.db'), dbPath);
    expect(said).toEqual({ code, message: `cannot write b.db: ${(e as Error).message}` });
  });
});

describe('backup onto the live database under another name', () => {
  // The live database, a link to it, and the files SQLite keeps beside it (its write-ahead log holds
  // commits not yet in the file): "backed up" onto any of them is no copy, and may destroy the data.
  test.each([
    ['a symbolic link to it', (d: string) => symlinkSync(d, join(dir, 'link.db')), 'link.db', 'the live database itself'],
    ['a hard link to it', (d: string) => linkSync(d, join(dir, 'hard.db')), 'hard.db', 'the live database itself'],
    ['its write-ahead log', () => {}, 'live.db-wal', "the live database's write-ahead log"],
    ['its shared-memory index', () => {}, 'live.db-shm', "the live database's shared-memory index"],
    ['its rollback journal', () => {}, 'live.db-journal', "the live database's rollback journal"],
  ] as const)('GIVEN --force onto %s THEN one line and exit 2, the live database untouched', async (_name, make, name, what) => {
    make(dbPath);
    const before = readFileSync(dbPath);
    const dest = join(dir, name);
    const r = await runCliInProcess(['backup', dest, '--force'], { DATABASE_PATH: dbPath, DATA_DIR: dir });
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `goldratio backup: ${dest} is ${what} (DATABASE_PATH ${dbPath}); choose another file\n`]);
    expect(readFileSync(dbPath).equals(before)).toBe(true);
    rmSync(dest, { force: true });
  });
});

describe('backup into a folder this process may not write', () => {
  // Root writes anywhere a mode allows nothing: the folder is made immutable then (chattr +i, as
  // tests/bad-input-processes.test.ts does for start, and the command runs in this process), else
  // the command runs as nobody, in a process of its own, which needs
  // a Node that nobody may run (not one unpacked into a private temp folder, as CI's Node 24 is).
  test('GIVEN a read-only folder THEN one line saying the folder is not writable, exit 2, nothing written', async () => {
    const root = process.getuid?.() === 0;
    const base = mkdtempSync(join(root ? '/tmp' : tmpdir(), 'goldratio-backup-ro-'));
    let immutable = false;
    try {
      chmodSync(base, 0o755);
      const live = join(base, 'live.db');
      openDatabase(live).close();
      chmodSync(live, 0o644);
      const ro = join(base, 'ro');
      mkdirSync(ro, { mode: 0o555 });
      chmodSync(ro, 0o555);
      const dest = join(ro, 'b.db');
      immutable = root && spawnSync('chattr', ['+i', ro]).status === 0;
      const env = { HOME: base, LOG_LEVEL: 'warn', DATABASE_PATH: live, DATA_DIR: base };
      // Only another user needs another process; an immutable folder (or a non-root run, whom the
      // mode stops) stops this one too, so the command runs here through the bin's `main`.
      let r: { code: number | null; stderr: string };
      if (!root || immutable) r = await runCliInProcess(['backup', dest], env);
      else {
        const spawned = spawnSync(process.execPath, [BIN, 'backup', dest], {
          uid: 65534,
          gid: 65534,
          env: { PATH: process.env.PATH ?? '', ...env },
          encoding: 'utf8',
          timeout: 60_000,
        });
        expect(spawned.error).toBeUndefined();
        r = { code: spawned.status, stderr: spawned.stderr };
      }
      expect(r.stderr).toMatch(new RegExp(`^goldratio backup: cannot write ${dest}: folder ${ro} is not writable by this process \\((EACCES|EPERM)\\)\\n$`));
      expect(r.code).toBe(2);
      expect(readdirSync(ro)).toEqual([]);
    } finally {
      if (immutable) spawnSync('chattr', ['-i', join(base, 'ro')]);
      chmodSync(join(base, 'ro'), 0o755);
      rmSync(base, { recursive: true, force: true });
    }
  }, 60_000);
});
