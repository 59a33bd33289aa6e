/**
 * Bad input whose cause is another process or the install itself, one row each, run as a user
 * runs them: the real bin, spawned (tests/bad-input.test.ts holds the in-process rows). Each row
 * prepares its situation (a second `goldratio start` running, a port taken, a driver not built),
 * then expects an exit code and one stderr line. Below the table, what a table cannot say: a
 * SIGKILLed bot's lock, readers beside the bot, and Ctrl-C/SIGTERM during an import.
 * Each spawn costs 1-3 s of CPU (Node, tsx, the module graph), so where the process under test is
 * the OTHER one (the running bot, the port's holder) or none (an import that lands whole), this
 * side runs in-process through the same `main` the bin calls.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: plain JavaScript, no declarations
import { bundledCli, esbuildOf, sourceKey } from '../bin/bundle.js';
import { openDatabase } from '../src/store/db.ts';
import { QuoteStore } from '../src/store/quotes.ts';
import { onSqlite } from '../src/store/engine.ts';
import { BIN, spawnBin, spawnChild, type Child } from './helpers/process.ts';
import { loadConfig } from '../src/config.ts';
import { memoryLogger } from '../src/log.ts';
import { startApp } from '../src/main.ts';
import { runCliInProcess } from './helpers/cli.ts';
import { sourcesAt } from './helpers/sources.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// Made when the file's tests run (not at import): a run that filters them all out leaves nothing behind.
let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'goldratio-procs-'));
});
const running: Child[] = [];
afterAll(async () => {
  for (const c of running) c.child.kill('SIGKILL');
  await Promise.all(running.map((c) => c.exited));
  rmSync(dir, { recursive: true, force: true });
});

/** `npm start` with no tokens and no network: the console bot, quote sources unreachable. */
function offlineEnv(db: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_PATH: db,
    DATA_DIR: dir,
    // Nothing listens on port 9: every source is unreachable, as on a machine offline.
    ...sourcesAt(),
    HTTP_RETRIES: '0',
    // No render worker (~0.8 s of CPU to start a thread through tsx): no chart is drawn here.
    CHART_WORKERS: '0',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

async function startBot(db: string, extra: Record<string, string> = {}): Promise<Child> {
  const c = spawnBin(['start'], offlineEnv(db, extra));
  running.push(c);
  await c.waitFor(/goldratio is running/, 60_000);
  return c;
}

/**
 * A copy of the project whose SQLite drivers were installed without their build, as npm 12 leaves
 * them when allowScripts does not approve them: the packages' JavaScript without build/ (nor 13's
 * prebuilt binaries); every other package is the real one, linked.
 */
function projectWithoutSqliteBuild(): string {
  const proj = join(dir, 'unbuilt');
  mkdirSync(join(proj, 'node_modules'), { recursive: true });
  for (const f of ['package.json', 'tsconfig.json']) copyFileSync(join(ROOT, f), join(proj, f));
  cpSync(join(ROOT, 'src'), join(proj, 'src'), { recursive: true });
  cpSync(join(ROOT, 'bin'), join(proj, 'bin'), { recursive: true });
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    // .cache too: the copy's bundle loads its packages from the copy's node_modules.
    if (name === 'better-sqlite3' || name === 'better-sqlite3-13' || name === '.bin' || name === '.cache') continue;
    symlinkSync(join(ROOT, 'node_modules', name), join(proj, 'node_modules', name));
  }
  for (const pkg of ['better-sqlite3', 'better-sqlite3-13']) {
    // 13 is optional, left out by an install on Node 20 (it needs 22): copied where it is installed.
    if (!existsSync(join(ROOT, 'node_modules', pkg))) continue;
    mkdirSync(join(proj, 'node_modules', pkg), { recursive: true });
    for (const f of ['package.json', 'lib']) cpSync(join(ROOT, 'node_modules', pkg, f), join(proj, 'node_modules', pkg, f), { recursive: true });
  }
  // This project's bundle of the same sources, put where the copy's bin looks for its own (under
  // the copy's key: the copied files' times differ) instead of compiling them again
  // (tests/bin/bundle.test.ts covers the build). It loads the drivers from where it lies: the
  // copy's unbuilt ones.
  const cli = bundledCli(ROOT) as string | undefined;
  if (cli !== undefined) {
    const { version } = esbuildOf(ROOT) as { version: string };
    // Without its v8/ folder: on Node 22+ that is V8's compile cache (bin/bundle.js), which the bins
    // other test files start are writing meanwhile (a file listed there can be renamed away before
    // it is copied: ENOENT, as a Node 22 CI run failed here); the copy's bin makes its own.
    const from = fileURLToPath(new URL('.', cli));
    cpSync(from, join(proj, 'node_modules', '.cache', 'goldratio', `bundle-${sourceKey(proj, version)}`), {
      recursive: true,
      filter: (src) => src !== join(from, 'v8') && !src.startsWith(join(from, 'v8', '/')),
    });
  }
  return proj;
}

interface Row {
  readonly name: string;
  /** Sets the scene; returns the bin's arguments, env and working directory (or in-process: `main` in this process). */
  readonly scene: () => Promise<{ args: string[]; env: Record<string, string>; project?: string; inProcess?: true }>;
  readonly code: 1 | 2;
  readonly stderr: (scene: { env: Record<string, string> }) => RegExp;
}

let unbuilt: string;
let port: Server;
beforeAll(async () => {
  unbuilt = projectWithoutSqliteBuild();
  port = createServer();
  await new Promise<void>((r) => port.listen(0, '127.0.0.1', () => r()));
});
// A beforeAll that failed leaves no server to close, and must not stop the cleanup above.
afterAll(() => new Promise<void>((r) => (port === undefined ? r() : port.close(() => r()))));

/**
 * One running bot for the rows that meet it (a second start, copy-data), started by the first that
 * asks: each row's refusal is its own, the other process the same. Its HTTP_PORT is the kernel's
 * choice, read from its line: none picked free and used later.
 */
let live: Promise<{ db: string; httpPort: string }> | undefined;
function liveBot() {
  live ??= (async () => {
    const db = join(dir, 'live.db');
    const bot = await startBot(db, { HTTP_PORT: '0' });
    const httpPort = /ops server on http:\/\/127\.0\.0\.1:(\d+) /.exec(bot.stderr())?.[1];
    if (httpPort === undefined) throw new Error(`the bot said no "ops server on" line: ${bot.stderr().slice(-1500)}`);
    return { db, httpPort };
  })();
  return live;
}

const DRIVER = /the SQLite driver \(better-sqlite3(-13)?\) was not built: run `npm rebuild better-sqlite3(-13)?`$/;

const ROWS: readonly Row[] = [
  {
    name: 'the SQLite driver not built (npm 12 without allowScripts): status',
    scene: async () => ({ args: ['status'], env: { DATABASE_PATH: join(dir, 'unbuilt-status.db') }, project: unbuilt }),
    code: 1,
    stderr: () => new RegExp(`^goldratio status: ${DRIVER.source}`),
  },
  {
    name: 'the SQLite driver not built: start',
    scene: async () => ({ args: ['start'], env: offlineEnv(join(dir, 'unbuilt-start.db')), project: unbuilt }),
    code: 1,
    stderr: () => new RegExp(`^goldratio start: ${DRIVER.source}`),
  },
  {
    name: 'a second start on the same database, with the same HTTP_PORT (told of the bot, not of the port)',
    scene: async () => {
      // The same .env twice: the port is the running bot's too, and the file's lock is asked first.
      const { db, httpPort } = await liveBot();
      // The running bot is the other process; the refused start need not be a second spawn.
      return { args: ['start'], env: offlineEnv(db, { HTTP_PORT: httpPort }), inProcess: true };
    },
    code: 2,
    stderr: (s) => new RegExp(`^goldratio start: another goldratio \\(pid \\d+\\) is running on ${s.env.DATABASE_PATH}: stop it first`),
  },
  {
    name: 'copy-data while the bot runs on the database',
    scene: async () => {
      const { db } = await liveBot();
      // Refused before the target is asked: nothing listens on port 9.
      return { args: ['copy-data', '--to', 'postgres://u:p@127.0.0.1:9/goldratio'], env: offlineEnv(db), inProcess: true };
    },
    code: 2,
    stderr: (s) => new RegExp(`^goldratio copy-data: another goldratio \\(pid \\d+\\) is running on ${s.env.DATABASE_PATH}: stop it first, then copy-data`),
  },
  {
    name: 'HTTP_PORT already in use',
    // The port's holder is this process's server; start is refused before it does anything a spawn would show.
    scene: async () => ({
      args: ['start'],
      env: offlineEnv(join(dir, 'port.db'), { HTTP_PORT: String((port.address() as { port: number }).port) }),
      inProcess: true,
    }),
    code: 2,
    stderr: () => /^goldratio start: cannot listen on HTTP_PORT \d+ \(HTTP_HOST 127\.0\.0\.1\): the port is already in use/,
  },
];

describe('bad input from another process or the install: one line, the right exit code', () => {
  test.each(ROWS.map((r) => [r.name, r] as const))(
    '%s',
    async (_name, row) => {
      const scene = await row.scene();
      // The line a person at a terminal reads; under JSON logs start's is a log line (tests/cli.test.ts).
      const env = { ...scene.env, LOG_LEVEL: 'warn', LOG_FORMAT: 'pretty' };
      let code: number | null;
      let stderr: string;
      if (scene.inProcess) {
        ({ code, stderr } = await runCliInProcess(scene.args, env));
      } else {
        const c =
          scene.project === undefined ? spawnBin(scene.args, env) : spawnChild([join(scene.project, 'bin/goldratio.js'), ...scene.args], env, scene.project);
        running.push(c);
        ({ code } = await c.exited);
        stderr = c.stderr();
      }
      const lines = stderr.split('\n').filter((l) => l !== '');
      expect(lines, stderr).toHaveLength(1);
      expect(lines[0]).toMatch(row.stderr(scene));
      expect(code).toBe(row.code);
      expect(stderr).not.toMatch(/\n\s+at .*:\d+/);
    },
    90_000,
  );
});

describe('a database in a folder the bot may not write', () => {
  test('GIVEN a good database in a read-only folder THEN start says the folder is not writable, one line, exit 2 (a setup error), as import does', async () => {
    // Root writes anywhere a mode allows nothing: then the folder is made immutable (chattr +i, which
    // stops root too, on ext2/3/4), or else the bot runs as nobody, whom the folder's mode stops.
    // Under neither (a tmpfs /tmp and a checkout nobody may read) the test fails, saying why.
    const root = process.getuid?.() === 0;
    const folder = mkdtempSync(join(root ? '/tmp' : tmpdir(), 'goldratio-ro-'));
    chmodSync(folder, 0o755);
    let immutable = false;
    const asNobody = () =>
      spawnSync(process.execPath, [BIN, '--version'], { uid: 65534, gid: 65534, env: { PATH: process.env.PATH ?? '', HOME: '/tmp' } }).status === 0;
    try {
      const db = join(folder, 'goldratio.db');
      openDatabase(db).close();
      chmodSync(db, 0o644);
      const csv = join(folder, 'spx.csv');
      writeFileSync(csv, 'date,close\n2025-01-02,5900\n');
      chmodSync(folder, 0o555);
      let user: { uid: number; gid: number } | undefined;
      if (root) {
        immutable = spawnSync('chattr', ['+i', folder]).status === 0;
        if (!immutable) {
          if (!asNobody())
            throw new Error(`cannot make ${folder} unwritable for root: chattr +i failed (not ext2/3/4?) and user nobody (65534) cannot run ${BIN}`);
          user = { uid: 65534, gid: 65534 };
        }
      }
      const env = { ...offlineEnv(db, { DATA_DIR: folder, LOG_LEVEL: 'warn', LOG_FORMAT: 'pretty' }), HOME: folder };
      const said = `its folder ${folder} is not writable by this process \\((EACCES|EPERM)\\): SQLite keeps its journal and goldratio its lock beside the file`;
      for (const args of [['start'], ['import', 'spx', csv]]) {
        // Only another user needs another process; an immutable folder (or a non-root run, whom
        // the mode stops) stops this one too, so the commands run here through the bin's `main`.
        let code: number | null;
        let stderr: string;
        if (user === undefined) ({ code, stderr } = await runCliInProcess(args, env));
        else {
          const c = spawnChild([BIN, ...args], env, undefined, user);
          running.push(c);
          ({ code } = await c.exited);
          stderr = c.stderr();
        }
        const lines = stderr.split('\n').filter((l) => l !== '');
        expect(lines, stderr).toHaveLength(1);
        expect(lines[0]).toMatch(new RegExp(`^goldratio ${args[0]}: database ${db} \\(DATABASE_PATH\\): ${said}`));
        expect(code).toBe(2);
      }
    } finally {
      if (immutable) spawnSync('chattr', ['-i', folder]);
      chmodSync(folder, 0o755);
      rmSync(folder, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('a data folder the bot may not create', () => {
  test('GIVEN DATA_DIR relative (the default `data`) in a folder the bot may not write THEN start names the folder it could not create, absolute, and why: one line, exit 2', async () => {
    const root = process.getuid?.() === 0;
    const parent = mkdtempSync(join(root ? '/tmp' : tmpdir(), 'goldratio-ro-parent-'));
    chmodSync(parent, 0o555);
    let immutable = false;
    try {
      let user: { uid: number; gid: number } | undefined;
      if (root) {
        immutable = spawnSync('chattr', ['+i', parent]).status === 0;
        if (!immutable) user = { uid: 65534, gid: 65534 };
      }
      const env: Record<string, string> = { ...offlineEnv(join('data', 'goldratio.db'), { LOG_LEVEL: 'warn', LOG_FORMAT: 'pretty' }), HOME: parent };
      delete env.DATABASE_PATH;
      delete env.DATA_DIR;
      // A process of its own, started in that folder: DATA_DIR is read against the working directory.
      const c = spawnChild([BIN, 'start'], env, parent, user);
      running.push(c);
      const { code } = await c.exited;
      const stderr = c.stderr();
      const lines = stderr.split('\n').filter((l) => l !== '');
      expect(lines, stderr).toHaveLength(1);
      // It said "cannot create its folder (EACCES)", leaving the operator to guess where it was started.
      expect(lines[0]).toMatch(
        new RegExp(
          `^goldratio start: database data/goldratio\\.db \\(DATA_DIR\\): cannot create its folder ${parent}/data \\((EACCES|EPERM): its parent folder is not writable by this process\\)$`,
        ),
      );
      expect(code).toBe(2);
    } finally {
      if (immutable) spawnSync('chattr', ['-i', parent]);
      chmodSync(parent, 0o755);
      rmSync(parent, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('one goldratio per database file, two real processes', () => {
  test('GIVEN a bot killed by SIGKILL THEN its lock does not outlive it: a restart runs', async () => {
    const db = join(dir, 'killed.db');
    const first = await startBot(db);
    first.child.kill('SIGKILL');
    await first.exited;
    // The killed bot is the other process; the restart that takes its lock runs here (its start as
    // `goldratio start` runs it; tests/cli/start.test.ts stops a spawned one by its signals).
    const log = memoryLogger('info');
    const second = await startApp(loadConfig(offlineEnv(db)), log, { out: () => {} });
    try {
      expect(log.lines.join('\n')).not.toMatch(/another goldratio/);
      expect(log.lines.join('\n')).toMatch(/goldratio is running/);
    } finally {
      await second.stop();
    }
  }, 120_000);

  test('GIVEN a running bot THEN the reading commands work beside it', async () => {
    const db = join(dir, 'readers.db');
    const seed = openDatabase(db);
    const dates = ['2025-01-02', '2025-01-03', '2025-01-06'];
    const q = new QuoteStore(onSqlite(seed));
    await q.upsertCloses(
      'spx',
      dates.map((date, i) => ({ date, close: 5900 + i, source: 'seed' })),
    );
    await q.upsertCloses(
      'qqq',
      dates.map((date, i) => ({ date, close: 510 + i, source: 'seed' })),
    );
    await q.upsertCloses(
      'gold',
      dates.map((date, i) => ({ date, close: 2650 + i, source: 'seed' })),
    );
    seed.close();
    const bot = await startBot(db);
    // The bot is the real other process; the readers open the file from this one, as a second process would.
    for (const args of [['status'], ['ratio', '--json']]) {
      const r = await runCliInProcess(args, { DATABASE_PATH: db, LOG_LEVEL: 'warn' });
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).not.toBe('');
    }
    bot.child.kill('SIGTERM');
    expect((await bot.exited).code).toBe(0);
  }, 120_000);
});

/** A CSV of `n` weekday closes of SPX ending last year (16,000: back to 1963; a second or more to parse, check and write). */
function bigCsv(n: number): string {
  const rows = ['date,close'];
  const d = new Date(Date.UTC(new Date().getUTCFullYear() - 1, 11, 31));
  const out: string[] = [];
  while (out.length < n) {
    const dow = d.getUTCDay();
    if (dow !== 0 && dow !== 6) out.push(`${d.toISOString().slice(0, 10)},${(3000 + 500 * Math.sin(out.length / 300)).toFixed(2)}`);
    d.setUTCDate(d.getUTCDate() - 1);
  }
  rows.push(...out.reverse());
  const file = join(dir, `spx-${n}.csv`);
  writeFileSync(file, `${rows.join('\n')}\n`);
  return file;
}

async function spxRows(db: string): Promise<number> {
  const h = openDatabase(db);
  const n = await new QuoteStore(onSqlite(h)).count('spx');
  h.close();
  return n;
}

describe('goldratio import with its stderr piped to a file (no terminal, LOG_FORMAT auto)', () => {
  test('GIVEN a CSV with no good row THEN stderr holds the plain lines a person reads at a terminal, not JSON records, exit 2', () => {
    const file = join(dir, 'piped-bad.csv');
    writeFileSync(file, 'date,close\n2024-01-02,abc\n');
    const r = spawnSync(process.execPath, [BIN, 'import', 'spx', file], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_PATH: join(dir, 'piped.db') },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(
      `${file}:2: close "abc" is not a positive number (write it as a plain decimal like 3023.94)\ngoldratio import: nothing imported: no good rows in ${file}\n`,
    );
  }, 60_000);
});

describe('goldratio import and Ctrl-C/SIGTERM: it stops at once and lands nothing', () => {
  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    'GIVEN a big CSV being imported, its stderr piped WHEN %s arrives THEN exit %i, the one plain line a person reads (its log lines before it JSON), no row stored',
    async (signal, exit) => {
      const db = join(dir, `import-${signal}.db`);
      const csv = bigCsv(16_000);
      const c = spawnBin(['import', 'spx', csv], { DATABASE_PATH: db, LOG_LEVEL: 'debug' });
      running.push(c);
      await c.waitFor(/import: checking/);
      c.child.kill(signal);
      const { code } = await c.exited;
      expect(code).toBe(exit);
      const lines = c.stderr().trim().split('\n');
      expect(lines.at(-1)).toBe(`goldratio import: stopped by ${signal}: nothing imported`);
      // Where logs go: off a terminal (LOG_FORMAT auto) they stay JSON.
      expect(JSON.parse(lines[0]!)).toMatchObject({ level: expect.any(String), msg: expect.any(String) });
      expect(c.stdout()).toBe('');
      expect(await spxRows(db)).toBe(0);
    },
    60_000,
  );

  test('GIVEN another process holding the write lock WHEN the import waits for it and Ctrl-C comes THEN it stops at once, nothing stored', async () => {
    const db = join(dir, 'import-wait.db');
    // This process holds the write lock: to the spawned import (the signal's target), another process.
    const holder = openDatabase(db);
    holder.exec('BEGIN IMMEDIATE');
    const release = () => {
      holder.exec('ROLLBACK');
      holder.close();
    };
    try {
      const spawned = Date.now();
      const c = spawnBin(['import', 'spx', bigCsv(2_000)], { DATABASE_PATH: db, LOG_LEVEL: 'info' });
      running.push(c);
      await c.waitFor(/waiting for the database's write lock/);
      const startMs = Date.now() - spawned;
      const t0 = Date.now();
      c.child.kill('SIGINT');
      const { code } = await c.exited;
      // At once, not after the lock's 60 s wait: 5 s, or as long as this import took to start on a
      // machine loaded enough to take longer (its exit is less work than its start).
      expect(Date.now() - t0).toBeLessThan(Math.max(5000, startMs));
      expect(code).toBe(130);
    } finally {
      release();
    }
    expect(await spxRows(db)).toBe(0);
  }, 60_000);

  test('GIVEN no signal THEN the same big import lands every good row (the slices are one transaction)', async () => {
    const db = join(dir, 'import-whole.db');
    // No signal and no other process: the import itself is under test, in-process.
    const c = await runCliInProcess(['import', 'spx', bigCsv(16_000)], { DATABASE_PATH: db, LOG_LEVEL: 'warn' });
    expect(c.code, c.stderr).toBe(0);
    // Weekdays since 1963: any a calendar refuses (holidays) are bad rows, reported and skipped.
    const landed = Number(/^spx: \d+ good rows \((\d+) new/.exec(c.stdout)?.[1]);
    expect(landed).toBeGreaterThan(15_000);
    expect(await spxRows(db)).toBe(landed);
  }, 60_000);
});

describe('Ctrl-C while the first history load is in flight', () => {
  test('GIVEN quote sources that never answer WHEN SIGINT comes during the start THEN exit 0 and no error-level line (an aborted request is not a failure)', async () => {
    // Accepts connections and never answers: the history requests are in flight when Ctrl-C comes.
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    try {
      const c = spawnBin(['start'], offlineEnv(join(dir, 'ctrl-c.db'), { ...sourcesAt(url), HTTP_TIMEOUT_MS: '60000' }));
      running.push(c);
      await c.waitFor(/loading history in the background/, 60_000);
      await c.waitFor(/goldratio is running/, 60_000);
      c.child.kill('SIGINT');
      const { code } = await c.exited;
      expect(code).toBe(0);
      expect(c.stderr()).toMatch(/"msg":"stopped"/);
      const errorLines = c
        .stderr()
        .split('\n')
        .filter((l) => /"level":"(error|fatal)"/.test(l));
      expect(errorLines).toEqual([]);
      expect(c.stderr()).not.toMatch(/was aborted/);
      // Nothing failed and no "next run" is coming: the sync it stopped is said as that, once.
      expect(c.stderr()).toMatch(
        /"level":"info".*"msg":"closes stopped by the shutdown before anything was stored: spx(, [a-z0-9]+)* not fetched; the next start fetches what is missing"/,
      );
      expect(c.stderr()).not.toMatch(/failed, will retry at/);
    } finally {
      silent.close();
    }
  }, 90_000);
});
