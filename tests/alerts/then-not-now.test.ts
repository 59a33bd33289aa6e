/**
 * An alert says "now {value}" only while that is true: one that reaches the chat more than 30
 * minutes after it was decided (held alone through quiet hours, a platform down, a retry) says its
 * value "then" (當時 / 当时), in every language, for level and move alerts alike. Its other lines
 * (the daily close of <date>) say when.
 */
import { afterEach, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onSqlite } from '../../src/store/engine.ts';
import { openDatabase } from '../../src/store/db.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import { alertMessage } from '../../src/domain/alert-message.ts';
import { moveMessage } from '../../src/domain/move-message.ts';
import type { Message } from '../../src/domain/message.ts';
import { writeDatabase } from '../helpers/sqlite-image.ts';
import { RecordingNotifier } from '../helpers/recording.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

const T = Date.parse('2026-11-24T22:00:00Z');
const MIN = 60_000;

async function sentAfter(ms: number, message: Message, script?: ConstructorParameters<typeof RecordingNotifier>[0]): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-then-'));
  const db = openDatabase(writeDatabase(join(dir, 'test.db')));
  cleanups.push(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const subs = new SubscriptionStore(onSqlite(db), { approachPct: 3, lang: 'en' });
  const ids: number[] = [];
  for (const lang of ['en', 'zh-TW', 'zh-CN'] as const) ids.push((await subs.upsert('telegram', lang, { lang })).id);
  const outbox = new OutboxStore(onSqlite(db));
  await outbox.enqueue('alert', message, ids, { nowMs: T });
  const n = new RecordingNotifier(script);
  const clock = { now: T + ms };
  await new Dispatcher(outbox, subs, { notifiers: [n], now: () => clock.now, backoffMs: 40 * MIN, maxBackoffMs: 40 * MIN }).drain();
  if (n.got.length === 3 && script === undefined) return Object.fromEntries(n.got.map((d) => [d.chatId, d.message.title ?? '']));
  // The first attempt failed: the retry comes 40 minutes on.
  clock.now += 40 * MIN;
  await new Dispatcher(outbox, subs, { notifiers: [n], now: () => clock.now }).drain();
  return Object.fromEntries(n.got.slice(-3).map((d) => [d.chatId, d.message.title ?? '']));
}

const fell = alertMessage({
  date: '2026-11-24',
  pair: 'spx-gold',
  levelId: 'spx-gold-2.5',
  kind: 'cross-down',
  direction: 'down',
  value: 2.4,
  levelValue: 2.5,
  basis: 'close',
});

test('GIVEN a break sent 29 minutes after it was decided THEN it says now; 31 minutes after THEN it says then, in en, zh-TW and zh-CN', async () => {
  expect(await sentAfter(29 * MIN, fell)).toEqual({
    en: 'SPX/Gold fell below 2.5: now 2.400',
    'zh-TW': '標普500/黃金跌破 2.5：目前 2.400',
    'zh-CN': '标普500/黄金跌破 2.5：当前 2.400',
  });
  expect(await sentAfter(31 * MIN, fell)).toEqual({
    en: 'SPX/Gold fell below 2.5: then 2.400',
    'zh-TW': '標普500/黃金跌破 2.5：當時 2.400',
    'zh-CN': '标普500/黄金跌破 2.5：当时 2.400',
  });
});

test('GIVEN a first send refused for a while (the platform down) THEN the retry 40 minutes on says then', async () => {
  // Every chat's first send is refused (the platform down); the retry goes 40 minutes on.
  const titles = await sentAfter(0, fell, { script: (_d, seen) => (seen.all < 3 ? { kind: 'retry', reason: 'platform down' } : { kind: 'sent' }) });
  expect(Object.values(titles).every((t) => !t.includes('now') && !t.includes('目前') && !t.includes('当前'))).toBe(true);
  expect(titles.en).toBe('SPX/Gold fell below 2.5: then 2.400');
});

test('GIVEN a move alert sent an hour after it was decided THEN it says then', async () => {
  const move = moveMessage({
    date: '2026-11-24',
    pair: 'qqq-gold',
    pct: 5,
    days: 1,
    direction: 'down',
    changePct: -5.2,
    fromDate: '2026-11-23',
    fromValue: 0.17,
    value: 0.1612,
  });
  expect((await sentAfter(60 * MIN, move)).en).toMatch(/^QQQ\/Gold fell 5\.2\d*% in 1 trading day: then 0\.161/);
});
