/**
 * `goldratio power [--base D|SPAN] [--to D] [--json]`: SPX and QQQ since a base date in USD, in gold,
 * and deflated by M2, M2's own growth over the span, and whether each index beat M2 ("only what
 * beats M2 is real"). `--to` reads the table as of an earlier day (the essay's own figures).
 */
import { storeOf, UserError, type Command } from './command.ts';
import { CLI_SPECS } from './specs.ts';
import { baseDateArg, dateArg, json, parseCli } from './args.ts';
import { MarketView } from '../store/market-view.ts';
import { QuoteStore } from '../store/quotes.ts';
import { QQQ_LAUNCH } from '../domain/instruments.ts';
import { fromLaunchSentence, indexedFromLaunch, m2Sentence, powerAt, vsM2Sentence, type IndexPower } from '../domain/power-check.ts';
import { fmtIndex } from '../domain/i18n/format.ts';
import { pointOnOrBefore } from '../domain/series.ts';
import { t } from '../domain/i18n/index.ts';

export const powerCommand: Command = {
  ...CLI_SPECS.power,
  database: 'read',
  async run(args, ctx) {
    const { values } = parseCli(args, { base: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' } });
    const base = baseDateArg(values.base, '--base', (ctx.now ?? Date.now)()) ?? QQQ_LAUNCH;
    const to = dateArg(values.to, '--to', 'end');
    if (to !== undefined && to < base) throw new UserError(`--to ${to} is before --base ${base}`);
    const view = new MarketView(new QuoteStore(await storeOf(ctx)));
    const series = await view.power(base);
    const last = powerAt(series, to);
    const first = series?.dates[0];
    // The data is there, but the span holds no close (--base and --to on one weekend): say so, not "backfill".
    if (last === undefined && first !== undefined && to !== undefined && to < first) {
      throw new UserError(`no close from ${base} to ${to}: the index starts at the first close on or after --base, ${first}; give a --to on or after it`);
    }
    if (last === undefined) {
      // Data there, but none from the base on: name the latest close rather than send them to backfill.
      const latest = await view.lastPowerDate();
      if (latest !== undefined && base > latest) throw new UserError(`no close on or after ${base} yet: the latest is ${latest}`);
      throw new UserError(
        `no data ${to === undefined ? `on or after ${base}` : `from ${base} to ${to}`} for SPX, QQQ, gold and M2 together: run \`goldratio backfill\``,
      );
    }
    // The day's close divided by an older gold price (carried over a London holiday, or not fetched yet): said as /power says it.
    const golds = (await view.snapshot()).closes('gold');
    const goldDate = pointOnOrBefore(golds, last.date)?.date;
    // And the base's (a base on a London holiday): its figures in gold start from that older price.
    const baseGoldDate = pointOnOrBefore(golds, last.base)?.date;
    if (values.json === true) {
      const r = (v: number | undefined) => (v === undefined ? null : Number(v.toFixed(2)));
      const row = (x: IndexPower) => ({ usd: r(x.usd), gold: r(x.gold), m2: r(x.m2), beatM2: x.beatM2 ?? null, vsM2: x.vsM2 ?? null });
      // stale: M2's latest month (to) is too old for `date`, as the text says: the M2 figures are null for that, not for want of data.
      const m2 = { from: last.m2Span.from.slice(0, 7), to: last.m2Span.to.slice(0, 7), stale: last.m2TooOld };
      // goldDate: the day of the gold price the figures in gold use (before `date` when gold's close is older); baseGoldDate, the base's.
      ctx.out(
        json({
          base: last.base,
          date: last.date,
          baseGoldDate: baseGoldDate ?? null,
          goldDate: goldDate ?? null,
          m2,
          m2GrowthPct: r(last.m2GrowthPct),
          spx: row(last.spx),
          qqq: row(last.qqq),
        }),
      );
      return 0;
    }
    // The same words as /power's rows ("M2-adjusted"), and grouped thousands as the chart's labels.
    const f = (v: number | undefined, width = 8) => (v === undefined ? '—' : fmtIndex(v, 'en')).padStart(width);
    const verdict = (name: string, x: IndexPower) =>
      x.m2 === undefined
        ? []
        : // The sentence /power gives, with the name this table gives.
          [`  ${vsM2Sentence(name, x.m2, 'en')}`];
    ctx.out(
      [
        `Purchasing power since ${last.base} (= 100), as of ${last.date}`,
        // Asked for a base before QQQ existed: say why the index starts later than asked.
        ...(indexedFromLaunch(base, last) ? [fromLaunchSentence(base, 'en')] : []),
        `          in USD   in gold  M2-adjusted`,
        `  SPX   ${f(last.spx.usd)}  ${f(last.spx.gold)}  ${f(last.spx.m2, 11)}`,
        `  QQQ   ${f(last.qqq.usd)}  ${f(last.qqq.gold)}  ${f(last.qqq.m2, 11)}`,
        ...(baseGoldDate !== undefined && baseGoldDate < last.base ? [t('en', 'chat.power.goldOlderBase', { gold: baseGoldDate, date: last.base })] : []),
        ...(goldDate !== undefined && goldDate < last.date ? [t('en', 'chat.power.goldOlder', { gold: goldDate, date: last.date })] : []),
        m2Sentence(last, 'en'),
        ...verdict('SPX', last.spx),
        ...verdict('QQQ', last.qqq),
        ...(last.spx.m2 !== undefined || last.qqq.m2 !== undefined ? [t('en', 'chat.power.dividends')] : []),
        // /power's note, when it applies: "the gain was the dollar's loss" was false of a span the index fell in.
        ...(last.spx.gold < 100 || last.qqq.gold < 100 ? [t('en', 'chat.power.note')] : []),
      ].join('\n'),
    );
    return 0;
  },
};
