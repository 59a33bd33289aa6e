/**
 * Parses a `date,close` CSV (goldratio's import format, and the format of shared market history).
 * Pure: text in, good rows and line-numbered problems out. Never throws on bad input.
 */
import { isIsoDate } from './dates.ts';

export interface CsvRow {
  readonly line: number;
  readonly date: string;
  readonly close: number;
}

export interface CsvProblem {
  readonly line: number;
  readonly message: string;
}

export interface ParsedCsv {
  readonly rows: readonly CsvRow[];
  readonly problems: readonly CsvProblem[];
}

/**
 * Accepts an optional header (`date,close`, any case, extra columns ignored when named), commas or
 * semicolons, CRLF, blank lines. Checks each row: a real ISO date, a finite positive close, the same
 * date at most once, and not after `today`.
 */
export function parseCloseCsv(text: string, today: string): ParsedCsv {
  const rows: CsvRow[] = [];
  const problems: CsvProblem[] = [];
  const seen = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let dateCol = 0;
  let closeCol = 1;
  let first = true;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    const line = i + 1;
    if (raw === '' || raw.startsWith('#')) continue;
    const cells = raw.split(/[,;\t]/).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
    if (first) {
      first = false;
      const lower = cells.map((c) => c.toLowerCase());
      if (!/^\d/.test(lower[0] ?? '')) {
        const d = lower.findIndex((c) => c === 'date' || c === 'observation_date');
        const c = lower.findIndex((c) => c === 'close' || c === 'value' || c === 'price' || c === 'm2sl');
        if (d < 0 || c < 0) {
          problems.push({ line, message: `header must name a date and a close column (got "${raw.slice(0, 60)}")` });
          return { rows, problems };
        }
        dateCol = d;
        closeCol = c;
        continue;
      }
    }
    const date = cells[dateCol] ?? '';
    const closeText = cells[closeCol] ?? '';
    if (!isIsoDate(date)) {
      problems.push({ line, message: `"${date.slice(0, 30)}" is not a date YYYY-MM-DD` });
      continue;
    }
    if (date > today) {
      problems.push({ line, message: `${date} is in the future` });
      continue;
    }
    const close = closeText === '' || closeText === '.' ? Number.NaN : Number(closeText);
    if (!Number.isFinite(close) || close <= 0) {
      problems.push({ line, message: `close "${closeText.slice(0, 30)}" is not a positive number` });
      continue;
    }
    const dup = seen.get(date);
    if (dup !== undefined) {
      problems.push({ line, message: `${date} already given on line ${dup}` });
      continue;
    }
    seen.set(date, line);
    rows.push({ line, date, close });
  }
  rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { rows, problems };
}
