/** `goldratio status [--json]`: last price, source and age per instrument; row counts; database path. */
import { existsSync } from 'node:fs';
import { storeOf, whereOf, type Command } from './command.ts';
import { CLI_SPECS } from './specs.ts';
import { json, parseCli } from './args.ts';
import { MarketView } from '../store/market-view.ts';
import { QuoteStore } from '../store/quotes.ts';
import { formatAge } from '../domain/i18n/format.ts';
import { INSTRUMENT_INFO } from '../domain/instruments.ts';
import { daysBetween, dateInZone } from '../domain/dates.ts';
import { closeAgeMs } from '../domain/close-age.ts';

export const statusCommand: Command = {
  ...CLI_SPECS.status,
  database: 'read',
  async run(args, ctx) {
    const { values } = parseCli(args, { json: { type: 'boolean' } });
    const now = new Date((ctx.now ?? Date.now)());
    const rows = await new MarketView(new QuoteStore(await storeOf(ctx))).status();
    if (values.json === true) {
      ctx.out(json({ database: whereOf(ctx), instruments: rows }));
      return 0;
    }
    const today = dateInZone(now, 'America/New_York');
    const onPostgres = ctx.config.databaseUrl !== undefined;
    const lines = [`database ${whereOf(ctx)}${onPostgres || existsSync(ctx.config.databasePath) ? '' : ' (not created yet)'}`];
    for (const r of rows) {
      const info = INSTRUMENT_INFO[r.instrument];
      if (r.lastDate === undefined) {
        lines.push(`${r.instrument.padEnd(5)} no data`);
        continue;
      }
      // The age as `ratio` gives it (domain/close-age.ts); STALE counts calendar days, as /status does.
      const age = formatAge(closeAgeMs(r.lastDate, now.getTime()), 'en');
      const stale = daysBetween(r.lastDate, today) > info.staleAfterDays ? '  STALE' : '';
      const live = r.latestQuote
        ? `; live ${r.latestQuote.price} from ${r.latestQuote.source}, ${formatAge(now.getTime() - r.latestQuote.asOf, 'en')} old`
        : '';
      lines.push(
        `${r.instrument.padEnd(5)} ${r.rows.toLocaleString('en-US').padStart(6)} rows  last ${r.lastDate} ${r.lastClose} (${r.source}, ${age} old)${live}${stale}`,
      );
    }
    ctx.out(lines.join('\n'));
    return 0;
  },
};
