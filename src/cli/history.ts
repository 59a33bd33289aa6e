/** `goldratio history <spx-gold|qqq-gold> [--from D|SPAN] [--to D] [--json]`: the daily ratio series. */
import { noData, noDataInSpan, storeOf, UserError, whereOf, type Command } from './command.ts';
import { CLI_SPECS } from './specs.ts';
import { baseDateArg, dateArg, pairArg, parseCli } from './args.ts';
import { MarketView } from '../store/market-view.ts';
import { QuoteStore } from '../store/quotes.ts';
import { formatRatio } from '../domain/i18n/format.ts';

const USAGE = CLI_SPECS.history.usage;

export const historyCommand: Command = {
  ...CLI_SPECS.history,
  database: 'read',
  async run(args, ctx) {
    const { values, positionals } = parseCli(args, { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' } }, 1);
    const pair = pairArg(positionals[0], USAGE);
    // A start after today is refused naming today (as power's --base and chart's --from are); a span back (1y) is read too.
    const from = baseDateArg(values.from, '--from', (ctx.now ?? Date.now)());
    const to = dateArg(values.to, '--to', 'end');
    if (from !== undefined && to !== undefined && from > to) throw new UserError(`--from ${from} is after --to ${to}`);
    const view = new MarketView(new QuoteStore(await storeOf(ctx)));
    const series = await view.ratio(pair, from, to);
    if (series.length === 0) {
      const all = from || to ? await view.ratio(pair, undefined, undefined) : [];
      if (all.length > 0) throw noDataInSpan(`for ${pair}`, { from, to }, all);
      throw noData(`for ${pair}${from || to ? ` from ${from ?? 'the start'} to ${to ?? 'today'}` : ''}`, whereOf(ctx));
    }
    if (values.json === true) {
      // One point per line keeps 7,000 points readable and diffable.
      ctx.out(`[${series.map((p) => `\n  {"date":"${p.date}","value":${Number(p.value.toPrecision(8))}}`).join(',')}\n]`);
    } else {
      ctx.out(series.map((p) => `${p.date}  ${formatRatio(p.value)}`).join('\n'));
    }
    return 0;
  },
};
