/**
 * What a kubelet's readiness probe sees while `goldratio start` stops on SIGTERM: the real bin as a
 * process (SQLite, the Telegram and quote fakes), /readyz asked over and over until the port closes.
 * Without STOP_DRAIN_SECONDS the stop takes milliseconds, so a probe every 10 s meets the port
 * closed; with it, /readyz is 503 "goldratio: shutting down" for that long while commands are
 * still answered, then the port closes.
 */
import { afterEach, expect, test } from 'vitest';
import { startFlatMarket } from '../fakes/quote-server.ts';
import { FakeTelegram } from '../fakes/telegram.ts';
import type { Child } from '../helpers/process.ts';
import { startBin } from '../helpers/start-bin.ts';
import { until } from '../helpers/replicas.ts';
import { opsPortOf } from '../helpers/ops-port.ts';
import { sourcesAt } from '../helpers/sources.ts';

// A step of the bot's start is bounded by 90 s, a test by 240 s: well under a second of CPU each alone,
// but at load 27 on 2 cores (busy loops beside four other files) a start said its first line after
// 30 s. Each wait is on what the bot says or answers; the bound only names the step that never came.

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The bot started as `npm start` runs it, ready; `readyz()` is what a probe reads now, in one line. */
async function startedBot(env: Record<string, string>): Promise<{ bot: Child; tg: FakeTelegram; readyz: () => Promise<string> }> {
  const server = await startFlatMarket('2025-03-14');
  cleanups.push(() => server.close());
  const tg = await FakeTelegram.start();
  cleanups.push(() => tg.close());
  const bot = startBin((f) => cleanups.push(f), {
    BACKFILL_FROM: '2024-01-02',
    ...sourcesAt(server.url),
    HTTP_RETRIES: '0',
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    LOG_FORMAT: 'pretty',
    LOG_LEVEL: 'info',
    ...env,
  });
  const port = await opsPortOf(bot, 90_000);
  const readyz = async () => {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(5000) });
      // The warnings (the fake's closes end in March 2025: stale by the real clock) are not what a probe reads.
      const lines = (await r.text()).trim().split('\n');
      return `${r.status} ${lines.filter((l) => !l.startsWith('warning: ')).join(' | ')}`;
    } catch {
      // Refused (the port closed), or a connection the closing server did not keep: no answer either way.
      return 'no answer';
    }
  };
  // Receiving, leading, and done with its first sync: what runs is what a probe then sees.
  await bot.waitFor(/receiving updates \(long polling\)/, 90_000);
  await bot.waitFor(/closes m2: /, 90_000);
  await until('ready', async () => ((await readyz()) === '200 ready (leader)' ? true : undefined), 90_000);
  return { bot, tg, readyz };
}

/** What the probe reads from now until the process has exited, each change once, in order. */
async function probeUntilExit(bot: Child, readyz: () => Promise<string>): Promise<string[]> {
  const seen: string[] = [];
  let exited = false;
  void bot.exited.then(() => (exited = true));
  for (;;) {
    // The status and the first reason: what keeps it out of service (the platforms' own lines, as
    // each stops in the last milliseconds, are beside the point here).
    const now = (await readyz()).split(' | ').slice(0, 2).join(' | ');
    if (seen.at(-1) !== now) seen.push(now);
    if (exited) return seen;
  }
}

test('GIVEN STOP_DRAIN_SECONDS WHEN SIGTERM THEN /readyz is 503 "goldratio: shutting down" that long, then the port closes: in that order, never ready again', async () => {
  const { bot, readyz } = await startedBot({ STOP_DRAIN_SECONDS: '1' });
  const probing = probeUntilExit(bot, readyz);
  bot.child.kill('SIGTERM');
  const seen = await probing;
  // The first probe may already be answered 503: the signal is heard at once.
  expect(seen).toEqual(['200 ready (leader)', '503 not ready (leader) | goldratio: shutting down', 'no answer'].slice(seen[0]?.startsWith('200') ? 0 : 1));
  expect((await bot.exited).code).toBe(0);
  const said = bot.stderr();
  expect(said.indexOf('SIGTERM received: stopping')).toBeLessThan(said.indexOf('still serving for 1 s (STOP_DRAIN_SECONDS)'));
  expect(said.indexOf('still serving for 1 s')).toBeLessThan(said.indexOf('INFO: goldratio: stopped'));
}, 240_000);

test('GIVEN a long STOP_DRAIN_SECONDS WHEN SIGTERM THEN commands are still answered while /readyz is 503, and a second SIGTERM stops it then, cleanly', async () => {
  const { bot, tg, readyz } = await startedBot({ STOP_DRAIN_SECONDS: '300' });
  bot.child.kill('SIGTERM');
  await bot.waitFor(/still serving for 300 s/, 90_000);
  expect(await readyz()).toBe('503 not ready (leader) | goldratio: shutting down');
  // Out of the Service, and still answering what reaches it meanwhile.
  tg.textMessage(4242, '/help');
  await tg.waitFor((c) => c.method === 'sendMessage' && c.chatId === '4242', 90_000);
  expect(await readyz()).toBe('503 not ready (leader) | goldratio: shutting down');
  bot.child.kill('SIGTERM');
  expect(await bot.exited).toEqual({ code: 0, signal: null });
  expect(bot.stderr()).toMatch(/INFO: goldratio: stopped/);
}, 240_000);
