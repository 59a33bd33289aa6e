/**
 * `goldratio levels` on the real history (GOLDRATIO_HISTORY_DIR), in this process through the bin's
 * `main`, on a real SQLite file: /levels' lines for a terminal, and its JSON, whose era records are
 * checked against the ratio computed from the CSVs without goldratio's code.
 */
import { expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithHistory, independentRatio } from '../helpers/history.ts';
import { historyDatabase, runCliInProcess } from '../helpers/cli.ts';
import { LANGS } from '../../src/domain/i18n/langs.ts';

interface LevelJson {
  id: string;
  distancePct: number | null;
  era: { id: string; from: string; to: string | null } | null;
  record: { side: string; value: number; date: string; outcome: string; pct: number | null; goldDate: string | null } | null;
}
interface PairJson {
  pair: string;
  value: number | null;
  closeDate: string | null;
  levels: LevelJson[];
}

describeWithHistory('goldratio levels on the real history to the end of 2024', () => {
  const history = historyDatabase('1995-01-01', '2024-12-31');
  const nowMs = Date.parse('2024-12-31T22:00:00Z');

  test('GIVEN no pair THEN both pairs, each level with its distance and what its era closed at, as /levels prints them', async () => {
    const r = await runCliInProcess(['levels'], history.env, { nowMs });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SPX\/Gold \d\.\d{3} \(close 2024-12-31\)$/);
    expect(lines).toContain("↳ The era's highest close: 5.568 on 1999-07-16, closed above it by 1.24%");
    expect(lines).toContain(
      "↳ The era's highest close: 0.2259 on 2021-12-27, never reached: 9.64% below it (with the gold price of 2021-12-24, the latest that day)",
    );
    expect(lines.filter((l) => l.startsWith('↳ '))).toHaveLength(6);
    expect(lines.some((l) => /^QQQ\/Gold 0\.\d{4} \(close 2024-12-31\)$/.test(l))).toBe(true);
  });

  test('GIVEN --json THEN the era records are the extremes of the ratio computed from the CSVs, and the distances those of the last close', async () => {
    const r = await runCliInProcess(['levels', '--json'], history.env, { nowMs });
    expect(r.code).toBe(0);
    const pairs = JSON.parse(r.stdout) as PairJson[];
    expect(pairs.map((p) => p.pair)).toEqual(['spx-gold', 'qqq-gold']);
    for (const p of pairs) {
      const stock = p.pair === 'spx-gold' ? 'spx' : 'qqq';
      const last = independentRatio(stock, '2024-01-01', '2024-12-31').at(-1)!;
      expect(p.closeDate).toBe(last.date);
      expect(p.value).toBeCloseTo(last.value, 5);
      for (const l of p.levels) {
        expect(l.era).not.toBeNull();
        const closes = independentRatio(stock, l.era!.from, l.era!.to ?? '9999-12-31');
        const extreme = closes.reduce((a, b) => (l.record!.side === 'high' ? (b.value > a.value ? b : a) : b.value < a.value ? b : a));
        expect(l.record, l.id).not.toBeNull();
        expect(l.record!.date, l.id).toBe(extreme.date);
        expect(l.record!.value, l.id).toBeCloseTo(extreme.value, 5);
      }
    }
    const qqq25 = pairs[1]!.levels.find((l) => l.id === 'qqq-gold-0.25')!;
    expect(qqq25.record).toMatchObject({ outcome: 'short', pct: 9.64, goldDate: '2021-12-24' });
    // Above the last close: a positive distance, as /levels' "+58.4% away".
    expect(qqq25.distancePct).toBeGreaterThan(0);
  });

  test('GIVEN a pair and --lang zh-TW THEN that pair alone, in Traditional Chinese', async () => {
    const r = await runCliInProcess(['levels', 'qqq-gold', '--lang', 'zh-TW'], history.env, { nowMs });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^QQQ\/黃金：0\.\d{4}（2024年12月31日收盤）\n/);
    expect(r.stdout).not.toContain('標普500');
    expect(r.stdout).toContain('↳ 該時期最高收盤：0.2259（2021年12月27日），從未觸及，仍低於此水位 9.64%');
  });

  test('GIVEN a pair that is not one, or a language the bot does not speak THEN one line naming it, exit 2', async () => {
    const bad = await runCliInProcess(['levels', 'gold-spx'], history.env, { nowMs });
    expect([bad.code, bad.stdout, bad.stderr.trim()]).toEqual([2, '', 'goldratio levels: unknown pair "gold-spx": use spx-gold or qqq-gold']);
    const lang = await runCliInProcess(['levels', '--lang', 'fr'], history.env, { nowMs });
    expect([lang.code, lang.stderr.trim()]).toEqual([2, `goldratio levels: --lang must be one of ${LANGS.join(', ')}, got "fr"`]);
  });
});

test('GIVEN an empty database THEN `levels` says there is no data yet and where, exit 2, nothing on stdout', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-cli-levels-empty-'));
  try {
    const r = await runCliInProcess(['levels'], { DATABASE_PATH: join(dir, 'e.db'), DATA_DIR: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toMatch(/^goldratio levels: no data yet in .*e\.db: run `goldratio backfill`, or load CSVs with `goldratio import`$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
