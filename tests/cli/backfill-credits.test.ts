/**
 * `goldratio backfill` (the bin, a real process) against the quote fake with Yahoo's S&P 500 down and
 * a Twelve Data key: its history since 1999 takes three 5,000-day windows. A minute's credits spent
 * is waited for, said once, and Ctrl-C ends that wait at once keeping the window fetched; the day's
 * spent ends the run with one line naming the source, its budget variable and when it renews, exit 1,
 * the windows fetched stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test, type TestContext } from 'vitest';
import { goldShutDay } from '../../src/domain/close-calendar.ts';
import { isTradingDay } from '../../src/domain/nyse-calendar.ts';
import { monthStarts, startQuoteServer, walk, weekdays, type QuoteServer } from '../fakes/quote-server.ts';
import { runCliInProcess as cli } from '../helpers/cli.ts';
import { spawnBin, type Child } from '../helpers/process.ts';
import { sourcesAt } from '../helpers/sources.ts';

const TD_KEY = '0123456789abcdef0123456789abcdef';
let server: QuoteServer;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startQuoteServer({ twelveDataApiKey: TD_KEY });
  const days = weekdays('1999-03-10', '2026-12-04');
  server.setSeries('SPX', walk(days.filter(isTradingDay), 1300, 1));
  const early = weekdays('1999-03-10', '2001-12-31');
  server.setSeries('QQQ', walk(early.filter(isTradingDay), 51, 2));
  server.setSeries(
    'GC=F',
    walk(
      early.filter((d) => goldShutDay(d) === undefined),
      290,
      3,
    ),
  );
  server.setSeries('M2SL', walk(monthStarts('1999-01-01', '2001-12-01'), 4400, 4));
  dir = mkdtempSync(join(tmpdir(), 'goldratio-backfill-credits-'));
  env = {
    ...sourcesAt(server.url),
    HTTP_RETRIES: '0',
    HTTP_BACKOFF_MS: '1',
    TWELVEDATA_API_KEY: TD_KEY,
    SOURCES_SPX: 'yahoo,twelvedata',
    LOG_FORMAT: 'pretty',
  };
}, 120_000);
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  server.clearFaults();
  server.requests.length = 0;
  server.fault('/v8/finance/chart/^GSPC', { kind: 'status', status: 503 });
});

/** The child is killed when its test ends, however it ends: nothing of it outlives the test. */
function spawnForTest(ctx: TestContext, args: readonly string[], e: Record<string, string>): Child {
  const c = spawnBin(args, e);
  ctx.onTestFinished(() => {
    if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  });
  return c;
}

describe('goldratio backfill and the credits of a keyed source', () => {
  test("GIVEN 1 credit a minute WHEN Ctrl-C arrives during the minute's wait THEN it stops at once, the first window stored, exit 130", {
    timeout: 180_000,
  }, async (ctx) => {
    const db = join(dir, 'minute.db');
    const c = spawnForTest(ctx, ['backfill'], { ...env, DATABASE_PATH: db, TWELVEDATA_CREDITS_PER_MINUTE: '1' });
    // A bin start on a loaded machine: the bound is for a child that stalls, not a pace.
    await c.waitFor(
      /twelvedata waits \d+ s, until \d\d:\d\d:\d\d UTC, before asking for SPX: its 1 credit of the minute is spent \(TWELVEDATA_CREDITS_PER_MINUTE\); Ctrl-C stops it/,
      150_000,
    );
    const until = /until (\d\d:\d\d:\d\d) UTC, before asking/.exec(c.stderr())![1]!;
    c.child.kill('SIGINT');
    const { code } = await c.exited;
    expect(code).toBe(130);
    // Ended by the signal, not by the wait running out (almost a minute after the line).
    const untilMs = Date.parse(`${new Date().toISOString().slice(0, 10)}T${until}Z`);
    expect(Date.now()).toBeLessThan(untilMs < Date.now() - 12 * 3_600_000 ? untilMs + 86_400_000 : untilMs);
    expect(server.requestsTo('/time_series')).toHaveLength(1);
    expect(c.stderr().match(/twelvedata waits/g)).toHaveLength(1);
    expect(c.stderr().trim().split('\n').at(-1)).toMatch(
      /^goldratio backfill: stopped by SIGINT: spx stored in part \(\d+ new, 0 updated\); the rest of spx, qqq, gold, m2 not fetched; run goldratio backfill again to fetch what is missing$/,
    );
    const status = await cli(['status', '--json'], { ...env, DATABASE_PATH: db });
    const spx = (JSON.parse(status.stdout) as { instruments: { instrument: string; rows: number }[] }).instruments.find((i) => i.instrument === 'spx');
    expect(spx?.rows).toBeGreaterThan(3000);
  });

  test('GIVEN 1 credit a day THEN the first window is stored, one line names twelvedata, TWELVEDATA_CREDITS_PER_DAY and when it renews, exit 1', {
    timeout: 180_000,
  }, async () => {
    const r = await cli(['backfill'], { ...env, DATABASE_PATH: join(dir, 'day.db'), TWELVEDATA_CREDITS_PER_DAY: '1' });
    expect(r.code).toBe(1);
    expect(server.requestsTo('/time_series')).toHaveLength(1);
    expect(r.stdout).toMatch(/^spx\s+1999-03-10\.\.\S+ from twelvedata: \d+ new, 0 updated, then FAILED: .*its 1999-03-10\.\.2012-11-15 fetched before, kept/m);
    expect(r.stdout).toMatch(/^qqq\s+.* from yahoo/m);
    expect(r.stderr).toMatch(
      /^goldratio backfill: twelvedata not asked until its credits renew at \d{4}-\d\d-\d\d 00:00 UTC: its 1 credit of the day is spent \(TWELVEDATA_CREDITS_PER_DAY\); what was fetched is stored, run goldratio backfill again then for the rest$/m,
    );
  });
});
