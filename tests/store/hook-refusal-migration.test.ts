/**
 * Migration 014 on both engines: a database written before it, holding webhooks deactivated as
 * "gone for good" (told then only by their reasons' text) and the messages kept for them, opens
 * with each read once into the new columns: `subscriptions.refusal` and `outbox.kept`. Nothing
 * else is marked: a hook stopped after its failures in a row, a chat, a message sent.
 */
import { describe, expect, test } from 'vitest';
import type { StoreDb } from '../../src/store/engine.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { keptCount } from '../../src/store/webhooks.ts';
import { describeWithPostgres } from '../helpers/postgres.ts';
import { upgradedStore } from '../helpers/old-store.ts';

const BEFORE = MIGRATIONS.filter((m) => m.version < 14);

/** What a goldratio before 014 wrote: the reasons exactly as its dispatcher and gone.ts made them. */
const ROWS = [
  `INSERT INTO subscriptions (id, platform, chat_id, active, pairs, level_ids, custom_levels, approach_pct, lang, deactivated_reason, created_at, updated_at) VALUES
    (1, 'webhook', 'wh_gone', 0, '[]', 'all', '[]', 3, 'en', 'gone: gone for good: HTTP 404 no_service (Slack: the webhook was removed or disabled)', 1, 1),
    (2, 'webhook', 'wh_arch', 0, '[]', 'all', '[]', 3, 'en', 'gone: gone for good: HTTP 410 channel_is_archived (Slack: its channel is archived)', 1, 1),
    (3, 'webhook', 'wh_down', 0, '[]', 'all', '[]', 3, 'en', 'gone: 10 failed deliveries in a row; last: HTTP 500', 1, 1),
    (4, 'telegram', '1001', 0, '[]', 'all', '[]', 3, 'en', 'blocked: Forbidden: bot was blocked by the user', 1, 1),
    (5, 'webhook', 'wh_ok', 1, '[]', 'all', '[]', 3, 'en', NULL, 1, 1)`,
  `INSERT INTO messages (id, kind, body, created_at) VALUES (1, 'alert', '{}', 1), (2, 'alert', '{}', 2)`,
  `INSERT INTO outbox (message_id, subscription_id, platform, chat_id, status, last_error, created_at) VALUES
    (1, 1, 'webhook', 'wh_gone', 'dead', 'gone for good: HTTP 404 no_service (Slack: the webhook was removed or disabled)', 1),
    (2, 1, 'webhook', 'wh_gone', 'dead', 'chat gone: gone: gone for good: HTTP 404 no_service (Slack: the webhook was removed or disabled)', 1),
    (1, 2, 'webhook', 'wh_arch', 'dead', 'gone for good: HTTP 410 channel_is_archived (Slack: its channel is archived)', 1),
    (1, 3, 'webhook', 'wh_down', 'dead', '10 failed deliveries in a row; last: HTTP 500', 1),
    (2, 3, 'webhook', 'wh_down', 'dead', 'chat gone: gone: 10 failed deliveries in a row; last: HTTP 500', 1),
    (1, 4, 'telegram', '1001', 'dead', 'Forbidden: bot was blocked by the user', 1),
    (1, 5, 'webhook', 'wh_ok', 'sent', NULL, 1)`,
];

async function expectMigrated(db: StoreDb): Promise<void> {
  const subs = new SubscriptionStore(db, { approachPct: 3, lang: 'en' });
  const refusal = async (platform: 'webhook' | 'telegram', chat: string) => (await subs.get(platform, chat))?.refusal;
  expect([
    await refusal('webhook', 'wh_gone'),
    await refusal('webhook', 'wh_arch'),
    await refusal('webhook', 'wh_down'),
    await refusal('telegram', '1001'),
    await refusal('webhook', 'wh_ok'),
  ]).toEqual(['gone', 'blocked', null, null, null]);
  expect([await keptCount(db, 1), await keptCount(db, 2), await keptCount(db, 3), await keptCount(db, 4), await keptCount(db, 5)]).toEqual([2, 1, 0, 0, 0]);
  // The texts are kept as written: the column is read beside them, not instead of them.
  expect((await subs.get('webhook', 'wh_gone'))?.deactivatedReason).toMatch(/^gone: gone for good: HTTP 404 no_service/);
}

describe('migration 014 on SQLite', () => {
  test('GIVEN a file written before 014 with hooks gone for good THEN their refusal and kept messages are read once into the new columns', async () => {
    await expectMigrated(await upgradedStore('sqlite', BEFORE, ROWS));
  });
});

describeWithPostgres('migration 014 on PostgreSQL', () => {
  test('GIVEN a database written before 014 with hooks gone for good THEN their refusal and kept messages are read once into the new columns', async () => {
    await expectMigrated(await upgradedStore('postgres', BEFORE, ROWS));
  });
});
