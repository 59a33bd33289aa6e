/**
 * `goldratio restore <backup>` on real files: after a writer killed with
 * SIGKILL left its -wal beside the database, the restored file reads as the backup (a held alert
 * stays held, not the crashed database's `sent`), and the crashed set is kept aside, whole. Refused,
 * in one line and exit 2, while a bot runs on the database or another process has it open, and for
 * a missing, garbage, foreign or newer-schema backup; on PostgreSQL, pointed at pg_restore.
 * The real bin restores after the crash and is refused beside a running bot (exit codes, a lock
 * between two processes); the other cases run the bin's `main` in this process (runCliInProcess):
 * the same command, its lines and exit code, without a Node start each (~0.6 s of CPU).
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statfsSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Database } from '../../src/store/driver.ts';
import { latestVersion, MIGRATIONS } from '../../src/store/migrations/index.ts';
import { openDatabase } from '../../src/store/db.ts';
import { restoreDatabase } from '../../src/store/restore.ts';
import { runCli, runCliInProcess as cli } from '../helpers/cli.ts';
import { childScript } from '../helpers/child-script.ts';
import { BIN, holdWriteLock, spawnBin, spawnChild } from '../helpers/process.ts';
import { makeWorld, seedAlert, type World } from '../helpers/telegram-harness.ts';
import { startQuoteServer } from '../fakes/quote-server.ts';
import { sourcesAt } from '../helpers/sources.ts';

const CRASH_WRITER = fileURLToPath(new URL('../fakes/crash-writer.ts', import.meta.url));
const KNOWN = latestVersion(MIGRATIONS);

let world: World;
let dir: string;
let backup: string;
beforeAll(async () => {
  // A bot's database with one alert held for a chat's quiet hours, backed up by the real bin.
  world = makeWorld();
  await seedAlert(world, ['301']);
  world.db.exec("UPDATE outbox SET status = 'held', next_at = 4102444800000");
  world.db.close();
  dir = mkdtempSync(join(tmpdir(), 'goldratio-restore-'));
  backup = join(dir, 'backup.db');
  const b = await cli(['backup', backup], { DATABASE_PATH: world.config.databasePath });
  expect([b.code, b.stderr]).toEqual([0, '']);
});
afterAll(() => {
  world.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** A folder with the bot's database copied in as g.db; its env for the bin. */
function site(name: string): { db: string; env: Record<string, string> } {
  const folder = join(dir, name);
  mkdirSync(folder);
  const db = join(folder, 'g.db');
  copyFileSync(backup, db);
  return { db, env: { DATABASE_PATH: db } };
}

/** The outbox statuses a database file reads as (with whatever -wal lies beside it). */
function statuses(path: string): string[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT status FROM outbox ORDER BY id').all() as { status: string }[]).map((r) => r.status);
  } finally {
    db.close();
  }
}

/** Writes `sql` to `db` in a real process and kills it with SIGKILL once committed: the commit stays in the -wal beside it. */
async function crashAfter(db: string, sql: string): Promise<void> {
  const w = spawnChild([childScript(CRASH_WRITER), db, sql], {});
  await w.waitFor(/^written/m);
  w.child.kill('SIGKILL');
  expect((await w.exited).signal).toBe('SIGKILL');
  expect(existsSync(`${db}-wal`), `${w.stdout()}${w.stderr()}`).toBe(true);
}

describe('restore after a crash', () => {
  test('GIVEN a writer killed with SIGKILL after marking the held alert sent (its -wal beside the file) THEN the restored database reads as the backup: held, not sent; the crashed files are kept aside and still read as sent', async () => {
    const { db, env } = site('crashed');
    await crashAfter(db, "UPDATE outbox SET status = 'sent'");
    expect(existsSync(`${db}-wal`)).toBe(true);
    // The hazard: the backup copied over by hand, the -wal left beside it, reads as the crashed database.
    const hand = join(dir, 'by-hand');
    mkdirSync(hand);
    for (const f of ['g.db-wal', 'g.db-shm']) copyFileSync(join(dir, 'crashed', f), join(hand, f));
    copyFileSync(backup, join(hand, 'g.db'));
    expect(statuses(join(hand, 'g.db'))).toEqual(['sent']);

    const r = runCli(['restore', backup], env);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`restored ${backup} to ${db} (integrity ok)`);
    const aside = readdirSync(join(dir, 'crashed')).filter((f) => f.includes('.before-restore-'));
    const stamp = /^g\.db\.before-restore-(\d{8}T\d{6}Z)$/.exec(aside.find((f) => !f.endsWith('-wal') && !f.endsWith('-shm')) ?? '')?.[1];
    expect(stamp).toBeDefined();
    const kept = join(dir, 'crashed', `g.db.before-restore-${stamp}`);
    expect(aside.sort()).toEqual([`g.db.before-restore-${stamp}`, `g.db.before-restore-${stamp}-shm`, `g.db.before-restore-${stamp}-wal`]);
    expect(lines[1]).toBe(`moved aside, not deleted: ${db} → ${kept}, ${db}-wal → ${kept}-wal, ${db}-shm → ${kept}-shm`);
    expect(lines.slice(2)).toEqual([
      `schema version ${KNOWN}, this goldratio's: the next start opens it as it is`,
      expect.stringMatching(/^last close: \d{4}-\d{2}-\d{2} \(start fetches what is missing since\)$/),
      'note: 1 alert message was waiting to be sent (held for quiet hours) in this backup; the next start sends it (the held ones when those quiet hours end), even to chats that got it since it was taken',
    ]);
    // Nothing of the crashed database beside the restored file: it reads as the backup.
    expect(['g.db-wal', 'g.db-shm'].filter((f) => existsSync(join(dir, 'crashed', f)))).toEqual([]);
    expect(statuses(db)).toEqual(['held']);
    // The crashed set, moved together, still opens as the crashed database.
    expect(statuses(kept)).toEqual(['sent']);
    // And goldratio opens the restored file as it would at start.
    const s = await cli(['status', '--json'], env);
    expect([s.code, s.stderr]).toEqual([0, '']);
  });

  test('GIVEN --json THEN one JSON document says the same; with no database there, nothing is moved aside', async () => {
    const folder = join(dir, 'empty');
    mkdirSync(folder);
    const db = join(folder, 'g.db');
    const r = await cli(['restore', backup, '--json'], { DATABASE_PATH: db });
    expect([r.code, r.stderr]).toEqual([0, '']);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toEqual({
      restored: backup,
      database: db,
      movedAside: [],
      copiedAside: false,
      schemaVersion: KNOWN,
      knownSchemaVersion: KNOWN,
      startMigrates: false,
      lastClose: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      waiting: 1,
      heldForQuietHours: 1,
    });
    expect(statuses(db)).toEqual(['held']);
  });

  test('GIVEN an older-schema backup THEN it is restored and the next start is said to migrate it', async () => {
    const old = join(dir, 'old.db');
    const d = openDatabase(
      old,
      MIGRATIONS.filter((m) => m.version <= 3),
    );
    d.close();
    const { env } = site('older');
    const r = await cli(['restore', old], env);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain(`schema version 3: the next start migrates it to ${KNOWN}\n`);
    expect(r.stdout).toContain('last close: none stored (start backfills the history)\n');
  });
});

describe('restore where the file system says no', () => {
  const root = process.getuid?.() === 0;
  /** `chattr +i` (root: the one way to refuse root a write); undone by the test's finally. */
  function immutable(path: string): void {
    const r = spawnSync('chattr', ['+i', path], { encoding: 'utf8' });
    if (r.status !== 0)
      throw new Error(`cannot make ${path} immutable (chattr +i: ${r.stderr.trim() || r.error?.message}); this test needs root on ext4, as CI runs`);
  }

  test('GIVEN the backup on another file system (tmpfs /dev/shm) and the database on disk THEN it is restored, the old set linked aside, --json saying so', async () => {
    expect(statfsSync('/dev/shm').type).not.toBe(statfsSync(dir).type);
    const shm = mkdtempSync('/dev/shm/goldratio-restore-');
    try {
      const far = join(shm, 'backup.db');
      copyFileSync(backup, far);
      const { db, env } = site('other-fs');
      await crashAfter(db, "UPDATE outbox SET status = 'sent'");
      const r = runCli(['restore', far, '--json'], env);
      expect([r.code, r.stderr]).toEqual([0, '']);
      const out = JSON.parse(r.stdout) as { movedAside: { from: string; to: string }[]; copiedAside: boolean };
      expect(out.copiedAside).toBe(false);
      expect(out.movedAside.map((a) => a.from)).toEqual([db, `${db}-wal`, `${db}-shm`]);
      expect(statuses(db)).toEqual(['held']);
      expect(statuses(out.movedAside[0]!.to)).toEqual(['sent']);
    } finally {
      rmSync(shm, { recursive: true, force: true });
    }
  });

  // The bin refuses a hard-linked database (the instance lock: store/instance-lock.ts), so a file at
  // its link limit is restored by the store's function itself: the refusal is the file system's own.
  // 65,000 links made and removed: over 60 s at a load of 30, hence its timeout.
  test("GIVEN a database its file system refuses another link to (EMLINK: ext4's 65,000) THEN it is copied aside before anything moves, and the restore goes through", async () => {
    const { db } = site('no-link');
    await crashAfter(db, "UPDATE outbox SET status = 'sent'");
    const links = join(dir, 'no-link-links');
    mkdirSync(links);
    try {
      let n = 0;
      let refusal = '';
      for (; n < 70_000; n++) {
        try {
          linkSync(db, join(links, String(n)));
        } catch (e) {
          refusal = (e as NodeJS.ErrnoException).code ?? '';
          break;
        }
      }
      expect(refusal, `${n} links made`).toBe('EMLINK');
      const r = restoreDatabase(backup, backup, db, KNOWN, Date.parse('2026-12-07T00:00:00Z'));
      const kept = `${db}.before-restore-20261207T000000Z`;
      expect(r).toMatchObject({
        copied: true,
        aside: [
          { from: db, to: kept },
          { from: `${db}-wal`, to: `${kept}-wal` },
          { from: `${db}-shm`, to: `${kept}-shm` },
        ],
      });
      expect(statuses(db)).toEqual(['held']);
      // The copy, with the -wal moved beside it, still opens as the crashed database.
      expect(statuses(kept)).toEqual(['sent']);
      expect(statSync(kept).nlink).toBe(1);
    } finally {
      rmSync(links, { recursive: true, force: true });
    }
  }, 180_000);

  test('GIVEN a data folder this process may not write THEN one line naming the folder, exit 2, the same with --json, nothing changed', () => {
    const { db, env } = site('read-only');
    const folder = join(dir, 'read-only');
    const before = readdirSync(folder).sort();
    if (root) immutable(folder);
    else chmodSync(folder, 0o555);
    try {
      for (const args of [
        ['restore', backup],
        ['restore', backup, '--json'],
      ]) {
        const r = runCli(args, env);
        expect([r.code, r.stdout]).toEqual([2, '']);
        expect(r.stderr).toMatch(
          new RegExp(`^goldratio restore: cannot restore ${backup} to ${db}: folder ${folder} is not writable by this process \\((EACCES|EPERM)\\)\\n$`),
        );
      }
    } finally {
      if (root) spawnSync('chattr', ['-i', folder]);
      chmodSync(folder, 0o755);
    }
    expect(readdirSync(folder).sort()).toEqual(before);
    expect(statuses(db)).toEqual(['held']);
  });

  test('GIVEN a database file that may not be replaced (immutable) THEN one line, exit 2, and everything put back: its -wal beside it, nothing aside', async () => {
    const { db, env } = site('immutable');
    await crashAfter(db, "UPDATE outbox SET status = 'sent'");
    const folder = join(dir, 'immutable');
    const before = readdirSync(folder).sort();
    immutable(db);
    try {
      for (const args of [
        ['restore', backup],
        ['restore', backup, '--json'],
      ]) {
        const r = runCli(args, env);
        expect([r.code, r.stdout, r.stderr]).toEqual([
          2,
          '',
          `goldratio restore: cannot restore ${backup} to ${db}: ${db} could not be replaced (EPERM: this process may not replace it; is it marked immutable (lsattr)?); nothing was changed\n`,
        ]);
        expect(
          readdirSync(folder)
            .filter((f) => !f.endsWith('.lock'))
            .sort(),
        ).toEqual(before);
      }
    } finally {
      spawnSync('chattr', ['-i', db]);
    }
    // The crashed database as it was: its last commit still in the -wal beside it.
    expect(statuses(db)).toEqual(['sent']);
  });
});

describe('restore made durable', () => {
  test('GIVEN a restore (the real bin, traced with strace) THEN after the rename that puts the backup in place, the folder is opened and fsynced: a power cut after "restored" keeps it', () => {
    const { db } = site('durable');
    const trace = join(dir, 'durable.trace');
    const r = spawnSync('strace', ['-f', '-e', 'trace=openat,fsync,rename,renameat,renameat2', '-o', trace, process.execPath, BIN, 'restore', backup], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', DATABASE_PATH: db },
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (r.error !== undefined) throw new Error(`this test traces the bin with strace, which did not run (${r.error.message}): install strace`);
    expect([r.status, r.stderr]).toEqual([0, '']);
    const lines = readFileSync(trace, 'utf8').split('\n');
    const folder = join(dir, 'durable');
    // The rename of the checked copy over the database, then the folder's fd, then its fsync.
    const renamed = lines.findIndex((l) => /rename/.test(l) && l.includes(`"${db}"`) && l.includes('.restore-') && / = 0$/.test(l));
    expect(renamed, 'the rename of the copy over the database').toBeGreaterThan(-1);
    const opened = lines.findIndex((l, i) => i > renamed && l.includes(`openat(AT_FDCWD, "${folder}", O_RDONLY`));
    expect(opened, 'the folder opened after the rename').toBeGreaterThan(-1);
    const fd = / = (\d+)$/.exec(lines[opened]!)?.[1];
    expect(lines.slice(opened + 1).some((l) => new RegExp(`fsync\\(${fd}\\)\\s+= 0$`).test(l))).toBe(true);
  });
});

describe('restore refused', () => {
  /** A refusal, with and without --json: one line on stderr naming the command, exit 2, nothing on stdout, the database untouched and nothing moved aside; `run` the real bin or (by default) its `main` here. */
  async function refused(
    args: string[],
    env: Record<string, string>,
    db: string | undefined,
    line: string,
    run: (args: string[], env: Record<string, string>) => Promise<{ code: number | null; stdout: string; stderr: string }> = cli,
  ): Promise<void> {
    // With --json the refusal is the same line on stderr: no document on stdout to mistake for a restore.
    for (const each of [args, [...args, '--json']]) {
      const r = await run(each, env);
      expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `goldratio restore: ${line}\n`]);
    }
    if (db !== undefined) expect(readdirSync(join(db, '..')).filter((f) => f.includes('before-restore') || f.includes('.restore-'))).toEqual([]);
  }

  test('GIVEN a bot running on the database (the real bin, start) THEN refused naming its pid, and the bot keeps running', async () => {
    const { db, env } = site('running');
    const server = await startQuoteServer();
    const bot = spawnBin(['start'], {
      ...env,
      CHART_WORKERS: '0',
      CHART_WARMUP: 'off',
      ...sourcesAt(server.url),
      HTTP_RETRIES: '0',
    });
    try {
      // The lock is held once its holder has written its pid into the lock file: a bin start on a
      // loaded machine, seconds, at load 27 past 30 s (flake21), which was this wait and the test's bound.
      const deadline = Date.now() + 90_000;
      for (;;) {
        let pid: number | undefined;
        try {
          const lock = new Database(`${db}.lock`, { readonly: true, fileMustExist: true });
          pid = (lock.prepare('SELECT pid FROM holder WHERE id = 1').get() as { pid: number } | undefined)?.pid;
          lock.close();
        } catch {
          // Not made yet.
        }
        if (pid === bot.child.pid) break;
        if (Date.now() > deadline || bot.child.exitCode !== null) throw new Error(`the bot did not take the lock: ${bot.stderr()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      await refused(['restore', backup], env, db, `another goldratio (pid ${bot.child.pid}) is running on ${db}: stop it first, then restore`, async (a, e) =>
        runCli(a, e),
      );
      expect(bot.child.exitCode).toBe(null);
    } finally {
      bot.child.kill('SIGTERM');
      await bot.exited;
      await server.close();
    }
  }, 150_000);

  test('GIVEN another process with the database open (holding its write lock) THEN refused naming its pid', async () => {
    const { db, env } = site('open');
    const holder = await holdWriteLock(db, 0);
    try {
      await refused(
        ['restore', backup],
        env,
        db,
        `${db} is open in another process (pid ${holder.child.pid}: an import, a sqlite3 shell?): close it first, then restore`,
      );
    } finally {
      holder.child.kill('SIGTERM');
      await holder.exited;
    }
    expect(statuses(db)).toEqual(['held']);
  });

  test('GIVEN a missing file, a text file, a foreign SQLite file, a damaged one THEN each is one line naming it', async () => {
    const { db, env } = site('bad');
    const missing = join(dir, 'no-such.db');
    await refused(['restore', missing], env, db, `no file ${missing} to restore`);
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'date,close\n2024-01-02,2000\n'.repeat(20));
    await refused(['restore', junk], env, db, `${junk} is not a SQLite database (is it the right file?)`);
    const foreign = join(dir, 'foreign.db');
    const f = new Database(foreign);
    f.exec('CREATE TABLE t (x)');
    f.close();
    await refused(['restore', foreign], env, db, `${foreign} is a SQLite database but not a goldratio one (no schema version, no schema_migrations table)`);
    // The backup with a page of its middle overwritten: its header is fine, its b-trees are not.
    const damaged = join(dir, 'damaged.db');
    copyFileSync(backup, damaged);
    const bytes = readFileSync(damaged);
    bytes.fill(0x5a, 4096 * 3, 4096 * 5);
    writeFileSync(damaged, bytes);
    const r = await cli(['restore', damaged], env);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(
      new RegExp(`^goldratio restore: ${damaged.replace(/[.]/g, '\\.')} (failed its integrity check|cannot be read as a database)[^\\n]*\\n$`),
    );
    expect(statuses(db)).toEqual(['held']);
  });

  test('GIVEN a live database as the backup (a -wal beside it holding its last commit) THEN refused: the file alone lacks that commit', async () => {
    const { db, env } = site('live-source');
    const source = join(dir, 'live-source', 'other.db');
    copyFileSync(backup, source);
    await crashAfter(source, "UPDATE outbox SET status = 'sent'");
    await refused(
      ['restore', source],
      env,
      db,
      `${source} has a -wal beside it (a database in use, or one whose writer crashed), so the file alone may lack its last commits: restore a copy made with goldratio backup`,
    );
    expect(statuses(db)).toEqual(['held']);
  });

  test('GIVEN a backup of a newer schema than this goldratio knows THEN refused naming both versions', async () => {
    const { db, env } = site('newer');
    const newer = join(dir, 'newer.db');
    copyFileSync(backup, newer);
    const n = new Database(newer);
    n.pragma(`user_version = ${KNOWN + 1}`);
    n.close();
    await refused(
      ['restore', newer],
      env,
      db,
      `${newer} was migrated by a newer goldratio (schema version ${KNOWN + 1}; this version knows up to ${KNOWN}): restore it with that goldratio, or upgrade this one`,
    );
  });

  test('GIVEN DATABASE_URL THEN refused, pointing at pg_restore', async () => {
    await refused(
      ['restore', backup],
      { DATABASE_URL: 'postgres://goldratio:pw@127.0.0.1:1/goldratio' },
      undefined,
      'restore puts a SQLite backup in place of DATABASE_PATH; with DATABASE_URL the data is on PostgreSQL: restore a pg_dump with pg_restore (README, "Backups on PostgreSQL")',
    );
  });
});
