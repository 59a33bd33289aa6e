import type { Migration } from './index.ts';

/**
 * Quiet hours and move alerts (issue 18).
 *
 * Quiet hours: the chat's window (local HH:MM start and end, and the zone they are read in) on its
 * subscription; an alert due for a chat inside its window waits in the outbox as status 'held'
 * (next_at = the window's end), and when the window ends the held rows of a chat become one
 * summary message; each row then records 'merged'. The CHECK on status has to change, so the
 * outbox is rebuilt (create, copy, drop, rename: a form every SQL database has; on PostgreSQL the
 * copied ids then move the new table's identity past them).
 *
 * Move alerts: a chat's move watches (pair, %, trading days) in move_watches, keyed like
 * sub_watches by a shared watch key so an event fans out with one indexed lookup; the engine's
 * state per distinct watch in move_state; decided moves in move_events.
 */
export const m005: Migration = {
  version: 5,
  name: 'quiet-and-moves',
  steps: (t) => [
    'ALTER TABLE subscriptions ADD COLUMN quiet_start TEXT',
    'ALTER TABLE subscriptions ADD COLUMN quiet_end TEXT',
    'ALTER TABLE subscriptions ADD COLUMN quiet_zone TEXT',
    `CREATE TABLE outbox_v5 (
      id              ${t.id},
      message_id      ${t.bigint} NOT NULL REFERENCES messages(id),
      subscription_id ${t.bigint} NOT NULL,
      platform        TEXT NOT NULL,
      chat_id         TEXT NOT NULL,
      status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','dead','held','merged')),
      attempts        INTEGER NOT NULL DEFAULT 0,
      next_at         ${t.bigint} NOT NULL DEFAULT 0,
      parts_sent      INTEGER NOT NULL DEFAULT 0,
      last_error      TEXT,
      sent_at         ${t.bigint},
      created_at      ${t.bigint} NOT NULL,
      UNIQUE (message_id, subscription_id)
    )`,
    `INSERT INTO outbox_v5 (id, message_id, subscription_id, platform, chat_id, status, attempts, next_at, parts_sent, last_error, sent_at, created_at)
       SELECT id, message_id, subscription_id, platform, chat_id, status, attempts, next_at, parts_sent, last_error, sent_at, created_at FROM outbox`,
    'DROP TABLE outbox',
    'ALTER TABLE outbox_v5 RENAME TO outbox',
    ...t.identityPastMax('outbox'),
    "CREATE INDEX outbox_pending ON outbox (platform, next_at, id) WHERE status = 'pending'",
    "CREATE INDEX outbox_by_sub ON outbox (subscription_id) WHERE status = 'pending'",
    // Held rows are few next to the whole outbox: their own small index, read whole at release.
    "CREATE INDEX outbox_held ON outbox (subscription_id, next_at) WHERE status = 'held'",
    `CREATE TABLE move_watches (
      watch_key       TEXT NOT NULL,               -- 'move:spx-gold:10:20' (domain/moves.ts moveKey)
      subscription_id ${t.bigint} NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
      pair            TEXT NOT NULL,
      pct             ${t.real} NOT NULL,
      days            INTEGER NOT NULL,
      created_at      ${t.bigint} NOT NULL,
      PRIMARY KEY (watch_key, subscription_id)
    )`,
    'CREATE INDEX move_watches_by_sub ON move_watches (subscription_id)',
    `CREATE TABLE move_state (
      watch_key  TEXT PRIMARY KEY,
      pair       TEXT NOT NULL,
      state      TEXT NOT NULL,                    -- JSON: domain/moves.ts MoveState
      updated_at ${t.bigint} NOT NULL
    )`,
    `CREATE TABLE move_events (
      id          ${t.id},
      date        TEXT NOT NULL,
      pair        TEXT NOT NULL,
      watch_key   TEXT NOT NULL,
      pct         ${t.real} NOT NULL,
      days        INTEGER NOT NULL,
      direction   TEXT NOT NULL CHECK (direction IN ('up','down')),
      change_pct  ${t.real} NOT NULL,
      from_date   TEXT NOT NULL,
      from_value  ${t.real} NOT NULL,
      value       ${t.real} NOT NULL,
      created_at  ${t.bigint} NOT NULL
    )`,
    'CREATE INDEX move_events_by_pair ON move_events (pair, id)',
  ],
};
