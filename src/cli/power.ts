/** `goldratio power [--base D] [--json]`: SPX and QQQ since a base date in USD, in gold, and deflated by M2. */
import { UserError, type Command } from './command.ts';
import { CLI_SPECS } from './specs.ts';
import { dateArg, json, parseCli } from './args.ts';
import { MarketView } from '../store/market-view.ts';
import { QuoteStore } from '../store/quotes.ts';
import { QQQ_LAUNCH } from '../domain/instruments.ts';

export const powerCommand: Command = {
  ...CLI_SPECS.power,
  database: 'read',
  async run(args, ctx) {
    const { values } = parseCli(args, { base: { type: 'string' }, json: { type: 'boolean' } });
    const base = dateArg(values.base, '--base') ?? QQQ_LAUNCH;
    const p = new MarketView(new QuoteStore(ctx.db())).power(base);
    if (p === undefined) throw new UserError(`no data on or after ${base} for SPX, QQQ, gold and M2 together: run \`goldratio backfill\``);
    const i = p.dates.length - 1;
    const last = {
      date: p.dates[i]!,
      spx: { usd: p.spxUsd[i]!, gold: p.spxGold[i]!, m2: p.spxM2[i]! },
      qqq: { usd: p.qqqUsd[i]!, gold: p.qqqGold[i]!, m2: p.qqqM2[i]! },
    };
    if (values.json === true) {
      const r = (v: number) => Number(v.toFixed(2));
      ctx.out(json({ base: p.base, date: last.date, spx: { usd: r(last.spx.usd), gold: r(last.spx.gold), m2: r(last.spx.m2) }, qqq: { usd: r(last.qqq.usd), gold: r(last.qqq.gold), m2: r(last.qqq.m2) } }));
      return 0;
    }
    const f = (v: number) => v.toFixed(1).padStart(8);
    ctx.out(
      [
        `Purchasing power since ${p.base} (= 100), as of ${last.date}`,
        `          in USD   in gold  above M2`,
        `  SPX   ${f(last.spx.usd)}  ${f(last.spx.gold)}  ${f(last.spx.m2)}`,
        `  QQQ   ${f(last.qqq.usd)}  ${f(last.qqq.gold)}  ${f(last.qqq.m2)}`,
        `Below 100 in gold or above M2 means the gain was the dollar's loss, not real growth.`,
      ].join('\n'),
    );
    return 0;
  },
};
