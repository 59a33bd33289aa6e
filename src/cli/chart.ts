/** `goldratio chart <spx-gold|qqq-gold|power> [--range R | --from D|SPAN [--to D]] [--theme light|dark] [--lang en|zh-TW|zh-CN] [--base D|SPAN [--to D]] --out file.png` */
import { renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { storeOf, UserError, type Command } from './command.ts';
import { CLI_SPECS } from './specs.ts';
import { baseDateArg, cut, dateArg, fileProblem, langArg, parseCli, wholePeriodEndArg } from './args.ts';
import { isIsoDate, readDateSpan, spanBackFrom } from '../domain/dates.ts';
import { isYearAgoWord, parseBaseDate } from '../chat/parse.ts';
import { tradingDate } from '../domain/nyse-calendar.ts';
import { PAIRS, parsePair, QQQ_LAUNCH } from '../domain/instruments.ts';
import { CHART_RANGES, type ChartRange, type ChartRequest } from '../domain/chart-request.ts';
import { QuoteStore } from '../store/quotes.ts';
import { MarketView } from '../store/market-view.ts';
import { ChartService } from '../charts/service.ts';
import { ChartDataError } from '../charts/errors.ts';

const USAGE = CLI_SPECS.chart.usage;

/** The request and options a command line asks for; every mistake is a one-line UserError. */
export function parseChartArgs(args: readonly string[], defaultTheme: 'light' | 'dark', nowMs: number = Date.now()) {
  const { values, positionals } = parseCli(
    args,
    {
      range: { type: 'string' },
      theme: { type: 'string' },
      lang: { type: 'string' },
      base: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
    },
    2,
  );
  const [what, extra] = positionals;
  if (extra !== undefined) throw new UserError(extraWord(what ?? '', extra, nowMs));
  if (what === undefined) throw new UserError(`missing chart: spx-gold, qqq-gold or power. Usage: goldratio ${USAGE}`);
  if (values.out === undefined || values.out === '') throw new UserError('missing --out file.png: where to write the chart');
  checkPngName(values.out);
  // Choices in any case: --theme DARK, --lang zh-tw.
  const theme = (values.theme ?? defaultTheme).toLowerCase();
  if (theme !== 'light' && theme !== 'dark') throw new UserError(`--theme must be light or dark, got "${cut(values.theme ?? '')}"`);
  const lang = langArg(values.lang, 'en');
  const range = (values.range ?? 'MAX').toUpperCase();
  if (!(CHART_RANGES as readonly string[]).includes(range))
    throw new UserError(
      `--range must be one of ${CHART_RANGES.join(', ')}, got "${cut(values.range ?? '')}"` +
        // Any other span back (2W, 18m, 3y) is what --from takes.
        (/^\d{1,3}[dwmy]$/i.test(range) ? `; for a span back like ${values.range}, write --from ${range.toLowerCase()}` : ''),
    );

  // --to ends either chart (a month or a year: its last day). Without it, a start named as last year (去年,
  // 前年) ends that year, and a quarter or a half (Q1 2020, 2020年上半年) its own end, as /chart spx 去年 does;
  // a year in digits (--from 2025) or since (去年以來) still runs to the latest close.
  const given = dateArg(values.to, '--to', 'end');
  let request: ChartRequest;
  if (what.toLowerCase() === 'power') {
    if (values.range !== undefined) throw new UserError('--range applies to a ratio chart; the power chart takes --base YYYY-MM-DD');
    if (values.from !== undefined) throw new UserError('--from applies to a ratio chart; the power chart starts at --base');
    const base = baseDateArg(values.base, '--base', nowMs) ?? QQQ_LAUNCH;
    const to = given ?? wholePeriodEndArg(values.base, base, nowMs);
    if (to !== undefined && to < base) throw new UserError(`--to ${to} is before --base ${base}`);
    request = { kind: 'power', base, ...(to !== undefined ? { to } : {}) };
  } else {
    const pair = parsePair(what);
    if (pair === undefined) throw new UserError(`unknown chart "${cut(what)}": use spx-gold, qqq-gold or power`);
    if (values.base !== undefined) throw new UserError('--base applies to the power chart; a ratio chart takes --range, or --from and --to');
    const from = baseDateArg(values.from, '--from', nowMs);
    const to = given ?? (from === undefined ? undefined : wholePeriodEndArg(values.from, from, nowMs));
    if (from !== undefined && values.range !== undefined) throw new UserError('--range or --from, not both');
    if (to !== undefined && from === undefined) throw new UserError('--to needs --from (the day the chart starts)');
    if (from !== undefined && to !== undefined && to < from) throw new UserError(`--from ${from} is after --to ${to}`);
    request = { kind: 'ratio', pair, range: range as ChartRange, ...(from !== undefined ? { window: { from, ...(to !== undefined ? { to } : {}) } } : {}) };
  }
  return { request, theme: theme as 'light' | 'dark', lang, out: values.out };
}

/**
 * A word after the chart, where the chat takes its start (`goldratio chart spx 2099`, as `/chart spx
 * 2099`): a date is said as one, in the future or else with the option that takes it; a range with
 * --range; anything else is an unexpected argument.
 */
function extraWord(what: string, word: string, nowMs: number): string {
  const today = tradingDate(nowMs);
  const span = readDateSpan(word);
  if (span !== undefined && span.from > today) return `${cut(word)} is in the future (today is ${today} in New York)`;
  const option = what.toLowerCase() === 'power' ? '--base' : '--from';
  if (span !== undefined && !isIsoDate(span.from)) return `there is no ${cut(word)} on the calendar`;
  if (span !== undefined) return `unexpected argument "${cut(word)}": for a chart from ${cut(word)}, write ${option} ${cut(word)}`;
  if ((CHART_RANGES as readonly string[]).includes(word.toUpperCase()) && option === '--from')
    return `unexpected argument "${cut(word)}": for that range, write --range ${word.toUpperCase()}`;
  if (isYearAgoWord(word))
    return `unexpected argument "${cut(word)}": for that year's chart, write ${option} ${/\s/.test(word) ? `"${cut(word)}"` : cut(word)}`;
  if (spanBackFrom(word, today) !== undefined) return `unexpected argument "${cut(word)}": for a span back, write ${option} ${cut(word)}`;
  // A start as the chat takes it (去年以來, 上個月, 2020年上半年): the option that takes it.
  if (parseBaseDate(word, today, 'start', 'en').ok) return `unexpected argument "${cut(word)}": for a chart from then, write ${option} ${cut(word)}`;
  return `unexpected argument "${cut(word)}"`;
}

export const chartCommand: Command = {
  ...CLI_SPECS.chart,
  database: 'read',
  async run(args, ctx) {
    const { request, theme, lang, out } = parseChartArgs(args, ctx.config.chartTheme, (ctx.now ?? Date.now)());
    checkOutFolder(out); // before rendering: a typo in the folder costs no render
    const view = new MarketView(new QuoteStore(await storeOf(ctx)));
    const charts = new ChartService(view);
    let png: Buffer;
    try {
      ({ png } = await charts.render(request, { theme, lang }));
    } catch (e) {
      if (e instanceof ChartDataError) throw new UserError(e.message);
      throw e;
    }
    try {
      writeWhole(out, png);
    } catch (e) {
      throw new UserError(`cannot write --out ${out}: ${fileProblem(e, 'write')}`);
    }
    ctx.out(`wrote ${out} (${Math.round(png.length / 1024)} KB, 1200×630)`);
    const later = await startsLater(view, request);
    if (later !== undefined) ctx.err(later);
    return 0;
  },
};

/**
 * Asked to start before the history does (`--from 1990` on QQQ/Gold, `--base 1990`): where the chart
 * starts instead, said beside the file written, as the chat's reply says it.
 */
async function startsLater(view: MarketView, request: ChartRequest): Promise<string | undefined> {
  if (request.kind === 'power') {
    // The history the four series share starts at QQQ's launch at the earliest.
    const first = (await view.power(QQQ_LAUNCH))?.dates[0];
    if (first === undefined || first <= request.base) return undefined;
    return `note: the purchasing power history (SPX, QQQ and gold together) starts ${first}, so the chart starts there, not at ${request.base}`;
  }
  if (request.kind !== 'ratio' || request.window === undefined) return undefined;
  const first = (await view.ratio(request.pair))[0]?.date;
  if (first === undefined || first <= request.window.from) return undefined;
  return `note: the ${PAIRS[request.pair].label} history starts ${first}, so the chart starts there, not at ${request.window.from}`;
}

/**
 * Writes `data` beside `path` and renames it there (chart's --out, digest's): a failed write (disk
 * full, killed mid-write) never leaves half a file under the name; the temp file is removed on error.
 */
export function writeWhole(path: string, data: Buffer): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * --out names a PNG (chart's, digest's): a chart under another name (x.txt) is a slip, and so is a
 * name that is only the extension (.png, a hidden file), both refused before any render.
 */
export function checkPngName(out: string): void {
  if (!out.toLowerCase().endsWith('.png')) throw new UserError(`--out must name a .png file, got "${cut(out)}"`);
  const name = basename(out);
  if (name.toLowerCase() === '.png') throw new UserError(`--out ${name} is only an extension: name the file, e.g. chart${name}`);
}

/** The folder of --out must exist and be a folder (it is never created: a typo should not make one). */
export function checkOutFolder(out: string): void {
  const folder = dirname(out);
  let isDir: boolean;
  try {
    isDir = statSync(folder).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(
      code === 'ENOENT'
        ? `cannot write --out ${out}: folder ${folder} does not exist`
        : `cannot write --out ${out}: ${code === 'ENOTDIR' ? `a part of ${folder} is a file, not a folder` : fileProblem(e, 'write')}`,
    );
  }
  if (!isDir) throw new UserError(`cannot write --out ${out}: ${folder} is a file, not a folder`);
}
