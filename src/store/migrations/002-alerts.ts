import type { Migration } from './index.ts';

export const m002: Migration = {
  version: 2,
  name: 'alerts',
  steps: (t) => [
    `-- One row per (platform, chat). Arrays are JSON text; times are ms since epoch.
    CREATE TABLE subscriptions (
      id                 ${t.id},
      platform           TEXT NOT NULL,
      chat_id            TEXT NOT NULL,
      active             INTEGER NOT NULL DEFAULT 1,
      pairs              TEXT NOT NULL,
      level_ids          TEXT NOT NULL,          -- 'all' or a JSON array of essay level ids
      custom_levels      TEXT NOT NULL,          -- JSON [{pair, value}]
      approach_pct       ${t.real} NOT NULL,
      muted_until        ${t.bigint},
      lang               TEXT NOT NULL,
      digest_time        TEXT,
      timezone           TEXT NOT NULL DEFAULT 'UTC',
      deactivated_reason TEXT,
      created_at         ${t.bigint} NOT NULL,
      updated_at         ${t.bigint} NOT NULL,
      UNIQUE (platform, chat_id)
    )`,
    `-- What each subscription watches, derived from the row above on every write (see
    -- store/subscriptions.ts watchesOf). Fan-out is one indexed lookup by watch_key; the
    -- engine reads only the DISTINCT watch keys, so deciding never scans subscriptions.
    CREATE TABLE sub_watches (
      watch_key       TEXT NOT NULL,
      subscription_id ${t.bigint} NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
      pair            TEXT NOT NULL,
      level_id        TEXT NOT NULL,
      low             ${t.real} NOT NULL,
      high            ${t.real} NOT NULL,
      approach_pct    ${t.real} NOT NULL,
      -- 1: this chat takes the watch's approach events too (its approach % is the watch's).
      wants_approach  INTEGER NOT NULL,
      -- 1: only the approach events of this watch matter (essay level at a chat's own approach %).
      approach_only   INTEGER NOT NULL,
      PRIMARY KEY (watch_key, subscription_id)
    ) ${t.withoutRowid}`,
    'CREATE INDEX sub_watches_by_sub ON sub_watches (subscription_id)',
    `-- Crossing state per watch (essay level, or a custom level / approach threshold shared by chats).
    CREATE TABLE level_state (
      watch_key  TEXT PRIMARY KEY,
      pair       TEXT NOT NULL,
      state      TEXT NOT NULL,
      updated_at ${t.bigint} NOT NULL
    )`,
    `-- Per pair: the last point run through the engine, and the last daily close decided.
    CREATE TABLE alert_cursor (
      pair            TEXT PRIMARY KEY,
      last_date       TEXT NOT NULL,
      last_value      ${t.real} NOT NULL,
      last_close_date TEXT,
      updated_at      ${t.bigint} NOT NULL
    )`,
    `CREATE TABLE events (
      id          ${t.id},
      date        TEXT NOT NULL,
      pair        TEXT NOT NULL,
      level_id    TEXT NOT NULL,
      watch_key   TEXT NOT NULL,
      kind        TEXT NOT NULL CHECK (kind IN ('cross-up','cross-down','zone-enter','zone-exit','approach')),
      direction   TEXT NOT NULL CHECK (direction IN ('up','down')),
      value       ${t.real} NOT NULL,
      level_value ${t.real} NOT NULL,
      basis       TEXT NOT NULL CHECK (basis IN ('close','intraday')),
      created_at  ${t.bigint} NOT NULL
    )`,
    'CREATE INDEX events_by_pair ON events (pair, id)',
    `-- One row per (event, chat). A row leaves 'pending' only after its send was decided.
    CREATE TABLE outbox (
      id              ${t.id},
      event_id        ${t.bigint} NOT NULL REFERENCES events(id),
      subscription_id ${t.bigint} NOT NULL,
      platform        TEXT NOT NULL,
      chat_id         TEXT NOT NULL,
      status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','dead')),
      attempts        INTEGER NOT NULL DEFAULT 0,
      next_at         ${t.bigint} NOT NULL DEFAULT 0,
      last_error      TEXT,
      sent_at         ${t.bigint},
      created_at      ${t.bigint} NOT NULL
    )`,
    "CREATE INDEX outbox_pending ON outbox (platform, next_at, id) WHERE status = 'pending'",
    "CREATE INDEX outbox_by_sub ON outbox (subscription_id) WHERE status = 'pending'",
    "INSERT INTO meta (key, value) VALUES ('subs_version', '0')",
  ],
};
