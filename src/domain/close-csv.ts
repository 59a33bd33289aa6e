/**
 * Parses a `date,close` CSV (goldratio's import format, and the format of shared market history).
 * Pure: text in, good rows and line-numbered problems out. Never throws on bad input.
 */
import { isIsoDate } from './dates.ts';

export interface CsvRow {
  readonly line: number;
  readonly date: string;
  readonly close: number;
  /** The close as the file writes it (`100000000000000000000000`, not `1e+23`): messages quote it. */
  readonly closeText: string;
}

export interface CsvProblem {
  readonly line: number;
  readonly message: string;
}

export interface ParsedCsv {
  readonly rows: readonly CsvRow[];
  readonly problems: readonly CsvProblem[];
}

/** A close as goldratio reads it: plain decimal digits with a decimal point (`3023.94`). */
const PLAIN_DECIMAL = /^\d+(\.\d+)?$/;

const DECIMAL_HINT = 'goldratio reads comma-separated files with a decimal point (2020-03-05,3023.94)';

const BINARY_PROBLEM =
  'the file is not UTF-8 text (a spreadsheet like .xlsx, a zip, or a UTF-16 export?): save it as CSV (UTF-8), date,close with a decimal point';

/**
 * A line's cells, split at commas and tabs outside double quotes; a quoted cell loses its quotes
 * (`""` inside is one `"`), so a message quotes the cell once, as it was meant.
 */
function splitCells(raw: string): string[] {
  // Most files quote nothing: a plain split (the history files' 8,000 rows each).
  if (!raw.includes('"')) return raw.split(/[,\t]/).map((c) => c.trim());
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (quoted) {
      if (ch === '"' && raw[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell.trim() === '') {
      cell = '';
      quoted = true;
    } else if (ch === ',' || ch === '\t') {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

/** What is wrong with a close that holds a comma (`3023,94`, `8,000.00`, `5,960`), if that is what it is. */
function commaProblem(close: string): string | undefined {
  const cut = close.slice(0, 30);
  const thousands = /^\d{1,3}(,\d{3})+$/;
  const [whole = '', fraction] = close.split('.');
  // A point as well as commas, or more than one comma: the commas group thousands.
  if (thousands.test(whole) && (fraction !== undefined || whole.split(',').length > 2) && /^\d*$/.test(fraction ?? ''))
    return `close "${cut}" has a thousands separator: write it as ${close.replaceAll(',', '')}`;
  // 5,960: 5960, or 5.96 in a decimal-comma locale.
  if (thousands.test(close)) return `close "${cut}" has a decimal comma or a thousands separator: ${DECIMAL_HINT}`;
  if (/^\d+,\d+$/.test(close)) return `close "${cut}" has a decimal comma: ${DECIMAL_HINT}`;
  return undefined;
}

/** How to write a date that is one in another spelling: 2024/01/05 → 2024-01-05; 05.01.2024 is either order. */
function dateHint(date: string): string {
  const ymd = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/.exec(date);
  if (ymd !== null) {
    const iso = `${ymd[1]}-${ymd[2]!.padStart(2, '0')}-${ymd[3]!.padStart(2, '0')}`;
    return isIsoDate(iso) ? `: write it as ${iso}` : '';
  }
  if (/^\d{1,2}[/.-]\d{1,2}[/.-]\d{4}$/.test(date)) return ': export the dates as YYYY-MM-DD (goldratio does not guess day-first or month-first)';
  return '';
}

/**
 * Accepts an optional header (`date,close`, any case, extra columns ignored when named), commas or
 * tabs, CRLF or a lone CR (an old Mac CSV), blank lines. Checks each row: a real ISO date, a close written as a plain decimal
 * number (`0x10`, `1e3` and `3023,94` are refused, never read as 16, 1000 or 3023), the same date
 * at most once (a repeat with the same close is skipped; with another close, neither is taken), and not after `today`. A `;`-separated file (a decimal-comma locale) is refused
 * whole, with a hint; so is a file that is not UTF-8 text.
 */
export function parseCloseCsv(text: string, today: string): ParsedCsv {
  const rows: CsvRow[] = [];
  const problems: CsvProblem[] = [];
  const seen = new Map<string, { line: number; close: number; closeText: string }>();
  const conflicted = new Set<string>();
  // Not text at all (a .xlsx, a zip, a UTF-16 "Unicode text" export): said once, not as a guess at its separator.
  const binary = /[\0\uFFFD]/.exec(text.slice(0, 64 * 1024));
  if (binary !== null) {
    const line = text.slice(0, binary.index).split('\n').length;
    problems.push({ line, message: BINARY_PROBLEM });
    return { rows, problems };
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  let dateCol = 0;
  let closeCol = 1;
  let first = true;
  let columns = 2;
  let header = 'date,close';
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    const line = i + 1;
    if (raw === '' || raw.startsWith('#')) continue;
    if (first && raw.includes(';')) {
      problems.push({ line, message: `the file is separated by ";" (a decimal-comma export?): ${DECIMAL_HINT}; save it as CSV with "." decimals` });
      return { rows, problems };
    }
    const cells = splitCells(raw);
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
        columns = cells.length;
        header = cells.join(',');
        continue;
      }
    }
    const date = cells[dateCol] ?? '';
    const closeText = cells[closeCol] ?? '';
    if (!isIsoDate(date)) {
      problems.push({ line, message: `"${date.slice(0, 30)}" is not a date YYYY-MM-DD${dateHint(date)}` });
      continue;
    }
    if (date > today) {
      problems.push({ line, message: `${date} is in the future` });
      continue;
    }
    if (cells.length > columns && closeCol === columns - 1) {
      // More cells than columns: the close itself held a comma (3023,94 or 5,960.00), or the row has a column too many.
      const extra = cells.slice(columns);
      const problem =
        commaProblem(cells.slice(closeCol).join(',')) ??
        `${extra.length === 1 ? 'a column' : 'columns'} too many, "${extra.join(',').slice(0, 30)}" after the close: rows have ${columns} columns (${header.slice(0, 60)})`;
      problems.push({ line, message: problem });
      continue;
    }
    const close = PLAIN_DECIMAL.test(closeText) ? Number(closeText) : Number.NaN;
    const comma = Number.isNaN(close) ? commaProblem(closeText) : undefined;
    if (comma !== undefined) {
      problems.push({ line, message: comma });
      continue;
    }
    if (!Number.isFinite(close) || close <= 0) {
      problems.push({ line, message: `close "${closeText.slice(0, 30)}" is not a positive number (write it as a plain decimal like 3023.94)` });
      continue;
    }
    const dup = seen.get(date);
    if (dup !== undefined) {
      if (dup.close === close) {
        problems.push({ line, message: `${date} already given on line ${dup.line}` });
        continue;
      }
      // Two closes for one day: the file does not know which is true, so neither is taken.
      if (!conflicted.has(date)) {
        conflicted.add(date);
        problems.push({ line: dup.line, message: `${date} is given again on line ${line} with another close: neither is imported` });
      }
      problems.push({ line, message: `${date} already given on line ${dup.line} with another close (${dup.closeText}): neither is imported` });
      continue;
    }
    seen.set(date, { line, close, closeText });
    rows.push({ line, date, close, closeText });
  }
  const kept = conflicted.size === 0 ? rows : rows.filter((r) => !conflicted.has(r.date));
  kept.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  problems.sort((a, b) => a.line - b.line);
  return { rows: kept, problems };
}

/**
 * Rows that are one a month, each dated the 1st (three or more): monthly data, such as a month's
 * average (Shiller's S&P 500, the World Bank's gold). Imported as a daily instrument, each 1st that
 * is a trading day would take a month's value in place of that day's close.
 */
export function looksMonthly(rows: readonly Pick<CsvRow, 'date'>[]): boolean {
  if (rows.length < 3 || !rows.every((r) => r.date.endsWith('-01'))) return false;
  return new Set(rows.map((r) => r.date.slice(0, 7))).size === rows.length;
}
