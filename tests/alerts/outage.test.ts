import { afterEach, describe, expect, test } from 'vitest';
import type { OutboxStore } from '../../src/store/outbox.ts';
import { Dispatcher, OUTAGE_MAX_WAIT_MS, OUTAGE_SPAN_MS } from '../../src/alerts/dispatcher.ts';
import type { SendResult } from '../../src/alerts/notifier.ts';
import type { Message } from '../../src/domain/message.ts';
import { RecordingNotifier } from '../helpers/recording.ts';
import { outboxOnFile } from '../helpers/outbox-file.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanups.splice(0)) f();
});

const open = () => outboxOnFile('goldratio-outage-', cleanups);

const ALERT: Message = { title: 'SPX/Gold broke above 2.5', lines: ['2.510 on 2026-11-24'] };
const H = 3_600_000;

/** A platform down until `upAt` (the clock's ms), answering `down` meanwhile. */
function platform(clock: { now: number }, upAt: number, down: SendResult): RecordingNotifier {
  return new RecordingNotifier({ script: () => (clock.now < upAt ? down : { kind: 'sent' }) });
}

/** Drains at each row's due time until nothing is pending or `until`; returns the send times. */
async function runUntil(d: Dispatcher, outbox: OutboxStore, clock: { now: number }, until: number, ids: number[]): Promise<void> {
  while (clock.now < until && (await d.pending()) > 0) {
    await d.drain();
    const next = Math.min(...(await Promise.all(ids.map(async (id) => outbox.row(id)))).filter((r) => r?.status === 'pending').map((r) => r!.nextAt));
    if (!Number.isFinite(next)) return;
    clock.now = Math.max(clock.now + 1, next);
  }
}

describe('an outage of the platform', () => {
  test('GIVEN Telegram unreachable for three hours THEN every alert is sent once it answers, no attempt spent, tries doubling to a 10-minute cap', async () => {
    const { subs, outbox } = open();
    const chats = await Promise.all(['1', '2', '3'].map(async (c) => (await subs.upsert('telegram', c)).id));
    const clock = { now: 1_000_000_000 };
    const start = clock.now;
    const n = platform(clock, start + 3 * H, { kind: 'retry', reason: 'Network request failed', outage: true });
    await outbox.enqueue('alert', ALERT, chats, { nowMs: clock.now });
    const d = new Dispatcher(outbox, subs, { notifiers: [n], now: () => clock.now, concurrency: 1 });
    const rows = (await outbox.due('telegram', Number.MAX_SAFE_INTEGER, 10)).map((r) => r.id);
    await runUntil(d, outbox, clock, start + 5 * H, rows);
    expect(await d.pending()).toBe(0);
    const stored = await Promise.all(rows.map((id) => outbox.row(id)));
    // One attempt each: the one that went through (the outage's tries spent none).
    expect(stored.map((r) => [r!.status, r!.attempts])).toEqual([
      ['sent', 1],
      ['sent', 1],
      ['sent', 1],
    ]);
    // Each chat got it once, within the cap of the platform's return.
    const sends = n.got.filter((_, i) => i >= n.got.length - 3).map((g) => g.chatId);
    expect(sends.sort()).toEqual(['1', '2', '3']);
    expect(clock.now - (start + 3 * H)).toBeLessThanOrEqual(OUTAGE_MAX_WAIT_MS);
    // The waits grew: 5 s, 5 s, 10 s, 20 s … not ten tries within 43 minutes, nor every 5 s for three hours.
    const triesOfOne = n.got.filter((g) => g.chatId === '1').length;
    expect(triesOfOne).toBeGreaterThan(10);
    expect(triesOfOne).toBeLessThan(40);
  });

  test('GIVEN a 502 from Discord for a day THEN the message is given up then (the channel kept), not after ten tries', async () => {
    const { subs, outbox } = open();
    const chat = await subs.upsert('discord', '700000000000000001');
    const clock = { now: 2_000_000_000 };
    const start = clock.now;
    const n = new RecordingNotifier({ platform: 'discord', script: () => ({ kind: 'retry', reason: '502 Bad Gateway', outage: true }) });
    await outbox.enqueue('alert', ALERT, [chat.id], { nowMs: clock.now });
    const d = new Dispatcher(outbox, subs, { notifiers: [n], now: () => clock.now });
    const [row] = (await outbox.due('discord', Number.MAX_SAFE_INTEGER, 10)).map((r) => r.id);
    await runUntil(d, outbox, clock, start + 2 * OUTAGE_SPAN_MS, [row!]);
    const stored = await outbox.row(row!);
    // The give-up is its one attempt counted.
    expect(stored).toMatchObject({ status: 'dead', attempts: 1 });
    expect(stored!.lastError).toMatch(/^gave up: the platform failed for 24 h since .*; last: 502 Bad Gateway$/);
    expect(clock.now - start).toBeGreaterThanOrEqual(OUTAGE_SPAN_MS);
    expect(clock.now - start).toBeLessThanOrEqual(OUTAGE_SPAN_MS + OUTAGE_MAX_WAIT_MS);
    // The channel keeps its alerts: its next one is queued.
    expect((await subs.get('discord', '700000000000000001'))?.active).toBe(true);
  });

  test("GIVEN a chat's own failure (an unknown 400) THEN its ten attempts still give it up, after about 43 minutes", async () => {
    const { subs, outbox } = open();
    const chat = await subs.upsert('telegram', '9');
    const clock = { now: 3_000_000_000 };
    const start = clock.now;
    const n = new RecordingNotifier({ script: () => ({ kind: 'retry', reason: 'Bad Request: message text is empty' }) });
    await outbox.enqueue('alert', ALERT, [chat.id], { nowMs: clock.now });
    const d = new Dispatcher(outbox, subs, { notifiers: [n], now: () => clock.now });
    const [row] = (await outbox.due('telegram', Number.MAX_SAFE_INTEGER, 10)).map((r) => r.id);
    await runUntil(d, outbox, clock, start + OUTAGE_SPAN_MS, [row!]);
    expect(await outbox.row(row!)).toMatchObject({ status: 'dead', attempts: 10 });
    expect(n.got).toHaveLength(10);
    expect(clock.now - start).toBeLessThan(H);
  });

  test('GIVEN the bot stopped for a day in the middle of an outage THEN its first try back, failing, gives nothing up: the platform was not tried meanwhile', async () => {
    const { subs, outbox } = open();
    const chat = await subs.upsert('telegram', '6');
    const clock = { now: 5_000_000_000 };
    const start = clock.now;
    // The network down from the start until 30 h 5 min (a host asleep, its network up a moment after it wakes).
    const n = platform(clock, start + 30 * H + 5 * 60_000, { kind: 'retry', reason: 'Network request failed', outage: true });
    await outbox.enqueue('alert', ALERT, [chat.id], { nowMs: clock.now });
    const d = new Dispatcher(outbox, subs, { notifiers: [n], now: () => clock.now });
    const [row] = (await outbox.due('telegram', Number.MAX_SAFE_INTEGER, 10)).map((r) => r.id);
    await runUntil(d, outbox, clock, start + H, [row!]);
    // Stopped from 1 h to 30 h: no try meanwhile. The first one back fails too.
    clock.now = start + 30 * H;
    await d.drain();
    expect(await outbox.row(row!)).toMatchObject({ status: 'pending', nextAt: start + 30 * H + OUTAGE_MAX_WAIT_MS });
    await runUntil(d, outbox, clock, start + 31 * H, [row!]);
    expect(await outbox.row(row!)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  test('GIVEN drains only every 30 minutes (CRON_DISPATCH) and a platform down for good THEN the message is still given up after its day: the one more try a late one gets comes once', async () => {
    const { subs, outbox } = open();
    const chat = await subs.upsert('telegram', '7');
    const clock = { now: 6_000_000_000 };
    const start = clock.now;
    const n = new RecordingNotifier({ script: () => ({ kind: 'retry', reason: 'Network request failed', outage: true }) });
    await outbox.enqueue('alert', ALERT, [chat.id], { nowMs: clock.now });
    const d = new Dispatcher(outbox, subs, { notifiers: [n], now: () => clock.now });
    const [row] = (await outbox.due('telegram', Number.MAX_SAFE_INTEGER, 10)).map((r) => r.id);
    for (; clock.now < start + 3 * OUTAGE_SPAN_MS && (await outbox.row(row!))?.status === 'pending'; clock.now += H / 2) await d.drain();
    expect(await outbox.row(row!)).toMatchObject({ status: 'dead' });
    expect(clock.now - start).toBeLessThanOrEqual(OUTAGE_SPAN_MS + 2 * H);
  });

  test("GIVEN an outage, then the platform answering a chat's own failure, then another outage THEN the second is waited out a day of its own", async () => {
    const { subs, outbox } = open();
    const chat = await subs.upsert('telegram', '8');
    const clock = { now: 7_000_000_000 };
    const start = clock.now;
    let answered = false;
    const outage: SendResult = { kind: 'retry', reason: 'Network request failed', outage: true };
    // Down 23 h; back for one try, which the chat refuses (a 400); down again to 26 h; then up.
    const n = new RecordingNotifier({
      script: () => {
        if (clock.now < start + 23 * H) return outage;
        if (!answered) {
          answered = true;
          return { kind: 'retry', reason: 'Bad Request: something of this chat' };
        }
        return clock.now < start + 26 * H ? outage : { kind: 'sent' };
      },
    });
    await outbox.enqueue('alert', ALERT, [chat.id], { nowMs: clock.now });
    const d = new Dispatcher(outbox, subs, { notifiers: [n], now: () => clock.now });
    const [row] = (await outbox.due('telegram', Number.MAX_SAFE_INTEGER, 10)).map((r) => r.id);
    await runUntil(d, outbox, clock, start + 27 * H, [row!]);
    expect(await outbox.row(row!)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  test('GIVEN a global 429 asking for two hours, twice THEN waited out as asked, nothing given up', async () => {
    const { subs, outbox } = open();
    const chat = await subs.upsert('telegram', '5');
    const clock = { now: 4_000_000_000 };
    const start = clock.now;
    const n = platform(clock, start + 4 * H, { kind: 'retry', afterMs: 2 * H, reason: 'Too Many Requests: retry after 7200', global: true });
    await outbox.enqueue('alert', ALERT, [chat.id], { nowMs: clock.now });
    const d = new Dispatcher(outbox, subs, { notifiers: [n], now: () => clock.now });
    const [row] = (await outbox.due('telegram', Number.MAX_SAFE_INTEGER, 10)).map((r) => r.id);
    await runUntil(d, outbox, clock, start + OUTAGE_SPAN_MS, [row!]);
    expect(await outbox.row(row!)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(n.got).toHaveLength(3);
    expect(clock.now - start).toBe(4 * H);
  });
});
