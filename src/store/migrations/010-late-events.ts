import type { Migration } from './index.ts';

/**
 * A level event the cooldown held back (domain/crossing.ts LateBreak) keeps where it happened:
 * `held_since` is the point that broke the edge during the cooldown and `held_value` its ratio,
 * while `date` and `value` stay the close that sent it. /history tells the break by them; both
 * are NULL for an event sent on its own day (and for every event before this version).
 */
export const m010: Migration = {
  version: 10,
  name: 'late-events',
  steps: (t) => ['ALTER TABLE events ADD COLUMN held_since TEXT', `ALTER TABLE events ADD COLUMN held_value ${t.real}`],
};
