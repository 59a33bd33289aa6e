import type { Migration } from './index.ts';

/**
 * What an alert's message is for, so a row queued before its chat narrowed what it follows is not
 * sent after it (alerts/dispatcher.ts stoppedSince): the watch it was fanned out by
 * (`watch_key`, as in sub_watches or move_watches), which events of that watch (`watch_takes`:
 * 'level' for a break or a zone's entry and exit, 'approach', 'move'), and the watch's pair and level
 * id (`watch_pair`, `watch_level`; NULL for a move), which name why it is no longer followed.
 * NULL for digests, corrections and quiet-hours summaries (never dropped for that). The messages
 * still waiting when this runs are filled from their events.
 */
export const m016: Migration = {
  version: 16,
  name: 'message-watch',
  steps: () => [
    'ALTER TABLE messages ADD COLUMN watch_key TEXT',
    'ALTER TABLE messages ADD COLUMN watch_takes TEXT',
    'ALTER TABLE messages ADD COLUMN watch_pair TEXT',
    'ALTER TABLE messages ADD COLUMN watch_level TEXT',
    `UPDATE messages SET
       watch_key = (SELECT e.watch_key FROM events e WHERE 'event:' || CAST(e.id AS TEXT) = messages.dedupe_key),
       watch_takes = (SELECT CASE WHEN e.kind = 'approach' THEN 'approach' ELSE 'level' END FROM events e WHERE 'event:' || CAST(e.id AS TEXT) = messages.dedupe_key),
       watch_pair = (SELECT e.pair FROM events e WHERE 'event:' || CAST(e.id AS TEXT) = messages.dedupe_key),
       watch_level = (SELECT e.level_id FROM events e WHERE 'event:' || CAST(e.id AS TEXT) = messages.dedupe_key)
     WHERE dedupe_key LIKE 'event:%' AND id IN (SELECT message_id FROM outbox WHERE status IN ('pending', 'held'))`,
    `UPDATE messages SET
       watch_key = (SELECT v.watch_key FROM move_events v WHERE 'move:' || CAST(v.id AS TEXT) = messages.dedupe_key),
       watch_takes = 'move',
       watch_pair = (SELECT v.pair FROM move_events v WHERE 'move:' || CAST(v.id AS TEXT) = messages.dedupe_key)
     WHERE dedupe_key LIKE 'move:%' AND id IN (SELECT message_id FROM outbox WHERE status IN ('pending', 'held'))`,
  ],
};
