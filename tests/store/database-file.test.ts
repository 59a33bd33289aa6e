/**
 * The database file deleted, then replaced, under the running bot (startApp as `npm start` runs
 * it, HTTP_PORT=0, the Telegram fake): /readyz names it, the log says it once as an error, and a
 * settings command refuses in the chat's language instead of saying "Subscribed" into a file
 * nobody can open again. And the disk holding it full: said once, and to each chat as what it is.
 */
import { afterEach, expect, test } from 'vitest';
import { copyFileSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { memoryLogger } from '../../src/log.ts';
import { startApp } from '../../src/main.ts';
import { t } from '../../src/domain/i18n/index.ts';
import { startFlatMarket } from '../fakes/quote-server.ts';
import { FakeTelegram } from '../fakes/telegram.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

test('GIVEN the running bot WHEN its database file is deleted and then replaced THEN /readyz is 503 naming it, one error line each, and settings commands refuse', async () => {
  const server = await startFlatMarket('2025-03-14');
  const tg = await FakeTelegram.start();
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-dbfile-'));
  cleanups.push(
    () => server.close(),
    () => tg.close(),
    () => rmSync(dir, { recursive: true, force: true }),
  );
  const path = join(dir, 'g.db');
  const config = loadConfig({
    DATABASE_PATH: path,
    DATA_DIR: dir,
    BACKFILL_FROM: '2024-01-02',
    YAHOO_BASE_URL: server.url,
    FRED_BASE_URL: server.url,
    LBMA_BASE_URL: server.url,
    HTTP_RETRIES: '0',
    HTTP_PORT: '0',
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    // No render worker: the pool has its own tests (tests/charts/pool.test.ts, tests/main.test.ts).
    CHART_WORKERS: '0',
  });
  const log = memoryLogger('warn');
  const app = await startApp(config, log, { out: () => {}, now: () => Date.parse('2025-03-15T15:00:00Z') });
  cleanups.push(() => app.stop());
  await app.ready;
  const readyz = async () => {
    const r = await fetch(`http://127.0.0.1:${app.ops!.port}/readyz`);
    return { status: r.status, body: await r.text() };
  };
  const answer = async (chat: number, text: string) => {
    const before = tg.callsTo('sendMessage', chat).length;
    tg.textMessage(chat, text);
    await tg.waitFor(() => tg.callsTo('sendMessage', chat).length > before);
    return String(tg.callsTo('sendMessage', chat).at(-1)?.params.text);
  };
  const errors = () => log.lines.filter((l) => /\bERROR\b/.test(l));

  expect((await readyz()).status).toBe(200);
  const subscribed = await answer(501, '/subscribe');
  expect(subscribed).not.toBe(t('en', 'chat.failed'));
  copyFileSync(path, join(dir, 'copy.db'));

  // Deleted (the WAL with it, as `rm data/*` does).
  for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
  const gone = await readyz();
  expect(gone.status).toBe(503);
  expect(gone.body).toContain(`database: database ${path} (DATABASE_PATH) was deleted while goldratio had it open`);
  expect(await answer(502, '/subscribe')).toBe(t('en', 'chat.dbGone'));
  expect(app.db.prepare("SELECT count(*) AS n FROM subscriptions WHERE chat_id = '502'").get()).toEqual({ n: 0 });
  expect(await answer(501, '/unsubscribe')).toBe(t('en', 'chat.dbGone'));
  expect(await answer(501, '/lang zh-TW')).toBe(t('en', 'chat.dbGone'));
  // Reading still answers from the open file.
  expect(await answer(501, '/help')).not.toBe(t('en', 'chat.dbGone'));
  expect(errors().filter((l) => l.includes('was deleted'))).toHaveLength(1);
  expect(errors().filter((l) => !l.includes('was deleted'))).toEqual([]);

  // Replaced by another file (a restore copied into place): a new inode at the same path.
  renameSync(join(dir, 'copy.db'), path);
  const replaced = await readyz();
  expect(replaced.status).toBe(503);
  expect(replaced.body).toContain('was replaced by another file while goldratio had it open: restart goldratio');
  expect(await answer(503, '/subscribe')).toBe(t('en', 'chat.dbGone'));
  expect(errors().filter((l) => l.includes('was replaced'))).toHaveLength(1);
}, 60_000);

test('GIVEN a Chinese chat THEN the refusal is in Traditional Chinese', () => {
  expect(t('zh-TW', 'chat.dbGone')).toMatch(/資料庫檔案不見了/);
});

test('GIVEN the running bot WHEN the disk holding its database fills THEN /readyz is 503 naming it, one error line, settings commands say the disk is full; once there is room, all is well again', async () => {
  const server = await startFlatMarket('2025-03-14');
  const tg = await FakeTelegram.start();
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-dbfull-'));
  cleanups.push(
    () => server.close(),
    () => tg.close(),
    () => rmSync(dir, { recursive: true, force: true }),
  );
  const path = join(dir, 'g.db');
  const config = loadConfig({
    DATABASE_PATH: path,
    DATA_DIR: dir,
    BACKFILL_FROM: '2024-01-02',
    YAHOO_BASE_URL: server.url,
    FRED_BASE_URL: server.url,
    LBMA_BASE_URL: server.url,
    HTTP_RETRIES: '0',
    HTTP_PORT: '0',
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    CHART_WORKERS: '0',
  });
  const log = memoryLogger('info');
  const app = await startApp(config, log, { out: () => {}, now: () => Date.parse('2025-03-15T15:00:00Z') });
  cleanups.push(() => app.stop());
  await app.ready;
  const readyz = async () => {
    const r = await fetch(`http://127.0.0.1:${app.ops!.port}/readyz`);
    return { status: r.status, body: await r.text() };
  };
  const answer = async (chat: number, text: string) => {
    const before = tg.callsTo('sendMessage', chat).length;
    tg.textMessage(chat, text, { id: chat, first_name: 'U', language_code: 'zh-TW' });
    await tg.waitFor(() => tg.callsTo('sendMessage', chat).length > before);
    return String(tg.callsTo('sendMessage', chat).at(-1)?.params.text);
  };
  expect((await readyz()).status).toBe(200);
  // The disk full, as SQLite meets it: no page may be added to the file (SQLITE_FULL on the next growth).
  const pages = app.db.pragma('page_count', { simple: true }) as number;
  app.db.pragma(`max_page_count = ${pages}`);
  let chat = 600;
  // A subscription is a few small rows: the pages' free room takes the first few.
  let said: string;
  do said = await answer(++chat, '/subscribe');
  while (said !== t('zh-TW', 'chat.diskFull') && chat < 700);
  expect(said).toBe(t('zh-TW', 'chat.diskFull'));
  expect(app.db.prepare(`SELECT count(*) AS n FROM subscriptions WHERE chat_id = '${chat}'`).get()).toEqual({ n: 0 });
  const full = await readyz();
  expect(full.status).toBe(503);
  expect(full.body).toContain(`database: database ${path} (DATABASE_PATH): a write failed, the disk holding it is full (SQLITE_FULL)`);
  expect(await answer(chat + 1, '/subscribe')).toBe(t('zh-TW', 'chat.diskFull'));
  const errors = log.lines.filter((l) => /\bERROR\b/.test(l));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toContain('the disk holding it is full');
  expect(log.lines.filter((l) => /could not write|update failed/.test(l))).toEqual([]);

  // Room again: the next settings change lands, and /readyz is 200.
  app.db.pragma(`max_page_count = ${pages * 10}`);
  expect(await answer(chat + 2, '/subscribe')).not.toBe(t('zh-TW', 'chat.diskFull'));
  expect(await readyz()).toEqual({ status: 200, body: expect.stringMatching(/^ready/) });
  expect(log.lines.filter((l) => l.includes('writes land again'))).toHaveLength(1);
}, 60_000);
