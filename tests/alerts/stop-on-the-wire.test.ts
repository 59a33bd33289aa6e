/**
 * A stop whose budget runs out while sends are on the wire (the real bin, `start` on SQLite, a
 * Telegram fake and a webhook receiver that both answer slowly): the process waits for their answers,
 * up to each call's own timeout, and records them before it exits, so the next start sends nothing
 * again. Cut off at STOP_TIMEOUT_SECONDS instead, both would have reached their platform unrecorded
 * and gone out twice (Telegram has no key to drop the repeat).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { WEBHOOK_DIGEST } from '../../src/cli/webhook.ts';
import { loadConfig } from '../../src/config.ts';
import { memoryLogger } from '../../src/log.ts';
import { startApp } from '../../src/main.ts';
import { openDatabase } from '../../src/store/db.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { addWithSubscription } from '../../src/store/webhooks.ts';
import { FakeTelegram } from '../fakes/telegram.ts';
import { WebhookReceiver } from '../fakes/webhook-receiver.ts';
import { spawnBin } from '../helpers/process.ts';
import { until } from '../helpers/replicas.ts';
import { writeDatabase } from '../helpers/sqlite-image.ts';
import { CROSS_UP_ALERT } from '../helpers/outbox-file.ts';
import { sourcesAt } from '../helpers/sources.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const ALERT = CROSS_UP_ALERT;
/** How long Telegram holds its answer, and the receiver its own after the signal: past the 1 s budget, within each call's timeout. */
const SLOW_MS = 3000;

test('GIVEN a Telegram send and a webhook POST on the wire, answered about 3 s later, WHEN SIGTERM with STOP_TIMEOUT_SECONDS=1 THEN the stop waits for both answers and records them sent, and the next start sends nothing again', async () => {
  const tg = await FakeTelegram.start();
  cleanups.push(() => tg.close());
  const rx = await WebhookReceiver.start();
  cleanups.push(() => rx.close());
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-on-the-wire-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const dbPath = writeDatabase(join(dir, 'g.db'));

  // One alert queued for a Telegram chat and a webhook, as a tick before the start left it.
  const db = openDatabase(dbPath);
  const store = onSqlite(db);
  const subs = new SubscriptionStore(store, { approachPct: 3, lang: 'en' });
  const chat = (await subs.upsert('telegram', '5001'))!.id;
  await addWithSubscription(store, subs, { id: 'wh_slow', url: rx.url('/slow'), format: 'json', secret: 's', createdAt: Date.now() }, 'en', WEBHOOK_DIGEST);
  const hook = (await subs.get('webhook', 'wh_slow'))!.id;
  await new OutboxStore(store).enqueue('alert', ALERT, [chat, hook], { nowMs: Date.now() });
  db.close();

  const statuses = () => {
    const h = openDatabase(dbPath);
    try {
      return h.prepare('SELECT platform, status FROM outbox ORDER BY platform').all();
    } finally {
      h.close();
    }
  };
  const env = {
    DATABASE_PATH: dbPath,
    DATA_DIR: dir,
    CHART_WORKERS: '0',
    CHART_WARMUP: 'off',
    // Nothing listens on port 9: the sources are beside the point.
    ...sourcesAt(),
    HTTP_RETRIES: '0',
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    LOG_LEVEL: 'info',
  };

  tg.slow('sendMessage', SLOW_MS);
  // Held until the test answers it: Telegram's send may start up to a dispatch tick (10 s) after the
  // webhook's (its platform comes up later), and both must be on the wire when the signal comes.
  rx.answers.set('/slow', { status: 204, held: true });
  const first = spawnBin(['start'], { ...env, STOP_TIMEOUT_SECONDS: '1', WEBHOOK_TIMEOUT_SECONDS: '60' });
  cleanups.push(() => first.child.kill('SIGKILL'));
  // Both sends on the wire, their answers held.
  await until('both sends on the wire', () => (tg.held.includes('sendMessage') && rx.received.length === 1) || undefined, 30_000).catch((e: unknown) => {
    throw new Error(`${(e as Error).message}; the bot said ${first.stderr().slice(-2000)}`);
  });
  const t0 = Date.now();
  first.child.kill('SIGTERM');
  setTimeout(() => rx.release('/slow'), SLOW_MS).unref();
  expect(await first.exited, first.stderr().slice(-2000)).toEqual({ code: 0, signal: null });
  // It waited for the answers (past its 1 s budget), and not for the calls' whole timeouts.
  expect(Date.now() - t0).toBeGreaterThanOrEqual(SLOW_MS);
  expect(Date.now() - t0).toBeLessThan(10_000);
  const said = first.stderr();
  expect(said).toMatch(
    /"msg":"1 s \(STOP_TIMEOUT_SECONDS\) spent with 2 send\(s\) on the wire: waiting up to \d+(\.\d)? s more for their answers, so that each is recorded and the next start does not send it again"/,
  );
  expect(said).toMatch(/"msg":"stopped"/);
  expect(said).not.toMatch(/without waiting for|"level":"(error|fatal)"/);
  expect(statuses()).toEqual([
    { platform: 'telegram', status: 'sent' },
    { platform: 'webhook', status: 'sent' },
  ]);

  // The next start, both platforms quick again (the app in this process: what it sends is the
  // question, not how a process starts): its last drain before it closes the database finds nothing due.
  tg.slow('sendMessage', 0);
  rx.answers.set('/slow', { status: 204 });
  const next = await startApp(loadConfig(env), memoryLogger('warn'), { out: () => {} });
  cleanups.push(() => next.stop());
  await next.ready;
  await next.stop();
  expect(tg.calls.filter((c) => c.method === 'sendMessage' && c.chatId === '5001')).toHaveLength(1);
  expect(rx.received).toHaveLength(1);
}, 90_000);
