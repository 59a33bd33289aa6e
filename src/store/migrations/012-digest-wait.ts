import type { Migration } from './index.ts';

/**
 * A digest slot found due while its US close was not stored yet waits, due, for that close
 * (store/digests.ts): `waiting_since` is when it began to wait (UTC ms), NULL for a slot that is
 * not waiting. It tells that wait from a bot that was down (domain/digest-schedule decideDue).
 */
export const m012: Migration = {
  version: 12,
  name: 'digest-wait',
  steps: (t) => [`ALTER TABLE digest_slots ADD COLUMN waiting_since ${t.bigint}`],
};
