/**
 * `goldratio ratio` on the real history (GOLDRATIO_HISTORY_DIR) as the bot had it at the close of
 * 2011-08-09, in this process through the bin's `main`, on a real SQLite file. The figures are the
 * CSV's own closes: QQQ 53.03 / gold 1,770.00 = 0.029960, below the essay's 0.03 by 0.13%.
 */
import { expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithHistory } from '../helpers/history.ts';
import { historyDatabase, runCliInProcess } from '../helpers/cli.ts';
import { openDatabase } from '../../src/store/db.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { QuoteStore } from '../../src/store/quotes.ts';

describeWithHistory('goldratio ratio on the real history, at the close of 2011-08-09', () => {
  const history = historyDatabase('2008-01-01', '2011-08-09');

  test('GIVEN QQQ/Gold at 0.029960, under the 0.03 floor THEN it is not printed as 0.0300 beside "next level up 0.03", as /ratio and the digest have it', async () => {
    const r = await runCliInProcess(['ratio'], history.env, { nowMs: Date.parse('2011-08-09T21:30:00Z') });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('QQQ/Gold  0.02996  (close 2011-08-09)\n');
    expect(r.stdout).toContain('  next level up   0.03 (+0.13%)  Floor: the 2011 bottom\n');
    expect(r.stdout).not.toContain('0.0300');
    // Gold's price of the same day: no "uses the gold price of" sentence.
    expect(r.stdout).not.toContain('gold price of');
    const j = await runCliInProcess(['ratio', '--json'], history.env, { nowMs: Date.parse('2011-08-09T21:30:00Z') });
    expect((JSON.parse(j.stdout) as { goldDate: string | null }[]).map((x) => x.goldDate)).toEqual([null, null]);
  });
});

describeWithHistory('goldratio ratio at the close of 2009-03-04: QQQ/Gold 27.33 / 911 = 0.03 exactly', () => {
  const history = historyDatabase('2008-01-01', '2009-03-04');

  test('GIVEN the ratio exactly on the 0.03 line THEN the text says "exactly on 0.03" and --json gives onLevel, where both named no 0.03 before', async () => {
    const nowMs = Date.parse('2009-03-04T22:30:00Z');
    const r = await runCliInProcess(['ratio'], history.env, { nowMs });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('QQQ/Gold  0.0300  (close 2009-03-04)\n');
    expect(r.stdout).toContain('  exactly on      0.03  Floor: the 2011 bottom\n');
    const j = await runCliInProcess(['ratio', '--json'], history.env, { nowMs });
    const qqq = (JSON.parse(j.stdout) as { pair: string; onLevel: string | null; levelBelow: { id: string } | null }[]).find((p) => p.pair === 'qqq-gold')!;
    expect([qqq.onLevel, qqq.levelBelow]).toEqual(['qqq-gold-0.03', null]);
  });
});

describeWithHistory('goldratio ratio after the close of 2026-08-21, gold last fixed 2026-08-20', () => {
  const history = historyDatabase('2025-01-01', '2026-08-21');
  const nowMs = Date.parse('2026-08-21T21:30:00Z');

  test('GIVEN the ratios of 08-21 over the gold price of 08-20 THEN it says so once, as /ratio, the digest and `power` do; --json gives goldDate', async () => {
    const r = await runCliInProcess(['ratio'], history.env, { nowMs });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(close 2026-08-21)');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('The ratios use the gold price of 2026-08-20, the latest at the close of 2026-08-21.');
    expect(r.stdout.match(/gold price of/g)).toHaveLength(1);
    const j = await runCliInProcess(['ratio', '--json'], history.env, { nowMs });
    expect((JSON.parse(j.stdout) as { goldDate: string | null }[]).map((x) => x.goldDate)).toEqual(['2026-08-20', '2026-08-20']);
  });
});

interface LevelSide {
  id: string;
  distancePct: number;
}

describeWithHistory('goldratio ratio --json and levels --json a hair from a level', () => {
  const history = historyDatabase('2008-01-01', '2011-08-10');
  const nowMs = Date.parse('2011-08-10T21:30:00Z');
  // Gold's real fix of 2011-08-10; QQQ set so that QQQ/Gold lies a millionth on either side of the essay's 0.03.
  const GOLD = 1753.75;

  test.each([
    [1 - 1e-6, 'levelAbove', 1],
    [1 + 1e-6, 'levelBelow', -1],
  ] as const)('GIVEN QQQ/Gold = 0.03 × %d THEN distancePct to 0.03 in %s has its sign and its size, not 0 or -0', async (factor, side, sign) => {
    const db = openDatabase(history.env.DATABASE_PATH!);
    await new QuoteStore(onSqlite(db)).upsertCloses('qqq', [{ date: '2011-08-10', close: 0.03 * GOLD * factor, source: 'yahoo' }]);
    db.close();
    const expected = ((0.03 - 0.03 * factor) / (0.03 * factor)) * 100;
    const r = await runCliInProcess(['ratio', '--json'], history.env, { nowMs });
    expect(r.code).toBe(0);
    const qqq = (JSON.parse(r.stdout) as ({ pair: string } & Record<string, LevelSide | null>)[]).find((p) => p.pair === 'qqq-gold')!;
    expect(qqq[side]!.id).toBe('qqq-gold-0.03');
    expect(Math.sign(qqq[side]!.distancePct)).toBe(sign);
    expect(qqq[side]!.distancePct).toBeCloseTo(expected, 9);
    // The 1D from 2011-08-09's close (QQQ 53.03 over gold 1,770.00), to six significant digits, not two decimals.
    const change = (qqq as unknown as { change: { '1d': number } }).change['1d'];
    expect(change).toBeCloseTo(((0.03 * factor) / (53.03 / 1770) - 1) * 100, 4);
    const l = await runCliInProcess(['levels', 'qqq-gold', '--json'], history.env, { nowMs });
    const level = (JSON.parse(l.stdout) as { levels: LevelSide[] }[])[0]!.levels.find((x) => x.id === 'qqq-gold-0.03')!;
    expect(Math.sign(level.distancePct)).toBe(sign);
    expect(level.distancePct).toBeCloseTo(expected, 9);
  });
});

test('GIVEN the README’s offline steps half done (spx, then qqq imported, no gold yet) THEN `ratio` and `levels` name the series missing and its import, exit 2, nothing on stdout', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-cli-ratio-half-'));
  try {
    const env = { DATABASE_PATH: join(dir, 'g.db'), DATA_DIR: dir };
    const csv = join(dir, 'spx.csv');
    writeFileSync(csv, 'date,close\n2025-11-24,6705.12\n2025-11-25,6765.88\n');
    expect((await runCliInProcess(['import', 'spx', csv], env)).code).toBe(0);
    const one = await runCliInProcess(['ratio'], env);
    expect([one.code, one.stdout, one.stderr.trim()]).toEqual([
      2,
      '',
      `goldratio ratio: no ratio yet in ${env.DATABASE_PATH}: no qqq or gold closes stored (spx 2): load them with \`goldratio import qqq <file.csv>\` and \`goldratio import gold <file.csv>\`, or run \`goldratio backfill\``,
    ]);
    writeFileSync(csv, 'date,close\n2025-11-24,605.1\n2025-11-25,608.7\n');
    expect((await runCliInProcess(['import', 'qqq', csv], env)).code).toBe(0);
    const levels = await runCliInProcess(['levels'], env);
    expect([levels.code, levels.stdout, levels.stderr.trim()]).toEqual([
      2,
      '',
      `goldratio levels: no ratio yet in ${env.DATABASE_PATH}: no gold closes stored (spx 2, qqq 2): load them with \`goldratio import gold <file.csv>\`, or run \`goldratio backfill\``,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
