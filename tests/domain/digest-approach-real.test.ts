/**
 * The digest's "Approaching <level>" line against the real history (../shared/market-history), the
 * expected sides computed here from the CSV files, not from the bot: a ratio that has just closed
 * past a level (closes beyond, not yet the five a break needs) is beyond it, not approaching it.
 * On 1999-07-16 SPX/Gold had closed above 5.5 twice; on 2011-08-22 it had closed under the
 * 0.6–0.7 zone once. The digest said "Approaching 5.5" ("回測下檔 5.5", a pull-back to it) and
 * "Approaching 0.6–0.7" beside its own story line that the ratio had closed beyond.
 */
import { afterEach, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onSqlite } from '../../src/store/engine.ts';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { MarketView } from '../../src/store/market-view.ts';
import { digestOf } from '../../src/store/digest-view.ts';
import { digestText } from '../../src/domain/digest.ts';
import { describeWithHistory, independentRatio, loadHistory } from '../helpers/history.ts';

describeWithHistory('the digest on days a ratio had just closed past a level', () => {
  let dir: string | undefined;
  let db: Db | undefined;
  afterEach(() => {
    db?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    db = undefined;
    dir = undefined;
  });
  const digestAsOf = async (to: string) => {
    dir = mkdtempSync(join(tmpdir(), 'goldratio-approach-real-'));
    db = openDatabase(join(dir, 'h.db'));
    await loadHistory(new QuoteStore(onSqlite(db)), '1995-01-01', to);
    return (await digestOf(new MarketView(new QuoteStore(onSqlite(db))), { approachPct: 3 }))!;
  };

  test('1999-07-16: two closes above 5.5 (pending), so no "Approaching 5.5" and no "回測下檔 5.5", in any language', async () => {
    const s = independentRatio('spx', '1995-01-01', '1999-07-16');
    const [before, a, b] = s.slice(-3);
    // Independently: the 14th under 5.5, the 15th and 16th above it, and within 3% of it.
    expect([before!.value < 5.5, a!.value > 5.5, b!.value > 5.5, b!.date]).toEqual([true, true, true, '1999-07-16']);
    expect(((b!.value - 5.5) / b!.value) * 100).toBeLessThan(3);
    const d = await digestAsOf('1999-07-16');
    const en = digestText(d, 'en').head;
    expect(en).toContain(`It has closed above 5.5 since ${a!.date}, not yet held (2 of the 5 closes in a row a break needs).`);
    expect(en).not.toContain('Approaching 5.5');
    expect(digestText(d, 'zh-TW').head).not.toContain('回測下檔 5.5');
    expect(digestText(d, 'zh-CN').head).not.toContain('回踩下方支撑 5.5');
  });

  test('2011-08-22: one close under the 0.6–0.7 zone (pending), so no "Approaching 0.6–0.7"', async () => {
    const s = independentRatio('spx', '1995-01-01', '2011-08-22');
    const last = s.at(-1)!;
    expect([last.date, last.value < 0.6, s.at(-2)!.value >= 0.6]).toEqual(['2011-08-22', true, true]);
    const d = await digestAsOf('2011-08-22');
    const en = digestText(d, 'en').head;
    expect(en).toContain('It has closed below the 0.6–0.7 zone since 2011-08-22, not yet held (1 of the 5 closes in a row a break needs).');
    expect(en).not.toContain('Approaching 0.6–0.7');
    expect(digestText(d, 'zh-TW').head).not.toContain('逼近上檔 0.6–0.7');
  });

  test('2000-03-27: 2.6% under 5.5 and never above it since July 1999: a true approach, still said', async () => {
    const s = independentRatio('spx', '1995-01-01', '2000-03-27');
    const last = s.at(-1)!;
    const pct = ((5.5 - last.value) / last.value) * 100;
    expect(pct).toBeGreaterThan(0);
    expect(pct).toBeLessThan(3);
    const d = await digestAsOf('2000-03-27');
    expect(digestText(d, 'en').head).toContain('Approaching 5.5 (within 3%)');
    expect(digestText(d, 'zh-TW').head).toContain('逼近上檔 5.5（3% 以內）');
  });

  test('2000-09-14: 1.3% under 5.5, the five closes since 2000-09-08 a held break below it, never 6% away since: just broken, not approaching', async () => {
    const s = independentRatio('spx', '1995-01-01', '2000-09-14');
    const since = s.filter((p) => p.date >= '2000-09-08');
    const away = (v: number) => (Math.abs(5.5 - v) / v) * 100;
    // Independently: the break (five closes under 5.5 from 2000-09-08), every close since under 5.5 and
    // never twice the 3% away (the ratio has not left the level yet), the last within 3%.
    expect(since.length).toBeGreaterThanOrEqual(5);
    expect(s.find((p) => p.date === '2000-09-07')!.value).toBeGreaterThan(5.5);
    expect(since.every((p) => p.value < 5.5 && away(p.value) <= 6)).toBe(true);
    expect(away(since.at(-1)!.value)).toBeLessThan(3);
    const d = await digestAsOf('2000-09-14');
    const en = digestText(d, 'en').head;
    expect(en).toContain('last broke below 5.5 on 2000-09-08 (6 days ago).');
    expect(en).not.toContain('Approaching 5.5');
    expect(digestText(d, 'zh-TW').head).not.toContain('逼近上檔 5.5');
    expect(digestText(d, 'zh-CN').head).not.toContain('逼近上方阻力 5.5');
  });

  test('2000-10-31: back within 3% of 5.5 from more than 6% under it: a true approach again', async () => {
    const s = independentRatio('spx', '1995-01-01', '2000-10-31');
    const away = (v: number) => (Math.abs(5.5 - v) / v) * 100;
    expect(s.some((p) => p.date > '2000-09-08' && away(p.value) > 6)).toBe(true);
    expect(away(s.at(-1)!.value)).toBeLessThan(3);
    expect(s.at(-1)!.value).toBeLessThan(5.5);
    const d = await digestAsOf('2000-10-31');
    expect(digestText(d, 'en').head).toContain('Approaching 5.5 (within 3%)');
    expect(digestText(d, 'zh-CN').head).toContain('逼近上方阻力 5.5（3% 以内）');
  });
});
