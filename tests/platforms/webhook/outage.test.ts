/**
 * A receiver's ordinary outage: a deploy gone wrong, a night's maintenance, a laptop asleep. Its
 * messages wait in order and all arrive once it answers; the hook is given up only when its oldest
 * message has failed a whole day (domain/retry-span.ts), 429s included. Time is the test's clock:
 * the dispatcher and notifier read it, the receiver is real.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { onSqlite } from '../../../src/store/engine.ts';
import { OutboxStore } from '../../../src/store/outbox.ts';
import { givenUpAt, nextTry, WEBHOOK_RETRY_SPAN } from '../../../src/domain/retry-span.ts';
import { seedEvent } from '../../helpers/telegram-harness.ts';
import { hookWorld, TestClock, type HookWorld } from '../../helpers/webhook-world.ts';
import type { Received } from '../../fakes/webhook-receiver.ts';
import { runCliInProcess } from '../../helpers/cli.ts';
import { quietSummary } from '../../../src/domain/quiet-summary.ts';
import { openDatabase } from '../../../src/store/db.ts';
import { WebhookNotifier } from '../../../src/platforms/webhook/notifier.ts';
import { WebhookStore } from '../../../src/store/webhooks.ts';
import { Dispatcher } from '../../../src/alerts/dispatcher.ts';
import { SubscriptionStore } from '../../../src/store/subscriptions.ts';

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

let w: HookWorld;
beforeEach(async () => {
  w = await hookWorld();
});
afterEach(async () => {
  await w.close();
});

const title = (r: Received): string => (JSON.parse(r.body.toString('utf8')) as { title: string }).title;
const delivery = (r: Received): string => String(r.headers['x-goldratio-delivery']);
const rows = (id: string) =>
  w.world.db.prepare('SELECT status, attempts, next_at, failing_since FROM outbox WHERE chat_id = ? ORDER BY id').all(id) as {
    status: string;
    attempts: number;
    next_at: number;
    failing_since: number | null;
  }[];

describe('the retry span', () => {
  test.each([
    ['the first failure', 0, undefined, { giveUp: false, at: 5 * S }],
    ['a failure 5 s later', 5 * S, undefined, { giveUp: false, at: 5 * MIN }],
    ['a try that came late (the bot was stopped 3 h)', 3 * H + 7 * MIN, undefined, { giveUp: false, at: 4 * H }],
    ['a failure at 20 h', 20 * H, undefined, { giveUp: false, at: 24 * H }],
    ['a failure at the span’s end', 24 * H, undefined, { giveUp: true, failingMs: 24 * H }],
    ['a 429 asking 10 s', 2 * H, 10 * S, { giveUp: false, at: 2 * H + 10 * S }],
    ['a 429 asking 0 s', 2 * H, 0, { giveUp: false, at: 2 * H + 5 * S }],
    ['a 429 asking a month', 2 * H, 30 * 24 * H, { giveUp: false, at: 3 * H }],
    ['a 429 asking an hour, 10 min before the end', 24 * H - 10 * MIN, H, { giveUp: false, at: 24 * H }],
    ['a 429 at the span’s end', 24 * H + 1, 10 * S, { giveUp: true, failingMs: 24 * H + 1 }],
  ])('GIVEN %s (at %d ms, Retry-After %s ms) THEN %j', (_, at, afterMs, expected) => {
    expect(nextTry(WEBHOOK_RETRY_SPAN, 0, at, afterMs)).toEqual(expected);
  });

  test.each([
    ['due on time at 4 h', 4 * H, 3 * H, 24 * H],
    ['due at 4 h, the bot stopped until 10 h', 4 * H, 10 * H, 24 * H],
    ['due at 4 h, the bot stopped until 30 h', 4 * H, 30 * H, 31 * H],
    ['due at 24 h, asked 30 min after (a slow drain, within the hour)', 24 * H, 24 * H + 30 * MIN, 24 * H + 30 * MIN],
    ['the one more try due at 31 h', 31 * H, 30 * H, 31 * H],
  ])('GIVEN a message %s THEN `webhook list` says it is given up at the moment its last try fails', (_, due, now, expected) => {
    expect(givenUpAt(WEBHOOK_RETRY_SPAN, 0, due, now)).toBe(expected);
  });

  test.each([
    ['due at 20 h, tried at 30 h (goldratio stopped meanwhile)', 20 * H, 30 * H, { giveUp: false, at: 31 * H }],
    ['due at 31 h, tried then', 31 * H, 31 * H + 2 * S, { giveUp: true, failingMs: 31 * H + 2 * S }],
    ['due at 24 h, tried 50 min late (a slow drain)', 24 * H, 24 * H + 50 * MIN, { giveUp: true, failingMs: 24 * H + 50 * MIN }],
    // The one more try comes once: drains 3 h apart (CRON_DISPATCH) make every try late, and the span still ends.
    ['due at 31 h (the one more try), tried at 33 h', 31 * H, 33 * H, { giveUp: true, failingMs: 33 * H }],
  ])('GIVEN a failure past the end %s THEN %j: a receiver not tried meanwhile gets one more try an hour later', (_, due, at, expected) => {
    expect(nextTry(WEBHOOK_RETRY_SPAN, 0, at, undefined, due)).toEqual(expected);
  });
});

/** The moment of a POST on the test's clock: its Standard Webhooks timestamp, in ms. */
const sentAt = (r: Received): number => Number(r.headers['webhook-timestamp']) * 1000;

/**
 * Runs the bot's drains on the clock until `endMs`: at each moment that matters (a row's next try,
 * an alert decided, a change of the receiver) the clock moves there and the dispatcher drains.
 */
async function live(
  d: ReturnType<HookWorld['dispatcher']>,
  clock: TestClock,
  endMs: number,
  moments: ReadonlyMap<number, () => Promise<void> | void>,
): Promise<void> {
  for (;;) {
    await d.drain();
    await d.settled();
    const next = w.world.db.prepare("SELECT min(next_at) t FROM outbox WHERE status = 'pending' AND next_at > ?").get(clock.ms) as { t: number | null };
    const due = [next.t ?? Number.POSITIVE_INFINITY, ...[...moments.keys()].filter((m) => m > clock.ms)];
    const at = Math.min(...due);
    if (at > endMs) return;
    clock.ms = at;
    await moments.get(at)?.();
  }
}

describe('a receiver down for hours', () => {
  test('GIVEN the receiver down 3 hours while alerts come THEN they wait in order, and all arrive once, in order, once it answers; the late ones say "then"', async () => {
    const { id } = await w.add('/rx');
    w.rx.answers.set('/rx', { status: 503, body: 'maintenance' });
    const clock = new TestClock(Date.parse('2026-11-17T21:05:00Z'));
    const t0 = clock.ms;
    const d = w.dispatcher(w.notifier({ now: clock.now }), 1, clock.now);
    const alert = () => seedEvent(w.world, [{ platform: 'webhook', chatId: id }], clock.ms).then(() => undefined);
    // Alerts decided before and during the outage, and one after it ended (while the first waits for its next try).
    const moments = new Map<number, () => Promise<void> | void>([
      [t0 + 20 * MIN, alert],
      [t0 + H, alert],
      [t0 + 2 * H + 30 * MIN, alert],
      [t0 + 3 * H, () => void w.rx.answers.set('/rx', { status: 204 })],
      [t0 + 3 * H + 50 * MIN, alert],
    ]);
    await alert();
    await live(d, clock, t0 + 6 * H, moments);
    const during = w.rx.at('/rx').filter((r) => sentAt(r) < t0 + 3 * H);
    // While it was down only the first alert was tried, on the schedule: the others waited behind it.
    expect(during.map(delivery)).toEqual(during.map(() => delivery(during[0]!)));
    expect(during.map((r) => sentAt(r) - t0)).toEqual([0, 5 * S, 5 * MIN, 30 * MIN, H, 2 * H]);
    // Its next try, 4 h after the first failure, took it; the four behind it followed at once, in order, each once.
    const after = w.rx.at('/rx').filter((r) => sentAt(r) >= t0 + 3 * H);
    expect(after.map((r) => sentAt(r) - t0)).toEqual([4 * H, 4 * H, 4 * H, 4 * H, 4 * H]);
    const messageIds = (w.world.db.prepare('SELECT message_id FROM outbox WHERE chat_id = ? ORDER BY id').all(id) as { message_id: number }[]).map(
      (r) => `${r.message_id}.${id}`,
    );
    expect(after.map(delivery)).toEqual(messageIds);
    // Decided 4 h, 3 h 40, 3 h and 1 h 30 before: their value then; the last, 10 min old, still "now".
    expect(after.map(title)).toEqual([
      'SPX/Gold fell below 2.5: then 1.830',
      'SPX/Gold fell below 2.5: then 1.830',
      'SPX/Gold fell below 2.5: then 1.830',
      'SPX/Gold fell below 2.5: then 1.830',
      'SPX/Gold fell below 2.5: now 1.830',
    ]);
    expect(rows(id).map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
    expect((await w.world.deps.subs.get('webhook', id))?.active).toBe(true);
    expect((await w.cli('webhook', 'list')).stdout).not.toMatch(/RETRYING/);
  });

  test('GIVEN a restart in the middle of an outage THEN the schedule goes on from the first failure: not started again, not lost', async () => {
    const { id } = await w.add('/rx');
    w.rx.answers.set('/rx', { status: 500 });
    const clock = new TestClock(Date.parse('2026-11-17T21:05:00Z'));
    const t0 = clock.ms;
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0);
    const before = w.dispatcher(w.notifier({ now: clock.now }), 1, clock.now);
    await live(before, clock, t0 + 5 * MIN, new Map());
    expect(w.rx.at('/rx').map((r) => sentAt(r) - t0)).toEqual([0, 5 * S, 5 * MIN]);
    expect(rows(id)).toEqual([{ status: 'pending', attempts: 3, next_at: t0 + 30 * MIN, failing_since: t0 }]);
    // The process stops; another starts 5 minutes later on the same file, with a connection of its own.
    const db = openDatabase(w.world.config.databasePath);
    try {
      clock.ms = t0 + 10 * MIN;
      const notifier = new WebhookNotifier({ store: new WebhookStore(onSqlite(db)), log: w.world.log, rate: 1000, timeoutMs: 5000, now: clock.now });
      const after = new Dispatcher(new OutboxStore(onSqlite(db)), new SubscriptionStore(onSqlite(db), { approachPct: 1, lang: 'en' }), {
        notifiers: [notifier],
        now: clock.now,
      });
      // Nothing at the start: the next try is the schedule's, 30 min after the first failure, not 5 s after the restart.
      expect(await after.drain()).toMatchObject({ sent: 0, retried: 0 });
      await live(after, clock, t0 + 23 * H, new Map());
      expect(w.rx.at('/rx').map((r) => sentAt(r) - t0)).toEqual([0, 5 * S, 5 * MIN, 30 * MIN, H, 2 * H, 4 * H, 8 * H, 12 * H, 16 * H, 20 * H]);
      expect(rows(id)[0]).toMatchObject({ status: 'pending', next_at: t0 + 24 * H, failing_since: t0 });
      // A day after the first failure, not after the restart: given up, and the hook deactivated.
      await live(after, clock, t0 + 24 * H, new Map());
      expect(rows(id)[0]?.status).toBe('dead');
      expect((await w.world.deps.subs.get('webhook', id))?.deactivatedReason).toBe(
        `gone: failing for 24 h since ${new Date(t0).toISOString()}; last: HTTP 500`,
      );
    } finally {
      db.close();
    }
  });

  test('GIVEN goldratio stopped for longer than the rest of the span THEN its first try back does not give the hook up: one more try an hour later does', async () => {
    const { id } = await w.add('/rx');
    w.rx.answers.set('/rx', { status: 500 });
    const clock = new TestClock(Date.parse('2026-11-17T21:05:00Z'));
    const t0 = clock.ms;
    const d = w.dispatcher(w.notifier({ now: clock.now }), 1, clock.now);
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0);
    await live(d, clock, t0 + 2 * H, new Map());
    // Stopped from 2 h to 30 h: the tries due at 4 h … 24 h never happened.
    clock.ms = t0 + 30 * H;
    const env = { DATABASE_PATH: w.world.config.databasePath, DATA_DIR: w.world.config.dataDir };
    const iso = (ms: number) => new Date(t0 + ms).toISOString();
    // Still stopped, `webhook list` counts the one more try the late one gets: given up at 31 h, not at 24 h, already past.
    expect((await runCliInProcess(['webhook', 'list'], env, { nowMs: clock.ms })).stdout).toContain(
      `next try due since ${iso(4 * H)} (the bot sends it when it runs); still failing at ${iso(31 * H)}, it is given up and the hook deactivated`,
    );
    await d.drain();
    expect(rows(id)[0]).toMatchObject({ status: 'pending', next_at: t0 + 31 * H, failing_since: t0 });
    const listed = await runCliInProcess(['webhook', 'list', '--json'], env, { nowMs: clock.ms });
    expect(JSON.parse(listed.stdout)).toMatchObject([{ nextTryAt: iso(31 * H), deactivatedIfFailingAt: iso(31 * H) }]);
    expect((await w.world.deps.subs.get('webhook', id))?.active).toBe(true);
    await live(d, clock, t0 + 31 * H, new Map());
    expect(rows(id)[0]?.status).toBe('dead');
    expect(w.rx.at('/rx').map((r) => sentAt(r) - t0)).toEqual([0, 5 * S, 5 * MIN, 30 * MIN, H, 2 * H, 30 * H, 31 * H]);
    expect((await w.world.deps.subs.get('webhook', id))?.deactivatedReason).toBe(`gone: failing for 31 h since ${new Date(t0).toISOString()}; last: HTTP 500`);
  });

  test('GIVEN a receiver back before the next try WHEN `webhook test` passes THEN the message it kept failing is due at once, and the others follow', async () => {
    const { id } = await w.add('/rx');
    w.rx.answers.set('/rx', { status: 502 });
    const clock = new TestClock(Date.parse('2026-11-17T21:05:00Z'));
    const t0 = clock.ms;
    const d = w.dispatcher(w.notifier({ now: clock.now }), 1, clock.now);
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0);
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0 + MIN);
    await live(d, clock, t0 + 2 * H + 10 * MIN, new Map());
    expect(rows(id)[0]).toMatchObject({ next_at: t0 + 4 * H });
    w.rx.answers.set('/rx', { status: 204 });
    const env = { DATABASE_PATH: w.world.config.databasePath, DATA_DIR: w.world.config.dataDir };
    const tested = await runCliInProcess(['webhook', 'test', id], env, { nowMs: clock.ms });
    expect(tested.code, tested.stderr).toBe(0);
    expect(tested.stdout).toContain(
      `webhook ${id}: its message failing since ${new Date(t0).toISOString()} is due again now (the bot's next dispatch sends it, then the 1 waiting behind it)`,
    );
    expect(await d.drain()).toMatchObject({ sent: 2 });
    expect(rows(id).map((r) => r.status)).toEqual(['sent', 'sent']);
  });
});

describe('a receiver answering 429 for good', () => {
  test('GIVEN 429 with Retry-After on every try THEN its wait is honoured, within the same day: then the hook is deactivated and the message behind it given up unsent', async () => {
    const { id } = await w.add('/busy');
    w.rx.answers.set('/busy', { status: 429, headers: { 'retry-after': '600' } });
    const clock = new TestClock(Date.parse('2026-11-17T21:05:00Z'));
    const t0 = clock.ms;
    const d = w.dispatcher(w.notifier({ now: clock.now }), 1, clock.now);
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0);
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], t0 + MIN);
    await live(d, clock, t0 + 48 * H, new Map());
    const tries = w.rx.at('/busy');
    // Every 10 minutes, as asked, for a day: 145 tries of the first message, none of the second.
    expect(tries.map((r) => sentAt(r) - t0)).toEqual(Array.from({ length: 145 }, (_, i) => i * 10 * MIN));
    expect(new Set(tries.map(delivery)).size).toBe(1);
    expect(rows(id).map((r) => r.status)).toEqual(['dead', 'dead']);
    const sub = await w.world.deps.subs.get('webhook', id);
    expect(sub?.active).toBe(false);
    expect(sub?.deactivatedReason).toBe(`gone: failing for 24 h since ${new Date(t0).toISOString()}; last: HTTP 429 Too Many Requests`);
  });
});

describe('a message in parts', () => {
  test('GIVEN a receiver failing 20 h that then takes a part and fails the next THEN the span starts again at that failure: the hook is not given up at 24 h, and the rest goes out once it answers', async () => {
    const { id } = await w.add('/slack', '--format', 'slack');
    const sub = await w.world.deps.subs.get('webhook', id);
    const start = Date.UTC(2026, 10, 23, 16, 0);
    // A quiet-hours summary of 200 alerts: more than one Slack message holds, so several POSTs.
    const summary = quietSummary(
      Array.from({ length: 200 }, (_, i) => ({
        message: { title: `Alert number ${i + 1}: SPX/Gold closed below 2.5`, lines: ['detail'] },
        decidedAt: start + i * 60_000,
      })),
      'Asia/Taipei',
    );
    await new OutboxStore(onSqlite(w.world.db)).enqueue('alert', summary, [sub!.id]);
    w.rx.answers.set('/slack', { status: 503 });
    const clock = new TestClock(Date.parse('2026-11-24T01:00:00Z'));
    const t0 = clock.ms;
    const d = w.dispatcher(w.notifier({ now: clock.now }), 1, clock.now);
    // At its 20 h try the receiver takes the first part, then fails the second.
    await live(d, clock, t0 + 20 * H, new Map([[t0 + 20 * H - 1, () => void w.rx.queued.set('/slack', [{ status: 200 }])]]));
    // The schedule's eleven tries to 20 h (0, 5 s, 5 min … 16 h, 20 h), the last of them two POSTs.
    expect(w.rx.at('/slack')).toHaveLength(12);
    expect(rows(id)[0]).toMatchObject({ status: 'pending', failing_since: t0 + 20 * H, next_at: t0 + 20 * H + 5 * S });
    // Past the first failure's day: still tried, the hook still on.
    await live(d, clock, t0 + 26 * H, new Map());
    expect(rows(id)[0]?.status).toBe('pending');
    expect((await w.world.deps.subs.get('webhook', id))?.active).toBe(true);
    w.rx.answers.set('/slack', { status: 200 });
    await live(d, clock, t0 + 30 * H, new Map());
    expect(rows(id)[0]?.status).toBe('sent');
  });
});

describe('one alert to several hooks, late', () => {
  test('GIVEN an alert 2 h late to two hooks, one resuming after a part went out THEN the other still says "then": each chat reads its own words', async () => {
    const a = await w.add('/a');
    const b = await w.add('/b');
    const clock = new TestClock(Date.parse('2026-11-17T21:05:00Z'));
    const t0 = clock.ms;
    await seedEvent(
      w.world,
      [
        { platform: 'webhook', chatId: a.id },
        { platform: 'webhook', chatId: b.id },
      ],
      t0,
    );
    // Hook a's send was cut short after its first part (a crash): it resumes, as its first part began ("now").
    const [rowA] = w.world.db.prepare('SELECT id FROM outbox WHERE chat_id = ?').all(a.id) as { id: number }[];
    await new OutboxStore(onSqlite(w.world.db)).markPartsSent(rowA!.id, 1, 'en');
    clock.ms = t0 + 2 * H;
    const d = w.dispatcher(w.notifier({ now: clock.now }), 1, clock.now);
    await d.drain();
    await d.settled();
    // Hook b's whole message goes out 2 h after it was decided: its value then.
    expect(w.rx.at('/b').map(title)).toEqual(['SPX/Gold fell below 2.5: then 1.830']);
    expect(rows(b.id).map((r) => r.status)).toEqual(['sent']);
  });
});
