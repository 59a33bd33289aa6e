import type { Migration } from './index.ts';

/**
 * The language a message in parts started in (`outbox.parts_lang`): written with the count of its
 * first delivered part (outbox.ts markPartsSent), so a send resumed after the chat ran /lang (a
 * retry may come an hour later) renders and splits the same message and sends the rest of it,
 * not the rest of a translation. NULL while no part went out: the chat's language at send time.
 * Rows with parts out when this runs keep NULL (their language was not recorded): as before.
 */
export const m017: Migration = {
  version: 17,
  name: 'parts-lang',
  steps: () => ['ALTER TABLE outbox ADD COLUMN parts_lang TEXT'],
};
