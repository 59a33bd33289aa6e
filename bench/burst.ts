/**
 * Issue 11's figure: 200 users send a command at the same moment to the bot started as `npm start`
 * starts it (startApp from src/main.ts) against the quote and Telegram fakes (long polling). A third
 * of them ask for charts not rendered yet (21 distinct /chart subjects × ranges); the rest ask for
 * /ratio (its chart already rendered by a warm-up), /levels or /status. Latency = from the moment
 * the update is queued at the fake to the moment the fake receives the answer.
 * Prints p50, p95 and max (goal: p95 < 500 ms on 2 cores). BENCH_USERS and CHART_WORKERS change it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { startApp } from '../src/main.ts';
import { monthStarts, startQuoteServer, weekdays } from '../tests/fakes/quote-server.ts';
import { FakeTelegram, type RecordedCall } from '../tests/fakes/telegram.ts';

const USERS = Number(process.env.BENCH_USERS ?? 200);
const today = new Date().toISOString().slice(0, 10);
const quotes = await startQuoteServer();
const days = weekdays('2014-01-02', today);
quotes.setSeries('^GSPC', days.map((date, i) => ({ date, value: 2000 + i * 1.2 + 80 * Math.sin(i / 30) })));
quotes.setSeries('QQQ', days.map((date, i) => ({ date, value: 90 + i * 0.15 + 8 * Math.sin(i / 25) })));
quotes.setSeries('GC=F', days.map((date, i) => ({ date, value: 1200 + i * 0.6 + 50 * Math.cos(i / 40) })));
quotes.setSeries('M2SL', monthStarts('2013-12-01', today).map((date, i) => ({ date, value: 11_000 + i * 60 })));
const tg = await FakeTelegram.start();
const dir = mkdtempSync(join(tmpdir(), 'goldratio-burst-'));

const env: Record<string, string> = {
  DATABASE_PATH: join(dir, 'g.db'), DATA_DIR: dir, BACKFILL_FROM: '2014-01-02',
  YAHOO_BASE_URL: quotes.url, FRED_BASE_URL: quotes.url, LBMA_BASE_URL: quotes.url, HTTP_RETRIES: '0',
  TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot,
};
if (process.env.CHART_WORKERS !== undefined) env.CHART_WORKERS = process.env.CHART_WORKERS;
const config = loadConfig(env);
const app = await startApp(config, createLogger('error'), { out: () => {} });
try {
  await app.ready;
  const user = (id: number) => ({ id, first_name: `u${id}`, username: `u${id}`, language_code: id % 2 === 0 ? 'en' : 'zh-TW' });
  // First answer per chat, collected as calls arrive (cheap: waitFor runs the predicate on every call).
  const firstAnswer = new Map<number, RecordedCall>();
  const note = (c: RecordedCall): void => {
    if ((c.method === 'sendMessage' || c.method === 'sendPhoto') && c.status === 200 && !firstAnswer.has(Number(c.chatId))) firstAnswer.set(Number(c.chatId), c);
  };
  const answered = (chatId: number) => firstAnswer.get(chatId);

  // Warm-up: the /ratio chart and the code paths, by one user who is not measured.
  tg.textMessage(99, '/ratio', user(99));
  await tg.waitFor((c) => {
    note(c);
    return answered(99) !== undefined;
  }, 60_000);

  const targets = ['spx', 'qqq', 'power'];
  const ranges = ['1M', '3M', '6M', '1Y', '5Y', '10Y', 'MAX'];
  const others = ['/ratio', '/levels', '/status'];
  const commands = Array.from({ length: USERS }, (_, i) => {
    if (i % 3 === 0) {
      const k = i / 3;
      return `/chart ${targets[k % 3]} ${ranges[Math.floor(k / 3) % 7]}`;
    }
    return others[i % others.length]!;
  });
  const first = 1000;
  const sentAt = new Map<number, number>();
  for (const [i, text] of commands.entries()) {
    const chatId = first + i;
    sentAt.set(chatId, Date.now());
    tg.textMessage(chatId, text, user(chatId));
  }
  const t0 = performance.now();
  let waiting = USERS;
  await tg.waitFor((c) => {
    const had = firstAnswer.has(Number(c.chatId));
    note(c);
    if (!had && firstAnswer.has(Number(c.chatId)) && Number(c.chatId) >= first) waiting--;
    return waiting === 0;
  }, 120_000);
  const wall = performance.now() - t0;

  const lat = commands.map((_, i) => answered(first + i)!.at - sentAt.get(first + i)!).sort((a, b) => a - b);
  const pct = (p: number) => lat[Math.min(lat.length - 1, Math.ceil((p / 100) * lat.length) - 1)]!;
  const chartLat = commands.flatMap((c, i) => (c.startsWith('/chart') ? [answered(first + i)!.at - sentAt.get(first + i)!] : [])).sort((a, b) => a - b);
  const textLat = commands.flatMap((c, i) => (c === '/levels' || c === '/status' ? [answered(first + i)!.at - sentAt.get(first + i)!] : [])).sort((a, b) => a - b);
  const row = (name: string, value: string, target = '') => process.stdout.write(`${name.padEnd(48)} ${value.padStart(12)}${target ? `   (target ${target})` : ''}\n`);
  row('machine: cores, load average (1 min)', `${availableParallelism()}, ${loadavg()[0]!.toFixed(1)}`);
  row('users at once', `${USERS}`);
  row('chart workers', `${config.chartWorkers ?? 'default'}`);
  row('distinct new charts asked', `${new Set(commands.filter((c) => c.startsWith('/chart'))).size}`);
  row('latency p50, update to answer', `${pct(50)} ms`);
  row('latency p95', `${pct(95)} ms`, '< 500 ms');
  row('latency max', `${lat.at(-1)} ms`);
  row('  text commands (/levels, /status) p95', `${textLat[Math.ceil(0.95 * textLat.length) - 1]} ms`);
  row('  new charts p95', `${chartLat[Math.ceil(0.95 * chartLat.length) - 1]} ms`);
  row('wall time for the burst', `${wall.toFixed(0)} ms`);
} finally {
  await app.stop();
  await tg.close();
  await quotes.close();
  rmSync(dir, { recursive: true, force: true });
}
