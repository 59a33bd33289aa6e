/**
 * The S&P 500's held close with a second source (Twelve Data, keyed): through the whole app against
 * the quote fake, on SQLite and PostgreSQL. The second source confirms a crash close (at the close run
 * when it has the day, else at the re-check), refuses a bad Yahoo print, and when it is down the
 * source's own repeat HOLD_CONFIRM_MINUTES on decides, as with one source; without a key it is skipped,
 * said in one line at the start.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { weekdays, type QuoteServer } from '../fakes/quote-server.ts';
import type { Cleanups } from '../helpers/app.ts';
import { describeWithPostgres, freshPgDatabase } from '../helpers/postgres.ts';
import { alerts, CLOSE_RUN, CRASH, MIN, mondayAt, recheckLines, recheckWorld, spxOn, trigger } from '../helpers/recheck-world.ts';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const TD_KEY = '0123456789abcdef0123456789abcdef';
/** What a message of the log says, as `LEVEL message`. */
const said = (lines: readonly string[]) => lines.map((l) => l.replace(/^\S+ (\w+) +\S+: /, '$1 '));

/** Twelve Data's SPX as Yahoo's before the crash: 5200 to Friday 2025-03-14, nothing of Monday yet. */
function twelveDataToFriday(server: QuoteServer): void {
  server.setSeries(
    'SPX',
    weekdays('2024-01-02', '2025-03-14').map((date) => ({ date, value: 5200 })),
  );
}

function suite(databaseUrl: () => Promise<string | undefined>) {
  const keyed = async () => {
    const w = await recheckWorld(cleanups, await databaseUrl(), { TWELVEDATA_API_KEY: TD_KEY }, { twelveDataApiKey: TD_KEY });
    twelveDataToFriday(w.server);
    return w;
  };

  test('GIVEN a -20% close that Twelve Data has too at the close run THEN it is stored and alerted by that run, no hold, no re-check', async () => {
    const { server, clock, start } = await keyed();
    const { app, log, out } = await start();
    mondayAt(server, CRASH);
    mondayAt(server, CRASH, 'SPX');
    clock.now = CLOSE_RUN;
    await trigger(app, 'close');
    expect(said(log.lines)).toContain('INFO spx 2025-03-17 4160 from yahoo confirmed by twelvedata (4160)');
    expect(await spxOn(app, '2025-03-17')).toBe(CRASH);
    expect(alerts(out)).toHaveLength(1);
    clock.now = CLOSE_RUN + 30 * MIN;
    await trigger(app, 'recheck');
    expect(recheckLines(log)).toEqual([]);
    expect(alerts(out)).toHaveLength(1);
  }, 60_000);

  test('GIVEN a -20% close held because Twelve Data has no Monday yet WHEN it has it at the re-check THEN Twelve Data confirms it: stored and alerted once', async () => {
    const { server, clock, start } = await keyed();
    const { app, log, out } = await start();
    mondayAt(server, CRASH);
    clock.now = CLOSE_RUN;
    await trigger(app, 'close');
    expect(await spxOn(app, '2025-03-17')).toBeUndefined();
    expect(alerts(out)).toEqual([]);
    mondayAt(server, CRASH, 'SPX');
    clock.now = CLOSE_RUN + 30 * MIN;
    await trigger(app, 'recheck');
    expect(said(log.lines)).toContain('INFO spx 2025-03-17 4160 from yahoo confirmed by twelvedata (4160)');
    expect(recheckLines(log).at(-1)).toMatch(/^INFO re-check of spx 2025-03-17 held at 4160 \(yahoo, 2025-03-17T21:30:00\.000Z\): confirmed, 4160 stored$/);
    expect(await spxOn(app, '2025-03-17')).toBe(CRASH);
    expect(alerts(out)).toHaveLength(1);
  }, 60_000);

  test("GIVEN a bad Yahoo print (-20%) that Twelve Data prices in line THEN it is refused at the close run, Twelve Data's close stored, nothing held, no alert", async () => {
    const { server, clock, start } = await keyed();
    const { app, log, out } = await start();
    mondayAt(server, CRASH);
    mondayAt(server, 5190, 'SPX');
    clock.now = CLOSE_RUN;
    await trigger(app, 'close');
    expect(said(log.lines)).toContain(
      'WARN spx moved 20.0% on 2025-03-17 (5200 → 4160), more than 15%, where twelvedata has 5190, in line with the closes before and stored instead (from yahoo); not stored',
    );
    expect(await spxOn(app, '2025-03-17')).toBe(5190);
    clock.now = CLOSE_RUN + 30 * MIN;
    await trigger(app, 'recheck');
    expect(recheckLines(log)).toEqual([]);
    expect(alerts(out)).toEqual([]);
  }, 60_000);

  test("GIVEN a bad Yahoo live price (-20%) that Twelve Data's /price disputes THEN it is refused, nothing stored nor held", async () => {
    const { server, clock, start } = await keyed();
    const { app, log, out } = await start();
    const live = Date.parse('2025-03-17T18:00:00Z');
    clock.now = live;
    server.setLatest('^GSPC', { price: CRASH, timeMs: live });
    server.setLatest('SPX', { price: 5190, timeMs: live });
    await trigger(app, 'quotes');
    expect(said(log.lines)).toContain('WARN spx moved 20.0% (5200 → 4160), more than 15%, and twelvedata has 5190 now; not stored');
    expect(log.lines.filter((l) => /held until confirmed/.test(l))).toEqual([]);
    clock.now = live + 30 * MIN;
    await trigger(app, 'recheck');
    expect(recheckLines(log)).toEqual([]);
    expect(alerts(out)).toEqual([]);
  }, 60_000);

  test("GIVEN Twelve Data down (its out-of-credits error with HTTP 200) THEN the -20% close is held, said, and Yahoo's repeat 30 min on confirms it, as with one source", async () => {
    const { server, clock, start } = await keyed();
    const { app, log, out } = await start();
    mondayAt(server, CRASH);
    mondayAt(server, CRASH, 'SPX');
    server.fault('/time_series', {
      kind: 'twelvedata-error',
      code: 429,
      message: 'You have run out of API credits for the current minute. 9 API credits were used, with the current limit being 8.',
    });
    clock.now = CLOSE_RUN;
    await trigger(app, 'close');
    expect(said(log.lines)).toContain(
      'WARN twelvedata waits until 21:31:00 UTC: it answered that its API credits of the minute have run out; the other sources are asked meanwhile',
    );
    // Said once: the confirmation it could not give is no second warning (credits.ts).
    expect(said(log.lines).filter((l) => l.startsWith('WARN could not confirm'))).toEqual([]);
    expect(await spxOn(app, '2025-03-17')).toBeUndefined();
    clock.now = CLOSE_RUN + 30 * MIN;
    await trigger(app, 'recheck');
    expect(recheckLines(log).at(-1)).toMatch(/^INFO re-check of spx 2025-03-17 held at 4160 .*: confirmed, 4160 stored$/);
    expect(log.lines.filter((l) => / confirmed by twelvedata/.test(l))).toEqual([]);
    expect(alerts(out)).toHaveLength(1);
  }, 60_000);

  test('GIVEN no key THEN Twelve Data and FRED are skipped, said in one info line at the start, and never asked: the -20% close waits for its own repeat', async () => {
    const { server, clock, start } = await recheckWorld(cleanups, await databaseUrl(), {}, { twelveDataApiKey: TD_KEY });
    twelveDataToFriday(server);
    const { app, log, out } = await start();
    expect(said(log.lines).filter((l) => l.includes('skipped'))).toEqual([
      'INFO quote sources skipped: twelvedata needs TWELVEDATA_API_KEY; fred needs FRED_API_KEY for spx (SP500)',
    ]);
    mondayAt(server, CRASH);
    mondayAt(server, CRASH, 'SPX');
    clock.now = CLOSE_RUN;
    await trigger(app, 'close');
    expect(await spxOn(app, '2025-03-17')).toBeUndefined();
    clock.now = CLOSE_RUN + 30 * MIN;
    await trigger(app, 'recheck');
    expect(await spxOn(app, '2025-03-17')).toBe(CRASH);
    expect(alerts(out)).toHaveLength(1);
    expect(server.requestsTo('/time_series')).toEqual([]);
    expect(server.requestsTo('/price')).toEqual([]);
    expect(server.requestsTo('/fred/series/observations')).toEqual([]);
  }, 60_000);
}

describe('a held S&P 500 close with a second source (sqlite)', () => {
  suite(async () => undefined);
});
describeWithPostgres('a held S&P 500 close with a second source (postgres)', () => {
  suite(async () => {
    const pg = await freshPgDatabase({ migrated: true });
    cleanups.push(() => pg.drop());
    return pg.url;
  });
});
