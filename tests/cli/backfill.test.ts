/** `goldratio backfill` as a user runs it (in this process, through the bin's `main`), against the local quote fake. */
import { afterAll, beforeAll, describe, expect, test, type TestContext } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliInProcess as cli, startHistoryMarket } from '../helpers/cli.ts';
import { type Child, spawnBin } from '../helpers/process.ts';
import { monthStarts, quoteServerEnv, startQuoteServer, walk, weekdays, type QuoteServer } from '../fakes/quote-server.ts';
import { sourcesAt } from '../helpers/sources.ts';
import { syncReportText } from '../../src/cli/backfill.ts';
import { filledText } from '../../src/market/sync-closes.ts';

let server: QuoteServer;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  const market = await startHistoryMarket();
  server = market.server;
  dir = mkdtempSync(join(tmpdir(), 'goldratio-backfill-'));
  env = { DATABASE_PATH: join(dir, 'b.db'), ...market.env };
  // ~25 ms of CPU (the market is generated), yet 37.7 s niced 19 beside four busy loops on 2 cores
  // (docs/ci.md, fifteenth session): past the default 30 s, which skipped every test of the file.
}, 120_000);

/**
 * How long a child may take to reach the request a test waits for: its start and spx's history
 * (fetched and stored, about a bin start's worth of work more) take 1-2 s on an idle machine, and
 * a child that fails exits, which ends the wait at once (reached). The bound is for a child that
 * stalls: wide enough that a loaded machine's pace makes the wait longer, not the test red (a bin
 * start niced 19 beside four busy loops on 2 cores did not end within 120 s); the test's own
 * timeout (TIMEOUT) is beyond it. No bin start is timed first to scale it: that start was the
 * file's whole beforeAll, and under such a load it alone ran past the hook's 120 s.
 */
const REACH_MS = 120_000;
/** Each spawning test's timeout: the wait above, and the run after the signal (a few bin starts). */
const TIMEOUT = REACH_MS + 60_000;

/**
 * Resolves once `happened()` holds. Rejects at once when the child exits first (with what it said),
 * when the wait exceeds REACH_MS, or when the test ends (its timeout aborts `signal`): the
 * loop never outlives its test, so it cannot signal a child of the next one.
 */
async function reached(what: string, happened: () => boolean, c: Child, signal: AbortSignal): Promise<void> {
  const t0 = performance.now();
  while (!happened()) {
    if (signal.aborted) throw new Error(`the test ended before ${what}`);
    if (c.child.exitCode !== null || c.child.signalCode !== null)
      throw new Error(`the child exited (${c.child.exitCode ?? c.child.signalCode}) before ${what}: ${c.stderr().slice(-1500)}`);
    if (performance.now() - t0 > REACH_MS) throw new Error(`not ${what} within ${REACH_MS} ms: ${c.stderr().slice(-1500)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The child is killed when its test ends, however it ends (a timeout too): nothing of it outlives the test. */
function spawnForTest(ctx: TestContext, args: readonly string[], e: Record<string, string>): Child {
  const c = spawnBin(args, e);
  ctx.onTestFinished(() => {
    if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  });
  return c;
}
/**
 * A quote fake whose history starts late: the indices, Yahoo's gold and M2 from 2024 (LBMA's gold too,
 * unless `lbma` is false), and a folder for the test's database; both gone when the test ends.
 */
async function lateMarket(ctx: TestContext, { lbma = true } = {}): Promise<{ late: QuoteServer; d: string }> {
  const late = await startQuoteServer();
  const d = mkdtempSync(join(tmpdir(), 'goldratio-backfill-late-'));
  ctx.onTestFinished(async () => {
    await late.close();
    rmSync(d, { recursive: true, force: true });
  });
  const days = weekdays('2024-01-02', '2026-11-27');
  late.setSeries('^GSPC', walk(days, 4700, 1));
  late.setSeries('QQQ', walk(days, 400, 2));
  late.setSeries('GC=F', walk(days, 2050, 3));
  if (lbma) late.setSeries('gold_pm', walk(days, 2050, 3));
  late.setSeries('M2SL', walk(monthStarts('2024-01-01', '2026-09-01'), 20800, 4));
  return { late, d };
}
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('goldratio backfill', () => {
  test('GIVEN an empty database THEN history since 1999-03-10 lands, and a second run fetches only what is missing', async () => {
    const first = await cli(['backfill'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^spx\s+1999-03-10\.\.\S+ from yahoo: \d+ fetched, \d+ new/m);
    expect(first.stdout).toMatch(/^m2\s+.* from fred/m);

    const before = server.requests.length;
    const second = await cli(['backfill', '--json'], env);
    expect(second.code).toBe(0);
    const report = JSON.parse(second.stdout) as { instruments: { instrument: string; from: string; inserted: number }[] };
    for (const r of report.instruments) {
      expect(r.from > '2001-01-01', `${r.instrument} refetched from ${r.from}`).toBe(true);
      expect(r.inserted).toBe(0);
    }
    const yahoo = server.requests.slice(before).filter((r) => r.path.startsWith('/v8/'));
    expect(yahoo.length).toBeGreaterThan(0);

    const history = await cli(['history', 'qqq-gold', '--from', '2000-03-01', '--to', '2000-03-31', '--json'], env);
    expect((JSON.parse(history.stdout) as unknown[]).length).toBeGreaterThan(15);
  });

  test('GIVEN every gold source answering HTML THEN gold fails with a clear line, the others still land, exit 1', async () => {
    server.fault('/v8/finance/chart/GC=F', { kind: 'html' });
    server.fault('/json/gold_pm.json', { kind: 'html' });
    const r = await cli(['backfill'], { ...env, DATABASE_PATH: join(dir, 'html.db') });
    server.clearFaults();
    expect(r.code).toBe(1);
    // The instrument, the range it was fetching and each source's failure: what a retry needs.
    expect(r.stdout).toMatch(/^gold {2}1999-03-10\.\.\d{4}-\d\d-\d\d FAILED: yahoo answered HTML instead of JSON for GC=F; lbma answered HTML/m);
    expect(r.stdout).toMatch(/^spx\s+1999-03-10/m);
    const status = await cli(['status', '--json'], { ...env, DATABASE_PATH: join(dir, 'html.db') });
    const gold = (JSON.parse(status.stdout) as { instruments: { instrument: string; rows: number }[] }).instruments.find((i) => i.instrument === 'gold');
    expect(gold?.rows).toBe(0);
  });
});

describe('goldratio backfill over sources whose history starts late (each run fetches the head before it again)', () => {
  test('GIVEN gold fetched before and after the stored closes THEN its line names each source once', async (ctx) => {
    const { late, d } = await lateMarket(ctx);
    const e = { ...quoteServerEnv(late), DATABASE_PATH: join(d, 'late.db') };
    expect((await cli(['backfill'], e)).code).toBe(0);
    // The second run fetches gold twice, the years before its first stored close (from yahoo,
    // then lbma) and the days after its last (from yahoo): the line said "lbma+yahoo+yahoo".
    const second = await cli(['backfill', '--json'], e);
    expect(second.code).toBe(0);
    const report = JSON.parse(second.stdout) as { instruments: { instrument: string; source: string }[] };
    expect(report.instruments.find((i) => i.instrument === 'gold')?.source).toBe('lbma+yahoo');
    const text = await cli(['backfill'], e);
    expect(text.stdout).toMatch(/^gold {2}1999-03-10\.\.\S+ from lbma\+yahoo: /m);
  }, 120_000);

  test('GIVEN closes stored in the middle and every source unreachable THEN the head and the tail both fail and the line says each source’s answer once', async (ctx) => {
    const { late, d } = await lateMarket(ctx);
    const e = { ...quoteServerEnv(late), DATABASE_PATH: join(d, 'late.db') };
    expect((await cli(['backfill'], e)).code).toBe(0);
    // Offline now: the years before the first stored close and the days after the last are each
    // fetched and each refused with the same words, which the line said twice over.
    const offline = await cli(['backfill'], { ...e, ...sourcesAt(), HTTP_RETRIES: '0' });
    expect(offline.code).toBe(1);
    const spx = offline.stdout.split('\n').find((l) => l.startsWith('spx '));
    expect(spx).toMatch(/^spx +1999-03-10\.\.\S+ FAILED: /);
    expect(spx?.match(/yahoo could not be reached/g)).toHaveLength(1);
  }, 120_000);
});

describe('goldratio backfill whose head no other source gives (Yahoo has gold from 2024, LBMA refusing)', () => {
  test('GIVEN every source after Yahoo refusing the years before its first close THEN gold says it failed for them (its own years stored), exit 1', async (ctx) => {
    const { late, d } = await lateMarket(ctx, { lbma: false });
    late.fault('/json/gold_pm.json', { kind: 'status', status: 503 });
    const e = { ...quoteServerEnv(late), DATABASE_PATH: join(d, 'head.db'), HTTP_RETRIES: '0' };
    const r = await cli(['backfill'], e);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^gold {2}1999-03-10\.\.\S+ from yahoo: \d+ new, 0 updated, then FAILED: .*gold 1999-03-10\.\.2024-01-01 not fetched \(yahoo has nothing before 2024-01-02\); lbma answered 503 for gold_pm/m,
    );
    // The others whole; and a second run, nothing new from Yahoo, still says the head it could not get.
    expect(r.stdout).toMatch(/^spx\s+1999-03-10\S+ from yahoo: \d+ fetched/m);
    const again = await cli(['backfill'], e);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/^gold {2}1999-03-10\.\.\S+ from yahoo: 0 new, 0 updated, then FAILED: .*gold 1999-03-10\.\.2024-01-01 not fetched/m);
  }, 120_000);
});

describe('goldratio backfill and Ctrl-C/SIGTERM while the sources do not answer', () => {
  // Ctrl-C (SIGINT, 130) on the same hanging hosts: the last test of the file, after its wait line.
  test.for<[NodeJS.Signals, number]>([['SIGTERM', 143]])(
    'GIVEN every source hanging WHEN %s arrives THEN it says it was stopped (not FAILED: aborted), exit %i',
    { timeout: TIMEOUT },
    async ([signal, exit], ctx) => {
      const hung = await startQuoteServer();
      try {
        for (const path of ['/v8/finance/chart/^GSPC', '/v8/finance/chart/QQQ', '/v8/finance/chart/GC=F', '/json/gold_pm.json', '/graph/fredgraph.csv'])
          hung.fault(path, { kind: 'hang' });
        const c = spawnForTest(ctx, ['backfill'], {
          ...env,
          DATABASE_PATH: join(dir, `stopped-${signal}.db`),
          ...sourcesAt(hung.url),
          LOG_FORMAT: 'pretty',
        });
        await reached('a source asked', () => hung.requests.length >= 1, c, ctx.signal);
        c.child.kill(signal);
        const { code } = await c.exited;
        expect(code).toBe(exit);
        expect(c.stdout()).toBe('');
        expect(c.stderr()).not.toMatch(/FAILED|aborted/);
        expect(c.stderr().trim().split('\n').at(-1)).toBe(
          `goldratio backfill: stopped by ${signal} before anything was stored: spx, qqq, gold, m2 not fetched; run goldratio backfill again to fetch what is missing`,
        );
      } finally {
        await hung.close();
      }
    },
  );
});

describe('goldratio backfill stopped half-way (spx fetched, QQQ not answering)', () => {
  /** Runs backfill with QQQ hanging and sends `signal` once QQQ was asked (spx is stored by then). */
  async function stoppedHalfWay(ctx: TestContext, signal: NodeJS.Signals, args: readonly string[], db: string, logLevel = 'warn') {
    server.fault('/v8/finance/chart/QQQ', { kind: 'hang' });
    // The fault goes with the test too, however it ends: the next test's QQQ is answered.
    ctx.onTestFinished(() => server.clearFaults());
    const before = server.requests.length;
    try {
      const c = spawnForTest(ctx, ['backfill', ...args], { ...env, DATABASE_PATH: join(dir, db), LOG_FORMAT: 'pretty', LOG_LEVEL: logLevel });
      await reached('QQQ asked', () => server.requests.slice(before).some((r) => r.path === '/v8/finance/chart/QQQ'), c, ctx.signal);
      c.child.kill(signal);
      const { code } = await c.exited;
      return { code, stdout: c.stdout(), stderr: c.stderr() };
    } finally {
      server.clearFaults();
    }
  }

  test(
    'GIVEN Ctrl-C THEN one line says it was stopped, what was stored and how to resume; nothing on stdout, exit 130',
    async (ctx) => {
      const r = await stoppedHalfWay(ctx, 'SIGINT', [], 'half-sigint.db');
      expect(r.code).toBe(130);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /^goldratio backfill: stopped by SIGINT: spx stored \(\d+ new, 0 updated\); qqq, gold, m2 not fetched; run goldratio backfill again to fetch what is missing\n$/,
      );
      const status = await cli(['status', '--json'], { ...env, DATABASE_PATH: join(dir, 'half-sigint.db') });
      const rows = (JSON.parse(status.stdout) as { instruments: { instrument: string; rows: number }[] }).instruments.map((i) => [i.instrument, i.rows > 0]);
      expect(rows).toEqual([
        ['spx', true],
        ['qqq', false],
        ['gold', false],
        ['m2', false],
      ]);
      expect(r.stderr).toContain(`spx stored (${(JSON.parse(status.stdout) as { instruments: { rows: number }[] }).instruments[0]!.rows} new`);
    },
    TIMEOUT,
  );

  test(
    'GIVEN Ctrl-C at a terminal with the default LOG_LEVEL=info THEN the stop line, and of the log lines only what a normal run shows too: no line per instrument stored, the stop line says it',
    async (ctx) => {
      /** stderr's lines without pino-pretty's time. */
      const lines = (text: string) =>
        text
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => l.replace(/^\[[\d:.]+\] /, ''));
      const normal = spawnForTest(ctx, ['backfill'], { ...env, DATABASE_PATH: join(dir, 'info-normal.db'), LOG_FORMAT: 'pretty', LOG_LEVEL: 'info' });
      expect((await normal.exited).code).toBe(0);
      // A normal run's report says each instrument once, on stdout; the log does not say it again.
      expect(normal.stdout()).toMatch(/^spx\s+1999-03-10\.\.\S+ from yahoo: \d+ fetched, \d+ new, 0 updated\nqqq .*\ngold .*\nm2 .*\n$/);
      expect(normal.stderr()).not.toMatch(/1999-03-10\.\.\S+ from yahoo/);

      const r = await stoppedHalfWay(ctx, 'SIGINT', [], 'info-sigint.db', 'info');
      expect(r.code).toBe(130);
      const said = lines(r.stderr);
      expect(said.at(-1)).toMatch(
        /^goldratio backfill: stopped by SIGINT: spx stored \(\d+ new, 0 updated\); qqq, gold, m2 not fetched; run goldratio backfill again/,
      );
      expect(said.slice(0, -1).filter((l) => !lines(normal.stderr()).includes(l))).toEqual([]);
    },
    TIMEOUT,
  );

  test(
    'GIVEN --json and SIGTERM THEN stdout is one JSON document saying which signal stopped it, what was stored and what was not fetched, exit 143',
    async (ctx) => {
      const r = await stoppedHalfWay(ctx, 'SIGTERM', ['--json'], 'half-sigterm.db');
      expect(r.code).toBe(143);
      const report = JSON.parse(r.stdout) as {
        ok: boolean;
        stoppedBy?: string;
        instruments: { instrument: string; ok: boolean; stopped?: boolean; inserted: number; errors: string[] }[];
      };
      expect(report.ok).toBe(false);
      expect(report.stoppedBy).toBe('SIGTERM');
      expect(report.instruments.map((i) => [i.instrument, i.ok, i.stopped ?? false, i.inserted > 0, i.errors])).toEqual([
        ['spx', true, false, true, []],
        ['qqq', false, true, false, []],
        ['gold', false, true, false, []],
        ['m2', false, true, false, []],
      ]);
      expect(r.stderr).toMatch(/stopped by SIGTERM: spx stored/);
    },
    TIMEOUT,
  );
});

describe('goldratio backfill offline: what it does is said at once, and each wait on a source as it comes', () => {
  /** Every line of stderr (pino-pretty, without its time), with when it arrived (ms since the spawn). */
  async function watched(c: ReturnType<typeof spawnBin>, until: Promise<unknown>) {
    const t0 = Date.now();
    const seen: { at: number; line: string }[] = [];
    let done = false;
    void until.finally(() => {
      done = true;
    });
    const read = () => {
      const lines = c.stderr().split('\n').slice(0, -1);
      for (const line of lines.slice(seen.length)) seen.push({ at: Date.now() - t0, line: line.replace(/^\[[\d:.]+\] /, '') });
    };
    while (!done) {
      read();
      await new Promise((r) => setTimeout(r, 25));
    }
    // The lines written between the last look and the exit.
    read();
    return seen.filter((s) => !/^\s+url: /.test(s.line));
  }

  test(
    'GIVEN every quote host refusing THEN the first line says what it fetches, then one line per source when its wait starts, that it tries again and for how long at most, not one per request',
    async (ctx) => {
      const gone = await startQuoteServer();
      const url = gone.url;
      await gone.close();
      const c = spawnForTest(ctx, ['backfill'], {
        ...env,
        DATABASE_PATH: join(dir, 'refused.db'),
        ...sourcesAt(url),
        LOG_FORMAT: 'pretty',
        LOG_LEVEL: 'info',
        HTTP_RETRIES: '2',
        HTTP_BACKOFF_MS: '500',
        HTTP_TIMEOUT_MS: '15000',
      });
      const seen = await watched(c, c.exited);
      expect((await c.exited).code).toBe(1);
      const said = seen.map((s) => s.line);
      expect(said[0]).toBe('INFO: goldratio: quote sources skipped: twelvedata needs TWELVEDATA_API_KEY; fred needs FRED_API_KEY for spx (SP500)');
      expect(said[1]).toBe(
        'INFO: goldratio: fetching the history of spx, qqq, gold and m2 (what is missing, or since 1999-03-10 where none is stored) from yahoo, lbma, fred',
      );
      // One line per source as its wait starts (gold's fallback, lbma, its own), none per try nor per
      // request: yahoo's QQQ and GC=F, refused within seconds of ^GSPC, are the same wait (http.test.ts
      // has the line every 30 s of a longer one). The line is the refusal's, or, when a loaded machine
      // holds the bin's event loop past the 3 s timer before the refusal is read, the answer awaited,
      // which then stands for the wait (retry-time.test.ts has the same): either wording, one per source.
      const waits = said.filter((l) => /trying again/.test(l));
      expect(waits).toEqual(
        [
          ['yahoo', '^GSPC'],
          ['lbma', 'gold_pm'],
          ['fred', 'M2SL'],
        ].map(([source, symbol]) => {
          const sym = symbol!.replace(/[\^=]/g, '\\$&');
          return expect.stringMatching(
            new RegExp(
              `^INFO: goldratio: ${source} (could not be reached \\(ECONNREFUSED: .*\\) for ${sym}; trying again 2 times over the next 2 s \\(32 s at most, should each try wait out its 15 s timeout\\)|has not answered for ${sym} in 3 s; waiting up to 15 s, then trying again up to 2 times \\(\\d+ s more at most\\))$`,
            ),
          );
        }),
      );
      expect(c.stdout()).toMatch(/^spx\s+1999-03-10\.\.\S+ FAILED: yahoo could not be reached/m);
    },
    TIMEOUT,
  );

  test(
    'GIVEN a quote host that takes the connection and never answers THEN a line says within seconds that it waits for it, how long, and what comes after; Ctrl-C still stops it',
    async (ctx) => {
      const hung = await startQuoteServer();
      try {
        for (const path of ['/v8/finance/chart/^GSPC', '/v8/finance/chart/QQQ', '/v8/finance/chart/GC=F', '/json/gold_pm.json', '/graph/fredgraph.csv'])
          hung.fault(path, { kind: 'hang' });
        const c = spawnForTest(ctx, ['backfill'], {
          ...env,
          DATABASE_PATH: join(dir, 'hung.db'),
          ...sourcesAt(hung.url),
          LOG_FORMAT: 'pretty',
          LOG_LEVEL: 'info',
          HTTP_RETRIES: '1',
          HTTP_BACKOFF_MS: '1000',
          HTTP_TIMEOUT_MS: '20000',
        });
        // The start's lines come as the start does, slower on a loaded machine; the 3 s is the bin's own clock.
        await c.waitFor(/fetching the history of spx, qqq, gold and m2/, REACH_MS);
        await c.waitFor(/yahoo has not answered for \^GSPC in 3 s; waiting up to 20 s, then trying again up to 1 time \(21 s more at most\)/, REACH_MS);
        // Said while the first try still waits: one request so far, no timeout yet.
        expect(hung.requests.length).toBe(1);
        c.child.kill('SIGINT');
        expect((await c.exited).code).toBe(130);
        expect(c.stderr().match(/has not answered/g)).toHaveLength(1);
        // Stopped, not failed: what SIGTERM says above, for Ctrl-C.
        expect(c.stdout()).toBe('');
        expect(c.stderr()).not.toMatch(/FAILED|aborted/);
        expect(c.stderr().trim().split('\n').at(-1)).toBe(
          'goldratio backfill: stopped by SIGINT before anything was stored: spx, qqq, gold, m2 not fetched; run goldratio backfill again to fetch what is missing',
        );
      } finally {
        await hung.close();
      }
    },
    TIMEOUT,
  );
});

describe("backfill's report of rows filled from another source", () => {
  test('GIVEN gold with two days filled from lbma THEN its line counts them apart from yahoo’s own (and none is said when there are none)', () => {
    const gold = {
      instrument: 'gold' as const,
      ok: true,
      source: 'yahoo',
      from: '2026-08-11',
      to: '2026-08-21',
      fetched: 7,
      inserted: 6,
      updated: 0,
      unchanged: 1,
      filled: { lbma: 2 },
      held: 0,
      rejected: 1,
      errors: [],
    };
    const { filled: _, ...spx } = { ...gold, instrument: 'spx' as const };
    expect(syncReportText({ ok: true, instruments: [gold, spx] })).toBe(
      'gold  2026-08-11..2026-08-21 from yahoo: 7 fetched, 6 new, 0 updated, 2 filled from lbma, 1 rejected\n' +
        'spx   2026-08-11..2026-08-21 from yahoo: 7 fetched, 6 new, 0 updated, 1 rejected',
    );
    expect(filledText({ lbma: 1, twelvedata: 2 })).toBe('1 filled from lbma, 2 from twelvedata');
  });
});

describe('goldratio backfill stopped while the head Yahoo lacks is asked of Twelve Data', () => {
  test(
    'GIVEN Ctrl-C while Twelve Data holds the head THEN the line says it was stopped before it was fetched, not that no source had it, and the head is kept to ask again',
    async (ctx) => {
      const slow = await startQuoteServer({ twelveDataApiKey: '0123456789abcdef0123456789abcdef' });
      try {
        slow.setSeries(
          '^GSPC',
          weekdays('2020-01-02', '2026-12-04').map((date) => ({ date, value: 5200 })),
        );
        slow.fault('/time_series', { kind: 'hang' });
        const headEnv = {
          ...sourcesAt(slow.url),
          DATABASE_PATH: join(dir, 'head-sigint.db'),
          TWELVEDATA_API_KEY: '0123456789abcdef0123456789abcdef',
          SOURCES_SPX: 'yahoo,twelvedata',
          LOG_FORMAT: 'pretty',
        };
        const c = spawnForTest(ctx, ['backfill'], headEnv);
        await reached('the head asked of Twelve Data', () => slow.requests.some((r) => r.path === '/time_series'), c, ctx.signal);
        c.child.kill('SIGINT');
        expect((await c.exited).code).toBe(130);
        expect(c.stdout()).toBe('');
        // What happened, said once: the stop cut the head's fetch; no source failed, none "had nothing".
        expect(c.stderr()).toContain(
          'INFO: goldratio: spx 1999-03-10..2020-01-01 stopped before it was fetched (yahoo has nothing before 2020-01-02); asked again at the next sync\n',
        );
        expect(c.stderr()).not.toMatch(/no other source filled|FAILED|aborted/);
        expect(c.stderr().trim().split('\n').at(-1)).toMatch(
          /^goldratio backfill: stopped by SIGINT: spx stored in part \(\d+ new, 0 updated\); the rest of spx, qqq, gold, m2 not fetched; run goldratio backfill again/,
        );
        // And it is asked again: the head is kept among the ranges the next sync asks.
        const status = JSON.parse((await cli(['status', '--json'], headEnv)).stdout) as { instruments: { instrument: string; unfetched?: unknown }[] };
        expect(status.instruments.find((i) => i.instrument === 'spx')?.unfetched).toEqual([{ from: '1999-03-10', to: '2020-01-01' }]);
      } finally {
        await slow.close();
      }
    },
    TIMEOUT,
  );
});
