import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeWithHistory, HISTORY_DIR, HISTORY_FILES } from '../helpers/history.ts';
import { openDatabase } from '../../src/store/db.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { memoryLogger } from '../../src/log.ts';
import { createMarket } from '../../src/market/market.ts';
import { addDays, toEpochDay } from '../../src/domain/dates.ts';
import { isTradingDay } from '../../src/domain/nyse-calendar.ts';
import { goldShutDay } from '../../src/domain/close-calendar.ts';
import { monthStarts, quoteServerConfig, startQuoteServer, walk, weekdays, type QuoteServer, type SeriesPoint } from '../fakes/quote-server.ts';
import { writeDatabase } from '../helpers/sqlite-image.ts';

// Friday 2026-08-21, 14:00 New York: the day's bar is still live and must not be stored as a close.
const NOW = Date.parse('2026-08-21T18:00:00Z');
const FROM = '2025-06-02';
let server: QuoteServer;
const cleanups: (() => void)[] = [];

const days = weekdays(FROM, '2026-08-21');
// Yahoo has no S&P 500 or QQQ close on an NYSE holiday (and goldratio would refuse one); gold trades on
// them, but not on Christmas, New Year's Day and Good Friday, when London does not fix nor COMEX settle.
const tradingDays = days.filter(isTradingDay);
const goldDays = days.filter((d) => goldShutDay(d) === undefined);
let SPX: SeriesPoint[];
let QQQ: SeriesPoint[];
let GCF: SeriesPoint[];
let LBMA: SeriesPoint[];
let M2: SeriesPoint[];

beforeAll(async () => {
  server = await startQuoteServer({ fredApiKey: 'k'.repeat(32) });
});
afterAll(async () => {
  await server.close();
  for (const c of cleanups) c();
});
beforeEach(() => {
  server.clearFaults();
  server.requests.length = 0;
  SPX = walk(tradingDays, 5900, 1);
  QQQ = walk(tradingDays, 520, 2);
  GCF = walk(goldDays, 3300, 3);
  // The LBMA fix is close to, not equal to, the COMEX future.
  LBMA = GCF.map((p) => ({ date: p.date, value: p.value === null ? null : Math.round(p.value * 99.6) / 100 }));
  M2 = walk(monthStarts('1999-01-01', '2026-07-01'), 4400, 4).map((p) => ({ date: p.date, value: p.value === null ? null : p.value * 5 }));
  server.setSeries('^GSPC', SPX);
  server.setSeries('QQQ', QQQ);
  server.setSeries('GC=F', GCF);
  server.setSeries('gold_pm', LBMA);
  server.setSeries('M2SL', M2);
});

function setup(env: Record<string, string> = {}, clock: { now: number } = { now: NOW }) {
  const config = quoteServerConfig(server, { BACKFILL_FROM: FROM, ...env });
  const db = openDatabase(writeDatabase(config.databasePath));
  cleanups.push(() => {
    db.close();
    rmSync(dirname(config.databasePath), { recursive: true, force: true });
  });
  const store = new QuoteStore(onSqlite(db));
  const log = memoryLogger();
  const market = createMarket(config, store, log, { now: () => clock.now, sleep: async () => {} });
  return { config, store, log, market, clock };
}

const errorLines = (lines: string[]) => lines.filter((l) => / ERROR /.test(l));
/** What the market logged at warn or above: a fallback taken on the way, never the outcome (the caller reports that, once). */
const warnLines = (lines: string[]) => lines.filter((l) => / (WARN|ERROR) /.test(l));
const finalDays = (series: SeriesPoint[], from = FROM) => series.filter((p) => p.value !== null && p.date >= from && p.date < '2026-08-21');

describe('backfill', () => {
  test('GIVEN an empty store THEN every instrument is filled from BACKFILL_FROM, today left out, sources recorded', async () => {
    const { store, market } = setup();
    const report = await market.backfill();
    expect(report.ok).toBe(true);
    expect(report.instruments.map((r) => [r.instrument, r.source, r.inserted])).toEqual([
      ['spx', 'yahoo', finalDays(SPX).length],
      ['qqq', 'yahoo', finalDays(QQQ).length],
      ['gold', 'yahoo', finalDays(GCF).length],
      ['m2', 'fred', M2.filter((p) => p.date >= '2025-06-01').length],
    ]);
    expect((await store.closes('spx')).at(-1)).toEqual({ date: '2026-08-20', value: SPX.at(-2)!.value });
    expect((await store.lastClose('gold'))?.source).toBe('yahoo');
    expect(await store.lastClose('m2')).toMatchObject({ date: '2026-07-01', source: 'fred' });
    expect(server.requestsTo('/v8/finance/chart/^GSPC')[0]?.query['period1']).toBe(String(toEpochDay(FROM) * 86_400));
    expect(server.requestsTo('/graph/fredgraph.csv')[0]?.query).toMatchObject({ id: 'M2SL', cosd: '2025-06-01' });
  });

  test('GIVEN a filled store a week later THEN the second backfill asks only for what is missing (plus the overlap)', async () => {
    const { store, market, clock } = setup();
    await market.backfill();
    const more = weekdays('2026-08-24', '2026-08-28');
    server.setSeries('^GSPC', [...SPX, ...walk(more, 6500, 9)]);
    clock.now = Date.parse('2026-08-28T22:00:00Z'); // Friday evening: the 28th is final
    server.requests.length = 0;

    const report = await market.backfill();

    const spx = report.instruments.find((r) => r.instrument === 'spx')!;
    expect(spx).toMatchObject({ ok: true, from: addDays('2026-08-20', -7), inserted: 6, updated: 0 });
    expect(spx.unchanged).toBe(weekdays('2026-08-13', '2026-08-20').length);
    const q = server.requestsTo('/v8/finance/chart/^GSPC')[0]!.query;
    expect(q['period1']).toBe(String(toEpochDay('2026-08-13') * 86_400));
    expect((await store.lastClose('spx'))?.date).toBe('2026-08-28');
    // M2 re-reads six months so revisions land.
    expect(server.requestsTo('/graph/fredgraph.csv')[0]?.query['cosd']).toBe('2026-01-01');
  });

  test('GIVEN a store that syncDaily filled first THEN backfill also fetches the missing head, in one extra request', async () => {
    const { store, market } = setup();
    await market.syncDaily();
    expect(await store.count('spx')).toBe(weekdays('2026-08-11', '2026-08-20').length);
    server.requests.length = 0;
    const report = await market.backfill();
    expect(report.instruments.find((r) => r.instrument === 'spx')).toMatchObject({ ok: true, from: FROM, inserted: finalDays(SPX).length - 8 });
    expect(await store.count('spx')).toBe(finalDays(SPX).length);
    expect(server.requestsTo('/v8/finance/chart/^GSPC').map((r) => r.query['period1'])).toEqual([
      String(toEpochDay(FROM) * 86_400),
      String(toEpochDay('2026-08-13') * 86_400),
    ]);
  });

  test('GIVEN one instrument failing THEN the others are still filled and the failure is reported', async () => {
    server.fault('/v8/finance/chart/QQQ', { kind: 'yahoo-404' });
    const { store, market, log } = setup();
    const report = await market.backfill();
    expect(report.ok).toBe(false);
    const qqq = report.instruments.find((r) => r.instrument === 'qqq')!;
    expect(qqq).toMatchObject({ ok: false, inserted: 0, errors: ['yahoo has no data for QQQ (Not Found: No data found, symbol may be delisted)'] });
    expect(await store.count('qqq')).toBe(0);
    expect(report.instruments.filter((r) => r.ok).map((r) => r.instrument)).toEqual(['spx', 'gold', 'm2']);
    // Said once, by whoever asked (the job's log line, the CLI's table), not here as well.
    expect(warnLines(log.lines)).toEqual([]);
  });
});

describe('bad answers', () => {
  test.each([
    ['HTML', { kind: 'html' }, 'yahoo answered HTML instead of JSON for ^GSPC'],
    ['an empty body', { kind: 'empty' }, 'yahoo answered an empty body for ^GSPC'],
    ['the 404 no-data JSON', { kind: 'yahoo-404' }, 'yahoo has no data for ^GSPC (Not Found: No data found, symbol may be delisted)'],
    ['429 Edge: Too Many Requests', { kind: 'rate-limit' }, 'yahoo answered 429 for ^GSPC'],
    ['a 500 every time', { kind: 'status', status: 500 }, 'yahoo answered 500 for ^GSPC'],
  ] as const)('GIVEN Yahoo answers %s for ^GSPC THEN the report names it (for the caller to say once), and no spx row stored', async (_n, fault, message) => {
    server.fault('/v8/finance/chart/^GSPC', fault);
    const { store, market, log } = setup();
    const report = await market.syncDaily();
    expect(report.instruments[0]).toMatchObject({ instrument: 'spx', ok: false, errors: [message] });
    expect(warnLines(log.lines)).toEqual([]);
    expect(await store.count('spx')).toBe(0);
    expect(await store.count('qqq')).toBeGreaterThan(0);
  });

  test('GIVEN one 500 then a good answer THEN the retry succeeds and the rows are stored', async () => {
    server.fault('/v8/finance/chart/^GSPC', { kind: 'status', status: 500 }, 1);
    const { store, market } = setup();
    expect((await market.syncDaily()).instruments[0]).toMatchObject({ instrument: 'spx', ok: true, errors: [] });
    expect(server.requestsTo('/v8/finance/chart/^GSPC')).toHaveLength(2);
    expect(await store.count('spx')).toBeGreaterThan(0);
  });
});

describe('failover', () => {
  test('GIVEN Yahoo answers HTML for GC=F THEN gold comes from LBMA, recorded as lbma, with one warning of the fallback', async () => {
    server.fault('/v8/finance/chart/GC=F', { kind: 'html' });
    const { store, market, log } = setup();
    const report = await market.backfill();
    const gold = report.instruments.find((r) => r.instrument === 'gold')!;
    // An LBMA fix is final once published: today's counts.
    expect(gold).toMatchObject({ ok: true, source: 'lbma', inserted: LBMA.filter((p) => p.date >= FROM).length });
    expect(gold.errors).toEqual(['yahoo answered HTML instead of JSON for GC=F']);
    expect(await store.lastClose('gold')).toMatchObject({ source: 'lbma', date: '2026-08-21' });
    const warnings = warnLines(log.lines);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/ WARN .*yahoo answered HTML instead of JSON for GC=F; trying lbma$/);
    expect(errorLines(log.lines)).toEqual([]);
  });

  test('GIVEN Yahoo failing after closes were stored THEN the fallback only fills gaps, never overwrites', async () => {
    const { store, market, clock } = setup();
    await market.backfill();
    server.fault('/v8/finance/chart/GC=F', { kind: 'empty' });
    clock.now = Date.parse('2026-08-24T22:00:00Z'); // Monday evening
    const report = await market.syncDaily();
    const gold = report.instruments.find((r) => r.instrument === 'gold')!;
    expect(gold).toMatchObject({ ok: true, source: 'lbma', inserted: 1, updated: 0 });
    expect(await store.closes('gold', '2026-08-20', '2026-08-20')).toEqual([{ date: '2026-08-20', value: GCF.at(-2)!.value }]);
    expect(await store.lastClose('gold')).toMatchObject({ date: '2026-08-21', source: 'lbma' });
  });

  test('GIVEN GC=F starting months after BACKFILL_FROM (as the real one starts 2000-08-30) THEN LBMA fills the head, Yahoo the rest', async () => {
    const start = '2025-09-01';
    server.setSeries(
      'GC=F',
      GCF.filter((p) => p.date >= start),
    );
    const { store, market } = setup();
    const report = await market.backfill();
    const gold = report.instruments.find((r) => r.instrument === 'gold')!;
    expect(gold.ok).toBe(true);
    const stored = await store.closes('gold');
    expect(stored[0]!.date).toBe(FROM);
    // Before GC=F starts, the LBMA fix; from then on, GC=F (the primary) alone.
    expect((await store.closes('gold', FROM, '2025-08-29')).map((p) => p.value)).toEqual(
      LBMA.filter((p) => p.date < start && p.value !== null).map((p) => p.value),
    );
    expect((await store.closes('gold', start, '2026-08-20')).map((p) => p.value)).toEqual(
      GCF.filter((p) => p.date >= start && p.date < '2026-08-21' && p.value !== null).map((p) => p.value),
    );
    // A second backfill does not ask LBMA again: the head is covered.
    const lbmaBefore = server.requestsTo('/json/gold_pm.json').length;
    await market.backfill();
    expect(server.requestsTo('/json/gold_pm.json')).toHaveLength(lbmaBefore);
  });

  test('GIVEN every gold source failing THEN nothing is stored and each failure is reported', async () => {
    server.fault('/v8/finance/chart/GC=F', { kind: 'rate-limit' });
    server.fault('/json/gold_pm.json', { kind: 'html' });
    const { store, market, log } = setup();
    const before = await store.dataVersion();
    const report = await market.syncDaily();
    const gold = report.instruments.find((r) => r.instrument === 'gold')!;
    expect(gold).toMatchObject({ ok: false, source: undefined, inserted: 0 });
    expect(gold.errors).toEqual(['yahoo answered 429 for GC=F', 'lbma answered HTML instead of JSON for gold_pm']);
    expect(await store.count('gold')).toBe(0);
    expect(await store.heldQuotes('gold')).toEqual([]);
    expect(await store.dataVersion()).toBe(before + 2); // one bump each for spx and qqq, none for gold
    // The fallback taken on the way; the last failure is in the report only.
    expect(warnLines(log.lines)).toEqual([expect.stringMatching(/yahoo answered 429 for GC=F; trying lbma$/)]);
    // retries: 1 + HTTP_RETRIES(2) Yahoo requests, LBMA's HTML is final.
    expect(server.requestsTo('/v8/finance/chart/GC=F')).toHaveLength(3);
    expect(server.requestsTo('/json/gold_pm.json')).toHaveLength(1);
  });

  test('GIVEN twelvedata listed without a key THEN it is skipped and said once', async () => {
    // An unknown name ("stooq") no longer gets this far: config refuses it (tests/bad-input.test.ts).
    const { market, log } = setup({ SOURCES_GOLD: 'yahoo,twelvedata', SOURCES_QQQ: 'yahoo,twelvedata', SOURCES_SPX: 'yahoo' });
    expect(market.sources.gold).toEqual(['yahoo']);
    expect(log.lines.filter((l) => l.includes('skipped'))).toEqual([
      expect.stringMatching(/ INFO .*: quote source twelvedata skipped: twelvedata needs TWELVEDATA_API_KEY$/),
    ]);
  });

  test("GIVEN the default sources and no key THEN the S&P 500 and QQQ have yahoo alone, and Twelve Data and FRED's SP500 are said skipped in one info line", async () => {
    const { market, log } = setup();
    expect(market.sources).toEqual({ spx: ['yahoo'], qqq: ['yahoo'], gold: ['yahoo', 'lbma'], m2: ['fred'] });
    expect(log.lines.filter((l) => l.includes('skipped'))).toEqual([
      expect.stringMatching(/ INFO .*: quote sources skipped: twelvedata needs TWELVEDATA_API_KEY; fred needs FRED_API_KEY for spx \(SP500\)$/),
    ]);
  });

  test('GIVEN both keys and the default sources THEN the S&P 500 has yahoo, twelvedata and fred, QQQ yahoo and twelvedata, and nothing is said skipped', async () => {
    const { market, log } = setup({ TWELVEDATA_API_KEY: 't'.repeat(32), FRED_API_KEY: 'k'.repeat(32) });
    expect(market.sources).toEqual({ spx: ['yahoo', 'twelvedata', 'fred'], qqq: ['yahoo', 'twelvedata'], gold: ['yahoo', 'lbma', 'twelvedata'], m2: ['fred'] });
    expect(log.lines.filter((l) => l.includes('skipped'))).toEqual([]);
  });
});

describe('implausible moves', () => {
  test('GIVEN a 25% jump on the last day (S&P 500: one source) THEN it is held; a fetch repeating it within HOLD_CONFIRM_MINUTES leaves it held, as written, said in a warn line; one 30 min after the hold stores it', async () => {
    const clock = { now: NOW };
    const { store, market, log } = setup({}, clock);
    await market.backfill();
    const jumped = SPX.map((p) => (p.date === '2026-08-20' ? { date: p.date, value: Math.round(p.value! * 125) / 100 } : p));
    server.setSeries('^GSPC', jumped);
    const first = await market.syncDaily();
    const spx = first.instruments.find((r) => r.instrument === 'spx')!;
    expect(spx).toMatchObject({ ok: true, held: 1 });
    expect(spx.errors[0]).toMatch(/^spx moved \d+\.\d% on 2026-08-20 \(.*\), more than 15%: held until confirmed$/);
    const stored = async () => store.closes('spx', '2026-08-20', '2026-08-20');
    expect(await stored()).toEqual([{ date: '2026-08-20', value: SPX.at(-2)!.value }]);
    const hold = [{ date: '2026-08-20', price: jumped.at(-2)!.value, source: 'yahoo', heldAt: new Date(NOW).toISOString() }];
    expect(await store.heldQuotes('spx')).toEqual(hold);

    // 29 minutes on, the same level again: not yet a confirmation, and the hold keeps its first time.
    clock.now = NOW + 29 * 60_000;
    const second = await market.syncDaily();
    expect(second.instruments.find((r) => r.instrument === 'spx')).toMatchObject({ held: 1, updated: 0 });
    expect(await stored()).toEqual([{ date: '2026-08-20', value: SPX.at(-2)!.value }]);
    expect(await store.heldQuotes('spx')).toEqual(hold);
    expect(
      log.lines.filter((l) =>
        / WARN .*spx moved \d+\.\d% on 2026-08-20 \(.*\), more than 15%, seen again 29 min after it was held, and a repeat confirms from 30 min on \(HOLD_CONFIRM_MINUTES\): still held$/.test(
          l,
        ),
      ),
    ).toHaveLength(1);

    clock.now = NOW + 30 * 60_000;
    const third = await market.syncDaily();
    expect(third.instruments.find((r) => r.instrument === 'spx')).toMatchObject({ held: 0, updated: 1 });
    expect(await stored()).toEqual([{ date: '2026-08-20', value: jumped.at(-2)!.value }]);
    expect(await store.heldQuotes('spx')).toEqual([]);
  });

  test('GIVEN HOLD_CONFIRM_MINUTES=0 THEN the next fetch repeating a held jump stores it, as before', async () => {
    const { store, market } = setup({ HOLD_CONFIRM_MINUTES: '0' });
    await market.backfill();
    const jumped = SPX.map((p) => (p.date === '2026-08-20' ? { date: p.date, value: Math.round(p.value! * 125) / 100 } : p));
    server.setSeries('^GSPC', jumped);
    expect((await market.syncDaily()).instruments.find((r) => r.instrument === 'spx')).toMatchObject({ held: 1 });
    expect((await market.syncDaily()).instruments.find((r) => r.instrument === 'spx')).toMatchObject({ held: 0, updated: 1 });
    expect(await store.heldQuotes('spx')).toEqual([]);
  });

  test('GIVEN a real crash (-20%, 1987) THEN it is stored at once when the next day stays down, else a fetch 30 min after its hold: never lost, at worst a fetch late', async () => {
    const clock = { now: NOW };
    const { store, market } = setup({}, clock);
    await market.backfill();
    // The crash on 2026-08-19, the next day's close a little further down: one fetch stores both.
    const crashed = SPX.map((p) => (p.date >= '2026-08-19' ? { date: p.date, value: Math.round(p.value! * 80) / 100 } : p));
    server.setSeries('^GSPC', crashed);
    const r = await market.syncDaily();
    expect(r.instruments.find((i) => i.instrument === 'spx')).toMatchObject({ held: 0, updated: 2 });
    expect((await store.closes('spx', '2026-08-19', '2026-08-20')).map((p) => p.value)).toEqual(crashed.slice(-3, -1).map((p) => p.value));

    // The crash on the last final day alone: held, then stored by the fetch 30 min on.
    server.setSeries('^GSPC', SPX);
    await market.syncDaily();
    const lastDay = SPX.map((p) => (p.date === '2026-08-20' ? { date: p.date, value: Math.round(p.value! * 80) / 100 } : p));
    server.setSeries('^GSPC', lastDay);
    expect((await market.syncDaily()).instruments.find((i) => i.instrument === 'spx')).toMatchObject({ held: 1 });
    clock.now = NOW + 30 * 60_000;
    expect((await market.syncDaily()).instruments.find((i) => i.instrument === 'spx')).toMatchObject({ held: 0, updated: 1 });
    expect((await store.closes('spx', '2026-08-20', '2026-08-20'))[0]?.value).toBe(lastDay.at(-2)!.value);
  });

  test('GIVEN a held jump that the source corrects within HOLD_CONFIRM_MINUTES (a bad print) THEN the corrected close is kept and the hold released', async () => {
    const clock = { now: NOW };
    const { store, market } = setup({}, clock);
    await market.backfill();
    server.setSeries(
      '^GSPC',
      SPX.map((p) => (p.date === '2026-08-20' ? { date: p.date, value: Math.round(p.value! * 125) / 100 } : p)),
    );
    expect((await market.syncDaily()).instruments.find((i) => i.instrument === 'spx')).toMatchObject({ held: 1 });
    server.setSeries('^GSPC', SPX);
    clock.now = NOW + 5 * 60_000;
    expect((await market.syncDaily()).instruments.find((i) => i.instrument === 'spx')).toMatchObject({ held: 0, updated: 0 });
    expect(await store.heldQuotes('spx')).toEqual([]);
    expect((await store.closes('spx', '2026-08-20', '2026-08-20'))[0]?.value).toBe(SPX.at(-2)!.value);
  });

  test('GIVEN a hold that no fetch confirmed for a month THEN it is dropped with a warning', async () => {
    const { store, market, log } = setup();
    await store.holdQuote('spx', '2026-07-01', 9999, 'yahoo');
    await store.holdQuote('spx', '2026-08-05', 9999, 'yahoo'); // outside this fetch, not yet expired
    await market.syncDaily();
    expect((await store.heldQuotes('spx')).map((h) => h.date)).toEqual(['2026-08-05']);
    expect(log.lines.some((l) => l.includes('spx 2026-07-01 9999 was held and never confirmed; dropped'))).toBe(true);
  });

  test('GIVEN a 20% gold jump that LBMA confirms THEN it is stored at once with its own source', async () => {
    const { store, market } = setup();
    await market.backfill();
    const up = (s: SeriesPoint[]) => s.map((p) => (p.date === '2026-08-20' ? { date: p.date, value: Math.round(p.value! * 120) / 100 } : p));
    server.setSeries('GC=F', up(GCF));
    server.setSeries('gold_pm', up(LBMA));
    const report = await market.syncDaily();
    expect(report.instruments.find((r) => r.instrument === 'gold')).toMatchObject({ source: 'yahoo', held: 0, updated: 1 });
    expect((await store.closes('gold', '2026-08-20', '2026-08-20'))[0]?.value).toBe(up(GCF).at(-2)!.value);
    expect(await store.heldQuotes('gold')).toEqual([]);
    expect(server.requestsTo('/json/gold_pm.json')).toHaveLength(1);
  });

  test('GIVEN GC=F a hundredth of itself for its last two days (a unit error that persists) and LBMA in line THEN LBMA’s prices are stored, each Yahoo price refused in a warning naming both, again at the next sync', async () => {
    const slip = GCF.map((p) => (p.date >= '2026-08-19' && p.value !== null ? { date: p.date, value: Math.round(p.value) / 100 } : p));
    server.setSeries('GC=F', slip);
    const { store, market, log } = setup();
    await market.backfill();
    const fix = (date: string) => LBMA.find((p) => p.date === date)!.value;
    const stored = async () => (await store.closes('gold', '2026-08-18', '2026-08-20')).map((p) => p.value);
    expect(await stored()).toEqual([GCF.find((p) => p.date === '2026-08-18')!.value, fix('2026-08-19'), fix('2026-08-20')]);
    expect(await store.heldQuotes('gold')).toEqual([]);
    const refused = () =>
      log.lines.filter((l) =>
        / WARN .*gold moved 99\.0% on 2026-08-(19|20) .*, more than 15%, where lbma has [\d.]+, in line with the closes before and stored instead \(from yahoo\); not stored$/.test(
          l,
        ),
      );
    expect(refused()).toHaveLength(2);

    // The next close run: Yahoo still says so; the days stay LBMA's, said again.
    const again = await market.syncDaily();
    expect(again.instruments.find((r) => r.instrument === 'gold')).toMatchObject({ ok: true, source: 'yahoo', rejected: 2, held: 0 });
    expect(await stored()).toEqual([GCF.find((p) => p.date === '2026-08-18')!.value, fix('2026-08-19'), fix('2026-08-20')]);
    expect(refused()).toHaveLength(4);
  });

  test('GIVEN GC=F at 0 one day and null the day before (refused, left out) THEN LBMA’s closes are stored for both, one warn line each; the next sync leaves them and asks LBMA nothing', async () => {
    server.setSeries(
      'GC=F',
      GCF.map((p) => (p.date === '2026-08-19' ? { date: p.date, value: 0 } : p.date === '2026-08-18' ? { date: p.date, value: null } : p)),
    );
    const { store, market, log } = setup();
    const first = await market.backfill();
    // The two days LBMA gave are counted apart from Yahoo's own, in the report and its log line.
    const yahooGold = finalDays(GCF).filter((p) => p.date !== '2026-08-18' && p.date !== '2026-08-19').length;
    expect(first.instruments.find((r) => r.instrument === 'gold')).toMatchObject({
      ok: true,
      source: 'yahoo',
      rejected: 1,
      held: 0,
      inserted: yahooGold,
      filled: { lbma: 2 },
    });
    expect(log.lines.filter((l) => / INFO .*gold \S+ from yahoo: \d+ rows, (\d+) new, 0 updated, 2 filled from lbma, 1 rejected$/.test(l))).toHaveLength(1);
    const fix = (date: string) => LBMA.find((p) => p.date === date)!.value;
    const stored = async () => (await store.closes('gold', '2026-08-17', '2026-08-20')).map((p) => p.value);
    const gcf = (date: string) => GCF.find((p) => p.date === date)!.value;
    expect(await stored()).toEqual([gcf('2026-08-17'), fix('2026-08-18'), fix('2026-08-19'), gcf('2026-08-20')]);
    expect((await store.sourceSpans('gold')).filter((s) => s.source === 'lbma')).toEqual([{ source: 'lbma', from: '2026-08-18', to: '2026-08-19' }]);
    const lines = (re: RegExp) => log.lines.filter((l) => re.test(l));
    expect(lines(/WARN .*gold price 0 is not positive, where lbma has [\d.]+, stored instead \(from yahoo\); not stored$/)).toHaveLength(1);
    expect(lines(/WARN .*gold 2026-08-18: yahoo has no gold price for that day; lbma has [\d.]+, stored instead$/)).toHaveLength(1);
    expect(warnLines(log.lines)).toHaveLength(2);

    const asked = server.requestsTo('/json/gold_pm.json').length;
    await market.syncDaily();
    expect(await stored()).toEqual([gcf('2026-08-17'), fix('2026-08-18'), fix('2026-08-19'), gcf('2026-08-20')]);
    expect(server.requestsTo('/json/gold_pm.json')).toHaveLength(asked);
  });

  test('GIVEN a bad row (negative) in a fetch THEN it is refused with a reason and the good rows are stored', async () => {
    server.setSeries(
      'QQQ',
      QQQ.map((p) => (p.date === '2026-08-19' ? { date: p.date, value: -710 } : p)),
    );
    const { store, market } = setup();
    const report = await market.syncDaily();
    const qqq = report.instruments.find((r) => r.instrument === 'qqq')!;
    expect(qqq).toMatchObject({ ok: true, rejected: 1 });
    expect(qqq.errors).toEqual(['qqq price -710 is not positive (from yahoo)']);
    expect(await store.closes('qqq', '2026-08-19', '2026-08-19')).toEqual([]);
    expect(await store.closes('qqq', '2026-08-20', '2026-08-20')).toHaveLength(1);
  });
});

describe('latest quotes and M2', () => {
  test('GIVEN live prices THEN fetchLatest stores them; M2 has none', async () => {
    server.setLatest('^GSPC', { price: 6466.91, timeMs: NOW - 60_000 });
    server.setLatest('QQQ', { price: 711.52, timeMs: NOW - 60_000 });
    server.setLatest('GC=F', { price: 3381.4, timeMs: NOW - 120_000 });
    const { store, market } = setup();
    const report = await market.fetchLatest(['spx', 'qqq', 'gold', 'm2']);
    expect(report.quotes.map((q) => [q.instrument, q.status])).toEqual([
      ['spx', 'stored'],
      ['qqq', 'stored'],
      ['gold', 'stored'],
      ['m2', 'unsupported'],
    ]);
    expect(report.ok).toBe(true);
    expect(await store.latestQuote('spx')).toEqual({ instrument: 'spx', price: 6466.91, asOf: NOW - 60_000, source: 'yahoo' });
    expect(await store.latestQuote('gold')).toMatchObject({ price: 3381.4, source: 'yahoo' });
  });

  test("GIVEN a crash close stored after the last live price THEN the next day's live price is weighed against that close, not the live price before the crash: stored, not held", async () => {
    const { store, market } = setup();
    // The last live price, Wednesday at noon New York; then Wednesday's close 22% lower (confirmed).
    await store.upsertCloses('spx', [{ date: '2026-08-18', close: 6400, source: 'yahoo' }]);
    await store.setLatestQuote('spx', { price: 6410, asOf: Date.parse('2026-08-19T16:00:00Z'), source: 'yahoo' });
    await store.upsertCloses('spx', [
      { date: '2026-08-19', close: 5000, source: 'yahoo' },
      { date: '2026-08-20', close: 4990, source: 'yahoo' },
    ]);
    server.setLatest('^GSPC', { price: 5010, timeMs: NOW - 60_000 });
    const q = (await market.fetchLatest(['spx'])).quotes[0];
    expect([q?.status, q?.error]).toEqual(['stored', undefined]);
    expect(await store.heldQuotes('spx')).toEqual([]);
    expect(await store.latestQuote('spx')).toMatchObject({ price: 5010 });
  });

  test('GIVEN a live S&P 500 25% above its last close (one source) THEN it is held; repeated 10 min later, or gone further up, still held from its first time; 30 min after the first hold it is stored', async () => {
    const own = await startQuoteServer();
    try {
      own.setSeries('^GSPC', SPX);
      const config = quoteServerConfig(own, { BACKFILL_FROM: '2026-08-03' });
      const db = openDatabase(writeDatabase(config.databasePath));
      cleanups.push(() => db.close());
      const store = new QuoteStore(onSqlite(db));
      const log = memoryLogger();
      const clock = { now: NOW };
      const market = createMarket(config, store, log, { now: () => clock.now, sleep: async () => {} });
      await market.backfill();
      const price = Math.round(SPX.at(-2)!.value! * 125) / 100;
      own.setLatest('^GSPC', { price, timeMs: NOW - 60_000 });
      expect((await market.fetchLatest(['spx'])).quotes[0]?.status).toBe('held');
      const hold = [{ date: '2026-08-21', price, source: 'yahoo', heldAt: new Date(NOW).toISOString() }];
      expect(await store.heldQuotes('spx')).toEqual(hold);

      clock.now = NOW + 10 * 60_000;
      own.setLatest('^GSPC', { price, timeMs: clock.now - 60_000 });
      const again = (await market.fetchLatest(['spx'])).quotes[0];
      expect(again?.status).toBe('held');
      expect(again?.error).toMatch(/, seen again 10 min after it was held, and a repeat confirms from 30 min on \(HOLD_CONFIRM_MINUTES\): still held$/);
      // The hold was said at its first fetch; the repeat is no news at warn.
      expect(log.lines.filter((l) => / WARN .*spx/.test(l))).toHaveLength(1);
      expect(await store.heldQuotes('spx')).toEqual(hold);
      expect(await store.latestQuote('spx')).toBeUndefined();

      // The move goes on (5% further up, no repeat): held at the new price, still timed from the first hold.
      clock.now = NOW + 20 * 60_000;
      const further = Math.round(price * 105) / 100;
      own.setLatest('^GSPC', { price: further, timeMs: clock.now - 60_000 });
      expect((await market.fetchLatest(['spx'])).quotes[0]?.status).toBe('held');
      expect(await store.heldQuotes('spx')).toEqual([{ ...hold[0], price: further }]);

      clock.now = NOW + 30 * 60_000;
      own.setLatest('^GSPC', { price: further, timeMs: clock.now - 60_000 });
      expect((await market.fetchLatest(['spx'])).quotes[0]?.status).toBe('stored');
      expect(await store.heldQuotes('spx')).toEqual([]);
      expect(await store.latestQuote('spx')).toMatchObject({ price: further });
    } finally {
      await own.close();
    }
  });

  test('GIVEN a live gold price a hundredth of itself, repeated at the next fetch, and Twelve Data in line THEN neither fetch stores it (ALERT_MODE=intraday decides on it): each refused naming both', async () => {
    const keyed = await startQuoteServer({ twelveDataApiKey: 't'.repeat(32) });
    const config = quoteServerConfig(keyed, { TWELVEDATA_API_KEY: 't'.repeat(32) });
    const db = openDatabase(writeDatabase(config.databasePath));
    cleanups.push(() => {
      db.close();
      void keyed.close();
    });
    const store = new QuoteStore(onSqlite(db));
    await store.upsertCloses('gold', [{ date: '2026-08-20', close: 3381.4, source: 'yahoo' }]);
    keyed.setSeries('GC=F', GCF);
    keyed.setSeries('XAU/USD', GCF);
    keyed.setLatest('GC=F', { price: 33.81, timeMs: NOW - 60_000 });
    keyed.setLatest('XAU/USD', { price: 3379.6, timeMs: NOW - 60_000 });
    const log = memoryLogger();
    const market = createMarket(config, store, log, { now: () => NOW, sleep: async () => {} });
    for (const _fetch of [1, 2]) {
      const report = await market.fetchLatest(['gold']);
      expect(report.quotes[0]).toMatchObject({ status: 'rejected', error: 'gold moved 99.0% (3381.4 → 33.81), more than 15%, and twelvedata has 3379.6 now' });
    }
    expect(await store.latestQuote('gold')).toBeUndefined();
    expect(await store.heldQuotes('gold')).toEqual([]);
  });

  test('GIVEN no source answering for a live price THEN it is reported failed and logged once, as one warning that says it is retried', async () => {
    server.fault('/v8/finance/chart/QQQ', { kind: 'html' });
    const { store, market, log } = setup();
    const report = await market.fetchLatest(['qqq']);
    expect(report.quotes[0]).toMatchObject({ status: 'failed', error: 'yahoo answered HTML instead of JSON for QQQ' });
    expect(report.ok).toBe(false);
    expect(warnLines(log.lines)).toEqual([
      expect.stringMatching(/ WARN .*latest qqq failed, will retry at the next run: yahoo answered HTML instead of JSON for QQQ$/),
    ]);
    expect(await store.latestQuote('qqq')).toBeUndefined();
  });

  test('GIVEN a stale live price THEN it is refused and nothing is stored', async () => {
    server.setLatest('QQQ', { price: 711.52, timeMs: NOW - 10 * 86_400_000 });
    const { store, market } = setup();
    const report = await market.fetchLatest(['qqq']);
    expect(report.quotes[0]).toMatchObject({ status: 'rejected', error: 'qqq quote from yahoo is stale (older than 7 days)' });
    expect(await store.latestQuote('qqq')).toBeUndefined();
  });

  test('GIVEN a FRED API key THEN syncM2 reads the JSON API', async () => {
    const { store, market } = setup({ FRED_API_KEY: 'k'.repeat(32) });
    const report = await market.syncM2();
    expect(report.instruments).toMatchObject([{ instrument: 'm2', ok: true, source: 'fred' }]);
    expect(await store.count('m2')).toBeGreaterThan(10);
    expect(server.requestsTo('/fred/series/observations')).toHaveLength(1);
    expect(server.requestsTo('/graph/fredgraph.csv')).toHaveLength(0);
  });

  test('GIVEN a FRED API call that is retried THEN no log line carries the key', async () => {
    const key = 'k'.repeat(32);
    server.fault('/fred/series/observations', { kind: 'status', status: 503 }, 1);
    const { market, log } = setup({ FRED_API_KEY: key });
    expect((await market.syncM2()).ok).toBe(true);
    expect(log.lines.some((l) => l.includes('fred answered 503 for M2SL; retry 1/2') && l.includes('api_key=***'))).toBe(true);
    expect(log.lines.filter((l) => l.includes(key))).toEqual([]);
  });

  test('GIVEN an aborted signal THEN nothing is fetched or stored', async () => {
    const { store, market } = setup();
    const ac = new AbortController();
    ac.abort();
    const report = await market.backfill(ac.signal);
    expect(report.ok).toBe(false);
    expect(server.requests).toHaveLength(0);
    expect(await store.count('spx')).toBe(0);
  });
});

describeWithHistory("backfill of the real gold file's repeated weekday rows", () => {
  test('GIVEN GC=F answering with gold_daily.csv since 2025-06 THEN every weekday row lands, and the report and the log line name the repeats, the shut days refused', async () => {
    const real = readFileSync(join(HISTORY_DIR, HISTORY_FILES.gold), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','))
      .filter(([d]) => d! >= FROM)
      .map(([date, close]) => ({ date: date!, value: Number(close) }));
    server.setSeries('GC=F', real);
    const { store, market, log } = setup();
    const report = await market.backfill();
    const gold = report.instruments.find((r) => r.instrument === 'gold')!;
    const landed = real.filter((p) => goldShutDay(p.date) === undefined);
    // What the file repeats, read from the file: each landed row equal to the landed row before it.
    const repeats = landed.flatMap((p, i) => (i > 0 && p.value === landed[i - 1]!.value ? [p.date] : []));
    expect(repeats).toEqual(expect.arrayContaining(['2026-01-20', '2026-01-28', '2026-02-17', '2026-02-18']));
    expect(repeats.length).toBeGreaterThanOrEqual(15);
    // The file (the LBMA fix) has no 2025-08-25, London's summer bank holiday, an NYSE trading day: LBMA
    // does not fix then, so it is not asked for it (the fake's series has every weekday) and nothing is
    // said of the day: the ratios carry the fix before, as the real LBMA file would make them.
    expect(landed.some((p) => p.date === '2025-08-25')).toBe(false);
    expect(log.lines.filter((l) => l.includes('2025-08-25'))).toEqual([]);
    expect(gold).toMatchObject({ ok: true, inserted: landed.length, rejected: real.length - landed.length });
    expect(gold.filled).toBeUndefined();
    expect(gold.repeated?.map((r) => r.date)).toEqual(repeats);
    // Spot gold moves thousands of cents a day: every repeat since 2025-06 weighs as carried.
    expect(gold.repeated?.every((r) => r.carried)).toBe(true);
    expect((await store.closes('gold')).map((p) => p.date)).toEqual(landed.map((p) => p.date));
    const said = log.lines.filter((l) => l.includes('the close before to the cent'));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(`gold ${FROM}..`);
    expect(said[0]).toContain(
      `${repeats.length} rows repeat the close before to the cent: ${repeats.length} (${repeats.slice(0, 5).join(', ')}, ..., ${repeats.at(-1)}) most likely carried forward over a missed day`,
    );
  });
});
