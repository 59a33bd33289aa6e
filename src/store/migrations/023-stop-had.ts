import type { Migration } from './index.ts';

/**
 * What a chat had on when the platform stopped it (`subscriptions.stop_had`): 'alerts', 'digest' or
 * 'both', so that /start, /mylevels and /digest name what stopped, and a chat that only had its
 * digest gets it back with /digest alone (alerts left off). NULL while nothing is stopped, and for a
 * stop of a chat that had nothing on. Stops kept before this version are read from what was known:
 * `deactivated_at` is set only where alerts were on (migration 015), so with it the alerts stopped
 * (and the digest too where one is set); without it, a chat with a digest had only that; one
 * without either stopped before migration 015, when only alerts were sent.
 */
export const m023: Migration = {
  version: 23,
  name: 'stop-had',
  steps: () => [
    'ALTER TABLE subscriptions ADD COLUMN stop_had TEXT',
    `UPDATE subscriptions SET stop_had = CASE
       WHEN deactivated_at IS NOT NULL THEN (CASE WHEN digest_time IS NOT NULL THEN 'both' ELSE 'alerts' END)
       WHEN digest_time IS NOT NULL THEN 'digest'
       ELSE 'alerts' END
     WHERE active = 0 AND deactivated_reason IS NOT NULL AND deactivated_reason <> '' AND deactivated_reason <> 'unsubscribed'
       AND deactivated_reason <> 'webhook removed' AND deactivated_reason NOT LIKE 'moved to %'`,
  ],
};
