/**
 * A stop running out of time (start's STOP_TIMEOUT_SECONDS; main.ts calls stopTaking halfway
 * through it): no new send starts, and the sends already on the wire finish and are recorded. The
 * process that then ends leaves no chat that got the message while the outbox still says pending,
 * which the next start would send again.
 */
import { afterEach, expect, test } from 'vitest';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import { RecordingNotifier } from '../helpers/recording.ts';
import { signalHolds } from '../helpers/signal-holds.ts';
import { CROSS_UP_ALERT, outboxOnFile } from '../helpers/outbox-file.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanups.splice(0)) f();
});

const open = () => outboxOnFile('goldratio-stop-taking-', cleanups);

const ALERT = CROSS_UP_ALERT;

test('GIVEN 40 chats and a platform answering each send after 150 ms WHEN the dispatcher is told to stop taking mid-broadcast THEN no send starts after it, and every chat that got the alert is recorded as sent', async () => {
  const { db, subs, outbox } = open();
  const ids = await Promise.all(Array.from({ length: 40 }, async (_, i) => (await subs.upsert('telegram', String(1000 + i)))!.id));
  await outbox.enqueue('alert', ALERT, ids, { nowMs: Date.now() });

  const startedAfterHalt: string[] = [];
  let halted = false;
  const n = new RecordingNotifier({
    script: (d) => {
      if (halted) startedAfterHalt.push(d.chatId);
      return new Promise((resolve) => setTimeout(() => resolve({ kind: 'sent' }), 150));
    },
  });
  const dispatcher = new Dispatcher(outbox, subs, { notifiers: [n], concurrency: 4 });
  const drained = dispatcher.drain();
  await new Promise((r) => setTimeout(r, 400));
  halted = true;
  dispatcher.stopTaking();
  await drained;
  await dispatcher.settled();
  // A drain asked for after it takes nothing either (the SQLite process's last drain in its stop).
  await dispatcher.drain();

  expect(startedAfterHalt).toEqual([]);
  const got = new Set(n.got.map((d) => d.chatId));
  expect(got.size).toBeGreaterThan(0);
  expect(got.size).toBeLessThan(40);
  const rows = db.prepare('select s.chat_id, o.status from outbox o join subscriptions s on s.id = o.subscription_id').all() as {
    chat_id: string;
    status: string;
  }[];
  const sent = rows.filter((r) => r.status === 'sent').map((r) => r.chat_id);
  expect(new Set(sent)).toEqual(got);
  expect(rows.filter((r) => r.status === 'pending')).toHaveLength(40 - got.size);
});

test('GIVEN one long-lived signal WHEN the dispatcher drains with it 200 times, rows due or not THEN the signal holds nothing of those drains after them (a drain every 10 s for months leaks nothing), and aborting it still stops a drain', async () => {
  const { subs, outbox } = open();
  const id = (await subs.upsert('telegram', '2000'))!.id;
  const n = new RecordingNotifier({ script: () => ({ kind: 'sent' }) });
  const dispatcher = new Dispatcher(outbox, subs, { notifiers: [n], concurrency: 4 });
  const outer = new AbortController();
  for (let i = 0; i < 200; i++) {
    if (i % 2 === 0) await outbox.enqueue('alert', ALERT, [id], { nowMs: Date.now() });
    await dispatcher.drain(outer.signal);
  }
  expect(n.got).toHaveLength(100);
  expect(signalHolds(outer.signal)).toBe(0);

  await outbox.enqueue('alert', ALERT, [id], { nowMs: Date.now() });
  outer.abort();
  await dispatcher.drain(outer.signal);
  expect(n.got).toHaveLength(100);
});
