import { describe, expect, test } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliInProcess } from './helpers/cli.ts';
import { addDays } from '../src/domain/dates.ts';
import { CONFIG_VARS, ConfigError, envExample, KNOWN_SOURCES, loadConfig, misspeltVariables, redacted } from '../src/config.ts';
import { SOURCE_FACTORIES } from '../src/market/failover.ts';
import cron from 'node-cron';
import { LANGS } from '../src/domain/i18n/langs.ts';

describe('config', () => {
  test('GIVEN no environment at all THEN the embedded defaults run the bot with no tokens', () => {
    const c = loadConfig({});
    expect(c.databasePath).toBe('data/goldratio.db');
    expect(c.telegram.token).toBeUndefined();
    expect(c.sources.gold).toEqual(['yahoo', 'lbma', 'twelvedata']);
    expect(c.backfillFrom).toBe('1999-03-10');
  });

  test('GIVEN DATA_DIR alone THEN the database moves with it; DATABASE_PATH, given, wins (an empty one is unset)', () => {
    expect(loadConfig({ DATA_DIR: '/srv/goldratio' })).toMatchObject({ databasePath: '/srv/goldratio/goldratio.db', databasePathSet: false });
    expect(loadConfig({ DATA_DIR: '/srv/goldratio', DATABASE_PATH: '/var/db/g.db' })).toMatchObject({ databasePath: '/var/db/g.db', databasePathSet: true });
    expect(loadConfig({ DATABASE_PATH: '  ' })).toMatchObject({ databasePath: 'data/goldratio.db', databasePathSet: false });
  });

  test.each(['bogus', 'Require', 'allow', ''])(
    'GIVEN DATABASE_URL with sslmode=%s THEN refused at start naming the accepted values, with the other problems',
    (mode) => {
      let error: unknown;
      try {
        loadConfig({ DATABASE_URL: `postgres://u:SECRET@db.example:5432/goldratio?sslmode=${mode}`, HTTP_RETRIES: '-1' });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        'HTTP_RETRIES: expected a whole number from 0 to 10, got "-1"',
        `DATABASE_URL: sslmode must be one of disable, prefer, require, verify-ca, verify-full, no-verify, got ${JSON.stringify(mode)}`,
      ]);
      expect((error as ConfigError).message).not.toContain('SECRET');
    },
  );

  test('GIVEN DATABASE_URL with sslmode=verify-ca and no sslrootcert THEN refused at start saying what it needs; with one, taken', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u:pw@db.example/goldratio?sslmode=verify-ca' })).toThrow(
      "DATABASE_URL: sslmode=verify-ca needs sslrootcert=/path/to/ca.pem (the CA that signed the server's certificate); or use sslmode=verify-full",
    );
    expect(loadConfig({ DATABASE_URL: 'postgres://u:pw@db.example/goldratio?sslmode=verify-ca&sslrootcert=/etc/ca.pem' }).databaseUrl).toContain('verify-ca');
  });

  test.each(['disable', 'prefer', 'require', 'verify-full', 'no-verify'])('GIVEN DATABASE_URL with sslmode=%s THEN it is taken', (mode) => {
    expect(loadConfig({ DATABASE_URL: `postgres://u:pw@db.example/goldratio?sslmode=${mode}` }).databaseUrl).toContain(mode);
  });

  test('GIVEN several bad variables THEN every problem is reported at once, secrets hidden', () => {
    let error: unknown;
    try {
      loadConfig({ HTTP_RETRIES: '-1', ALERT_MODE: 'sometimes', BACKFILL_FROM: '1999-02-30', TELEGRAM_RATE: 'fast', TELEGRAM_PAID_BROADCAST: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'HTTP_RETRIES: expected a whole number from 0 to 10, got "-1"',
      'BACKFILL_FROM: expected a date YYYY-MM-DD, got "1999-02-30"',
      'ALERT_MODE: expected one of close, intraday, got "sometimes"',
      'TELEGRAM_RATE: expected a number from 0.1 to 1000, got "fast"',
      'TELEGRAM_PAID_BROADCAST: expected true or false, got "maybe"',
    ]);
  });

  test.each([
    ['HTTP_PORT', '0x10', 'a whole number from 0 to 65535'],
    ['HTTP_PORT', '70000', 'a whole number from 0 to 65535'],
    ['HTTP_PORT', '80.5', 'a whole number from 0 to 65535'],
    ['HTTP_RETRIES', '1e1', 'a whole number from 0 to 10'],
    ['HTTP_RETRIES', '11', 'a whole number from 0 to 10'],
    ['TELEGRAM_RATE', 'Infinity', 'a number from 0.1 to 1000'],
    ['TELEGRAM_RATE', '0.01', 'a number from 0.1 to 1000'],
  ])('GIVEN %s=%s THEN the line says the one rule of the variable, whichever part the value breaks: %s', (name, value, rule) => {
    expect(() => loadConfig({ [name]: value })).toThrow(`${name}: expected ${rule}, got ${JSON.stringify(value)}`);
  });

  test.each([
    ['TELEGRAM_BOT_TOKEN', '"123456:SECRET-token"'],
    ['TELEGRAM_BOT_TOKEN', "'123456:SECRET-token'"],
    ['DISCORD_TOKEN', '"MTIz.SECRET.token" '],
    ['FRED_API_KEY', "'abcdef0123456789SECRET'"],
  ])('GIVEN %s wrapped in quotes (%s, as a docker env-file keeps them) THEN refused at start with a line that says so, the value hidden', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      `${name}: is wrapped in quotes, which are kept as part of the value (a docker env-file keeps them): write it without quotes, got (hidden)`,
    ]);
    expect((error as ConfigError).message).not.toContain('SECRET');
  });

  test.each([
    ['https://api.telegram.org/bot123456:AAHsecret/getMe', 'is a URL: write the token alone (123456789:AAH…), as @BotFather gives it'],
    ['bot123456:AAHsecret', 'starts with "bot", which the API puts before the token in its URLs: write the token alone (123456789:AAH…)'],
    ['AAHsecret', "is not a bot token: @BotFather gives one like 123456789:AAH… (the bot's id, a colon, then its secret)"],
    ['123456 AAHsecret', "is not a bot token: @BotFather gives one like 123456789:AAH… (the bot's id, a colon, then its secret)"],
  ])('GIVEN TELEGRAM_BOT_TOKEN=%s THEN refused in one line saying why, the value hidden', (token, why) => {
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: token })).toThrow(new ConfigError([`TELEGRAM_BOT_TOKEN: ${why}, got (hidden)`]));
  });

  test('GIVEN a token with a trailing space or a quote inside THEN it is taken as given, trimmed', () => {
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: '123456:abc ' }).telegram.token).toBe('123456:abc');
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: '"123456:abc' }).telegram.token).toBe('"123456:abc');
  });

  // A BACKFILL_FROM after today made the first backfill ask every source for 2999-01-01..today, a
  // range that ends before it starts, and report each instrument FAILED.
  test('GIVEN BACKFILL_FROM after today THEN refused in one line saying so; a past day is taken', () => {
    expect(() => loadConfig({ BACKFILL_FROM: '2999-01-01' })).toThrow(
      new ConfigError(['BACKFILL_FROM: 2999-01-01 is in the future; the history starts on a past day (default 1999-03-10)']),
    );
    const today = new Date().toISOString().slice(0, 10);
    expect(loadConfig({ BACKFILL_FROM: '1999-03-10' }).backfillFrom).toBe('1999-03-10');
    expect(loadConfig({ BACKFILL_FROM: addDays(today, -1) }).backfillFrom).toBe(addDays(today, -1));
  });

  test('GIVEN a token THEN redacted() never shows it', () => {
    const c = loadConfig({ TELEGRAM_BOT_TOKEN: '123456:SECRET-token', FRED_API_KEY: 'abcdef0123456789abcdef0123456789' });
    const shown = JSON.stringify(redacted(c));
    expect(shown).not.toContain('SECRET');
    expect(shown).not.toContain('abcdef0123');
    expect(shown).toContain('(set)');
  });

  test('GIVEN DISCORD_PUBLIC_KEY THEN 64 hex characters are the key (any case, kept lower case); anything else is one line saying what it must be', () => {
    const key = 'AB'.repeat(32);
    expect(loadConfig({ DISCORD_PUBLIC_KEY: key }).discord.publicKey).toBe(key.toLowerCase());
    expect(loadConfig({}).discord.interactionsPort).toBe(8444);
    for (const bad of ['ab'.repeat(31), `${'ab'.repeat(32)}00`, 'zz'.repeat(32), 'base64+not/hex=']) {
      expect(() => loadConfig({ DISCORD_PUBLIC_KEY: bad })).toThrow(ConfigError);
      try {
        loadConfig({ DISCORD_PUBLIC_KEY: bad });
      } catch (e) {
        expect((e as ConfigError).problems).toEqual([
          `DISCORD_PUBLIC_KEY: expected the application's public key, 64 hex characters (Developer Portal, General Information), got ${bad.length} characters`,
        ]);
      }
    }
  });

  test.each([
    ['TELEGRAM_BOT_TOKN', 'TELEGRAM_BOT_TOKEN'],
    ['LOG_LEVL', 'LOG_LEVEL'],
    ['DATA_DIRS', 'DATA_DIR'],
    ['telegram_bot_token', 'TELEGRAM_BOT_TOKEN'],
    ['DISCORD_BOT_TOKEN', 'DISCORD_TOKEN'],
    ['TELEGRAM_TOKEN', 'TELEGRAM_BOT_TOKEN'],
  ])('GIVEN %s (not a variable of ours, a misspelling) THEN one line names it and the one meant, never its value', (typed, meant) => {
    const said = misspeltVariables({ [typed]: 'value-123:secret', DATA_DIR: 'data' });
    expect(said).toEqual([`${typed} is not a goldratio variable, so it is ignored: did you mean ${meant}?`]);
    expect(said.join('')).not.toContain('secret');
  });

  test("GIVEN another program's variables and goldratio's own THEN nothing is said", () => {
    const env = Object.fromEntries(
      ['PATH', 'HOME', 'LANG', 'TERM', 'PWD', 'HOSTNAME', 'NODE_ENV', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'TZ', 'CI', 'PORT', 'USER', 'SHELL'].map((n) => [
        n,
        'x',
      ]),
    );
    for (const v of CONFIG_VARS) env[v.name] = 'x';
    expect(misspeltVariables(env)).toEqual([]);
  });

  test('.env.example is the text generated from the spec (run `npm run env:example` after changing CONFIG_VARS)', () => {
    expect(readFileSync(new URL('../.env.example', import.meta.url), 'utf8')).toBe(envExample());
    for (const v of CONFIG_VARS) expect(envExample()).toMatch(new RegExp(`^#[^\\n]+\\n#? ?${v.name}=`, 'm'));
  });

  test('GIVEN a variable of fixed values THEN every README\'s config rows name each value as it is typed (LOG_FORMAT\'s pretty, not "readable")', () => {
    const word = (value: string) => new RegExp(`(^|[^\\w-])${value.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&')}($|[^\\w-])`);
    const rows = ['README.md', 'README.zh-TW.md', 'README.zh-CN.md'].map((f) => readFileSync(new URL(`../${f}`, import.meta.url), 'utf8').split('\n'));
    for (const v of CONFIG_VARS) {
      if (v.kind !== 'enum') continue;
      for (const lines of rows) {
        const row = lines.find((l) => l.startsWith(`| \`${v.name}\` |`)) ?? '';
        for (const c of v.choices ?? []) expect(row, `${v.name} ${c}`).toMatch(word(c));
      }
    }
  });

  test("GIVEN each README's config table THEN it lists exactly the variables config reads, with their defaults and ranges, and .env.example's comment says what the English row says (every `quoted` part of it)", () => {
    const env = envExample().split('\n');
    const number = (n: number) => new RegExp(`(^|[^\\d.]|\\.\\.)${String(n).replace('.', '\\.')}($|[^\\d.]|\\.\\.)`);
    for (const file of ['README.md', 'README.zh-TW.md', 'README.zh-CN.md']) {
      const lines = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8').split('\n');
      const listed = lines.flatMap((l) => /^\| `([A-Z][A-Z0-9_]*)` \|/.exec(l)?.[1] ?? []);
      expect(listed.sort(), file).toEqual(CONFIG_VARS.map((v) => v.name).sort());
      for (const v of CONFIG_VARS as readonly { name: string; default?: string; min?: number; max?: number }[]) {
        const [, defaultCell = '', ...rest] = (lines.find((l) => l.startsWith(`| \`${v.name}\` |`)) ?? '').split(' | ');
        const said = rest.join(' | ');
        if (v.default !== undefined) expect(defaultCell, `${file} ${v.name}`).toBe(`\`${v.default}\``);
        for (const end of v.min === undefined || v.max === undefined ? [] : [v.min, v.max]) expect(said, `${file} ${v.name} range`).toMatch(number(end));
        if (file !== 'README.md') continue;
        const comment = env[env.findIndex((l) => l.replace(/^# /, '').startsWith(`${v.name}=`)) - 1] ?? '';
        for (const [, quoted = ''] of said.matchAll(/`([^`]+)`/g)) expect(comment, `${v.name}: .env.example lacks "${quoted}"`).toContain(quoted);
      }
    }
  });

  test('every number has a documented range, min and max', () => {
    for (const v of CONFIG_VARS) {
      if (v.kind !== 'int' && v.kind !== 'number') continue;
      expect(v, v.name).toHaveProperty('min');
      expect(v, v.name).toHaveProperty('max');
    }
  });

  test('the sources config accepts are exactly the providers market/ knows', () => {
    expect([...KNOWN_SOURCES].sort()).toEqual(Object.keys(SOURCE_FACTORIES).sort());
  });

  test.each([
    ['zh_TW', 'zh-TW'],
    ['zh-Hant', 'zh-TW'],
    ['zh_CN', 'zh-CN'],
    ['en_US', 'en'],
  ])('GIVEN DEFAULT_LANG=%s (a locale as the system writes it) THEN %s, as --lang and /lang read it', (given, lang) => {
    expect(loadConfig({ DEFAULT_LANG: given }).defaultLang).toBe(lang);
  });

  test('GIVEN DEFAULT_LANG=fr THEN refused naming the languages', () => {
    expect(() => loadConfig({ DEFAULT_LANG: 'fr' })).toThrow(`DEFAULT_LANG: expected one of ${LANGS.join(', ')}, got "fr"`);
  });

  test.each(['-1001234567890', '123456789', '@goldratio_charts'])(
    'GIVEN TELEGRAM_INLINE_CHAT_ID=%s (a chat id, or a public channel’s @username) THEN taken as written',
    (id) => {
      expect(loadConfig({ TELEGRAM_INLINE_CHAT_ID: id }).telegram.inlineChatId).toBe(id);
    },
  );

  test.each(['abc', 'my channel', '@ab', 'https://t.me/goldratio_charts'])(
    'GIVEN TELEGRAM_INLINE_CHAT_ID=%s THEN refused at the start in one line, not at each inline chart’s upload',
    async (id) => {
      const said = `TELEGRAM_INLINE_CHAT_ID: expected a Telegram chat id (a number, a channel's starts with -100) or a public channel's @username, got ${JSON.stringify(id)}`;
      expect(() => loadConfig({ TELEGRAM_INLINE_CHAT_ID: id })).toThrow(said);
      const r = await runCliInProcess(['status'], { TELEGRAM_INLINE_CHAT_ID: id, DATA_DIR: '/nonexistent-goldratio' });
      expect([r.code, r.stdout, r.stderr.trim().split('\n')]).toEqual([2, '', ['goldratio status: invalid configuration:', `  - ${said}`]]);
    },
  );

  test('choices accept any case and keep the spec spelling', () => {
    const c = loadConfig({ DEFAULT_LANG: 'ZH-tw', CHART_THEME: 'DARK', LOG_LEVEL: 'Warn' });
    expect([c.defaultLang, c.chartTheme, c.logLevel]).toEqual(['zh-TW', 'dark', 'warn']);
  });
});

describe('a path only a shell would expand', () => {
  // In a .env, a compose file or a systemd unit, ~ and $HOME stay as typed: DATA_DIR=~/goldratio
  // made a folder named "~" in the working directory, and status showed "~/goldratio/..." as if home.
  test.each([
    ['DATA_DIR', '~/goldratio-data', 'starts with ~'],
    ['DATABASE_PATH', '~/goldratio.db', 'starts with ~'],
    ['DATA_DIR', '$HOME/goldratio-data', 'names the variable $HOME'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ${HOME} as typed in a .env, not a template
    ['DATABASE_PATH', '${HOME}/goldratio.db', 'names the variable ${HOME}'],
  ])('GIVEN %s=%s THEN one line saying a shell expands it, before any file is opened', async (name, value, why) => {
    const env = { [name]: value, HOME: '/home/op' };
    const said = `${name}: "${value}" ${why}, which only a shell expands (a .env, docker or systemd keeps it as typed): write the full path, e.g. /home/op/${value.split('/').slice(1).join('/')}`;
    expect(() => loadConfig(env)).toThrow(said);
    // A command that writes (and so would make the folder) is refused by the same line.
    const add = await runCliInProcess(['webhook', 'add', 'https://example.com/h'], env);
    expect(add.code).toBe(2);
    expect(add.stderr).toContain(said);
    expect(add.stdout).toBe('');
  });

  test('GIVEN another variable THEN no guess at what it held', () => {
    let error: unknown;
    try {
      loadConfig({ DATA_DIR: '$SRV/goldratio', HOME: '/home/op' });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems).toEqual([
      'DATA_DIR: "$SRV/goldratio" names the variable $SRV, which only a shell expands (a .env, docker or systemd keeps it as typed): write the full path',
    ]);
  });

  test('GIVEN a ~ or $ inside a name THEN it is a name like any other', () => {
    expect(loadConfig({ DATA_DIR: '/srv/a~b$' })).toMatchObject({ dataDir: '/srv/a~b$' });
  });
});

describe('DATABASE_PATH naming a folder', () => {
  // DATABASE_PATH=/srv/goldratio/ made a 168 KB database file named /srv/goldratio, then failed with
  // "cannot create its folder (ENOTDIR)", leaving that file (and start's .lock) behind.
  test('GIVEN DATABASE_PATH ending in / THEN one line saying to name the file or set DATA_DIR, and nothing is made', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'goldratio-slash-'));
    try {
      const folder = join(dir, 'srv');
      const said = `DATABASE_PATH: "${folder}/" ends with /, a folder: name the database file (${folder}/goldratio.db), or set DATA_DIR=${folder} instead`;
      expect(() => loadConfig({ DATABASE_PATH: `${folder}/` })).toThrow(said);
      for (const args of [['webhook', 'add', 'https://example.com/h'], ['status']]) {
        const r = await runCliInProcess(args, { DATABASE_PATH: `${folder}/`, DATA_DIR: dir });
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(said);
      }
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the cron variables', () => {
  const CRONS = CONFIG_VARS.filter((v) => v.kind === 'cron');

  // loadConfig takes a default without asking node-cron (not loaded for a command that schedules nothing).
  test('every default is an expression node-cron accepts', () => {
    expect(CRONS.length).toBeGreaterThan(4);
    for (const v of CRONS) expect(cron.validate(v.default!), v.name).toBe(true);
  });

  test('a value set by hand is checked by node-cron: refused when wrong, kept when right', () => {
    for (const v of CRONS) {
      expect(() => loadConfig({ [v.name]: '*/99 * * x' }), v.name).toThrow(`${v.name}: expected a cron expression`);
      expect(loadConfig({ [v.name]: '7 3 * * 2' }).cron, v.name).toSatisfy((c: Record<string, string>) => Object.values(c).includes('7 3 * * 2'));
    }
  });
});
