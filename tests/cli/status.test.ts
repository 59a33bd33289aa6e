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
