/** `goldratio chart --range` given a span that is not one of the ranges: the way to ask for it. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { historyDatabase, runCliInProcess } from '../helpers/cli.ts';
import { parseChartArgs } from '../../src/cli/chart.ts';
import { describeWithHistory } from '../helpers/history.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'goldratio-chart-range-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('chart --range given a span', () => {
  test.each([
    ['2W', '2w'],
    ['18m', '18m'],
    ['3y', '3y'],
  ])('GIVEN --range %s THEN one line naming the ranges and --from %s, exit 2, nothing written', async (range, from) => {
    const out = join(dir, 'c.png');
    const r = await runCliInProcess(['chart', 'spx-gold', '--range', range, '--out', out], { DATA_DIR: dir, DATABASE_PATH: join(dir, 'g.db') });
    expect([r.code, r.stdout, r.stderr]).toEqual([
      2,
      '',
      `goldratio chart: --range must be one of 1M, 3M, 6M, YTD, 1Y, 5Y, 10Y, MAX, got "${range}"; for a span back like ${range}, write --from ${from}\n`,
    ]);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('GIVEN --range 2X THEN no span is suggested', async () => {
    const r = await runCliInProcess(['chart', 'spx-gold', '--range', '2X', '--out', join(dir, 'c.png')], { DATA_DIR: dir, DATABASE_PATH: join(dir, 'g.db') });
    expect(r.stderr).toBe('goldratio chart: --range must be one of 1M, 3M, 6M, YTD, 1Y, 5Y, 10Y, MAX, got "2X"\n');
  });
});

describe('chart given its start as a word, as the chat takes it', () => {
  // The clock of the run: 2026-12-06 in New York.
  const nowMs = Date.parse('2026-12-06T17:00:00Z');
  test.each([
    ['spx', '2099', '2099 is in the future (today is 2026-12-06 in New York)'],
    ['spx-gold', '2027-01', '2027-01 is in the future (today is 2026-12-06 in New York)'],
    ['qqq', '2026-12-07', '2026-12-07 is in the future (today is 2026-12-06 in New York)'],
    ['spx', '2020', 'unexpected argument "2020": for a chart from 2020, write --from 2020'],
    ['power', '2011-03', 'unexpected argument "2011-03": for a chart from 2011-03, write --base 2011-03'],
    ['spx', '2020-13', 'there is no 2020-13 on the calendar'],
    ['spx', '5y', 'unexpected argument "5y": for that range, write --range 5Y'],
    ['qqq', '3y', 'unexpected argument "3y": for a span back, write --from 3y'],
    ['spx', 'extra', 'unexpected argument "extra"'],
    ['spx', '去年', 'unexpected argument "去年": for that year\'s chart, write --from 去年'],
    ['power', 'last year', 'unexpected argument "last year": for that year\'s chart, write --base "last year"'],
  ])('GIVEN chart %s %s THEN one line saying what it is, exit 2, nothing written', async (what, word, said) => {
    const r = await runCliInProcess(['chart', what, word, '--out', join(dir, 'c.png')], { DATA_DIR: dir, DATABASE_PATH: join(dir, 'g.db') }, { nowMs });
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `goldratio chart: ${said}\n`]);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('chart --from (or --base) last year, 去年, 前年, as /chart reads them', () => {
  // The clock of the run: 2026-12-06 in New York.
  const nowMs = Date.parse('2026-12-06T17:00:00Z');
  test.each([
    [['spx', '--from', '去年'], { window: { from: '2025-01-01', to: '2025-12-31' } }],
    [['spx', '--from', 'last year'], { window: { from: '2025-01-01', to: '2025-12-31' } }],
    [['qqq', '--from', 'Previous Year'], { window: { from: '2025-01-01', to: '2025-12-31' } }],
    [['spx', '--from', '前年'], { window: { from: '2024-01-01', to: '2024-12-31' } }],
    [['spx', '--from', 'the year before last'], { window: { from: '2024-01-01', to: '2024-12-31' } }],
    // With --to, from that year's first day to the end given; a year in digits still runs to the latest close.
    [['spx', '--from', '去年', '--to', '2026-06'], { window: { from: '2025-01-01', to: '2026-06-30' } }],
    [['spx', '--from', '2025'], { window: { from: '2025-01-01' } }],
    [['power', '--base', '去年'], { kind: 'power', base: '2025-01-01', to: '2025-12-31' }],
    [['power', '--base', 'last year', '--to', '2026'], { kind: 'power', base: '2025-01-01', to: '2026-12-31' }],
    // Three years back, last year as 上一年, and the year said whole.
    [['spx', '--from', '大前年'], { window: { from: '2023-01-01', to: '2023-12-31' } }],
    [['spx', '--from', '上一年'], { window: { from: '2025-01-01', to: '2025-12-31' } }],
    [['spx', '--from', '去年全年'], { window: { from: '2025-01-01', to: '2025-12-31' } }],
    [['spx', '--from', '去年一整年'], { window: { from: '2025-01-01', to: '2025-12-31' } }],
    [['spx', '--from', 'the whole of last year'], { window: { from: '2025-01-01', to: '2025-12-31' } }],
    // A quarter or a half: that period alone, as /chart spx Q1 2020 is.
    [['spx', '--from', 'Q1 2020'], { window: { from: '2020-01-01', to: '2020-03-31' } }],
    [['spx', '--from', '2020年上半年'], { window: { from: '2020-01-01', to: '2020-06-30' } }],
    [['qqq', '--from', '2020 H2'], { window: { from: '2020-07-01', to: '2020-12-31' } }],
    [['spx', '--from', '上一季'], { window: { from: '2026-07-01', to: '2026-09-30' } }],
    // `last quarter` is the calendar quarter, as 上一季 and /chart spx last quarter are; `past quarter` the trailing three months.
    [['spx', '--from', 'last quarter'], { window: { from: '2026-07-01', to: '2026-09-30' } }],
    [['spx', '--from', 'Previous Quarter'], { window: { from: '2026-07-01', to: '2026-09-30' } }],
    [['spx', '--from', '上季'], { window: { from: '2026-07-01', to: '2026-09-30' } }],
    [['power', '--base', 'last quarter'], { kind: 'power', base: '2026-07-01', to: '2026-09-30' }],
    [['spx', '--from', 'past quarter'], { window: { from: '2026-09-06' } }],
    // A month by its place (last month, 上個月): that calendar month alone, as a quarter is; the past month rolls.
    [['spx', '--from', 'last month'], { window: { from: '2026-11-01', to: '2026-11-30' } }],
    [['spx', '--from', '上個月'], { window: { from: '2026-11-01', to: '2026-11-30' } }],
    [['qqq', '--from', '上个月'], { window: { from: '2026-11-01', to: '2026-11-30' } }],
    [['power', '--base', 'previous month'], { kind: 'power', base: '2026-11-01', to: '2026-11-30' }],
    [['spx', '--from', 'past month'], { window: { from: '2026-11-06' } }],
    [['spx', '--from', '2026-10'], { window: { from: '2026-10-01' } }],
    // This quarter still runs: to the latest close, as a start does.
    [['spx', '--from', '本季'], { window: { from: '2026-10-01' } }],
    [['power', '--base', 'Q1 2020'], { kind: 'power', base: '2020-01-01', to: '2020-03-31' }],
  ])('GIVEN chart %j THEN %j: the calendar year alone, as /chart spx 去年 is', (args, request) => {
    const r = parseChartArgs([...args, '--out', 'x.png'], 'light', nowMs).request;
    expect(r).toMatchObject(request);
    if (!('to' in request) && !('to' in (request.window ?? {}))) expect(r).not.toHaveProperty('window.to');
  });

  test.each([
    ['spx', '--from', 'this year'],
    ['qqq', '--from', '今年'],
    ['spx', '--from', 'This Year'],
    ['power', '--base', '今年'],
  ])('GIVEN chart %s %s %s THEN YTD, as /chart spx 今年 reads it (was refused as no date)', (what, option, word) => {
    const request = (value: string) => parseChartArgs([what, option, value, '--out', 'x.png'], 'light', nowMs).request;
    expect(request(word)).toEqual(request('YTD'));
  });
});

describe("chart --from the chat's other starts, read by the chat's parser", () => {
  // The clock of the run: 2026-12-06 in New York.
  const nowMs = Date.parse('2026-12-06T17:00:00Z');
  test.each([
    // Since last year: its January 1 to the latest close (not that year alone, as --from 去年 is).
    ['since last year', '2025-01-01'],
    ['去年以來', '2025-01-01'],
    ['去年以来', '2025-01-01'],
    ['end of last year', '2025-12-31'],
    ['去年底', '2025-12-31'],
    // This year is YTD: from the last close of the year before, as /chart spx 今年 and the YTD range are.
    ['this year', '2025-12-31'],
    ['今年', '2025-12-31'],
    ['since Q1 2020', '2020-01-01'],
    ['2020年上半年以來', '2020-01-01'],
    ['since 2020', '2020-01-01'],
    // A unit alone: one of it.
    ['week', '2026-11-29'],
    ['月', '2026-11-06'],
  ])('GIVEN chart spx --from %s THEN from %s to the latest close', (typed, from) => {
    const r = parseChartArgs(['spx', '--from', typed, '--out', 'x.png'], 'light', nowMs).request;
    expect(r).toEqual({ kind: 'ratio', pair: 'spx-gold', range: 'MAX', window: { from } });
  });

  test.each([
    ['a week or two', '--from: "a week or two" is a range, not one length: give a single number, e.g. 1w or 2w'],
    ['一兩週', '--from: "一兩週" is a range, not one length: give a single number, e.g. 1w or 2w'],
    ['幾月', '--from: "幾月" asks which month and names none: give the month you mean, like 2020-03, or a span back, like 3m'],
    ['since 2099', '--from 2099 is in the future (today is 2026-12-06 in New York)'],
    // The chat's sentence goes on after the option's name in lower case, as the CLI's own refusals do.
    ['2025-W53', '--from: there is no week 53 in 2025: its ISO weeks run W01 to W52 (got "2025-W53")'],
  ])('GIVEN chart spx --from %s THEN one line, exit 2, nothing written', async (typed, said) => {
    const r = await runCliInProcess(
      ['chart', 'spx', '--from', typed, '--out', join(dir, 'c.png')],
      { DATA_DIR: dir, DATABASE_PATH: join(dir, 'g.db') },
      { nowMs },
    );
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `goldratio chart: ${said}\n`]);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('GIVEN chart spx 去年以來 (the start as a word) THEN one line naming --from', async () => {
    const r = await runCliInProcess(['chart', 'spx', '去年以來', '--out', join(dir, 'c.png')], { DATA_DIR: dir, DATABASE_PATH: join(dir, 'g.db') }, { nowMs });
    expect([r.code, r.stderr]).toEqual([2, 'goldratio chart: unexpected argument "去年以來": for a chart from then, write --from 去年以來\n']);
  });

  test('GIVEN goldratio help chart THEN the start phrases are listed', async () => {
    const r = await runCliInProcess(['help', 'chart'], { DATA_DIR: dir, DATABASE_PATH: join(dir, 'g.db') });
    expect(r.code).toBe(0);
    for (const phrase of [
      '"since last year" (去年以來)',
      '"end of last year" (去年底)',
      '"last month" (上個月)',
      '"this year" (今年: YTD)',
      '"Q1 2020"',
      '2020年上半年',
    ])
      expect(r.stdout).toContain(phrase);
  });
});

// One database of the real 2019 and 2020 for the runs that draw (skipped, and said so, without the history outside CI).
describeWithHistory('chart on the real history of 2019 and 2020', () => {
  const history = historyDatabase('2019-01-01', '2020-12-31');
  test('GIVEN --from 去年 on a database of 2019 and 2020, run in 2021 THEN the chart of 2020 written; next year is refused in one line naming what works', async () => {
    const out = join(dir, 'last-year.png');
    const inYear = { nowMs: Date.parse('2021-03-01T17:00:00Z') };
    const r = await runCliInProcess(['chart', 'spx', '--from', '去年', '--out', out], history.env, inYear);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^wrote .*last-year\.png \(\d+ KB, 1200×630\)\n$/);
    rmSync(out);
    const bad = await runCliInProcess(['chart', 'spx', '--from', 'next year', '--out', out], history.env, inYear);
    expect([bad.code, bad.stdout, bad.stderr]).toEqual([2, '', 'goldratio chart: --from next year is in the future (today is 2021-03-01 in New York)\n']);
  });

  test('GIVEN --from "Q1 2020" on the real 2020 THEN the chart of that quarter written (to 2020-03-31, not the latest close)', async () => {
    const out = join(dir, 'q1.png');
    const r = await runCliInProcess(['chart', 'spx', '--from', 'Q1 2020', '--lang', 'zh-TW', '--out', out], history.env);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/ \(\d+ KB, 1200×630\)\n$/);
    rmSync(out);
  });

  test('GIVEN --from 1990 on a database whose closes start in 2019 THEN the chart, and a note that it starts at the first close', async () => {
    const out = join(dir, 'early.png');
    const r = await runCliInProcess(['chart', 'spx', '--from', '1990', '--out', out], history.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote .*early\.png \(\d+ KB, 1200×630\)\n$/);
    expect(r.stderr).toBe('note: the SPX/Gold history starts 2019-01-02, so the chart starts there, not at 1990-01-01\n');
    // From a day inside the history (a holiday, even): no note.
    const inside = await runCliInProcess(['chart', 'spx', '--from', '2020-01-01', '--out', out], history.env);
    expect([inside.code, inside.stderr]).toEqual([0, '']);
    // The power chart, from before the four series start together.
    const power = await runCliInProcess(['chart', 'power', '--base', '1990', '--out', out], history.env);
    expect([power.code, power.stderr]).toEqual([
      0,
      'note: the purchasing power history (SPX, QQQ and gold together) starts 2019-01-02, so the chart starts there, not at 1990-01-01\n',
    ]);
    rmSync(out);
  });
});
