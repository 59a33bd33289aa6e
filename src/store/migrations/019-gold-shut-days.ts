import { sql } from 'kysely';
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
 * The days are listed here, 1968 to 2100, from the rule as it is at this version: once a process,
 * and each day spelt out directly, not through addDays (48,500 days: a new database's migrations
 * took 100 ms more for this list alone).
 */
function shutDays(): string[] {
  const days: string[] = [];
  const two = (n: number) => String(n).padStart(2, '0');
  for (let year = 1968; year <= 2100; year++) {
    for (let month = 1; month <= 12; month++) {
      const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
      for (let day = 1; day <= last; day++) {
        const date = `${year}-${two(month)}-${two(day)}`;
        if (goldShutDay(date) !== undefined) days.push(date);
      }
    }
  }
  return days;
}

/** shutDays as the SQL list the steps test against, made by the first migration that needs it. */
let shutList: string | undefined;

/** The four statements, in order: note each row removed, move the data version, remove the rows and any held one. */
export function goldShutDayStatements(): readonly string[] {
  shutList ??= shutDays()
    .map((d) => `'${d}'`)
    .join(',');
  const those = `instrument = 'gold' AND date IN (${shutList})`;
  return [
    `INSERT INTO meta (key, value) SELECT '${REMOVED_GOLD_PREFIX}' || date, CAST(close AS TEXT) || ' ' || source FROM closes WHERE ${those}
       ON CONFLICT (key) DO NOTHING`,
    `UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT) WHERE key = 'data_version' AND EXISTS (SELECT 1 FROM closes WHERE ${those})`,
    `DELETE FROM closes WHERE ${those}`,
    `DELETE FROM held_quotes WHERE ${those}`,
  ];
}

/** One row when `table` holds a gold row: the statement on it runs once, else not at all. */
const anyGold = (table: string) => `SELECT 1 AS found FROM ${table} WHERE instrument = 'gold' LIMIT 1`;

/**
 * Each statement runs only where its table holds gold: on a new database (a first start, the first
 * import, a `goldratio status` before any, each test's) the list is not made and the engine does
 * not parse it four times, which took ~50 ms of such an open, and ~150 ms of a CLI command's. The
 * statements and their order are as they were: a database with gold rows migrates as before.
 */
export const m019: Migration = {
  version: 19,
  name: 'gold-shut-days',
  steps: () =>
    (['closes', 'closes', 'closes', 'held_quotes'] as const).map((table, i) => ({
      select: anyGold(table),
      each: () => sql.raw(goldShutDayStatements()[i]!),
    })),
};
