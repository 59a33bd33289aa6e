/**
 * SIGTERM in the middle of a heavy send run (the real bin, `start` on SQLite, 300 Telegram chats due
 * at once, the fake answering each send after 40 ms): the process stops within STOP_TIMEOUT_SECONDS
 * (its sends on the wire answered and recorded), and the next start sends the rest, none twice.
 * stop-on-the-wire.test.ts has the stop's budget running out with two sends held on the wire.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { memoryLogger } from '../../src/log.ts';
import { startApp } from '../../src/main.ts';
import { openDatabase } from '../../src/store/db.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { FakeTelegram } from '../fakes/telegram.ts';
import { spawnBin } from '../helpers/process.ts';
import { until } from '../helpers/replicas.ts';
import { writeDatabase } from '../helpers/sqlite-image.ts';
import { CROSS_UP_ALERT } from '../helpers/outbox-file.ts';
import { sourcesAt } from '../helpers/sources.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const CHATS = 300;
const STOP_TIMEOUT_S = 2;

test(`GIVEN ${CHATS} chats' alerts due and being sent WHEN SIGTERM mid-run THEN the bin exits 0 within STOP_TIMEOUT_SECONDS, and the next start sends the rest: every chat once, none twice`, async () => {
  const tg = await FakeTelegram.start();
  cleanups.push(() => tg.close());
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-mid-broadcast-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const dbPath = writeDatabase(join(dir, 'g.db'));

  const db = openDatabase(dbPath);
  const store = onSqlite(db);
  const subs = new SubscriptionStore(store, { approachPct: 3, lang: 'en' });
  const ids: number[] = [];
  for (let i = 0; i < CHATS; i++) ids.push((await subs.upsert('telegram', String(7000 + i)))!.id);
  await new OutboxStore(store).enqueue('alert', CROSS_UP_ALERT, ids, { nowMs: Date.now() });
  db.close();

  const env = {
    DATABASE_PATH: dbPath,
    DATA_DIR: dir,
    CHART_WORKERS: '0',
    CHART_WARMUP: 'off',
    ...sourcesAt(),
    HTTP_RETRIES: '0',
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    LOG_LEVEL: 'info',
  };
  const sends = () => tg.calls.filter((c) => c.method === 'sendMessage' && /^7\d{3}$/.test(String(c.chatId)));
  tg.slow('sendMessage', 40);
  const first = spawnBin(['start'], { ...env, STOP_TIMEOUT_SECONDS: String(STOP_TIMEOUT_S) });
  cleanups.push(() => first.child.kill('SIGKILL'));
  await until('a run of sends under way', () => sends().length >= 40 || undefined, 60_000).catch((e: unknown) => {
    throw new Error(`${(e as Error).message}; the bot said ${first.stderr().slice(-2000)}`);
  });
  const t0 = Date.now();
  first.child.kill('SIGTERM');
  expect(await first.exited, first.stderr().slice(-2000)).toEqual({ code: 0, signal: null });
  const stopMs = Date.now() - t0;
  const atStop = sends().length;
  // Mid-run: some sent, most not (the rest were not started after the signal).
  expect(atStop).toBeLessThan(CHATS);
  expect(stopMs).toBeLessThan(STOP_TIMEOUT_S * 1000 + 1000);
  expect(first.stderr()).not.toMatch(/"level":"(error|fatal)"|without waiting for/);
  const recorded = (() => {
    const h = openDatabase(dbPath);
    try {
      return h.prepare<[], { n: number }>("SELECT count(*) AS n FROM outbox WHERE status = 'sent'").get()!.n;
    } finally {
      h.close();
    }
  })();
  // Every send that reached Telegram is recorded sent: nothing on the wire was left unrecorded.
  expect(recorded).toBe(atStop);

  tg.slow('sendMessage', 0);
  // The rest at the fake's pace, not Telegram's 25 a second (10 s of waiting): what this start is
  // asked is which chats it sends to, and how often; the pace has tests of its own (alerts/rate-limit).
  const next = await startApp(loadConfig({ ...env, TELEGRAM_RATE: '1000' }), memoryLogger('warn'), { out: () => {} });
  cleanups.push(() => next.stop());
  await next.ready;
  await until('every chat sent', () => new Set(sends().map((c) => String(c.chatId))).size === CHATS || undefined, 60_000);
  await next.stop();
  const perChat = new Map<string, number>();
  for (const c of sends()) perChat.set(String(c.chatId), (perChat.get(String(c.chatId)) ?? 0) + 1);
  expect([...perChat.values()].filter((n) => n > 1)).toEqual([]);
  expect(perChat.size).toBe(CHATS);
}, 180_000);
