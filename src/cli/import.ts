/** `goldratio import <spx|qqq|gold|m2> <file.csv> [--strict] [--skip-repeats]`: load a date,close CSV. */
import { readFileSync, statSync } from 'node:fs';
import { storeOf, UserError, whereOf, type CliContext, type Command } from './command.ts';
import { CLI_SPECS } from './specs.ts';
import { cut, fileProblem, parseCli } from './args.ts';
import { looksMonthly, parseCloseCsv } from '../domain/close-csv.ts';
import { isInstrumentId, type InstrumentId } from '../domain/instruments.ts';
import type { CsvProblem, CsvRow } from '../domain/close-csv.ts';
import { priceProblem, validateSeries } from '../domain/acceptance.ts';
import { tradingDate } from '../domain/nyse-calendar.ts';
import { repeatsLine, weighRepeats, type Repeat } from '../domain/repeated-closes.ts';
import { QuoteStore } from '../store/quotes.ts';
import { isBusy } from '../store/busy.ts';

const USAGE = CLI_SPECS.import.usage;
const MB = 1024 * 1024;
/** The largest CSV read: far above any history of daily closes, far below what a string can hold. */
const MAX_CSV_BYTES = 64 * MB;

export const importCommand: Command = {
  ...CLI_SPECS.import,
  database: 'write',
  async run(args, ctx) {
    const { values, positionals } = parseCli(args, { strict: { type: 'boolean' }, source: { type: 'string' }, 'skip-repeats': { type: 'boolean' } }, 2);
    const [instrumentArg, path] = positionals;
    const instrument = instrumentArg?.toLowerCase();
    if (instrument === undefined || path === undefined) throw new UserError(`usage: goldratio ${USAGE}`);
    // An empty name (import spx "$FILE" with FILE unset) is a missing file, not "cannot read : no such file".
    if (path.trim() === '') throw new UserError(`missing file: usage: goldratio ${USAGE}`);
    if (!isInstrumentId(instrument)) throw new UserError(`unknown instrument "${cut(instrumentArg ?? '')}": use spx, qqq, gold or m2`);
    // The source is shown on one line of `status` (and kept with every row): a name, not text that breaks it.
    if (values.source !== undefined && !/^[^\p{Cc}]{1,40}$/u.test(values.source.trim()))
      throw new UserError(`--source must be a short name (1 to 40 characters, no line breaks), got "${cut(JSON.stringify(values.source).slice(1, -1))}"`);
    // `-` is standard input, as for cat: `curl … | goldratio import spx -`; its rows are said as stdin:3.
    const file = path === '-' ? 'stdin' : path;
    let text: string;
    if (path === '-') {
      // A terminal would wait for typing that never comes: a hang, to the operator.
      if (process.stdin.isTTY === true)
        throw new UserError(
          `- reads the CSV from standard input, which is a terminal here: pipe it in (goldratio import ${instrument} - < ${instrument}.csv), or name the file`,
        );
      const read = await readStdin(MAX_CSV_BYTES);
      if (read === 'too big')
        throw new UserError(
          `nothing imported: standard input holds more than ${MAX_CSV_BYTES / MB} MB, more than a CSV of daily closes holds (a century of them is under 1 MB): is it the right file?`,
        );
      text = read;
    } else {
      try {
        // A wrong file of hundreds of MB (a disk image, a log) is said from its size, not read for
        // seconds to end in ERR_STRING_TOO_LONG; a century of daily closes is under 1 MB.
        const { size } = statSync(path);
        if (size > MAX_CSV_BYTES)
          throw new UserError(
            `nothing imported: ${path} is ${Math.round(size / MB)} MB, more than a CSV of daily closes holds (a century of them is under 1 MB; at most ${MAX_CSV_BYTES / MB} MB is read): is it the right file?`,
          );
        text = readFileSync(path, 'utf8');
      } catch (e) {
        if (e instanceof UserError) throw e;
        throw new UserError(`cannot read ${path}: ${fileProblem(e)}`);
      }
    }
    const nowMs = ctx.now?.() ?? Date.now();
    const today = tradingDate(nowMs);
    // Reading, parsing and checking hold the event loop; a signal that came meanwhile is heard here.
    if (await heard(ctx.signal)) return stopped(ctx);
    ctx.log.debug(`import: checking ${file} (${text.length} characters)`);
    const parsed = parseCloseCsv(text, today);
    if (await heard(ctx.signal)) return stopped(ctx);
    if (instrument !== 'm2' && looksMonthly(parsed.rows))
      throw new UserError(
        `nothing imported: ${file} has one row a month, each dated the 1st (monthly data, such as monthly averages): ${instrument} takes daily closes; import a daily file`,
      );
    // The database is opened (and created) only when there is something to check and store.
    const store = parsed.rows.length > 0 ? new QuoteStore(await storeOf(ctx)) : undefined;
    const verdict = store
      ? await checkAgainstStored(store, instrument, parsed.rows, ctx.config.maxMovePct, today, nowMs)
      : { good: [], problems: [], repeated: [], unlike: { shared: 0, differing: 0 } };
    if (await heard(ctx.signal)) return stopped(ctx);
    const other = anotherSeries(verdict.unlike, instrument, file, ctx.config.maxMovePct);
    if (other !== undefined) throw other;
    const problems = [...parsed.problems, ...verdict.problems];
    const repeats = verdict.repeated;
    const skipRepeats = values['skip-repeats'] === true;
    const carried = new Set(repeats.filter((r) => r.carried).map((r) => r.date));
    const good = skipRepeats ? verdict.good.filter((r) => !carried.has(r.date)) : verdict.good;
    problems.sort((a, b) => a.line - b.line);
    for (const p of problems.slice(0, 50)) ctx.err(`${file}:${p.line}: ${p.message}`);
    if (problems.length > 50) ctx.err(`... and ${problems.length - 50} more bad rows`);

    if (repeats.length > 0) {
      const said =
        `${file}: ${instrument}: ${repeatsLine(repeats)}; ` +
        (skipRepeats
          ? 'the carried ones left out (--skip-repeats): those days use the price before, the same number'
          : "all stored as those days' prices (--skip-repeats leaves out the carried ones)");
      ctx.err(said);
    }
    // A file that lands nothing is the user's to fix: one line on stderr, exit 2, stdout empty.
    if (values.strict === true && problems.length > 0) throw new UserError(`nothing imported: ${rowsOf(problems.length, 'bad')} in ${file} and --strict`);
    // No row and nothing wrong with one: the file holds nothing (blank) or only its header; say which.
    if (parsed.rows.length === 0 && problems.length === 0)
      throw new UserError(
        text.trim() === ''
          ? `nothing imported: ${file} is empty`
          : `nothing imported: ${file} has a header line and no rows (a row is a date and a close: 2025-01-02,5868.55)`,
      );
    if (good.length === 0)
      throw new UserError(
        verdict.good.length > 0
          ? `nothing imported: every good row of ${file} repeats the close before it, most likely carried, and --skip-repeats leaves those out`
          : `nothing imported: no good rows in ${file}`,
      );
    const source = values.source?.trim() ?? `import:${file.split('/').pop()}`;
    ctx.log.debug(`import: writing ${good.length} rows in one transaction`);
    let counts: Awaited<ReturnType<QuoteStore['upsertClosesStoppable']>>;
    try {
      counts = await store!.upsertClosesStoppable(
        instrument,
        good.map((r) => ({ date: r.date, close: r.close, source })),
        ctx.signal,
        { onLockWait: () => ctx.log.info(`waiting for the database's write lock (another process, e.g. the running bot, holds it); Ctrl-C stops`) },
      );
    } catch (e) {
      if (isBusy(e)) throw new DatabaseBusyError(whereOf(ctx));
      throw e;
    }
    if (counts === 'aborted') return stopped(ctx);
    ctx.out(
      `${instrument}: ${rowsOf(good.length, 'good')} (${counts.inserted} new, ${counts.updated} updated, ${counts.unchanged} unchanged), ` +
        `${rowsOf(problems.length, 'bad')} skipped, ${skipRepeats && carried.size > 0 ? `${carried.size} carried left out, ` : ''}${good[0]!.date} .. ${good[good.length - 1]!.date}`,
    );
    return 0;
  },
};

/** Standard input as UTF-8 text, or 'too big' past `max` bytes (read no further). */
async function readStdin(max: number): Promise<string | 'too big'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > max) {
      process.stdin.destroy();
      return 'too big';
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** "1 good row", "2 bad rows". */
const rowsOf = (n: number, kind: 'good' | 'bad'): string => `${n} ${kind} row${n === 1 ? '' : 's'}`;

/** The write lock stayed taken for the whole wait: nothing was written; an IO failure, exit 1. */
class DatabaseBusyError extends Error {
  readonly code = 'SQLITE_BUSY';
  constructor(path: string) {
    super(`database ${path} stayed busy for 60 s (another process holds its write lock): nothing imported; try again`);
    this.name = 'DatabaseBusyError';
  }
}

/** Lets a pending SIGINT/SIGTERM run its handler, then says whether it came. */
async function heard(signal: AbortSignal): Promise<boolean> {
  await new Promise((r) => setImmediate(r));
  return signal.aborted;
}

/** Stopped by SIGINT/SIGTERM: one line, nothing stored (the import is one transaction), 130 or 143 as shells expect. */
function stopped(ctx: CliContext): number {
  const sigterm = ctx.signal.reason === 'SIGTERM';
  const said = `stopped by ${sigterm ? 'SIGTERM' : 'SIGINT'}: nothing imported`;
  const exitCode = sigterm ? 143 : 130;
  ctx.err(`goldratio import: ${said}`);
  return exitCode;
}

/**
 * Imported rows pass the same check as fetched ones: a plausible price, and no move over
 * MAX_MOVE_PCT against the neighbouring closes (stored ones included) unless the next day
 * confirms it. The imported rows are laid over the stored series and the whole is validated.
 */
async function checkAgainstStored(store: QuoteStore, instrument: InstrumentId, rows: readonly CsvRow[], maxMovePct: number, today: string, nowMs: number) {
  const fromFile = new Map(rows.map((r) => [r.date, r]));
  const stored = new Map((await store.closes(instrument)).map((p) => [p.date, p.value]));
  const merged = new Map(stored);
  for (const r of rows) merged.set(r.date, r.close);
  const series = [...merged].sort(([a], [b]) => (a < b ? -1 : 1)).map(([date, close]) => ({ date, close, source: 'check' }));
  const verdict = validateSeries(series, { instrument, today, nowMs, previous: undefined, held: new Map(), maxMovePct });
  const problems: CsvProblem[] = [];
  for (const { row, reason } of verdict.rejected) {
    const r = fromFile.get(row.date);
    // A close out of range is quoted as the file writes it (100000000000000000000000, not 1e+23).
    if (r !== undefined) problems.push({ line: r.line, message: priceProblem(instrument, row.close, r.closeText) ?? reason });
  }
  for (const { row, reason } of verdict.held) {
    const line = fromFile.get(row.date)?.line;
    const why = reason.replace(/: held until confirmed$/, '');
    if (line !== undefined) problems.push({ line, message: `${why} against its neighbours (a real move is confirmed by the next close)` });
  }
  const bad = new Set(problems.map((p) => p.line));
  const good = rows.filter((r) => !bad.has(r.line));
  // Gold's carried prices (domain/repeated-closes.ts), among the good rows laid over the stored closes.
  let repeated: Repeat[] = [];
  if (instrument === 'gold') {
    const rejected = new Set([...verdict.rejected, ...verdict.held].map((x) => x.row.date));
    const goodDates = new Set(good.map((r) => r.date));
    repeated = weighRepeats(series.filter((p) => !rejected.has(p.date))).filter((r) => goodDates.has(r.date));
  }
  return { good, problems, repeated, unlike: unlikeStored(rows, stored, maxMovePct) };
}

/** How a file's closes compare with the stored ones on the days both hold: how many differ by more than `pct`, and the first. */
interface Unlike {
  readonly shared: number;
  readonly differing: number;
  readonly first?: { readonly date: string; readonly stored: number; readonly file: string };
}

function unlikeStored(rows: readonly CsvRow[], stored: ReadonlyMap<string, number>, pct: number): Unlike {
  let shared = 0;
  let differing = 0;
  let first: Unlike['first'];
  for (const r of rows) {
    const was = stored.get(r.date);
    if (was === undefined) continue;
    shared++;
    if (Math.abs(r.close / was - 1) * 100 > pct) {
      differing++;
      first ??= { date: r.date, stored: was, file: r.closeText };
    }
  }
  return first === undefined ? { shared, differing } : { shared, differing, first };
}

/**
 * A file whose closes differ from most of the stored closes on the days both hold (three or more)
 * is another series (`import spx qqq.csv`, another currency): each of its moves is "confirmed" by
 * its next close, so the move check lets it through; laid over the stored closes it would replace
 * them all. A few corrected closes are not refused.
 */
function anotherSeries(u: Unlike, instrument: InstrumentId, file: string, pct: number): UserError | undefined {
  if (u.first === undefined || u.differing < 3 || u.differing * 2 <= u.shared) return undefined;
  return new UserError(
    `nothing imported: ${file} does not look like ${instrument}: on ${u.differing} of the ${u.shared} days it shares with the stored ${instrument} closes ` +
      `it differs by more than ${pct}% (MAX_MOVE_PCT), e.g. ${u.first.date}: stored ${u.first.stored}, file ${u.first.file}; is it another instrument's file?`,
  );
}
