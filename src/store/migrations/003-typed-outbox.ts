import { sql } from 'kysely';
import type { Migration } from './index.ts';
import { alertMessage, type AlertEvent } from '../../domain/alert-message.ts';

/**
 * The typed outbox: a row points at a stored, platform-neutral message (kind 'alert' or 'digest',
 * body as JSON, read in each chat's language at send time) instead of at an event, and remembers
 * how many parts of a multi-part send (photo, then text) were delivered, so a crash resumes at
 * the first missing part. Chats get an optional mention (a Discord role) for alerts.
 */
export const m003: Migration = {
  version: 3,
  name: 'typed-outbox',
  steps: (t) => [
    `CREATE TABLE messages (
      id         ${t.id},
      kind       TEXT NOT NULL CHECK (kind IN ('alert','digest')),
      body       TEXT NOT NULL,          -- JSON: src/domain/message.ts Message
      dedupe_key TEXT UNIQUE,            -- 'event:12', a digest's day...: the same message is queued once
      created_at ${t.bigint} NOT NULL
    )`,
    'ALTER TABLE subscriptions ADD COLUMN mention TEXT',
    `-- One row per (message, chat). A row leaves 'pending' only after its send was decided.
    CREATE TABLE outbox_v3 (
      id              ${t.id},
      message_id      ${t.bigint} NOT NULL REFERENCES messages(id),
      subscription_id ${t.bigint} NOT NULL,
      platform        TEXT NOT NULL,
      chat_id         TEXT NOT NULL,
      status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','dead')),
      attempts        INTEGER NOT NULL DEFAULT 0,
      next_at         ${t.bigint} NOT NULL DEFAULT 0,
      parts_sent      INTEGER NOT NULL DEFAULT 0,   -- parts already delivered (photo, text...)
      last_error      TEXT,
      sent_at         ${t.bigint},
      created_at      ${t.bigint} NOT NULL,
      UNIQUE (message_id, subscription_id)
    )`,
    // Every event the old outbox points at becomes its alert message (texts are keys: built here
    // once, read in each chat's language when sent).
    {
      select: `SELECT DISTINCT e.id, e.date, e.pair, e.level_id AS "levelId", e.kind, e.direction, e.value, e.level_value AS "levelValue",
                      e.basis, e.created_at
                 FROM events e JOIN outbox o ON o.event_id = e.id`,
      each: (e: AlertEvent & { id: number; created_at: number }) =>
        sql`INSERT INTO messages (kind, body, dedupe_key, created_at) VALUES ('alert', ${JSON.stringify(alertMessage(e))}, ${`event:${e.id}`}, ${e.created_at})`,
    },
    `INSERT INTO outbox_v3 (id, message_id, subscription_id, platform, chat_id, status, attempts, next_at, last_error, sent_at, created_at)
       SELECT o.id, m.id, o.subscription_id, o.platform, o.chat_id, o.status, o.attempts, o.next_at, o.last_error, o.sent_at, o.created_at
         FROM outbox o JOIN messages m ON m.dedupe_key = 'event:' || o.event_id
        WHERE true -- SQLite: tells the join's ON from the upsert's
       ON CONFLICT DO NOTHING`,
    'DROP TABLE outbox',
    'ALTER TABLE outbox_v3 RENAME TO outbox',
    "CREATE INDEX outbox_pending ON outbox (platform, next_at, id) WHERE status = 'pending'",
    "CREATE INDEX outbox_by_sub ON outbox (subscription_id) WHERE status = 'pending'",
  ],
};
