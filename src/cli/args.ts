/** Argument helpers shared by the subcommands: strict parsing, dates, pairs. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isIsoDate, MAX_SPAN_COUNT, readDateSpan, spanBackFrom, spanTooLong } from '../domain/dates.ts';
import { CHART_RANGES, powerBase } from '../domain/chart-request.ts';
import { tradingDate } from '../domain/nyse-calendar.ts';
import { parsePair, QQQ_LAUNCH, type PairId } from '../domain/instruments.ts';
import { langFromInput, LANGS, t, type Lang } from '../domain/i18n/index.ts';
import { UserError } from './command.ts';
import { cut } from './cut.ts';
import { nearestName } from '../domain/nearest.ts';
import { isPeriodWord, parseBaseDate, wholePeriodEnd } from '../chat/parse.ts';
import { spanRange } from '../domain/span-unit-words.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util parseArgs, strict; its errors become one-line UserErrors. Also refused: more than
 * `maxPositionals` words (`ratio extra`) and an option given twice (parseArgs keeps the last).
 */
export function parseCli<O extends Options>(args: readonly string[], options: O, maxPositionals = 0) {
  const parsed = (() => {
    try {
      return parseArgs({ args: [...args], options, allowPositionals: true, strict: true, tokens: true });
    } catch (e) {
      const message = (e as Error).message;
      // `--top` last, or followed by a word starting with "-": name the option and what came after it.
      const missing = /^Option '(-[^' ]+)(?: <value>)?' argument missing/.exec(message);
      if (missing) throw new UserError(`${missing[1]} needs a value`);
      const ambiguous = /^Option '(-[^' ]+)' argument is ambiguous/.exec(message);
      if (ambiguous) {
        const [name, next] = [ambiguous[1]!, args[args.indexOf(ambiguous[1]!) + 1] ?? ''];
        // A negative number may be the value meant; another option cannot be.
        throw new UserError(
          /^-\d/.test(next)
            ? `${name} needs a value, and "${cut(next)}" reads as an option: if it is the value, write ${name}=${cut(next)}`
            : `${name} needs a value before ${cut(next)}`,
        );
      }
      // `--json=1`: Node's "Option '--json' does not take an argument", said as the other refusals are, with what was typed.
      const switchValue = /^Option '(-[^' ]+)' does not take an argument/.exec(message);
      if (switchValue) {
        const typed = args.find((a) => a.startsWith(`${switchValue[1]!}=`)) ?? switchValue[1]!;
        throw new UserError(`${switchValue[1]} takes no value, got "${cut(typed)}"`);
      }
      // Node's "Unknown option '--jsn'. To specify a positional …": the option it most likely meant, or the ones there are.
      const unknown = /^Unknown option '([^']*)'/.exec(message);
      if (unknown) throw new UserError(unknownOption(unknown[1]!, Object.keys(options)));
      // Node quotes the offending word whole: cut each quoted word as any echoed argument is.
      const first = message.split(/\.\s|\n/)[0] ?? 'bad arguments';
      throw new UserError(first.replace(/'([^']{41,})'/g, (_m, word: string) => `'${cut(word)}'`));
    }
  })();
  const seen = new Set<string>();
  for (const t of parsed.tokens) {
    if (t.kind !== 'option') continue;
    if (seen.has(t.name)) throw new UserError(`--${t.name} given twice`);
    seen.add(t.name);
  }
  const extra = parsed.positionals[maxPositionals];
  if (extra !== undefined) throw new UserError(`unexpected argument "${cut(extra)}"`);
  return { values: parsed.values, positionals: parsed.positionals };
}

/** One line for an option the command does not take: the nearest it does ("did you mean --json?"), else all it takes. */
export function unknownOption(given: string, known: readonly string[]): string {
  const said = `unknown option ${cut(given)}`;
  const near = nearestName(given.replace(/^-+/, ''), known);
  if (near !== undefined) return `${said}: did you mean --${near}?`;
  return known.length === 0 ? `${said}: this command takes no options` : `${said}; the options are ${known.map((k) => `--${k}`).join(', ')}`;
}

export { cut } from './cut.ts';

/**
 * A date option: a day (YYYY-MM-DD), a month (YYYY-MM) or a year (YYYY), as /power reads them. A
 * month or a year is its first day where the option starts a span (--from, --base), its last where
 * it ends one (--to). `also` adds what else the option takes to the refusal.
 */
export function dateArg(value: string | undefined, name: string, side: 'start' | 'end' = 'start', also = ''): string | undefined {
  if (value === undefined) return undefined;
  const span = readDateSpan(value);
  if (span === undefined) throw new UserError(`${name} must be a date YYYY-MM-DD (or a month YYYY-MM, or a year YYYY${also}), got "${cut(value)}"`);
  // In the shape but not on the calendar: say that, not the shape.
  if (!isIsoDate(span.from)) throw new UserError(`${name}: there is no ${value} on the calendar`);
  return side === 'start' ? span.from : span.to;
}

/** Words a sentence may start with that keep their capital after a colon: names, not sentence case. */
const PROPER_WORDS = new Set(['I', 'Yahoo', 'Telegram', 'Discord', 'Twelve', 'New', 'Taiwan', 'Taipei', 'Urumqi', 'Beijing', 'Shanghai']);

/**
 * A chat-side refusal ("There is no week 53 in 2025: …") said after an option's name, as the CLI's own
 * refusals go on: `--from: there is no week 53 …`. The first word keeps its capital when it is a
 * name or an acronym (SPX, ISO, QQQ, M2, W53: a second capital or a digit in it), or one of PROPER_WORDS;
 * its final full stop goes (an ellipsis stays), as no CLI line ends with one.
 */
export function afterOption(name: string, sentence: string): string {
  const first = /^[\p{L}\p{N}]+/u.exec(sentence)?.[0] ?? '';
  const keep = /\p{N}|^.+\p{Lu}/u.test(first) || PROPER_WORDS.has(first);
  const said = sentence.replace(/(?<!\.)\.$/, '');
  return `${name}: ${keep ? said : said.charAt(0).toLowerCase() + said.slice(1)}`;
}

/**
 * A base or start date (power's --base; chart's, history's and replay's --from), which cannot lie after today (the trading date in New York by the command's clock,
 * as the chat reads it): nothing can be indexed
 * from it. Besides a day, a month or a year, a span back from today as the chart ranges name it
 * (1M … 10Y, YTD), as /power 5y reads it, or any other (2y, 18m, 3w); or a year by its distance from this
 * one, as the chat names it (`last year`, 去年, 前年, `the year before last`): its first day (chart makes it the
 * whole year, and a quarter or a half named its whole period, as /chart does: wholePeriodEndArg).
 */
export function baseDateArg(value: string | undefined, name: string, nowMs: number): string | undefined {
  const today = tradingDate(nowMs);
  const back = CHART_RANGES.find((r) => r !== 'MAX' && r === value?.trim().toUpperCase());
  if (back !== undefined) return powerBase(back, today);
  // Any other span back: 2y, 18m, 3w, 2年; `last quarter` is the calendar's, as 上一季 and the chat's /power and /chart read it (isPeriodWord).
  const from = value === undefined || isPeriodWord(value) ? undefined : spanBackFrom(value, today);
  if (from !== undefined) return from;
  // A span, only longer than is read (1000y): say that, not that it is no date.
  if (value !== undefined && readDateSpan(value) === undefined && spanTooLong(value))
    throw new UserError(
      `${name} ${cut(value)} is too long a span back: at most ${MAX_SPAN_COUNT} (years, months, weeks or days), and the history starts ${QQQ_LAUNCH}; for all of it, give ${name} ${QQQ_LAUNCH}`,
    );
  // The chat's start phrases, read by the chat's own parser: `last year` (去年, 前年), `since last year` (去年以來),
  // `end of last year` (去年底), `last month` (上個月: chart draws that month alone), `this year` (今年: YTD), Q1 2020, 2020年上半年, `since 2020`.
  if (value !== undefined && readDateSpan(value) === undefined) {
    const start = parseBaseDate(value, today, 'start', 'en');
    if (start.ok) return start.value;
    // A span said as a range (`a week or two`, 一兩週), or 幾月 (which month?): said as the chat says it.
    // 2025-W53: the weeks its year has, as the chat says it.
    if (start.error.key === 'chat.err.noSuchWeek') throw new UserError(afterOption(name, t('en', start.error.key, start.error.params)));
    if (start.error.key === 'chat.err.whichMonth.date') throw new UserError(afterOption(name, t('en', start.error.key, start.error.params)));
    if (spanRange(value) !== undefined) throw new UserError(afterOption(name, t('en', start.error.key, start.error.params)));
    // `since 2099`: the date it names is in the future, said as a date typed alone is.
    if (start.error.key === 'chat.err.dateFuture')
      throw new UserError(`${name} ${cut(String(start.error.params.input))} is in the future (today is ${today} in New York)`);
  }
  const date = dateArg(
    value,
    name,
    'start',
    ', or a span back like 2y, 18m or 5Y, or a phrase like "last year", "since last year", "last month" or Q1 2020, or a week like 2026-W46',
  );
  if (date !== undefined && date > today) throw new UserError(`${name} ${date} is in the future (today is ${today} in New York)`);
  return date;
}

/**
 * The end a start typed as a whole period (`--from "last year"`, 去年, 前年; `"Q1 2020"`, 2020年上半年) gives
 * without --to: its last day (today while it runs), as /chart spx 去年 is that calendar year; else undefined.
 */
export function wholePeriodEndArg(value: string | undefined, start: string, nowMs: number): string | undefined {
  return value === undefined ? undefined : wholePeriodEnd(value, start, tradingDate(nowMs));
}

export function pairArg(value: string | undefined, usage: string): PairId {
  if (value === undefined) throw new UserError(`missing pair. Usage: goldratio ${usage}`);
  const pair = parsePair(value);
  if (pair === undefined) throw new UserError(`unknown pair "${cut(value)}": use spx-gold or qqq-gold`);
  return pair;
}

export const json = (value: unknown): string => JSON.stringify(value, null, 2);

/**
 * A percentage in --json, for programs: six significant digits, so a ratio a hair from a level is
 * +0.000318 or -0.000318 (its side), never 0 as two decimals gave it; 0 only on the level (inside a zone).
 */
export const jsonPct = (v: number): number => (v === 0 ? 0 : Number(v.toPrecision(6)));

/**
 * `--lang` as the chat's /lang reads it: any case (`zh-tw`, `EN`), a locale's code (`zh_TW`,
 * `zh-Hant`), an alias (`tw`, 繁體); else the fallback; anything else is a one-line UserError.
 */
export function langArg(value: string | undefined, fallback: Lang): Lang {
  if (value === undefined) return fallback;
  const lang = langFromInput(value);
  if (lang === undefined) throw new UserError(`--lang must be one of ${LANGS.join(', ')}, got "${cut(value)}"`);
  return lang;
}

/** Why a file could not be read or written, in words, its code after (`no such file (ENOENT)`). */
export function fileProblem(e: unknown, op: 'read' | 'write' = 'read'): string {
  const code = (e as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    ENOENT: op === 'read' ? 'no such file' : 'the file cannot be created there',
    EISDIR: 'it is a folder, not a file',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOTDIR: 'a part of the path is a file, not a folder',
    ENOSPC: 'the disk is full',
    EROFS: 'the file system is read-only',
  };
  if (code === undefined) return (e as Error).message;
  return words[code] !== undefined ? `${words[code]} (${code})` : code;
}
