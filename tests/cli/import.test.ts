/** `goldratio import`: a bad close is quoted as the file writes it, never in the number's own form (1e+23). */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { INSTRUMENT_INFO } from '../../src/domain/instruments.ts';
import { runCliInProcess as cli } from '../helpers/cli.ts';
import { BIN } from '../helpers/process.ts';
import { describeWithHistory, HISTORY_DIR, HISTORY_FILES, loadHistory } from '../helpers/history.ts';
import { openDatabase } from '../../src/store/db.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'goldratio-import-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('goldratio import, a close quoted as written', () => {
  test('GIVEN closes far out of range, and two closes of one day too small for plain digits THEN each line quotes the cell as the file writes it', async () => {
    const file = join(dir, 'spx.csv');
    writeFileSync(
      file,
      'date,close\n2024-01-02,4742.83\n2024-01-03,100000000000000000000000\n2024-01-04,0.0000001\n2024-01-05,0.00000012\n2024-01-05,0.00000013\n2024-01-08,4688.68\n',
    );
    const r = await cli(['import', 'spx', file], { DATABASE_PATH: join(dir, 'a.db'), DATA_DIR: dir, LOG_FORMAT: 'pretty' });
    const { min, max } = INSTRUMENT_INFO.spx.plausible;
    expect(r.stderr.split('\n').filter((l) => l !== '')).toEqual([
      `${file}:3: spx price 100000000000000000000000 is outside the plausible range ${min}–${max}`,
      `${file}:4: spx price 0.0000001 is outside the plausible range ${min}–${max}`,
      `${file}:5: 2024-01-05 is given again on line 6 with another close: neither is imported`,
      `${file}:6: 2024-01-05 already given on line 5 with another close (0.00000012): neither is imported`,
    ]);
    // No exponent notation (1e+23) in what it says; the temp folder's name (goldratio-suite-1…) is not a number.
    expect(r.stderr.replaceAll(file, 'FILE')).not.toMatch(/\de[+-]\d/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^spx: 2 good rows \(2 new, 0 updated, 0 unchanged\), 4 bad rows skipped/);
  });
});

describe('goldratio import of a monthly file into a daily instrument', () => {
  // spx_monthly.csv (Shiller's monthly averages, each dated the 1st) imported as spx replaced the
  // daily closes of every 1st that was a trading day with a month's average, and said "752 updated".
  const trading = ['2024-02-01', '2024-03-01', '2024-04-01', '2024-05-01', '2024-07-01', '2024-08-01'];
  test.each(['spx', 'gold'])(
    'GIVEN %s and a file with one row a month, each on the 1st THEN nothing imported, one line, the daily closes kept',
    async (instrument) => {
      const db = join(dir, `monthly-${instrument}.db`);
      const env = { DATABASE_PATH: db, DATA_DIR: dir, LOG_FORMAT: 'pretty' };
      const daily = join(dir, `${instrument}-daily.csv`);
      writeFileSync(daily, `date,close\n${[...trading, '2024-08-02'].map((d) => `${d},2000`).join('\n')}\n`);
      const seeded = await cli(['import', instrument, daily], env);
      expect(seeded.code, seeded.stderr).toBe(0);
      const monthly = join(dir, `${instrument}_monthly.csv`);
      writeFileSync(monthly, `date,close\n2024-01-01,1990\n${trading.map((d) => `${d},2010`).join('\n')}\n2024-06-01,2005\n`);
      const r = await cli(['import', instrument, monthly], env);
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toBe(
        `goldratio import: nothing imported: ${monthly} has one row a month, each dated the 1st (monthly data, such as monthly averages): ${instrument} takes daily closes; import a daily file\n`,
      );
      // The daily closes are as they were: 2000 on each day, none replaced by a month's 2010.
      const after = await cli(['import', instrument, daily], env);
      expect(after.stdout).toMatch(/\(0 new, 0 updated, 7 unchanged\)/);
    },
  );

  test('GIVEN a daily file that happens to hold only two 1sts THEN it is imported', async () => {
    const file = join(dir, 'two-firsts.csv');
    writeFileSync(file, 'date,close\n2024-02-01,4900\n2024-03-01,5100\n');
    const r = await cli(['import', 'spx', file], { DATABASE_PATH: join(dir, 'two.db'), DATA_DIR: dir, LOG_FORMAT: 'pretty' });
    expect(r.code, r.stderr).toBe(0);
  });
});

describe("goldratio import of another instrument's file", () => {
  // `import spx qqq_daily.csv` said "6906 good rows (0 new, 6906 updated)" and exit 0: every S&P 500
  // close since 1999 was replaced by QQQ's, each move "confirmed" by the next wrong close.
  const days = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08', '2024-01-09'];
  test('GIVEN stored spx closes and a file whose closes on the same days are QQQ-sized THEN nothing imported, one line, the closes kept', async () => {
    const db = join(dir, 'other-instrument.db');
    const env = { DATABASE_PATH: db, DATA_DIR: dir, LOG_FORMAT: 'pretty' };
    const spx = join(dir, 'spx-right.csv');
    writeFileSync(spx, `date,close\n${days.map((d, i) => `${d},${4700 + i}`).join('\n')}\n`);
    expect((await cli(['import', 'spx', spx], env)).code).toBe(0);
    const qqq = join(dir, 'qqq_daily.csv');
    writeFileSync(qqq, `date,close\n${days.map((d, i) => `${d},${400 + i}`).join('\n')}\n2024-01-10,407\n`);
    const r = await cli(['import', 'spx', qqq], env);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(
      `goldratio import: nothing imported: ${qqq} does not look like spx: on 6 of the 6 days it shares with the stored spx closes it differs by more than 15% (MAX_MOVE_PCT), e.g. 2024-01-02: stored 4700, file 400; is it another instrument's file?\n`,
    );
    const again = await cli(['import', 'spx', spx], env);
    expect(again.stdout).toMatch(/\(0 new, 0 updated, 6 unchanged\)/);
  });

  test('GIVEN a file that corrects stored closes by cents and adds new days THEN it is imported', async () => {
    const db = join(dir, 'corrections.db');
    const env = { DATABASE_PATH: db, DATA_DIR: dir, LOG_FORMAT: 'pretty' };
    const first = join(dir, 'spx-first.csv');
    writeFileSync(first, `date,close\n${days.map((d, i) => `${d},${4700 + i}`).join('\n')}\n`);
    expect((await cli(['import', 'spx', first], env)).code).toBe(0);
    const fixed = join(dir, 'spx-fixed.csv');
    writeFileSync(fixed, `date,close\n${days.map((d, i) => `${d},${4700.25 + i}`).join('\n')}\n2024-01-10,4710\n`);
    const r = await cli(['import', 'spx', fixed], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\(1 new, 6 updated, 0 unchanged\)/);
  });
});

describe('goldratio import - (standard input)', () => {
  // `curl … | goldratio import spx -` said "cannot read -: no such file (ENOENT)". The pipe into the
  // process is what is tested: spawned.
  test('GIVEN a CSV piped in as - THEN it is imported, its bad rows said as stdin:LINE, its source import:stdin', async () => {
    const db = join(dir, 'stdin.db');
    const r = spawnSync(process.execPath, [BIN, 'import', 'spx', '-'], {
      input: 'date,close\n2024-01-02,4742.83\n2024-01-03,abc\n2024-01-04,4688.68\n',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', LOG_FORMAT: 'pretty', DATABASE_PATH: db, DATA_DIR: dir },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('stdin:3: close "abc" is not a positive number (write it as a plain decimal like 3023.94)\n');
    expect(r.stdout).toBe('spx: 2 good rows (2 new, 0 updated, 0 unchanged), 1 bad row skipped, 2024-01-02 .. 2024-01-04\n');
    expect(r.status).toBe(0);
    const status = await cli(['status'], { DATABASE_PATH: db, DATA_DIR: dir });
    expect(status.stdout).toMatch(/^spx +2 rows +last 2024-01-04 4688\.68 \(import:stdin,/m);
  });
});

describeWithHistory("goldratio import of the real gold file's days London and COMEX were shut", () => {
  test('GIVEN gold_daily.csv over Christmas and New Year 2025 THEN the carried rows of 12-25 and 01-01 are skipped with their lines, the rest land, and the latest price before 12-26 is that of 12-24', async () => {
    const lines = readFileSync(join(HISTORY_DIR, HISTORY_FILES.gold), 'utf8').trim().split('\n');
    const first = lines.findIndex((l) => l.startsWith('2025-12-22,'));
    const last = lines.findIndex((l) => l.startsWith('2026-01-05,'));
    const file = join(dir, 'gold-holidays.csv');
    writeFileSync(file, `${[lines[0], ...lines.slice(first, last + 1)].join('\n')}\n`);
    const db = join(dir, 'holidays.db');
    const r = await cli(['import', 'gold', file], { DATABASE_PATH: db, DATA_DIR: dir, LOG_FORMAT: 'pretty' });
    expect(r.code).toBe(0);
    const why = 'London does not fix gold nor COMEX settle it that day (a price dated then is an earlier one carried forward)';
    expect(r.stderr.split('\n').filter((l) => l !== '')).toEqual([
      `${file}:5: gold 2025-12-25 is Christmas Day: ${why}`,
      `${file}:10: gold 2026-01-01 is New Year's Day: ${why}`,
    ]);
    expect(r.stdout).toMatch(/^gold: 9 good rows \(9 new, 0 updated, 0 unchanged\), 2 bad rows skipped, 2025-12-22 \.\. 2026-01-05/);
    const handle = openDatabase(db);
    const dates = (await new QuoteStore(onSqlite(handle)).closes('gold')).map((p) => p.date);
    handle.close();
    expect(dates).not.toContain('2025-12-25');
    expect(dates).not.toContain('2026-01-01');
    expect(dates).toContain('2025-12-24');
  });
});

describe('goldratio import on a database that took a gold close of a shut day before the rule', () => {
  test('GIVEN a file of the schema before 019 holding gold of 2025-12-25 THEN the import upgrades it, says once which row went and why, and the next import says nothing of it', async () => {
    const db = join(dir, 'before-019.db');
    const old = openDatabase(
      db,
      MIGRATIONS.filter((m) => m.version < 19),
    );
    old.exec(`INSERT INTO closes (instrument, date, close, source, updated_at) VALUES
      ('gold', '2025-12-24', 4479.42, 'import:gold_daily.csv', 'x'), ('gold', '2025-12-25', 4479.42, 'import:gold_daily.csv', 'x')`);
    old.close();
    const file = join(dir, 'spx-late-2025.csv');
    writeFileSync(file, 'date,close\n2025-12-24,6932.05\n2025-12-26,6929.94\n');
    const env = { DATABASE_PATH: db, DATA_DIR: dir, LOG_FORMAT: 'pretty' };
    const r = await cli(['import', 'spx', file], env);
    expect(r.code).toBe(0);
    const said = r.stderr.split('\n').filter((l) => l.includes('removed'));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(
      'removed 1 gold close dated a day London does not fix gold nor COMEX settle it: 2025-12-25 4479.42 (import:gold_daily.csv); each was an earlier price carried forward',
    );
    const handle = openDatabase(db);
    expect((await new QuoteStore(onSqlite(handle)).closes('gold')).map((p) => p.date)).toEqual(['2025-12-24']);
    handle.close();
    const again = await cli(['import', 'spx', file], env);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain('removed');
  });
});

describeWithHistory("goldratio import of the real gold file's repeated weekday rows", () => {
  /** The real file's rows from 2026-01-12 to 2026-02-27, the file's header first. */
  function slice(name: string): string {
    const lines = readFileSync(join(HISTORY_DIR, HISTORY_FILES.gold), 'utf8').trim().split('\n');
    const rows = lines.filter((l) => l >= '2026-01-12' && l < '2026-02-28');
    const file = join(dir, name);
    writeFileSync(file, `${[lines[0], ...rows].join('\n')}\n`);
    return file;
  }
  /** The dates in the slice whose close equals the row before's, read from the file itself. */
  function repeatsIn(file: string): string[] {
    const rows = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    return rows.flatMap((r, i) => (i > 0 && r[1] === rows[i - 1]![1] ? [r[0]!] : []));
  }

  test('GIVEN early 2026 of gold_daily.csv THEN every row lands and one line names the repeats: how many, which', async () => {
    const file = slice('gold-repeats.csv');
    const repeats = repeatsIn(file);
    expect(repeats).toEqual(['2026-01-20', '2026-01-28', '2026-02-17', '2026-02-18']);
    const db = join(dir, 'repeats-kept.db');
    const r = await cli(['import', 'gold', file], { DATABASE_PATH: db, DATA_DIR: dir, LOG_FORMAT: 'pretty' });
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l !== '')).toEqual([
      `${file}: gold: 4 rows repeat the close before to the cent: 4 (2026-01-20, 2026-01-28, 2026-02-17, 2026-02-18) most likely carried forward over a missed day (the price moves a hundred quoting steps a day there); all stored as those days' prices (--skip-repeats leaves out the carried ones)`,
    ]);
    const handle = openDatabase(db);
    const dates = (await new QuoteStore(onSqlite(handle)).closes('gold')).map((p) => p.date);
    handle.close();
    expect(dates).toEqual(expect.arrayContaining(repeats));
  });

  test('GIVEN --skip-repeats THEN the repeated rows are left out and said so, and an import without it brings them back', async () => {
    const file = slice('gold-repeats-skip.csv');
    const db = join(dir, 'repeats-skipped.db');
    const env = { DATABASE_PATH: db, DATA_DIR: dir, LOG_FORMAT: 'pretty' };
    const r = await cli(['import', 'gold', file, '--skip-repeats'], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('; the carried ones left out (--skip-repeats): those days use the price before, the same number');
    expect(r.stdout).toMatch(/, 0 bad rows skipped, 4 carried left out, 2026-01-12 \.\. 2026-02-27/);
    const stored = async () => {
      const handle = openDatabase(db);
      const dates = (await new QuoteStore(onSqlite(handle)).closes('gold')).map((p) => p.date);
      handle.close();
      return dates;
    };
    const kept = await stored();
    for (const d of repeatsIn(file)) expect(kept).not.toContain(d);
    expect(kept).toContain('2026-01-19');
    expect((await cli(['import', 'gold', file], env)).code).toBe(0);
    expect(await stored()).toEqual(expect.arrayContaining(repeatsIn(file)));
  });
});

describeWithHistory("the tests' loadHistory stores what goldratio import stores", () => {
  test('GIVEN gold_daily.csv imported by the command and loaded by loadHistory THEN the same gold closes, the shut days left out by both', async () => {
    const db = join(dir, 'whole-gold.db');
    const r = await cli(['import', 'gold', join(HISTORY_DIR, HISTORY_FILES.gold)], { DATABASE_PATH: db, DATA_DIR: dir, LOG_FORMAT: 'pretty' });
    expect(r.code).toBe(0);
    const imported = openDatabase(db);
    const viaImport = await new QuoteStore(onSqlite(imported)).closes('gold');
    imported.close();
    const loaded = openDatabase(':memory:');
    await loadHistory(new QuoteStore(onSqlite(loaded)), '1900-01-01');
    const viaLoad = await new QuoteStore(onSqlite(loaded)).closes('gold');
    loaded.close();
    expect(viaLoad.length).toBeGreaterThan(14_000);
    expect(viaLoad).toEqual(viaImport);
    expect(viaLoad.map((p) => p.date)).not.toContain('2025-12-25');
    expect(viaLoad.map((p) => p.date)).toContain('2026-01-20');
  });
});

describe('goldratio import gold --skip-repeats of a file holding only repeats', () => {
  test('GIVEN spot gold of 2026-02-17 and 02-18 equal to the stored 02-16 to the cent THEN nothing is imported, saying why, exit 2', async () => {
    const db = join(dir, 'only-repeats.db');
    const env = { DATABASE_PATH: db, DATA_DIR: dir, LOG_FORMAT: 'pretty' };
    const first = join(dir, 'gold-0216.csv');
    writeFileSync(first, 'date,close\n2026-02-11,5030.47\n2026-02-12,4968.12\n2026-02-13,4990.53\n2026-02-16,4992.01\n');
    expect((await cli(['import', 'gold', first], env)).code).toBe(0);
    const file = join(dir, 'gold-only-repeats.csv');
    writeFileSync(file, 'date,close\n2026-02-17,4992.01\n2026-02-18,4992.01\n');
    const r = await cli(['import', 'gold', file, '--skip-repeats'], env);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${file}: gold: 2 rows repeat the close before to the cent: 2 (2026-02-17, 2026-02-18) most likely carried`);
    expect(r.stderr).toContain(
      `goldratio import: nothing imported: every good row of ${file} repeats the close before it, most likely carried, and --skip-repeats leaves those out`,
    );
  });
});
