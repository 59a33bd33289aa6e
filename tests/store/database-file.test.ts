/**
 * The database file deleted, then replaced, under the running bot (startApp as `npm start` runs
 * it, HTTP_PORT=0, the Telegram fake): /readyz names it, the log says it once as an error, and a
 * settings command refuses in the chat's language instead of saying "Subscribed" into a file
 * nobody can open again. And the disk holding it full: said once, and to each chat as what it is.
 */
import { afterEach, expect, test } from 'vitest';
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { memoryLogger } from '../../src/log.ts';
import { t } from '../../src/domain/i18n/index.ts';
import type { FakeTelegram, FakeUser } from '../fakes/telegram.ts';
import { bootApp, type Cleanups } from '../helpers/app.ts';
import { runCli } from '../helpers/cli.ts';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** /readyz of the app at `base`: its status and body. */
async function readyz(base: string): Promise<{ status: number; body: string }> {
  const r = await fetch(`${base}/readyz`);
  return { status: r.status, body: await r.text() };
}

/** Types `text` into the chat `chat` (as `from`) and waits for the bot's next message there: its text. */
async function answer(tg: FakeTelegram, chat: number, text: string, from?: FakeUser): Promise<string> {
  const before = tg.callsTo('sendMessage', chat).length;
  tg.textMessage(chat, text, from);
  await tg.waitFor(() => tg.callsTo('sendMessage', chat).length > before);
  return String(tg.callsTo('sendMessage', chat).at(-1)?.params.text);
}

test('GIVEN the running bot WHEN its database file is deleted THEN `goldratio status` (another process) says the file is gone while that goldratio (its pid) has it open, and what to do, where it said "(not created yet)"; it creates no file', async () => {
  const { path, dir } = await bootApp(cleanups);
  const env = { DATABASE_PATH: path, DATA_DIR: dir };
  expect(runCli(['status'], env).stdout.split('\n')[0]).toBe(`database ${path}`);
  for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
  const r = runCli(['status'], env);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout.split('\n')[0]).toBe(
    `database ${path} (was deleted from its folder while a running goldratio (pid ${process.pid}) still has it open: restore it from a backup and restart goldratio; a restart without it starts a new, empty database (no subscriptions))`,
  );
  expect(existsSync(path)).toBe(false);
  // An app's start and two spawned commands: 4-14 s over three whole-suite runs beside busy loops (flake22).
}, 90_000);

test('GIVEN the running bot WHEN its database file is deleted and then replaced THEN /readyz is 503 naming it, one error line each, and settings commands refuse', async () => {
  const log = memoryLogger('warn');
  const { app, base, tg, dir, path } = await bootApp(cleanups, { telegram: true, log });
  const errors = () => log.lines.filter((l) => /\bERROR\b/.test(l));

  expect((await readyz(base)).status).toBe(200);
  const subscribed = await answer(tg, 501, '/subscribe');
  expect(subscribed).not.toBe(t('en', 'chat.failed'));
  copyFileSync(path, join(dir, 'copy.db'));

  // Deleted (the WAL with it, as `rm data/*` does).
  for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
  const gone = await readyz(base);
  expect(gone.status).toBe(503);
  expect(gone.body).toContain(`database: database ${path} (DATABASE_PATH) was deleted while goldratio had it open`);
  expect(await answer(tg, 502, '/subscribe')).toBe(t('en', 'chat.dbGone'));
  expect(app.db.prepare("SELECT count(*) AS n FROM subscriptions WHERE chat_id = '502'").get()).toEqual({ n: 0 });
  expect(await answer(tg, 501, '/unsubscribe')).toBe(t('en', 'chat.dbGone'));
  expect(await answer(tg, 501, '/lang zh-TW')).toBe(t('en', 'chat.dbGone'));
  // Reading still answers from the open file.
  expect(await answer(tg, 501, '/help')).not.toBe(t('en', 'chat.dbGone'));
  expect(errors().filter((l) => l.includes('was deleted'))).toHaveLength(1);
  expect(errors().filter((l) => !l.includes('was deleted'))).toEqual([]);

  // Replaced by another file (a restore copied into place): a new inode at the same path.
  renameSync(join(dir, 'copy.db'), path);
  const replaced = await readyz(base);
  expect(replaced.status).toBe(503);
  expect(replaced.body).toContain('was replaced by another file while goldratio had it open: restart goldratio');
  expect(await answer(tg, 503, '/subscribe')).toBe(t('en', 'chat.dbGone'));
  expect(errors().filter((l) => l.includes('was replaced'))).toHaveLength(1);
}, 60_000);

test('GIVEN a Chinese chat THEN the refusal is in Traditional Chinese', () => {
  expect(t('zh-TW', 'chat.dbGone')).toMatch(/資料庫檔案不見了/);
});

test('GIVEN the running bot WHEN the disk holding its database fills THEN /readyz is 503 naming it, one error line, settings commands say the disk is full; once there is room, all is well again', async () => {
  const log = memoryLogger('info');
  const { app, base, tg, path } = await bootApp(cleanups, { telegram: true, log });
  /** A user of its own for each chat, in Traditional Chinese. */
  const ask = (chat: number, text: string) => answer(tg, chat, text, { id: chat, first_name: 'U', language_code: 'zh-TW' });
  expect((await readyz(base)).status).toBe(200);
  // The disk full, as SQLite meets it: no page may be added to the file (SQLITE_FULL on the next growth).
  const pages = app.db.pragma('page_count', { simple: true }) as number;
  app.db.pragma(`max_page_count = ${pages}`);
  let chat = 600;
  // A subscription is a few small rows: the pages' free room takes the first few.
  let said: string;
  do said = await ask(++chat, '/subscribe');
  while (said !== t('zh-TW', 'chat.diskFull') && chat < 700);
  expect(said).toBe(t('zh-TW', 'chat.diskFull'));
  expect(app.db.prepare(`SELECT count(*) AS n FROM subscriptions WHERE chat_id = '${chat}'`).get()).toEqual({ n: 0 });
  const full = await readyz(base);
  expect(full.status).toBe(503);
  expect(full.body).toContain(`database: database ${path} (DATABASE_PATH): a write failed, the disk holding it is full (SQLITE_FULL)`);
  expect(await ask(chat + 1, '/subscribe')).toBe(t('zh-TW', 'chat.diskFull'));
  const errors = log.lines.filter((l) => /\bERROR\b/.test(l));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toContain('the disk holding it is full');
  expect(log.lines.filter((l) => /could not write|update failed/.test(l))).toEqual([]);

  // Room again: the next settings change lands, and /readyz is 200.
  app.db.pragma(`max_page_count = ${pages * 10}`);
  expect(await ask(chat + 2, '/subscribe')).not.toBe(t('zh-TW', 'chat.diskFull'));
  expect(await readyz(base)).toEqual({ status: 200, body: expect.stringMatching(/^ready/) });
  expect(log.lines.filter((l) => l.includes('writes land again'))).toHaveLength(1);
}, 60_000);
