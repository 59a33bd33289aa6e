import { afterAll, beforeAll, expect, test } from 'vitest';
import { QuoteStore } from '../../src/store/quotes.ts';
import { memoryLogger } from '../../src/log.ts';
import { createMarket } from '../../src/market/market.ts';
import { isTradingDay } from '../../src/domain/nyse-calendar.ts';
import { quoteServerConfig, startQuoteServer, walk, weekdays, type QuoteServer } from '../fakes/quote-server.ts';
import { describeOnEngines } from '../helpers/engines.ts';

// Friday 2026-08-21, 14:00 New York: holds dated before 2026-07-22 have expired (HOLD_EXPIRY_DAYS).
const NOW = Date.parse('2026-08-21T18:00:00Z');
const FROM = '2026-06-01';
let server: QuoteServer;

beforeAll(async () => {
  server = await startQuoteServer({ fredApiKey: 'k'.repeat(32) });
});
afterAll(async () => {
  await server.close();
});

const tradingDays = weekdays(FROM, '2026-08-21').filter(isTradingDay);

describeOnEngines('a hold of a day older than the expiry', (open) => {
  test('GIVEN an expired hold whose day a backfill holds again (a new one-day spike) THEN the new hold is kept, not dropped as the old one expires', async () => {
    const SPX = walk(tradingDays, 5900, 1);
    const spiked = SPX.map((p) => (p.date === '2026-07-01' ? { date: p.date, value: Math.round(p.value! * 125) / 100 } : p));
    server.setSeries('^GSPC', spiked);
    const store = new QuoteStore(await open());
    await store.holdQuote('spx', '2026-07-01', 9999, 'yahoo', new Date(NOW - 40 * 86_400_000));
    const log = memoryLogger();
    const market = createMarket(quoteServerConfig(server, { BACKFILL_FROM: FROM }), store, log, { now: () => NOW, sleep: async () => {} });
    await market.backfill();
    const spike = spiked.find((p) => p.date === '2026-07-01')!.value;
    expect(await store.heldQuotes('spx')).toEqual([{ date: '2026-07-01', price: spike, source: 'yahoo', heldAt: new Date(NOW).toISOString() }]);
    expect(log.lines.filter((l) => l.includes('never confirmed; dropped'))).toEqual([]);
    expect(log.lines.some((l) => /WARN .*spx moved [\d.]+% on 2026-07-01 .*: held until confirmed$/.test(l))).toBe(true);
  });

  test('GIVEN a backfill in two ranges (the head missing, then the tail) whose head holds an expired day again THEN the tail range does not drop that new hold', async () => {
    const SPX = walk(tradingDays, 5900, 1);
    server.setSeries('^GSPC', SPX);
    const store = new QuoteStore(await open());
    const log = memoryLogger();
    const opts = { now: () => NOW, sleep: async () => {} };
    // The tail first: the database starts on 2026-07-20, so the next backfill from June has a head to fetch.
    await createMarket(quoteServerConfig(server, { BACKFILL_FROM: '2026-07-20' }), store, log, opts).backfill();
    await store.holdQuote('spx', '2026-07-01', 9999, 'yahoo', new Date(NOW - 40 * 86_400_000));
    const spiked = SPX.map((p) => (p.date === '2026-07-01' ? { date: p.date, value: Math.round(p.value! * 125) / 100 } : p));
    server.setSeries('^GSPC', spiked);
    server.requests.length = 0;
    await createMarket(quoteServerConfig(server, { BACKFILL_FROM: FROM }), store, log, opts).backfill();
    // Two fetches of ^GSPC: the head, then the tail (else this test shows nothing).
    expect(server.requests.filter((r) => r.path.includes('GSPC'))).toHaveLength(2);
    const spike = spiked.find((p) => p.date === '2026-07-01')!.value;
    expect(await store.heldQuotes('spx')).toEqual([{ date: '2026-07-01', price: spike, source: 'yahoo', heldAt: new Date(NOW).toISOString() }]);
    expect(log.lines.filter((l) => l.includes('never confirmed; dropped'))).toEqual([]);
  });
});

describeOnEngines('a held jump repeated by its only source', (open) => {
  test('GIVEN S&P 500 25% up on its last day THEN a repeat 10 min later keeps the hold as first written, one 30 min after it stores the close', async () => {
    const SPX = walk(tradingDays, 5900, 1);
    server.setSeries('^GSPC', SPX);
    const store = new QuoteStore(await open());
    const clock = { now: NOW };
    const market = createMarket(quoteServerConfig(server, { BACKFILL_FROM: FROM }), store, memoryLogger(), { now: () => clock.now, sleep: async () => {} });
    await market.backfill();
    const jumped = SPX.map((p) => (p.date === '2026-08-20' ? { date: p.date, value: Math.round(p.value! * 125) / 100 } : p));
    server.setSeries('^GSPC', jumped);
    await market.syncDaily();
    const hold = [{ date: '2026-08-20', price: jumped.at(-2)!.value, source: 'yahoo', heldAt: new Date(NOW).toISOString() }];
    expect(await store.heldQuotes('spx')).toEqual(hold);
    clock.now = NOW + 10 * 60_000;
    expect((await market.syncDaily()).instruments.find((i) => i.instrument === 'spx')).toMatchObject({ held: 1 });
    expect(await store.heldQuotes('spx')).toEqual(hold);
    expect((await store.closes('spx', '2026-08-20', '2026-08-20'))[0]?.value).toBe(SPX.at(-2)!.value);
    clock.now = NOW + 30 * 60_000;
    expect((await market.syncDaily()).instruments.find((i) => i.instrument === 'spx')).toMatchObject({ held: 0, updated: 1 });
    expect(await store.heldQuotes('spx')).toEqual([]);
    expect((await store.closes('spx', '2026-08-20', '2026-08-20'))[0]?.value).toBe(jumped.at(-2)!.value);
  });
});
