import type { Migration } from './index.ts';

export const m004: Migration = {
  version: 4,
  name: 'digest',
  steps: (t) => [
    // The chat's digest: subscriptions.digest_time (HH:MM) and subscriptions.timezone (IANA) already
    // exist. The next due instant is stored in UTC ms, recomputed after each send and each change;
    // NULL = digest off. Due chats are found through the partial index, never by a scan.
    `ALTER TABLE subscriptions ADD COLUMN digest_next_due ${t.bigint}`,
    // The chat's local date of its last digest, and the US close that digest spoke about.
    'ALTER TABLE subscriptions ADD COLUMN digest_last_date TEXT',
    'ALTER TABLE subscriptions ADD COLUMN digest_last_close TEXT',
    'CREATE INDEX subscriptions_digest_due ON subscriptions (digest_next_due) WHERE digest_next_due IS NOT NULL',
    // One row per digest queued: at most one per chat and local date, written in the same
    // transaction as its outbox row (kind 'digest', one stored message per US close) and the
    // chat's next due instant.
    // WITHOUT ROWID: the key is the one B-tree (100,000 chats at one minute write it once, not twice).
    `CREATE TABLE digests (
      subscription_id ${t.bigint} NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
      local_date      TEXT NOT NULL,
      close_date      TEXT NOT NULL,
      message_id      ${t.bigint} NOT NULL REFERENCES messages(id),
      created_at      ${t.bigint} NOT NULL,
      PRIMARY KEY (subscription_id, local_date)
    ) ${t.withoutRowid}`,
  ],
};
