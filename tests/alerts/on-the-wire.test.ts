/** A platform busy with a slow send holds up no other platform's next drain. */
import { afterEach, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onSqlite } from '../../src/store/engine.ts';
import { openDatabase } from '../../src/store/db.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import type { Delivery, Notifier, SendResult } from '../../src/alerts/notifier.ts';
import type { Message } from '../../src/domain/message.ts';
import type { Platform } from '../../src/domain/platform.ts';
import { writeDatabase } from '../helpers/sqlite-image.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanups.splice(0)) f();
});

function open() {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-on-the-wire-'));
  const db = openDatabase(writeDatabase(join(dir, 'outbox.db')));
  cleanups.push(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const store = onSqlite(db);
  return { db, subs: new SubscriptionStore(store, { approachPct: 3, lang: 'en' }), outbox: new OutboxStore(store) };
}

const ALERT: Message = { lines: [{ key: 'alert.cross-up', params: { pair: { key: 'pair.spx-gold' }, level: '2.500', value: '2.510', distance: '0.4%' } }] };

/** A notifier of `parts` parts per message whose every call the test answers (`answer()`), each recorded as `chat#part`. */
function heldNotifier(platform: Platform, parts: number) {
  const calls: string[] = [];
  const waiting: (() => void)[] = [];
  let off: string | undefined;
  const n: Notifier & { calls: string[]; answer(): void; turnOff(why: string | undefined): void } = {
    platform,
    ratePerSecond: 1000,
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

const until = async (f: () => boolean) => {
  for (let i = 0; i < 500 && !f(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(f()).toBe(true);
};

test('GIVEN a webhook send held and Telegram not yet up when a drain starts THEN a drain once Telegram is up sends its message at once, while the webhook is still on the wire', async () => {
  const { subs, outbox } = open();
  const hook = (await subs.upsert('webhook', 'wh_slow'))!.id;
  const chat = (await subs.upsert('telegram', '5001'))!.id;
  await outbox.enqueue('alert', ALERT, [hook, chat], { nowMs: Date.now() });
  const slow = heldNotifier('webhook', 1);
  const tg = heldNotifier('telegram', 1);
  tg.turnOff('not up yet');
  const d = new Dispatcher(outbox, subs, { notifiers: [slow, tg] });
  const first = d.drain();
  await until(() => slow.calls.length === 1);
  tg.turnOff(undefined);
  const second = d.drain();
  await until(() => tg.calls.length === 1);
  tg.answer();
  expect(await second).toMatchObject({ sent: 1 });
  expect(slow.calls).toEqual(['wh_slow#0']);
  slow.answer();
  expect(await first).toMatchObject({ sent: 1 });
});
