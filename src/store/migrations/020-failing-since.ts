import type { Migration } from './index.ts';

/**
 * When an outbox row's first failed try was (`outbox.failing_since`, ms): a platform whose retries
 * span a time (the webhooks', domain/retry-span.ts: tries at set moments after that failure, given
 * up a day after it) counts from it, so a restart in the middle of an outage neither starts the
 * schedule again nor loses it. NULL until a try fails. Rows being retried when this runs start
 * their span at their next failure.
 */
export const m020: Migration = {
  version: 20,
  name: 'failing-since',
  steps: (t) => [`ALTER TABLE outbox ADD COLUMN failing_since ${t.bigint}`],
};
