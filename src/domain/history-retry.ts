/**
 * A series with no history at all (a first start offline, a source down since): the close step is
 * tried again soon instead of at the next trading day's close, which after a Friday evening start
 * is three days away. The state is one meta row (start-up.ts writes it), so every replica's /ratio
 * and /status can say why there is nothing and when the next try is.
 */
import type { InstrumentId } from './instruments.ts';
import { waitSaid } from './retry-span.ts';

/** meta: the pending retry, JSON of HistoryRetry; absent once every series has history. */
export const HISTORY_RETRY_KEY = 'history.retry';

export interface HistoryRetry {
  /** When the last try ended with these series still empty (ms). */
  readonly failedAt: number;
  /** When the next try is due (ms). */
  readonly nextAt: number;
  /** Tries so far that left a series empty. */
  readonly tries: number;
  readonly missing: readonly InstrumentId[];
}

/** Minutes after the 1st, 2nd, 3rd, 4th failed try; then every 15 minutes. */
const DELAYS_MIN = [1, 2, 5, 10] as const;
const LAST_DELAY_MIN = 15;

/** When to try again after the `tries`-th try that failed, at `failedAt`. */
export function nextRetryAt(failedAt: number, tries: number): number {
  return failedAt + (DELAYS_MIN[tries - 1] ?? LAST_DELAY_MIN) * 60_000;
}

/**
 * When a try due at `nextAt` runs: the history job ticks at every whole minute (start-up.ts), and
 * the first tick at or after it tries. What the log says, so "at 13:33:22" is not a minute early.
 */
export function retryTickAt(nextAt: number): number {
  return Math.ceil(nextAt / 60_000) * 60_000;
}

/**
 * The log's note after a start's sync left a series without history: when the next try is, as the
 * stored state has it, in UTC and how far off. A restart, or a replica taking over the lead,
 * continues the tries another process began (the state is in the database): from the 2nd on, the
 * next is not "in 1 minute". How far off in the words of the process's other lines about the same try
 * (schedule/next-run.ts runSaid: "in 66 s", not minutes rounded up to "2 minutes" beside it).
 * `first` is the note when no state is stored (the database unread).
 */
export function historyRetryNote(retry: HistoryRetry | undefined, now: number, first: string): string {
  if (retry === undefined) return first;
  const at = retryTickAt(retry.nextAt);
  const later = DELAYS_MIN.slice(Math.max(1, retry.tries));
  const then = later.length > 0 ? `then after ${later.join(', ')} and every ${LAST_DELAY_MIN} minutes` : `then every ${LAST_DELAY_MIN} minutes`;
  const tries = retry.tries > 1 ? ` (${retry.tries} tries so far)` : '';
  return `no history yet: the quote sources could not be reached${tries}. goldratio tries again at ${new Date(at).toISOString()} (in ${waitSaid(Math.max(0, at - now))}), ${then} until it has it; or load CSVs now with \`goldratio import\` (README: "Loading history without network")`;
}

/** The stored state, or undefined for none or a row that is not one (then the next close writes it anew). */
export function parseHistoryRetry(text: string | undefined): HistoryRetry | undefined {
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as Partial<HistoryRetry>;
    if (typeof v.failedAt !== 'number' || typeof v.nextAt !== 'number' || typeof v.tries !== 'number' || !Array.isArray(v.missing)) return undefined;
    return { failedAt: v.failedAt, nextAt: v.nextAt, tries: v.tries, missing: v.missing };
  } catch {
    return undefined;
  }
}
