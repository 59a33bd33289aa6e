/**
 * What /power and `goldratio power` say of M2, checked against the real history (GOLDRATIO_HISTORY_DIR):
 * M2 is monthly and published weeks late, so a span that ends after the latest M2 month (2026-06 in
 * the files, the closes run to 2026-08-21) measures M2 over fewer months than its closes. The reply
 * said "M2 grew 4.81% over the same span" for 2025-08-21 to 2026-08-21: M2 from 2025-08 to 2026-06,
 * ten months, not the year. It now names the two months it measures M2 between, and the day whose
 * M2-adjusted figures divide by the last of them. The growth is worked out here from m2_monthly.csv
 * alone (no goldratio code reads it for the expectation).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { findCommand } from '../../src/chat/registry.ts';
import { plainText } from '../../src/chat/reply.ts';
import { chatCtx } from '../helpers/chat.ts';
import { runCliInProcess } from '../helpers/cli.ts';
import { describeWithHistory, HISTORY_DIR, HISTORY_FILES, historyFile, commandDeps } from '../helpers/history.ts';

/** date → value straight from a `date,close` file. */
function csv(file: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of readFileSync(join(HISTORY_DIR, file), 'utf8').trim().split('\n').slice(1)) {
    const [date, value] = line.trim().split(',');
    out.set(date!, Number(value));
  }
  return out;
}

const AT = Date.parse('2026-11-25T00:00:00Z');

describeWithHistory('M2 over a span of the real history: the months it is measured between, named', () => {
  let dir: string;
  let db: Db;
  let deps: Parameters<NonNullable<ReturnType<typeof findCommand>>['run']>[0];
  const m2 = csv(HISTORY_FILES.m2);
  const spx = csv(HISTORY_FILES.spx);
  const lastM2 = [...m2.keys()].sort().at(-1)!;
  const lastClose = [...spx.keys()].sort().at(-1)!;
  /** M2's growth in % from the month of `base` to `toMonth` (YYYY-MM-01), from the file. */
  const growth = (base: string, toMonth: string) => (m2.get(toMonth)! / m2.get(`${base.slice(0, 7)}-01`)! - 1) * 100;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'goldratio-m2-span-'));
    db = openDatabase(await historyFile(join(dir, 'h.db')));
    deps = commandDeps(db) as typeof deps;
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const power = async (lang: string, args: string[], chatId: string) =>
    plainText(await findCommand('power')!.run(deps, chatCtx({ chatId, userLanguageCode: lang, nowMs: AT }), args));

  test('the files: the closes run past the latest M2 month, so a span to the last close reads M2 months short of it', () => {
    expect(lastM2).toBe('2026-06-01');
    expect(lastClose).toBe('2026-08-21');
  });

  test.each([
    ['2025-08-21', 'a year of closes, ten months of M2'],
    ['2026-05-15', 'three months of closes, one month of M2'],
    ['1999-03-10', "the essay's base"],
  ])(
    'GIVEN /power from %s to the last close (%s) THEN M2 is said to grow from the base month to 2026-06, the figure the file gives, and that the figures of 2026-08-21 divide by it; never "over the same span" (en, zh-TW, zh-CN, CLI)',
    async (base) => {
      const expected = growth(base, lastM2);
      const baseMonth = base.slice(0, 7);
      const [y, m] = baseMonth.split('-').map(Number);
      const close = (said: string) => expect(Number(said.replace(/,/g, ''))).toBeCloseTo(expected, expected >= 100 ? -0.3 : expected >= 10 ? 1 : 2);

      const en = await power('en', [base], `en-${base}`);
      const enLine = en.split('\n').find((l) => l.startsWith('M2 '))!;
      const enMatch = enLine.match(
        /^M2 grew ([\d.,]+)% from (\d{4}-\d{2}) to (\d{4}-\d{2}) \(2026-06 is the latest M2 published: the M2-adjusted figures of (\d{4}-\d{2}-\d{2}) divide by it\)\./,
      );
      expect(enMatch, enLine).not.toBeNull();
      close(enMatch![1]!);
      expect(enMatch!.slice(2)).toEqual([baseMonth, '2026-06', lastClose]);
      expect(en).not.toContain('same span');

      const tw = await power('zh-TW', [base], `tw-${base}`);
      const twLine = tw.split('\n').find((l) => l.startsWith('M2 '))!;
      const twMatch = twLine.match(/^M2 自(\d{4})年(\d{1,2})月至2026年6月成長 ([\d.,]+)%（2026年6月為最新公布資料，2026年8月21日的 M2 平減數值即以此計算）。/);
      expect(twMatch, twLine).not.toBeNull();
      expect([Number(twMatch![1]), Number(twMatch![2])]).toEqual([y, m]);
      close(twMatch![3]!);
      expect(tw).not.toContain('同期');

      const cn = await power('zh-CN', [base], `cn-${base}`);
      const cnLine = cn.split('\n').find((l) => l.startsWith('M2 '))!;
      const cnMatch = cnLine.match(/^M2 自(\d{4})年(\d{1,2})月至2026年6月增长 ([\d.,]+)%（2026年6月为最新公布数据，2026年8月21日的 M2 平减数值即按此计算）。/);
      expect(cnMatch, cnLine).not.toBeNull();
      expect([Number(cnMatch![1]), Number(cnMatch![2])]).toEqual([y, m]);
      close(cnMatch![3]!);
      expect(cn).not.toContain('同期');

      const env = { DATABASE_PATH: join(dir, 'h.db'), DATA_DIR: dir };
      const cli = await runCliInProcess(['power', '--base', base], env);
      expect(cli.code).toBe(0);
      expect(cli.stdout).toContain(enLine);
      const json = JSON.parse((await runCliInProcess(['power', '--base', base, '--json'], env)).stdout);
      expect(json).toMatchObject({ date: lastClose, m2: { from: baseMonth, to: '2026-06' } });
      expect(json.m2GrowthPct).toBeCloseTo(expected, 2);
    },
  );

  test('GIVEN a span inside the M2 on record (2022-03 to 2023-10, M2 shrank) THEN both months named and no word of a later day (en, zh-TW, zh-CN)', async () => {
    const expected = growth('2022-03-01', '2023-10-01');
    expect(expected).toBeLessThan(0);
    const pct = Math.abs(expected).toFixed(2);
    expect((await power('en', ['2022-03', '2023-10'], 'en-shrank')).split('\n')).toContain(
      `M2 shrank ${pct}% from 2022-03 to 2023-10. Only what beats M2 is real:`,
    );
    expect((await power('zh-TW', ['2022-03', '2023-10'], 'tw-shrank')).split('\n')).toContain(`M2 自2022年3月至2023年10月減少 ${pct}%。跑贏 M2 才算實質成長：`);
    expect((await power('zh-CN', ['2022-03', '2023-10'], 'cn-shrank')).split('\n')).toContain(`M2 自2022年3月至2023年10月减少 ${pct}%。跑赢 M2 才算实际增长：`);
  });
});
