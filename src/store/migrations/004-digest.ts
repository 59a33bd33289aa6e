import type { Migration } from './index.ts';

export const m004: Migration = {
  version: 4,
  name: 'digest',
  sql: `
    -- The chat's digest: subscriptions.digest_time (HH:MM) and subscriptions.timezone (IANA) already
    -- exist. The next due instant is stored in UTC ms, recomputed after each send and each change;
    -- NULL = digest off. Due chats are found through the partial index, never by a scan.
    ALTER TABLE subscriptions ADD COLUMN digest_next_due INTEGER;
    -- The chat's local date of its last digest, and the US close that digest spoke about.
    ALTER TABLE subscriptions ADD COLUMN digest_last_date TEXT;
    ALTER TABLE subscriptions ADD COLUMN digest_last_close TEXT;
    CREATE INDEX subscriptions_digest_due ON subscriptions (digest_next_due) WHERE digest_next_due IS NOT NULL;

    -- One row per digest sent (or being sent): at most one per chat and local date, written in the
    -- same transaction as the chat's new next-due instant. Until the typed outbox carries digests,
    -- this table is their outbox too (status, attempts, next_at as in outbox).
    CREATE TABLE digests (
      id              INTEGER PRIMARY KEY,
      subscription_id INTEGER NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
      local_date      TEXT NOT NULL,
      close_date      TEXT NOT NULL,
      platform        TEXT NOT NULL,
      chat_id         TEXT NOT NULL,
      status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','dead')),
      attempts        INTEGER NOT NULL DEFAULT 0,
      next_at         INTEGER NOT NULL DEFAULT 0,
      last_error      TEXT,
      sent_at         INTEGER,
      created_at      INTEGER NOT NULL,
      UNIQUE (subscription_id, local_date)
    );
    CREATE INDEX digests_pending ON digests (platform, next_at, id) WHERE status = 'pending';
  `,
};
