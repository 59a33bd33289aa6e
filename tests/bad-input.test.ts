/**
 * Bad input, one row each: argv, environment and files in → exit code, one stderr line, stdout, and
 * nothing written. The CLI runs in-process through the same `main` the bin calls; the few checks
 * that need the process itself (.env loading, EPIPE) spawn the real bin below the table.
 * A new finding is one more row.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCliInProcess } from './helpers/cli.ts';
// @ts-expect-error: plain JavaScript, no declarations
import { readDotEnv } from '../bin/dotenv.js';
import { describeFailure } from '../src/cli/run.ts';
import { openDatabase } from '../src/store/db.ts';
import { QuoteStore } from '../src/store/quotes.ts';
import { onSqlite } from '../src/store/engine.ts';
import { isTradingDay } from '../src/domain/nyse-calendar.ts';

const root = mkdtempSync(join(tmpdir(), 'goldratio-bad-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A small real database: a few weeks of every instrument, closed cleanly (no -wal beside it). */
let seeded: string;
beforeAll(async () => {
  seeded = join(root, 'seed.db');
  const db = openDatabase(seeded);
  const store = new QuoteStore(onSqlite(db));
  const dates = ['2024-12-31', '2025-01-02', '2025-01-03', '2025-02-03', '2025-02-04'];
  const rows = (base: number) => dates.map((date, i) => ({ date, close: base * (1 + i / 100), source: 'seed' }));
  await store.upsertCloses('spx', rows(5900));
  await store.upsertCloses('qqq', rows(510));
  await store.upsertCloses('gold', rows(2650));
  await store.upsertCloses(
    'm2',
    ['2024-12-01', '2025-01-01', '2025-02-01'].map((date) => ({ date, close: 21500, source: 'seed' })),
  );
  db.close();
});

interface Fixture {
  readonly dir: string;
  /** The default DATABASE_PATH: a file that does not exist yet, in a folder that does not exist yet. */
  readonly db: string;
  /** Copies the seeded database to `path` (default: a file in dir) and returns the path. */
  seed(path?: string): string;
}

interface Row {
  readonly name: string;
  readonly args: (f: Fixture) => readonly string[];
  readonly env?: (f: Fixture) => Record<string, string>;
  readonly code: 1 | 2;
  /** The one line on stderr (every line when `lines` > 1). */
  readonly stderr: RegExp;
  /** Lines expected on stderr (a config error lists one line per problem under its heading). */
  readonly lines?: number;
}

const LONG = 'x'.repeat(4000);
const seededArgs =
  (...a: string[]) =>
  () =>
    a;

const ROWS: readonly Row[] = [
  // Config: every number has a range; crons, sources and the webhook URL are checked with the rest.
  {
    name: 'HTTP_TIMEOUT_MS=1e20',
    args: seededArgs('status'),
    env: () => ({ HTTP_TIMEOUT_MS: '1e20' }),
    code: 2,
    stderr: /HTTP_TIMEOUT_MS: expected a whole number from 100 to 600000, got "1e20"/,
    lines: 2,
  },
  {
    name: 'HTTP_TIMEOUT_MS=3000000000',
    args: seededArgs('status'),
    env: () => ({ HTTP_TIMEOUT_MS: '3000000000' }),
    code: 2,
    stderr: /HTTP_TIMEOUT_MS: expected a whole number from 100 to 600000, got "3000000000"/,
    lines: 2,
  },
  {
    name: 'HTTP_RETRIES=1000000',
    args: seededArgs('status'),
    env: () => ({ HTTP_RETRIES: '1000000' }),
    code: 2,
    stderr: /HTTP_RETRIES: expected a whole number from 0 to 10/,
    lines: 2,
  },
  {
    name: 'HTTP_RETRIES=0x10',
    args: seededArgs('status'),
    env: () => ({ HTTP_RETRIES: '0x10' }),
    code: 2,
    stderr: /HTTP_RETRIES: expected a whole number/,
    lines: 2,
  },
  {
    name: 'DATABASE_URL with ?connect_timeout=abc',
    args: seededArgs('status'),
    env: () => ({ DATABASE_URL: 'postgres://gr:s3cret@127.0.0.1:1/goldratio?connect_timeout=abc' }),
    code: 2,
    stderr: /DATABASE_URL: the option connect_timeout expected a whole number of seconds, 0 or more, got "abc"/,
    lines: 2,
  },
  {
    name: 'DATABASE_URL with &statement_timeout=5s',
    args: seededArgs('start'),
    env: () => ({ DATABASE_URL: 'postgres://gr:s3cret@127.0.0.1:1/goldratio?sslmode=disable&statement_timeout=5s' }),
    code: 2,
    stderr: /DATABASE_URL: the option statement_timeout expected a whole number of milliseconds, 0 or more, got "5s"/,
    lines: 2,
  },
  {
    name: 'TELEGRAM_WEBHOOK_PORT=70000',
    args: seededArgs('status'),
    env: () => ({ TELEGRAM_WEBHOOK_PORT: '70000' }),
    code: 2,
    stderr: /TELEGRAM_WEBHOOK_PORT: expected a whole number from 1 to 65535/,
    lines: 2,
  },
  {
    name: 'TELEGRAM_WEBHOOK_PORT=0',
    args: seededArgs('status'),
    env: () => ({ TELEGRAM_WEBHOOK_PORT: '0' }),
    code: 2,
    stderr: /TELEGRAM_WEBHOOK_PORT: expected a whole number from 1 to 65535/,
    lines: 2,
  },
  {
    name: 'an http:// webhook URL',
    args: seededArgs('status'),
    env: () => ({ TELEGRAM_WEBHOOK_URL: 'http://bot.example.org/hook', TELEGRAM_WEBHOOK_SECRET: 's3cret' }),
    code: 2,
    stderr: /TELEGRAM_WEBHOOK_URL: expected an https:\/\/ URL/,
    lines: 2,
  },
  {
    name: 'SOURCES_GOLD=yaho',
    args: seededArgs('status'),
    env: () => ({ SOURCES_GOLD: 'yaho' }),
    code: 2,
    stderr: /SOURCES_GOLD: unknown source "yaho"; known: yahoo, fred, lbma, twelvedata/,
    lines: 2,
  },
  // A bad cron is one problem among the others, found before `start` opens (and creates) the database.
  {
    name: 'a bad CRON_CLOSE and a bad port, on start',
    args: seededArgs('start'),
    env: () => ({ CRON_CLOSE: '61 17 * * 1-5', TELEGRAM_WEBHOOK_PORT: '99999' }),
    code: 2,
    stderr: /CRON_CLOSE: expected a cron expression|TELEGRAM_WEBHOOK_PORT: expected a whole number from 1 to 65535/,
    lines: 3,
  },

  // Arguments: extra words, a repeated option, an overlong echo.
  { name: 'ratio extra', args: seededArgs('ratio', 'extra'), code: 2, stderr: /unexpected argument "extra"/ },
  { name: 'status now', args: seededArgs('status', 'now'), code: 2, stderr: /unexpected argument "now"/ },
  { name: 'replay extra', args: seededArgs('replay', 'extra'), code: 2, stderr: /unexpected argument "extra"/ },
  // Move alerts over history (issue 18): the same limits as /move.
  {
    name: 'replay --move spx:0:5',
    args: seededArgs('replay', '--move', 'spx:0:5'),
    code: 2,
    stderr: /--move "spx:0:5": percent must be a number from 1 to 100; expected pair:percent:days like spx:10:20$/,
  },
  {
    name: 'replay --move spx:500:5',
    args: seededArgs('replay', '--move', 'spx:500:5'),
    code: 2,
    stderr: /--move "spx:500:5": percent must be a number from 1 to 100;/,
  },
  {
    name: 'replay --move spx:10:0',
    args: seededArgs('replay', '--move', 'spx:10:0'),
    code: 2,
    stderr: /--move "spx:10:0": days must be a whole number from 1 to 1260;/,
  },
  {
    name: 'replay --move spx:10:2000',
    args: seededArgs('replay', '--move', 'spx:10:2000'),
    code: 2,
    stderr: /--move "spx:10:2000": days must be a whole number from 1 to 1260;/,
  },
  {
    name: 'replay --move spx:10:20,spx:10.0:20 (the same alert twice: every move listed twice)',
    args: seededArgs('replay', '--move', 'spx:10:20,spx:10.0:20'),
    code: 2,
    stderr: /--move "spx:10:20,spx:10.0:20": spx:10:20 is given twice$/,
  },
  {
    name: 'replay --move spx:10:20, (a stray comma)',
    args: seededArgs('replay', '--move', 'spx:10:20,'),
    code: 2,
    stderr: /--move "spx:10:20,": an empty entry \(a stray comma\?\); expected pair:percent:days like spx:10:20\[,qqq:15:60\]$/,
  },
  {
    name: 'replay --move btc:10:5',
    args: seededArgs('replay', '--move', 'btc:10:5'),
    code: 2,
    stderr: /--move "btc:10:5": unknown pair "btc" \(use spx or qqq\);/,
  },
  { name: 'replay --move spx:10', args: seededArgs('replay', '--move', 'spx:10'), code: 2, stderr: /--move "spx:10": days must be a whole number/ },
  { name: 'replay --move spx:10:20:5', args: seededArgs('replay', '--move', 'spx:10:20:5'), code: 2, stderr: /--move "spx:10:20:5": too many parts;/ },
  { name: 'replay --top 3 without --move', args: seededArgs('replay', '--top', '3'), code: 2, stderr: /--top needs --move/ },
  {
    name: 'replay --move spx:10:20 --top 0',
    args: seededArgs('replay', '--move', 'spx:10:20', '--top', '0'),
    code: 2,
    stderr: /--top must be a whole number, 1 or more, got "0"$/,
  },
  { name: 'a repeated --from', args: seededArgs('history', 'spx', '--from', '2020-01-01', '--from', '2021-01-01'), code: 2, stderr: /--from given twice/ },
  { name: 'a repeated --json', args: seededArgs('ratio', '--json', '--json'), code: 2, stderr: /--json given twice/ },
  {
    name: 'a 4,000-character pair',
    args: seededArgs('history', LONG),
    code: 2,
    stderr: /^goldratio history: unknown pair "x{39}…": use spx-gold or qqq-gold$/,
  },
  {
    name: 'a 4,000-character option',
    args: seededArgs('ratio', `--${LONG}`),
    code: 2,
    stderr: /^goldratio ratio: unknown option --x{37}…; the options are --json$/,
  },
  { name: 'a 4,000-character import instrument', args: seededArgs('import', LONG, 'x.csv'), code: 2, stderr: /^goldratio import: unknown instrument "x{39}…"/ },

  // With no data, every reading command says so the same way: stderr, exit 2, nothing on stdout.
  ...(
    [
      'history spx-gold',
      'history spx-gold --json',
      'ratio',
      'ratio --json',
      'replay',
      'replay --json',
      'power',
      'power --json',
      'chart spx-gold --out c.png',
    ] as const
  ).map(
    (cmd): Row => ({
      name: `no data: ${cmd}`,
      args: (f) => cmd.split(' ').map((w) => (w === 'c.png' ? join(f.dir, 'c.png') : w)),
      code: 2,
      stderr: /no data|Not enough data|at least 2 needed/,
    }),
  ),
  {
    name: 'no data in the range',
    args: () => ['history', 'spx', '--from', '2025-06-01'],
    env: (f) => ({ DATABASE_PATH: f.seed() }),
    code: 2,
    stderr: /no data for spx-gold from 2025-06-01 to today: the stored history runs from \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d$/,
  },

  // Folders under /proc: mkdir answers ENOENT for a parent that exists, where Node's recursive
  // mkdir spun forever at 100% CPU. One line, exit 2, at once.
  {
    name: 'digest --preview with DATA_DIR under /proc',
    args: () => ['digest', '--preview'],
    env: (f) => ({ DATABASE_PATH: f.seed(), DATA_DIR: '/proc/goldratio-nope/data' }),
    code: 2,
    stderr:
      /^goldratio digest: cannot write the chart to \/proc\/goldratio-nope\/data\/digest-[\d-]+-en\.png in the data folder \(DATA_DIR\): the file cannot be created there \(ENOENT\); give another file with --out file\.png$/,
  },
  {
    name: 'digest --preview with DATA_DIR a file',
    args: () => ['digest', '--preview'],
    env: (f) => {
      writeFileSync(join(f.dir, 'file'), 'x');
      return { DATABASE_PATH: f.seed(), DATA_DIR: join(f.dir, 'file') };
    },
    code: 2,
    stderr: /in the data folder \(DATA_DIR\): a part of the path is a file, not a folder \(ENOTDIR\); give another file with --out file\.png$/,
  },
  {
    name: 'import with DATABASE_PATH under /proc',
    args: (f) => {
      writeFileSync(join(f.dir, 'spx.csv'), 'date,close\n2025-01-02,5900\n');
      return ['import', 'spx', join(f.dir, 'spx.csv')];
    },
    env: () => ({ DATABASE_PATH: '/proc/goldratio-nope/g.db' }),
    code: 2,
    stderr: /^goldratio import: database \/proc\/goldratio-nope\/g\.db \(DATABASE_PATH\): cannot create its folder \/proc\/goldratio-nope \(ENOENT\)$/,
  },
  // A file with nothing to import says what it holds, not just "no good rows".
  {
    name: 'import of an empty file',
    args: (f) => ['import', 'spx', text(f, 'empty.csv', '')],
    code: 2,
    stderr: /^goldratio import: nothing imported: \/.*\/empty\.csv is empty$/,
  },
  {
    name: 'import of blank lines only',
    args: (f) => ['import', 'spx', text(f, 'blank.csv', '\n  \r\n\n')],
    code: 2,
    stderr: /^goldratio import: nothing imported: \/.*\/blank\.csv is empty$/,
  },
  // A file name left empty (a shell variable that was not set: import spx "$FILE") is a missing one, not "cannot read : …".
  {
    name: 'import of an empty file name',
    args: () => ['import', 'spx', ''],
    code: 2,
    stderr: /^goldratio import: missing file: usage: goldratio import <spx\|qqq\|gold\|m2> <file\.csv> \[--strict\] \[--source NAME\] \[--skip-repeats\]$/,
  },
  {
    name: 'import of a folder',
    args: (f) => ['import', 'spx', f.dir],
    code: 2,
    stderr: /^goldratio import: cannot read \/.*: it is a folder, not a file \(EISDIR\)$/,
  },
  // A wrong file of hundreds of MB (a disk image, a log): said at once from its size, not read for seconds
  // to end in "ERR_STRING_TOO_LONG". A century of daily closes is under 1 MB.
  {
    name: 'import of a 65 MB file',
    args: (f) => {
      const file = join(f.dir, 'huge.csv');
      writeFileSync(file, '');
      truncateSync(file, 65 * 1024 * 1024);
      return ['import', 'spx', file];
    },
    code: 2,
    stderr:
      /^goldratio import: nothing imported: \/.*huge\.csv is 65 MB, more than a CSV of daily closes holds \(a century of them is under 1 MB; at most 64 MB is read\): is it the right file\?$/,
  },
  {
    name: 'import of a UTF-16 export',
    args: (f) => {
      const file = join(f.dir, 'utf16.csv');
      writeFileSync(file, Buffer.from('\uFEFFdate,close\n2025-01-02,5900\n', 'utf16le'));
      return ['import', 'spx', file];
    },
    code: 2,
    // The first line says why (line 1: not UTF-8 text, a UTF-16 export?), the second that nothing landed.
    lines: 2,
    stderr: /^goldratio import: nothing imported: no good rows in \/.*utf16\.csv$/,
  },
  {
    name: 'import of a header alone',
    args: (f) => ['import', 'm2', text(f, 'header.csv', 'observation_date,M2SL\n')],
    code: 2,
    stderr: /^goldratio import: nothing imported: \/.*\/header\.csv has a header line and no rows \(a row is a date and a close: 2025-01-02,5868\.55\)$/,
  },

  // chart --out: never a silent mkdir, never a stack trace.
  {
    name: 'chart --out in a missing folder',
    args: (f) => ['chart', 'spx-gold', '--out', join(f.dir, 'nope', 'c.png')],
    env: (f) => ({ DATABASE_PATH: f.seed() }),
    code: 2,
    stderr: /cannot write --out .*c\.png: folder .*nope does not exist/,
  },
  {
    name: 'chart --out under a regular file',
    args: (f) => {
      writeFileSync(join(f.dir, 'file'), 'x');
      return ['chart', 'spx-gold', '--out', join(f.dir, 'file', 'c.png')];
    },
    env: (f) => ({ DATABASE_PATH: f.seed() }),
    code: 2,
    stderr: /cannot write --out .*: .*file is a file, not a folder/,
  },
  {
    name: 'chart --out where nobody may write',
    args: () => ['chart', 'spx-gold', '--out', '/proc/goldratio.png'],
    env: (f) => ({ DATABASE_PATH: f.seed() }),
    code: 2,
    stderr: /cannot write --out \/proc\/goldratio\.png: [a-z][a-z ,-]+ \(E[A-Z]+\)$/m,
  },

  // DATABASE_PATH pointing at the wrong thing, for reading and writing commands alike.
  ...(['status', 'ratio', 'history spx', 'import spx prices.csv'] as const).flatMap((cmd): Row[] => {
    const args = (f: Fixture) => cmd.split(' ').map((w) => (w === 'prices.csv' ? csvFile(f) : w));
    return [
      {
        name: `${cmd}: a text file`,
        args,
        env: (f) => ({ DATABASE_PATH: text(f, 'notes.txt', 'these are my notes\n') }),
        code: 2,
        stderr: /database .*notes\.txt \(DATABASE_PATH\): is not a SQLite database/,
      },
      {
        name: `${cmd}: a truncated database`,
        args,
        env: (f) => ({ DATABASE_PATH: truncated(f) }),
        code: 2,
        stderr: /database .*cut\.db \(DATABASE_PATH\): is truncated or damaged/,
      },
      {
        name: `${cmd}: a path under a regular file`,
        args,
        env: (f) => ({ DATABASE_PATH: join(text(f, 'plain', 'x'), 'goldratio.db') }),
        code: 2,
        stderr: /database .*plain\/goldratio\.db \(DATABASE_PATH\): a part of the path is a file, not a folder/,
      },
      { name: `${cmd}: a folder`, args, env: (f) => ({ DATABASE_PATH: f.dir }), code: 2, stderr: /\(DATABASE_PATH\): is a folder, not a database file/ },
    ];
  }),
  {
    name: 'import into a read-only database',
    args: (f) => ['import', 'spx', csvFile(f)],
    env: (f) => ({ DATABASE_PATH: readOnly(f) }),
    code: 2,
    stderr: /database .*ro\.db \(DATABASE_PATH\): is read-only/,
  },
  // Damage past the header shows only when SQLite reads the page: exit 1, one line naming the database.
  {
    name: 'a database damaged inside',
    args: seededArgs('ratio'),
    env: (f) => ({ DATABASE_PATH: damaged(f) }),
    code: 1,
    stderr: /^goldratio ratio: database .*damaged\.db: .*\(SQLITE_CORRUPT\)$/,
  },
];

function text(f: Fixture, name: string, body: string): string {
  const p = join(f.dir, name);
  writeFileSync(p, body);
  return p;
}
function csvFile(f: Fixture): string {
  return text(f, 'prices.csv', 'date,close\n2025-02-05,6050.1\n');
}
function truncated(f: Fixture): string {
  const p = join(f.dir, 'cut.db');
  writeFileSync(p, readFileSync(seeded).subarray(0, 5000));
  return p;
}
function readOnly(f: Fixture): string {
  const p = f.seed(join(f.dir, 'ro.db'));
  chmodSync(p, 0o444);
  return p;
}
function damaged(f: Fixture): string {
  const p = f.seed(join(f.dir, 'damaged.db'));
  const handle = openDatabase(p);
  const { rootpage } = handle.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'closes'").get() as { rootpage: number };
  handle.close();
  const bytes = readFileSync(p);
  const pageSize = bytes.readUInt16BE(16);
  // The closes table's page becomes garbage; the header, the schema and the size stay right.
  bytes.fill(0xa5, (rootpage - 1) * pageSize, rootpage * pageSize);
  writeFileSync(p, bytes);
  return p;
}

/**
 * What a disk that filled during a checkpoint leaves: SQLite wrote page 1 (counting every page) and
 * could not grow the file past it, and the -wal beside it, not yet reset, still holds every page.
 */
function cutCheckpoint(f: Fixture): string {
  const p = join(f.dir, 'full.db');
  const writer = openDatabase(p);
  writer.pragma('wal_autocheckpoint = 0');
  writer.prepare('ATTACH ? AS seed').run(seeded);
  writer.exec('INSERT OR REPLACE INTO closes SELECT * FROM seed.closes; DETACH seed');
  // The -wal as the writer left it, then page 1 as a checkpoint writes it first.
  const wal = readFileSync(`${p}-wal`);
  writer.pragma('wal_checkpoint(TRUNCATE)');
  const pageSize = writer.pragma('page_size', { simple: true }) as number;
  const page1 = readFileSync(p).subarray(0, pageSize);
  writer.close();
  writeFileSync(p, page1);
  writeFileSync(`${p}-wal`, wal);
  return p;
}

/** Every file under dir with its size and mtime: equal before and after means nothing was written. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => {
      const st = statSync(join(dir, name));
      return `${name} ${st.isDirectory() ? 'dir' : `${st.size} ${st.mtimeMs} ${st.mode.toString(8)}`}`;
    })
    .sort();
}

let n = 0;
function fixture(): Fixture {
  const dir = join(root, `row-${n++}`);
  mkdirSync(dir);
  return {
    dir,
    db: join(dir, 'missing', 'goldratio.db'),
    seed: (path = join(dir, 'seeded.db')) => {
      copyFileSync(seeded, path);
      return path;
    },
  };
}

describe('bad input: one clear line, the right exit code, nothing written', () => {
  test.each(ROWS.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
    const f = fixture();
    // The lines a user reads at a terminal (off one, start, backfill and import answer in JSON log lines: tests/cli.test.ts).
    const env = { DATABASE_PATH: f.db, DATA_DIR: join(f.dir, 'data'), LOG_FORMAT: 'pretty', ...row.env?.(f) };
    const args = row.args(f);
    const before = snapshot(f.dir);
    const r = await runCliInProcess(args, env);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: row.code, stdout: '' });
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, r.stderr).toHaveLength(row.lines ?? 1);
    expect(
      lines.slice(row.lines === undefined ? 0 : 1).every((l) => row.stderr.test(l)),
      r.stderr,
    ).toBe(true);
    expect(r.stderr).not.toMatch(/\n\s+at .*:\d+/);
    expect(snapshot(f.dir)).toEqual(before);
  });
});

describe('reading commands create nothing', () => {
  test('GIVEN a read-only database THEN ratio, history, status and replay read it and leave no -wal/-shm beside it', async () => {
    const f = fixture();
    const db = readOnly(f);
    const before = snapshot(f.dir);
    for (const args of [['ratio'], ['history', 'spx', '--json'], ['status'], ['replay'], ['power', '--base', '2025-01-02']]) {
      const r = await runCliInProcess(args, { DATABASE_PATH: db, DATA_DIR: f.dir });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout).not.toBe('');
    }
    expect(snapshot(f.dir)).toEqual(before);
  });

  test('GIVEN a checkpoint a full disk cut short (page 1 counts pages the file lacks, they are in the -wal beside it) THEN status and ratio read it, and import writes to it', async () => {
    const f = fixture();
    const db = cutCheckpoint(f);
    for (const args of [['status'], ['ratio']]) {
      const r = await runCliInProcess(args, { DATABASE_PATH: db, DATA_DIR: f.dir, LOG_FORMAT: 'pretty' });
      expect({ code: r.code, stderr: r.stderr }, args.join(' ')).toEqual({ code: 0, stderr: '' });
      expect(r.stdout).toMatch(/2025-02-04/);
    }
    const r = await runCliInProcess(['import', 'spx', csvFile(f)], { DATABASE_PATH: db, DATA_DIR: f.dir, LOG_FORMAT: 'pretty' });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^spx: 1 good row \(1 new/);
  });

  test('GIVEN a write SQLite refuses for a full disk (SQLITE_FULL) THEN the one line says the disk is full and what to do, exit 1', () => {
    const f = fixture();
    const path = f.seed();
    const db = openDatabase(path);
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    let e: unknown;
    try {
      db.prepare("INSERT INTO meta (key, value) VALUES ('filler', ?)").run('x'.repeat(100_000));
    } catch (thrown) {
      e = thrown;
    } finally {
      db.close();
    }
    expect((e as { code?: string }).code).toBe('SQLITE_FULL');
    expect(describeFailure(e, path)).toEqual({
      code: 1,
      message: `database ${path}: the disk it is on is full (SQLITE_FULL): free some space there, then run the command again`,
    });
  });

  test('GIVEN a mistyped DATABASE_PATH THEN status says it does not exist yet and creates no folder', async () => {
    const f = fixture();
    const r = await runCliInProcess(['status'], { DATABASE_PATH: f.db, DATA_DIR: f.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/database .*missing\/goldratio\.db \(not created yet\)/);
    expect(readdirSync(f.dir)).toEqual([]);
  });

  test('GIVEN choices in any case THEN chart accepts --theme DARK and --lang zh-tw', async () => {
    const f = fixture();
    const out = join(f.dir, 'c.png');
    const r = await runCliInProcess(['chart', 'SPX-GOLD', '--theme', 'DARK', '--lang', 'zh-tw', '--range', 'max', '--out', out], {
      DATABASE_PATH: f.seed(),
      DATA_DIR: f.dir,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(out).subarray(1, 4).toString()).toBe('PNG');
  });

  test('GIVEN LOG_LEVEL=debug THEN an unexpected failure also shows its stack', async () => {
    const f = fixture();
    const r = await runCliInProcess(['ratio'], { DATABASE_PATH: damaged(f), DATA_DIR: f.dir, LOG_LEVEL: 'debug' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/SQLITE_CORRUPT/);
    expect(r.stderr).toMatch(/\n\s+at .*:\d+/);
  });
});

describe('the process itself (spawned)', () => {
  const BIN = fileURLToPath(new URL('../bin/goldratio.js', import.meta.url));
  const spawnEnv = (extra: Record<string, string>) => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...extra });

  test('GIVEN LOG_LEVEL=debug and an unexpected failure THEN the bin prints its stack naming the src/ files and lines, from the bundle it runs', () => {
    const f = fixture();
    const r = spawnSync(process.execPath, [BIN, 'ratio'], {
      env: spawnEnv({ DATABASE_PATH: damaged(f), LOG_LEVEL: 'debug' }),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/SQLITE_CORRUPT/);
    // The bundle's maps are read when the stack is printed (bin/bundle.js mapStacks): the frames are the sources', not its chunks'.
    const src = fileURLToPath(new URL('../src/', import.meta.url));
    const frames = r.stderr.split('\n').filter((l) => /^\s+at /.test(l));
    expect(
      frames.find((l) => l.includes(`${src}store/`)),
      r.stderr,
    ).toMatch(/\.ts:\d+:\d+\)$/);
    expect(
      frames.filter((l) => /\.cache\/goldratio\//.test(l)),
      r.stderr,
    ).toEqual([]);
  });

  test('GIVEN a .env that is a folder THEN one line and exit 2', () => {
    const f = fixture();
    mkdirSync(join(f.dir, '.env'));
    const r = spawnSync(process.execPath, [BIN, 'status'], { cwd: f.dir, env: spawnEnv({ DATABASE_PATH: f.db }), encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^goldratio: cannot read \.env in .*: it is a folder, not a file\n$/);
    expect(r.stdout).toBe('');
  });

  test('GIVEN a .env saved with a byte-order mark and CRLF line ends (a Windows editor) THEN its first variable counts; the environment still wins', () => {
    const f = fixture();
    const db = f.seed(join(f.dir, 'from-env-file.db'));
    writeFileSync(join(f.dir, '.env'), `\uFEFFDATABASE_PATH=${db}\r\nDEFAULT_LANG=zh-TW\r\n`);
    const r = spawnSync(process.execPath, [BIN, 'status'], { cwd: f.dir, env: spawnEnv({}), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')[0]).toBe(`database ${db}`);
    const other = join(f.dir, 'given.db');
    const given = spawnSync(process.execPath, [BIN, 'status'], { cwd: f.dir, env: spawnEnv({ DATABASE_PATH: other }), encoding: 'utf8' });
    expect(given.stdout.split('\n')[0]).toBe(`database ${other} (not created yet)`);
  });

  test('GIVEN a .env line that is not NAME=value THEN what is wrong names the line: never the next variable silently lost', async () => {
    const f = fixture();
    const db = f.seed(join(f.dir, 'from-env-file.db'));
    // The bin's reading of the .env (bin/dotenv.js), in this process: each problem is the end of the
    // one line and exit 2 the folder case above shows through the real bin.
    const dotEnv = (body: string) => {
      writeFileSync(join(f.dir, '.env'), body);
      return readDotEnv(f.dir) as { vars?: Record<string, string>; problem?: string };
    };
    // Node's parser reads "Telegram settings\nDATABASE_PATH" as one name: the variable after a stray note vanished.
    expect(dotEnv(`# goldratio\nTelegram settings\nDATABASE_PATH=${db}\n`)).toEqual({
      problem: 'line 2 is not NAME=value (a comment starts with #); fix or remove it',
    });
    // A # inside an unquoted value (a password in a URL) cut it there: the rest vanished as a comment.
    expect(dotEnv('# goldratio\nDATABASE_URL=postgres://u:p#ss@db/goldratio\n')).toEqual({
      problem:
        'line 2: the value of DATABASE_URL has a # in it, and everything from the # on would be read as a comment; in a URL a # of a password is written %23 (p%23ss for p#ss)',
    });
    // Written so, it connects as user u with the password p#ss (here: to a server that is not there).
    const encoded = dotEnv('DATABASE_URL=postgres://u:p%23ss@127.0.0.1:1/goldratio\n');
    expect(encoded).toEqual({ vars: { DATABASE_URL: 'postgres://u:p%23ss@127.0.0.1:1/goldratio' } });
    const refused = await runCliInProcess(['status'], encoded.vars!);
    expect([refused.code, refused.stdout]).toEqual([2, '']);
    expect(refused.stderr).toMatch(
      /^goldratio status: cannot reach PostgreSQL at 127\.0\.0\.1:1 \(DATABASE_URL: postgres:\/\/u@127\.0\.0\.1:1\/goldratio\): ECONNREFUSED/,
    );
    // A value that is not a URL is told to go in quotes.
    expect(dotEnv('# goldratio\nTELEGRAM_WEBHOOK_SECRET=abc#def\n')).toEqual({
      problem:
        'line 2: the value of TELEGRAM_WEBHOOK_SECRET has a # in it, and everything from the # on would be read as a comment; put the value in quotes (TELEGRAM_WEBHOOK_SECRET="…")',
    });
    // A quoted value over several lines, `export `, a comment after a value and a # inside quotes still read as before.
    const ok = dotEnv(`NOTE="two\nlines"\nHASH='p#ss'\nexport DATABASE_PATH="${db}" # the copy\n`);
    expect(ok).toEqual({ vars: { NOTE: 'two\nlines', HASH: 'p#ss', DATABASE_PATH: db } });
    const status = await runCliInProcess(['status'], ok.vars!);
    expect(status.stderr).toBe('');
    expect(status.stdout.split('\n')[0]).toBe(`database ${db}`);
  });

  test('GIVEN `history | head -1` THEN the reader leaving ends goldratio quietly', async () => {
    const f = fixture();
    // Enough rows that the output outgrows the pipe's buffer, so the write meets the closed pipe.
    const lines = ['date,close'];
    for (let d = Date.UTC(2000, 0, 3), i = 0; i < 6000; i++, d += 86_400_000) lines.push(`${new Date(d).toISOString().slice(0, 10)},${1000 + (i % 50)}`);
    const env = { DATABASE_PATH: join(f.dir, 'pipe.db'), MAX_MOVE_PCT: '100' };
    // The imports only set the scene: in-process (a spawn costs 1-3 s of CPU); the pipe is what is tested.
    for (const i of ['spx', 'gold']) {
      const r = await runCliInProcess(['import', i, text(f, `${i}.csv`, `${lines.join('\n')}\n`)], env);
      expect(r.code, r.stderr).toBe(0);
    }
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" history spx-gold | head -1; echo "exit=\${PIPESTATUS:-done}"`], {
      env: spawnEnv(env),
      encoding: 'utf8',
    });
    expect(r.stdout.split('\n')[0]).toMatch(/^2000-01-03 {2}/);
    expect(r.stderr).toBe('');
  });
});

describe('import reads a close only as a plain decimal number', () => {
  /** Imports `body` into a copy of the seeded database; returns the run and spx's stored closes after. */
  async function importSpx(body: string, ...flags: string[]) {
    const f = fixture();
    const db = f.seed();
    const file = text(f, 'spx.csv', body);
    const r = await runCliInProcess(['import', 'spx', file, ...flags], { DATABASE_PATH: db, DATA_DIR: f.dir, LOG_FORMAT: 'pretty' });
    const handle = openDatabase(db);
    const closes = await new QuoteStore(onSqlite(handle)).closes('spx');
    handle.close();
    return { ...r, closes, file };
  }
  const seededSpx = [5900, 5959, 6018, 6077, 6136];

  test.each(['0x10', '0b101', '0o17', '1e3', '+5', 'Infinity', '5,960.00'])(
    'GIVEN close %s THEN a bad row with its line number, nothing stored',
    async (close) => {
      const r = await importSpx(`date,close\n2025-01-02,5960.5\n2025-01-03,${close}\n`, '--strict');
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/spx\.csv:3: close "[^"]*" (is not a positive number|has a thousands separator)/);
      expect(r.closes.map((p) => Math.round(p.value))).toEqual(seededSpx);
    },
  );

  test('GIVEN a decimal comma in a comma-separated file THEN that row is refused with a hint', async () => {
    const r = await importSpx('date,close\n2025-01-03,6010,94\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/spx\.csv:2: close "6010,94" has a decimal comma: goldratio reads comma-separated files with a decimal point/);
    expect(r.closes.map((p) => Math.round(p.value))).toEqual(seededSpx);
  });

  test('GIVEN a ;-separated file THEN it is refused whole with a hint, never read as 3023', async () => {
    const r = await importSpx('date;close\n2020-03-05;3023,94\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/spx\.csv:1: the file is separated by ";" .*decimal point .*save it as CSV with "\." decimals/);
    expect(r.closes.some((p) => p.date === '2020-03-05')).toBe(false);
  });

  test('GIVEN a close that jumps against the stored neighbours THEN it is reported and skipped, and --strict lands nothing', async () => {
    const body = 'date,close\n2025-01-03,16\n2025-02-05,6140.5\n';
    const strict = await importSpx(body, '--strict');
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/spx\.csv:2: spx moved 99\.\d% on 2025-01-03 \(5959 → 16\), more than 15% against its neighbours/);
    expect(strict.closes.map((p) => Math.round(p.value))).toEqual(seededSpx);

    const r = await importSpx(body);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/spx: 1 good row \(1 new, 0 updated, 0 unchanged\), 1 bad row skipped/);
    expect(r.closes.find((p) => p.date === '2025-01-03')?.value).toBe(6018);
  });
});

describe('closes on days with no close are refused, each a bad row with its line (import; the sync asks the same check)', () => {
  /** Monday 2026-08-24, 09:00 New York = 14:00 London: neither the NYSE close nor the London PM fix is final yet. */
  const MONDAY_MORNING = Date.parse('2026-08-24T13:00:00Z');
  async function importRows(instrument: string, body: string, nowMs: number) {
    const f = fixture();
    const db = f.seed();
    const file = text(f, `${instrument}.csv`, `date,close\n${body}\n`);
    const r = await runCliInProcess(['import', instrument, file], { DATABASE_PATH: db, DATA_DIR: f.dir, LOG_FORMAT: 'pretty' }, { nowMs });
    const handle = openDatabase(db);
    const dates = (await new QuoteStore(onSqlite(handle)).closes(instrument as 'spx')).map((p) => p.date);
    handle.close();
    return { ...r, dates };
  }

  test.each([
    ['spx', '2026-08-22,6400', /spx\.csv:2: spx 2026-08-22 is not an NYSE trading day \(a Saturday\)/],
    ['spx', '2026-08-23,6400', /spx\.csv:2: spx 2026-08-23 is not an NYSE trading day \(a Sunday\)/],
    ['qqq', '2025-12-25,520', /qqq\.csv:2: qqq 2025-12-25 is not an NYSE trading day \(a market holiday\)/],
    ['spx', '0100-01-04,6400', /spx\.csv:2: spx 0100-01-04 is before 1927-12-30, the first close of the S&P index series/],
    ['qqq', '1999-03-09,51', /qqq\.csv:2: qqq 1999-03-09 is before 1999-03-10, QQQ's first trading day/],
    ['spx', '2026-08-24,6400', /spx\.csv:2: spx 2026-08-24 is today and its close is not final yet \(after 16:00 New York\)/],
    ['gold', '2026-08-22,2700', /gold\.csv:2: gold 2026-08-22 is a Saturday: gold has no close on weekends/],
    ['gold', '2026-08-24,2700', /gold\.csv:2: gold 2026-08-24 is today and its close is not final yet \(after 15:00 London\)/],
    ['gold', '1967-12-29,35', /gold\.csv:2: gold 1967-12-29 is before 1968-01-02, the first day of the daily London gold price/],
    ['m2', '2026-07-15,21600', /m2\.csv:2: m2 2026-07-15 is not the 1st of a month: M2 is monthly, dated 2026-07-01/],
    ['m2', '2026-08-01,21600', /m2\.csv:2: m2 2026-08 has not ended yet \(today is 2026-08-24 in New York\)/],
    ['m2', '1958-12-01,1500', /m2\.csv:2: m2 1958-12-01 is before 1959-01-01, the first month of the M2 series/],
  ])('GIVEN %s %s THEN a bad row with its line, nothing stored, exit 2', async (instrument, row, message) => {
    const r = await importRows(instrument, row, MONDAY_MORNING);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^goldratio import: nothing imported: no good rows in /);
    expect(r.dates).not.toContain(row.slice(0, 10));
    expect(r.stdout).toBe('');
  });

  test('GIVEN the last trading day, last month and a weekday of gold THEN they land; today lands once its close is final', async () => {
    const morning = await importRows('spx', '2026-08-21,6400\n2026-08-22,6400\n2026-08-24,6410', MONDAY_MORNING);
    expect(morning.code).toBe(0);
    expect(morning.stdout).toMatch(/^spx: 1 good row .*2 bad rows skipped, 2026-08-21 \.\. 2026-08-21/);
    expect(morning.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/spx\.csv:3: .*a Saturday/),
      expect.stringMatching(/spx\.csv:4: .*not final yet/),
    ]);
    // 16:30 New York: the session has ended, Monday's close is final.
    const evening = await importRows('spx', '2026-08-21,6400\n2026-08-24,6410', Date.parse('2026-08-24T20:30:00Z'));
    expect(evening.code).toBe(0);
    expect(evening.dates.slice(-2)).toEqual(['2026-08-21', '2026-08-24']);
    expect((await importRows('m2', '2026-07-01,21600', MONDAY_MORNING)).dates.at(-1)).toBe('2026-07-01');
    // 15:30 London: the PM fix is set.
    expect((await importRows('gold', '2026-08-24,2700', Date.parse('2026-08-24T14:30:00Z'))).dates.at(-1)).toBe('2026-08-24');
  });

  test('GIVEN the day after Thanksgiving (an early close) THEN its close is refused until 13:00 New York, naming that hour, and lands after it', async () => {
    const noon = await importRows('spx', '2026-11-27,6400', Date.parse('2026-11-27T17:00:00Z'));
    expect(noon.code).toBe(2);
    expect(noon.stderr).toMatch(/spx\.csv:2: spx 2026-11-27 is today and its close is not final yet \(after 13:00 New York\)/);
    // 13:30 New York: three hours before a full day's close, but this session is over.
    const after = await importRows('spx', '2026-11-27,6400', Date.parse('2026-11-27T18:30:00Z'));
    expect(after.code).toBe(0);
    expect(after.dates.at(-1)).toBe('2026-11-27');
  });
});

describe('digest --preview and power on partial data (issue 15, smaller items)', () => {
  /** SPX and gold over the trading days of early 2025, no QQQ; M2 when asked. */
  async function partial(f: Fixture, withM2: boolean, withQqq = false): Promise<string> {
    const path = join(f.dir, 'partial.db');
    const db = openDatabase(path);
    const store = new QuoteStore(onSqlite(db));
    const days: string[] = [];
    // 39 trading days: 2025-01-02 to 02-28 (the exchange was shut on 01-09 for President Carter).
    for (let d = Date.UTC(2025, 0, 2); days.length < 39; d += 86_400_000) {
      const iso = new Date(d).toISOString().slice(0, 10);
      if (isTradingDay(iso)) days.push(iso);
    }
    const rows = (base: number) => days.map((date, i) => ({ date, close: base + i, source: 'seed' }));
    await store.upsertCloses('spx', rows(5900));
    await store.upsertCloses('gold', rows(2650));
    if (withQqq) await store.upsertCloses('qqq', rows(510));
    if (withM2)
      await store.upsertCloses(
        'm2',
        ['2024-12-01', '2025-01-01', '2025-02-01'].map((date) => ({ date, close: 21500, source: 'seed' })),
      );
    db.close();
    return path;
  }

  test('GIVEN only SPX and gold THEN digest --preview shows what there is and says why the chart is not drawn, exit 0', async () => {
    const f = fixture();
    // The morning after the last close: no newer close is due (later, the preview says one is missing).
    const r = await runCliInProcess(
      ['digest', '--preview'],
      { DATABASE_PATH: await partial(f, false), DATA_DIR: f.dir },
      { nowMs: Date.parse('2025-03-01T12:00:00Z') },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^goldratio digest · US close of 2025-02-28\nSPX\/Gold 2\.2\d+ · 1D /);
    expect(r.stdout).not.toContain('QQQ/Gold 0');
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^chart: not drawn: Not enough data for the QQQ\/Gold chart/);
    expect(r.stderr).toBe('');
  });

  test.each([
    [
      'a missing folder',
      (dir: string) => join(dir, 'missing', 'd.png'),
      /^goldratio digest: cannot write --out .*missing\/d\.png: folder .*missing does not exist\n$/,
    ],
    [
      'a folder',
      (dir: string) => {
        mkdirSync(join(dir, 'charts.png'));
        return join(dir, 'charts.png');
      },
      /^goldratio digest: cannot write --out .*charts\.png: it is a folder, not a file \(EISDIR\)\n$/,
    ],
    // As chart --out: a PNG under another name (x.txt) is refused before anything is drawn.
    ['a file that is not .png', (dir: string) => join(dir, 'digest.txt'), /^goldratio digest: --out must name a \.png file, got ".+"\n$/],
  ])('GIVEN digest --out into %s THEN one clear line, exit 2, nothing on stdout', async (_name, out, line) => {
    const f = fixture();
    const r = await runCliInProcess(['digest', '--preview', '--out', out(f.dir)], { DATABASE_PATH: await partial(f, true, true), DATA_DIR: f.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(line);
    expect(r.stdout).toBe('');
  });

  test('GIVEN power --base and --to on the same Saturday with the data there THEN it says the span holds no close, not "run backfill"', async () => {
    const f = fixture();
    const env = { DATABASE_PATH: await partial(f, true, true), DATA_DIR: f.dir };
    const r = await runCliInProcess(['power', '--base', '2025-01-11', '--to', '2025-01-11'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'goldratio power: no close from 2025-01-11 to 2025-01-11: the index starts at the first close on or after --base, 2025-01-13; give a --to on or after it\n',
    );
    const ok = await runCliInProcess(['power', '--base', '2025-01-11', '--to', '2025-01-13'], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('as of 2025-01-13');
  });
});
