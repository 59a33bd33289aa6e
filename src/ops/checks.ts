/**
 * What main.ts feeds the metrics and the readiness checks: read from the store when asked (a scrape,
 * a /readyz), never kept up to date in between.
 */
import { INSTRUMENT_INFO, PAIR_IDS, type InstrumentId } from '../domain/instruments.ts';
import { closeAgeMs } from '../domain/close-age.ts';
import { dateInZone, daysBetween } from '../domain/dates.ts';
import { isMarketOpen } from '../domain/nyse-calendar.ts';
import { goldGap } from '../domain/gold-gap.ts';
import type { MarketView } from '../store/market-view.ts';
import { LIVE_QUOTE_MAX_AGE_MS } from '../domain/ratio.ts';
import type { OutboxStore } from '../store/outbox.ts';
import type { StoreDb } from '../store/engine.ts';
import { webhookStates } from '../store/webhooks.ts';
import type { QuoteStore } from '../store/quotes.ts';
import type { MetricSources } from './metrics.ts';
import type { Readiness, ReadinessCheck } from './readiness.ts';
import { oneInFlight } from './bound.ts';

const DAILY: readonly InstrumentId[] = ['spx', 'qqq', 'gold'];

/**
 * `readiness`: holding the quotes' freshness check (quotesFresh), read for goldratio_quotes_stale as
 * /freshz reads it. A scrape asks each store read once (the gauges are collected side by side, and
 * concurrent scrapes share what is in flight: bound.ts oneInFlight): the data version (the closes
 * only when it changed), the outbox's depth, the webhooks' states (given `store`: 2 queries) and the freshness checks: 4 queries, not the whole
 * readiness (the platforms' checks, read by no gauge).
 */
export function metricSources(view: MarketView, outbox: OutboxStore, now: () => number, readiness?: Readiness, store?: StoreDb): MetricSources {
  const snapshot = oneInFlight(() => view.snapshot());
  return {
    // From the view's snapshot: a scrape reads the data version, and the closes only when they changed.
    closeAgeSeconds: async () => {
      const snap = await snapshot();
      return (Object.keys(INSTRUMENT_INFO) as InstrumentId[]).flatMap((instrument) => {
        const last = snap.lastClose(instrument);
        // Since the price was set (the New York close, 13:00 on an early close; gold's when its source set it), as `status`,
        // `ratio` and /ratio count it: not since midnight UTC.
        return last === undefined ? [] : [{ instrument, seconds: closeAgeMs(last.date, now(), { instrument, source: last.source }) / 1000 }];
      });
    },
    ratios: async () => {
      const snap = await snapshot();
      return PAIR_IDS.flatMap((pair) => {
        const last = snap.ratio(pair).at(-1);
        return last === undefined ? [] : [{ pair, value: last.value }];
      });
    },
    outboxDepth: oneInFlight(() => outbox.pendingByPlatform()),
    ...(store === undefined ? {} : { webhookStates: oneInFlight(() => webhookStates(store)) }),
    ...(readiness === undefined
      ? {}
      : {
          quotesStale: async () => {
            // The freshness checks and what they read through (the database), not the platforms'.
            const { fresh, staleness, freshUnknown } = await readiness.evaluate({ freshnessOnly: true });
            // /freshz's 503 for the database (deleted, replaced, disk full, PostgreSQL lost) is no answer
            // about the quotes: unknown, left empty, not 0 ("fresh") read from what the process still holds.
            if (freshUnknown) throw new Error(staleness.join('; '));
            return !fresh;
          },
        }),
  };
}

/**
 * A `freshness` check (readiness.ts): its reasons are /readyz's warnings and /freshz's 503, never
 * /readyz's 503. Quotes are fresh enough for their schedule: each daily close no older than the instrument's
 * staleAfterDays (weekends and holidays fit), and while the market is open, once the process has
 * been up long enough to have fetched, a live SPX/QQQ quote younger than LIVE_QUOTE_MAX_AGE_MS.
 */
export function quotesFresh(quotes: QuoteStore, view: MarketView, now: () => number, startedAt: number): ReadinessCheck {
  return {
    name: 'quotes',
    dependsOn: 'database',
    kind: 'freshness',
    async check() {
      const snap = await view.snapshot();
      const today = dateInZone(new Date(now()), 'America/New_York');
      const stale: string[] = [];
      for (const i of [...DAILY, 'm2' as const]) {
        const last = snap.lastClose(i);
        // M2 is monthly: its last value is a month (2026-06, as `goldratio status` says), not a close.
        const monthly = INSTRUMENT_INFO[i].frequency === 'monthly';
        if (last === undefined) stale.push(`${i} has no ${monthly ? 'month' : 'close'}`);
        else if (daysBetween(last.date, today) > INSTRUMENT_INFO[i].staleAfterDays)
          stale.push(`${i} last ${monthly ? `month ${last.date.slice(0, 7)}` : `close ${last.date}`} is older than ${INSTRUMENT_INFO[i].staleAfterDays} days`);
      }
      // Gold's last price too old to stand in for the stocks' latest close: that day has no ratio,
      // so no break can be decided on it, though no series is past its staleAfterDays yet.
      const gap = goldGap(
        snap.lastClose('gold')?.date,
        (['spx', 'qqq'] as const).map((i) => snap.lastClose(i)?.date),
      );
      if (gap !== undefined && !gap.carried && daysBetween(gap.gold, today) <= INSTRUMENT_INFO.gold.staleAfterDays)
        stale.push(`gold last price ${gap.gold} is too old to stand in for the stocks' close of ${gap.date}: the ratios have no value for that day`);
      if (isMarketOpen(new Date(now())) && now() - startedAt > LIVE_QUOTE_MAX_AGE_MS) {
        for (const i of ['spx', 'qqq'] as const) {
          const q = await quotes.latestQuote(i);
          if (q === undefined || now() - q.asOf > LIVE_QUOTE_MAX_AGE_MS)
            stale.push(`${i} live quote older than ${LIVE_QUOTE_MAX_AGE_MS / 60_000} min during market hours`);
        }
      }
      return stale.length === 0 ? undefined : stale.join('; ');
    },
  };
}
