/**
 * Which source each stored close came from, as runs of consecutive closes (a few rows per
 * instrument, not one per close), and the sources of the closes a chart draws over its dates:
 * what its footer names. The newest closes' sources say nothing about a window that ended before
 * them (an import of last week under a chart of 2007-2009).
 */
import { daysBetween } from './dates.ts';
import type { InstrumentId } from './instruments.ts';

/** Consecutive closes of one instrument from one source, `from` and `to` their first and last dates. */
export interface SourceSpan {
  readonly source: string;
  readonly from: string;
  readonly to: string;
}

/** One instrument's runs, ascending, and how many days back a drawn date may take its close (gold's carry, M2's). */
export interface InstrumentSources {
  readonly instrument: InstrumentId;
  readonly spans: readonly SourceSpan[];
  readonly carryDays: number;
}

/**
 * The sources of the closes drawn from `from` to `to` (inclusive), instrument by instrument in the
 * order given, then by date; each once. A close carried into the first date (gold's Friday under a
 * Monday's index) counts when it is within the instrument's carry.
 */
export function sourcesDrawn(instruments: readonly InstrumentSources[], from: string, to: string): string[] {
  const out = new Set<string>();
  for (const { spans, carryDays } of instruments) {
    let before: SourceSpan | undefined;
    let covered = false;
    for (const s of spans) {
      if (s.to < from) before = s;
      else if (s.from <= to) {
        out.add(s.source);
        if (s.from <= from) covered = true;
      }
    }
    if (!covered && before !== undefined && daysBetween(before.to, from) <= carryDays) out.add(before.source);
  }
  return [...out];
}
