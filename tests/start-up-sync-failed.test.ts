/**
 * What the first history sync's failure says comes next. With replicas on PostgreSQL a database
 * that went away (a restart) usually ends the lead too, and whichever replica leads next syncs at
 * its lead's start: "will retry at the next close run, in 54.5 h" alone read as two days without
 * history where it was seconds (ops24, on the real bin). On one process, or another failure, the
 * next close run is what comes. The real StartUp over real SQLite stores; the close step fails as
 * the pg driver does when its connection dies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { AlertPipeline } from '../src/alerts/pipeline.ts';
import { ChartService } from '../src/charts/service.ts';
import { loadConfig } from '../src/config.ts';
import { memoryLogger } from '../src/log.ts';
import { uncountedMetrics } from '../src/ops/no-metrics.ts';
import { StartUp } from '../src/start-up.ts';
import { openDatabase } from '../src/store/db.ts';
import { DecisionStore } from '../src/store/decisions.ts';
import { onSqlite } from '../src/store/engine.ts';
import { MarketView } from '../src/store/market-view.ts';
import { MetaStore } from '../src/store/meta.ts';
import { QuoteStore } from '../src/store/quotes.ts';
import { SubscriptionStore } from '../src/store/subscriptions.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The warnings' text the first sync's failure leaves, on a store of its own, with `env` for the config. */
async function failedSync(env: Record<string, string>, failure: Error): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-sync-failed-'));
  dirs.push(dir);
  const db = openDatabase(join(dir, 'g.db'));
  try {
    const store = onSqlite(db);
    const config = loadConfig({ DATA_DIR: dir, CHART_WARMUP: 'off', ...env });
    const log = memoryLogger('warn');
    const quotes = new QuoteStore(store);
    const view = new MarketView(quotes);
    const subs = new SubscriptionStore(store, { approachPct: config.approachPct, lang: config.defaultLang });
    const startUp = new StartUp(
      {
        config,
        log,
        now: () => Date.parse('2026-12-08T02:00:00Z'),
        quotes,
        view,
        subs,
        meta: new MetaStore(store),
        pipeline: new AlertPipeline(new DecisionStore(store), subs, { approachPct: 3, hysteresisPct: 1, cooldownDays: 14, log }),
        charts: new ChartService(view),
        metrics: uncountedMetrics(),
      },
      { initialSync: true },
    );
    await startUp.run(async () => {
      throw failure;
    });
    return log.records.filter((r) => r.level === 'warn' && String(r.msg).includes('initial sync')).map((r) => String(r.msg));
  } finally {
    db.close();
  }
}

const dead = () => new Error('Connection terminated unexpectedly');

test('GIVEN replicas on PostgreSQL and the database gone during the first sync THEN the line says a replica taking the lead runs it at once, else the next close run', async () => {
  const lines = await failedSync({ DATABASE_URL: 'postgres://goldratio:pw@db.example:5432/goldratio' }, dead());
  expect(lines).toEqual([
    expect.stringMatching(
      /^initial sync failed, the database unreachable: Connection terminated unexpectedly; it runs again as soon as a replica takes the lead \(a restart of the database ends this one's\), else at the next close run, \d{4}-\d\d-\d\dT[\d:.]+Z \(in [\d.]+ h\)$/,
    ),
  ]);
});

test('GIVEN one process on SQLite, or replicas and another failure THEN the next close run, as before', async () => {
  const next = /^initial sync failed, will retry at the next close run, \d{4}-\d\d-\d\dT[\d:.]+Z \(in [\d.]+ h\): /;
  expect(await failedSync({}, dead())).toEqual([expect.stringMatching(next)]);
  expect(await failedSync({ DATABASE_URL: 'postgres://goldratio:pw@db.example:5432/goldratio' }, new Error('a source answered HTML'))).toEqual([
    expect.stringMatching(new RegExp(`${next.source}a source answered HTML$`)),
  ]);
});
