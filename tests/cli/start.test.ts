/** `goldratio start` as `npm start` runs it: a child process, stopped by SIGTERM and SIGINT. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { onSqlite } from '../../src/store/engine.ts';
import { spawn } from 'node:child_process';
import { closed, spawnBin } from '../helpers/process.ts';
import { opsPortOf } from '../helpers/ops-port.ts';
import { eventually } from '../helpers/eventually.ts';
import { isTradingDay } from '../../src/domain/nyse-calendar.ts';
import { startQuoteServer, walk, weekdays } from '../fakes/quote-server.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/store/db.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { sourcesAt } from '../helpers/sources.ts';

/** A Twelve Data key the quote fake accepts. */
const TD_KEY = '0123456789abcdef0123456789abcdef';
const BIN = fileURLToPath(new URL('../../bin/goldratio.js', import.meta.url));
/**
 * A bin's start (and its first sync) on a loaded machine: a bound for a child that stalls, not a
 * pace. Four bins start at once at the head of the suite (vitest.config.ts WAITING); at load 27 on
 * 2 cores a start took past 30 s (docs/ci.md, flake21).
 */
const START_MS = 90_000;
const TEST_MS = 2 * START_MS;
// Made when the file's tests run (not at import): a run that filters them all out leaves nothing behind.
let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'goldratio-start-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runUntil(signal: NodeJS.Signals, db: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'start'], {
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_PATH: db,
        DATA_DIR: dir,
        // No render worker (~0.8 s of CPU to start): the pool has its own tests (charts-pool, main).
        CHART_WORKERS: '0',
        // Nothing listens on port 9: every source is unreachable, as on a machine offline.
        ...sourcesAt(),
        HTTP_RETRIES: '0',
      },
    });
    let stderr = '';
    let signalled = false;
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      // What was said so far, not this chunk: a line split across two reads is heard too.
      if (!signalled && stderr.includes('goldratio is running')) {
        signalled = true;
        child.kill(signal);
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), START_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('goldratio start', () => {
  // Ctrl-C (SIGINT): the first-sync test below stops a start the same way, and says the same of it.
  test.each(['SIGTERM'] as const)(
    'GIVEN no tokens and no network THEN it starts, and %s stops it cleanly: one line that it stops, one that it stopped',
    async (signal) => {
      const db = join(dir, `${signal}.db`);
      const { code, stderr } = await runUntil(signal, db);
      expect(code).toBe(0);
      // The unreachable source is said, whether it failed before the signal or was cut short by it.
      expect(stderr).toMatch(
        /closes spx 1999-03-10\.\.\S+ failed, (will retry at \S+ \([^)]+\) while it has no history|the next start tries again)|closes stopped by the shutdown[^"]*\bspx\b[^"]* not fetched/,
      );
      expect(stderr).toMatch(/default console subscription created/);
      // From the signal on: that it stops, what went wrong meanwhile (here: a fetch the stop cut short), that it stopped.
      const records = stderr
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { level: string; msg: string });
      const from = records.findIndex((r) => r.msg === `${signal} received: stopping`);
      expect(from, stderr).toBeGreaterThan(0);
      const shutdown = records.slice(from).filter((r) => r.level === 'info' && !/^closes stopped by the shutdown/.test(r.msg));
      expect(shutdown.map((r) => r.msg)).toEqual([`${signal} received: stopping`, 'stopped']);
      expect(stderr).not.toMatch(/\n\s+at .*\.ts:\d+/); // no stack trace
      // The database was closed cleanly and holds the console subscription.
      const handle = openDatabase(db);
      expect((await new SubscriptionStore(onSqlite(handle), { approachPct: 3, lang: 'en' }).get('console', 'console'))?.active).toBe(true);
      handle.close();
    },
    TEST_MS,
  );
});

describe('goldratio start with commands typed into it', () => {
  test(
    'GIVEN CONSOLE_COMMANDS=on and a command on its standard input THEN the answer is printed on standard output, and SIGTERM still stops it',
    async () => {
      // In its own folder: a checkout's data/ or .env (an `npm start` before `npm test`) is not this bot's.
      const child = spawn(process.execPath, [BIN, 'start'], {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? '',
          DATA_DIR: join(dir, 'typed'),
          CONSOLE_COMMANDS: 'on',
          CHART_WORKERS: '0',
          CHART_WARMUP: 'off',
          ...sourcesAt(),
          HTTP_RETRIES: '0',
        },
      });
      let stdout = '';
      let stderr = '';
      let typed = false;
      let signalled = false;
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        // What was said so far, not this chunk: a line split across two reads is heard too.
        if (!typed && stderr.includes('type a command to try the bot here')) {
          typed = true;
          child.stdin.write('/help\n/lang zh-CN\n');
        }
      });
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        if (!signalled && stdout.includes('语言已设为简体中文。')) {
          signalled = true;
          child.kill('SIGTERM');
        }
      });
      const code = await closed(child, START_MS);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Commands\n\/start /);
      expect(stdout).toContain('\n语言已设为简体中文。\n');
      expect(stderr).toMatch(/"msg":"stopped"/);
    },
    TEST_MS,
  );
});

describe('goldratio start stopped during its first history sync', () => {
  /**
   * The bin's first sync against `server`, in its own database under `dir`, once running and once
   * `hung` (a path the server holds unanswered) has been asked: the moment to send the signal.
   */
  async function syncingBin(server: { url: string; requests: readonly { path: string }[] }, db: string, hung: string, env: Record<string, string> = {}) {
    const c = spawnBin(['start'], {
      DATABASE_PATH: join(dir, db),
      DATA_DIR: dir,
      CHART_WORKERS: '0',
      CHART_WARMUP: 'off',
      ...sourcesAt(server.url),
      HTTP_RETRIES: '0',
      LOG_FORMAT: 'json',
      ...env,
    });
    await c.waitFor(/goldratio is running/, START_MS);
    await eventually(() => server.requests.some((r) => r.path === hung), START_MS, 20);
    return c;
  }

  test(
    'GIVEN spx stored and QQQ not answering WHEN Ctrl-C THEN one line says the sync was stopped, what it stored and that the next start fetches the rest',
    async () => {
      const server = await startQuoteServer();
      try {
        server.setSeries('^GSPC', walk(weekdays('1999-03-10', '2000-12-29').filter(isTradingDay), 1300, 1));
        server.fault('/v8/finance/chart/QQQ', { kind: 'hang' });
        const c = await syncingBin(server, 'first-sync.db', '/v8/finance/chart/QQQ');
        c.child.kill('SIGINT');
        expect((await c.exited).code).toBe(0);
        // From the signal on, what the SIGTERM start above says: that it stops, that it stopped (and
        // the sync it cut short, below); no stack trace; the database closed cleanly, its console
        // subscription kept.
        const records = c
          .stderr()
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l) as { level: string; msg: string });
        const from = records.findIndex((r) => r.msg === 'SIGINT received: stopping');
        expect(from, c.stderr()).toBeGreaterThan(0);
        const shutdown = records.slice(from).filter((r) => r.level === 'info' && !/^closes stopped by the shutdown/.test(r.msg));
        expect(shutdown.map((r) => r.msg)).toEqual(['SIGINT received: stopping', 'stopped']);
        expect(c.stderr()).not.toMatch(/\n\s+at .*\.ts:\d+/);
        expect(c.stderr()).toMatch(/default console subscription created/);
        const handle = openDatabase(join(dir, 'first-sync.db'));
        expect((await new SubscriptionStore(onSqlite(handle), { approachPct: 3, lang: 'en' }).get('console', 'console'))?.active).toBe(true);
        handle.close();
        const said = c
          .stderr()
          .split('\n')
          .filter((l) => l.includes('"msg":"closes'))
          .map((l) => (JSON.parse(l) as { msg: string }).msg);
        expect(said).toEqual([
          expect.stringMatching(
            /^closes stopped by the shutdown: spx stored \(\d+ new, 0 updated from yahoo, 1999-03-10\.\.\d{4}-\d\d-\d\d\); qqq, gold, m2 not fetched; the next start fetches what is missing$/,
          ),
        ]);
      } finally {
        await server.close();
      }
    },
    2 * TEST_MS,
  );

  test(
    'GIVEN spx stored from Yahoo and its head held by Twelve Data WHEN Ctrl-C THEN the line says spx stored in part, the rest not fetched, not "before anything was stored"',
    async () => {
      const server = await startQuoteServer({ twelveDataApiKey: TD_KEY });
      try {
        server.setSeries('^GSPC', walk(weekdays('2000-01-03', '2000-12-29').filter(isTradingDay), 1300, 1));
        server.fault('/time_series', { kind: 'hang' });
        const c = await syncingBin(server, 'first-sync-head.db', '/time_series', { TWELVEDATA_API_KEY: TD_KEY, SOURCES_SPX: 'yahoo,twelvedata' });
        c.child.kill('SIGINT');
        expect((await c.exited).code).toBe(0);
        const said = c
          .stderr()
          .split('\n')
          .filter((l) => /"msg":"(closes|spx)/.test(l))
          .map((l) => (JSON.parse(l) as { msg: string }).msg)
          .filter((m) => !/not an NYSE trading day|more rows rejected/.test(m));
        expect(said).toEqual([
          expect.stringMatching(/^spx 1999-03-10\.\.\S+ from yahoo: \d+ rows, \d+ new, 0 updated$/),
          'spx 1999-03-10..2000-01-02 stopped before it was fetched (yahoo has nothing before 2000-01-03); asked again at the next sync',
          expect.stringMatching(
            /^closes stopped by the shutdown: spx stored in part \(\d+ new, 0 updated from yahoo, 1999-03-10\.\.\d{4}-\d\d-\d\d\); the rest of spx, qqq, gold, m2 not fetched; the next start fetches what is missing$/,
          ),
        ]);
      } finally {
        await server.close();
      }
    },
    2 * TEST_MS,
  );

  test(
    'GIVEN STOP_DRAIN_SECONDS WHEN SIGTERM during the first sync THEN its fetches stop at once, not after the drain, while /readyz stays 503 for the drain',
    async () => {
      const server = await startQuoteServer();
      try {
        server.setSeries('^GSPC', walk(weekdays('1999-03-10', '2000-12-29').filter(isTradingDay), 1300, 1));
        server.fault('/v8/finance/chart/QQQ', { kind: 'hang' });
        // HTTP_PORT 0: the kernel's free port at the listen, read back from the bot's line.
        const c = await syncingBin(server, 'first-sync-drain.db', '/v8/finance/chart/QQQ', { HTTP_PORT: '0', STOP_DRAIN_SECONDS: '300' });
        const port = await opsPortOf(c, START_MS);
        c.child.kill('SIGTERM');
        // Well within the drain's 300 s (seconds on an idle machine; the bound is a loaded one's).
        await c.waitFor(/"msg":"closes stopped by the shutdown: spx stored [^"]*; qqq, gold, m2 not fetched; the next start fetches what is missing"/, 60_000);
        const readyz = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(5000) });
        expect(readyz.status).toBe(503);
        expect(await readyz.text()).toMatch(/goldratio: shutting down/);
        expect(c.child.exitCode).toBeNull();
        c.child.kill('SIGTERM');
        expect((await c.exited).code).toBe(0);
        expect(c.stderr()).toMatch(/"msg":"stopped"/);
      } finally {
        await server.close();
      }
    },
    2 * TEST_MS,
  );
});
