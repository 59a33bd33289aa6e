/**
 * Issue 10's figures: one alert to 2,000 Discord channels through the real dispatcher, notifier
 * and @discordjs/rest, against the fake Discord enforcing a global limit of 50 requests/s, then the
 * same with the fake at 500 requests/s (the notifier must not be the bottleneck). Prints the
 * achieved rate (goal ≥ 95% of the limit), uploads (goal 1), 429s caused by the bot's own pace
 * (goal 0), elapsed time and peak RSS. The fake runs in a worker thread of its own
 * (bench/_discord-fake.ts), as Discord's servers are not on the bot's event loop.
 * `BENCH_CHANNELS`, `BENCH_RATES` (comma-separated) and `BENCH_LATENCY_MS` change the run.
 */
import { onSqlite } from '../src/store/engine.ts';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { DiscordFakeOptions, FromDiscordFake, ToDiscordFake } from './_discord-fake.ts';
import { makeWorld } from '../tests/helpers/telegram-harness.ts';
import { OutboxStore } from '../src/store/outbox.ts';
import { QuietStore } from '../src/store/quiet.ts';
import { seedEvent } from '../tests/helpers/discord-harness.ts';
import { DiscordNotifier } from '../src/platforms/discord/notifier.ts';
import { notifierRest } from '../src/platforms/discord/client.ts';
import { GlobalBudget } from '../src/platforms/discord/budget.ts';
import { Dispatcher, sendConcurrency } from '../src/alerts/dispatcher.ts';
import { memoryLogger } from '../src/log.ts';

const CHANNELS = Number(process.env.BENCH_CHANNELS ?? 2_000);
const RATES = (process.env.BENCH_RATES ?? '50,500').split(',').map(Number);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 40);

const row = (name: string, value: string, target = '') =>
  process.stdout.write(`${name.padEnd(52)} ${value.padStart(14)}${target ? `   (target ${target})` : ''}\n`);

/** The fake in its thread: `next(type)` waits for its next message of that type. */
async function startFake(options: DiscordFakeOptions) {
  const worker = new Worker(new URL('./_discord-fake.mjs', import.meta.url), { workerData: options });
  const inbox: FromDiscordFake[] = [];
  let wake: (() => void) | undefined;
  worker.on('message', (m: FromDiscordFake) => {
    inbox.push(m);
    wake?.();
  });
  const next = async <T extends FromDiscordFake['type']>(type: T): Promise<Extract<FromDiscordFake, { type: T }>> => {
    for (;;) {
      const i = inbox.findIndex((m) => m.type === type);
      if (i >= 0) return inbox.splice(i, 1)[0] as Extract<FromDiscordFake, { type: T }>;
      await new Promise<void>((r) => (wake = r));
    }
  };
  const started = await next('started');
  const ask = (m: ToDiscordFake) => worker.postMessage(m);
  return {
    api: started.api,
    token: started.token,
    report: async () => {
      ask({ type: 'report' });
      return next('report');
    },
    close: async () => {
      ask({ type: 'close' });
      await next('closed');
      await worker.terminate();
    },
  };
}

for (const rate of RATES) {
  const fake = await startFake({ rateLimit: rate, latencyMs: LATENCY_MS });
  const world = makeWorld();
  try {
    const t0 = performance.now();
    await seedEvent(
      world,
      Array.from({ length: CHANNELS }, (_, i) => ({ platform: 'discord' as const, chatId: String(710_000_000_000_000_000n + BigInt(i)) })),
    );
    const seedMs = performance.now() - t0;
    const dc = { apiBase: fake.api, rate, token: fake.token, applicationId: undefined, alertRoleId: undefined };
    const budget = new GlobalBudget({ rate });
    const rest = notifierRest(dc, fake.token, budget);
    const notifier = new DiscordNotifier({ rest, rate, log: memoryLogger('warn') });
    // As main.ts does (sendConcurrency).
    const concurrency = sendConcurrency([notifier]);
    const dispatcher = new Dispatcher(new OutboxStore(onSqlite(world.db)), world.deps.subs, {
      notifiers: [notifier],
      charts: world.charts,
      concurrency,
      quiet: new QuietStore(onSqlite(world.db)),
    });

    const cpu0 = process.cpuUsage();
    const start = performance.now();
    let rounds = 0;
    while ((await dispatcher.pending()) > 0 && rounds < 50) {
      await dispatcher.drain();
      rounds++;
    }
    const elapsedMs = performance.now() - start;
    const cpu = process.cpuUsage(cpu0);
    const { sends, violations } = await fake.report();
    const first = sends[0]?.at ?? 0;
    const last = sends.at(-1)?.at ?? 0;
    const steady = sends.length > 1 ? (sends.length - 1) / ((last - first) / 1000) : 0;
    process.stdout.write(`\n-- fake global limit ${rate} requests/s, ${LATENCY_MS} ms answer latency\n`);
    row('channels subscribed (seed, one transaction)', `${CHANNELS}`);
    row('seed time', `${seedMs.toFixed(0)} ms`);
    row('messages delivered', `${sends.length}`, `${CHANNELS}`);
    row('elapsed, drain start to last send', `${(elapsedMs / 1000).toFixed(2)} s`, `≈ ${(CHANNELS / rate).toFixed(1)} s`);
    row('achieved rate (whole drain, incl. chart render)', `${(sends.length / (elapsedMs / 1000)).toFixed(1)} req/s`);
    row('achieved rate (first to last send)', `${steady.toFixed(1)} req/s`, `≥ ${(rate * 0.95).toFixed(0)} req/s`);
    row('  = share of the fake limit', `${((steady / rate) * 100).toFixed(1)} %`, '≥ 95 %');
    row('chart uploads (notifier / fake)', `${notifier.uploads} / ${sends.filter((s) => s.files > 0).length}`, '1');
    row("429s caused by the bot's own pace", `${violations}`, '0');
    row('global 429s the budget saw (all causes)', `${budget.globalLimited}`, '0');
    row('requests the budget started (retries included)', `${budget.started}`);
    row('pending after drain', `${await dispatcher.pending()}`, '0');
    row('drain rounds', `${rounds}`);
    row("CPU time during the drain (the bot and the fake's thread)", `${((cpu.user + cpu.system) / 1e6).toFixed(2)} s`);
    row('peak RSS so far (bot and fake in one process)', `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  } finally {
    await fake.close();
    world.cleanup();
  }
}
