/**
 * The `goldratio` command as a user runs it, with a real database file: in this process through the
 * same `main` the bin calls (fast), plus a few runs of the real bin in a child process (smoke).
 * Every test gets its own database, so none depends on another having run first.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { packageVersion } from '../src/cli.ts';
import { COMMANDS } from '../src/cli/registry.ts';
import { SUBCOMMAND_HELP, subcommandsOf } from '../src/cli/specs.ts';
import { t } from '../src/domain/i18n/index.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, runCliInProcess as cli } from './helpers/cli.ts';
import { openDatabase } from '../src/store/db.ts';
import { latestVersion, MIGRATIONS } from '../src/store/migrations/index.ts';
import { acquireInstanceLock } from '../src/store/instance-lock.ts';
import { sourcesAt } from './helpers/sources.ts';

// Made when the file's tests run (not at import): a run that filters them all out leaves nothing behind.
let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'goldratio-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let databases = 0;
/** A fresh, empty database for one test. */
function freshEnv(): Record<string, string> {
  // Called before beforeAll (in a describe's body), it would put the database in the working folder.
  if (dir === '') throw new Error('freshEnv() before the temp folder exists: call it in a test or a hook');
  return { DATABASE_PATH: join(dir, `cli-${++databases}.db`), DATA_DIR: dir };
}

function csv(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('naming the variable that placed the database', () => {
  test.each([
    [
      'DATA_DIR under a file',
      (d: string): [string, Record<string, string>] => ['status', { DATA_DIR: join(d, 'file.txt') }],
      'a part of the path is a file, not a folder',
    ],
    ['no database for webhook list', (d: string): [string, Record<string, string>] => ['webhook list', { DATA_DIR: join(d, 'empty') }], 'so no webhooks yet'],
    ['no database to back up', (d: string): [string, Record<string, string>] => [`backup ${join(d, 'b.db')}`, { DATA_DIR: join(d, 'empty') }], 'to back up'],
  ] as const)(
    'GIVEN only DATA_DIR set and %s THEN the one line names DATA_DIR, not DATABASE_PATH (which the operator never set)',
    async (_name, setup, said) => {
      const d = mkdtempSync(join(dir, 'data-dir-'));
      writeFileSync(join(d, 'file.txt'), 'x');
      mkdirSync(join(d, 'empty'));
      const [args, env] = setup(d);
      const r = await cli(args.split(' '), env, { cwd: d });
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(said);
      expect(r.stderr).toContain('(DATA_DIR)');
      expect(r.stderr).not.toContain('DATABASE_PATH');
    },
  );
});

describe('import --source', () => {
  test.each([
    ['empty', ''],
    ['blank', '   '],
    ['a line break', 'evil\nqqq   fake line'],
    ['an escape sequence', 'x\u001b[31mred'],
    ['41 characters', 'x'.repeat(41)],
  ])('GIVEN --source %s THEN one line, exit 2, nothing imported (status would show it on its one line per instrument)', async (_name, source) => {
    const env = freshEnv();
    const r = await cli(['import', 'spx', csv('source.csv', 'date,close\n2024-01-03,4704.81\n'), '--source', source], { ...env, LOG_FORMAT: 'pretty' });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--source must be a short name \(1 to 40 characters, no line breaks\)/);
    expect(existsSync(env.DATABASE_PATH!)).toBe(false);
  });

  test('GIVEN --source " my vendor " THEN status shows it trimmed', async () => {
    const env = freshEnv();
    expect((await cli(['import', 'spx', csv('source.csv', 'date,close\n2024-01-03,4704.81\n'), '--source', ' my vendor '], env)).code).toBe(0);
    expect((await cli(['status'], env)).stdout).toMatch(/^spx .*\(my vendor, /m);
  });
});

describe('a span outside the stored history', () => {
  test.each([
    [
      ['history', 'qqq-gold', '--to', '1998-12-31'],
      'goldratio history: no data for qqq-gold from the start to 1998-12-31: the stored history runs from 2024-01-02 to 2024-01-05\n',
    ],
    [
      ['history', 'spx-gold', '--from', '2024-02-01'],
      'goldratio history: no data for spx-gold from 2024-02-01 to today: the stored history runs from 2024-01-02 to 2024-01-05\n',
    ],
    [['replay', '--to', '1998-12-31'], 'goldratio replay: no data from the start to 1998-12-31: the stored history runs from 2024-01-02 to 2024-01-05\n'],
  ])('GIVEN %j THEN it says where the stored history runs, not "run goldratio backfill" (which would fetch nothing)', async (args, said) => {
    const env = freshEnv();
    const closes = (base: number) => `date,close\n2024-01-02,${base}\n2024-01-03,${base + 1}\n2024-01-04,${base + 2}\n2024-01-05,${base + 3}\n`;
    for (const [id, base] of [
      ['spx', 4700],
      ['qqq', 400],
      ['gold', 2050],
    ] as const)
      expect((await cli(['import', id, csv(`${id}-span.csv`, closes(base))], env)).code).toBe(0);
    const r = await cli(args, env, { nowMs: Date.parse('2024-03-01T12:00:00Z') });
    expect([r.code, r.stderr, r.stdout]).toEqual([2, said, '']);
  });
});

describe('a misspelt variable', () => {
  test('GIVEN TELEGRAM_BOT_TOKN in the environment THEN the command warns in one line naming TELEGRAM_BOT_TOKEN, without the value, and runs', async () => {
    const r = await cli(['status'], { ...freshEnv(), TELEGRAM_BOT_TOKN: '123456:AAAsecret', LOG_FORMAT: 'pretty' });
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/TELEGRAM_BOT_TOKN is not a goldratio variable, so it is ignored: did you mean TELEGRAM_BOT_TOKEN\?/);
    expect(r.stderr).not.toContain('AAAsecret');
  });

  // The misspelling is then most likely why the configuration is refused: said with the problems, not lost.
  test('GIVEN TELEGRAM_WEBHOOK_SECRT beside TELEGRAM_WEBHOOK_URL THEN the refusal lists the misspelt name with the missing secret, exit 2', async () => {
    const env = { ...freshEnv(), TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/hook', TELEGRAM_WEBHOOK_SECRT: 'AAAsecret-value', LOG_FORMAT: 'pretty' };
    const r = await cli(['status'], env);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(
      'goldratio status: invalid configuration:\n' +
        '  - TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_WEBHOOK_URL is set\n' +
        '  - TELEGRAM_WEBHOOK_SECRT is not a goldratio variable, so it is ignored: did you mean TELEGRAM_WEBHOOK_SECRET?\n',
    );
    const json = await cli(['start'], { ...env, LOG_FORMAT: 'json' });
    expect(json.code).toBe(2);
    const line = JSON.parse(json.stderr) as { problems: string[] };
    expect(line.problems).toContain('TELEGRAM_WEBHOOK_SECRT is not a goldratio variable, so it is ignored: did you mean TELEGRAM_WEBHOOK_SECRET?');
    expect(json.stderr).not.toContain('AAAsecret');
  });
});

describe('what help, --version and a typo load', () => {
  const HOOK = fileURLToPath(new URL('./fakes/load-log.mjs', import.meta.url));
  /** Every file a real bin run loaded (tests/fakes/load-log.mjs), with what each is. */
  function loaded(args: string[], env: Record<string, string> = {}): { code: number | null; driver: boolean; kysely: boolean; catalogue: boolean } {
    const log = join(mkdtempSync(join(tmpdir(), 'goldratio-loads-')), 'loads.txt');
    writeFileSync(log, '');
    const r = runCli(args, { NODE_OPTIONS: `--import=${HOOK}`, GOLDRATIO_LOAD_LOG: log, ...env });
    const files = [...new Set(readFileSync(log, 'utf8').split('\n'))]
      .filter((l) => l.startsWith('file:') || l.startsWith('/'))
      .map((l) => (l.startsWith('file:') ? fileURLToPath(l) : l));
    rmSync(join(log, '..'), { recursive: true, force: true });
    // Bundled (bin/bundle.js) or through tsx, Kysely and the catalogues are known by what their files hold.
    const holding = (text: string) => files.some((f) => /\.(m?js|ts)$/.test(f) && readFileSync(f, 'utf8').includes(text));
    return {
      code: r.code,
      driver: files.some((f) => /[/\\]node_modules[/\\](better-sqlite3(-13)?|pg)[/\\]/.test(f)),
      kysely: files.some((f) => /[/\\]node_modules[/\\]kysely[/\\]/.test(f)) || holding('Kysely = class') || holding('class Kysely'),
      catalogue: holding("'chat.sub.stoppedOn'") || holding('"chat.sub.stoppedOn"'),
    };
  }

  test('GIVEN --help, help <command>, --version or a typo THEN the real bin answers without loading a database driver, Kysely or the catalogues; a command that runs loads them', () => {
    for (const args of [['--help'], ['help', 'status'], ['status', '--help'], ['--version'], ['statsu']])
      expect({ args, ...loaded(args) }).toEqual({ args, code: args[0] === 'statsu' ? 2 : 0, driver: false, kysely: false, catalogue: false });
    // The same check sees them when they load: a command that runs on a database.
    const dir = mkdtempSync(join(tmpdir(), 'goldratio-loads-db-'));
    try {
      openDatabase(join(dir, 'g.db')).close();
      expect(loaded(['webhook', 'list'], { DATABASE_PATH: join(dir, 'g.db') })).toEqual({ code: 0, driver: true, kysely: true, catalogue: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Six real bins one after another: 1.5 s alone, 17 s at load 12 (speed24), past the 30 s default at load 20.
  }, 150_000);
});

describe('goldratio help', () => {
  test("GIVEN help <command> THEN that command's usage, as <command> --help gives it, exit 0", async () => {
    const asked = await cli(['help', 'power'], {});
    expect(asked).toEqual(await cli(['power', '--help'], {}));
    expect(asked.code).toBe(0);
    expect(asked.stdout).toMatch(/^Usage: goldratio power \[--base D\|SPAN\]/);
  });

  test.each([['help'], ['--help'], ['-h']])('GIVEN %s THEN the help on stdout, nothing on stderr, exit 0', async (flag) => {
    const r = await cli([flag], {});
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^goldratio: .*\n\nUsage: goldratio <command> \[options\]\n/);
  });

  test('GIVEN no command THEN a usage error like an unknown one: the help on stderr, nothing on stdout, exit 2', async () => {
    const r = await cli([], {});
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe((await cli(['help'], {})).stdout);
  });

  // What a command's help shows is what it accepts: an option it does not take is refused naming the
  // ones it does, and those are the ones its usage line shows.
  test.each(COMMANDS.map((c) => [c.name] as const))('GIVEN %s --frobnicate THEN one line naming the options its help shows, exit 2', async (name) => {
    const r = await cli([name, '--frobnicate'], { DATABASE_PATH: join(dir, 'help-options.db'), DATA_DIR: dir, LOG_FORMAT: 'pretty' });
    expect([r.code, r.stdout]).toEqual([2, '']);
    const shown = [...new Set(COMMANDS.find((c) => c.name === name)!.usage.match(/--[a-z-]+/g) ?? [])].sort();
    const said = shown.length === 0 ? ': this command takes no options' : `; the options are ${shown.join(', ')}`;
    const line = r.stderr.replace(/the options are (.*)\n$/, (_m, list: string) => `the options are ${list.split(', ').sort().join(', ')}\n`);
    expect(line).toBe(`goldratio ${name}: unknown option --frobnicate${said}\n`);
    expect(existsSync(join(dir, 'help-options.db'))).toBe(false);
  });

  // Every date option a usage line shows says whether it takes a span back (1y): `--from D|SPAN`
  // where the command reads one, `--to D` where it does not. Each is run with 1y to see which.
  const DATE_OPTION_RUNS: Record<string, (out: string) => string[]> = {
    'history --from': () => ['history', 'spx-gold', '--from', '1y'],
    'history --to': () => ['history', 'spx-gold', '--to', '1y'],
    'power --base': () => ['power', '--base', '1y'],
    'power --to': () => ['power', '--to', '1y'],
    'chart --from': (out) => ['chart', 'spx-gold', '--from', '1y', '--out', out],
    'chart --base': (out) => ['chart', 'power', '--base', '1y', '--out', out],
    'chart --to': (out) => ['chart', 'power', '--to', '1y', '--out', out],
    'replay --from': () => ['replay', '--from', '1y'],
    'replay --to': () => ['replay', '--to', '1y'],
  };
  const dateOptions = COMMANDS.flatMap((c) => [...c.usage.matchAll(/(--[a-z]+) (D(?:ATE)?(?:\|SPAN)?)\b/g)].map((m) => [c.name, m[1]!, m[2]!] as const));
  test('every date option in a usage line is one the test below runs', () => {
    expect(dateOptions.map(([name, opt]) => `${name} ${opt}`).sort()).toEqual(Object.keys(DATE_OPTION_RUNS).sort());
  });
  test.each(dateOptions)(
    'GIVEN %s %s 1y THEN its usage line (%s) says whether it takes a span back, and the help says what D and SPAN are',
    async (name, opt, shown) => {
      const r = await cli(DATE_OPTION_RUNS[`${name} ${opt}`]!(join(dir, 'span.png')), { DATABASE_PATH: join(dir, 'span.db'), DATA_DIR: dir });
      const refused = r.stderr.includes(`${opt} must be a date`);
      expect(shown.endsWith('|SPAN'), r.stderr).toBe(!refused);
      const help = await cli([name, '--help'], {});
      expect(help.stdout).toContain('D: a day YYYY-MM-DD, a month YYYY-MM or a year YYYY');
      if (shown.endsWith('|SPAN')) expect(help.stdout).toContain('SPAN: a span back from today');
    },
  );

  test.each([
    [['ratio', '--jsn'], 'goldratio ratio: unknown option --jsn: did you mean --json?\n'],
    [['history', 'spx', '--form', '2020'], 'goldratio history: unknown option --form: did you mean --from?\n'],
    [['chart', 'spx', '--rnage', '1y', '--out', 'x.png'], 'goldratio chart: unknown option --rnage: did you mean --range?\n'],
    [['backup', '--FORCE', 'x.db'], 'goldratio backup: unknown option --FORCE: did you mean --force?\n'],
    [['webhook', 'add', 'https://example.com/h', '--formt', 'slack'], 'goldratio webhook: unknown option --formt: did you mean --format?\n'],
  ])('GIVEN %j THEN the option it most likely meant, in one line, exit 2', async (args, said) => {
    expect(await cli(args, { DATABASE_PATH: join(dir, 'typo.db'), DATA_DIR: dir })).toEqual({ code: 2, stdout: '', stderr: said });
  });

  test.each([
    [['--version', 'extra'], 'goldratio: unexpected argument "extra" after --version\n'],
    [['version', '--json'], 'goldratio: unexpected argument "--json" after version\n'],
    [['help', 'ratio', 'extra'], 'goldratio: unexpected argument "extra" after help ratio\n'],
    [['--help', 'x', 'y'], 'goldratio: unexpected argument "y" after --help x\n'],
  ])('GIVEN %j THEN the extra word is refused, not ignored: one line, exit 2', async (args, said) => {
    expect(await cli(args, {})).toEqual({ code: 2, stdout: '', stderr: said });
  });

  test.each([[['help', 'version']], [['version', '--help']], [['--version', '-h']]])('GIVEN %j THEN the usage of --version, exit 0', async (args) => {
    expect(await cli(args, {})).toEqual({ code: 0, stdout: "Usage: goldratio --version (or -V, or version)\nPrint goldratio's version\n", stderr: '' });
  });

  test("GIVEN help webhook add (a command's subcommand, as git's help takes one) THEN webhook's usage, as webhook add --help gives it, exit 0; another word is refused", async () => {
    const asked = await cli(['help', 'webhook', 'add'], {});
    expect(asked).toEqual(await cli(['webhook', 'add', '--help'], {}));
    expect(asked.code).toBe(0);
    expect(asked.stdout).toMatch(/^Usage: goldratio webhook add <https-url>/);
    // Its own help: its usage alone, what it does, its options, an example; never the other subcommands'.
    expect(asked.stdout).toContain('\nOptions:\n  --format json|slack|slack-workflow|discord  ');
    expect(asked.stdout).toContain('\nExample: goldratio webhook add https://');
    expect(asked.stdout).not.toContain('webhook rotate');
    for (const verb of ['list', 'remove', 'test', 'rotate']) {
      const one = await cli(['help', 'webhook', verb], {});
      expect(one).toEqual(await cli(['webhook', verb, '--help'], {}));
      expect(one.code).toBe(0);
      expect(one.stdout.split('\n')[0]).toMatch(new RegExp(`^Usage: goldratio webhook ${verb}( |$)`));
      expect(one.stdout).toContain(`\nExample: goldratio webhook ${verb}`);
      expect(one.stdout.match(/goldratio webhook \w+/g)!.every((w) => w === `goldratio webhook ${verb}`)).toBe(true);
    }
    // Every subcommand of every command has its own help.
    for (const c of COMMANDS) for (const verb of subcommandsOf(c)) expect(SUBCOMMAND_HELP[c.name]?.[verb], `${c.name} ${verb}`).toBeDefined();
    // The command alone: every form, and where each one's help is.
    const all = await cli(['webhook', '--help'], {});
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('goldratio help webhook <add|list|remove|test|rotate>');
    expect(await cli(['help', 'webhook', 'frob'], {})).toEqual({ code: 2, stdout: '', stderr: 'goldratio: unexpected argument "frob" after help webhook\n' });
    expect(await cli(['help', 'webhook', 'add', 'x'], {})).toEqual({
      code: 2,
      stdout: '',
      stderr: 'goldratio: unexpected argument "x" after help webhook add\n',
    });
  });

  test("GIVEN --help <command> THEN that command's usage, as help <command> gives it", async () => {
    expect(await cli(['--help', 'ratio'], {})).toEqual(await cli(['help', 'ratio'], {}));
  });
});

describe('the database in DATA_DIR', () => {
  test('GIVEN DATA_DIR alone THEN the database is made there; an older one left at data/goldratio.db stops every command with how to move it', async () => {
    const cwd = join(dir, 'moved');
    const store = join(cwd, 'store');
    mkdirSync(store, { recursive: true });
    // An install from before: its database at the old default, relative to where it runs.
    const old = join(cwd, 'data', 'goldratio.db');
    expect((await cli(['import', 'm2', csv('m2-moved.csv', 'observation_date,M2SL\n2025-01-01,21500\n')], { DATABASE_PATH: old, DATA_DIR: cwd })).code).toBe(0);
    for (const args of [['status'], ['start'], ['import', 'm2', join(dir, 'm2-moved.csv')]]) {
      // The line a person at a terminal reads (under JSON logs, start's is a log line: below).
      const r = await cli(args, { DATA_DIR: store, LOG_FORMAT: 'pretty' }, { cwd });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `goldratio ${args[0]}: DATA_DIR has no database at ${join(store, 'goldratio.db')}, but ${old} holds one (the default DATA_DIR's, or an older goldratio's): ` +
          `to keep it, stop goldratio and move that file (with its -wal file if there is one) to ${join(store, 'goldratio.db')}, or set DATABASE_PATH=${old}; ` +
          `to start an empty one in DATA_DIR, set DATABASE_PATH=${join(store, 'goldratio.db')}\n`,
      );
    }
    expect(existsSync(join(store, 'goldratio.db'))).toBe(false);
    // Named, or moved: it runs.
    expect((await cli(['status'], { DATA_DIR: store, DATABASE_PATH: old }, { cwd })).stdout).toMatch(/^m2 +1 rows/m);
    // An empty one in DATA_DIR, asked for by name: it runs on that.
    const fresh = await cli(['status'], { DATA_DIR: store, DATABASE_PATH: join(store, 'goldratio.db') }, { cwd });
    expect([fresh.code, fresh.stdout]).toEqual([0, expect.stringMatching(/^m2 +no data/m)]);
    renameSync(old, join(store, 'goldratio.db'));
    expect((await cli(['status'], { DATA_DIR: store }, { cwd })).stdout).toMatch(/^m2 +1 rows/m);
  });
});

describe('a missing database', () => {
  test.each([[['webhook', 'list']], [['webhook', 'test', 'wh_00000000']], [['webhook', 'remove', 'wh_00000000']]])(
    'GIVEN no database file THEN %j says there is none in one line, exit 2, and creates nothing',
    async (args) => {
      const env = freshEnv();
      const r = await cli(args, env);
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toBe(
        `goldratio webhook: no database at ${env.DATABASE_PATH} (DATABASE_PATH), so no webhooks yet: add one with goldratio webhook add <https-url>\n`,
      );
      expect(existsSync(env.DATABASE_PATH!)).toBe(false);
    },
  );

  test('GIVEN no database file THEN webhook add makes it, and list reads it', async () => {
    const env = freshEnv();
    expect((await cli(['webhook', 'add', 'https://hooks.example.org/goldratio'], env)).code).toBe(0);
    expect(existsSync(env.DATABASE_PATH!)).toBe(true);
    expect((await cli(['webhook', 'list'], env)).stdout).toMatch(/^wh_[0-9a-f]+ +json /);
  });
});

describe("start's failure, where its log lines go", () => {
  test('GIVEN another goldratio on the file THEN under JSON logs the refusal is one JSON log line (level, msg), exit 2; under pretty logs the plain line', async () => {
    const env = freshEnv();
    const path = env.DATABASE_PATH!;
    // This process holds the lock, as a running bot would: start is refused before it does anything else.
    const lock = acquireInstanceLock(path);
    try {
      const said = `another goldratio (pid ${process.pid}) is running on ${path}: stop it first, or point DATABASE_PATH at another file`;
      // LOG_LEVEL=silent too: the failure is the command's answer, not log chatter.
      for (const level of ['warn', 'silent']) {
        const r = await cli(['start'], { ...env, LOG_FORMAT: 'json', LOG_LEVEL: level });
        expect([r.code, r.stdout]).toEqual([2, '']);
        const lines = r.stderr.split('\n').filter((l) => l !== '');
        expect(lines, r.stderr).toHaveLength(1);
        expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', msg: said });
      }
      expect(await cli(['start'], { ...env, LOG_FORMAT: 'pretty' })).toEqual({ code: 2, stdout: '', stderr: `goldratio start: ${said}\n` });
    } finally {
      lock.release();
    }
  });

  test('GIVEN a configuration start refuses (HTTP_PORT=abc) THEN under JSON logs one JSON line naming it, exit 2; under pretty logs the plain line', async () => {
    const env = { ...freshEnv(), HTTP_PORT: 'abc' };
    const r = await cli(['start'], { ...env, LOG_FORMAT: 'json' });
    expect([r.code, r.stdout]).toEqual([2, '']);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines, r.stderr).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', msg: expect.stringContaining('HTTP_PORT') });
    const plain = await cli(['start'], { ...env, LOG_FORMAT: 'pretty' });
    expect([plain.code, plain.stderr]).toEqual([2, expect.stringMatching(/^goldratio start: invalid configuration:\n\s*- HTTP_PORT: [^\n]*\n$/)]);
  });

  test('GIVEN two bad variables THEN under JSON logs the msg is one line ("; " between the problems) and `problems` lists them', async () => {
    const env = { ...freshEnv(), HTTP_PORT: 'abc', CRON_CLOSE: 'x' };
    const r = await cli(['start'], { ...env, LOG_FORMAT: 'json' });
    expect([r.code, r.stdout]).toEqual([2, '']);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines, r.stderr).toHaveLength(1);
    const record = JSON.parse(lines[0]!) as { msg: string; problems: string[]; exitCode: number };
    expect(record.msg).not.toMatch(/\n/);
    expect(record.msg).toMatch(/^invalid configuration: CRON_CLOSE: [^;]+; HTTP_PORT: expected a whole number from 0 to 65535, got "abc"$/);
    expect(record.problems).toEqual([expect.stringMatching(/^CRON_CLOSE: /), expect.stringMatching(/^HTTP_PORT: /)]);
    expect(record.exitCode).toBe(2);
  });
});

describe('import and backfill under JSON logs (as off a terminal): their answer on stderr is the plain lines a person reads there too', () => {
  test('GIVEN a file with only bad rows THEN a plain line per row (file:line), then the one error line, exit 2: as in pretty logs, whatever LOG_LEVEL says', async () => {
    const env = freshEnv();
    const file = csv('all-bad.csv', 'date,close\n2024-01-02,abc\n2024-01-03,-5\n');
    const expected = [
      expect.stringMatching(/all-bad\.csv:2: close "abc" is not a positive number/),
      expect.stringMatching(/all-bad\.csv:3: /),
      `goldratio import: nothing imported: no good rows in ${file}`,
    ];
    // LOG_LEVEL=silent too: these lines are the command's answer, not chatter.
    for (const env2 of [
      { LOG_FORMAT: 'json', LOG_LEVEL: 'warn' },
      { LOG_FORMAT: 'json', LOG_LEVEL: 'silent' },
      { LOG_FORMAT: 'pretty', LOG_LEVEL: 'warn' },
    ]) {
      const r = await cli(['import', 'spx', file], { ...env, ...env2 });
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr.trim().split('\n')).toEqual(expected);
    }
  });

  test('GIVEN a file that is not there THEN the one plain line, exit 2', async () => {
    const r = await cli(['import', 'spx', '/nonexistent/file.csv'], { ...freshEnv(), LOG_FORMAT: 'json' });
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'goldratio import: cannot read /nonexistent/file.csv: no such file (ENOENT)\n' });
  });

  test('GIVEN a PostgreSQL that is not there THEN backfill says it in the one plain line, exit 2', async () => {
    const r = await cli(['backfill'], { DATA_DIR: dir, DATABASE_URL: 'postgres://u:pw@127.0.0.1:1/db', LOG_FORMAT: 'json' });
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/^goldratio backfill: cannot reach PostgreSQL at 127\.0\.0\.1:1 [^\n]*\n$/);
    expect(r.stderr).not.toContain('pw');
  });

  test('GIVEN a configuration backfill refuses THEN the plain lines naming each problem, exit 2; start, a service, says it in one JSON line', async () => {
    const env = { ...freshEnv(), HTTP_RETRIES: 'many', LOG_FORMAT: 'json' };
    const r = await cli(['backfill'], env);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/^goldratio backfill: invalid configuration:\n\s*- HTTP_RETRIES: [^\n]*\n$/);
    const start = await cli(['start'], env);
    expect(JSON.parse(start.stderr)).toMatchObject({ level: 'error', command: 'start', exitCode: 2, msg: expect.stringContaining('HTTP_RETRIES') });
  });

  test('GIVEN every quote source unreachable THEN backfill exits 1 with the report on stdout, its log lines JSON, the last one the "backfill failed" record; none under pretty logs', async () => {
    const unreachable = 'http://127.0.0.1:1';
    const env = { ...freshEnv(), ...sourcesAt(unreachable), HTTP_RETRIES: '0' };
    // LOG_LEVEL=silent too: the record is the command's outcome, not chatter.
    for (const level of ['warn', 'silent']) {
      const r = await cli(['backfill'], { ...env, LOG_FORMAT: 'json', LOG_LEVEL: level });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^spx {3}1999-03-10\.\.\d{4}-\d\d-\d\d FAILED: yahoo could not be reached/m);
      const lines = r.stderr.split('\n').filter((x) => x !== '');
      for (const l of lines) expect(() => JSON.parse(l), l).not.toThrow();
      expect(JSON.parse(lines.at(-1)!)).toMatchObject({ level: 'error', msg: 'backfill failed for spx, qqq, gold, m2', command: 'backfill', exitCode: 1 });
    }
    // At a terminal the report's FAILED lines say it all: no record.
    const pretty = await cli(['backfill'], { ...env, LOG_FORMAT: 'pretty' });
    expect(pretty.code).toBe(1);
    expect(pretty.stderr).not.toMatch(/backfill failed/);
  });

  // In the test's process: that a pipe gets JSON without LOG_FORMAT is the real bin's (start's refusal, below).
  test('GIVEN every quote source unreachable THEN backfill prints its FAILED lines on stdout and ends its JSON log with the "backfill failed" record: each instrument, its range and errors, exit 1', async () => {
    const unreachable = 'http://127.0.0.1:1';
    const r = await cli(['backfill'], { ...freshEnv(), ...sourcesAt(unreachable), HTTP_RETRIES: '0', LOG_FORMAT: 'json' });
    expect(r.code, r.stderr).toBe(1);
    const failedLines = r.stdout.trim().split('\n');
    expect(failedLines.map((l) => l.split(' ')[0])).toEqual(['spx', 'qqq', 'gold', 'm2']);
    for (const l of failedLines) expect(l).toMatch(/^\w+ +\d{4}-\d\d-\d\d\.\.\d{4}-\d\d-\d\d FAILED: \w+ could not be reached/);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    for (const l of lines) expect(() => JSON.parse(l), l).not.toThrow();
    const record = JSON.parse(lines.at(-1)!) as { failed: { instrument: string; from: string; to: string; errors: string[] }[] };
    expect(record).toMatchObject({ level: 'error', msg: 'backfill failed for spx, qqq, gold, m2', command: 'backfill', exitCode: 1 });
    expect(record.failed.map((f) => f.instrument)).toEqual(['spx', 'qqq', 'gold', 'm2']);
    // The record holds what the FAILED lines say: range and errors, instrument by instrument.
    for (const [i, f] of record.failed.entries()) expect(failedLines[i]).toBe(`${f.instrument.padEnd(5)} ${f.from}..${f.to} FAILED: ${f.errors.join('; ')}`);
  });
});

describe('off a terminal through the real bin (a service under systemd or docker: stderr is its journal)', () => {
  test("GIVEN a configuration start refuses THEN stderr is one JSON record whose msg is the one-line reason a terminal's lines say, exit 2", async () => {
    const env = { ...freshEnv(), HTTP_PORT: 'abc', CRON_CLOSE: 'x' };
    // No LOG_FORMAT: auto, and stderr is a pipe.
    const r = runCli(['start'], env);
    expect([r.code, r.stdout]).toEqual([2, '']);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines, r.stderr).toHaveLength(1);
    const record = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(record).toMatchObject({
      level: 'error',
      command: 'start',
      exitCode: 2,
      problems: [expect.stringMatching(/^CRON_CLOSE: /), expect.stringMatching(/^HTTP_PORT: /)],
    });
    // The terminal's lines (goldratio start: invalid configuration:, then "  - " a problem) on one line.
    const plain = await cli(['start'], { ...env, LOG_FORMAT: 'pretty' });
    const [head, ...problems] = plain.stderr.trim().split('\n');
    expect(head).toBe('goldratio start: invalid configuration:');
    expect(record.msg).toBe(`invalid configuration: ${problems.map((p) => p.replace(/^\s*- /, '')).join('; ')}`);
  }, 60_000);
});

describe('goldratio --version', () => {
  test.each([['--version'], ['-V'], ['version']])("GIVEN %s THEN the package's version on stdout, exit 0", async (flag) => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await cli([flag], {})).toEqual({ code: 0, stdout: `goldratio ${version}\n`, stderr: '' });
  });

  test('GIVEN a file with no goldratio package.json above it THEN no version, not a crash', () => {
    expect(packageVersion('/nonexistent/deep/cli.mjs')).toBeUndefined();
  });
});

describe('goldratio import', () => {
  test('GIVEN bad rows THEN each is reported with its line, the good rows land, and --strict lands nothing', async () => {
    // As at a terminal: plain lines (off one, the same lines; see "under JSON logs" below).
    const env = { ...freshEnv(), LOG_FORMAT: 'pretty' };
    const file = csv(
      'spx.csv',
      'date,close\n2024-01-02,4742.83\n2024-01-03,abc\n2024-13-01,4700\n2024-01-04,4688.68\n2024-01-04,4688.68\n2024-01-05,-3\n2024-01-08,NaN\n',
    );
    const strict = await cli(['import', 'spx', file, '--strict'], env);
    expect(strict.code).toBe(2);
    expect(strict.stdout).toBe('');
    expect(strict.stderr).toMatch(/nothing imported: 5 bad rows in .*spx\.csv and --strict/);
    // Nothing to show: stderr, exit 2, and --json prints nothing rather than invalid JSON.
    expect(await cli(['history', 'spx-gold', '--json'], env)).toMatchObject({ code: 2, stdout: '' });
    const statusBefore = await cli(['status', '--json'], env);
    expect(JSON.parse(statusBefore.stdout).instruments[0]).toMatchObject({ instrument: 'spx', rows: 0 });

    const r = await cli(['import', 'spx', file], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('spx.csv:3: close "abc" is not a positive number');
    expect(r.stderr).toContain('spx.csv:4: "2024-13-01" is not a date YYYY-MM-DD');
    expect(r.stderr).toContain('spx.csv:6: 2024-01-04 already given on line 5');
    expect(r.stderr).toContain('spx.csv:7:');
    expect(r.stderr).toContain('spx.csv:8:');
    expect(r.stdout).toMatch(/spx: 2 good rows \(2 new, 0 updated, 0 unchanged\), 5 bad rows skipped/);

    // Importing the same file again changes nothing.
    expect((await cli(['import', 'spx', file], env)).stdout).toMatch(/\(0 new, 0 updated, 2 unchanged\)/);
  });

  test('GIVEN an HTML file instead of CSV THEN one clear line and nothing stored', async () => {
    const env = freshEnv();
    const file = csv('page.csv', '<!DOCTYPE html><html><body>Please enable JavaScript</body></html>\n');
    const r = await cli(['import', 'gold', file], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/page\.csv:1: header must name a date and a close column/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  test.each([
    [['import', 'btc', 'x.csv'], /unknown instrument "btc"/],
    [['import', 'spx', '/nonexistent/file.csv'], /cannot read \/nonexistent\/file\.csv: no such file \(ENOENT\)$/m],
    [['import', 'spx'], /usage: goldratio import/],
    [['history', 'eth-gold'], /unknown pair "eth-gold"/],
    [
      ['history', 'spx-gold', '--from', 'yesterday'],
      /--from must be a date YYYY-MM-DD \(or a month YYYY-MM, or a year YYYY, or a span back like 2y, 18m or 5Y, or a phrase like "last year", "since last year", "last month" or Q1 2020, or a week like 2026-W46\), got "yesterday"/,
    ],
    // A start after today is refused as power's --base is, naming today, not answered "no data … to today".
    [['history', 'spx-gold', '--from', '2999-01-01'], /^goldratio history: --from 2999-01-01 is in the future \(today is \d{4}-\d\d-\d\d in New York\)\n$/],
    [['replay', '--from', '2999-01'], /^goldratio replay: --from 2999-01-01 is in the future \(today is \d{4}-\d\d-\d\d in New York\)\n$/],
    [['history', 'spx-gold', '--from', '2025-13'], /--from: there is no 2025-13 on the calendar/],
    [['history', 'spx-gold', '--from', '2020-01-02', '--to', '2020-01-01'], /--from 2020-01-02 is after --to 2020-01-01/],
    [['ratio', '--bogus'], /^goldratio ratio: unknown option --bogus; the options are --json\n$/],
    // Node's own words for these ("argument is ambiguous") told a user nothing.
    [['replay', '--top', '-1'], /^goldratio replay: --top needs a value, and "-1" reads as an option: if it is the value, write --top=-1\n$/],
    [['history', 'spx-gold', '--from', '--json'], /^goldratio history: --from needs a value before --json\n$/],
    [['history', 'spx-gold', '--from'], /^goldratio history: --from needs a value\n$/],
    [['power', '--base', '2999-01-01'], /--base 2999-01-01 is in the future \(today is /],
    // --base also takes a span back, and says so.
    [
      ['power', '--base', 'yesterday'],
      /--base must be a date YYYY-MM-DD \(or a month YYYY-MM, or a year YYYY, or a span back like 2y, 18m or 5Y, or a phrase like "last year", "since last year", "last month" or Q1 2020, or a week like 2026-W46\), got "yesterday"/,
    ],
    [['power', '--base', '2001-01-02'], /no data on or after 2001-01-02/],
    [['frobnicate'], /^goldratio: unknown command "frobnicate"\. Try: goldratio help\n$/],
    // An option before any command: the top-level one it most likely meant.
    [['--verison'], /^goldratio: unknown option "--verison"\. Did you mean --version\? Try: goldratio help\n$/],
    [['-v'], /^goldratio: unknown option "-v"\. Did you mean --version\? Try: goldratio help\n$/],
    [['--hlep'], /^goldratio: unknown option "--hlep"\. Did you mean --help\? Try: goldratio help\n$/],
    [['--json'], /^goldratio: unknown option "--json"\. Try: goldratio help\n$/],
    // The command's own option before the command: the order that works.
    [['--json', 'status'], /^goldratio: options go after the command: goldratio status --json\n$/],
    [['--lang', 'zh-TW', 'digest', '--preview'], /^goldratio: options go after the command: goldratio digest --preview --lang zh-TW\n$/],
    // A typo gets the command it most likely meant; a guess between two (sta: start or status?) is not made.
    [['stauts'], /unknown command "stauts"\. Did you mean status\? Try: goldratio help/],
    [['backfil'], /Did you mean backfill\?/],
    [['hist'], /Did you mean history\?/],
    [['sta'], /^goldratio: unknown command "sta"\. Try: goldratio help\n$/],
    [['help', 'frobnicate'], /^goldratio: unknown command "frobnicate"\. Try: goldratio help\n$/],
  ])('GIVEN %j THEN one clear line, exit 2, no stack trace', async (args, message) => {
    // As at a terminal (import's line is a JSON log line off one).
    const r = await cli(args, { ...freshEnv(), LOG_FORMAT: 'pretty' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('GIVEN a bad config value THEN every problem is listed and no secret is printed', async () => {
    const r = await cli(['status'], { ...freshEnv(), HTTP_TIMEOUT_MS: 'soon', YAHOO_BASE_URL: 'not a url', TELEGRAM_WEBHOOK_URL: 'https://x.example/hook' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('HTTP_TIMEOUT_MS: expected a whole number from 100 to 600000, got "soon"');
    expect(r.stderr).toContain('YAHOO_BASE_URL: expected a URL');
    expect(r.stderr).toContain('TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_WEBHOOK_URL is set');
  });

  test('GIVEN a database from a newer goldratio THEN it is refused in one line, its advice after a colon and no full stop, as the other lines', async () => {
    const path = join(dir, 'newer.db');
    const db = openDatabase(path);
    db.pragma('user_version = 999');
    db.close();
    const r = await cli(['status'], { ...freshEnv(), DATABASE_PATH: path });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `goldratio status: database ${path} was migrated by a newer goldratio (schema version 999; this version knows up to ${latestVersion(MIGRATIONS)}): upgrade goldratio, or point DATABASE_PATH at another file\n`,
    );
  });
});

describe('goldratio ratio, history and power', () => {
  // One database seeded once for this block; its tests only read it.
  let env: Record<string, string> = {};
  beforeAll(async () => {
    env = freshEnv();
    const dates = ['2024-12-31', '2025-01-02', '2025-01-03', '2025-02-03', '2025-02-04'];
    const spx = [5881.63, 5868.55, 5942.47, 5994.57, 6037.88];
    const qqq = [511.23, 510.23, 518.58, 518.11, 524.83];
    const gold = [2610.0, 2650.0, 2640.0, 2800.0, 2815.0];
    const write = (name: string, values: number[]) => csv(name, `date,close\n${dates.map((d, i) => `${d},${values[i]}`).join('\n')}\n`);
    expect((await cli(['import', 'spx', write('s.csv', spx)], env)).code).toBe(0);
    expect((await cli(['import', 'qqq', write('q.csv', qqq)], env)).code).toBe(0);
    expect((await cli(['import', 'gold', write('g.csv', gold)], env)).code).toBe(0);
    expect((await cli(['import', 'm2', csv('m.csv', 'observation_date,M2SL\n2024-12-01,21400.1\n2025-01-01,21500.2\n2025-02-01,21600\n')], env)).code).toBe(0);
  });

  test('history --json is an array of {date, value} in the range', async () => {
    const r = await cli(['history', 'spx', '--from', '2025-01-01', '--to', '2025-02-03', '--json'], env);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { date: string; value: number }[];
    expect(rows.map((x) => x.date)).toEqual(['2025-01-02', '2025-01-03', '2025-02-03']);
    expect(rows[0]!.value).toBeCloseTo(5868.55 / 2650.0, 6);
  });

  test('history and power read a month or a year as /power does: --from its first day, --to its last', async () => {
    const month = await cli(['history', 'spx', '--from', '2025-01', '--to', '2025-01', '--json'], env);
    expect((JSON.parse(month.stdout) as { date: string }[]).map((x) => x.date)).toEqual(['2025-01-02', '2025-01-03']);
    const year = await cli(['history', 'spx', '--from', '2025', '--json'], env);
    expect((JSON.parse(year.stdout) as { date: string }[]).map((x) => x.date)).toEqual(['2025-01-02', '2025-01-03', '2025-02-03', '2025-02-04']);
    const power = JSON.parse((await cli(['power', '--base', '2025', '--to', '2025-01', '--json'], env)).stdout);
    expect(power).toMatchObject({ base: '2025-01-02', date: '2025-01-03' });
    // A span back from today, as /power 1m: a month before 2025-02-03 is 2025-01-03.
    const back = await cli(['power', '--base', '1m', '--json'], env, { nowMs: Date.parse('2025-02-03T12:00:00Z') });
    expect(JSON.parse(back.stdout)).toMatchObject({ base: '2025-01-03' });
    // history's --from reads a span back as chart's --from and power's --base do.
    const since = await cli(['history', 'spx', '--from', '1m', '--json'], env, { nowMs: Date.parse('2025-02-03T12:00:00Z') });
    expect((JSON.parse(since.stdout) as { date: string }[]).map((x) => x.date)).toEqual(['2025-01-03', '2025-02-03', '2025-02-04']);
  });

  test('ratio --json gives both pairs with changes and the essay levels around them', async () => {
    const r = await cli(['ratio', '--json'], env);
    expect(r.code).toBe(0);
    type PairJson = { pair: string; value: number; change: Record<string, number>; levelAbove: { id: string }; levelBelow: { id: string } };
    const [spx, qqq] = JSON.parse(r.stdout) as PairJson[];
    expect(spx!.pair).toBe('spx-gold');
    expect(spx!.value).toBeCloseTo(6037.88 / 2815.0, 5);
    expect(spx!.change['1d']).toBeCloseTo(((6037.88 / 2815 - 5994.57 / 2800) / (5994.57 / 2800)) * 100, 1);
    // YTD compares with the last close of 2024.
    expect(spx!.change.ytd).toBeCloseTo(((6037.88 / 2815 - 5881.63 / 2610) / (5881.63 / 2610)) * 100, 1);
    expect(spx!.levelAbove.id).toBe('spx-gold-2.5');
    expect(spx!.levelBelow.id).toBe('spx-gold-0.6-0.7');
    expect(qqq!.levelAbove.id).toBe('qqq-gold-0.25');
    expect(qqq!.levelBelow.id).toBe('qqq-gold-0.03');
    const text = (await cli(['ratio'], env)).stdout;
    expect(text).toMatch(/SPX\/Gold\s+2\.145/);
    expect(text).toMatch(/next level up\s+2\.5 \(\+16\.\d+%\)/);
  });

  test('power --base after the last close names that close (not "run backfill": the data is there)', async () => {
    const r = await cli(['power', '--base', '2025-02-05'], env, { nowMs: Date.parse('2025-02-10T12:00:00Z') });
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: 'goldratio power: no close on or after 2025-02-05 yet: the latest is 2025-02-04\n' });
  });

  test('power --json indexes SPX and QQQ to 100 at the base', async () => {
    const r = await cli(['power', '--base', '2025-01-02', '--json'], env);
    expect(r.code).toBe(0);
    const p = JSON.parse(r.stdout);
    expect(p.base).toBe('2025-01-02');
    expect(p.spx.usd).toBeCloseTo((6037.88 / 5868.55) * 100, 1);
    expect(p.spx.gold).toBeCloseTo((6037.88 / 2815 / (5868.55 / 2650)) * 100, 1);
    // M2 reaches the end here (February's is read in February): not stale.
    expect(p.m2).toEqual({ from: '2025-01', to: '2025-02', stale: false });
  });

  test("GIVEN an M2 too old for the last close THEN power --json says so (m2.stale, M2's last month in m2.to, no M2 figures), as the text does", async () => {
    const own = freshEnv();
    const dates = ['2025-01-02', '2025-01-03', '2025-06-02'];
    const write = (name: string, values: number[]) => csv(name, `date,close\n${dates.map((d, i) => `${d},${values[i]}`).join('\n')}\n`);
    expect((await cli(['import', 'spx', write('s-old.csv', [5868.55, 5942.47, 5911.69])], own)).code).toBe(0);
    expect((await cli(['import', 'qqq', write('q-old.csv', [510.23, 518.58, 523.76])], own)).code).toBe(0);
    expect((await cli(['import', 'gold', write('g-old.csv', [2650.0, 2640.0, 2790.0])], own)).code).toBe(0);
    expect((await cli(['import', 'm2', csv('m-old.csv', 'observation_date,M2SL\n2024-12-01,21400.1\n2025-01-01,21500.2\n')], own)).code).toBe(0);
    const text = await cli(['power', '--base', '2025-01-02'], own);
    expect(text.stdout).toContain('The latest M2 on record is 2025-01, too old to measure 2025-06-02 against: no M2 figures.');
    const p = JSON.parse((await cli(['power', '--base', '2025-01-02', '--json'], own)).stdout);
    expect(p).toMatchObject({ date: '2025-06-02', m2: { from: '2025-01', to: '2025-01', stale: true }, m2GrowthPct: null });
    expect([p.spx.m2, p.spx.beatM2, p.qqq.m2, p.qqq.beatM2]).toEqual([null, null, null, null]);
    expect(p.spx.usd).toBeCloseTo((5911.69 / 5868.55) * 100, 1);
  });

  test('GIVEN a gold price older than the last close THEN power names it as /power does, and --json gives its date', async () => {
    const own = freshEnv();
    const dates = ['2025-01-02', '2025-01-03', '2025-01-06'];
    const write = (name: string, values: number[], n = 3) =>
      csv(
        name,
        `date,close\n${dates
          .slice(0, n)
          .map((d, i) => `${d},${values[i]}`)
          .join('\n')}\n`,
      );
    expect((await cli(['import', 'spx', write('s-gold.csv', [5868.55, 5942.47, 5994.57])], own)).code).toBe(0);
    expect((await cli(['import', 'qqq', write('q-gold.csv', [510.23, 518.58, 518.11])], own)).code).toBe(0);
    // Gold's last close is Friday the 3rd (as the real files end gold a day before the S&P): Monday's figures in gold divide by it.
    expect((await cli(['import', 'gold', write('g-gold.csv', [2650.0, 2640.0], 2)], own)).code).toBe(0);
    expect((await cli(['import', 'm2', csv('m-gold.csv', 'observation_date,M2SL\n2025-01-01,21500.2\n2025-02-01,21600\n')], own)).code).toBe(0);
    const text = await cli(['power', '--base', '2025-01-02'], own);
    expect(text.stdout).toContain(`${t('en', 'chat.power.goldOlder', { gold: '2025-01-03', date: '2025-01-06' })}\n`);
    expect(text.stdout).toContain('The figures in gold use the gold price of 2025-01-03, the latest at the close of 2025-01-06.');
    expect(JSON.parse((await cli(['power', '--base', '2025-01-02', '--json'], own)).stdout)).toMatchObject({ date: '2025-01-06', goldDate: '2025-01-03' });
    // Up to a day gold has its own close: nothing to say, and goldDate is the day itself.
    const before = await cli(['power', '--base', '2025-01-02', '--to', '2025-01-03'], own);
    expect(before.stdout).not.toContain('gold price of');
    expect(JSON.parse((await cli(['power', '--base', '2025-01-02', '--to', '2025-01-03', '--json'], own)).stdout)).toMatchObject({ goldDate: '2025-01-03' });
  });
});

describe('the real bin, in a child process (smoke)', () => {
  test('GIVEN an import THEN exit 0, the report on stdout and the rows in the database', async () => {
    const env = freshEnv();
    const file = csv('smoke.csv', 'date,close\n2024-01-02,4742.83\n2024-01-03,4704.81\n');
    const r = runCli(['import', 'spx', file], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/spx: 2 good rows \(2 new, 0 updated, 0 unchanged\)/);
    const status = await cli(['status', '--json'], env);
    expect(JSON.parse(status.stdout).instruments[0]).toMatchObject({ instrument: 'spx', rows: 2, lastDate: '2024-01-03' });
  });

  test('GIVEN an unknown option THEN one clear line on stderr and exit 2, no stack trace', () => {
    const r = runCli(['ratio', '--bogus'], freshEnv());
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/unknown option --bogus; the options are --json/)]);
  });
});
