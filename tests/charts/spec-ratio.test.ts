/** The ratio chart over a window of days (`/chart spx 2007 2009`) instead of a range. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { MarketView } from '../../src/store/market-view.ts';
import { describeWithHistory, historyFile } from '../helpers/history.ts';
import { ratioSpec } from '../../src/charts/spec-ratio.ts';
import { PALETTES } from '../../src/charts/theme.ts';
import { ChartDataError } from '../../src/charts/errors.ts';
import { addDays, toEpochDay } from '../../src/domain/dates.ts';
import { customLevel, essayLevels } from '../../src/domain/levels.ts';
import type { ChartWindow } from '../../src/domain/chart-request.ts';
import { noteFull } from '../../src/charts/note-layout.ts';

/** SPX/Gold every day from 2005 to the end of 2012, falling from 2.4 to 0.6. */
const series = Array.from({ length: 2922 }, (_, i) => ({ date: addDays('2005-01-01', i), value: 2.4 - (1.8 * i) / 2921 }));
const spec = (window: ChartWindow, stale = false, lang: 'en' | 'zh-TW' = 'en') =>
  ratioSpec({ pair: 'spx-gold', lang, palette: PALETTES.light, sources: 'test', stale, series, range: '1Y', window, levels: essayLevels('spx-gold') });
const xs = (s: ReturnType<typeof spec>) => s.series[0]!.points.map((p) => p.x);

test('GIVEN 2007 to 2009 THEN only those days, titled by them, its last value "on" its last day (not "latest"), and no stale mark: the data after it is newer', () => {
  const s = spec({ from: '2007-01-01', to: '2009-12-31' }, true);
  expect(Math.min(...xs(s))).toBe(toEpochDay('2007-01-01'));
  expect(Math.max(...xs(s))).toBe(toEpochDay('2009-12-31'));
  expect(s.title).toBe('SPX/Gold · 2007-01-01 to 2009-12-31');
  const last = series.find((p) => p.date === '2009-12-31')!.value;
  expect(s.corner).toBe(`${Number(last.toPrecision(4))} on 2009-12-31`);
  expect(s.footer).not.toContain('(stale)');
  expect(s.y.type).toBe('linear');
  expect(spec({ from: '2007-01-01', to: '2009-12-31' }, false, 'zh-TW').title).toBe('標普500/黃金 · 2007年1月1日至2009年12月31日');
});

test('GIVEN a window of more than ten years THEN a log scale, as 10Y and MAX have; one to the latest close THEN "latest"', () => {
  expect(spec({ from: '2005-01-01', to: '2012-12-31' }).y.type).toBe('linear');
  expect(spec({ from: '2001-01-01' }).y.type).toBe('linear');
  const long = ratioSpec({
    pair: 'spx-gold',
    lang: 'en',
    palette: PALETTES.light,
    sources: 'test',
    stale: false,
    series: [{ date: '1999-03-10', value: 3 }, ...series],
    range: '1Y',
    window: { from: '1999-01-01' },
    levels: [],
  });
  expect(long.y.type).toBe('logarithmic');
  expect(spec({ from: '2012-06-01' }).corner).toMatch(/^Latest .* \(2012-12-31\)$/);
});

test('GIVEN a window with fewer than two closes THEN the too-little error names the window', () => {
  expect(() => spec({ from: '2013-01-01' })).toThrow(ChartDataError);
  // A span wholly after the last close, or wholly before the first: no longer span inside the history would do.
  expect(() => spec({ from: '2013-01-01' })).toThrow(
    'No closes for the SPX/Gold chart (since 2013-01-01): its history runs from 2005-01-01 to 2012-12-31, outside that span. Pick a span inside it.',
  );
  expect(() => spec({ from: '2012-12-31', to: '2012-12-31' })).toThrow(/SPX\/Gold.*2012-12-31 to 2012-12-31.*1/);
  // With history loaded, it says what there is, not to load it.
  expect(() => spec({ from: '1995-01-01', to: '1998-12-31' })).toThrow(
    'No closes for the SPX/Gold chart (1995-01-01 to 1998-12-31): its history runs from 2005-01-01 to 2012-12-31, outside that span. Pick a span inside it.',
  );
  // A span inside the history with too few closes in it: a longer one there is what to pick.
  expect(() => spec({ from: '2012-12-31', to: '2012-12-31' })).toThrow(
    'Not enough data for the SPX/Gold chart (2012-12-31 to 2012-12-31): 1 point, at least 2 needed. Its history runs from 2005-01-01 to 2012-12-31: pick a longer span inside it.',
  );
  const empty = () =>
    ratioSpec({ pair: 'qqq-gold', lang: 'zh-TW', palette: PALETTES.light, sources: 'test', stale: false, series: [], range: '1Y', levels: [] });
  expect(empty).toThrow(/請先載入歷史資料。$/);
});

/** A fresh database: a week of closes, 2026-08-17 to 2026-08-21. */
const week = ['2026-08-17', '2026-08-18', '2026-08-19', '2026-08-20', '2026-08-21'].map((date, i) => ({ date, value: 1.75 - i / 100 }));
const ranged = (range: 'MAX' | '1Y' | '1M', lang: 'en' | 'zh-CN' = 'en', s = week) =>
  ratioSpec({ pair: 'spx-gold', lang, palette: PALETTES.light, sources: 'test', stale: false, series: s, range, levels: essayLevels('spx-gold') });

test('GIVEN only a week of closes THEN a MAX or 1Y chart is titled by the days it shows, not "since 1999-03-10" or "1 year"', () => {
  expect(ranged('MAX').title).toBe('SPX/Gold · 2026-08-17 to 2026-08-21');
  expect(ranged('1Y').title).toBe('SPX/Gold · 2026-08-17 to 2026-08-21');
  expect(ranged('MAX', 'zh-CN').title).toBe('标普500/黄金 · 2026年8月17日至2026年8月21日');
});

test('GIVEN a range whose first day is a weekend or holiday THEN the range keeps its name', () => {
  // 2026-07-21 is a Tuesday; 1M back from 2026-08-21 starts then. A 4-day gap (a holiday weekend) still reads as the month.
  const month = Array.from({ length: 40 }, (_, i) => ({ date: addDays('2026-07-13', i), value: 1.8 })).filter(
    (p) => p.date < '2026-07-21' || p.date >= '2026-07-25',
  );
  expect(ranged('1M', 'en', month).title).toBe('SPX/Gold · 1 month');
  expect(ranged('1Y', 'en', series).title).toBe('SPX/Gold · 1 year');
});

test.each([
  ['en', "1.5 · This chat's level", "2.45 · This chat's level"],
  ['zh-TW', '1.5 · 本聊天室水位', '2.45 · 本聊天室水位'],
  ['zh-CN', '1.5 · 本聊天点位', '2.45 · 本聊天点位'],
] as const)("GIVEN a chat's own levels in %s THEN each label says its value once: on the chart, and in the note of those off it", (lang, onChart, offChart) => {
  const s = ratioSpec({
    pair: 'spx-gold',
    lang,
    palette: PALETTES.light,
    sources: 'test',
    stale: false,
    series,
    range: '1Y',
    window: { from: '2007-01-01', to: '2009-12-31' },
    levels: [customLevel('spx-gold', 2.45), customLevel('spx-gold', 1.5)],
  });
  expect(s.hlines.map((l) => l.label)).toEqual([onChart]);
  expect(s.notes.map(noteFull).join('\n')).toContain(offChart);
  expect(s.notes.map(noteFull).join('\n')).not.toMatch(/2\.45.*2\.45/);
});

describeWithHistory('the ratio chart on the real history, at the close of 2011-08-09', () => {
  let dir: string;
  let db: Db;
  let view: MarketView;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'goldratio-spec-ratio-'));
    db = openDatabase(await historyFile(join(dir, 'h.db'), '2010-01-01', '2011-08-09'));
    view = new MarketView(new QuoteStore(onSqlite(db)));
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('GIVEN QQQ/Gold 0.029960 (53.03 / 1,770.00), under the 0.03 floor drawn on the chart THEN its corner and its axis tag say 0.02996, in every language, not 0.0300', async () => {
    const s = await view.snapshot();
    for (const [lang, corner] of [
      ['en', 'Latest 0.02996 (2011-08-09)'],
      ['zh-TW', '最新 0.02996（2011年8月9日）'],
      ['zh-CN', '最新 0.02996（2011年8月9日）'],
    ] as const) {
      const c = ratioSpec({
        pair: 'qqq-gold',
        lang,
        palette: PALETTES.light,
        sources: 'test',
        stale: false,
        series: s.ratio('qqq-gold'),
        range: '1Y',
        levels: essayLevels('qqq-gold'),
      });
      expect(c.corner).toBe(corner);
      expect(c.latest?.label).toBe('0.02996');
    }
    // Away from a level the usual four decimals: SPX/Gold 0.6624 (1,172.53 / 1,770.00), inside its zone.
    expect(
      ratioSpec({
        pair: 'spx-gold',
        lang: 'en',
        palette: PALETTES.light,
        sources: 'test',
        stale: false,
        series: s.ratio('spx-gold'),
        range: '1Y',
        levels: essayLevels('spx-gold'),
      }).corner,
    ).toBe('Latest 0.6624 (2011-08-09)');
  });
});
