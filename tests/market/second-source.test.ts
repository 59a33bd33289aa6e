/**
 * The S&P 500 and QQQ with a second source (Twelve Data, FRED's SP500), through the real sync on the
 * quote fake, on SQLite and PostgreSQL: a held move confirmed by it without waiting for the source's
 * own repeat, a bad print refused by it, and the days the first source lacks filled from it.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { memoryLogger } from '../../src/log.ts';
import { createMarket } from '../../src/market/market.ts';
import { isTradingDay } from '../../src/domain/nyse-calendar.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { quoteServerConfig, startQuoteServer, walk, weekdays, type QuoteServer, type SeriesPoint } from '../fakes/quote-server.ts';
import { describeOnEngines, type OpenStore } from '../helpers/engines.ts';

// Friday 2026-08-21, 14:00 New York: Thursday 2026-08-20's close is the last one.
const NOW = Date.parse('2026-08-21T18:00:00Z');
const FROM = '2026-06-01';
const TD_KEY = '0123456789abcdef0123456789abcdef';
const FRED_KEY = 'abcdefghijklmnopqrstuvwxyz012345';
const JUMP_DAY = '2026-08-20';
const days = weekdays(FROM, '2026-08-21').filter(isTradingDay);
let server: QuoteServer;
let SPX: SeriesPoint[];
let QQQ: SeriesPoint[];

beforeAll(async () => {
  server = await startQuoteServer({ twelveDataApiKey: TD_KEY, fredApiKey: FRED_KEY });
});
afterAll(() => server.close());
beforeEach(() => {
  server.clearFaults();
  server.requests.length = 0;
  SPX = walk(days, 5900, 1);
  QQQ = walk(days, 520, 2);
  server.setSeries('^GSPC', SPX);
  server.setSeries('QQQ', QQQ);
  server.setSeries('GC=F', walk(days, 3300, 3));
  server.setSeries('M2SL', []);
});

/** `series` with the day's value moved by `factor` (rounded to cents). */
const moved = (series: readonly SeriesPoint[], date: string, factor: number) =>
  series.map((p) => (p.date === date ? { date, value: Math.round(p.value! * factor * 100) / 100 } : p));
const without = (series: readonly SeriesPoint[], date: string) => series.filter((p) => p.date !== date);
/** A day's stored close and the source it came from. */
async function storedOn(store: QuoteStore, instrument: 'spx' | 'qqq', date: string) {
  const value = (await store.closes(instrument, date, date))[0]?.value;
  const source = (await store.sourceSpans(instrument)).find((s) => s.from <= date && date <= s.to)?.source;
  return { value, source };
}
const said = (lines: readonly string[]) => lines.map((l) => l.replace(/^\S+ (\w+) +\S+: /, '$1 '));

async function setup(open: OpenStore, env: Record<string, string>) {
  const store = new QuoteStore(await open());
  const log = memoryLogger();
  const clock = { now: NOW };
  const market = createMarket(quoteServerConfig(server, { BACKFILL_FROM: FROM, ...env }), store, log, { now: () => clock.now, sleep: async () => {} });
  return { store, log, clock, market };
}

describeOnEngines('a second source for the S&P 500 and QQQ', (open) => {
  test.each([
    ['twelvedata', 'SPX', { TWELVEDATA_API_KEY: TD_KEY }],
    ['fred', 'SP500', { FRED_API_KEY: FRED_KEY }],
  ] as const)(
    'GIVEN a close a fifth down held because %s had no such day yet WHEN it has it 5 min on THEN it confirms the close at once, before a repeat of Yahoo would',
    async (name, symbol, env) => {
      const { store, log, clock, market } = await setup(open, env);
      server.setSeries(symbol, without(SPX, JUMP_DAY));
      await market.backfill();
      const crashed = moved(SPX, JUMP_DAY, 0.8);
      const price = crashed.find((p) => p.date === JUMP_DAY)!.value;
      server.setSeries('^GSPC', crashed);
      await market.syncDaily();
      expect(await store.heldQuotes('spx')).toEqual([{ date: JUMP_DAY, price, source: 'yahoo', heldAt: new Date(NOW).toISOString() }]);
      server.setSeries(symbol, crashed);
      clock.now = NOW + 5 * 60_000;
      await market.syncDaily();
      expect(said(log.lines)).toContain(`INFO spx ${JUMP_DAY} ${price} from yahoo confirmed by ${name} (${price})`);
      expect(await store.heldQuotes('spx')).toEqual([]);
      expect(await storedOn(store, 'spx', JUMP_DAY)).toEqual({ value: price, source: 'yahoo' });
    },
  );

  test("GIVEN QQQ 25% up on Yahoo alone (a bad print) THEN Twelve Data's close refuses it and is stored instead, nothing held", async () => {
    const { store, log, market } = await setup(open, { TWELVEDATA_API_KEY: TD_KEY });
    server.setSeries('twelvedata:QQQ', QQQ);
    const bad = moved(QQQ, JUMP_DAY, 1.25);
    server.setSeries('QQQ', bad);
    const report = await market.backfill();
    const right = QQQ.find((p) => p.date === JUMP_DAY)!.value;
    expect(report.instruments.find((i) => i.instrument === 'qqq')).toMatchObject({ ok: true, held: 0, rejected: 1, filled: { twelvedata: 1 } });
    expect(said(log.lines).filter((l) => l.startsWith('WARN qqq moved'))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^WARN qqq moved 2\\d\\.\\d% on ${JUMP_DAY} .*, where twelvedata has ${right}, in line with the closes before and stored instead \\(from yahoo\\); not stored$`,
        ),
      ),
    ]);
    expect(await store.heldQuotes('qqq')).toEqual([]);
    expect(await storedOn(store, 'qqq', JUMP_DAY)).toEqual({ value: right, source: 'twelvedata' });
  });

  test.each([
    ['twelvedata', { TWELVEDATA_API_KEY: TD_KEY }],
    ['fred', { FRED_API_KEY: FRED_KEY }],
  ] as const)('GIVEN Yahoo lacking a day of the S&P 500 (a null bar) THEN the backfill fills it from %s, counted in filled', async (name, env) => {
    const { store, market } = await setup(open, env);
    const gap = '2026-08-12';
    server.setSeries(
      '^GSPC',
      SPX.map((p) => (p.date === gap ? { date: gap, value: null } : p)),
    );
    server.setSeries('SPX', SPX);
    server.setSeries('SP500', SPX);
    const report = await market.backfill();
    expect(report.instruments.find((i) => i.instrument === 'spx')).toMatchObject({ ok: true, source: 'yahoo', filled: { [name]: 1 } });
    expect(await storedOn(store, 'spx', gap)).toEqual({ value: SPX.find((p) => p.date === gap)!.value, source: name });
  });

  test("GIVEN Yahoo lacking a day of QQQ THEN the daily sync fills it from Twelve Data's own QQQ, counted in filled", async () => {
    const { store, market } = await setup(open, { TWELVEDATA_API_KEY: TD_KEY });
    const gap = '2026-08-19';
    server.setSeries('twelvedata:QQQ', QQQ);
    server.setSeries(
      'QQQ',
      QQQ.map((p) => (p.date === gap ? { date: gap, value: null } : p)),
    );
    const report = await market.syncDaily();
    expect(report.instruments.find((i) => i.instrument === 'qqq')).toMatchObject({ ok: true, source: 'yahoo', filled: { twelvedata: 1 } });
    expect(await storedOn(store, 'qqq', gap)).toEqual({ value: QQQ.find((p) => p.date === gap)!.value, source: 'twelvedata' });
  });
});
