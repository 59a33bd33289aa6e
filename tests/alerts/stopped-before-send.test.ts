/**
 * A chat that says stop while its alert is still queued: /unsubscribe or /mute after the alert was
 * decided and before it went out (a broadcast to thousands of chats takes minutes; a retried row
 * waits up to the backoff's hour). Alerts decided during a mute are not queued, and held ones are
 * dropped when their window ends on a muted or stopped chat (store/quiet.ts): a queued one is too.
 * A digest still goes to a chat that only unsubscribed from alerts.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onSqlite } from '../../src/store/engine.ts';
import { openDatabase } from '../../src/store/db.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import type { Message } from '../../src/domain/message.ts';
import { writeDatabase } from '../helpers/sqlite-image.ts';
import { RecordingNotifier } from '../helpers/recording.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanups.splice(0)) f();
});

function open(): { subs: SubscriptionStore; outbox: OutboxStore } {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-stopped-'));
  const db = openDatabase(writeDatabase(join(dir, 'outbox.db')));
  cleanups.push(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { subs: new SubscriptionStore(onSqlite(db), { approachPct: 3, lang: 'en' }), outbox: new OutboxStore(onSqlite(db)) };
}

const ALERT: Message = { lines: [{ key: 'alert.cross-up', params: { pair: { key: 'pair.spx-gold' }, level: '2.500', value: '2.510', distance: '0.4%' } }] };

describe('a chat that stops while its alert is queued', () => {
  test('GIVEN an alert queued for three chats THEN the one that unsubscribed and the one that muted before their turn get nothing, the third gets it', async () => {
    const { subs, outbox } = open();
    const ids = await Promise.all(['1', '2', '3'].map(async (c) => (await subs.upsert('telegram', c))!.id));
    const now = 1_000_000;
    await outbox.enqueue('alert', ALERT, ids, { nowMs: now });
    await subs.deactivate('telegram', '1', 'unsubscribed');
    await subs.upsert('telegram', '2', { mutedUntil: now + 3_600_000 });
    const n = new RecordingNotifier();
    await new Dispatcher(outbox, subs, { notifiers: [n], now: () => now }).drain();
    expect(n.got.map((d) => d.chatId)).toEqual(['3']);
    // Not left pending either: a later /subscribe or the mute's end does not bring back an old alert.
    const rows = await outbox.due('telegram', Number.MAX_SAFE_INTEGER, 10);
    expect(rows).toEqual([]);
  });

  test('GIVEN an alert retried (Telegram answered 429) and the chat muting before the retry THEN the retry sends nothing', async () => {
    const { subs, outbox } = open();
    const s = (await subs.upsert('telegram', '7'))!;
    let now = 1_000_000;
    await outbox.enqueue('alert', ALERT, [s.id], { nowMs: now });
    const n = new RecordingNotifier({
      script: (_d, k) => (k.all === 0 ? { kind: 'retry', afterMs: 30_000, reason: 'Too Many Requests: retry after 30' } : { kind: 'sent' }),
    });
    const d = new Dispatcher(outbox, subs, { notifiers: [n], now: () => now });
    expect(await d.drain()).toMatchObject({ retried: 1 });
    await subs.upsert('telegram', '7', { mutedUntil: now + 86_400_000 });
    now += 60_000;
    await d.drain();
    expect(n.got).toHaveLength(1);
  });

  test('GIVEN a digest queued and the chat unsubscribing from alerts THEN the digest still goes out', async () => {
    const { subs, outbox } = open();
    const s = (await subs.upsert('telegram', '9'))!;
    const now = 1_000_000;
    await outbox.enqueue('digest', ALERT, [s.id], { nowMs: now, dedupeKey: 'digest:2026-11-24' });
    await subs.deactivate('telegram', '9', 'unsubscribed');
    await subs.upsert('telegram', '9', { mutedUntil: now + 3_600_000 });
    const n = new RecordingNotifier();
    expect(await new Dispatcher(outbox, subs, { notifiers: [n], now: () => now }).drain()).toMatchObject({ sent: 1 });
  });
});
