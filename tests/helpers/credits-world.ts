/**
 * The world of the keyed sources' plan (tests/market/credits*.test.ts): the whole app (startApp) on
 * its own folder or PostgreSQL, both keys set, against the quote fake holding the history since
 * 1999 of every source, on the test's clock; its jobs triggered at their default crons' minutes as
 * node-cron would, each request the fake records counted against the app's minute it was made in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { memoryLogger } from '../../src/log.ts';
import { startApp, type App } from '../../src/main.ts';
import { nextRunAt } from '../../src/schedule/next-run.ts';
import { monthStarts, startQuoteServer, weekdays, type QuoteServer, type RecordedRequest } from '../fakes/quote-server.ts';
import type { Cleanups } from './app.ts';
import { led, type MemoryLogger } from './recheck-world.ts';
import { sourcesAt } from './sources.ts';

export const TD_KEY = '0123456789abcdef0123456789abcdef';
export const FRED_KEY = 'abcdefabcdefabcdefabcdefabcdefab';
export const MIN = 60_000;
export const NY = 'America/New_York';
/** Monday 2026-12-07, 00:00 in New York: the simulated trading day starts here. */
export const MONDAY = Date.parse('2026-12-07T05:00:00Z');
/** Saturday 2026-12-12, 00:00 in New York. */
export const SATURDAY = Date.parse('2026-12-12T05:00:00Z');

/** Which provider a recorded request went to (the keyed ones only). */
export function keyedSource(r: RecordedRequest): 'twelvedata' | 'fred' | undefined {
  if (r.path === '/time_series' || r.path === '/price') return 'twelvedata';
  if (r.path === '/fred/series/observations') return 'fred';
  return undefined;
}

/** Every source's series since 1999 to `until`, flat: S&P 500 5200, QQQ 400, gold 2000; `gap` left out of the sources it names. */
export function fillHistory(server: QuoteServer, until: string, gap?: { from: string; to: string; symbols: readonly string[] }): void {
  const days = weekdays('1999-01-04', until);
  const set = (symbol: string, value: number) =>
    server.setSeries(
      symbol,
      days.filter((d) => gap === undefined || !gap.symbols.includes(symbol) || d < gap.from || d > gap.to).map((date) => ({ date, value })),
    );
  set('^GSPC', 5200);
  set('SPX', 5200);
  set('SP500', 5200);
  set('QQQ', 400);
  set('GC=F', 2000);
  set('gold_pm', 2000);
  set('XAU/USD', 2000);
  server.setSeries(
    'M2SL',
    monthStarts('1999-01-01', `${until.slice(0, 7)}-01`).map((date, i) => ({ date, value: 4000 + i * 50 })),
  );
}

/** The jobs that fetch, at their default crons (the world's app has them at never, the test runs them). */
const DEFAULT_CRONS = loadConfig({}).cron;
export const FETCHING_JOBS = [
  { name: 'quotes', cron: DEFAULT_CRONS.quotes, timezone: NY },
  { name: 'gold', cron: DEFAULT_CRONS.gold, timezone: NY },
  { name: 'close', cron: DEFAULT_CRONS.close, timezone: NY },
  { name: 'm2', cron: DEFAULT_CRONS.m2, timezone: NY },
  { name: 'recheck', cron: '* * * * *', timezone: 'UTC' },
] as const;

export interface Spent {
  readonly total: Record<'twelvedata' | 'fred', number>;
  /** The most requests of each in one minute of the app's clock. */
  readonly perMinute: Record<'twelvedata' | 'fred', number>;
  /** Twelve Data's requests per UTC day (its plan's day), by date. */
  readonly twelveDataByDay: Record<string, number>;
  /** Each job's count of Twelve Data requests. */
  readonly byJob: Record<string, number>;
}

export interface CreditsWorld {
  readonly server: QuoteServer;
  readonly clock: { now: number };
  readonly app: App;
  readonly log: MemoryLogger;
  /** Requests the start-up sync made. */
  readonly startUp: Spent;
  /** Runs every fetching job at each of its cron minutes in [fromMs, toMs), as the scheduler would (calendar gates too). */
  runDay(fromMs: number, toMs: number): Promise<Spent>;
  /** Runs one job now (force: past its calendar gate) and counts what it asked. */
  run(name: string): Promise<Spent>;
}

const zero = (): Record<'twelvedata' | 'fred', number> => ({ twelvedata: 0, fred: 0 });

function tally(requests: readonly RecordedRequest[], into: Map<number, Record<'twelvedata' | 'fred', number>>, minute: number): number {
  let td = 0;
  for (const r of requests) {
    const s = keyedSource(r);
    if (s === undefined) continue;
    const m = into.get(minute) ?? zero();
    m[s]++;
    into.set(minute, m);
    if (s === 'twelvedata') td++;
  }
  return td;
}

function spentOf(minutes: Map<number, Record<'twelvedata' | 'fred', number>>, byJob: Record<string, number>): Spent {
  const total = zero();
  const perMinute = zero();
  const twelveDataByDay: Record<string, number> = {};
  for (const [minute, m] of minutes) {
    const day = new Date(minute * MIN).toISOString().slice(0, 10);
    if (m.twelvedata > 0) twelveDataByDay[day] = (twelveDataByDay[day] ?? 0) + m.twelvedata;
    for (const k of ['twelvedata', 'fred'] as const) {
      total[k] += m[k];
      perMinute[k] = Math.max(perMinute[k], m[k]);
    }
  }
  return { total, perMinute, twelveDataByDay, byJob };
}

/**
 * The app on its own folder (or PostgreSQL) at `startMs`, its start-up sync over. `env` adds to its
 * variables; `prepare` sets the fake's series and faults before the start.
 */
export async function creditsWorld(
  cleanups: Cleanups,
  opts: { databaseUrl?: string | undefined; startMs: number; env?: Readonly<Record<string, string>>; prepare: (server: QuoteServer) => void },
): Promise<CreditsWorld> {
  const server = await startQuoteServer({ twelveDataApiKey: TD_KEY, fredApiKey: FRED_KEY });
  cleanups.push(() => server.close());
  opts.prepare(server);
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-credits-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const config = loadConfig({
    ...(opts.databaseUrl === undefined ? { DATABASE_PATH: join(dir, 'g.db') } : { DATABASE_URL: opts.databaseUrl }),
    DATA_DIR: dir,
    CHART_WORKERS: '0',
    CHART_WARMUP: 'off',
    ...sourcesAt(server.url),
    TWELVEDATA_API_KEY: TD_KEY,
    FRED_API_KEY: FRED_KEY,
    // A request lost on a kept-alive socket the fake closed (a loaded machine) is retried, as in production, not failed over.
    HTTP_RETRIES: '2',
    HTTP_BACKOFF_MS: '0',
    CRON_QUOTES: '0 0 1 1 *',
    CRON_GOLD: '0 0 1 1 *',
    CRON_CLOSE: '0 0 1 1 *',
    CRON_M2: '0 0 1 1 *',
    ...opts.env,
  });
  const clock = { now: opts.startMs };
  const log = memoryLogger('info');
  const before = server.requests.length;
  const app = await startApp(config, log, { out: () => undefined, now: () => clock.now });
  cleanups.push(() => app.stop());
  await app.ready;
  // The start-up sync of every series since 1999 (and each of a gap's days said): a few seconds of
  // CPU, past 30 s of wall on PostgreSQL at load 27; the tests' own bounds (credits-day's) allow for it.
  await led(app, log, 150_000);
  const startMinutes = new Map<number, Record<'twelvedata' | 'fred', number>>();
  const startTd = tally(server.requests.slice(before), startMinutes, Math.floor(opts.startMs / MIN));
  const once = async (name: string, at: number, minutes: Map<number, Record<'twelvedata' | 'fred', number>>, force: boolean): Promise<number> => {
    for (;;) {
      const from = server.requests.length;
      const r = await app.scheduler.trigger(name, { now: new Date(at), force });
      if (r === 'skipped-overlap') {
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      return tally(server.requests.slice(from), minutes, Math.floor(at / MIN));
    }
  };
  return {
    server,
    clock,
    app,
    log,
    startUp: spentOf(startMinutes, { startUp: startTd }),
    async runDay(fromMs, toMs) {
      const due: { at: number; name: string }[] = [];
      for (const job of FETCHING_JOBS) {
        for (let t = nextRunAt(job, fromMs - 1); t !== undefined && t < toMs; t = nextRunAt(job, t)) due.push({ at: t, name: job.name });
      }
      // The order node-cron fires one minute's jobs in is its own; the recheck after the close, as it runs at the close's minute in the world.
      due.sort((a, b) => a.at - b.at);
      const minutes = new Map<number, Record<'twelvedata' | 'fred', number>>();
      const byJob: Record<string, number> = {};
      for (const { at, name } of due) {
        clock.now = at;
        byJob[name] = (byJob[name] ?? 0) + (await once(name, at, minutes, false));
      }
      return spentOf(minutes, byJob);
    },
    async run(name) {
      const minutes = new Map<number, Record<'twelvedata' | 'fred', number>>();
      const td = await once(name, clock.now, minutes, true);
      return spentOf(minutes, { [name]: td });
    },
  };
}
