/**
 * The digest built from synthetic closes: what the near-level lines say about where the ratio is.
 */
import { describe, expect, test } from 'vitest';
import { buildDigest, digestText, withoutCloseLine } from '../../src/domain/digest.ts';
import { addDays } from '../../src/domain/dates.ts';
import { ESSAY_LEVELS } from '../../src/domain/levels.ts';
import { m2Sentence, powerAt, powerUntil } from '../../src/domain/power-check.ts';
import { purchasingPower } from '../../src/domain/ratio.ts';
import type { Point } from '../../src/domain/series.ts';
import { LANGS } from '../../src/domain/i18n/index.ts';
import { localize, localizeText, parseMessage } from '../../src/domain/message.ts';

/** SPX/Gold closes one a day, ending at `last`. */
const closes = (last: number): Point[] => [0.8, 0.75, 0.7, last].map((value, i) => ({ date: addDays('2026-12-01', i), value }));
const digestOfSpx = (last: number) =>
  buildDigest({ series: { 'spx-gold': closes(last) }, levels: ESSAY_LEVELS, stories: [], m2: [], power: undefined, approachPct: 3 })!;

describe('approaching a level, in the digest (3%)', () => {
  test.each([
    ['GIVEN SPX/Gold inside the 0.6–0.7 zone, 1% above its floor THEN it is inside, not approaching', 0.606, 'inside the 0.6–0.7 zone', undefined],
    ['GIVEN SPX/Gold just under the 0.6–0.7 zone THEN it is approaching it from below', 0.59, undefined, 'Approaching 0.6–0.7 (within 3%)'],
    ['GIVEN SPX/Gold just over the 0.6–0.7 zone THEN it is approaching it from above', 0.71, undefined, 'Approaching 0.6–0.7 (within 3%)'],
  ])('%s', (_name, last, inside, approaching) => {
    const d = digestOfSpx(last);
    const lines = digestText(d, 'en').head.split('\n');
    expect(lines.some((l) => l.includes('inside the 0.6–0.7 zone'))).toBe(inside !== undefined);
    expect(lines.filter((l) => l.startsWith('Approaching'))).toEqual(approaching === undefined ? [] : [approaching]);
    expect(d.pairs[0]!.approaching.map((l) => l.id)).toEqual(approaching === undefined ? [] : ['spx-gold-0.6-0.7']);
  });

  test('GIVEN SPX/Gold inside the zone THEN neither Chinese text says it is nearing the zone', () => {
    const d = digestOfSpx(0.606);
    expect(digestText(d, 'zh-TW').head).toContain('位於 0.6–0.7 區間內');
    expect(digestText(d, 'zh-TW').head).not.toMatch(/逼近|回測/);
    expect(digestText(d, 'zh-CN').head).toContain('处于 0.6–0.7 区间内');
    expect(digestText(d, 'zh-CN').head).not.toMatch(/逼近|回踩/);
  });
});

describe('a close a hair from a level, in the digest', () => {
  // 0.59999 is 0.0017% under the zone: it read "SPX/Gold 0.6000" and "↑ 0.6–0.7 (+0.00%)", as if on the zone.
  test.each(LANGS)('GIVEN 0.59999 THEN %s shows 0.59999 and a distance that is not none', (lang) => {
    const head = digestText(digestOfSpx(0.59999), lang).head;
    expect(head).toContain('0.59999');
    expect(head).toContain('+<0.01%');
    expect(head).not.toMatch(/0\.6000\b|0\.00%/);
  });
});

describe('purchasing power when the latest M2 is too old for the last close (M2 to 2026-06, closes to 2026-12-04)', () => {
  /** Weekdays from 2026-01-02 to 2026-12-04: SPX 100, QQQ 50, gold 10, until the last close (150, 60, 12.5). */
  const days: string[] = [];
  for (let d = '2026-01-02'; d <= '2026-12-04'; d = addDays(d, 1)) if (![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay())) days.push(d);
  const flat = (v: number, last: number): Point[] => days.map((date, i) => ({ date, value: i === days.length - 1 ? last : v }));
  const m2: Point[] = ['2025-12-01', '2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01', '2026-05-01', '2026-06-01'].map((date, i) => ({
    date,
    value: 100 + i,
  }));
  const series = purchasingPower({ spx: flat(100, 150), qqq: flat(50, 60), gold: flat(10, 12.5), m2 }, '2026-01-02')!;

  test('GIVEN the last close THEN USD and gold are as of it, and there is no M2 figure (never an older date unnamed)', () => {
    const p = powerAt(series)!;
    expect(p).toMatchObject({ base: '2026-01-02', date: '2026-12-04', m2TooOld: true, m2GrowthPct: undefined, m2Span: { to: '2026-06-01' } });
    expect(p.spx).toEqual({ usd: 150, gold: 120, m2: undefined, beatM2: undefined });
    expect(p.qqq.gold).toBeCloseTo(96, 9);
    // As far as M2 reaches (100 days after its month), the comparison is still there.
    const m2Last = series.dates[series.m2Months.length - 1]!;
    expect(m2Last).toBe('2026-09-09');
    expect(powerAt(series, m2Last)).toMatchObject({
      date: '2026-09-09',
      m2TooOld: false,
      m2GrowthPct: expect.closeTo((106 / 101 - 1) * 100, 9),
      spx: { usd: 100, beatM2: false },
    });
  });

  test('GIVEN a digest of that close THEN its yardstick lines are of that close and say M2 is too old, in each language, as /power does', () => {
    const d = buildDigest({ series: { 'spx-gold': flat(10, 12) }, levels: [], stories: [], m2, power: series, approachPct: 3 })!;
    const lines = (lang: 'en' | 'zh-TW' | 'zh-CN') => digestText(d, lang).head.split('\n');
    expect(lines('en')[0]).toBe('goldratio digest · US close of 2026-12-04');
    expect(lines('en').slice(2, 6)).toEqual([
      'Since 2026-01-02 (only what beats M2 is real):',
      'S&P 500 +50% in USD, +20% in gold',
      'QQQ +20% in USD, -4% in gold',
      'No M2 comparison: the latest M2 on record, 2026-06, is too old for this close.',
    ]);
    expect(lines('zh-TW').slice(3, 6)).toEqual([
      '標普500：美元計價 +50%，黃金計價 +20%',
      'QQQ：美元計價 +20%，黃金計價 -4%',
      '未與 M2 比較：目前取得的最新 M2 為2026年6月，距本次收盤過久。',
    ]);
    expect(lines('zh-CN').slice(3, 6)).toEqual([
      '标普500：美元计价 +50%，黄金计价 +20%',
      'QQQ：美元计价 +20%，黄金计价 -4%',
      '未与 M2 比较：目前获取的最新 M2 为2026年6月，距本次收盘过久。',
    ]);
    // /power's M2 sentence for the same close.
    const p = powerAt(series)!;
    expect(m2Sentence(p, 'en')).toBe('The latest M2 on record is 2026-06, too old to measure 2026-12-04 against: no M2 figures.');
    expect(m2Sentence(p, 'zh-TW')).toBe('目前取得的最新 M2 為2026年6月，距2026年12月4日過久，暫不與 M2 比較。');
    expect(m2Sentence(p, 'zh-CN')).toBe('目前获取的最新 M2 为2026年6月，距2026年12月4日过久，暂不与 M2 比较。');
  });

  test("GIVEN M2 of June read on 2026-08-31 and on 2026-09-09 THEN the first is the latest M2 published, the second only the latest on record (July's was out by 08-25)", () => {
    const published = powerAt(series, '2026-08-31')!;
    expect(published).toMatchObject({ m2Lags: true, m2Behind: false, m2TooOld: false });
    expect(m2Sentence(published, 'en')).toBe(
      'M2 grew 4.95% from 2026-01 to 2026-06 (2026-06 is the latest M2 published: the M2-adjusted figures of 2026-08-31 divide by it). Only what beats M2 is real:',
    );
    const behind = powerAt(series, '2026-09-09')!;
    expect(behind).toMatchObject({ m2Lags: true, m2Behind: true, m2TooOld: false });
    expect(m2Sentence(behind, 'en')).toBe(
      'M2 grew 4.95% from 2026-01 to 2026-06 (2026-06 is the latest M2 on record: a newer month is out but not fetched yet; the M2-adjusted figures of 2026-09-09 divide by it). Only what beats M2 is real:',
    );
    expect(m2Sentence(behind, 'zh-TW')).toBe(
      'M2 自2026年1月至2026年6月成長 4.95%（2026年6月為目前取得的最新資料，較新的月份已公布但尚未抓取；2026年9月9日的 M2 平減數值即以此計算）。跑贏 M2 才算實質成長：',
    );
    expect(m2Sentence(behind, 'zh-CN')).toBe(
      'M2 自2026年1月至2026年6月增长 4.95%（2026年6月为目前获取的最新数据，更新的月份已公布但尚未抓取；2026年9月9日的 M2 平减数值即按此计算）。跑赢 M2 才算实际增长：',
    );
  });

  test("GIVEN gold missing on the digest's close THEN the yardstick names the earlier close it is of", () => {
    const d = buildDigest({ series: { 'spx-gold': flat(10, 12) }, levels: [], stories: [], m2, power: powerUntil(series, '2026-09-09'), approachPct: 3 })!;
    expect(digestText(d, 'en').head.split('\n')[2]).toBe('From 2026-01-02 to 2026-09-09 (only what beats M2 is real; M2 as of 2026-06):');
    expect(digestText(d, 'zh-TW').head.split('\n')[2]).toBe('自2026年1月2日至2026年9月9日（跑贏 M2 才算實質成長；M2 資料截至2026年6月）：');
  });

  test('GIVEN a digest whose M2 figures divide by June THEN the title above both figures names the month once, in each language', () => {
    const d = buildDigest({ series: { 'spx-gold': flat(10, 12) }, levels: [], stories: [], m2, power: powerUntil(series, '2026-09-09'), approachPct: 3 })!;
    const lines = (lang: 'en' | 'zh-TW' | 'zh-CN') => digestText(d, lang).head.split('\n').slice(2, 5);
    expect(lines('en')).toEqual([
      'From 2026-01-02 to 2026-09-09 (only what beats M2 is real; M2 as of 2026-06):',
      'S&P 500 0% in USD, 0% in gold, 4.7% below M2',
      'QQQ 0% in USD, 0% in gold, 4.7% below M2',
    ]);
    expect(lines('zh-TW')).toEqual([
      '自2026年1月2日至2026年9月9日（跑贏 M2 才算實質成長；M2 資料截至2026年6月）：',
      '標普500：美元計價 0%，黃金計價 0%，落後 M2 4.7%',
      'QQQ：美元計價 0%，黃金計價 0%，落後 M2 4.7%',
    ]);
    expect(lines('zh-CN')).toEqual([
      '自2026年1月2日至2026年9月9日（跑赢 M2 才算实际增长；M2 数据截至2026年6月）：',
      '标普500：美元计价 0%，黄金计价 0%，跑输 M2 4.7%',
      'QQQ：美元计价 0%，黄金计价 0%，跑输 M2 4.7%',
    ]);
  });
});

describe('changes over a gap in the closes', () => {
  test('GIVEN closes missing for weeks (an outage) THEN no 1D or 1W is given from a base far older than its name', () => {
    const series: Point[] = [
      { date: '2026-10-09', value: 1.1 },
      { date: '2026-10-12', value: 1.2 },
      { date: '2026-12-04', value: 1.5 },
    ];
    const d = buildDigest({ series: { 'spx-gold': series }, levels: ESSAY_LEVELS, stories: [], m2: [], power: undefined, approachPct: 3 })!;
    expect(d.pairs[0]).toMatchObject({ change1d: undefined, change1w: undefined });
    const ok = buildDigest({
      series: { 'spx-gold': [...series, { date: '2026-12-07', value: 1.65 }, { date: '2026-12-14', value: 1.8 }] },
      levels: ESSAY_LEVELS,
      stories: [],
      m2: [],
      power: undefined,
      approachPct: 3,
    })!;
    // A Monday after a week without a close before it is no 1D; a week back is 2026-12-07, a close.
    expect(ok.pairs[0]!.change1d).toBeUndefined();
    expect(ok.pairs[0]!.change1w).toBeCloseTo(9.0909, 3);
  });
});

describe('the gold price the ratios divide by', () => {
  const withGold = (goldDates: string[]) =>
    buildDigest({
      series: { 'spx-gold': closes(0.75) },
      gold: goldDates.map((date) => ({ date, value: 4000 })),
      levels: ESSAY_LEVELS,
      stories: [],
      m2: [],
      power: undefined,
      approachPct: 3,
    })!;
  test('GIVEN gold priced on the digest close THEN no word on it; GIVEN its last price a day older (carried) THEN the digest names that day, in every language', () => {
    expect(digestText(withGold(['2026-12-03', '2026-12-04']), 'en').head).not.toContain('gold price of');
    const older = withGold(['2026-12-02', '2026-12-03']);
    expect(older.goldDate).toBe('2026-12-03');
    expect(digestText(older, 'en').head.split('\n')).toContain('The ratios use the gold price of 2026-12-03, the latest at the close of 2026-12-04.');
    expect(digestText(older, 'zh-TW').head).toContain('比率所用的金價為2026年12月3日的報價，是2026年12月4日收盤時最新的一筆。');
    expect(digestText(older, 'zh-CN').head).toContain('比率采用2026年12月3日的金价，即2026年12月4日收盘时可获得的最新金价。');
  });
});

describe('the first line of a scheduled digest that waited in vain for its close', () => {
  const read = (x: ReturnType<typeof withoutCloseLine>, today?: string) => Object.fromEntries(LANGS.map((l) => [l, localizeText(x, l, { today })]));
  test('GIVEN the newest close months older than the one due THEN it says how old the data is (the issue: "The US close of 2026-12-04 has not reached the bot yet")', () => {
    // These three's words (a language added to langs.ts brings its own).
    expect(read(withoutCloseLine('2026-12-04', '2026-08-21'))).toMatchObject({
      en: 'The newest close the bot has is from 2026-08-21, over 3 months ago: its daily update seems to have stopped (the operator can check with goldratio status).',
      'zh-TW': '機器人目前最新的收盤資料是2026年8月21日，距今超過 3 個月：機器人的每日資料更新似乎已停止（管理者可用 goldratio status 查看）。',
      'zh-CN': '机器人目前最新的收盘数据是2026年8月21日，距今超过 3 个月：机器人的每日数据更新似乎已停止（管理员可用 goldratio status 查看）。',
    });
  });
  test('GIVEN five trading days missing THEN still the one late close; six THEN the age', () => {
    // 2026-11-30 .. 2026-12-04 are five trading days after Friday 2026-11-27; 2026-12-07 is the sixth.
    expect(read(withoutCloseLine('2026-12-04', '2026-11-27')).en).toBe(
      'The US close of 2026-12-04 has not reached the bot yet: this digest speaks about the closes to 2026-11-27.',
    );
    expect(read(withoutCloseLine('2026-12-07', '2026-11-27')).en).toBe(
      'The newest close the bot has is from 2026-11-27, 10 days ago: its daily update seems to have stopped (the operator can check with goldratio status).',
    );
  });
  test('GIVEN the stale line read on a later day THEN its age counts to that day; read on a day before the missing close THEN to that close, never less', () => {
    const line = withoutCloseLine('2026-12-07', '2026-11-27');
    expect(read(line, '2026-12-09').en).toContain('from 2026-11-27, 12 days ago:');
    expect(read(line, '2026-12-09')['zh-TW']).toContain('2026年11月27日，距今 12 天');
    expect(read(line, '2026-12-09')['zh-CN']).toContain('2026年11月27日，距今 12 天');
    expect(read(line, '2026-12-01').en).toContain('10 days ago');
    // Stored as JSON and read back, it still counts to the reader's day.
    const m = parseMessage(JSON.stringify({ lines: [line] }));
    expect(m.ok && localize(m.message, 'en', { today: '2026-12-09' }).lines[0]).toContain('12 days ago');
  });
});

describe('a stored message and the day it is read on', () => {
  test('GIVEN a digest stored by an older goldratio (every line written out, its "ago" counted to the close) THEN it reads as it was written, whatever the day', () => {
    const old = JSON.stringify({
      title: { en: 'Daily digest: 2026-12-04' },
      lines: [{ en: 'SPX/Gold: last broke below 2.5 on 2021-12-23 (4.9 years ago).', 'zh-TW': '標普500/黃金：上次跌破 2.5 是在2021年12月23日（4.9 年前）。' }],
      chart: { kind: 'digest' },
    });
    const m = parseMessage(old);
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    expect(localize(m.message, 'en', { today: '2026-12-07' }).lines).toEqual(['SPX/Gold: last broke below 2.5 on 2021-12-23 (4.9 years ago).']);
    expect(localize(m.message, 'zh-TW', { today: '2026-12-07' }).lines).toEqual(['標普500/黃金：上次跌破 2.5 是在2021年12月23日（4.9 年前）。']);
  });
  test.each([
    ['a day that is no date', { daysSince: 'Friday', asOf: '2026-12-04' }],
    ['no day it is as of', { daysSince: '2026-11-27' }],
    ['sentences that are not texts', { join: ['ok', 3] }],
    ['a join that is no list', { join: 'ok' }],
  ])('GIVEN a stored line with %s THEN the row is refused with one line saying so, not rendered', (_, line) => {
    expect(parseMessage(JSON.stringify({ lines: [line] }))).toEqual({ ok: false, error: 'message lines must be texts' });
  });
});
