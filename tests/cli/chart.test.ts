/** `goldratio chart --range` given a span that is not one of the ranges: the way to ask for it. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCliInProcess } from '../helpers/cli.ts';

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
