/**
 * Issue 3's figures: a tick with 100,000 subscriptions and no event (deciding must not touch
 * subscriptions), one event fanned out to 100,000 chats (event + outbox rows, one transaction),
 * and the dispatcher's own cost per row (console notifier writing nowhere). With
 * GOLDRATIO_BENCH_PG_URL (a server whose user may create a database), the tick and the fan-out
 * again on PostgreSQL (issue 17: < 1 ms, < 1.5 s), on a copy of the same 100,000 subscriptions in a
 * database made for the run and dropped after it.
 */
import { onSqlite } from '../src/store/engine.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/store/db.ts';
import { SubscriptionStore } from '../src/store/subscriptions.ts';
import { AlertPipeline } from '../src/alerts/pipeline.ts';
import { Dispatcher } from '../src/alerts/dispatcher.ts';
import { OutboxStore } from '../src/store/outbox.ts';
import { DecisionStore } from '../src/store/decisions.ts';
import { ConsoleNotifier } from '../src/platforms/console/notifier.ts';
import { measureAsync, report } from './_util.ts';
import { onPostgres } from '../src/store/engine.ts';
import { PG_URL, pgCopy } from './_pg.ts';

/** The tick and fan-out figures on one engine's DecisionStore (the subscriptions' caches read from `subs`, the same rows). */
async function tickAndFanOut(engine: string, decisions: DecisionStore, subs: SubscriptionStore): Promise<number> {
  const pipeline = new AlertPipeline(decisions, subs, { approachPct: 3, hysteresisPct: 1 });
  // Start far from every essay level and from every custom level's approach band.
  await pipeline.tick('qqq-gold', { date: '2024-01-02', value: 0.15 }, 'close');
  const quiet = [0.1501, 0.1499, 0.1502, 0.1498];
  let k = 0;
  const noEvent = await measureAsync(500, async () => {
    const r = await pipeline.tick('qqq-gold', { date: '2024-01-03', value: quiet[k++ % quiet.length]! }, 'intraday');
    if (r.events.length > 0) throw new Error('bench bug: the quiet tick fired an event');
  });
  report(`${engine}: tick, ${SUBS.toLocaleString('en-US')} subscriptions, no event (median of 500)`, noEvent.median, '< 1 ms');
  report('  slowest of those 500', noEvent.max);
  // Each of these crosses qqq-gold 0.25 one way or the other: an event every chat with QQQ takes.
  const crossings = [0.27, 0.23, 0.27];
  const fan: number[] = [];
  let queued = 0;
  for (const [i, v] of crossings.entries()) {
    const t0 = performance.now();
    const r = await pipeline.tick('qqq-gold', { date: `2024-02-0${i + 1}`, value: v }, 'close');
    fan.push(performance.now() - t0);
    queued = r.queued;
    if (r.events.length !== 1) throw new Error(`bench bug: expected one event, got ${r.events.length}`);
  }
  fan.sort((a, b) => a - b);
  report(`${engine}: one event fanned out to ${queued.toLocaleString('en-US')} chats (median of 3)`, fan[1]!, engine === 'postgres' ? '< 1.5 s' : '< 1 s');
  return queued;
}

const SUBS = 100_000;
const dir = mkdtempSync(join(tmpdir(), 'goldratio-bench-alerts-'));
try {
  const db = openDatabase(join(dir, 'alerts.db'));
  const subs = new SubscriptionStore(onSqlite(db), { approachPct: 3, lang: 'en' });
  let t0 = performance.now();
  // One transaction for the whole setup (each upsert nests in it as a savepoint).
  db.exec('BEGIN IMMEDIATE');
  for (let i = 0; i < SUBS; i++) {
    // Like a real crowd: most take the defaults, some add a custom level (50 distinct values),
    // some pick their own approach %.
    const patch =
      i % 10 === 0
        ? { customLevels: [{ pair: 'spx-gold' as const, value: 1 + (i % 50) / 20 }] }
        : i % 20 === 1
          ? { approachPct: 5, lang: 'zh-TW' as const }
          : {};
    await subs.upsert(i % 3 === 0 ? 'discord' : 'telegram', `chat-${i}`, patch);
  }
  db.exec('COMMIT');
  report(`setup: ${SUBS.toLocaleString('en-US')} subscriptions written`, performance.now() - t0);

  // The same subscriptions on PostgreSQL, copied before SQLite's figures change them.
  const onPg = PG_URL === undefined ? undefined : await pgCopy(PG_URL, db, 'alerts');
  await tickAndFanOut('sqlite', new DecisionStore(onSqlite(db)), subs);
  const pipeline = new AlertPipeline(new DecisionStore(onSqlite(db)), subs, { approachPct: 3, hysteresisPct: 1 });

  // The dispatcher's own cost per row: 10,000 console sends that go nowhere.
  db.prepare("UPDATE outbox SET status = 'sent' WHERE status = 'pending'").run();
  db.exec('BEGIN IMMEDIATE');
  for (let i = 0; i < 10_000; i++) await subs.upsert('console', `c-${i}`, { pairs: ['spx-gold'] });
  db.exec('COMMIT');
  await pipeline.tick('spx-gold', { date: '2024-02-01', value: 2.0 }, 'close');
  const r = await pipeline.tick('spx-gold', { date: '2024-02-02', value: 2.6 }, 'close');
  // The console notifier paces itself at 1000/s: wrap it without a pace to see the dispatcher itself.
  const silent = new ConsoleNotifier({ out: () => {} });
  const unpaced = { platform: 'console' as const, ratePerSecond: 1e9, send: silent.send.bind(silent) };
  t0 = performance.now();
  const drained = await new Dispatcher(new OutboxStore(onSqlite(db)), subs, { notifiers: [unpaced], concurrency: 8 }).drain();
  const ms = performance.now() - t0;
  report(`dispatcher: ${drained.sent.toLocaleString('en-US')} console sends of one event (of ${r.queued.toLocaleString('en-US')} rows queued)`, ms);
  report('  per row', ms / Math.max(1, drained.sent));
  if (onPg === undefined) process.stdout.write('postgres: skipped (set GOLDRATIO_BENCH_PG_URL)\n');
  else {
    try {
      await tickAndFanOut('postgres', new DecisionStore(onPostgres(onPg.store)), subs);
    } finally {
      await onPg.drop();
    }
  }
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
