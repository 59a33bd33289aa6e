import type { Migration } from './index.ts';

/**
 * No table changes: chats' zones may now be fixed offsets with minutes, stored as written
 * (`UTC+3:30`, domain/fixed-offset.ts), which older code hands to Intl and fails on (every chat's
 * quiet hours and digests with it, in the leader's drain). The version tells a replica of that older
 * code that the database is newer than it knows: it stops leading, and an old process refuses to
 * open a SQLite file, so no old code ever reads such a zone.
 */
export const m013: Migration = {
  version: 13,
  name: 'offset-zones',
  steps: () => [],
};
