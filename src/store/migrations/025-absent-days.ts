import type { Migration } from './index.ts';

/**
 * The days a quote source was asked to fill and did not have (market/sync-closes.ts): per
 * instrument, day and source, when it was asked (ms) and whether it had later days then (1: its
 * answer is settled, asked again once a day; 0: the fix not published yet, asked again every hour).
 * Kept in memory only, every restart asked Yahoo and the LBMA again for the days they never have;
 * a row goes when the day is found or 14 days after it was asked, as the memory's did.
 * (024 is another change's.)
 */
export const m025: Migration = {
  version: 25,
  name: 'absent-days',
  steps: (t) => [
    `CREATE TABLE absent_days (
       instrument TEXT NOT NULL,
       date TEXT NOT NULL,
       source TEXT NOT NULL,
       asked_ms ${t.bigint} NOT NULL,
       later INTEGER NOT NULL,
       PRIMARY KEY (instrument, date, source)
     ) ${t.withoutRowid}`,
  ],
};
