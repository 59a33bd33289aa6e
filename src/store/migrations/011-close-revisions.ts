import type { Migration } from './index.ts';

/**
 * A close the engine decided can be corrected afterwards (the daily sync re-fetches the last days;
 * `import` overwrites). What deciding the latest close again needs (alerts/corrected-close.ts):
 *
 * - `alert_cursor.last_close_value`: the ratio that close was decided at; a stored close that now
 *   gives another ratio was corrected;
 * - `alert_cursor.undo`: JSON `{ date, states }`, the states of the watches that close changed, as
 *   they were before it. NULL when a live point has changed a state since (deciding the close again
 *   would undo that point's decision) or before the first close of this version;
 * - `events.withdrawn_at`: an event whose close, corrected, no longer makes it (ms). /history leaves
 *   it out; its chats that got it were sent a correction.
 */
export const m011: Migration = {
  version: 11,
  name: 'close-revisions',
  steps: (t) => [
    `ALTER TABLE alert_cursor ADD COLUMN last_close_value ${t.real}`,
    'ALTER TABLE alert_cursor ADD COLUMN undo TEXT',
    `ALTER TABLE events ADD COLUMN withdrawn_at ${t.bigint}`,
  ],
};
