/** `goldratio status` as an operator runs it (in this process, through the bin's `main`), on a real SQLite file. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliInProcess as cli } from '../helpers/cli.ts';

let dir: string;
let env: Record<string, string>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'goldratio-status-'));
  env = { DATABASE_PATH: join(dir, 's.db'), DATA_DIR: dir };
  writeFileSync(join(dir, 'spx.csv'), 'date,close\n2026-08-20,6000\n2026-08-21,6010\n');
  expect((await cli(['import', 'spx', join(dir, 'spx.csv')], env, { nowMs: Date.parse('2026-08-22T12:00:00Z') })).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('goldratio status --json', () => {
  test('GIVEN the daily sync failing for months THEN --json says STALE as the text does (a monitor reads it without recomputing the calendar)', async () => {
    const nowMs = Date.parse('2026-12-05T06:47:00Z');
    const text = await cli(['status'], env, { nowMs });
    expect(text.stdout).toMatch(/^spx .*STALE$/m);
    const r = await cli(['status', '--json'], env, { nowMs });
    const spx = (JSON.parse(r.stdout) as { instruments: Record<string, unknown>[] }).instruments.find((i) => i.instrument === 'spx');
    expect(spx).toMatchObject({ lastDate: '2026-08-21', ageDays: 106, stale: true });
    // The morning after, the same close is fresh.
    const fresh = await cli(['status', '--json'], env, { nowMs: Date.parse('2026-08-22T12:00:00Z') });
    expect((JSON.parse(fresh.stdout) as { instruments: Record<string, unknown>[] }).instruments[0]).toMatchObject({ ageDays: 1, stale: false });
  });
});

describe('goldratio status on a database with no history', () => {
  test('GIVEN nothing stored, then only SPX THEN each instrument says no data and one line says how history gets there', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'goldratio-status-empty-'));
    try {
      const none = await cli(['status'], { DATABASE_PATH: join(empty, 'e.db'), DATA_DIR: empty });
      expect(none.code).toBe(0);
      expect(none.stdout).toMatch(/^spx {3}no data$/m);
      expect(none.stdout.trimEnd().split('\n').at(-1)).toBe(
        'no history yet: `goldratio backfill` fetches it (the bot does on its first start), or load CSVs with `goldratio import`',
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    const some = await cli(['status'], env, { nowMs: Date.parse('2026-08-22T12:00:00Z') });
    expect(some.stdout.trimEnd().split('\n').at(-1)).toBe(
      'no history of qqq, gold, m2 yet: `goldratio backfill` fetches it (the bot does on its first start), or load CSVs with `goldratio import`',
    );
  });
});

describe("goldratio status: gold's age since its price was set", () => {
  let gdir: string;
  let genv: Record<string, string>;
  beforeAll(async () => {
    gdir = mkdtempSync(join(tmpdir(), 'goldratio-status-gold-'));
    genv = { DATABASE_PATH: join(gdir, 'g.db'), DATA_DIR: gdir };
    writeFileSync(join(gdir, 'spx.csv'), 'date,close\n2026-08-20,6000\n2026-08-21,6010\n');
    writeFileSync(join(gdir, 'gold.csv'), 'date,close\n2026-08-20,4518.96\n2026-08-21,4520\n');
    const at = { nowMs: Date.parse('2026-08-24T12:00:00Z') };
    expect((await cli(['import', 'spx', join(gdir, 'spx.csv')], genv, at)).code).toBe(0);
    expect((await cli(['import', 'gold', join(gdir, 'gold.csv'), '--source', 'lbma'], genv, at)).code).toBe(0);
  });
  afterAll(() => rmSync(gdir, { recursive: true, force: true }));

  test('GIVEN the LBMA PM fix of Friday 08-21 (15:00 London) THEN on Saturday 08:00 New York it is 22 h old, the SPX close 16 h', async () => {
    const text = (await cli(['status'], genv, { nowMs: Date.parse('2026-08-22T12:00:00Z') })).stdout;
    expect(text).toMatch(/^spx .*last 2026-08-21 6010 \(import:spx\.csv, 16 h old\)$/m);
    // Fixed at 14:00 UTC (15:00 London, summer time), not at the 20:00 UTC New York close: 22 h, not 16.
    expect(text).toMatch(/^gold .*last 2026-08-21 4520 \(lbma, 22 h old\)$/m);
    // Gold has the stocks' day: nothing said missing.
    expect(text).not.toContain('no gold price');
  });

  test('GIVEN that Friday fix on Monday morning THEN it is 3 d old and not STALE', async () => {
    const text = (await cli(['status'], genv, { nowMs: Date.parse('2026-08-24T12:00:00Z') })).stdout;
    expect(text).toMatch(/^gold .*\(lbma, 3 d old\)$/m);
    expect(text).not.toContain('STALE');
  });
});

describe('goldratio status: a day the stocks closed and gold has no price for', () => {
  let mdir: string;
  let menv: Record<string, string>;
  beforeAll(async () => {
    mdir = mkdtempSync(join(tmpdir(), 'goldratio-status-nogold-'));
    menv = { DATABASE_PATH: join(mdir, 'm.db'), DATA_DIR: mdir };
    writeFileSync(join(mdir, 'spx.csv'), 'date,close\n2026-08-20,6000\n2026-08-21,6010\n');
    // No fix of 2026-08-21 (a source that skipped the day).
    writeFileSync(join(mdir, 'gold.csv'), 'date,close\n2026-08-20,4518.96\n');
    const at = { nowMs: Date.parse('2026-08-24T12:00:00Z') };
    expect((await cli(['import', 'spx', join(mdir, 'spx.csv')], menv, at)).code).toBe(0);
    expect((await cli(['import', 'gold', join(mdir, 'gold.csv'), '--source', 'lbma'], menv, at)).code).toBe(0);
  });
  afterAll(() => rmSync(mdir, { recursive: true, force: true }));

  test('GIVEN SPX closed 08-21 and gold last fixed 08-20 THEN gold’s line says there is none for 08-21 and the ratios use 08-20’s; --json says it too', async () => {
    const nowMs = Date.parse('2026-08-21T21:30:00Z');
    const text = (await cli(['status'], menv, { nowMs })).stdout;
    expect(text).toMatch(/^gold .*last 2026-08-20 4518\.96 \(lbma, \d+ h old\); no gold price for 2026-08-21: that day's ratios use this one$/m);
    expect(text).not.toMatch(/^spx .*no gold price/m);
    const r = await cli(['status', '--json'], menv, { nowMs });
    const gold = (JSON.parse(r.stdout) as { instruments: Record<string, unknown>[] }).instruments.find((i) => i.instrument === 'gold');
    expect(gold).toMatchObject({ lastDate: '2026-08-20', noPriceFor: '2026-08-21', carried: true, stale: false });
  });
});

describe('goldratio status on M2, a monthly figure', () => {
  test('GIVEN M2 of 2026-06 stored THEN its line names the month and the level in bn USD, not "2026-06-01 … 187 d old", an age of a price a month\'s average does not have; STALE and --json as before', async () => {
    const m2dir = mkdtempSync(join(tmpdir(), 'goldratio-status-m2-'));
    try {
      const e = { DATABASE_PATH: join(m2dir, 'm.db'), DATA_DIR: m2dir };
      writeFileSync(join(m2dir, 'm2.csv'), 'date,close\n2026-05-01,23055.6\n2026-06-01,23155.2\n');
      expect((await cli(['import', 'm2', join(m2dir, 'm2.csv')], e, { nowMs: Date.parse('2026-08-22T12:00:00Z') })).code).toBe(0);
      const nowMs = Date.parse('2026-12-05T06:47:00Z');
      const text = (await cli(['status'], e, { nowMs })).stdout;
      expect(text).toMatch(/^m2 +2 rows {2}last 2026-06 23155\.2 bn USD \(import:m2\.csv\) {2}STALE$/m);
      expect(text).not.toMatch(/2026-06-01|d old/);
      const m2 = (JSON.parse((await cli(['status', '--json'], e, { nowMs })).stdout) as { instruments: Record<string, unknown>[] }).instruments.find(
        (i) => i.instrument === 'm2',
      );
      expect(m2).toMatchObject({ lastDate: '2026-06-01', stale: true });
    } finally {
      rmSync(m2dir, { recursive: true, force: true });
    }
  });
});
