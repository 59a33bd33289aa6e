/** `goldratio chart <spx-gold|qqq-gold|power> [--range R] [--theme light|dark] [--lang en|zh-TW] [--base DATE] --out file.png` */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError, type Command } from './command.ts';
import { CLI_SPECS } from './specs.ts';
import { dateArg, parseCli } from './args.ts';
import { parsePair, QQQ_LAUNCH } from '../domain/instruments.ts';
import { isLang } from '../domain/i18n/index.ts';
import { CHART_RANGES, type ChartRange, type ChartRequest } from '../domain/chart-request.ts';
import { QuoteStore } from '../store/quotes.ts';
import { MarketView } from '../store/market-view.ts';
import { ChartService } from '../charts/service.ts';
import { ChartDataError } from '../charts/errors.ts';

const USAGE = CLI_SPECS.chart.usage;

/** The request and options a command line asks for; every mistake is a one-line UserError. */
export function parseChartArgs(args: readonly string[], defaultTheme: 'light' | 'dark') {
  const { values, positionals } = parseCli(args, {
    range: { type: 'string' },
    theme: { type: 'string' },
    lang: { type: 'string' },
    base: { type: 'string' },
    out: { type: 'string' },
  });
  const [what, ...extra] = positionals;
  if (what === undefined) throw new UserError(`missing chart: spx-gold, qqq-gold or power. Usage: goldratio ${USAGE}`);
  if (extra.length > 0) throw new UserError(`unexpected argument "${extra[0]}". Usage: goldratio ${USAGE}`);
  if (values.out === undefined || values.out === '') throw new UserError('missing --out file.png: where to write the chart');
  if (!values.out.toLowerCase().endsWith('.png')) throw new UserError(`--out must name a .png file, got "${values.out}"`);
  const theme = values.theme ?? defaultTheme;
  if (theme !== 'light' && theme !== 'dark') throw new UserError(`--theme must be light or dark, got "${theme}"`);
  const lang = values.lang ?? 'en';
  if (!isLang(lang)) throw new UserError(`--lang must be en or zh-TW, got "${lang}"`);
  const range = (values.range ?? 'MAX').toUpperCase();
  if (!(CHART_RANGES as readonly string[]).includes(range)) throw new UserError(`--range must be one of ${CHART_RANGES.join(', ')}, got "${values.range}"`);

  let request: ChartRequest;
  if (what.toLowerCase() === 'power') {
    if (values.range !== undefined) throw new UserError('--range applies to a ratio chart; the power chart takes --base YYYY-MM-DD');
    request = { kind: 'power', base: dateArg(values.base, '--base') ?? QQQ_LAUNCH };
  } else {
    const pair = parsePair(what);
    if (pair === undefined) throw new UserError(`unknown chart "${what}": use spx-gold, qqq-gold or power`);
    if (values.base !== undefined) throw new UserError('--base applies to the power chart; a ratio chart takes --range');
    request = { kind: 'ratio', pair, range: range as ChartRange };
  }
  return { request, theme: theme as 'light' | 'dark', lang, out: values.out };
}

export const chartCommand: Command = {
  ...CLI_SPECS.chart,
  async run(args, ctx) {
    const { request, theme, lang, out } = parseChartArgs(args, ctx.config.chartTheme);
    const charts = new ChartService(new MarketView(new QuoteStore(ctx.db())));
    let png: Buffer;
    try {
      ({ png } = await charts.render(request, { theme, lang }));
    } catch (e) {
      if (e instanceof ChartDataError) throw new UserError(e.message);
      throw e;
    }
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, png);
    ctx.out(`wrote ${out} (${Math.round(png.length / 1024)} KB, 1200×630)`);
    return 0;
  },
};
