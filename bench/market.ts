/**
 * Market figures: parsing a 27-year Yahoo chart, validating it, and a full backfill (spx, qqq, gold
 * from 1999 plus M2) through real undici against the local fake quote server into a temp SQLite file.
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/store/db.ts';
import { QuoteStore } from '../src/store/quotes.ts';
import { onSqlite } from '../src/store/engine.ts';
import { createLogger } from '../src/log.ts';
import { createMarket } from '../src/market/market.ts';
import { parseYahooChart } from '../src/market/yahoo.ts';
import { validateSeries } from '../src/domain/acceptance.ts';
import { isTradingDay } from '../src/domain/nyse-calendar.ts';
import { story } from '../src/domain/story.ts';
import { MarketView } from '../src/store/market-view.ts';
import { monthStarts, quoteServerConfig, startQuoteServer, walk, weekdays } from '../tests/fakes/quote-server.ts';
import { measure, report } from './_util.ts';

const NOW = Date.parse('2026-08-21T22:00:00Z');
const days = weekdays('1999-03-10', '2026-08-21');
const server = await startQuoteServer();
// No S&P 500 or QQQ close on an NYSE holiday (goldratio refuses one); gold trades on them.
const trading = days.filter(isTradingDay);
server.setSeries('^GSPC', walk(trading, 1296, 1));
server.setSeries('QQQ', walk(trading, 102, 2));
server.setSeries('GC=F', walk(days, 287, 3));
server.setSeries('M2SL', walk(monthStarts('1999-01-01', '2026-07-01'), 4400, 4));

// One chart body as Yahoo would send it for the whole range.
const res = await fetch(`${server.url}/v8/finance/chart/%5EGSPC?interval=1d&period1=0&period2=1900000000`);
const body = await res.text();
const answer = { status: 200, contentType: 'application/json', body };
const req = { source: 'yahoo', symbol: '^GSPC' };
process.stdout.write(`chart body: ${days.length} bars, ${(body.length / 1024).toFixed(0)} KiB\n`);
report(`parseYahooChart, ${days.length} bars (median of 20)`, measure(20, () => parseYahooChart(answer, req)).median);
const rows = parseYahooChart(answer, req).bars.map((b) => ({ date: b.date, close: b.close, source: 'yahoo' }));
report(
  `validateSeries, ${rows.length} rows (median of 20)`,
  measure(20, () =>
    validateSeries(rows, {
      instrument: 'spx',
      today: '2026-08-21',
      nowMs: Date.parse('2026-08-21T22:00:00Z'),
      previous: undefined,
      held: new Map(),
      maxMovePct: 15,
    }),
  ).median,
);

const config = quoteServerConfig(server, {});
const db = openDatabase(config.databasePath);
const store = new QuoteStore(onSqlite(db));
const market = createMarket(config, store, createLogger('warn'), { now: () => NOW, sleep: async () => {} });
let t0 = performance.now();
const first = await market.backfill();
const total = first.instruments.reduce((n, r) => n + r.inserted, 0);
report(`backfill from empty: ${total} rows, 4 requests, into SQLite`, performance.now() - t0, '< 5 s');
t0 = performance.now();
const second = await market.backfill();
report(`backfill again (only the overlap): ${second.instruments.reduce((n, r) => n + r.fetched, 0)} rows fetched`, performance.now() - t0);
t0 = performance.now();
await market.syncDaily();
report('syncDaily (3 requests, ~7 rows each)', performance.now() - t0);

// The story told from the closes: every level of both pairs over 27 years (store/story-view.ts caches it per data version).
const view = new MarketView(store);
const series = { 'spx-gold': await view.ratio('spx-gold'), 'qqq-gold': await view.ratio('qqq-gold') };
report(
  `story from the closes, ${series['spx-gold'].length} + ${series['qqq-gold'].length} daily ratios (median of 20)`,
  measure(20, () => story(series, { approachPct: 3 })).median,
);

db.close();
rmSync(dirname(config.databasePath), { recursive: true, force: true });
await server.close();
