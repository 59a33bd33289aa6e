/**
 * Migration 016: an alert's message records its watch, so a chat that stopped following what the
 * alert is about before its send does not get it (alerts/dispatcher.ts stoppedSince). An alert
 * still waiting when a bot is upgraded gets its watch from its event: a chat that left the pair
 * in the minutes before the upgrade does not get it after it either.
 */
import { describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import type { StoreDb } from '../../src/store/engine.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import { RecordingNotifier } from '../helpers/recording.ts';
import { describeWithPostgres } from '../helpers/postgres.ts';
import { upgradedStore } from '../helpers/old-store.ts';

const BEFORE = MIGRATIONS.filter((m) => m.version < 16);
const BODY = JSON.stringify({
  lines: [{ key: 'alert.cross-up', params: { pair: { key: 'pair.spx-gold' }, level: '2.500', value: '2.510', distance: '0.4%' } }],
});
// Chat 1 left SPX/Gold after the break of 2.5 was queued to both; chat 2 still follows it.
const ROWS = [
  `INSERT INTO subscriptions (id, platform, chat_id, active, pairs, level_ids, custom_levels, approach_pct, lang, created_at, updated_at) VALUES
    (1, 'telegram', '1001', 1, '["qqq-gold"]', 'all', '[]', 3, 'en', 1, 1),
    (2, 'telegram', '1002', 1, '["spx-gold","qqq-gold"]', 'all', '[]', 3, 'en', 1, 1)`,
  `INSERT INTO events (id, date, pair, level_id, watch_key, kind, direction, value, level_value, basis, created_at) VALUES
    (7, '2024-01-03', 'spx-gold', 'spx-gold-2.5', 'spx-gold-2.5', 'cross-up', 'up', 2.51, 2.5, 'close', 1)`,
  `INSERT INTO messages (id, kind, body, dedupe_key, created_at) VALUES (1, 'alert', '${BODY}', 'event:7', 1)`,
  `INSERT INTO outbox (message_id, subscription_id, platform, chat_id, next_at, created_at) VALUES
    (1, 1, 'telegram', '1001', 1, 1), (1, 2, 'telegram', '1002', 1, 1)`,
];

async function expectMigrated(db: StoreDb): Promise<void> {
  const n = new RecordingNotifier();
  const drained = await new Dispatcher(new OutboxStore(db), new SubscriptionStore(db, { approachPct: 3, lang: 'en' }), {
    notifiers: [n],
    now: () => 1_000,
  }).drain();
  expect(n.got.map((d) => d.chatId)).toEqual(['1002']);
  expect(drained).toMatchObject({ sent: 1, dropped: 1 });
  const dead = await sql<{ chat_id: string; last_error: string }>`SELECT chat_id, last_error FROM outbox WHERE status = 'dead'`.execute(db.k);
  expect(dead.rows).toEqual([{ chat_id: '1001', last_error: 'chat unsubscribed from the pair before it was sent' }]);
}

describe('migration 016 on SQLite', () => {
  test('GIVEN a file written before 016 with a break queued to a chat that then left its pair THEN after the upgrade that chat does not get it, the other does', async () => {
    await expectMigrated(await upgradedStore('sqlite', BEFORE, ROWS));
  });
});

describeWithPostgres('migration 016 on PostgreSQL', () => {
  test('GIVEN a database written before 016 with a break queued to a chat that then left its pair THEN after the upgrade that chat does not get it, the other does', async () => {
    await expectMigrated(await upgradedStore('postgres', BEFORE, ROWS));
  });
});
