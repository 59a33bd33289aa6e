/**
 * The app as `npm start` runs it (startApp, HTTP_PORT=0) in a folder of its own, against the quote
 * fake's flat market up to Friday 2025-03-14 and, when asked, the Telegram fake: no retries, no
 * render worker (the pool has its own tests: tests/charts/pool.test.ts, tests/main.test.ts), no
 * charts rendered ahead unless asked (BootOptions.chartWarmUp).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { memoryLogger, type Logger } from '../../src/log.ts';
import { startApp, type App } from '../../src/main.ts';
import { startFlatMarket, type QuoteServer } from '../fakes/quote-server.ts';
import { FakeTelegram } from '../fakes/telegram.ts';
import { sourcesAt } from './sources.ts';

/** What a test file stops after each test, in reverse: `afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); })`. */
export type Cleanups = (() => Promise<void> | void)[];

/**
 * An app run by the test's clock alone: every quote source unreachable (the test stores the closes
 * itself) and the market jobs set to once a year, 1 January at midnight, which no test reaches.
 */
export const CLOCK_DRIVEN_ENV: Readonly<Record<string, string>> = {
  ...sourcesAt(),
  CRON_QUOTES: '0 0 1 1 *',
  CRON_GOLD: '0 0 1 1 *',
  CRON_CLOSE: '0 0 1 1 *',
  CRON_M2: '0 0 1 1 *',
};

/** A Saturday: closes up to Friday are fresh, the market is shut (no live-quote rule). */
export const SATURDAY = Date.parse('2025-03-15T15:00:00Z');

export interface BootOptions {
  /** The app's clock (SATURDAY unless told). */
  readonly now?: number;
  /** Where it logs (a warn-level memory log unless told). */
  readonly log?: Logger;
  /** PostgreSQL instead of the folder's SQLite file (g.db). */
  readonly databaseUrl?: string;
  /**
   * The charts rendered ahead after the first sync (CHART_WARMUP=on, npm start's default): off unless
   * told. On, each start drew up to 72 charts in the background (the 24 that commands ask
   * for most, in each language) beside what the test asks; tests/charts/warmup.test.ts has the warm-up's tests.
   */
  readonly chartWarmUp?: boolean;
}

export interface BootedApp {
  readonly app: App;
  /** The ops server's root, `http://127.0.0.1:<port>`. */
  readonly base: string;
  readonly server: QuoteServer;
  readonly dir: string;
  /** The SQLite file (DATABASE_PATH), when on SQLite. */
  readonly path: string;
}

/** Starts the flat market, the Telegram fake (`telegram: true`) and the app, each stopped by `cleanups`. */
export async function bootApp(cleanups: Cleanups, o: BootOptions & { readonly telegram: true }): Promise<BootedApp & { readonly tg: FakeTelegram }>;
export async function bootApp(cleanups: Cleanups, o?: BootOptions): Promise<BootedApp>;
export async function bootApp(cleanups: Cleanups, o: BootOptions & { readonly telegram?: boolean } = {}): Promise<BootedApp & { readonly tg?: FakeTelegram }> {
  const server = await startFlatMarket('2025-03-14');
  cleanups.push(() => server.close());
  const tg = o.telegram === true ? await FakeTelegram.start() : undefined;
  if (tg !== undefined) cleanups.push(() => tg.close());
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-app-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'g.db');
  const config = loadConfig({
    ...(o.databaseUrl === undefined ? { DATABASE_PATH: path } : { DATABASE_URL: o.databaseUrl }),
    DATA_DIR: dir,
    // No render worker (~0.8 s of CPU to start).
    CHART_WORKERS: '0',
    CHART_WARMUP: o.chartWarmUp === true ? 'on' : 'off',
    BACKFILL_FROM: '2024-01-02',
    ...sourcesAt(server.url),
    HTTP_RETRIES: '0',
    HTTP_PORT: '0',
    ...(tg ? { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot } : {}),
  });
  const now = o.now ?? SATURDAY;
  const app = await startApp(config, o.log ?? memoryLogger('warn'), { out: () => {}, now: () => now });
  cleanups.push(() => app.stop());
  await app.ready;
  expect(app.ops).toBeDefined();
  return { app, base: `http://127.0.0.1:${app.ops!.port}`, server, dir, path, ...(tg ? { tg } : {}) };
}
