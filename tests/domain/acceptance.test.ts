import { describe, expect, test } from 'vitest';
import { expiredHolds, priceProblem, validateQuote, validateSeries, type SeriesContext } from '../../src/domain/acceptance.ts';
import { INSTRUMENT_INFO, type InstrumentId } from '../../src/domain/instruments.ts';
import type { CloseRow } from '../../src/store/quotes.ts';

const NOW = Date.parse('2026-08-21T18:00:00Z');
const HOUR = 3_600_000;
// The bands live in the domain; the tests take them from there rather than copy them.
const band = (i: InstrumentId) => `${INSTRUMENT_INFO[i].plausible.min}–${INSTRUMENT_INFO[i].plausible.max}`;

describe('a single price', () => {
  test.each([
    ['spx', Number.NaN, 'spx price NaN is not a number'],
    ['spx', Number.POSITIVE_INFINITY, 'spx price Infinity is not a number'],
    ['gold', -3350, 'gold price -3350 is not positive'],
    ['gold', 0, 'gold price 0 is not positive'],
    ['gold', 3.35, `gold price 3.35 is outside the plausible range ${band('gold')}`],
    ['spx', 6_470_000, `spx price 6470000 is outside the plausible range ${band('spx')}`],
    // M2 is a money stock in billions of dollars, not a price.
    ['m2', 22.1, `m2 22.1 (billions of dollars) is outside the plausible range ${band('m2')}`],
    ['m2', 2_085_000, `m2 2085000 (billions of dollars) is outside the plausible range ${band('m2')}`],
    ['m2', -1, 'm2 -1 (billions of dollars) is not positive'],
    ['qqq', 710.93, undefined],
    ['m2', 23155.2, undefined],
  ] as [InstrumentId, number, string | undefined][])('GIVEN %s at %s THEN %s', (instrument, price, problem) => {
    expect(priceProblem(instrument, price)).toBe(problem);
  });
});

describe('latest quotes', () => {
  const base = { instrument: 'spx' as const, nowMs: NOW, previous: 6400, held: undefined, maxMovePct: 15 };
  test.each([
    ['a normal move', { price: 6466.9, asOf: NOW - HOUR }, {}, { kind: 'accept', confirmed: false }],
    ['NaN', { price: Number.NaN, asOf: NOW }, {}, { kind: 'reject', reason: 'spx price NaN is not a number' }],
    ['a negative price', { price: -1, asOf: NOW }, {}, { kind: 'reject', reason: 'spx price -1 is not positive' }],
    ['an implausible price', { price: 640_000, asOf: NOW }, {}, { kind: 'reject', reason: `spx price 640000 is outside the plausible range ${band('spx')}` }],
    ['a time in the future', { price: 6466.9, asOf: NOW + 2 * HOUR }, {}, { kind: 'reject', reason: 'spx quote from yahoo is dated in the future' }],
    ['a week-old quote', { price: 6466.9, asOf: NOW - 8 * 24 * HOUR }, {}, { kind: 'reject', reason: 'spx quote from yahoo is stale (older than 7 days)' }],
    ['a first quote ever', { price: 6466.9, asOf: NOW }, { previous: undefined }, { kind: 'accept', confirmed: false }],
    ['a 20% jump', { price: 7680, asOf: NOW }, {}, { kind: 'hold', reason: 'spx moved 20.0% (6400 → 7680), more than 15%: held until confirmed' }],
    ['a 20% jump that a held price confirms', { price: 7700, asOf: NOW }, { held: 7680 }, { kind: 'accept', confirmed: true }],
    ['a 20% jump the held price does not confirm', { price: 7900, asOf: NOW }, { held: 7680 }, { kind: 'hold' }],
    ['a return to normal after a held spike', { price: 6410, asOf: NOW }, { held: 7680 }, { kind: 'accept', confirmed: true }],
    [
      'a 20% jump another source prices within 2%',
      { price: 7680, asOf: NOW },
      { others: [{ price: 7650, source: 'twelvedata' }] },
      { kind: 'accept', confirmed: true },
    ],
    ['a 20% jump another source prices 2.5% away', { price: 7680, asOf: NOW }, { others: [{ price: 7872, source: 'twelvedata' }] }, { kind: 'hold' }],
    [
      'a held price repeated that another source disputes',
      { price: 64.2, asOf: NOW },
      { held: 64.2, others: [{ price: 6395, source: 'twelvedata' }] },
      { kind: 'reject', reason: 'spx moved 99.0% (6400 → 64.2), more than 15%, and twelvedata has 6395 now' },
    ],
  ] as const)('GIVEN %s THEN %j', (_name, q, over, expected) => {
    expect(validateQuote({ ...q, source: 'yahoo' }, { ...base, ...over })).toMatchObject(expected);
  });
});

describe('a batch of closes', () => {
  const rows = (...values: [string, number][]): CloseRow[] => values.map(([date, close]) => ({ date, close, source: 'yahoo' }));
  const ctx = (over: Partial<SeriesContext> = {}): SeriesContext => ({
    instrument: 'spx',
    today: '2026-08-21',
    nowMs: Date.parse('2026-08-21T22:00:00Z'),
    previous: 6400,
    held: new Map(),
    maxMovePct: 15,
    ...over,
  });

  test('GIVEN normal days THEN all are accepted', () => {
    const v = validateSeries(rows(['2026-08-18', 6411.37], ['2026-08-19', 6395.78]), ctx());
    expect(v.accepted.map((r) => r.date)).toEqual(['2026-08-18', '2026-08-19']);
    expect(v.held).toEqual([]);
    expect(v.rejected).toEqual([]);
  });

  test('GIVEN bad rows among good ones THEN only the bad ones are rejected, each with its reason', () => {
    const v = validateSeries(rows(['2026-08-18', 6411.37], ['2026-08-19', Number.NaN], ['2026-08-20', -5], ['2026-08-24', 6500]), ctx());
    expect(v.accepted.map((r) => r.date)).toEqual(['2026-08-18']);
    expect(v.rejected.map((r) => r.reason)).toEqual(['spx price NaN is not a number', 'spx price -5 is not positive', 'spx 2026-08-24 is in the future']);
  });

  test('GIVEN a one-day spike that reverts THEN the spike is held and the days around it are kept', () => {
    const v = validateSeries(rows(['2026-08-18', 6411.37], ['2026-08-19', 64113.7], ['2026-08-20', 6370.17]), ctx());
    expect(v.accepted.map((r) => r.date)).toEqual(['2026-08-18', '2026-08-20']);
    expect(v.held.map((h) => h.row.date)).toEqual(['2026-08-19']);
    expect(v.held[0]?.reason).toMatch(/^spx moved 900\.0% on 2026-08-19 \(6411\.37 → 64113\.7\), more than 15%: held until confirmed$/);
  });

  test('GIVEN a crash that persists the next day THEN the batch itself confirms it', () => {
    const v = validateSeries(rows(['2026-08-18', 6400], ['2026-08-19', 5300], ['2026-08-20', 5250]), ctx());
    expect(v.accepted.map((r) => r.close)).toEqual([6400, 5300, 5250]);
    expect(v.held).toEqual([]);
  });

  test('GIVEN a jump on the last day THEN it is held; the next fetch reporting it again confirms it', () => {
    const first = validateSeries(rows(['2026-08-19', 6395.78], ['2026-08-20', 7700]), ctx());
    expect(first.held.map((h) => h.row.date)).toEqual(['2026-08-20']);
    const held = new Map(first.held.map((h) => [h.row.date, h.row.close]));
    const second = validateSeries(rows(['2026-08-19', 6395.78], ['2026-08-20', 7701]), ctx({ held }));
    expect(second.accepted.map((r) => r.date)).toEqual(['2026-08-19', '2026-08-20']);
    expect(second.confirmed).toEqual(['2026-08-20']);
  });

  describe('a move another source prices (others)', () => {
    // Gold: Yahoo's GC=F a hundredth of itself (a unit error that persists in its source), the LBMA fix beside it.
    const gold = (...values: [string, number][]): CloseRow[] => values.map(([date, close]) => ({ date, close, source: 'yahoo' }));
    const lbma = (...values: [string, number][]) => new Map(values.map(([date, price]) => [date, [{ price, source: 'lbma' }]]));
    const goldCtx = (over: Partial<SeriesContext> = {}) => ctx({ instrument: 'gold', previous: 4200, ...over });

    test.each([
      [
        'GIVEN a ÷100 gold price the next day repeats, and LBMA in line with the closes before THEN LBMA’s prices are stored, Yahoo’s refused, nothing held',
        gold(['2026-08-19', 42.1], ['2026-08-20', 42.3]),
        lbma(['2026-08-19', 4195], ['2026-08-20', 4210]),
        new Map<string, number>(),
        { accepted: [4195, 4210], sources: ['lbma', 'lbma'], held: [], rejected: ['2026-08-19', '2026-08-20'] },
      ],
      [
        'GIVEN the same price held at the last fetch and repeated now, LBMA disputing it THEN the repeat does not confirm it',
        gold(['2026-08-20', 42.3]),
        lbma(['2026-08-20', 4210]),
        new Map([['2026-08-20', 42.3]]),
        { accepted: [4210], sources: ['lbma'], held: [], rejected: ['2026-08-20'] },
      ],
      [
        'GIVEN LBMA far from both (it moved too) THEN the move is held, nothing stored for the day',
        gold(['2026-08-19', 42.1], ['2026-08-20', 42.3]),
        lbma(['2026-08-19', 9000]),
        new Map<string, number>(),
        { accepted: [], sources: [], held: ['2026-08-19', '2026-08-20'], rejected: [] },
      ],
      [
        'GIVEN a 20% fall LBMA agrees with THEN it is stored at once, its second opinion kept',
        gold(['2026-08-20', 3360]),
        lbma(['2026-08-20', 3350]),
        new Map<string, number>(),
        { accepted: [3360], sources: ['yahoo'], held: [], rejected: [] },
      ],
      [
        'GIVEN a 20% fall the fix priced 12% down (fixed before the fall ended) THEN no dispute: the next day confirms it as without LBMA',
        gold(['2026-08-19', 3360], ['2026-08-20', 3350]),
        lbma(['2026-08-19', 3700]),
        new Map<string, number>(),
        { accepted: [3360, 3350], sources: ['yahoo', 'yahoo'], held: [], rejected: [] },
      ],
    ])('%s', (_name, batch, others, held, expected) => {
      const v = validateSeries(batch, goldCtx({ others, held }));
      expect({
        accepted: v.accepted.map((r) => r.close),
        sources: v.accepted.map((r) => r.source),
        held: v.held.map((h) => h.row.date),
        rejected: v.rejected.map((r) => r.row.date),
      }).toEqual(expected);
    });

    test('GIVEN a move LBMA disputes THEN the line names both prices, and a repeat held before is released', () => {
      const v = validateSeries(gold(['2026-08-20', 42.3]), goldCtx({ others: lbma(['2026-08-20', 4210]), held: new Map([['2026-08-20', 42.3]]) }));
      expect(v.rejected.map((r) => r.reason)).toEqual([
        'gold moved 99.0% on 2026-08-20 (4200 → 42.3), more than 15%, where lbma has 4210, in line with the closes before and stored instead',
      ]);
      expect(v.confirmed).toEqual(['2026-08-20']);
      const both = validateSeries(gold(['2026-08-20', 42.3]), goldCtx({ others: lbma(['2026-08-20', 9000]) }));
      expect(both.held.map((h) => h.reason)).toEqual([
        "gold moved 99.0% on 2026-08-20 (4200 → 42.3), more than 15%, and lbma has 9000 for that day: yahoo's price held until a source agrees",
      ]);
    });

    test('GIVEN a batch without a jump THEN nothing is to be asked of other sources; with one, its days from it on are', () => {
      expect(validateSeries(gold(['2026-08-19', 4190], ['2026-08-20', 4210]), goldCtx()).jumped).toEqual([]);
      expect(validateSeries(gold(['2026-08-18', 4190], ['2026-08-19', 42.1], ['2026-08-20', 42.3]), goldCtx()).jumped).toEqual(['2026-08-19']);
    });
  });

  test('GIVEN no earlier close THEN the first row is the reference', () => {
    const v = validateSeries(rows(['1999-03-10', 1296.6], ['1999-03-11', 1297.7]), ctx({ previous: undefined }));
    expect(v.accepted).toHaveLength(2);
  });
});

describe('expiring holds', () => {
  test.each([
    ['spx', '2026-07-20', [], '2026-08-21', [['2026-07-20', 1]], 'a daily hold 32 days old is dropped'],
    ['spx', '2026-07-22', [], '2026-08-21', [], 'a daily hold 30 days old is kept (a later fetch may still see it)'],
    ['spx', '2026-07-20', ['2026-07-20'], '2026-08-21', [], 'a hold confirmed in this run is released, not expired'],
    ['m2', '2025-07-01', [], '2026-08-21', [['2025-07-01', 1]], 'a monthly hold older than 12 months is dropped'],
    ['m2', '2025-09-01', [], '2026-08-21', [], 'a monthly hold inside 12 months is kept'],
  ] as [InstrumentId, string, string[], string, [string, number][], string][])(
    'GIVEN %s held on %s (settled %j, today %s) THEN expired %j: %s',
    (instrument, date, released, today, expected) => {
      expect(expiredHolds(instrument, new Map([[date, 1]]), released, today)).toEqual(expected);
    },
  );
});
