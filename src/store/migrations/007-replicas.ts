import type { Migration } from './index.ts';

/**
 * What replicas share through the database: a claim on an outbox row (who sends it, until when:
 * a new leader resends only the rows whose claim ran out, i.e. the sends in flight when the old
 * one died), and the chart uploads a platform already holds (a Telegram file_id, a Discord
 * attachment URL), so a second replica does not upload the same chart again.
 */
export const m007: Migration = {
  version: 7,
  name: 'replicas',
  steps: (t) => [
    `ALTER TABLE outbox ADD COLUMN claimed_until ${t.bigint}`,
    'ALTER TABLE outbox ADD COLUMN claimed_by TEXT',
    `CREATE TABLE chart_uploads (
      platform   TEXT NOT NULL,
      chart_key  TEXT NOT NULL,             -- the rendered chart's cache key (spec + data version)
      ref        TEXT NOT NULL,             -- what the platform answered: a file_id, a URL
      created_at ${t.bigint} NOT NULL,
      PRIMARY KEY (platform, chart_key)
    ) ${t.withoutRowid}`,
  ],
};
