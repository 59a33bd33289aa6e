import type { Migration } from './index.ts';

/**
 * Whether the first delivered part of an alert said its value "then" (`outbox.parts_then`, 1) or
 * "now" (0): written with parts_lang and parts_day by the first delivered part's record (outbox.ts
 * markPartsSent), so a send resumed later (a crash, an outage's retry) goes on in the tense it began
 * in and splits as it did, however late the rest goes. NULL while no part went out: the tense is
 * chosen when it is sent. Rows with parts out when this runs keep NULL (their tense was not
 * recorded): as before, resumed saying "now".
 */
export const m022: Migration = {
  version: 22,
  name: 'parts-then',
  steps: () => ['ALTER TABLE outbox ADD COLUMN parts_then INTEGER'],
};
