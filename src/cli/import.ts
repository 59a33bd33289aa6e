/** `goldratio import <spx|qqq|gold|m2> <file.csv> [--strict]`: load a date,close CSV. */
import { readFileSync } from 'node:fs';
import { UserError, type Command } from './command.ts';
import { CLI_SPECS } from './specs.ts';
import { parseCli } from './args.ts';
import { parseCloseCsv } from '../domain/close-csv.ts';
import { INSTRUMENT_INFO, isInstrumentId } from '../domain/instruments.ts';
import { dateInZone } from '../domain/dates.ts';
import { QuoteStore } from '../store/quotes.ts';

const USAGE = CLI_SPECS.import.usage;

export const importCommand: Command = {
  ...CLI_SPECS.import,
  async run(args, ctx) {
    const { values, positionals } = parseCli(args, { strict: { type: 'boolean' }, source: { type: 'string' } });
    const [instrument, file, ...extra] = positionals;
    if (instrument === undefined || file === undefined || extra.length > 0) throw new UserError(`usage: goldratio ${USAGE}`);
    if (!isInstrumentId(instrument)) throw new UserError(`unknown instrument "${instrument}": use spx, qqq, gold or m2`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UserError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const today = dateInZone(new Date(), 'America/New_York');
    const parsed = parseCloseCsv(text, today);
    const { min, max } = INSTRUMENT_INFO[instrument].plausible;
    const problems = [...parsed.problems];
    const good = parsed.rows.filter((r) => {
      if (r.close >= min && r.close <= max) return true;
      problems.push({ line: r.line, message: `close ${r.close} is implausible for ${instrument} (expected ${min}..${max})` });
      return false;
    });
    problems.sort((a, b) => a.line - b.line);
    for (const p of problems.slice(0, 50)) ctx.err(`${file}:${p.line}: ${p.message}`);
    if (problems.length > 50) ctx.err(`... and ${problems.length - 50} more bad rows`);

    if (values.strict === true && problems.length > 0) {
      ctx.out(`nothing imported: ${problems.length} bad row(s) and --strict`);
      return 1;
    }
    if (good.length === 0) {
      ctx.out(`nothing imported: no good rows in ${file}`);
      return 1;
    }
    const source = values.source ?? `import:${file.split('/').pop()}`;
    const store = new QuoteStore(ctx.db());
    const counts = store.upsertCloses(
      instrument,
      good.map((r) => ({ date: r.date, close: r.close, source })),
    );
    ctx.out(
      `${instrument}: ${good.length} good rows (${counts.inserted} new, ${counts.updated} updated, ${counts.unchanged} unchanged), ` +
        `${problems.length} bad row(s) skipped, ${good[0]!.date} .. ${good[good.length - 1]!.date}`,
    );
    return 0;
  },
};
