/** `goldratio backfill [--json]`: daily history since BACKFILL_FROM on first use, afterwards only what is missing. */
import { storeOf, type CliContext, type Command } from './command.ts';
import { CLI_SPECS } from './specs.ts';
import { json, parseCli } from './args.ts';
import { createMarket, type SyncReport } from '../market/market.ts';
import { QuoteStore } from '../store/quotes.ts';

export function syncReportText(report: SyncReport): string {
  return report.instruments
    .map((r) =>
      r.ok
        ? `${r.instrument.padEnd(5)} ${r.from}..${r.to} from ${r.source}: ${r.fetched} fetched, ${r.inserted} new, ${r.updated} updated` +
          (r.held > 0 ? `, ${r.held} held for confirmation` : '') +
          (r.rejected > 0 ? `, ${r.rejected} rejected` : '')
        : // The range it was fetching, as a synced line shows it: with the instrument and each source's failure, what a retry needs.
          `${r.instrument.padEnd(5)} ${r.from}..${r.to} FAILED: ${r.errors.join('; ')}`,
    )
    .join('\n');
}

export const backfillCommand: Command = {
  ...CLI_SPECS.backfill,
  database: 'write',
  async run(args, ctx) {
    const { values } = parseCli(args, { json: { type: 'boolean' } });
    const market = createMarket(ctx.config, new QuoteStore(await storeOf(ctx)), ctx.log);
    const report = await market.backfill(ctx.signal);
    // Ctrl-C or SIGTERM: what it only cut short is not a failure ("FAILED: aborted"), but one line naming it, as import says it.
    const stopped = ctx.signal.aborted ? report.instruments.filter((r) => !r.ok && r.errors.every((e) => /\babort/i.test(e))) : [];
    const shown = { ...report, instruments: report.instruments.filter((r) => !stopped.includes(r)) };
    if (values.json === true) ctx.out(json(report));
    else if (shown.instruments.length > 0) ctx.out(syncReportText(shown));
    if (stopped.length > 0)
      return stoppedBy(
        ctx,
        stopped.map((r) => r.instrument),
      );
    if (report.ok) return 0;
    // Under JSON logs a failed run ends with its line too: a collector sees it without stdout.
    const failed = report.instruments.filter((r) => !r.ok);
    ctx.answers?.error(`backfill failed for ${failed.map((r) => r.instrument).join(', ')}`, {
      command: 'backfill',
      exitCode: 1,
      failed: failed.map((r) => ({ instrument: r.instrument, from: r.from, to: r.to, errors: r.errors })),
    });
    return 1;
  },
};

/** Stopped by a signal: one line naming what was not fetched; exit 130 (SIGINT) or 143 (SIGTERM). */
function stoppedBy(ctx: CliContext, instruments: readonly string[]): number {
  const sigterm = ctx.signal.reason === 'SIGTERM';
  const said = `stopped by ${sigterm ? 'SIGTERM' : 'SIGINT'}: ${instruments.join(', ')} not fetched; what is stored stays, and the next backfill fetches what is missing`;
  const exitCode = sigterm ? 143 : 130;
  if (ctx.answers) ctx.answers.warn(said, { command: 'backfill', exitCode });
  else ctx.err(`goldratio backfill: ${said}`);
  return exitCode;
}
