import type { Migration } from './index.ts';

/**
 * When a chat's alerts stopped. `updated_at` moves with any settings change (a /lang typed in a
 * stopped chat), so it cannot say it: `subscriptions.deactivated_at` (ms since epoch) is set when an
 * active chat is deactivated and cleared when it is active again. Rows deactivated before this
 * version keep NULL: the texts then say nothing about when, never a date that is not the one.
 */
export const m015: Migration = {
  version: 15,
  name: 'stopped-at',
  steps: (t) => [`ALTER TABLE subscriptions ADD COLUMN deactivated_at ${t.bigint}`],
};
