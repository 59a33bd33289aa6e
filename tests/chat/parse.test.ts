import { describe, expect, test } from 'vitest';
import { allKeys, LANGS, t } from '../../src/domain/i18n/index.ts';
import {
  chatMessage,
  folded,
  parseBaseDate,
  parseChartTarget,
  parseLangArg,
  parseLevelRef,
  parseLevelValue,
  parsePairArg,
  parseRange,
} from '../../src/chat/parse.ts';
import { parseMovePct, parseMoveSpan } from '../../src/chat/parse-alerts.ts';
import { parseDuration } from '../../src/chat/parse-duration.ts';
import { parseDigestTime } from '../../src/domain/digest-schedule.ts';
import { parseQuietSpan } from '../../src/domain/quiet-hours.ts';
import { PAIR_IDS } from '../../src/domain/instruments.ts';

describe('parseLevelValue', () => {
  test.each([
    ['0.25', 0.25],
    ['.25', 0.25],
    ['2,5', 2.5],
    [' 1.8 ', 1.8],
    ['5.5', 5.5],
    ['2.5e-1', 0.25],
    ['0.001', 0.001],
    // As Chinese says a ratio: its point as 點, in numerals, or as a multiple (倍).
    ['1點8', 1.8],
    ['1点8', 1.8],
    ['一點八', 1.8],
    ['零點二五', 0.25],
    ['1.8倍', 1.8],
    ['２．５ 倍', 2.5],
  ])('GIVEN %j THEN %d', (input, value) => {
    expect(parseLevelValue(input)).toEqual({ ok: true, value });
  });

  test.each([
    ['abc', 'chat.err.levelNumber'],
    ['', 'chat.err.levelNumber'],
    ['0x10', 'chat.err.levelNumber'],
    // Scientific notation is a number (Discord hands 0.0000001 over as 1e-7): refused for its size, not its form.
    ['1e3', 'chat.err.levelRange'],
    ['1e309', 'chat.err.levelRange'],
    ['1e-9', 'chat.err.levelSmall'],
    ['0.0001', 'chat.err.levelSmall'],
    ['2.5.1', 'chat.err.levelNumber'],
    ['NaN', 'chat.err.levelNumber'],
    ['Infinity', 'chat.err.levelNumber'],
    ['-0.5', 'chat.err.levelPositive'],
    ['0', 'chat.err.levelPositive'],
    ['4500', 'chat.err.levelRange'],
  ])('GIVEN %j THEN the error %s', (input, key) => {
    expect(parseLevelValue(input)).toMatchObject({ ok: false, error: { key } });
  });

  test('GIVEN 1e-9 THEN refused as too small, not as no number (it said "Level must be a number like 0.25")', () => {
    const r = parseLevelValue('1e-9');
    expect(r.ok ? '' : chatMessage('en', r.error)).toBe('Level must be at least 0.001, got "1e-9" (a ratio: the essay\'s lowest level is 0.03).');
  });

  test('GIVEN "abc" THEN the English message names the accepted form', () => {
    const r = parseLevelValue('abc');
    expect(r.ok ? '' : chatMessage('en', r.error)).toBe('Level must be a number like 0.25, got "abc".');
    expect(r.ok ? '' : chatMessage('zh-TW', r.error)).toContain('0.25');
  });
});

describe('parseLevelRef', () => {
  test.each([
    ['2.5', PAIR_IDS, { kind: 'essay', id: 'spx-gold-2.5' }],
    ['0.25', PAIR_IDS, { kind: 'essay', id: 'qqq-gold-0.25' }],
    ['0.65', PAIR_IDS, { kind: 'essay', id: 'spx-gold-0.6-0.7' }],
    ['0.6-0.7', PAIR_IDS, { kind: 'essay', id: 'spx-gold-0.6-0.7' }],
    ['SPX-GOLD-5.5', PAIR_IDS, { kind: 'essay', id: 'spx-gold-5.5' }],
    ['1.8', ['spx-gold'], { kind: 'custom', pair: 'spx-gold', value: 1.8 }],
    ['0.4', ['spx-gold'], { kind: 'custom', pair: 'spx-gold', value: 0.4 }],
  ] as const)('GIVEN %j with pairs %j THEN %j', (input, pairs, expected) => {
    const r = parseLevelRef(input, pairs);
    // An essay level is compared by id; a failure is compared whole, so it cannot pass.
    const got = r.ok && r.value.kind === 'essay' ? { kind: 'essay', id: r.value.level.id } : r.ok ? r.value : r;
    expect(got).toEqual(expected);
  });

  test.each([
    ['abc', PAIR_IDS, 'chat.err.pairOrLevel'],
    ['2.5x', PAIR_IDS, 'chat.err.levelNumber'],
    ['-2.5', PAIR_IDS, 'chat.err.levelPositive'],
    ['1.8', PAIR_IDS, 'chat.err.levelAmbiguous'],
    ['qqq-gold-0.25', ['spx-gold'], 'chat.err.levelPair'],
    ['0.1-0.2', PAIR_IDS, 'chat.err.levelUnknown'],
  ] as const)('GIVEN %j with pairs %j THEN %s', (input, pairs, key) => {
    const r = parseLevelRef(input, pairs);
    expect(r.ok ? undefined : r.error.key).toBe(key);
  });
});

describe('parseDuration', () => {
  test.each([
    ['30m', 30 * 60_000],
    ['2h', 2 * 3_600_000],
    ['1d', 86_400_000],
    ['1w', 7 * 86_400_000],
    ['45min', 45 * 60_000],
    ['52w', 52 * 7 * 86_400_000],
    // Spelt out, and as Chinese speakers write it (the count in digits or in words).
    ['2hours', 2 * 3_600_000],
    ['1week', 7 * 86_400_000],
    ['2小時', 2 * 3_600_000],
    ['2小时', 2 * 3_600_000],
    ['30分鐘', 30 * 60_000],
    ['一天', 86_400_000],
    ['兩週', 14 * 86_400_000],
    ['两个星期', 14 * 86_400_000],
    ['半小時', 30 * 60_000],
    ['十一天', 11 * 86_400_000],
    ['十二個小時', 12 * 3_600_000],
    ['３天', 3 * 86_400_000],
    // With a space (words joined back by the binder), or a fraction.
    ['2 hours', 2 * 3_600_000],
    ['1.5h', 90 * 60_000],
    ['1,5 h', 90 * 60_000],
    ['0.5d', 12 * 3_600_000],
    // A year, the longest mute (as its refusal says): 365 days.
    ['1y', 365 * 86_400_000],
    ['1 year', 365 * 86_400_000],
    ['1年', 365 * 86_400_000],
    ['一年', 365 * 86_400_000],
    ['365d', 365 * 86_400_000],
    // Several units, the larger first.
    ['1h30m', 90 * 60_000],
    ['1h30', 90 * 60_000],
    ['1hr30', 90 * 60_000],
    ['一個半小時', 90 * 60_000],
    ['1 hour, 30 minutes', 90 * 60_000],
    ['2d12h', 60 * 3_600_000],
    ['1h 30m', 90 * 60_000],
    ['1 hour 30 minutes', 90 * 60_000],
    ['1w2d', 9 * 86_400_000],
    ['1小時30分', 90 * 60_000],
    ['兩天十二小時', 60 * 3_600_000],
    ['１ｈ３０ｍ', 90 * 60_000],
    // Past ninety-nine in Chinese numerals: 一百二十分鐘 is two hours, not refused.
    ['一百二十分鐘', 2 * 3_600_000],
    ['兩百天', 200 * 86_400_000],
    ['一百零五天', 105 * 86_400_000],
    ['一百二十天半', 120.5 * 86_400_000],
    // One, as English says it: a week, an hour.
    ['a week', 7 * 86_400_000],
    ['an hour', 3_600_000],
    ['an hour 30 minutes', 90 * 60_000],
  ])('GIVEN %j THEN %d ms', (input, ms) => {
    expect(parseDuration(input)).toEqual({ ok: true, value: { months: 0, ms } });
  });

  test.each([
    ['3mo', 3, 0],
    ['3 months', 3, 0],
    ['1 month', 1, 0],
    ['3個月', 3, 0],
    ['3个月', 3, 0],
    ['三個月', 3, 0],
    ['12個月', 12, 0],
    ['1mo2w', 1, 14 * 86_400_000],
    ['1個月15天', 1, 15 * 86_400_000],
    ['1 month and 2 days', 1, 2 * 86_400_000],
    ['1 month, 2 days', 1, 2 * 86_400_000],
  ])('GIVEN %j THEN %d calendar months and %d ms more', (input, months, ms) => {
    expect(parseDuration(input)).toEqual({ ok: true, value: { months, ms } });
  });

  test.each([
    ['forever', 'chat.err.duration'],
    // A month is a calendar month: no fraction of one; more than 12 is more than a year.
    ['1.5 months', 'chat.err.durationMonths'],
    ['半個月', 'chat.err.durationMonths'],
    ['13mo', 'chat.err.durationRange'],
    ['12個月1天', 'chat.err.durationRange'],
    ['0mo', 'chat.err.durationRange'],
    ['1y1mo', 'chat.err.durationRange'],
    ['abc', 'chat.err.duration'],
    ['', 'chat.err.duration'],
    ['-1h', 'chat.err.duration'],
    ['1.5.5h', 'chat.err.duration'],
    ['1 5h', 'chat.err.duration'],
    // Whole minutes: less than one is no mute.
    ['0.001h', 'chat.err.durationRange'],
    ['0m', 'chat.err.durationRange'],
    ['400d', 'chat.err.durationRange'],
    // Longer than a year, however long: the range, not the shape.
    ['2y', 'chat.err.durationRange'],
    ['2年', 'chat.err.durationRange'],
    ['366d', 'chat.err.durationRange'],
    ['1y1m', 'chat.err.durationRange'],
    ['999999999999w', 'chat.err.durationRange'],
    [`${'9'.repeat(400)}h`, 'chat.err.durationRange'],
    // Each unit once, the larger first; every count with its unit.
    ['1h1h', 'chat.err.duration'],
    ['30m2h', 'chat.err.duration'],
    // Minutes after hours without their unit only as a clock's two digits (1h30 is taken).
    ['1h90', 'chat.err.duration'],
    ['1h 2', 'chat.err.duration'],
    ['小時', 'chat.err.duration'],
    ['十十天', 'chat.err.duration'],
    ['2 小時 半', 'chat.err.duration'],
    ['a', 'chat.err.duration'],
    ['aweek', 'chat.err.duration'],
    ['2h a', 'chat.err.duration'],
  ])('GIVEN %j THEN %s', (input, key) => {
    const r = parseDuration(input);
    expect(r.ok ? undefined : r.error.key).toBe(key);
  });

  test('GIVEN "forever" THEN the message names the accepted form in both languages', () => {
    const r = parseDuration('forever');
    expect(r.ok ? '' : chatMessage('en', r.error)).toMatch(/30m, 2h, 1d or 1w.*"forever"/);
    expect(r.ok ? '' : chatMessage('zh-TW', r.error)).toMatch(/30分鐘、2小時、1天或 1週.*forever/);
  });
});

describe('parseBaseDate', () => {
  /** A parse as the tables write it: the value, or the refusal's key. */
  const outcome = (r: ReturnType<typeof parseBaseDate>) => (r.ok ? { ok: true, value: r.value } : { ok: false, key: r.error.key });
  test.each([
    ['1999-03-10', { ok: true, value: '1999-03-10' }],
    ['2026-11-21', { ok: true, value: '2026-11-21' }],
    ['2026-02-30', { ok: false, key: 'chat.err.noSuchDate' }],
    ['yesterday', { ok: false, key: 'chat.err.date' }],
    ['2027-01-01', { ok: false, key: 'chat.err.dateFuture' }],
    // As people type a day, a month or a year: a start is its first day.
    ['1999-3-10', { ok: true, value: '1999-03-10' }],
    ['2020/3/5', { ok: true, value: '2020-03-05' }],
    ['2020-03', { ok: true, value: '2020-03-01' }],
    ['2020', { ok: true, value: '2020-01-01' }],
    ['２０２０年３月', { ok: true, value: '2020-03-01' }],
    ['2020年 3月 5日', { ok: true, value: '2020-03-05' }],
    ['2020年', { ok: true, value: '2020-01-01' }],
    ['2020-13', { ok: false, key: 'chat.err.noSuchDate' }],
    ['2027', { ok: false, key: 'chat.err.dateFuture' }],
    // A span back from today, as /chart names it: 5y is 2021-11-21; MAX (all, 全部, 最大) since QQQ's launch.
    ['5y', { ok: true, value: '2021-11-21' }],
    ['半年', { ok: true, value: '2026-05-21' }],
    ['max', { ok: true, value: '1999-03-10' }],
    ['all', { ok: true, value: '1999-03-10' }],
    ['全部', { ok: true, value: '1999-03-10' }],
    ['最大', { ok: true, value: '1999-03-10' }],
    ['20', { ok: false, key: 'chat.err.date' }],
    // Any other span back, in English and Chinese; 12月 is December, no span.
    ['2y', { ok: true, value: '2024-11-21' }],
    ['18m', { ok: true, value: '2025-05-21' }],
    ['3w', { ok: true, value: '2026-10-31' }],
    ['10d', { ok: true, value: '2026-11-11' }],
    ['2 years', { ok: true, value: '2024-11-21' }],
    ['2年', { ok: true, value: '2024-11-21' }],
    ['18個月', { ok: true, value: '2025-05-21' }],
    ['十八个月', { ok: true, value: '2025-05-21' }],
    ['兩年', { ok: true, value: '2024-11-21' }],
    ['3週', { ok: true, value: '2026-10-31' }],
    // Before QQQ's launch as asked: /power says it indexes from the launch, and why.
    ['40y', { ok: true, value: '1986-11-21' }],
    // A month alone: the latest such month begun (December, not yet begun on 2026-11-21, is last year's).
    ['12月', { ok: true, value: '2025-12-01' }],
    // A span mistyped is refused as one (no whole count from 1, or longer than is read), not as no date.
    ['0y', { ok: false, key: 'chat.err.spanCount' }],
    ['1.5y', { ok: false, key: 'chat.err.spanCount' }],
    ['-5y', { ok: false, key: 'chat.err.spanCount' }],
    ['1000y', { ok: false, key: 'chat.err.spanTooLong' }],
  ])('GIVEN %j as a start (today 2026-11-21) THEN %j', (input, expected) => {
    expect(outcome(parseBaseDate(input, '2026-11-21'))).toEqual(expected);
  });
  test.each([
    ['2020', { ok: true, value: '2020-12-31' }],
    ['2020-02', { ok: true, value: '2020-02-29' }],
    ['2011年8月', { ok: true, value: '2011-08-31' }],
    ['2011-08-22', { ok: true, value: '2011-08-22' }],
    // The month or year still running ends today; a day after today is refused.
    ['2026', { ok: true, value: '2026-11-21' }],
    ['2026-11', { ok: true, value: '2026-11-21' }],
    ['2026-11-22', { ok: false, key: 'chat.err.dateFuture' }],
    ['2027', { ok: false, key: 'chat.err.dateFuture' }],
    ['5y', { ok: false, key: 'chat.err.date' }],
  ])('GIVEN %j as an end (today 2026-11-21) THEN %j', (input, expected) => {
    expect(outcome(parseBaseDate(input, '2026-11-21', 'end'))).toEqual(expected);
  });
  test('GIVEN a future date THEN today is written as each language writes dates, and what was typed stays as typed', () => {
    const r = parseBaseDate('2027-01-01', '2026-11-21');
    if (r.ok) throw new Error('expected a refusal');
    expect(chatMessage('en', r.error)).toBe('Date "2027-01-01" is in the future (today is 2026-11-21).');
    expect(chatMessage('zh-TW', r.error)).toBe('日期「2027-01-01」尚未到來（今天是2026年11月21日）。');
    expect(chatMessage('zh-CN', r.error)).toBe('日期“2027-01-01”尚未到来（今天是2026年11月21日）。');
  });
});

describe('the words people type for pairs, ranges and charts, in every language', () => {
  test.each([
    ['標普', 'spx-gold'],
    ['标普500', 'spx-gold'],
    ['標普500/黃金', 'spx-gold'],
    ['S&P 500', 'spx-gold'],
    ['ＳＰＸ', 'spx-gold'],
    ['納指', 'qqq-gold'],
    ['纳斯达克', 'qqq-gold'],
    ['Nasdaq', 'qqq-gold'],
    // As trading platforms name the indexes and their futures.
    ['SPX500', 'spx-gold'],
    ['US500', 'spx-gold'],
    ['ES', 'spx-gold'],
    ['NAS100', 'qqq-gold'],
    ['NQ', 'qqq-gold'],
  ])('GIVEN the pair %j THEN %s', (input, pair) => {
    expect(parsePairArg(input)).toEqual({ ok: true, value: pair });
    expect(parseChartTarget(input)).toEqual({ ok: true, value: pair });
  });

  test.each([
    ['1年', '1Y'],
    ['近一年', '1Y'],
    ['１年', '1Y'],
    ['3個月', '3M'],
    ['6个月', '6M'],
    ['半年', '6M'],
    ['十年', '10Y'],
    ['全部', 'MAX'],
    ['all', 'MAX'],
    ['5y', '5Y'],
    // A quarter is three months, however it is typed; a count with an article is one.
    ['1季', '3M'],
    ['一個季度', '3M'],
    ['一个季度', '3M'],
    ['1q', '3M'],
    ['a quarter', '3M'],
    ['2 quarters', '6M'],
    ['兩季', '6M'],
    ['four quarters', '1Y'],
    ['a year', '1Y'],
    ['a month', '1M'],
    ['half a year', '6M'],
  ])('GIVEN the range %j THEN %s', (input, range) => {
    expect(parseRange(input)).toEqual({ ok: true, value: range });
  });

  test('GIVEN 購買力 or 购买力 THEN the purchasing-power chart', () => {
    expect(parseChartTarget('購買力')).toEqual({ ok: true, value: 'power' });
    expect(parseChartTarget('购买力')).toEqual({ ok: true, value: 'power' });
  });

  test.each(['道瓊', '黃金', '2年', '美股'])('GIVEN %j, which names nothing here THEN refused, echoing what was typed', (input) => {
    const r = parseChartTarget(input);
    const range = parseRange(input);
    expect(r.ok || range.ok).toBe(false);
    if (!r.ok) expect(chatMessage('zh-TW', r.error)).toContain(input);
  });

  test('GIVEN every language THEN each word names one value only where one argument reads it (no word means two things there)', () => {
    // The words each kind of argument reads: `all` is every pair to a pair, and MAX to a range;
    // no argument reads both. Gold is read where a pair is, to refuse it saying why.
    const reads: Record<string, readonly string[]> = {
      pair: ['input.pair.', 'input.all', 'input.gold'],
      chart: ['input.pair.', 'input.power', 'input.gold'],
      range: ['input.range.'],
      switch: ['input.off', 'input.now'],
      action: ['input.choice.'],
    };
    const inputKeys = allKeys('en').filter((k) => k.startsWith('input.'));
    let words = 0;
    for (const prefixes of Object.values(reads)) {
      const owners = new Map<string, string>();
      for (const key of inputKeys.filter((k) => prefixes.some((p) => k.startsWith(p)))) {
        for (const lang of LANGS) {
          for (const w of t(lang, key).split('|')) {
            expect(owners.get(folded(w)) ?? key, `${w} (${lang})`).toBe(key);
            owners.set(folded(w), key);
            words++;
          }
        }
      }
    }
    // Every word list is read by some argument.
    for (const key of inputKeys)
      expect(
        Object.values(reads).some((prefixes) => prefixes.some((p) => key.startsWith(p))),
        key,
      ).toBe(true);
    expect(words).toBeGreaterThan(50);
  });
});

describe('pairs, languages, ranges, chart targets', () => {
  test.each([
    ['spx', 'spx-gold'],
    ['QQQ', 'qqq-gold'],
    ['SPX/Gold', 'spx-gold'],
    ['dow', undefined],
    ['', undefined],
  ])('pair %j THEN %j', (input, pair) => {
    const r = parsePairArg(input);
    expect(r.ok ? r.value : undefined).toBe(pair);
  });

  test.each([
    ['en', 'en'],
    ['zh-TW', 'zh-TW'],
    ['zh-tw', 'zh-TW'],
    ['zh', 'zh-TW'],
    ['fr', undefined],
    ['zh-CN', 'zh-CN'],
    ['zh-hans', 'zh-CN'],
    ['简体', 'zh-CN'],
    ['zh-CN-x', 'zh-CN'],
    ['xx-zh', undefined],
  ])('language %j THEN %j', (input, lang) => {
    const r = parseLangArg(input);
    expect(r.ok ? r.value : undefined).toBe(lang);
  });

  test.each([
    ['5y', '5Y'],
    ['max', 'MAX'],
    ['all', 'MAX'],
    ['2Y', undefined],
  ])('range %j THEN %j', (input, range) => {
    const r = parseRange(input);
    expect(r.ok ? r.value : undefined).toBe(range);
  });

  test.each([
    ['spx', 'spx-gold'],
    ['qqq-gold', 'qqq-gold'],
    ['Power', 'power'],
    ['btc', undefined],
  ])('chart target %j THEN %j', (input, target) => {
    const r = parseChartTarget(input);
    expect(r.ok ? r.value : undefined).toBe(target);
  });

  test('GIVEN an unknown pair THEN the zh-TW message quotes it', () => {
    const r = parsePairArg('dow');
    expect(r.ok ? '' : chatMessage('zh-TW', r.error)).toBe(t('zh-TW', 'chat.err.pair', { input: 'dow' }));
    expect(r.ok ? '' : chatMessage('zh-TW', r.error)).toContain('「dow」');
  });
});

describe('digits of other scripts', () => {
  // ٣ was refused ("Level must be a number like 0.25, got "٣"") where ３ was read as 3: every parser of
  // a number now folds every script's decimal digits as it folds full-width ones.
  test.each<[string, () => unknown, unknown]>([
    ['level ٣', () => parseLevelValue('٣'), { ok: true, value: 3 }],
    ['level ۲.۵ (Persian)', () => parseLevelValue('۲.۵'), { ok: true, value: 2.5 }],
    ['level १.८ (Devanagari)', () => parseLevelValue('१.८'), { ok: true, value: 1.8 }],
    ['level ٠', () => parseLevelValue('٠'), { ok: false, error: { key: 'chat.err.levelPositive', params: { input: '٠' } } }],
    ['custom level ٢ on spx', () => parseLevelRef('٢', ['spx-gold']), { ok: true, value: { kind: 'custom', pair: 'spx-gold', value: 2 } }],
    ['mute ٣h', () => parseDuration('٣h'), { ok: true, value: { months: 0, ms: 3 * 3_600_000 } }],
    ['range ٥y', () => parseRange('٥y'), { ok: true, value: '5Y' }],
    ['date ٢٠٢٠', () => parseBaseDate('٢٠٢٠', '2026-11-21'), { ok: true, value: '2020-01-01' }],
    ['move percent ١٠', () => parseMovePct('١٠'), { ok: true, value: 10 }],
    // 趴, as Taiwan says percent (漲10趴).
    ['move percent 10趴', () => parseMovePct('10趴'), { ok: true, value: 10 }],
    ['move percent 十趴', () => parseMovePct('十趴'), { ok: true, value: 10 }],
    ['level ref 一點八 (SPX/Gold alone)', () => parseLevelRef('一點八', ['spx-gold']), { ok: true, value: { kind: 'custom', pair: 'spx-gold', value: 1.8 } }],
    ['level ref 1點8倍', () => parseLevelRef('1點8倍', ['spx-gold']), { ok: true, value: { kind: 'custom', pair: 'spx-gold', value: 1.8 } }],
    ['move days ๒๐ (Thai)', () => parseMoveSpan('๒๐'), { ok: true, value: { days: 20 } }],
    ['digest time ٠٨:٣٠', () => parseDigestTime('٠٨:٣٠'), { ok: true, value: '08:30' }],
    ['quiet hours ٢٣:٠٠-٠٧:٠٠', () => parseQuietSpan('٢٣:٠٠-٠٧:٠٠').ok, true],
  ])('GIVEN %s THEN read as the ASCII digits', (_name, parse, expected) => {
    expect(parse()).toEqual(expected);
  });
});
