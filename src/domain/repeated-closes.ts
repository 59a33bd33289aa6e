/**
 * Gold closes that repeat the one before them to the cent. A source that missed a day and carried
 * its last price forward writes such rows (the spot tail of the real gold_daily.csv has some twenty
 * on ordinary weekdays of 2026: 2026-01-20, 01-28, 02-17, 02-18, ...); stored, each stands as that
 * day's price, so the ratio's 1D that day is the index's move alone and "the gold price of <date>"
 * names a day whose price it is not. A real fix can equal the day before's (the LBMA fix was quoted
 * to the quarter dollar for decades, and pegged near $35 before 1971), so a repeat is said, not
 * refused: an import can leave the most likely carried out (`--skip-repeats`, weighRepeats), which
 * changes no ratio (the day then uses the price before, the same number) but the day the price is
 * named after.
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

/** A repeat's day and whether it is most likely a carried price rather than a fix equal to the day before's. */
export interface Repeat {
  readonly date: string;
  readonly carried: boolean;
}

/** The quoting steps a gold price has been written in: whole dollars, quarters, nickels, cents. */
const STEPS = [1, 0.25, 0.05, 0.01] as const;
/** How many quoting steps the price moves on a typical day before an equal close counts as carried (about 1 chance in 200 by luck). */
const CARRIED_AT = 100;
/** The rows before a repeat its neighbourhood is read from. */
const WINDOW = 20;

/**
 * Each repeat of `rows` (in date order), weighed as an analyst would: the chance that a real fix
 * equals the day before's is about one in the number of quoting steps the price moves on a day. In
 * the 20 rows up to it, the coarsest step every close is a multiple of (1968's $35.18: cents; the
 * 2000s' fix: quarters) against the median of the days the price moved; a hundred steps or more and
 * the equal close is most likely carried (2026's spot gold moves thousands of cents a day), fewer
 * and it is a plausible fix (1968's pegged price moved a few cents).
 */
export function weighRepeats(rows: readonly DatedClose[], before?: number): Repeat[] {
  const dates = new Set(repeatedCloses(rows, before));
  const out: Repeat[] = [];
  rows.forEach((r, i) => {
    if (!dates.has(r.date)) return;
    const near = rows.slice(Math.max(0, i - WINDOW), i + 1).map((x) => x.close);
    const step = STEPS.find((s) => near.every((c) => Math.abs(c / s - Math.round(c / s)) < 1e-6)) ?? 0.01;
    const moves = near
      .slice(1)
      .map((c, j) => Math.abs(c - near[j]!))
      .filter((m) => m > 0)
      .sort((a, b) => a - b);
    const median = moves.length === 0 ? 0 : moves[Math.floor(moves.length / 2)]!;
    out.push({ date: r.date, carried: median / step >= CARRIED_AT });
  });
  return out;
}

/** One line's words for them: the likely carried first, then the plausible fixes. */
export function repeatsLine(repeats: readonly Repeat[]): string {
  const carried = repeats.filter((r) => r.carried).map((r) => r.date);
  const plausible = repeats.filter((r) => !r.carried).map((r) => r.date);
  const parts = [
    ...(carried.length > 0
      ? [`${repeatsText(carried)} most likely carried forward over a missed day (the price moves a hundred quoting steps a day there)`]
      : []),
    ...(plausible.length > 0 ? [`${repeatsText(plausible)} plausible fixes (a price quoted coarsely or moving little then)`] : []),
  ];
  return `${repeats.length} row${repeats.length === 1 ? '' : 's'} repeat${repeats.length === 1 ? 's' : ''} the close before to the cent: ${parts.join('; ')}`;
}

/** How many repeats there are and which, for one line: "3 (2026-01-20, 2026-01-28, 2026-02-17)", the first five and the last. */
export function repeatsText(dates: readonly string[]): string {
  const shown = dates.length <= 6 ? dates : [...dates.slice(0, 5), '...', dates[dates.length - 1]!];
  return `${dates.length} (${shown.join(', ')})`;
}
