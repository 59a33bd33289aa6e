import type { Migration } from './index.ts';

/**
 * A corrected close decides its move watches again, as migration 11 let it decide its levels
 * (alerts/corrected-close.ts):
 *
 * - `move_events.withdrawn_at`: a move whose close, corrected, no longer makes it (ms); its chats
 *   that got it were sent a correction. Kept, not deleted: SQLite would give the next move the
 *   freed id, and its message the `move:<id>` key the withdrawn one's still holds.
 *
 * The states a close found for its move watches go in `alert_cursor.undo`'s JSON beside the level
 * states (`moves`); no column. An undo record written before this version has none: its close's
 * moves are not decided again.
 */
export const m018: Migration = {
  version: 18,
  name: 'move-revisions',
  steps: (t) => [`ALTER TABLE move_events ADD COLUMN withdrawn_at ${t.bigint}`],
};
