/**
 * goldratio's tables by name, parents before the tables that reference them: what copy-data copies
 * in this order, and what a PostgreSQL user must be allowed to read and write (postgres.ts).
 */
export const COPY_TABLES = [
  'meta',
  'closes',
  'latest_quotes',
  'held_quotes',
  'absent_days',
  'source_credits',
  'subscriptions',
  'sub_watches',
  'level_state',
  'alert_cursor',
  'events',
  'messages',
  'outbox',
  'digest_slots',
  'move_watches',
  'move_state',
  'move_events',
  'chart_uploads',
  'chat_types',
] as const;

/** Every table goldratio makes: the data's, and the migrations' own record. */
export const GOLDRATIO_TABLES = [...COPY_TABLES, 'schema_migrations'] as const;
