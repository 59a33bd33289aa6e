/**
 * ALERT_MODE=intraday: the quotes job's live ratio decides level breaks. A live ratio is today's
 * only when both of its quotes are: with the SPX source failing since Friday, Friday's last SPX
 * price over Monday's gold is no live ratio, and a break it seems to make ("SPX/Gold broke above
 * 2.5: now 2.579, Live ratio, 2026-11-23") is not sent. Real SQLite, the real market against the
 * quote-server fake, the real pipeline and dispatcher.
 */
import { afterEach, expect, test } from 'vitest';
import { join } from 'node:path';
import { onSqlite } from '../../src/store/engine.ts';
import { openDatabase } from '../../src/store/db.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { MarketView } from '../../src/store/market-view.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { DecisionStore } from '../../src/store/decisions.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { AlertPipeline } from '../../src/alerts/pipeline.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import { createMarket } from '../../src/market/market.ts';
import { createSteps } from '../../src/schedule/jobs.ts';
import { memoryLogger } from '../../src/log.ts';
import { quoteServerConfig, startQuoteServer, type QuoteServer } from '../fakes/quote-server.ts';
import { writeDatabase } from '../helpers/sqlite-image.ts';
import { RecordingNotifier } from '../helpers/recording.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

/** Friday 2026-11-20's close (SPX 4900, QQQ 490, gold 2000: SPX/Gold 2.45) decided, and its last live quotes stored. */
async function world(server: QuoteServer) {
  const config = quoteServerConfig(server, { ALERT_MODE: 'intraday', SOURCES_GOLD: 'yahoo', HTTP_RETRIES: '0' });
  const db = openDatabase(writeDatabase(join(server.tempDir(), 'g.db')));
  cleanups.push(() => db.close());
  const store = onSqlite(db);
  const quotes = new QuoteStore(store);
  const view = new MarketView(quotes);
  const subs = new SubscriptionStore(store, { approachPct: 0, lang: 'en' });
  await subs.upsert('telegram', '1');
  let now = Date.parse('2026-11-20T21:30:00Z');
  const pipeline = new AlertPipeline(new DecisionStore(store), subs, { approachPct: 0, hysteresisPct: 1, now: () => now });
  const n = new RecordingNotifier();
  const dispatcher = new Dispatcher(new OutboxStore(store), subs, { notifiers: [n], now: () => now });
  const log = memoryLogger('warn');
  const market = createMarket(config, quotes, log, { now: () => now, sleep: async () => {} });
  const steps = createSteps({ config, log, now: () => now, market, quotes, view, pipeline, dispatcher });
  for (const [i, close] of [
    ['spx', 4900],
    ['qqq', 490],
    ['gold', 2000],
  ] as const) {
    await quotes.upsertCloses(i, [{ date: '2026-11-20', close, source: 'yahoo' }]);
    await quotes.setLatestQuote(i, { price: close, asOf: Date.parse('2026-11-20T21:00:00Z'), source: 'yahoo' });
  }
  await pipeline.catchUp(await view.snapshot());
  return { n, steps, log, at: (iso: string) => (now = Date.parse(iso)) };
}

test('GIVEN the SPX and QQQ sources failing since Friday and gold falling on Monday THEN no break is decided from Friday’s prices over Monday’s gold; once SPX is live again, it is', async () => {
  const server = await startQuoteServer();
  cleanups.push(() => server.close());
  for (const [symbol, value] of [
    ['^GSPC', 4900],
    ['QQQ', 490],
    ['GC=F', 1900],
  ] as const)
    server.setSeries(symbol, [
      { date: '2026-11-20', value },
      { date: '2026-11-23', value },
    ]);
  const w = await world(server);
  // Monday 10:30 New York: SPX and QQQ cannot be fetched; gold is at 1900 (Friday's SPX over it: 2.579).
  const t = w.at('2026-11-23T15:30:00Z');
  server.fault('/v8/finance/chart/^GSPC', { kind: 'status', status: 500 });
  server.fault('/v8/finance/chart/QQQ', { kind: 'status', status: 500 });
  server.setLatest('GC=F', { price: 1900, timeMs: t - 60_000 });
  await w.steps.intraday(new AbortController().signal);
  expect(w.n.got).toEqual([]);
  // 10:35: SPX and QQQ are back, at 4900 and 490 (2.579 and 0.2579 over 1900): those live ratios break 2.5 and 0.25.
  const t2 = w.at('2026-11-23T15:35:00Z');
  server.clearFaults();
  server.setLatest('^GSPC', { price: 4900, timeMs: t2 - 60_000 });
  server.setLatest('QQQ', { price: 490, timeMs: t2 - 60_000 });
  server.setLatest('GC=F', { price: 1900, timeMs: t2 - 60_000 });
  await w.steps.intraday(new AbortController().signal);
  expect(w.n.got.map((d) => d.message.title)).toEqual(['SPX/Gold broke above 2.5: now 2.579', 'QQQ/Gold broke above 0.25: now 0.2579']);
});
