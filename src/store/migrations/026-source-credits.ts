import type { Migration } from './index.ts';

/**
 * A keyed source's count of credits (market/credits.ts, store/source-credits.ts), one row per
 * source, so every process on the store spends one plan: the UTC day and the credits spent in it,
 * when each credit of the last minute was taken (ms, comma-separated, oldest first: at most the
 * plan's minute, 8 for Twelve Data's free plan), and until when the source itself said it has run
 * out (ms). Kept in each process's memory before, a backfill beside the bot, or a new leader, started
 * a count of its own and two of them could spend 16 credits in a minute of an 8-credit plan.
 */
export const m026: Migration = {
  version: 26,
  name: 'source-credits',
  steps: (t) => [
    `CREATE TABLE source_credits (
       source TEXT NOT NULL PRIMARY KEY,
       day TEXT NOT NULL,
       used_today INTEGER NOT NULL,
       taken TEXT NOT NULL,
       out_until ${t.bigint} NOT NULL
     ) ${t.withoutRowid}`,
  ],
};
