/**
 * Issue 18's engine figures: a daily close decided with move watches (per DISTINCT watch: the same
 * cost with 10 chats or 100,000), one move fanned out to every chat that asked for it, and quiet
 * hours in the dispatcher (holding a night's alerts, then one summary per chat).
 */
import { onPostgres, onSqlite } from '../src/store/engine.ts';
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
import { MoveStore } from '../src/store/moves.ts';
import { QuietStore } from '../src/store/quiet.ts';
import { MAX_MOVE_DAYS, type MoveSpec } from '../src/domain/moves.ts';
import type { Point } from '../src/domain/series.ts';
import type { Delivery, Notifier, SendResult } from '../src/alerts/notifier.ts';
import { alertMessage } from '../src/domain/alert-message.ts';
import { report, walkRows } from './_util.ts';
import { PG_URL, pgCopy } from './_pg.ts';

const watches = (spans: readonly number[]): MoveSpec[] => [5, 10, 15].flatMap((pct) => spans.map((days) => ({ pair: 'spx-gold' as const, pct, days })));
const DISTINCT = watches([5, 20, 60]);
/** The same count of watches over a year to the longest span a move takes: a check compares two closes, whatever their distance. */
const LONG = watches([252, 756, MAX_MOVE_DAYS]);
// Enough closes for the longest span before the ticks timed (from `start`), and 900 ticks after it.
const start = MAX_MOVE_DAYS + 40;
const closes: Point[] = walkRows('2015-01-01', start + 900, 1.5, 7).map((r) => ({ date: r.date, value: r.close }));

/** Close ticks over the walk with `chats` chats holding the distinct move watches: the median tick without and with a move event. */
async function closeTicks(
  chats: number,
  distinct: readonly MoveSpec[] = DISTINCT,
): Promise<{ quiet: number; withEvent: number; events: number; queued: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-bench-reach-'));
  try {
    const db = openDatabase(join(dir, 'reach.db'));
    const subs = new SubscriptionStore(onSqlite(db), { approachPct: 0, lang: 'en' });
    const moves = new MoveStore(onSqlite(db));
    // One transaction for the whole setup (each store call nests in it as a savepoint).
    db.exec('BEGIN IMMEDIATE');
    for (let i = 0; i < chats; i++) {
      const sub = await subs.upsert('telegram', `chat-${i}`, { pairs: ['qqq-gold'] });
      for (let k = 0; k < 3; k++) await moves.add(sub.id, distinct[(i + k * 4) % distinct.length]!, 5, 1);
    }
    db.exec('COMMIT');
    const pipeline = new AlertPipeline(new DecisionStore(onSqlite(db)), subs, { approachPct: 0, hysteresisPct: 1, cooldownDays: 14 });
    // The 300 closes before the timed ticks decided first, as before the longer spans (the ticks still see every close their spans need).
    await pipeline.catchUp({ ratio: (p) => (p === 'spx-gold' ? closes.slice(start - 300, start) : []) });
    let i = start;
    let events = 0;
    let queued = 0;
    const still: number[] = [];
    const fired: number[] = [];
    for (; i < closes.length; i++) {
      const t0 = performance.now();
      const r = await pipeline.tick('spx-gold', closes[i]!, 'close', closes.slice(Math.max(0, i - MAX_MOVE_DAYS - 1), i + 1));
      ((r.moves?.length ?? 0) > 0 ? fired : still).push(performance.now() - t0);
      events += r.moves?.length ?? 0;
      queued += r.queued;
    }
    db.close();
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
    return { quiet: median(still), withEvent: median(fired), events, queued };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const chats of [10, 20_000]) {
  const r = await closeTicks(chats);
  report(`close tick, 9 distinct move watches, ${chats.toLocaleString('en-US')} chats, no move (median)`, r.quiet);
  report(`  a close with a move: ${Math.round(r.queued / Math.max(1, r.events)).toLocaleString('en-US')} rows per move (median)`, r.withEvent);
}
{
  const r = await closeTicks(10, LONG);
  report(`close tick, 9 distinct move watches of 252 to ${MAX_MOVE_DAYS} trading days, 10 chats, no move (median)`, r.quiet);
}

class Silent implements Notifier {
  readonly platform = 'telegram' as const;
  readonly ratePerSecond = 1e9;
  sent = 0;
  async send(d: Delivery): Promise<SendResult> {
    this.sent++;
    await d.partSent(0);
    return { kind: 'sent' };
  }
}

// Quiet hours: 10,000 quiet chats, 3 alerts each at night → held; after the window, one summary each.
const dir = mkdtempSync(join(tmpdir(), 'goldratio-bench-quiet-'));
try {
  const db = openDatabase(join(dir, 'quiet.db'));
  const subs = new SubscriptionStore(onSqlite(db), { approachPct: 3, lang: 'en' });
  const outbox = new OutboxStore(onSqlite(db));
  const quiet = new QuietStore(onSqlite(db));
  const CHATS = 10_000;
  const ids: number[] = [];
  db.exec('BEGIN IMMEDIATE');
  for (let i = 0; i < CHATS; i++) {
    const sub = await subs.upsert('telegram', `q-${i}`);
    await quiet.set(sub.id, { start: '23:00', end: '07:00', zone: 'Asia/Taipei' }, 0);
    ids.push(sub.id);
  }
  db.exec('COMMIT');
  const clock = { now: Date.parse('2026-11-23T16:00:00Z') };
  const tg = new Silent();
  const dispatcher = new Dispatcher(outbox, subs, { notifiers: [tg], quiet, now: () => clock.now, concurrency: 8 });
  let held = 0;
  let t0 = performance.now();
  for (const v of [2.49, 2.45, 2.4]) {
    await outbox.enqueue(
      'alert',
      alertMessage({
        date: '2026-11-23',
        pair: 'spx-gold',
        levelId: 'spx-gold-2.5',
        kind: 'cross-down',
        direction: 'down',
        value: v,
        levelValue: 2.5,
        basis: 'close',
      }),
      ids,
      { nowMs: clock.now++ },
    );
    held += (await dispatcher.drain()).held ?? 0;
  }
  const holdMs = performance.now() - t0;
  report(`holding ${held.toLocaleString('en-US')} alert rows for quiet chats (3 drains)`, holdMs);
  report('  per held row', holdMs / Math.max(1, held));
  clock.now = Date.parse('2026-11-23T23:00:00Z');
  // The same held rows on PostgreSQL, here and 1 ms away each way (taken before SQLite's release).
  const onPg = PG_URL === undefined ? undefined : await pgCopy(PG_URL, db, 'quiet');
  const farPg = PG_URL === undefined ? undefined : await pgCopy(PG_URL, db, 'quiet_far', { msEachWay: 1 });
  t0 = performance.now();
  const released = await quiet.release('telegram', clock.now);
  const releaseMs = performance.now() - t0;
  report(`release: ${released.chats.toLocaleString('en-US')} summaries of ${released.merged.toLocaleString('en-US')} held rows`, releaseMs);
  report('  per chat', releaseMs / Math.max(1, released.chats));
  t0 = performance.now();
  await dispatcher.drain();
  report(`dispatcher: ${tg.sent.toLocaleString('en-US')} summaries sent (silent notifier)`, performance.now() - t0);
  for (const [what, copy] of [
    ['PostgreSQL', onPg],
    ['PostgreSQL 1 ms away each way', farPg],
  ] as const) {
    if (copy === undefined) continue;
    try {
      t0 = performance.now();
      const r = await new QuietStore(onPostgres(copy.store)).release('telegram', clock.now);
      const ms = performance.now() - t0;
      report(`${what}: release, ${r.chats.toLocaleString('en-US')} summaries of ${r.merged.toLocaleString('en-US')} held rows`, ms);
      report('  per chat', ms / Math.max(1, r.chats));
    } finally {
      await copy.drop();
    }
  }
  if (PG_URL === undefined) process.stdout.write('PostgreSQL: skipped (set GOLDRATIO_BENCH_PG_URL)\n');
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
