import type { Migration } from './index.ts';

/**
 * The day a message in parts started being read on (`outbox.parts_day`, YYYY-MM-DD in the chat's
 * zone): written with parts_lang by the first delivered part's record (outbox.ts markPartsSent), so
 * a send resumed the next day (a crash, a retry's backoff across midnight) counts its "(N days
 * ago)" to the same day and renders and splits the same text, sending the rest of it. NULL while no
 * part went out: the day it is sent on. Rows with parts out when this runs keep NULL (their day was
 * not recorded): as before, the day they are resumed on.
 */
export const m021: Migration = {
  version: 21,
  name: 'parts-day',
  steps: () => ['ALTER TABLE outbox ADD COLUMN parts_day TEXT'],
};
