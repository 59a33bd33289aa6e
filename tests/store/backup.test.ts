/** `goldratio backup`: a consistent copy while another connection keeps writing; clear refusals. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Database } from '../../src/store/driver.ts';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openDatabase } from '../../src/store/db.ts';
import { backupDatabase, integrityCheck } from '../../src/store/backup.ts';
import { runCliInProcess } from '../helpers/cli.ts';
import { makeWorld, seedAlert } from '../helpers/telegram-harness.ts';

let dir: string;
let dbPath: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'goldratio-backup-'));
  dbPath = join(dir, 'live.db');
  const db = openDatabase(dbPath);
  db.exec('CREATE TABLE IF NOT EXISTS writes (id INTEGER PRIMARY KEY, pair INTEGER NOT NULL, pad TEXT NOT NULL)');
  const ins = db.prepare('INSERT INTO writes (pair, pad) VALUES (?, ?)');
  db.transaction(() => {
    for (let i = 0; i < 4000; i++) ins.run(i >> 1, 'x'.repeat(200));
  })();
  db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Another connection writes two rows per transaction in a loop until stopped; returns how many transactions it committed. */
function writer(): { stop(): Promise<number> } {
  const w = new Database(dbPath);
  w.pragma('busy_timeout = 5000');
  const ins = w.prepare('INSERT INTO writes (pair, pad) VALUES (?, ?)');
  const pair = w.transaction((n: number) => {
    ins.run(n, 'y'.repeat(200));
    ins.run(n, 'y'.repeat(200));
  });
  let n = 100_000;
  let running = true;
  const done = new Promise<number>((resolve) => {
    const step = () => {
      if (!running) {
        w.close();
        resolve(n - 100_000);
        return;
      }
      pair(n++);
      setImmediate(step);
    };
    setImmediate(step);
  });
  return {
    stop: () => {
      running = false;
      return done;
    },
  };
}

function rowsIn(path: string): { total: number; oddPairs: number } {
  const c = new Database(path, { readonly: true });
  try {
    const total = (c.prepare('SELECT count(*) n FROM writes').get() as { n: number }).n;
    const oddPairs = (c.prepare('SELECT count(*) n FROM (SELECT pair FROM writes GROUP BY pair HAVING count(*) % 2 = 1)').get() as { n: number }).n;
    return { total, oddPairs };
  } finally {
    c.close();
  }
}

describe('backup', () => {
  test('GIVEN another connection writing in a loop THEN the copy opens, passes integrity_check and holds whole transactions only', async () => {
    const db = openDatabase(dbPath);
    const w = writer();
    await new Promise((r) => setTimeout(r, 30));
    const dest = join(dir, 'store-copy.db');
    const r = await backupDatabase(db, dest);
    const committed = await w.stop();
    db.close();
    expect(committed).toBeGreaterThan(0);
    expect(r.pages).toBeGreaterThan(100);
    expect(integrityCheck(dest)).toBe('ok');
    const copy = rowsIn(dest);
    expect(copy.oddPairs).toBe(0);
    expect(copy.total).toBeGreaterThanOrEqual(4000);
    expect(copy.total).toBeLessThanOrEqual(4000 + 2 * committed);
    expect(readdirSync(dir).filter((f) => f.includes('.partial-') || f.startsWith('store-copy.db-'))).toEqual([]);
  });

  test('GIVEN the bot-like writer running THEN `goldratio backup` copies, and refuses to overwrite without --force', async () => {
    const env = { DATABASE_PATH: dbPath, DATA_DIR: dir };
    const dest = join(dir, 'cli-copy.db');
    const w = writer();
    const r = await runCliInProcess(['backup', dest], env);
    await w.stop();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^backed up .*live\.db to .*cli-copy\.db \(\d+ pages, \d+ bytes, integrity ok\)\n$/);
    expect(integrityCheck(dest)).toBe('ok');
    expect(rowsIn(dest).oddPairs).toBe(0);

    const again = await runCliInProcess(['backup', dest], env);
    expect([again.code, again.stderr]).toEqual([2, `goldratio backup: ${dest} already exists; pass --force to replace it\n`]);
    const forced = await runCliInProcess(['backup', dest, '--force'], env);
    expect(forced.code).toBe(0);
    expect(integrityCheck(dest)).toBe('ok');
  });

  test.each([
    [['backup'], /^goldratio backup: missing backup file\. Usage: goldratio backup <file> \[--force\]\n$/],
    [['backup', '/nonexistent-dir/x.db'], /^goldratio backup: cannot write \/nonexistent-dir\/x\.db: folder \/nonexistent-dir does not exist\n$/],
    [['backup', 'a.db', 'b.db'], /^goldratio backup: unexpected argument "b\.db"\n$/],
    [['backup', '--frobnicate', 'a.db'], /^goldratio backup: unknown option --frobnicate; the options are --force\n$/],
  ])('GIVEN %j THEN one clear line and exit 2', async (args, message) => {
    const r = await runCliInProcess(args, { DATABASE_PATH: dbPath, DATA_DIR: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  test('GIVEN a name ending in / that is no folder, or a file where the folder should be THEN one line saying which, exit 2, nothing written', async () => {
    const env = { DATABASE_PATH: dbPath, DATA_DIR: dir };
    const slash = join(dir, 'not-yet');
    const r1 = await runCliInProcess(['backup', `${slash}/`], env);
    expect([r1.code, r1.stderr]).toEqual([2, `goldratio backup: cannot write ${slash}/: folder ${slash}/ does not exist (a name ending in / is a folder)\n`]);
    expect(existsSync(slash)).toBe(false);
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const r2 = await runCliInProcess(['backup', join(file, 'x.db')], env);
    expect([r2.code, r2.stderr]).toEqual([2, `goldratio backup: cannot write ${join(file, 'x.db')}: ${file} is a file, not a folder\n`]);
  });

  test('GIVEN a folder, the live database itself, or no database THEN one clear line and exit 2, nothing written', async () => {
    const folder = join(dir, 'folder');
    mkdirSync(folder, { recursive: true });
    const r1 = await runCliInProcess(['backup', folder], { DATABASE_PATH: dbPath, DATA_DIR: dir });
    expect([r1.code, r1.stderr]).toEqual([2, `goldratio backup: ${folder} is a folder; give a file name, e.g. ${folder}/goldratio.db\n`]);
    const r2 = await runCliInProcess(['backup', dbPath, '--force'], { DATABASE_PATH: dbPath, DATA_DIR: dir });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/is the live database itself/);
    const missing = join(dir, 'none.db');
    const r3 = await runCliInProcess(['backup', join(dir, 'n.db')], { DATABASE_PATH: missing, DATA_DIR: dir });
    expect([r3.code, r3.stderr]).toEqual([2, `goldratio backup: no database at ${missing} (DATABASE_PATH) to back up\n`]);
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(join(dir, 'n.db'))).toBe(false);
  });
});

describe('backup of a bot with alerts still to send', () => {
  test('GIVEN three alert messages waiting in the outbox, pending or held for quiet hours, THEN the backup says a bot restored from it sends them again; with none, it says nothing more', async () => {
    const world = makeWorld();
    try {
      await seedAlert(world, ['101', '102', '103']);
      const dest = join(dirname(world.config.databasePath), 'copy.db');
      const env = { DATABASE_PATH: world.config.databasePath, DATA_DIR: dirname(world.config.databasePath) };
      const r = await runCliInProcess(['backup', dest], env);
      expect([r.code, r.stderr]).toEqual([0, '']);
      expect(r.stdout.split('\n')[1]).toBe(
        'note: 3 alert messages were waiting to be sent when this copy was taken; a bot restored from it sends them again, even to chats that got them since',
      );
      // Held for a chat's quiet hours: still to send (when those hours end), so a restore sends it again too.
      world.db.exec("UPDATE outbox SET status = 'held', next_at = 4102444800000 WHERE chat_id = '103'");
      const held = await runCliInProcess(['backup', dest, '--force'], env);
      expect(held.stdout.split('\n')[1]).toBe(
        'note: 3 alert messages were waiting to be sent (1 held for quiet hours) when this copy was taken; a bot restored from it sends them again, even to chats that got them since',
      );
      world.db.exec("UPDATE outbox SET status = 'sent' WHERE chat_id <> '103'");
      const onlyHeld = await runCliInProcess(['backup', dest, '--force'], env);
      expect(onlyHeld.stdout.split('\n')[1]).toBe(
        'note: 1 alert message was waiting to be sent (held for quiet hours) when this copy was taken; a bot restored from it sends it again, even to chats that got it since',
      );
      // Sent (as the dispatcher records it): nothing waits, nothing to say.
      world.db.exec("UPDATE outbox SET status = 'sent'");
      const again = await runCliInProcess(['backup', dest, '--force'], env);
      expect(again.stdout).toMatch(/^backed up [^\n]+integrity ok\)\n$/);
    } finally {
      world.cleanup();
    }
  });
});
