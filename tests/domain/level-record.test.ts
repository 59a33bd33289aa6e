/**
 * What the closes show for each essay level's era (src/domain/level-record.ts): on the real
 * history, against the CSV files read here with nothing of ours (the dates and values are the
 * files', not the code's output copied in); then the rules, one table of small series.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { levelRecord } from '../../src/domain/level-record.ts';
import { customLevel, ERAS, ESSAY_LEVELS, levelById, type Level } from '../../src/domain/levels.ts';
import type { Point } from '../../src/domain/series.ts';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { MarketView } from '../../src/store/market-view.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { describeWithHistory, independentRatio, historyFile } from '../helpers/history.ts';

describeWithHistory('the era records on the real history', () => {
  let dir: string;
  let db: Db;
  let view: MarketView;
  const ratios = () => ({ 'spx-gold': independentRatio('spx'), 'qqq-gold': independentRatio('qqq') });
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'goldratio-record-'));
    db = openDatabase(await historyFile(join(dir, 'h.db')));
    const store = new QuoteStore(onSqlite(db));
    view = new MarketView(store);
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('each essay level: its era high (resistance, ceiling) or low (support, floor) and its first date, as the CSV files have them', async () => {
    const csv = ratios();
    const snap = await view.snapshot();
    for (const level of ESSAY_LEVELS) {
      const era = ERAS.find((e) => e.id === level.era)!;
      const inEra = csv[level.pair].filter((p) => p.date >= era.from && (era.to === undefined || p.date <= era.to));
      const high = level.kind === 'resistance' || level.kind === 'ceiling';
      const extreme = inEra.reduce((a, b) => ((high ? b.value > a.value : b.value < a.value) ? b : a));
      const record = snap.levelRecord(level);
      expect(record, level.id).toMatchObject({ side: high ? 'high' : 'low', scope: 'era', date: extreme.date });
      expect(record!.value, level.id).toBeCloseTo(extreme.value, 10);
    }
  });

  test('SPX/Gold 5.5, "the 2000 peak": the highest close was 5.568 on 1999-07-16, above 5.5; 2000 never closed as high', async () => {
    const spx = ratios()['spx-gold'];
    const best = (from: string, to: string) => spx.filter((p) => p.date >= from && p.date <= to).reduce((a, b) => (b.value > a.value ? b : a));
    expect(best('1999-01-01', '1999-12-31').value).toBeGreaterThan(best('2000-01-01', '2000-12-31').value);
    const r = (await view.snapshot()).levelRecord(levelById('spx-gold-5.5')!)!;
    expect(r).toMatchObject({ outcome: 'beyond', date: '1999-07-16' });
    expect(r.value).toBeCloseTo(5.568, 3);
    expect(r.pct).toBeCloseTo(((r.value - 5.5) / 5.5) * 100, 10);
  });

  test('QQQ/Gold 0.25, "key resistance of the QE decade": never reached, the high 0.2259 on 2021-12-27 (gold carried from the 24th), 9.6% below', async () => {
    const r = (await view.snapshot()).levelRecord(levelById('qqq-gold-0.25')!)!;
    expect(r).toMatchObject({ outcome: 'short', side: 'high', date: '2021-12-27' });
    // QQQ closed at 403.48 on 2021-12-27; London's last fix before it was 1,786.05 on the 24th.
    expect(r.value).toBeCloseTo(403.48 / 1786.05, 12);
    expect(r.pct).toBeCloseTo(((0.25 - 403.48 / 1786.05) / 0.25) * 100, 10);
  });

  test('SPX/Gold 2.5, "retested and failed": the QE era closed above it (its high past 2.5), which is why its note says whose claim that is', async () => {
    const inQe = ratios()['spx-gold'].filter((p) => p.date >= '2012-01-01' && p.date <= '2024-12-31');
    expect(inQe.filter((p) => p.value > 2.5).length).toBeGreaterThan(20);
    expect((await view.snapshot()).levelRecord(levelById('spx-gold-2.5')!)).toMatchObject({ outcome: 'beyond' });
  });

  test('the records are computed once per data version: asked again, the same answer; after a new close, read anew', async () => {
    const level = levelById('spx-gold-2.5')!;
    const before = await view.snapshot();
    expect(before.levelRecord(level)).toBe(before.levelRecord(level));
    await new QuoteStore(onSqlite(db)).upsertCloses('spx', [{ date: '2026-08-24', close: 6400, source: 'test' }]);
    const after = await view.snapshot();
    expect(after).not.toBe(before);
    expect(after.levelRecord(level)).not.toBe(before.levelRecord(level));
    expect(after.levelRecord(level)).toEqual(before.levelRecord(level));
  });
});

/** Weekday-agnostic daily points from `from`, one a day, with `at` overriding some values. */
function series(from: string, to: string, base: number, at: Record<string, number> = {}): Point[] {
  const out: Point[] = [];
  for (let ms = Date.parse(`${from}T00:00:00Z`); ms <= Date.parse(`${to}T00:00:00Z`); ms += 7 * 86_400_000) {
    const date = new Date(ms).toISOString().slice(0, 10);
    out.push({ date, value: base });
  }
  for (const [date, value] of Object.entries(at)) out.push({ date, value });
  return out.sort((a, b) => (a.date < b.date ? -1 : 1));
}

describe('levelRecord: where the era extreme lay against the level', () => {
  const resistance = levelById('spx-gold-2.5')!; // QE era 2012–2024
  const zone = levelById('spx-gold-0.6-0.7')!; // support zone, 2003–2011
  const floor = levelById('qqq-gold-0.03')!;
  const qe = (base: number, at: Record<string, number> = {}) => series('2012-01-02', '2024-12-30', base, at);
  const gold = (base: number, at: Record<string, number> = {}) => series('2003-01-02', '2011-12-30', base, at);

  test.each([
    ['a resistance never reached', resistance, qe(2, { '2020-05-05': 2.4 }), { outcome: 'short', value: 2.4, pct: 4 }],
    ['a resistance closed above', resistance, qe(2, { '2021-03-03': 2.75 }), { outcome: 'beyond', value: 2.75, pct: 10 }],
    ['a resistance closed exactly on', resistance, qe(2, { '2021-03-03': 2.5 }), { outcome: 'on', pct: undefined }],
    ['a support zone entered, never below it', zone, gold(1, { '2011-08-22': 0.65 }), { side: 'low', outcome: 'inside', value: 0.65 }],
    ['a support zone closed below', zone, gold(1, { '2011-08-22': 0.54 }), { side: 'low', outcome: 'beyond', pct: 10 }],
    ['a support zone never reached', zone, gold(1, { '2011-08-22': 0.77 }), { side: 'low', outcome: 'short', pct: 10 }],
  ] as const)('GIVEN %s THEN that, measured from the edge it concerns', (_name, level, s, want) => {
    const r = levelRecord(level, s)!;
    const { pct, ...rest } = want as { pct?: number | undefined };
    expect(r).toMatchObject(rest);
    if (pct === undefined) expect(r.pct).toBeUndefined();
    else expect(r.pct).toBeCloseTo(pct, 10);
  });

  test('GIVEN the extreme twice THEN dated by its first close; closes outside the era do not count', () => {
    const s = qe(2, { '2013-04-04': 2.3, '2019-04-04': 2.3, '2011-06-06': 9, '2025-06-06': 9 });
    expect(levelRecord(resistance, s)).toMatchObject({ value: 2.3, date: '2013-04-04', outcome: 'short' });
  });

  test("GIVEN a series that starts after the era's start or ends before its end THEN no record (a few years are not the era)", () => {
    expect(levelRecord(resistance, series('2015-01-05', '2024-12-30', 2))).toBeUndefined();
    expect(levelRecord(resistance, series('2012-01-02', '2023-06-30', 2))).toBeUndefined();
    expect(levelRecord(resistance, [])).toBeUndefined();
    // QQQ/Gold has no closes before QQQ traded (1999-03-10): its bubble era starts there.
    expect(levelRecord(levelById('qqq-gold-0.4')!, series('1999-03-10', '2002-12-31', 0.2))).toMatchObject({ outcome: 'short' });
    expect(levelRecord(floor, gold(0.05, { '2011-08-22': 0.0299 }))).toMatchObject({ outcome: 'beyond' });
  });

  test("GIVEN a chat's own level THEN no record; GIVEN a level without an era THEN the whole series", () => {
    expect(levelRecord(customLevel('spx-gold', 1.8), qe(2))).toBeUndefined();
    const noEra: Level = { ...resistance, era: undefined };
    expect(levelRecord(noEra, qe(2, { '2011-06-06': 9 }))).toMatchObject({ scope: 'all', value: 9, date: '2011-06-06', outcome: 'beyond' });
  });
});
