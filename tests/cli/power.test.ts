/** `goldratio power` on the real history (GOLDRATIO_HISTORY_DIR), in this process through the bin's `main`, on a real SQLite file. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithHistory, historyFile } from '../helpers/history.ts';
import { runCliInProcess } from '../helpers/cli.ts';

describeWithHistory('goldratio power on the real history', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'goldratio-cli-power-'));
    await historyFile(join(dir, 'h.db'));
    env = { DATABASE_PATH: join(dir, 'h.db'), DATA_DIR: dir };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('GIVEN a span the S&P 500 fell in, in USD as in gold (2022-04 to 2023-10: 92.3, 89.3) THEN the note speaks of no gain, and says what /power says', async () => {
    const r = await runCliInProcess(['power', '--base', '2022-04', '--to', '2023-10'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  SPX       92.3      89.3         96.8\n');
    expect(r.stdout).not.toContain('gain');
    expect(r.stdout).toContain('Below 100 in gold: the index bought less gold than on the base date.');
    // Who beat M2 is said of price indices: the note says dividends are left out.
    expect(r.stdout).toContain('Both are price indices, dividends left out: reinvested, each does better versus M2 than shown.');
  });

  test('GIVEN a span both rose in gold (2011-08-22 to 2020-03-23: 250.1 and 426.6) THEN no note about below 100, as /power', async () => {
    const r = await runCliInProcess(['power', '--base', '2011-08-22', '--to', '2020-03-23'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  SPX      199.1     250.1        118.4\n');
    expect(r.stdout).not.toMatch(/Below 100/);
  });
});
