/**
 * Issue 5's figures: one alert to 10,000 Telegram chats through the real dispatcher, notifier and
 * grammY client, against the fake Bot API limited to 300 msg/s with the bot paced at 300 msg/s.
 * Prints the achieved rate (target ≥ 90% of the limit), photo uploads (target exactly 1), 429s
 * (target 0), elapsed time and peak RSS (the fake runs in this process too).
 * `BENCH_CHATS` and `BENCH_RATE` change the size and pace.
 */
import { performance } from 'node:perf_hooks';
import { Api } from 'grammy';
import { FakeTelegram } from '../tests/fakes/telegram.ts';
import { makeWorld, seedAlert, telegramEnv } from '../tests/helpers/telegram-harness.ts';
import { TelegramNotifier } from '../src/platforms/telegram/notifier.ts';
import { Dispatcher } from '../src/alerts/dispatcher.ts';
import { OutboxStore } from '../src/store/outbox.ts';

const CHATS = Number(process.env.BENCH_CHATS ?? 10_000);
const RATE = Number(process.env.BENCH_RATE ?? 300);
// About rate × round trip in flight (PLATFORMS.md); the dispatcher's default of 8 is for the public API's 25/s.
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);

const fake = await FakeTelegram.start({ rateLimit: RATE });
const world = makeWorld(telegramEnv(fake, { TELEGRAM_RATE: String(RATE) }));
try {
  const t0 = performance.now();
  await seedAlert(
    world,
    Array.from({ length: CHATS }, (_, i) => String(1_000_000 + i)),
  );
  const seedMs = performance.now() - t0;

  const tg = world.config.telegram;
  const notifier = new TelegramNotifier({
    api: new Api(fake.token, { apiRoot: fake.apiRoot, timeoutSeconds: 30 }),
    rate: tg.rate,
    groupPerMinute: tg.groupPerMinute,
    paidBroadcast: tg.paidBroadcast,
    log: world.log,
  });
  const dispatcher = new Dispatcher(new OutboxStore(world.db), world.deps.subs, {
    notifiers: [notifier],
    charts: world.charts,
    log: world.log,
    concurrency: CONCURRENCY,
  });

  const start = performance.now();
  let rounds = 0;
  while (dispatcher.pending() > 0 && rounds < 50) {
    await dispatcher.drain();
    rounds++;
  }
  const elapsedMs = performance.now() - start;

  const sends = fake.calls.filter((c) => c.method === 'sendPhoto' && c.status === 200);
  const first = sends[0]?.at ?? 0;
  const last = sends.at(-1)?.at ?? 0;
  const achieved = sends.length / (elapsedMs / 1000);
  const achievedSteady = sends.length > 1 ? (sends.length - 1) / ((last - first) / 1000) : 0;
  const tooMany = fake.calls.filter((c) => c.status === 429).length;
  const rssMb = process.resourceUsage().maxRSS / 1024;

  const row = (name: string, value: string, target = '') =>
    process.stdout.write(`${name.padEnd(48)} ${value.padStart(14)}${target ? `   (target ${target})` : ''}\n`);
  row('chats subscribed (seed, one transaction)', `${CHATS}`, '');
  row('seed time', `${seedMs.toFixed(0)} ms`);
  row('photos delivered', `${sends.length}`, `${CHATS}`);
  row('elapsed, drain start to last send', `${(elapsedMs / 1000).toFixed(2)} s`, `≈ ${(CHATS / RATE).toFixed(1)} s`);
  row('achieved rate (whole drain, incl. chart render)', `${achieved.toFixed(1)} msg/s`, `≥ ${(RATE * 0.9).toFixed(0)} msg/s`);
  row('achieved rate (first to last send)', `${achievedSteady.toFixed(1)} msg/s`, `≥ ${(RATE * 0.9).toFixed(0)} msg/s`);
  row('  = share of the fake limit', `${((achieved / RATE) * 100).toFixed(1)} %`, '≥ 90 %');
  row('photo uploads', `${fake.uploads().length}`, '1');
  row('429 answers', `${tooMany}`, '0');
  row('pending after drain', `${dispatcher.pending()}`, '0');
  row('drain rounds', `${rounds}`);
  row('peak RSS (bench + fake in one process)', `${rssMb.toFixed(0)} MB`);
} finally {
  await fake.close();
  world.cleanup();
}
