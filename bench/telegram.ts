/**
 * Issue 5's figures: one alert to 10,000 Telegram chats through the real dispatcher, notifier and
 * grammY client, against the fake Bot API limited to 300 msg/s with the bot paced at 300 msg/s.
 * Prints the achieved rate (target ≥ 90% of the limit), photo uploads (target exactly 1), 429s
 * (target 0), elapsed time and peak RSS (the fake runs in this process too).
 * `BENCH_CHATS` and `BENCH_RATE` change the size and pace. With GOLDRATIO_BENCH_PG_URL, the same
 * broadcast again from a PostgreSQL copy of the same outbox, sent as a replica leader sends it
 * (issue 17: ≥ 95% of the fake's limit): rows claimed with a lease, the chart's file_id shared
 * through the database, against a fresh fake; and once more with the database 1 ms away each way
 * (`BENCH_PG_MS_EACH_WAY`), as a server on another machine is. Every run looks up quiet hours as
 * the bot does (the chats have none, so each alert is sent).
 */
import { onPostgres, onSqlite, type StoreDb } from '../src/store/engine.ts';
import { performance } from 'node:perf_hooks';
import { Api } from 'grammy';
import { FakeTelegram } from '../tests/fakes/telegram.ts';
import { makeWorld, seedAlert } from '../tests/helpers/telegram-harness.ts';
import { TelegramNotifier } from '../src/platforms/telegram/notifier.ts';
import { Dispatcher } from '../src/alerts/dispatcher.ts';
import { OutboxStore } from '../src/store/outbox.ts';
import { SubscriptionStore } from '../src/store/subscriptions.ts';
import { ChartUploadStore } from '../src/store/chart-uploads.ts';
import { QuietStore } from '../src/store/quiet.ts';
import { sharedUploads } from '../src/alerts/upload-once.ts';
import { PG_URL, pgCopy } from './_pg.ts';

const CHATS = Number(process.env.BENCH_CHATS ?? 10_000);
const RATE = Number(process.env.BENCH_RATE ?? 300);
// About rate × round trip in flight (PLATFORMS.md); the dispatcher's default of 8 is for the public API's 25/s.
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const MS_EACH_WAY = Number(process.env.BENCH_PG_MS_EACH_WAY ?? 1);

const world = makeWorld({ TELEGRAM_BOT_TOKEN: '123:bench', TELEGRAM_RATE: String(RATE) });
const row = (name: string, value: string, target = '') =>
  process.stdout.write(`${name.padEnd(48)} ${value.padStart(14)}${target ? `   (target ${target})` : ''}\n`);

/** One drain of the seeded alert through `db`'s outbox, against a fake of its own; prints the figures. */
async function broadcast(engine: string, db: StoreDb): Promise<void> {
  const fake = await FakeTelegram.start({ rateLimit: RATE, token: '123:bench' });
  try {
    const tg = world.config.telegram;
    const notifier = new TelegramNotifier({
      api: new Api(fake.token, { apiRoot: fake.apiRoot, timeoutSeconds: 30 }),
      rate: tg.rate,
      groupPerMinute: tg.groupPerMinute,
      paidBroadcast: tg.paidBroadcast,
      log: world.log,
      ...(db.engine === 'postgres' ? { sharedUploads: sharedUploads(new ChartUploadStore(db), 'telegram') } : {}),
    });
    const subs =
      db.engine === 'sqlite' ? world.deps.subs : new SubscriptionStore(db, { approachPct: world.config.approachPct, lang: world.config.defaultLang });
    const dispatcher = new Dispatcher(new OutboxStore(db), subs, {
      notifiers: [notifier],
      charts: world.charts,
      log: world.log,
      concurrency: CONCURRENCY,
      quiet: new QuietStore(db),
      ...(db.engine === 'postgres' ? { leaseMs: 120_000, canSend: () => true } : {}),
    });

    const start = performance.now();
    let rounds = 0;
    while ((await dispatcher.pending()) > 0 && rounds < 50) {
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
    process.stdout.write(`${engine}:\n`);
    row('  photos delivered', `${sends.length}`, `${CHATS}`);
    row('  elapsed, drain start to last send', `${(elapsedMs / 1000).toFixed(2)} s`, `≈ ${(CHATS / RATE).toFixed(1)} s`);
    row('  achieved rate (whole drain, incl. chart render)', `${achieved.toFixed(1)} msg/s`, `≥ ${(RATE * 0.9).toFixed(0)} msg/s`);
    row('  achieved rate (first to last send)', `${achievedSteady.toFixed(1)} msg/s`, `≥ ${(RATE * 0.9).toFixed(0)} msg/s`);
    row('    = share of the fake limit', `${((achieved / RATE) * 100).toFixed(1)} %`, db.engine === 'postgres' ? '≥ 95 %' : '≥ 90 %');
    row('  photo uploads', `${fake.uploads().length}`, '1');
    row('  429 answers', `${tooMany}`, '0');
    row('  pending after drain', `${await dispatcher.pending()}`, '0');
    row('  drain rounds', `${rounds}`);
  } finally {
    await fake.close();
  }
}

try {
  const t0 = performance.now();
  await seedAlert(
    world,
    Array.from({ length: CHATS }, (_, i) => String(1_000_000 + i)),
  );
  const seedMs = performance.now() - t0;
  row('chats subscribed (seed, one transaction)', `${CHATS}`, '');
  row('seed time', `${seedMs.toFixed(0)} ms`);
  // The PostgreSQL copy is taken before SQLite's drain marks the rows sent.
  const onPg = PG_URL === undefined ? undefined : await pgCopy(PG_URL, world.db, 'telegram');
  const farPg = PG_URL === undefined ? undefined : await pgCopy(PG_URL, world.db, 'telegram_far', { msEachWay: MS_EACH_WAY });
  try {
    await broadcast('sqlite', onSqlite(world.db));
    if (onPg === undefined || farPg === undefined) process.stdout.write('postgres: skipped (set GOLDRATIO_BENCH_PG_URL)\n');
    else {
      await broadcast('postgres', onPostgres(onPg.store));
      await broadcast(`postgres ${MS_EACH_WAY} ms away each way`, onPostgres(farPg.store));
    }
  } finally {
    await onPg?.drop();
    await farPg?.drop();
  }
  row('peak RSS (bench + fake in one process)', `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
} finally {
  world.cleanup();
}
