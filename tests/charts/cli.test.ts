/** `goldratio chart` as a user runs it (in this process, through the bin's `main`): a real database, a PNG on disk. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliInProcess as cli } from '../helpers/cli.ts';
import { openDatabase } from '../../src/store/db.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { pngSize, seedRatio, weekdays } from '../helpers/charts-fixtures.ts';
import { parseChartArgs } from '../../src/cli/chart.ts';
import { UserError } from '../../src/cli/command.ts';
import { LANGS } from '../../src/domain/i18n/langs.ts';

let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'goldratio-chart-cli-'));
  env = { DATABASE_PATH: join(dir, 'cli.db'), DATA_DIR: dir };
  const db = openDatabase(env.DATABASE_PATH!);
  await seedRatio(new QuoteStore(onSqlite(db)), 'qqq', weekdays('2024-01-02', 400), (i) => 0.2 + 0.0001 * i);
  db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('goldratio chart', () => {
  test('GIVEN a pair, range, theme and language THEN a 1200×630 PNG is written', async () => {
    const out = join(dir, 'qqq.png');
    const r = await cli(['chart', 'qqq-gold', '--range', '1y', '--theme', 'dark', '--lang', 'zh-TW', '--out', out], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote .*qqq\.png/);
    expect(pngSize(readFileSync(out))).toEqual({ width: 1200, height: 630 });
  });

  test('GIVEN --from and --to THEN that window is drawn; a window with no closes in it THEN one clear line naming it', async () => {
    const out = join(dir, 'window.png');
    const r = await cli(['chart', 'qqq-gold', '--from', '2024-03', '--to', '2024-06', '--out', out], env);
    expect(r.stderr).toBe('');
    expect(pngSize(readFileSync(out))).toEqual({ width: 1200, height: 630 });
    const none = await cli(['chart', 'qqq-gold', '--from', '2010', '--to', '2011', '--out', join(dir, 'none.png')], env);
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toMatch(
      /^goldratio chart: No closes for the QQQ\/Gold chart \(2010-01-01 to 2011-12-31\): its history runs from .* outside that span/,
    );
    expect(existsSync(join(dir, 'none.png'))).toBe(false);
  });

  test('GIVEN too little data THEN one clear line, exit 2, no file', async () => {
    const out = join(dir, 'power.png');
    const r = await cli(['chart', 'power', '--out', out], env);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'goldratio chart: Not enough data for the purchasing-power chart since 1999-03-10: S&P 500, QQQ, gold and M2 all need closes from that date on.',
    );
    expect(existsSync(out)).toBe(false);
  });
});

test('GIVEN --out .png (only an extension, a hidden file) THEN one line, exit 2, nothing written', async () => {
  const r = await cli(['chart', 'qqq-gold', '--out', join(dir, '.png')], env);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe('goldratio chart: --out .png is only an extension: name the file, e.g. chart.png\n');
  expect(existsSync(join(dir, '.png'))).toBe(false);
});

describe('goldratio chart power from the last close', () => {
  test('GIVEN --base on the last close THEN it says there is only that one day, not that closes from that date are missing', async () => {
    const own = { DATABASE_PATH: join(dir, 'one-day.db'), DATA_DIR: dir };
    const db = openDatabase(own.DATABASE_PATH);
    const store = new QuoteStore(onSqlite(db));
    const days = ['2025-01-02', '2025-01-03', '2025-01-06'];
    for (const [id, base] of [
      ['spx', 5900],
      ['qqq', 510],
      ['gold', 2650],
    ] as const)
      await store.upsertCloses(
        id,
        days.map((date, i) => ({ date, close: base + i, source: 'seed' })),
      );
    await store.upsertCloses('m2', [{ date: '2025-01-01', close: 21500, source: 'seed' }]);
    db.close();
    const r = await cli(['chart', 'power', '--base', '2025-01-06', '--out', join(dir, 'one.png')], own, { nowMs: Date.parse('2025-01-07T12:00:00Z') });
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(
      'goldratio chart: Not enough data for the purchasing-power chart since 2025-01-06: only the closes of 2025-01-06 are there, and it takes two days: pick an earlier base date.\n',
    );
    const zh = await cli(['chart', 'power', '--base', '2025-01-06', '--lang', 'zh-TW', '--out', join(dir, 'one.png')], own, {
      nowMs: Date.parse('2025-01-07T12:00:00Z'),
    });
    expect(zh.stderr).toBe('goldratio chart: 自2025年1月6日起的購買力圖表資料不足：只有2025年1月6日一天的收盤，至少需要兩天；請選擇更早的基準日。\n');
    expect(existsSync(join(dir, 'one.png'))).toBe(false);
  });
});

describe('chart arguments', () => {
  const bad: [string[], RegExp][] = [
    [[], /missing chart: spx-gold, qqq-gold or power/],
    [['spx-gold'], /missing --out file\.png/],
    [['btc-gold', '--out', 'a.png'], /unknown chart "btc-gold"/],
    [['spx-gold', '--range', '2W', '--out', 'a.png'], /--range must be one of 1M, 3M, 6M, YTD, 1Y, 5Y, 10Y, MAX, got "2W"/],
    [['spx-gold', '--theme', 'blue', '--out', 'a.png'], /--theme must be light or dark/],
    [['spx-gold', '--lang', 'fr', '--out', 'a.png'], new RegExp(`--lang must be one of ${LANGS.join(', ')}, got "fr"`)],
    [['spx-gold', '--out', 'a.jpg'], /--out must name a \.png file/],
    [['power', '--base', '1999-02-30', '--out', 'a.png'], /--base: there is no 1999-02-30 on the calendar/],
    [['power', '--base', '2999-01-04', '--out', 'a.png'], /^--base 2999-01-04 is in the future \(today is \d{4}-\d{2}-\d{2} in New York\)$/],
    [['power', '--range', '1Y', '--out', 'a.png'], /--range applies to a ratio chart/],
    [['spx-gold', '--colour', 'x', '--out', 'a.png'], /colour/],
    [['spx-gold', 'extra', '--out', 'a.png'], /unexpected argument "extra"/],
    [['spx-gold', '--range', '5Y', '--from', '2007', '--out', 'a.png'], /^--range or --from, not both$/],
    [['spx-gold', '--to', '2009', '--out', 'a.png'], /^--to needs --from/],
    [['spx-gold', '--from', '2009', '--to', '2007', '--out', 'a.png'], /^--from 2009-01-01 is after --to 2007-12-31$/],
    [['spx-gold', '--from', '2007-13', '--out', 'a.png'], /--from: there is no 2007-13 on the calendar/],
    [['power', '--from', '2007', '--out', 'a.png'], /--from applies to a ratio chart/],
    [['power', '--base', '2010', '--to', '2009', '--out', 'a.png'], /^--to 2009-12-31 is before --base 2010-01-01$/],
  ];
  test.each(bad)('GIVEN %j THEN a one-line UserError', (args, message) => {
    let error: unknown;
    try {
      parseChartArgs(args, 'light');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  test('GIVEN --from and --to THEN a window: a year from its first day, to its last; power takes --to as its end', () => {
    expect(parseChartArgs(['spx', '--from', '2007', '--to', '2009', '--out', 'x.png'], 'light').request).toEqual({
      kind: 'ratio',
      pair: 'spx-gold',
      range: 'MAX',
      window: { from: '2007-01-01', to: '2009-12-31' },
    });
    expect(parseChartArgs(['qqq', '--from', '2020-03', '--out', 'x.png'], 'light').request).toEqual({
      kind: 'ratio',
      pair: 'qqq-gold',
      range: 'MAX',
      window: { from: '2020-03-01' },
    });
    // A span back from today: 2y, 18m.
    const today = Date.parse('2026-11-21T12:00:00Z');
    expect(parseChartArgs(['spx', '--from', '2y', '--out', 'x.png'], 'light', today).request).toMatchObject({ window: { from: '2024-11-21' } });
    expect(parseChartArgs(['power', '--base', '18m', '--out', 'x.png'], 'light', today).request).toEqual({ kind: 'power', base: '2025-05-21' });
    expect(parseChartArgs(['power', '--base', '2011', '--to', '2020', '--out', 'x.png'], 'light').request).toEqual({
      kind: 'power',
      base: '2011-01-01',
      to: '2020-12-31',
    });
  });

  test('GIVEN short forms THEN they are understood', () => {
    expect(parseChartArgs(['spx', '--out', 'x.png'], 'dark')).toEqual({
      request: { kind: 'ratio', pair: 'spx-gold', range: 'MAX' },
      theme: 'dark',
      lang: 'en',
      out: 'x.png',
    });
    expect(parseChartArgs(['power', '--base', '2010-01-04', '--out', 'x.png'], 'light').request).toEqual({ kind: 'power', base: '2010-01-04' });
  });
});
