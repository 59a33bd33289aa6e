import { addDays } from '../../domain/dates.ts';
import { goldShutDay } from '../../domain/close-calendar.ts';
import type { Migration } from './index.ts';

/** Where each removed row is noted until an operator is told of it (store/removed-closes.ts). */
export const REMOVED_GOLD_PREFIX = 'removed.gold:';

/**
 * The gold closes dated a day neither London fixes nor COMEX settles (domain/close-calendar.ts
 * goldShutDay: Christmas, New Year's Day, Good Friday, ...), which import and backfill refuse from
 * this version on, go from databases that took them before: every gold_daily.csv imported earlier
 * brought 2025-12-25, 2026-01-01, 2026-04-03 and 2026-05-25, each the day before's price carried, and
 * the bot said "the ratios use the gold price of 2025-12-25". Only the price rows go (and a held one
 * of such a day): events, messages and alert cursors decided from them stay as they were decided.
 *
 * - each removed row is noted in meta (`removed.gold:<date>` = `<close> <source>`) in the same
 *   transaction, and the next `start` (or writing command) says which and why, once;
 * - data_version moves when a row went, so charts cached (in memory, on disk) for the old closes
 *   are drawn again;
 * - the version itself makes a replica of the older code stand down from leading (as 013 does), so
 *   its daily sync cannot write such a row back during a rolling deploy, and an older process
 *   refuses the SQLite file.
 *
 * The days are listed here, 1968 to 2100, from the rule as it is at this version.
 */
function shutDays(): string[] {
  const days: string[] = [];
  for (let d = '1968-01-01'; d <= '2100-12-31'; d = addDays(d, 1)) if (goldShutDay(d) !== undefined) days.push(d);
  return days;
}

export const m019: Migration = {
  version: 19,
  name: 'gold-shut-days',
  steps: () => {
    const list = shutDays()
      .map((d) => `'${d}'`)
      .join(',');
    const those = `instrument = 'gold' AND date IN (${list})`;
    return [
      `INSERT INTO meta (key, value) SELECT '${REMOVED_GOLD_PREFIX}' || date, CAST(close AS TEXT) || ' ' || source FROM closes WHERE ${those}
         ON CONFLICT (key) DO NOTHING`,
      `UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT) WHERE key = 'data_version' AND EXISTS (SELECT 1 FROM closes WHERE ${those})`,
      `DELETE FROM closes WHERE ${those}`,
      `DELETE FROM held_quotes WHERE ${those}`,
    ];
  },
};
