/**
 * Issue 17's Discord commands over HTTP: signed interactions POSTed to the bot's Interactions
 * Endpoint by the fake Discord, first on a quiet bot, then during a broadcast at the whole global
 * limit (50 requests/s, 40 ms answer latency). Prints how long Discord waits for the HTTP answer
 * (goal: well under its 3 s), how long until a chart is edited in, and the broadcast's rate and
 * 429s: interaction responses pass beside the global budget, so they neither wait for the
 * broadcast nor slow it. `BENCH_CHANNELS` and `BENCH_COMMANDS` change the run.
 */
import { performance } from 'node:perf_hooks';
import { onSqlite } from '../src/store/engine.ts';
import { FakeDiscord, slashInteraction } from '../tests/fakes/discord.ts';
import { makeWorld } from '../tests/helpers/telegram-harness.ts';
import { discordEnv, makeDiscord, seedEvent } from '../tests/helpers/discord-harness.ts';
import { OutboxStore } from '../src/store/outbox.ts';
import { QuietStore } from '../src/store/quiet.ts';
import { DiscordStore } from '../src/store/discord.ts';
import { Dispatcher } from '../src/alerts/dispatcher.ts';
import { INTERACTIONS_PATH } from '../src/platforms/discord/interactions-endpoint.ts';

const CHANNELS = Number(process.env.BENCH_CHANNELS ?? 500);
const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 60);
const RATE = 50;

const row = (name: string, value: string, target = '') =>
  process.stdout.write(`${name.padEnd(52)} ${value.padStart(14)}${target ? `   (target ${target})` : ''}\n`);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? 0;

const fake = await FakeDiscord.start({ rateLimit: RATE, latencyMs: 40 });
const world = makeWorld();
const bot = makeDiscord(world, discordEnv(fake, { DISCORD_PUBLIC_KEY: fake.publicKey, DISCORD_RATE: String(RATE) }), { interactionsPort: 0 });
try {
  await bot.start();
  await bot.ready();
  const url = `http://127.0.0.1:${bot.endpointPort()}${INTERACTIONS_PATH}`;

  /** COMMANDS commands, one every 100 ms, alternating /help (answered in the HTTP answer) and /ratio (deferred, chart edited in). */
  async function commands(): Promise<{ answer: number[]; chart: number[] }> {
    const answer: number[] = [];
    const chart: number[] = [];
    await Promise.all(
      Array.from({ length: COMMANDS }, async (_, n) => {
        await new Promise((r) => setTimeout(r, n * 100));
        const name = n % 2 === 0 ? 'help' : 'ratio';
        const t0 = performance.now();
        const res = await fake.postInteraction(url, slashInteraction({ name, userId: String(600000000000100000n + BigInt(n)) }));
        answer.push(res.ms);
        if (name === 'ratio') {
          await fake.waitFor('PATCH', new RegExp(`/${res.token}/messages/@original$`), 1, 30_000);
          chart.push(performance.now() - t0);
        }
      }),
    );
    return { answer, chart };
  }

  const quiet = await commands();
  process.stdout.write(`\n-- ${COMMANDS} commands on a quiet bot (half /help, half /ratio)\n`);
  row(
    'HTTP answer, p50 / p95 / max',
    `${pct(quiet.answer, 50).toFixed(0)} / ${pct(quiet.answer, 95).toFixed(0)} / ${pct(quiet.answer, 100).toFixed(0)} ms`,
    '< 3000 ms',
  );
  row('/ratio: POST to chart edited in, p50 / p95', `${pct(quiet.chart, 50).toFixed(0)} / ${pct(quiet.chart, 95).toFixed(0)} ms`);

  const channels = Array.from({ length: CHANNELS }, (_, i) => String(720_000_000_000_000_000n + BigInt(i)));
  await seedEvent(
    world,
    channels.map((chatId) => ({ platform: 'discord' as const, chatId })),
  );
  // Text channels, as /subscribe records them: no look-up of the channel's type per send.
  const store = new DiscordStore(onSqlite(world.db));
  for (const id of channels) await store.setChannel(id, { guildId: '800000000000000001', type: 0 });
  const dispatcher = new Dispatcher(new OutboxStore(onSqlite(world.db)), world.deps.subs, {
    notifiers: [bot.notifier],
    charts: world.charts,
    concurrency: 8,
    quiet: new QuietStore(onSqlite(world.db)),
  });
  const before = fake.requests.length;
  const started = performance.now();
  const broadcast = (async () => {
    for (let i = 0; i < 50 && (await dispatcher.pending()) > 0; i++) await dispatcher.drain();
  })();
  await new Promise((r) => setTimeout(r, 1000));
  const busy = await commands();
  await broadcast;
  const elapsed = (performance.now() - started) / 1000;
  const sends = fake.calls('POST', /^\/channels\/\d+\/messages$/).filter((r) => r.status === 200);
  const steady = sends.length > 1 ? (sends.length - 1) / ((sends.at(-1)!.at - sends[0]!.at) / 1000) : 0;
  process.stdout.write(`\n-- the same ${COMMANDS} commands during a broadcast to ${CHANNELS} channels at the fake's limit of ${RATE}/s\n`);
  row(
    'HTTP answer, p50 / p95 / max',
    `${pct(busy.answer, 50).toFixed(0)} / ${pct(busy.answer, 95).toFixed(0)} / ${pct(busy.answer, 100).toFixed(0)} ms`,
    '< 3000 ms',
  );
  row('/ratio: POST to chart edited in, p50 / p95', `${pct(busy.chart, 50).toFixed(0)} / ${pct(busy.chart, 95).toFixed(0)} ms`);
  row('broadcast delivered', `${sends.length}`, `${CHANNELS}`);
  row('broadcast rate (first to last send)', `${steady.toFixed(1)} req/s`, `≥ ${(RATE * 0.95).toFixed(1)} req/s`);
  row('broadcast elapsed', `${elapsed.toFixed(1)} s`);
  row('429s from the fake during the broadcast', `${fake.requests.slice(before).filter((r) => r.status === 429).length}`, '0');
  row('interaction responses passed uncharged', `${bot.budget.interactionResponses}`);
  row('requests the budget charged', `${bot.budget.started}`);
} finally {
  await bot.stop();
  await fake.close();
  world.cleanup();
}
