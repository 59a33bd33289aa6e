/**
 * Gold closes that repeat the one before them to the cent. A source that missed a day and carried
 * its last price forward writes such rows (the spot tail of the real gold_daily.csv has some twenty
 * on ordinary weekdays of 2026: 2026-01-20, 01-28, 02-17, 02-18, ...); stored, each stands as that
 * day's price, so the ratio's 1D that day is the index's move alone and "the gold price of <date>"
 * names a day whose price it is not. A real fix can equal the day before's (the LBMA fix was quoted
 * to the quarter dollar for decades, and pegged near $35 before 1971), so a repeat is said, not
 * refused: an import can leave them out (`--skip-repeats`), which changes no ratio (the day then
 * uses the price before, the same number) but the day the price is named after.
 */

export interface DatedClose {
  readonly date: string;
  readonly close: number;
}

/** The dates of the rows (in date order) whose close equals the row before's; `before`, the close stored before the first row. */
export function repeatedCloses(rows: readonly DatedClose[], before?: number): string[] {
  const dates: string[] = [];
  let prev = before;
  for (const r of rows) {
    if (prev !== undefined && r.close === prev) dates.push(r.date);
    prev = r.close;
  }
  return dates;
}

/** How many repeats there are and which, for one line: "3 (2026-01-20, 2026-01-28, 2026-02-17)", the first five and the last. */
export function repeatsText(dates: readonly string[]): string {
  const shown = dates.length <= 6 ? dates : [...dates.slice(0, 5), '...', dates[dates.length - 1]!];
  return `${dates.length} (${shown.join(', ')})`;
}
