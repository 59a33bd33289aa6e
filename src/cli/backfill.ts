/** `goldratio backfill [--json]`: daily history since BACKFILL_FROM on first use, afterwards only what is missing. */
import { storeOf, type CliContext, type Command } from './command.ts';
import { CLI_SPECS } from './specs.ts';
import { json, parseCli } from './args.ts';
import { createMarket, type InstrumentSync, type SyncReport } from '../market/market.ts';
import { QuoteStore } from '../store/quotes.ts';
import { filledText, repeatedText } from '../market/sync-closes.ts';

export function syncReportText(report: SyncReport): string {
  return report.instruments
    .map((r) =>
      r.ok
        ? `${r.instrument.padEnd(5)} ${r.from}..${r.to} from ${r.source}: ${r.fetched} fetched, ${r.inserted} new, ${r.updated} updated` +
          (filledText(r.filled) === '' ? '' : `, ${filledText(r.filled)}`) +
          (r.held > 0 ? `, ${r.held} held for confirmation` : '') +
          (r.rejected > 0 ? `, ${r.rejected} rejected` : '') +
          (r.repeated !== undefined && r.repeated.length > 0 ? `, ${repeatedText(r.repeated)}` : '')
        : // The range it was fetching, as a synced line shows it: with the instrument and each source's failure, what a retry needs;
          // and what it stored before failing (a history whose later windows were refused).
          // A source that answered, its part stored (even none new: a head no other source gave is what failed), is said too.
          `${r.instrument.padEnd(5)} ${r.from}..${r.to}${r.source !== undefined ? ` from ${r.source}: ${r.inserted} new, ${r.updated} updated, then` : ''} FAILED: ${r.errors.join('; ')}`,
    )
    .join('\n');
}

export const backfillCommand: Command = {
  ...CLI_SPECS.backfill,
  database: 'write',
  async run(args, ctx) {
    const { values } = parseCli(args, { json: { type: 'boolean' } });
    // Each instrument's line is in the report (or the stop line) already: logged again only under LOG_LEVEL=debug.
    // Its waits said as they come: offline, the retries of each source are half a minute of nothing.
    // A keyed source's minute of credits spent (more than 8 Twelve Data windows) is waited for, said
    // once, Ctrl-C ending the wait at once: a backfill would rather finish than fail for a minute.
    const market = createMarket(ctx.config, new QuoteStore(await storeOf(ctx)), ctx.log, {
      progress: 'debug',
      waitNotice: () => 'info',
      waitForCredits: true,
    });
    ctx.log.info(
      `fetching the history of spx, qqq, gold and m2 (what is missing, or since ${ctx.config.backfillFrom} where none is stored) from ${[...new Set(Object.values(market.sources).flat())].join(', ')}`,
    );
    const report = await market.backfill(ctx.signal);
    // Ctrl-C or SIGTERM: what it only cut short is not a failure ("FAILED: aborted"), and one line says
    // the whole of it (what was stored, what not, how to go on), as import says it. An instrument a
    // source failed before the signal cut its fallback short is not fetched either: the next run retries it.
    const cut = ctx.signal.aborted ? report.instruments.filter((r) => !r.ok && r.errors.some((e) => /\babort/i.test(e))) : [];
    if (cut.length > 0) {
      const signal = ctx.signal.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
      // --json: the report a script reads, saying which signal stopped it; the stopped ones without their "aborted".
      const instruments = report.instruments.map((r) => (cut.includes(r) ? { ...r, stopped: true, errors: [] } : r));
      if (values.json === true) ctx.out(json({ ok: false, stoppedBy: signal, instruments }));
      else {
        const failed = report.instruments.filter((r) => !r.ok && !cut.includes(r));
        if (failed.length > 0) ctx.out(syncReportText({ ok: false, instruments: failed }));
      }
      // One stopped half-way through its history (Twelve Data's windows) keeps what it stored.
      const inPart = cut.filter((r) => r.inserted + r.updated > 0);
      return stoppedBy(
        ctx,
        signal,
        [...report.instruments.filter((r) => r.ok), ...inPart],
        cut.map((r) => (inPart.includes(r) ? `the rest of ${r.instrument}` : r.instrument)),
      );
    }
    if (values.json === true) ctx.out(json(report));
    else if (report.instruments.length > 0) ctx.out(syncReportText(report));
    if (report.ok) return 0;
    const failed = report.instruments.filter((r) => !r.ok);
    // A day's credits spent: what was fetched is stored, the rest waits for the next UTC day (exit 1, as
    // other "try again later" failures), one line each naming the source, its budget and when it renews.
    for (const d of market.spentForTheDay()) {
      ctx.err(
        `goldratio backfill: ${d.source} not asked until its credits renew at ${new Date(d.until).toISOString().slice(0, 16).replace('T', ' ')} UTC: ${d.why}; what was fetched is stored, run goldratio backfill again then for the rest`,
      );
    }
    // Off a terminal its stderr is a log a collector reads: the failure is one record there too,
    // beside the report's FAILED lines on stdout.
    ctx.record?.error(`backfill failed for ${failed.map((r) => r.instrument).join(', ')}`, {
      command: 'backfill',
      exitCode: 1,
      failed: failed.map((r) => ({ instrument: r.instrument, from: r.from, to: r.to, errors: r.errors })),
    });
    return 1;
  },
};

/**
 * Stopped by a signal: one line saying what was stored (the instruments synced before it came), what
 * was not fetched and how to go on; exit 130 (SIGINT) or 143 (SIGTERM).
 */
function stoppedBy(ctx: CliContext, signal: 'SIGINT' | 'SIGTERM', stored: readonly InstrumentSync[], notFetched: readonly string[]): number {
  const done = stored
    .map(
      (r) =>
        `${r.instrument} stored${r.ok ? '' : ' in part'} (${r.inserted} new, ${r.updated} updated${filledText(r.filled) === '' ? '' : `, ${filledText(r.filled)}`})`,
    )
    .join(', ');
  const what = done === '' ? ` before anything was stored: ${notFetched.join(', ')}` : `: ${done}; ${notFetched.join(', ')}`;
  const said = `stopped by ${signal}${what} not fetched; run goldratio backfill again to fetch what is missing`;
  const exitCode = signal === 'SIGTERM' ? 143 : 130;
  ctx.err(`goldratio backfill: ${said}`);
  return exitCode;
}
