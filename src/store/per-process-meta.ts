/**
 * The `meta` rows that belong to one process on one store, not to the data: `goldratio copy-data`
 * leaves them out (store/copy.ts), as in PostgreSQL they would name a process that never ran there
 * or hold back what its first start does. A refused-token note (token-notes.ts) names a process on
 * the SQLite file and its token's state then; a scan's claim (platforms/telegram/type-scan.ts
 * TYPE_SCAN_KEY, rights-scan.ts RIGHTS_SCAN_KEY while a scan runs) is a lease of a process (the copy
 * runs with no bot on the file: one that was killed mid-scan), which would keep the first start on
 * PostgreSQL from scanning for minutes. The rights-back scan's time once done stays (Telegram's
 * 24 hours of updates are the same whatever the store).
 */
import { isTokenNoteKey } from './token-notes.ts';

/** Kept in step with platforms/telegram/type-scan.ts and rights-scan.ts (tests/cli/copy-data.test.ts compares them). */
export const TYPE_SCAN_META = 'telegram.type_scan';
export const RIGHTS_SCAN_META = 'telegram.rights_scan_at';
/** A rights-back scan under way: its lease (`<ms>.0`), or the first lease's form (`running@<ms>`). */
const RIGHTS_SCAN_LEASE = /^(\d+\.0|running@\d+)$/;

/** What the row is, when it is one process's (to say in copy-data's summary); undefined for the data's own. */
export function perProcessMeta(key: string, value: string): string | undefined {
  if (isTokenNoteKey(key)) return 'refused-token note of a process on the SQLite file';
  if (key === TYPE_SCAN_META && value !== '0') return "claim of a Telegram chat-type scan under way (a process's lease)";
  if (key === RIGHTS_SCAN_META && RIGHTS_SCAN_LEASE.test(value)) return "claim of a Telegram rights-back scan under way (a process's lease)";
  return undefined;
}
