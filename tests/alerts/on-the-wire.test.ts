/**
 * The dispatcher's side of a stop that waits for the sends on the wire (main.ts, service-stack.ts):
 * what it says is on the wire and for how long at most, that a stop taking nothing more also starts
 * no further part of a message (the rest goes from the next start, nothing twice), and that a
 * platform busy with a slow send holds up no other platform's next drain.
 */
import { afterEach, expect, test } from 'vitest';
import { Dispatcher, RECORD_GRACE_MS } from '../../src/alerts/dispatcher.ts';
import type { Delivery, Notifier, SendResult } from '../../src/alerts/notifier.ts';
import type { Platform } from '../../src/domain/platform.ts';
import { CROSS_UP_ALERT, outboxOnFile } from '../helpers/outbox-file.ts';
import { eventually } from '../helpers/eventually.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanups.splice(0)) f();
});

const open = () => outboxOnFile('goldratio-on-the-wire-', cleanups);

const ALERT = CROSS_UP_ALERT;

/** A notifier of `parts` parts per message whose every call the test answers (`answer()`), each recorded as `chat#part`. */
function heldNotifier(platform: Platform, parts: number, callTimeoutMs?: number) {
  const calls: string[] = [];
  const waiting: (() => void)[] = [];
  let off: string | undefined;
  const n: Notifier & { calls: string[]; answer(): void; turnOff(why: string | undefined): void } = {
    platform,
    ratePerSecond: 1000,
    ...(callTimeoutMs !== undefined ? { callTimeoutMs } : {}),
    calls,
    off: () => off,
    turnOff: (why) => (off = why),
    answer: () => {
      for (const w of waiting.splice(0)) w();
    },
    async send(d: Delivery): Promise<SendResult> {
      for (let i = d.fromPart; i < parts; i++) {
        calls.push(`${d.chatId}#${i}`);
        await new Promise<void>((r) => waiting.push(r));
        if (i < parts - 1) await d.partSent(i);
      }
      return { kind: 'sent' };
    },
  };
  return n;
}

test('GIVEN a send on the wire with a 15 s call bound THEN onTheWire counts it for at most its bound and the record grace; an answered one is off the wire, one without a bound is never waited for', async () => {
  const { subs, outbox } = open();
  const a = (await subs.upsert('webhook', 'wh_a'))!.id;
  const b = (await subs.upsert('console', 'console'))!.id;
  await outbox.enqueue('alert', ALERT, [a, b], { nowMs: Date.now() });
  const bounded = heldNotifier('webhook', 1, 15_000);
  const unbounded = heldNotifier('console', 1);
  const d = new Dispatcher(outbox, subs, { notifiers: [bounded, unbounded] });
  expect(d.onTheWire()).toEqual({ sends: 0, forMs: 0 });
  const drained = d.drain();
  await eventually(() => bounded.calls.length === 1 && unbounded.calls.length === 1);
  const wire = d.onTheWire();
  expect(wire.sends).toBe(1);
  expect(wire.forMs).toBeGreaterThan(15_000 + RECORD_GRACE_MS - 1000);
  expect(wire.forMs).toBeLessThanOrEqual(15_000 + RECORD_GRACE_MS);
  bounded.answer();
  unbounded.answer();
  expect(await drained).toMatchObject({ sent: 2 });
  expect(d.onTheWire()).toEqual({ sends: 0, forMs: 0 });
});

test('GIVEN a three-part message on the wire WHEN the dispatcher stops taking THEN the part on the wire finishes and is stored, no further part starts, and the next start sends the rest from there: each part once', async () => {
  const { db, subs, outbox } = open();
  const id = (await subs.upsert('webhook', 'wh_parts'))!.id;
  await outbox.enqueue('alert', ALERT, [id], { nowMs: Date.now() });
  const n = heldNotifier('webhook', 3, 10_000);
  const d = new Dispatcher(outbox, subs, { notifiers: [n] });
  const drained = d.drain();
  await eventually(() => n.calls.length === 1);
  n.answer();
  await eventually(() => n.calls.length === 2);
  d.stopTaking();
  n.answer();
  await drained;
  await d.settled();
  expect(n.calls).toEqual(['wh_parts#0', 'wh_parts#1']);
  expect(db.prepare('SELECT status, parts_sent FROM outbox').get()).toEqual({ status: 'pending', parts_sent: 2 });

  // The next start: the last part alone.
  const next = heldNotifier('webhook', 3, 10_000);
  const again = new Dispatcher(outbox, subs, { notifiers: [next] });
  const resumed = again.drain();
  await eventually(() => next.calls.length === 1);
  next.answer();
  expect(await resumed).toMatchObject({ sent: 1 });
  expect(next.calls).toEqual(['wh_parts#2']);
  expect(db.prepare('SELECT status FROM outbox').get()).toEqual({ status: 'sent' });
});

test('GIVEN a webhook send held and Telegram not yet up when a drain starts THEN a drain once Telegram is up sends its message at once, while the webhook is still on the wire', async () => {
  const { subs, outbox } = open();
  const hook = (await subs.upsert('webhook', 'wh_slow'))!.id;
  const chat = (await subs.upsert('telegram', '5001'))!.id;
  await outbox.enqueue('alert', ALERT, [hook, chat], { nowMs: Date.now() });
  const slow = heldNotifier('webhook', 1, 10_000);
  const tg = heldNotifier('telegram', 1, 15_000);
  tg.turnOff('not up yet');
  const d = new Dispatcher(outbox, subs, { notifiers: [slow, tg] });
  const first = d.drain();
  await eventually(() => slow.calls.length === 1);
  tg.turnOff(undefined);
  const second = d.drain();
  await eventually(() => tg.calls.length === 1);
  tg.answer();
  expect(await second).toMatchObject({ sent: 1 });
  expect(slow.calls).toEqual(['wh_slow#0']);
  slow.answer();
  expect(await first).toMatchObject({ sent: 1 });
});
