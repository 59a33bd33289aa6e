/**
 * Issue 18's figure: one alert to 2,000 outgoing webhooks (json, signed, the chart inline) through
 * the real dispatcher and WebhookNotifier, POSTed to one local receiver in a worker thread of its
 * own (bench/_webhook-receiver.mjs) that answers 204 to most and 500 to every 50th path. Prints the
 * duration, the deliveries and the failures. `BENCH_HOOKS` and `WEBHOOK_RATE` change the size and pace;
 * `BENCH_CHART=off` sends the alert as text only (the inline chart makes each body ~80 KB).
 */
import { onSqlite } from '../src/store/engine.ts';
import { Worker } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import { makeWorld, seedEvent } from '../tests/helpers/telegram-harness.ts';
import { WebhookNotifier } from '../src/platforms/webhook/notifier.ts';
import { Dispatcher } from '../src/alerts/dispatcher.ts';
import { OutboxStore } from '../src/store/outbox.ts';
import { QuietStore } from '../src/store/quiet.ts';
import { MetaStore } from '../src/store/meta.ts';
import { WebhookStore } from '../src/store/webhooks.ts';

const HOOKS = Number(process.env.BENCH_HOOKS ?? 2000);
const RATE = Number(process.env.WEBHOOK_RATE ?? 1000);

const receiver = new Worker(new URL('./_webhook-receiver.mjs', import.meta.url));
const port = await new Promise<number>((resolve) => receiver.once('message', (m: { port: number }) => resolve(m.port)));
const world = makeWorld({ WEBHOOK_RATE: String(RATE) });
try {
  const hooks = new WebhookStore(new MetaStore(onSqlite(world.db)));
  const ids = Array.from({ length: HOOKS }, (_, i) => `wh_${String(i).padStart(5, '0')}`);
  for (const [i, id] of ids.entries()) {
    const path = i % 50 === 49 ? `/fail/${i}` : `/ok/${i}`;
    await hooks.add({ id, url: `http://127.0.0.1:${port}${path}`, format: 'json', secret: randomBytes(32).toString('hex'), createdAt: Date.now() });
  }
  await seedEvent(
    world,
    ids.map((chatId) => ({ platform: 'webhook' as const, chatId })),
  );
  const notifier = new WebhookNotifier({
    store: hooks,
    log: world.log,
    rate: world.config.webhook.rate,
    timeoutMs: world.config.webhook.timeoutSeconds * 1000,
  });
  // BENCH_CHART=off: text only, to see what the inline chart costs.
  const charts = process.env.BENCH_CHART === 'off' ? {} : { charts: world.charts };
  const dispatcher = new Dispatcher(new OutboxStore(onSqlite(world.db)), world.deps.subs, {
    notifiers: [notifier],
    ...charts,
    log: world.log,
    quiet: new QuietStore(onSqlite(world.db)),
  });
  const t0 = performance.now();
  const r = await dispatcher.drain();
  const ms = performance.now() - t0;
  const stats = await new Promise<{ received: number; bytes: number; badSignatures: number }>((resolve) => {
    receiver.once('message', resolve);
    receiver.postMessage('stats');
  });
  const row = (name: string, value: string, note = '') => process.stdout.write(`${name.padEnd(48)} ${value.padStart(14)}${note ? `   (${note})` : ''}\n`);
  row('webhooks', `${HOOKS}`, `${HOOKS / 50} of them answer 500`);
  row('duration, drain start to last answer', `${(ms / 1000).toFixed(2)} s`, `pace ${RATE}/s, ${notifier.concurrency} in flight`);
  row('delivered (2xx)', `${r.sent}`);
  row('failed (to be retried by the backoff)', `${r.retried}`);
  row('given up / deactivated', `${r.failed} / ${r.dead}`);
  row('requests the receiver saw', `${stats.received}`);
  row('bytes per request (json, chart inline)', `${Math.round(stats.bytes / Math.max(1, stats.received))}`);
  row('requests with a bad signature', `${stats.badSignatures}`, 'checked for the first 100');
  row('peak RSS (bench process)', `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
} finally {
  world.cleanup();
  await receiver.terminate();
}
