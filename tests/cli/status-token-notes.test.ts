/**
 * `goldratio status` on SQLite and a refused-token note (store/token-notes.ts): the note of a
 * process of this machine that no longer runs (killed before it could remove it) is not said as a
 * running goldratio's; one of a process still running is.
 */
import { afterEach, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/db.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { THIS_PROCESS, processName } from '../../src/store/leader.ts';
import { TokenNotes } from '../../src/store/token-notes.ts';
import { runCliInProcess as cli } from '../helpers/cli.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

const REASON = 'not sending: the Telegram token was refused (401 Unauthorized): revoked in @BotFather? Set TELEGRAM_BOT_TOKEN and restart goldratio';

test('GIVEN a note left by a goldratio of this machine killed since, and one of a process running THEN status says only the running one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-status-token-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'g.db');
  // A process that has ended: its pid, as a killed bot's note names it.
  const gone = spawnSync(process.execPath, ['-e', '']).pid;
  const db = openDatabase(path);
  const notes = new TokenNotes(onSqlite(db));
  await notes.put({ platform: 'discord', by: processName(gone), reason: REASON, since: Date.parse('2026-12-01T00:00:00Z'), leads: false });
  await notes.put({ platform: 'telegram', by: THIS_PROCESS, reason: REASON, since: Date.parse('2026-12-02T00:00:00Z'), leads: false });
  db.close();

  const out = (await cli(['status'], { DATABASE_PATH: path, DATA_DIR: dir })).stdout;
  expect(out.split('\n').filter((l) => l.includes('token refused'))).toEqual([`telegram: token refused since 2026-12-02T00:00:00.000Z: ${REASON}`]);
  const json = JSON.parse((await cli(['status', '--json'], { DATABASE_PATH: path, DATA_DIR: dir })).stdout) as { tokenRefused?: { platform: string }[] };
  expect(json.tokenRefused?.map((n) => n.platform)).toEqual(['telegram']);
});
