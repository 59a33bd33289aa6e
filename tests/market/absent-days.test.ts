/**
 * A gold day Yahoo lacks and LBMA lacks too: asked of LBMA once, said once, asked again on a schedule
 * (once a day when LBMA had later days, every hour when it had none yet), not every sync; a day LBMA
 * cannot have (an English bank holiday) not asked of it nor said at all. The memory is kept in the
 * store (migration 025): a restart does not ask again, nor say again, before its schedule says.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { QuoteStore } from '../../src/store/quotes.ts';
import { memoryLogger } from '../../src/log.ts';
import { createMarket } from '../../src/market/market.ts';
import { goldShutDay } from '../../src/domain/close-calendar.ts';
import { quoteServerConfig, startQuoteServer, walk, weekdays, type QuoteServer } from '../fakes/quote-server.ts';
import { describeOnEngines, type OpenStore } from '../helpers/engines.ts';

const HOUR = 3_600_000;
let server: QuoteServer;

beforeAll(async () => {
  server = await startQuoteServer();
});
afterAll(async () => {
  await server.close();
});

function market(open: OpenStore, now: number, from: string) {
  return (async () => {
    const store = new QuoteStore(await open());
    const log = memoryLogger();
    const clock = { now };
    const m = createMarket(quoteServerConfig(server, { BACKFILL_FROM: from, SOURCES_SPX: 'yahoo', SOURCES_QQQ: 'yahoo' }), store, log, {
      now: () => clock.now,
      sleep: async () => {},
    });
    return { store, log, clock, m };
  })();
}

/** Gold series through `to`: GC=F without `missing`, LBMA as given. */
function gold(from: string, to: string, missing: string) {
  const days = weekdays(from, to).filter((d) => goldShutDay(d) === undefined);
  const gcf = walk(days, 3300, 3);
  server.setSeries(
    'GC=F',
    gcf.map((p) => (p.date === missing ? { date: p.date, value: null } : p)),
  );
  return gcf.map((p) => ({ date: p.date, value: Math.round(p.value! * 99.6) / 100 }));
}

const lbmaAsked = () => server.requestsTo('/json/gold_pm.json').length;
const about = (lines: string[], day: string) => lines.filter((l) => / WARN .*gold /.test(l) && l.includes(day));

describeOnEngines('a gold day that Yahoo and LBMA both lack', (open) => {
  // Friday 2026-08-21, 14:00 New York; 2026-08-18 left out by both.
  const NOW = Date.parse('2026-08-21T18:00:00Z');

  test('GIVEN LBMA with the days after it THEN it is asked once, said once, asked again a day later (quietly), and filled when LBMA has it', async () => {
    const lbma = gold('2026-07-01', '2026-08-21', '2026-08-18');
    server.setSeries(
      'gold_pm',
      lbma.filter((p) => p.date !== '2026-08-18'),
    );
    const { store, log, clock, m } = await market(open, NOW, '2026-07-01');
    await m.backfill();
    const asked = lbmaAsked();
    expect(asked).toBeGreaterThan(0);
    expect(about(log.lines, '2026-08-18')).toEqual([
      expect.stringMatching(
        / WARN .*gold 2026-08-18: yahoo has no gold price for that day, and lbma has none either; asked again once a day while it is in the look-back$/,
      ),
    ]);

    for (const after of [5 * 60_000, HOUR, 23 * HOUR]) {
      clock.now = NOW + after;
      await m.syncDaily();
    }
    expect(lbmaAsked()).toBe(asked);
    clock.now = NOW + 24 * HOUR;
    await m.syncDaily();
    expect(lbmaAsked()).toBe(asked + 1);
    expect(about(log.lines, '2026-08-18')).toHaveLength(1);

    // LBMA publishes it late: the next ask, a day on, stores it.
    server.setSeries('gold_pm', lbma);
    clock.now = NOW + 48 * HOUR;
    await m.syncDaily();
    expect(lbmaAsked()).toBe(asked + 2);
    expect((await store.closes('gold', '2026-08-18', '2026-08-18')).map((p) => p.value)).toEqual([lbma.find((p) => p.date === '2026-08-18')!.value]);
    expect(about(log.lines, '2026-08-18').at(-1)).toMatch(/gold 2026-08-18: yahoo has no gold price for that day; lbma has [\d.]+, stored instead$/);
  });

  test('GIVEN a restart (a new market on the same database) THEN the day LBMA lacked is neither asked again before its day is up nor said again; a day on it is asked, and once LBMA has it the memory goes', async () => {
    const lbma = gold('2026-07-01', '2026-08-21', '2026-08-18');
    server.setSeries(
      'gold_pm',
      lbma.filter((p) => p.date !== '2026-08-18'),
    );
    const first = await market(open, NOW, '2026-07-01');
    await first.m.backfill();
    const asked = lbmaAsked();
    const kept = () => first.store.db.k.selectFrom('absent_days').select(['instrument', 'date', 'source', 'later']).execute();
    expect(await kept()).toEqual([{ instrument: 'gold', date: '2026-08-18', source: 'lbma', later: 1 }]);

    // Restarted an hour on: this process knows nothing, the database does. It asked LBMA at once and said it again.
    const log = memoryLogger();
    const clock = { now: NOW + HOUR };
    const config = quoteServerConfig(server, { BACKFILL_FROM: '2026-07-01', SOURCES_SPX: 'yahoo', SOURCES_QQQ: 'yahoo' });
    const second = createMarket(config, first.store, log, { now: () => clock.now, sleep: async () => {} });
    await second.syncDaily();
    expect(lbmaAsked()).toBe(asked);
    expect(about(log.lines, '2026-08-18')).toEqual([]);
    clock.now = NOW + 24 * HOUR;
    await second.syncDaily();
    expect(lbmaAsked()).toBe(asked + 1);
    // Its schedule goes on from the ask, quietly: said by the first process only.
    expect(about(log.lines, '2026-08-18')).toEqual([]);

    server.setSeries('gold_pm', lbma);
    clock.now = NOW + 48 * HOUR;
    await second.syncDaily();
    expect(lbmaAsked()).toBe(asked + 2);
    expect(await kept()).toEqual([]);
  });

  test('GIVEN LBMA without any later day yet THEN it is asked again every hour, not every sync', async () => {
    const lbma = gold('2026-07-01', '2026-08-21', '2026-08-18');
    server.setSeries(
      'gold_pm',
      lbma.filter((p) => p.date < '2026-08-18'),
    );
    const { log, clock, m } = await market(open, NOW, '2026-07-01');
    await m.backfill();
    const asked = lbmaAsked();
    expect(about(log.lines, '2026-08-18')).toEqual([expect.stringMatching(/, and lbma has none either; asked again every hour until its later days arrive$/)]);
    clock.now = NOW + 30 * 60_000;
    await m.syncDaily();
    expect(lbmaAsked()).toBe(asked);
    clock.now = NOW + HOUR;
    await m.syncDaily();
    expect(lbmaAsked()).toBe(asked + 1);
    expect(about(log.lines, '2026-08-18')).toHaveLength(1);
  });

  test('GIVEN the day an English bank holiday (2026-08-31, the Summer bank holiday) THEN LBMA is not asked for it and nothing is said', async () => {
    // Wednesday 2026-09-02, 14:00 New York.
    const then = Date.parse('2026-09-02T18:00:00Z');
    const lbma = gold('2026-07-01', '2026-09-02', '2026-08-31');
    server.setSeries(
      'gold_pm',
      lbma.filter((p) => p.date !== '2026-08-31'),
    );
    const { log, clock, m } = await market(open, then, '2026-07-01');
    const before = lbmaAsked();
    await m.backfill();
    clock.now = then + 5 * 60_000;
    await m.syncDaily();
    expect(lbmaAsked()).toBe(before);
    expect(log.lines.filter((l) => l.includes('2026-08-31'))).toEqual([]);
  });
});
