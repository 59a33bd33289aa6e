/**
 * The world of the held-close tests (tests/schedule/recheck*.test.ts): the whole app (startApp) on
 * its own folder or PostgreSQL, against the quote fake's flat market, on the test's clock, its market
 * jobs triggered as their cron would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { memoryLogger } from '../../src/log.ts';
import { startApp, type App } from '../../src/main.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { startFlatMarket, weekdays, type QuoteServer, type QuoteServerOptions } from '../fakes/quote-server.ts';
import type { Cleanups } from './app.ts';
import { sourcesAt } from './sources.ts';
import { reusedCharts } from './reused-charts.ts';

export const MIN = 60_000;
/** Monday 2025-03-17, 17:30 in New York (daylight time): the close run. */
export const CLOSE_RUN = Date.parse('2025-03-17T21:30:00Z');
/** SPX at 5200 since 2024 over gold at 2000: SPX/Gold 2.6, above the essay's 2.5. */
export const CRASH = 4160;

export type MemoryLogger = ReturnType<typeof memoryLogger>;

export interface Run {
  readonly app: App;
  readonly log: MemoryLogger;
  readonly out: string[];
  stop(): Promise<void>;
}

/**
 * The app on its own folder (or PostgreSQL), the quote fake's SPX at 5200 and gold at 2000 up to
 * Friday 2025-03-14, its market crons never reached (the test triggers them). `env` adds to the
 * app's (keys, SOURCES_*); `keys` are the ones the fake accepts.
 */
export async function recheckWorld(cleanups: Cleanups, databaseUrl?: string, env: Readonly<Record<string, string>> = {}, keys: QuoteServerOptions = {}) {
  const server = await startFlatMarket('2025-03-14', '2024-01-02', keys);
  cleanups.push(() => server.close());
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-recheck-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const config = loadConfig({
    ...(databaseUrl === undefined ? { DATABASE_PATH: join(dir, 'g.db') } : { DATABASE_URL: databaseUrl }),
    DATA_DIR: dir,
    CHART_WORKERS: '0',
    CHART_WARMUP: 'off',
    BACKFILL_FROM: '2024-01-02',
    ...sourcesAt(server.url),
    HTTP_RETRIES: '0',
    CRON_QUOTES: '0 0 1 1 *',
    CRON_GOLD: '0 0 1 1 *',
    CRON_M2: '0 0 1 1 *',
    ...env,
  });
  const clock = { now: Date.parse('2025-03-15T15:00:00Z') };
  /** `lead`: wait until it leads (on PostgreSQL, elected: not at once); else a standby is as good. */
  const start = async (lead = true): Promise<Run> => {
    const log = memoryLogger('info');
    const out: string[] = [];
    // Each distinct alert chart drawn once in the test worker: these tests read the messages, not the pictures.
    const app = await startApp(config, log, { out: (t) => out.push(t), now: () => clock.now, charts: reusedCharts });
    let stopped = false;
    cleanups.push(() => (stopped ? undefined : app.stop()));
    await app.ready;
    // On PostgreSQL the schedule and the sends are the leader's (elected, not at once), and app.ready
    // does not wait for the leader's start-up sync: the test's clock moves on only after it (m2 its last line).
    if (lead) await led(app, log);
    return {
      app,
      log,
      out,
      stop: async () => {
        stopped = true;
        await app.stop();
      },
    };
  };
  return { server, clock, start };
}

/** The week to Friday 2025-03-21 with Monday 2025-03-17's S&P 500 close at `monday`, the rest at 5200 (Yahoo's `^GSPC`, or another source's symbol). */
export function mondayAt(server: QuoteServer, monday: number, symbol = '^GSPC'): void {
  const days = weekdays('2024-01-02', '2025-03-17');
  server.setSeries(
    symbol,
    days.map((date) => ({ date, value: date === '2025-03-17' ? monday : 5200 })),
  );
  if (symbol !== '^GSPC') return;
  server.setSeries(
    'GC=F',
    days.map((date) => ({ date, value: 2000 })),
  );
  server.setSeries(
    'QQQ',
    days.map((date) => ({ date, value: 400 })),
  );
}

/**
 * Until `app` leads and its start-up sync is over (its "closes m2" line), or `withinMs` have passed:
 * a sync of the whole history since 1999 (credits-world's) is seconds of CPU, on PostgreSQL more
 * than 30 s at load 27.
 */
export async function led(app: App, log: MemoryLogger, withinMs = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!app.leadership.leading() || !log.lines.some((l: string) => / closes m2[: ]/.test(l))) {
    if (Date.now() - t0 > withinMs)
      throw new Error(
        `no lead with its start-up sync over within ${withinMs / 1000} s: leading ${app.leadership.leading()}, ${log.lines.length} lines said, the last: ${log.lines.slice(-3).join(' | ')}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs a job as its tick would; a tick of the real minute running it already is waited for and the job run again. */
export async function trigger(app: App, name: string): Promise<void> {
  for (;;) {
    const r = await app.scheduler.trigger(name, { force: true });
    if (r !== 'skipped-overlap') {
      expect(r).toBe('ran');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The alerts sent of SPX/Gold crossing the essay's 2.5. */
export const alerts = (out: readonly string[]) => out.filter((t) => /2\.5/.test(t) && /SPX/i.test(t));
/** The re-check's lines, as `INFO <message>`. */
export const recheckLines = (log: MemoryLogger) =>
  log.lines.map((l: string) => l.replace(/^\S+ (\w+) +\S+: /, '$1 ')).filter((l: string) => /^INFO .*(re-check|HOLD_CONFIRM_MINUTES after the hold)/.test(l));
/** The stored S&P 500 close of a day. */
export const spxOn = async (app: App, date: string) => (await new QuoteStore(app.store).closes('spx', date, date))[0]?.value;
