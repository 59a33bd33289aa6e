import type { Migration } from './index.ts';

/**
 * A webhook whose receiver refused it for good (platforms/webhook/gone.ts) was told apart by its
 * reason's text (`gone: gone for good: …`) and the messages kept for it by theirs (a LIKE on
 * `last_error`): a reworded reason would have lost them. Now each is a column:
 * `subscriptions.refusal` is why a hook was deactivated with its messages kept (`gone`: the hook
 * will never work again; `blocked`: a setting on the receiver's side refuses it until someone
 * changes it), NULL for every other chat and stop; `outbox.kept` is 1 for a message given up with
 * such a hook and sent again by a passing `webhook test`. Rows written before are read once here,
 * from the texts goldratio wrote (the Slack answers now called `blocked` by theirs).
 */
export const m014: Migration = {
  version: 14,
  name: 'hook-refusal',
  steps: () => [
    'ALTER TABLE subscriptions ADD COLUMN refusal TEXT',
    'ALTER TABLE outbox ADD COLUMN kept INTEGER NOT NULL DEFAULT 0',
    `UPDATE subscriptions SET refusal = CASE
       WHEN deactivated_reason LIKE '% channel_is_archived %' OR deactivated_reason LIKE '% action_prohibited %'
         OR deactivated_reason LIKE '% team_disabled %' OR deactivated_reason LIKE '% posting_to_general_channel_denied %' THEN 'blocked'
       ELSE 'gone' END
     WHERE platform = 'webhook' AND active = 0 AND deactivated_reason LIKE 'gone: gone for good: %'`,
    `UPDATE outbox SET kept = 1
     WHERE platform = 'webhook' AND status = 'dead'
       AND (last_error LIKE 'gone for good: %' OR last_error LIKE 'chat gone: gone: gone for good: %')`,
  ],
};
