/**
 * Issue 18's figure: one alert to 2,000 outgoing webhooks (json, signed, the chart inline) through
 * the real dispatcher and WebhookNotifier, POSTed to one local receiver in a worker thread of its
 * own (bench/_webhook-receiver.mjs) that answers 204 to most and 500 to every 50th path. Prints the
 * duration, the deliveries and the failures; then, with one more hook that never answers, how soon
 * the others get an alert queued while that one waits out its timeout. `BENCH_HOOKS` and `WEBHOOK_RATE` change the size and pace;
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

  // One more hook that never answers (a receiver down behind a load balancer that holds the
  // connection): an alert goes to every hook, and while the hanging one waits out its timeout a
  // third alert comes. The other hooks get it at once, not after that timeout.
  const hang = 'wh_hang';
  await hooks.add({ id: hang, url: `http://127.0.0.1:${port}/hang/0`, format: 'json', secret: randomBytes(32).toString('hex'), createdAt: Date.now() });
  const all = [...ids, hang].map((chatId) => ({ platform: 'webhook' as const, chatId }));
  const newest = () => (world.db.prepare('SELECT MAX(message_id) AS m FROM outbox').get() as { m: number }).m;
  /** Rows of `message` delivered (the failing hooks' wait behind their first alert's retry). */
  const sentOf = (message: number) =>
    (world.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE message_id = ? AND status = 'sent'").get(message) as { n: number }).n;
  const answering = HOOKS - Math.floor(HOOKS / 50);
  const day = 86_400_000;
  await seedEvent(world, all, Date.now() + day);
  const second = newest();
  const t1 = performance.now();
  const running = dispatcher.drain();
  while (sentOf(second) < answering) await new Promise((r) => setTimeout(r, 10));
  const secondMs = performance.now() - t1;
  await seedEvent(world, all, Date.now() + 2 * day);
  const third = newest();
  const t2 = performance.now();
  void dispatcher.drain();
  while (sentOf(third) < answering) await new Promise((r) => setTimeout(r, 10));
  const thirdMs = performance.now() - t2;
  const hungFor = await running.then(() => performance.now() - t1);
  row(`with one hook hanging: 2nd alert to the ${answering}`, `${(secondMs / 1000).toFixed(2)} s`);
  row(
    `  3rd alert, queued while it hangs, to the ${answering}`,
    `${(thirdMs / 1000).toFixed(2)} s`,
    `the hanging hook's drain: ${(hungFor / 1000).toFixed(1)} s, its timeout ${world.config.webhook.timeoutSeconds} s`,
  );
  row('peak RSS (bench process)', `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
} finally {
  world.cleanup();
  await receiver.terminate();
}
