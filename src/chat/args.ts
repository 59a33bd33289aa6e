/**
 * Arguments as data. Each chat command declares its arguments once (name, kind, required, many,
 * choices); from that one declaration come the Telegram parser (words → named values), the usage
 * line, the validation every platform shares (named values → parsed arguments or a usage error:
 * Discord's typed options go through it too), and the Discord slash-command definitions
 * (platforms/discord/manifest.ts).
 */
import { LANG_INFO, LANGS, t, type Lang } from '../domain/i18n/index.ts';
import { numberText } from '../domain/han-fold.ts';
import { numberSeparators } from '../domain/number-separators.ts';
import { PAIR_IDS, type PairId } from '../domain/instruments.ts';
import { CHART_RANGES } from '../domain/chart-request.ts';
import { NAMED_OPTIONS, type Platform } from '../domain/platform.ts';
import { err, ok, type Result } from '../domain/series.ts';
import { parseDigestTime, resolveTimeZoneIn } from '../domain/digest-schedule.ts';
import {
  CHART_TARGETS,
  echo,
  fail,
  isAllWord,
  isSpanBack,
  isSpanRefusal,
  isThisWeekWord,
  wholePeriodEnd,
  parseBaseDate,
  parseChartTarget,
  parseChoice,
  parseLangArg,
  parseLevelRef,
  parseLevelValue,
  parsePairArg,
  parseRange,
  type ChatError,
  type Parsed,
  visibleText,
  valueSaid,
} from './parse.ts';
import { parseMovePct, parseMoveSpan, parseQuietSpanArg, spanLongUnit } from './parse-alerts.ts';
import { parseMuteArg } from './parse-mute.ts';
import { copyable } from './reply.ts';
import { fewSaid, HAS_NUMERAL, isPercentText } from '../domain/han-numbers.ts';

export type ArgKind =
  | 'pair' // spx | qqq → PairId
  | 'chart' // spx | qqq | power → ChartTarget
  | 'range' // 1M … MAX → ChartRange
  | 'date' // a day, month or year (2020-03-10, 2020-03, 2020), or a span back (5y), not after today → YYYY-MM-DD
  | 'level' // a ratio value, e.g. 1.8 → number
  | 'levelRef' // an essay level id, zone or value (subscribe) → LevelRef
  | 'duration' // 30m, 2h, 1d, 1w, 3mo → MuteLength (calendar months, then ms)
  | 'language' // a tag of domain/i18n/langs.ts → Lang
  | 'time' // HH:MM → 'HH:MM'
  | 'timezone' // IANA zone → string
  | 'channel' // a channel id (Discord's channel picker): the chat the command acts on → string
  | 'role' // a role id (Discord's role picker) → string
  | 'quietSpan' // 23:00-07:00 → QuietSpan
  | 'percent' // a move's size, 1..100 → number
  | 'days' // a move's span in trading days, 1..MAX_MOVE_DAYS (weeks, months and years read as 5, 21 and 252) → MoveDays
  | 'command' // a command's name as typed (/help digest); the command resolves it → string
  | 'word'; // one of `choices` → string

export interface ArgSpec {
  /** Lowercase, ≤ 32 characters: also the Discord option name. */
  readonly name: string;
  readonly kind: ArgKind;
  readonly required?: boolean;
  /** Telegram: takes words while they fit the kind (the last argument: every word left). Discord: a space-separated list. */
  readonly many?: boolean;
  /** The accepted words of a 'word' argument. */
  readonly choices?: readonly string[];
  /** Given, it needs these later arguments too (`/mylevels add <pair> <value>`). */
  readonly needs?: readonly string[];
  /** A 'date' that ends a span: a month or a year given is read as its last day (2020 → 2020-12-31). */
  readonly end?: boolean;
  /**
   * A start 'date' that, given as a whole period with no end (a year by its distance from this one: 去年,
   * last year, 前年; a quarter or a half: Q1 2020, 2020年上半年), is that period: the end is its last day
   * (parse.ts wholePeriodEnd). A year in digits (2025) or `since` stays a start.
   */
  readonly wholePeriod?: boolean;
  /**
   * A date of a command that shows both pairs and takes none (/power): a pair named where it goes
   * (`/power spx`) is answered as that (chat.err.datePair), not as a date mistyped.
   */
  readonly bothPairs?: boolean;
  /** Only on these platforms (a Discord channel picker). Default: every platform. */
  readonly platforms?: readonly Platform[];
  /** A 'pair' that filters: `all` (both, 全部) names every pair, as leaving it out does. */
  readonly all?: boolean;
}

export type ArgValue = string | number | boolean;
/** Arguments by name as a platform hands them over (Telegram: bound words; Discord: option values). */
export type ArgValues = Readonly<Record<string, ArgValue | undefined>>;
/** Validated arguments by name: one value, an array for `many`, undefined when not given. */
export type ParsedArgs = Readonly<Record<string, unknown>>;
/**
 * Where parsed arguments keep the word for a few a range or a start was typed with (`/chart spx a few years`,
 * 幾個月): read as 3, which the reply says naming it. No argument has this name.
 */
export const FEW_SAID = 'fewSaid:';
/** The start typed as this week (本週, this week), kept: on New York's Monday before its close it has no close yet, and /chart says so as such. */
export const THIS_WEEK_SAID = 'thisWeekSaid:';

/** Why arguments were refused: a reason to show before the usage line, or none (count or shape was wrong). */
export type ArgsResult = Result<ParsedArgs, ChatError | undefined>;

export interface ArgContext {
  /** The trading date today (dates after it are refused). */
  readonly today: string;
  readonly platform: Platform;
  /** The chat's language, where a reading depends on it (a zh-TW chat's 100年 is 民國100年). */
  readonly lang?: Lang;
  /**
   * The chat's own date where it has a zone (/digest's, /quiet's): the calendar words (去年, 上個月, 本季)
   * are read on it, so that a Taipei reader's 去年 on New Year's morning is the year just ended there.
   * Else `today`. Dates after `today` are refused all the same.
   */
  readonly calendarToday?: string;
  /** The reader's own language, from their app's language code where it names one we have (`/lang 中文`'s script in a chat not yet Chinese). */
  readonly readerLang?: Lang;
}

/** A part of the day typed without its hour (`/digest morning`, `/digest 早上`), to the hour its example gives. */
const DAY_PART_HOURS: Readonly<Record<string, number>> = {
  ...Object.fromEntries(['morning', '早上', '上午', '清晨', '早晨'].map((w) => [w, 8])),
  ...Object.fromEntries(['afternoon', '下午'].map((w) => [w, 15])),
  ...Object.fromEntries(['evening', '傍晚'].map((w) => [w, 18])),
  ...Object.fromEntries(['night', 'tonight', '晚上', '晚間', '晚间'].map((w) => [w, 21])),
  凌晨: 5,
  中午: 12,
};

/** `8am`, `3pm` as English writes an hour; `早上8點`, `早上8点` as the chat's catalogue writes a Chinese one (chat.dayPart.hour). */
function dayPartExample(word: string, hour: number, lang: Lang | undefined): string {
  if (/^[a-z]+$/.test(word)) return hour === 12 ? 'noon' : `${hour % 12 || 12}${hour < 12 ? 'am' : 'pm'}`;
  return t(lang ?? 'en', 'chat.dayPart.hour', { word, hour: String(hour > 12 && word !== '中午' ? hour - 12 : hour) });
}

function parseTime(input: string, lang?: Lang): Parsed<string> {
  const r = parseDigestTime(input);
  if (r.ok) return ok(r.value);
  // A part of the day alone names no time: asked for its hour, with an example (nothing is set).
  const word = numberText(input)
    .toLowerCase()
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/^(?:every\s+|each\s+|in\s+the\s+|at\s+|每天|每日)/, '');
  const hour = DAY_PART_HOURS[word];
  if (hour !== undefined) return fail('chat.err.timeDayPart', { input, example: dayPartExample(word, hour, lang) });
  // A clock's shape with an hour or minute no clock shows (25:00, 7:60, 25點): that value, not the shape, is wrong.
  const clock = /^(\d{1,2})(?:\s*[:.]\s*(\d{2})|\s*[點点時时h])$/.exec(word);
  if (clock !== null && (Number(clock[1]) > 23 || Number(clock[2] ?? 0) > 59)) return fail('chat.err.timeValue', { input });
  return fail('chat.err.time', { input });
}

/**
 * An IANA zone, a place (taipei, 台北) or an abbreviation (domain/zone-abbreviations.ts): one that
 * names a single zone is that zone; one that names several (CST) stays the abbreviation, and the
 * command asks which. A misspelling is refused with the zone it most likely meant.
 */
function parseTimezone(input: string, lang: Lang | undefined): Parsed<string> {
  const r = resolveTimeZoneIn(input, lang);
  if (r.kind === 'zone') return ok(r.zone);
  if (r.kind === 'ambiguous') return ok(r.abbreviation);
  if (r.offset === true) return fail('chat.err.timezoneOffset', { input });
  return r.nearest === undefined ? fail('chat.err.timezone', { input }) : fail('chat.err.timezoneNear', { input, zone: r.nearest });
}

/** The fixed choices of a kind (value, label in a language), if it has any. */
export function kindChoices(spec: ArgSpec, lang: Lang): { value: string; label: string }[] | undefined {
  const pairLabel = (p: PairId) => t(lang, `pair.${p}`);
  switch (spec.kind) {
    case 'pair':
      return PAIR_IDS.map((p) => ({ value: p.slice(0, 3), label: pairLabel(p) }));
    case 'chart':
      return CHART_TARGETS.map((c) =>
        c === 'power' ? { value: 'power', label: t(lang, 'chat.choice.power') } : { value: c.slice(0, 3), label: pairLabel(c) },
      );
    case 'range':
      return CHART_RANGES.map((r) => ({ value: r, label: t(lang, `chart.range.short.${r}`) }));
    case 'language':
      return LANGS.map((l) => ({ value: l, label: t(lang, `chat.lang.${l}`) }));
    case 'word':
      return (spec.choices ?? []).map((c) => ({ value: c, label: t(lang, `chat.choice.${c}`) }));
    default:
      return undefined;
  }
}

/** Kinds whose values are taken as typed, word for word: a particle after them is not spoken Chinese's (ids, a command's name). */
const AS_TYPED: ReadonlySet<ArgKind> = new Set(['channel', 'role', 'command']);

function parseOne(spec: ArgSpec, typed: string, c: ArgContext, before: Record<string, unknown>): Parsed<unknown> {
  // `/mute 2小時吧`, `/move spx 10 20天了`, a Discord option's `20天。`: the value, without what a sentence puts around it.
  const input = AS_TYPED.has(spec.kind) ? typed : valueSaid(typed);
  switch (spec.kind) {
    case 'pair':
      if (spec.all === true && isAllWord(input)) return ok(spec.many === true ? PAIR_IDS : undefined);
      return parsePairArg(input);
    case 'chart':
      return parseChartTarget(input);
    case 'range':
      return parseRange(input);
    case 'date': {
      const date = parseBaseDate(input, c.today, spec.end === true ? 'end' : 'start', c.lang, c.calendarToday);
      // `/power spx`: a pair where only dates go (the command shows both pairs), said as that, not as a date mistyped.
      return date.ok || spec.bothPairs !== true || !parsePairArg(input).ok ? date : fail('chat.err.datePair', { input });
    }
    case 'level':
      return parseLevelValue(input);
    case 'levelRef': {
      // A level is read against the pairs named before it (all pairs when none were).
      const named = Object.values(before).find((v) => Array.isArray(v) && v.length > 0 && v.every((p) => (PAIR_IDS as readonly unknown[]).includes(p)));
      return parseLevelRef(input, (named as PairId[] | undefined) ?? PAIR_IDS);
    }
    case 'duration':
      // A length (2h, 3 months) or an end (until monday, 到明天): what /mute takes.
      return parseMuteArg(input, c.lang, c.today);
    case 'language':
      return parseLangArg(input, c.lang, c.readerLang);
    case 'time':
      return parseTime(input, c.lang);
    case 'timezone':
      return parseTimezone(input, c.lang);
    case 'channel':
      return /^\d{1,25}$/.test(input.trim()) ? ok(input.trim()) : fail('chat.err.channel', { input });
    case 'role':
      return /^\d{1,25}$/.test(input.trim()) ? ok(input.trim()) : fail('chat.err.role', { input });
    case 'quietSpan':
      return parseQuietSpanArg(input);
    case 'percent':
      return parseMovePct(input);
    case 'days':
      return parseMoveSpan(input);
    case 'command':
      return ok(input.trim());
    case 'word':
      return parseChoice(input, spec.choices ?? []);
  }
}

export const argsOn = (specs: readonly ArgSpec[], platform: Platform): ArgSpec[] =>
  specs.filter((s) => s.platforms === undefined || s.platforms.includes(platform));

/**
 * The argument naming the chat a command acts on (a `channel`: /subscribe on Discord may set up
 * another channel than the one it is typed in), if the command has one there. The adapter makes
 * its value the context's chat, and checks it can post there.
 */
export const targetArg = (specs: readonly ArgSpec[], platform: Platform): ArgSpec | undefined => argsOn(specs, platform).find((s) => s.kind === 'channel');

/** A date's refusals for its value, not its shape: `2030` (not yet), `2020-02-30` (no such day), `05/06/2021` (which day?), `100年` outside zh-TW (which year?). */
const DATE_VALUE_ERRORS: ReadonlySet<string> = new Set([
  'chat.err.dateFuture',
  'chat.err.thisWeekNoClose',
  'chat.err.samePeriod',
  'chat.err.rocFuture',
  'chat.err.noSuchDate',
  'chat.err.dateOrder',
  'chat.err.rocOrSpan',
  'chat.err.rocDate',
  'chat.err.fiscalYear',
  'chat.err.midYear',
  'chat.err.sinceWhat',
  'chat.err.eventDate',
  'chat.err.monthOrYears',
  'chat.err.whichMonth.date',
]);
/** A mute length's refusals for its value, not its shape: a fraction of a month, more than a year. */
const DURATION_VALUE_ERRORS: ReadonlySet<string> = new Set([
  'chat.err.durationMonths',
  'chat.err.durationRange',
  'chat.err.durationCapitalM',
  'chat.err.muteWhichZone',
  'zone.whichClock',
  'chat.err.muteSlashDate',
  'chat.err.muteForever',
  'chat.err.muteYearOrTime',
  'chat.err.muteEventNoDay.close',
  'chat.err.muteEventNoDay.open',
]);

/**
 * Whether `input` is a value of `spec`: one it takes, or a date it refuses for its value (a future
 * year, 2020-02-30), which is still that date, to be refused as one, not another argument's word
 * (`/chart spx 2030` is a date in the future, not an unknown range).
 */
function fits(spec: ArgSpec, input: string, c: ArgContext): boolean {
  // Binding asks again of the same words (each run of up to 8 from each place, for each argument:
  // spacedValue, fitsIn): read once per reading of a command's words, whose ArgContext is its own.
  let bySpec = fitsRead.get(c);
  if (bySpec === undefined) fitsRead.set(c, (bySpec = new WeakMap()));
  let read = bySpec.get(spec);
  if (read === undefined) bySpec.set(spec, (read = new Map()));
  let fit = read.get(input);
  if (fit === undefined) read.set(input, (fit = fitsOnce(spec, input, c)));
  return fit;
}
const fitsRead = new WeakMap<ArgContext, WeakMap<ArgSpec, Map<string, boolean>>>();

function fitsOnce(spec: ArgSpec, input: string, c: ArgContext): boolean {
  const r = parseOne(spec, input, c, {});
  // A span back mistyped (`1000y`, `0y`) is a range's or a start's, refused as that span.
  // A length refused for its value (`1.5 months`, `13 months`) is still that length, refused whole, not as `1.5`.
  return (
    r.ok ||
    (spec.kind === 'date' && DATE_VALUE_ERRORS.has(r.error.key)) ||
    (spec.kind === 'duration' && DURATION_VALUE_ERRORS.has(r.error.key)) ||
    // Likewise a move's span of weeks, months or years past its limit (`61 months`), refused as that span.
    (spec.kind === 'days' && spanLongUnit(r.error.key) !== undefined) ||
    // And half a week (`half a week`: 2.5 trading days), refused whole as that, not as `half`.
    (spec.kind === 'days' && r.error.key === 'chat.err.moveHalfWeek') ||
    // And a percent where the span goes (`20 %`, `twenty percent`), refused whole as a percent, not as `20` with a word too many.
    (spec.kind === 'days' && r.error.key === 'chat.err.moveDaysPercent') ||
    // And a period on the calendar running now (`this quarter`), refused whole, not as `this`.
    (spec.kind === 'days' && r.error.key === 'chat.err.movePeriod') ||
    // A part of the day without its hour (`in the morning`) is still a time, refused whole as one.
    (spec.kind === 'time' && r.error.key === 'chat.err.timeDayPart') ||
    isSpanRefusal(r.error)
  );
}

/**
 * Kinds whose values may hold spaces: `7:30 pm`, `6 a.m.`, `11 pm - 7 am`, `2 hours`, `10 %`, `20
 * days`, `last 5 years`, `since 2020`, `Traditional Chinese`. Never two numbers in a row (`5 2`, `2020 2021`): those are two values.
 */
const SPACED_KINDS: ReadonlySet<ArgKind> = new Set(['time', 'quietSpan', 'duration', 'percent', 'days', 'range', 'date', 'timezone', 'language']);
const NUMBER_START = /^[\d０-９一二兩两三四五六七八九十百千]/;
const NUMBER_END = /[\d０-９一二兩两三四五六七八九十百千]$/;

/** What joins the two ends of a window: `2007-2009`, `2007~2009`, `２００７－２００９`, `2011至2020`, `2007 to 2009`, the minus sign `2007 − 2009`. */
const WINDOW_JOINS = /[-–—−~～－至到]|to/gi;
const WINDOW_SEPARATOR = /^(?:[-–—−~～－至到]|to)$/i;
/**
 * The longest date a reader types (`2020年12月31日`, `the start of this year`), as Discord's date
 * options are bounded (platforms/discord/manifest.ts). A window typed as one word is two of them and
 * a join: a longer word is no window, and is not cut at each of its dashes (each cut read as two
 * dates: a line of 200 dashes took 47 ms, its cost growing with the square of its length).
 */
export const DATE_TEXT_MAX = 40;
const WINDOW_WORD_MAX = 2 * DATE_TEXT_MAX + 2;
/** A Chinese or tilde separator glued to the end after it (`到2022年`) or the start before it (`2020年到`). */
const GLUED_SEPARATOR = /^(?:[~～至到](.+)|(.+?)[~～至到])$/;

/**
 * A window typed as one word or around a separator word (`2007-2009`, `2011至2020`, `2007 - 2009`,
 * `2007 to 2009`) as its two dates, for a command that takes a start and an end date. A month
 * (`2020-03`) or a day (`2020-03-05`) stays whole.
 */
const SHORT_YEAR_WINDOW = /^(\d{4})\s*[-–—~～]\s*(\d{2})$/;
function splitWindows(list: readonly ArgSpec[], words: readonly string[], c: ArgContext): readonly string[] {
  const start = list.find((s) => s.kind === 'date' && s.end !== true);
  const end = list.find((s) => s.kind === 'date' && s.end === true);
  if (start === undefined || end === undefined) return words;
  // A start asked about (1/5: January 5 or 1 May) is still a start: `1/5-3/10` is asked as `1/5 - 3/10` is.
  const isStart = (w: string) => {
    const r = parseOne(start, w, c, {});
    return r.ok || r.error.key === 'chat.err.dateOrder';
  };
  // An end in the future is still an end (`2007-2030`: refused as 2030, not as no date at all).
  const isEnd = (w: string) => fits(end, w, c);
  const out: string[] = [];
  for (const [i, w] of words.entries()) {
    const next = words[i + 1];
    // Two years with the second cut to its last two digits (2020-21, 2019–20, 1999-00): from the
    // first to the second. 2020-12 is a month, and stays one.
    const short = SHORT_YEAR_WINDOW.exec(numberText(w));
    if (short !== null) {
      const first = Number(short[1]);
      const yy = Number(short[2]);
      // Into the next century only from its last years (1998-02); 2020-19 is no such window.
      const second = Math.floor(first / 100) * 100 + yy + (yy <= first % 100 && first % 100 >= 90 ? 100 : 0);
      if ((yy > 12 || yy === 0) && second > first && isStart(short[1]!) && isEnd(String(second))) {
        out.push(short[1]!, String(second));
        continue;
      }
    }
    if (WINDOW_SEPARATOR.test(w) && out.length > 0 && isStart(out.at(-1)!) && next !== undefined && isEnd(next)) continue;
    // The separator glued to one end with a space at the other (`2020年 到2022年`, `2020年到 2022年`): the two dates.
    const glued = GLUED_SEPARATOR.exec(w);
    const [, gluedEnd, gluedStart] = glued ?? [];
    if (gluedEnd !== undefined && out.length > 0 && isStart(out.at(-1)!) && isEnd(gluedEnd)) {
      out.push(gluedEnd);
      continue;
    }
    if (gluedStart !== undefined && next !== undefined && isStart(gluedStart) && isEnd(next)) {
      out.push(gluedStart);
      continue;
    }
    // A date refused as one (2020-02-30) stays whole: it is no window of 2020-02 and 30.
    const cut =
      w.length > WINDOW_WORD_MAX || fits(start, w, c)
        ? undefined
        : [...w.matchAll(WINDOW_JOINS)].find((m) => isStart(w.slice(0, m.index)) && isEnd(w.slice(m.index + m[0].length)));
    if (cut !== undefined) out.push(w.slice(0, cut.index), w.slice(cut.index + cut[0].length));
    else out.push(w);
  }
  return out;
}

/**
 * A full-width comma inside one full-width number (`１，８`, `７，５`) is a decimal one, as in 1,8;
 * anywhere else it parts a list (`2.5，0.6`, `１，２，３`).
 */
const FULL_WIDTH_DECIMAL_COMMA = /(?<![０-９．.，,])([０-９]+)，([０-９]+)(?![０-９．.，,])/g;

/**
 * A Chinese keyboard's full-width comma between half-width digits (`1，5`: the IME types the comma,
 * the digits stay as typed), in a command that takes one level and no list: a decimal comma, as in
 * 1,5, never two words (/mylevels add spx 1，5 was "5" a word too many).
 */
const DECIMAL_COMMA_IN_ONE_NUMBER = /(?<![0-9０-９．.，,])([0-9０-９]+)，([0-9０-９]+)(?![0-9０-９．.，,])/g;

/** A word of numbers joined by commas that make no one number (`2.5,0.25`, `1,2,3`): each; else the word. */
function commaList(word: string): string[] {
  if (!/^[\d.]+(?:,[\d.]+)+$/.test(word)) return [word];
  const read = numberSeparators(word);
  return read.ok && read.text.includes(',') ? word.split(',') : [word];
}

/** A list's words: `2.5, 0.6`, `2.5，0.6`, `2.5,0.6` and `spx、qqq` are two (a comma inside one number is a decimal one: 1,8, １，８; 1，5 where one level is read). */
const listWords = (words: readonly string[], oneLevel = false): string[] =>
  words
    .flatMap((w) => w.replace(oneLevel ? DECIMAL_COMMA_IN_ONE_NUMBER : FULL_WIDTH_DECIMAL_COMMA, '$1,$2').split(/[，、；;]/))
    // Numbers joined by commas that make no one number (`2.5,0.25`, `1,2,3`): a list typed without spaces.
    // One number's comma stays (1,5; 1,500 is asked: domain/number-separators.ts).
    .flatMap(commaList)
    .map((w) => w.replace(/,$/, ''))
    .filter((w) => w !== '');

/**
 * A zone in brackets glued to the time before it (`早上8點（台北）`, `8am(Taipei)`, `23:00-07:00（台北）`),
 * for a command that takes a zone: the time, then the zone (resolveTimeZone reads it without them).
 */
/**
 * An index's name written with its number apart (`S&P 500`, `Nasdaq 100`), for a command that takes no
 * number after its pair (a level or a percent could be that number): one word, the pair's.
 */
const indexNames = (specs: readonly ArgSpec[], words: readonly string[]): string[] => {
  if (!specs.some((s) => s.kind === 'pair' || s.kind === 'chart') || specs.some((s) => NUMBER_KINDS.has(s.kind))) return [...words];
  const out: string[] = [];
  for (const w of words) {
    const last = out.at(-1);
    if (last !== undefined && /^(?:500|100)$/.test(w) && parsePairArg(`${last}${w}`).ok) out[out.length - 1] = `${last}${w}`;
    else out.push(w);
  }
  return out;
};
const NUMBER_KINDS: ReadonlySet<ArgKind> = new Set(['level', 'levelRef', 'percent', 'days']);

/** What a reader puts between two pairs they name together: `spx and qqq`, `spx & qqq`, `標普和納指`. */
const PAIR_JOIN = /^(?:and|&|\+|和|與|与|跟|及|以及)$/i;

/**
 * The pairs named one after another (`spx qqq`, `spx and qqq`; a list's commas are already gone), from
 * `i`: each pair, and how many words they took. One pair is a run of one.
 */
function pairRun(words: readonly string[], i: number): { readonly pairs: PairId[]; readonly taken: number } {
  const pairs: PairId[] = [];
  let j = i;
  while (j < words.length) {
    const pair = parsePairArg(words[j]!);
    if (!pair.ok) break;
    pairs.push(pair.value);
    j++;
    if (PAIR_JOIN.test(words[j] ?? '') && parsePairArg(words[j + 1] ?? '').ok) j++;
  }
  return { pairs, taken: j - i };
}

/**
 * Every pair named to a command that shows every pair when none is named (/levels, /history, /ratio:
 * `/levels spx qqq`, `/ratio spx and qqq`): a reader naming both means both, as `all` says it, not a
 * word too many. One named twice (`spx spx`) is that one, to a command of one pair too (/move, /mylevels).
 */
function bothPairs(specs: readonly ArgSpec[], words: readonly string[]): string[] {
  const spec = specs.find((s) => s.kind === 'pair' && s.many !== true);
  if (spec === undefined) return [...words];
  const out: string[] = [];
  for (let i = 0; i < words.length; ) {
    const { pairs, taken } = pairRun(words, i);
    const named = new Set(pairs);
    // One pair twice is that one to every command (`/move spx spx 10 20`); both are both where every pair may be shown.
    if (taken > 1 && (named.size === 1 || (spec.all === true && named.size === PAIR_IDS.length))) {
      out.push(named.size === 1 ? words[i]! : 'all');
      i += taken;
    } else out.push(words[i++]!);
  }
  return out;
}

/**
 * Two pairs named to /chart (`/chart spx qqq`, `/chart spx 5y qqq`), /mylevels or /move: refused saying
 * why one and naming both, never as a word too many the reader would not know to leave out.
 */
function twoCharts(specs: readonly ArgSpec[], words: readonly string[]): ChatError | undefined {
  const key = onePairKey(specs);
  if (key === undefined) return undefined;
  const named = words.map((w) => ({ w, pair: parsePairArg(w) })).filter((x) => x.pair.ok);
  const second = named.find((x) => x.pair.ok && named[0]?.pair.ok && x.pair.value !== named[0].pair.value);
  return second === undefined ? undefined : { key, params: { first: echo(named[0]!.w), input: echo(second.w) } };
}

/**
 * The refusal of two pairs named to a command that takes one, saying why it is one: a chart draws one;
 * a chat's level (/mylevels) is a value on one ratio's scale (SPX/Gold's and QQQ/Gold's lie about ten
 * times apart); a move alert (/move) watches one. Never the silence of reading one of them alone, nor
 * "still needed" of what was typed. A command that shows every pair (`all`) reads both, bothPairs.
 */
function onePairKey(specs: readonly ArgSpec[]): string | undefined {
  if (specs.some((s) => s.kind === 'chart')) return 'chat.err.oneChart';
  if (!specs.some((s) => s.kind === 'pair' && s.all !== true && s.many !== true)) return undefined;
  if (specs.some((s) => s.kind === 'level')) return 'chat.err.oneLevelPair';
  if (specs.some((s) => s.kind === 'percent')) return 'chat.err.oneMovePair';
  return undefined;
}

/**
 * A move's percent and days joined by a comma as its last word, its days given nowhere else (`/move spx
 * 10,20`): 10.2%, days still to give, or 10% over 20 trading days. Asked in one line, never read as
 * the one not meant (it was 10.2%, "still needed: the trading days").
 */
function percentCommaDays(specs: readonly ArgSpec[], words: readonly string[]): ChatError | undefined {
  if (!specs.some((s) => s.kind === 'percent') || !specs.some((s) => s.kind === 'days')) return undefined;
  const last = words.at(-1);
  // The ASCII comma: a full-width one parts two words already (listWords), `10，20` is 10% over 20 days.
  const m = last === undefined || !last.includes(',') ? null : /^(\d+),(\d+)$/.exec(numberText(last));
  if (m === null || words.slice(0, -1).some((w) => /\d/.test(w))) return undefined;
  return { key: 'chat.err.percentOrDays', params: { input: echo(last!), decimal: String(Number(`${m[1]}.${m[2]}`)), pctTyped: m[1]!, daysTyped: m[2]! } };
}

const ZONE_IN_BRACKETS = /^(.*[^\s(（[【])\s*([(（[【][^()（）[\]【】]+[)）\]】])$/u;
const zoneInBrackets = (specs: readonly ArgSpec[], words: readonly string[]): string[] =>
  specs.some((s) => s.kind === 'timezone') ? words.flatMap((w) => ZONE_IN_BRACKETS.exec(w)?.slice(1, 3) ?? [w]) : [...words];

/**
 * A day then its year with a month named before them (`Dec 27 2021`, `Dec 27, 2021` once the list's
 * comma is gone): the two numbers in a row that are one date, not two values.
 */
const dayThenYear = (run: readonly string[], k: number): boolean =>
  /^\d{1,2}$/.test(run[k - 1]!) && /^\d{4}$/.test(run[k]!) && run.slice(0, k - 1).some((w) => /^\p{L}{3,}\.?$/u.test(w));

/** A quarter or a half then its year (`Q1 2020`, `H2 2021`): two words that end and start with digits, one date. */
const periodThenYear = (run: readonly string[], k: number): boolean => /^[qh][1-4]$/i.test(run[k - 1]!) && /^\d{4}$/.test(run[k]!);

/** A time's hour then its minutes apart (`8 30`, `8 30pm`), as a phone's keyboard leaves them: one time. */
const hourThenMinutes = (run: readonly string[], k: number): boolean => /^\d{1,2}$/.test(run[k - 1]!) && /^\d{2}(?:[ap]\.?m\.?)?$/i.test(run[k]!);

/**
 * How many words from `i` make the longest value of `spec` (a spaced kind's, at most 8 words: `11 at
 * night to 7 in the morning` is one window), or 1.
 */
function spacedValue(spec: ArgSpec, words: readonly string[], i: number, c: ArgContext): number {
  if (!SPACED_KINDS.has(spec.kind)) return 1;
  for (let n = Math.min(8, words.length - i); n > 1; n--) {
    const run = words.slice(i, i + n);
    if (
      run.some(
        (w, k) =>
          k > 0 &&
          NUMBER_START.test(w) &&
          NUMBER_END.test(run[k - 1]!) &&
          !dayThenYear(run, k) &&
          !periodThenYear(run, k) &&
          !(spec.kind === 'time' && hourThenMinutes(run, k)),
      )
    )
      continue;
    if (fits(spec, run.join(' '), c)) return n;
  }
  return 1;
}

/**
 * Whether the words from `i` make at most `max` values of the arguments `specs` (a spaced value,
 * `last 5 years`, is one): whether there is room for them all. Counts no further than `max`.
 */
function fitsIn(specs: readonly ArgSpec[], words: readonly string[], i: number, max: number, c: ArgContext): boolean {
  let values = 0;
  for (let j = i; j < words.length; values++) {
    if (values >= max) return false;
    j += Math.max(1, ...specs.map((s) => spacedValue(s, words, j, c)));
  }
  return true;
}

/**
 * Telegram's words bound to argument names by position. A `many` argument takes words while they
 * parse as its kind (the last one takes every word left). An optional argument a word is not, when
 * a later one takes that word, is left out, as a Discord user leaves an option out: `/chart 5y` is
 * the default chart over five years, `/digest Asia/Taipei` a time zone without a time. A word that
 * no argument from its place on takes, but exactly one left out before it does, is that one's,
 * given out of order (`/chart 5y spx`, `/chart 2007 2009 qqq`). Too many words: a usage error that
 * names the words left over. Before binding: a list's commas and a window's join are read
 * (listWords, splitWindows); a value may take several words (spacedValue).
 */
export function bindWords(specs: readonly ArgSpec[], typed: readonly string[], c: ArgContext): Result<ArgValues, ChatError> {
  const { out, left } = bind(specs, typed, c);
  return left.length > 0 ? extraWords(left, typed) : ok(out);
}

/**
 * Words left over: named as more than the command takes; unless they start with `or` (`/mute a week
 * or two`, `/chart spx 1y or 5y`): a choice of two, said as one, with all that was typed, not as if
 * the first were taken and `or two` were a word too many.
 */
const extraWords = (left: readonly string[], typed: readonly string[], implied = 0): Parsed<never> =>
  /^(?:or|或|或者|還是|还是)$/i.test(left[0] ?? '')
    ? fail('chat.err.eitherOr', { input: typed.slice(implied).join(' ') })
    : fail('chat.err.extra', { input: left.join(' ') });

/** bindWords' binding: the words bound by argument name, and the words no argument took. */
function bind(specs: readonly ArgSpec[], typed: readonly string[], c: ArgContext): { readonly out: ArgValues; readonly left: readonly string[] } {
  const out: Record<string, string> = {};
  const list = argsOn(specs, c.platform);
  const oneLevel = list.some((s) => s.kind === 'level' && s.many !== true);
  const words = splitWindows(list, bothPairs(list, indexNames(list, zoneInBrackets(list, listWords(typed, oneLevel)))), c);
  /** Optional arguments left out so far: a later word may still be one of them. */
  const skipped: ArgSpec[] = [];
  /** The one argument left out before that takes `word`, when no other does. */
  const leftOut = (word: string): ArgSpec | undefined => {
    const open = skipped.filter((s) => out[s.name] === undefined && fits(s, word, c));
    return open.length === 1 ? open[0] : undefined;
  };
  const end = list.find((s) => s.kind === 'date' && s.end === true);
  let i = 0;
  let k = 0;
  while (i < words.length) {
    // A window's join with no start before it (splitWindows took those): an end typed alone
    // (`/chart spx to 2009`), which the command says needs a start, never a range "to".
    // The end may take several words (`to Nov 19, 2026`).
    const endWords = end !== undefined && WINDOW_SEPARATOR.test(words[i]!) && i + 1 < words.length ? spacedValue(end, words, i + 1, c) : 0;
    const next = words.slice(i + 1, i + 1 + endWords).join(' ');
    if (end !== undefined && out[end.name] === undefined && endWords > 0 && fits(end, next, c)) {
      out[end.name] = next;
      i += 1 + endWords;
      continue;
    }
    const spec = list[k];
    if (spec === undefined) {
      // Every argument passed: a word left may still be one given out of order.
      const back = leftOut(words[i]!);
      if (back === undefined) break;
      out[back.name] = words[i++]!;
      continue;
    }
    const later = list.slice(k + 1);
    k++;
    if (spec.many === true) {
      const last = later.length === 0;
      const taken: string[] = [];
      while (i < words.length && (last || parseOne(spec, words[i]!, c, {}).ok)) taken.push(words[i++]!);
      if (taken.length > 0) out[spec.name] = taken.join(' ');
      continue;
    }
    // A mute's length or end that no first words make, its command's last argument, is every word
    // left: `until whenever you like` is refused whole, not as `until` with words too many (`1h 2h` still has one too many).
    const rest = words.slice(i).join(' ');
    if (spec.kind === 'duration' && later.length === 0 && (fits(spec, rest, c) || (spacedValue(spec, words, i, c) === 1 && !fits(spec, words[i]!, c)))) {
      out[spec.name] = rest;
      i = words.length;
      continue;
    }
    // A level typed as a percent in several words (`ten percent`, `50 %`, `five per cent`), its command's last
    // argument: one value, refused as a percent (a level is a value of the ratio), not as the word `ten`.
    // A level typed with its thousands spaced apart (`1 500`, as French and SI text group them), its command's last
    // argument: one number, refused as the price it is (above the highest level), not as a word "500" too many.
    if (spec.kind === 'level' && later.length === 0 && /^[1-9]\d{0,2}(?: \d{3})+$/.test(rest)) {
      out[spec.name] = rest;
      i = words.length;
      continue;
    }
    if (spec.kind === 'level' && later.length === 0 && words.length - i > 1 && isPercentText(rest)) {
      out[spec.name] = rest;
      i = words.length;
      continue;
    }
    // A time or a window typed with spaces inside (`7:30 pm`, `11 pm - 7 am`) is one value.
    const spaced = spacedValue(spec, words, i, c);
    if (spaced > 1) {
      out[spec.name] = words.slice(i, i + spaced).join(' ');
      i += spaced;
      continue;
    }
    const word = words[i]!;
    // Only where the words left still fit the arguments left (a value of several words counting
    // once, and the ones left out before as places too): `/move add spx 150 20` is a percent out of
    // range, not a 150-day move with a word too many. A verb left out is the exception:
    // `/mylevels spx 1.8 3` is a level with a word too many, not an unknown verb "spx".
    const verb = spec.kind === 'word' && spec.choices !== undefined;
    const places = later.length + skipped.filter((s) => out[s.name] === undefined).length;
    const room = verb || later.some((l) => l.many === true) || fitsIn([...later, ...skipped], words, i, places, c);
    // A date-shaped word a later date argument refuses (`/chart spx 2030`) is that date, not this argument's.
    const skippable = spec.required !== true && !fits(spec, word, c);
    // Likewise when a later argument takes this word with the next ones (`/chart spx last 2 years`: a span back, no range).
    // An argument of named values (a range, a pair) is never a mistyped number or date: a word a
    // later argument takes is that one's even without room, and the words past it are too many
    // (`/chart spx 2007 2009 extra` names "extra", not an unknown range "2007").
    const laterTakes = later.some((l) => fits(l, word, c));
    const named = kindChoices(spec, 'en') !== undefined;
    if (skippable && (((room || named) && laterTakes) || later.some((l) => spacedValue(l, words, i, c) > 1))) {
      skipped.push(spec);
      continue;
    }
    if (!fits(spec, word, c) && !later.some((l) => fits(l, word, c))) {
      // No argument from here on takes the word, one left out before does: given out of order (`/chart 5y spx`).
      const back = leftOut(word);
      if (back !== undefined) {
        out[back.name] = word;
        i++;
        k--;
        continue;
      }
      // A second of the named values of an argument given already (`/chart spx 5y qqq`: a pair, a
      // chart, a range) is a word too many, not this argument's. A number is still this one's
      // (`/move spx 10 2.5`: days that are no whole number, not a second percent).
      if (list.slice(0, k - 1).some((s) => out[s.name] !== undefined && kindChoices(s, 'en') !== undefined && fits(s, word, c))) break;
      // A word with no digit where an optional date may follow what was given (`/chart spx 5y 🚀`,
      // `/power 2020 x`) is a word too many, not a mistyped date; `/chart spx 5y 2O2O` is still one,
      // and so is a window's join left without its end (`/power 2011 -`).
      if (spec.kind === 'date' && spec.required !== true && Object.keys(out).length > 0 && !HAS_NUMERAL.test(word) && !WINDOW_SEPARATOR.test(word)) break;
    }
    out[spec.name] = word;
    i++;
  }
  return { out, left: words.slice(i) };
}

/**
 * A start date given as a whole window, as Discord's one option takes it (`/chart from:2007-2009`,
 * `from:"2007 2009"`, `/power base:"2011 2020"`): its start and its end, as two words would be
 * on Telegram. With an end given as well, which end is meant is unclear: refused, saying so.
 */
function windowOption(list: readonly ArgSpec[], values: ArgValues, c: ArgContext): Result<ArgValues, ChatError> {
  const start = list.find((s) => s.kind === 'date' && s.end !== true);
  const end = list.find((s) => s.kind === 'date' && s.end === true);
  const typed = start === undefined ? undefined : values[start.name];
  if (start === undefined || end === undefined || typeof typed !== 'string' || parseOne(start, typed, c, {}).ok) return ok(values);
  const words = splitWindows(list, typed.trim().split(/\s+/), c);
  // Two words, or dates of several words around a join (`Oct 20, 2026 to Nov 19, 2026`).
  const join = words.findIndex((w) => WINDOW_SEPARATOR.test(w));
  const [from, to] = words.length === 2 ? words : join > 0 ? [words.slice(0, join).join(' '), words.slice(join + 1).join(' ')] : [];
  if (from === undefined || to === undefined || !fits(start, from, c) || !fits(end, to, c)) return ok(values);
  const given = values[end.name];
  if (given !== undefined && String(given).trim() !== '') return fail('chat.err.windowAndEnd', { input: typed.trim(), end: echo(String(given).trim()) });
  return ok({ ...values, [start.name]: from, [end.name]: to });
}

/**
 * Named values (Discord options, or Telegram's bound words) → validated arguments, or why not.
 * The one validation every platform goes through.
 */
export function parseArgs(specs: readonly ArgSpec[], named: ArgValues, c: ArgContext): ArgsResult {
  const list = argsOn(specs, c.platform);
  const known = new Set(list.map((s) => s.name));
  if (Object.keys(named).some((k) => !known.has(k) && named[k] !== undefined)) return err(undefined);
  const windowed = windowOption(list, named, c);
  if (!windowed.ok) return windowed;
  const values = windowed.value;
  const out: Record<string, unknown> = {};
  for (const spec of list) {
    const raw = values[spec.name];
    const text = raw === undefined ? '' : visibleText(String(raw)).trim();
    if (text === '') {
      if (spec.required === true) return err(undefined);
      continue;
    }
    if (spec.many === true) {
      const parsed: unknown[] = [];
      // Levels after pairs may name a pair again, and the levels after it are that pair's:
      // `/subscribe spx 2.5 qqq 0.25` is 2.5 on SPX/Gold and 0.25 on QQQ/Gold.
      const pairs = spec.kind === 'levelRef' ? list.find((l) => l.kind === 'pair' && l.many === true && Array.isArray(out[l.name])) : undefined;
      let before: Record<string, unknown> = out;
      for (const word of listWords(text.split(/\s+/))) {
        const pair = pairs === undefined ? undefined : parsePairArg(word);
        if (pairs !== undefined && pair?.ok === true) {
          const named = out[pairs.name] as PairId[];
          if (!named.includes(pair.value)) named.push(pair.value);
          before = { ...out, [pairs.name]: [pair.value] };
          continue;
        }
        const r = parseOne(spec, word, c, before);
        if (!r.ok) return r;
        if (spec.kind === 'pair' && Array.isArray(r.value)) {
          // `all` among pairs: every pair, once.
          for (const pair of r.value) if (!parsed.includes(pair)) parsed.push(pair);
        } else parsed.push(r.value);
      }
      out[spec.name] = parsed;
    } else {
      const r = parseOne(spec, text, c, out);
      if (!r.ok) return r;
      out[spec.name] = r.value;
    }
  }
  const range = list.find((s) => s.kind === 'range' && out[s.name] !== undefined);
  const start = list.find((s) => s.kind === 'date' && s.end !== true && out[s.name] !== undefined);
  const endSpec = list.find((s) => s.kind === 'date' && s.end === true);
  // `/chart spx 去年`: the calendar year 2025, to its last day (capped at today), not 2025 to now; Q1 2020 its quarter.
  const whole =
    start?.wholePeriod === true && endSpec !== undefined && out[endSpec.name] === undefined
      ? wholePeriodEnd(String(values[start.name]), String(out[start.name]), c.today, c.lang, c.calendarToday)
      : undefined;
  if (whole !== undefined && endSpec !== undefined) out[endSpec.name] = whole;
  // A range or a span back typed with a few (`a few months`: 3M; 幾年: 3 years back): kept, for the reply to say so.
  const spanSaid = [range, start].filter((s) => s !== undefined).map((s) => fewSaid(String(values[s.name])));
  const few = spanSaid.find((w) => w !== undefined);
  if (few !== undefined) out[FEW_SAID] = few;
  if (start !== undefined && isThisWeekWord(String(values[start.name]))) out[THIS_WEEK_SAID] = String(values[start.name]).trim();
  // A start that is a span back beside a range (`/chart spx 1y 5y`, `/chart spx 1y 2y`) is a second range, not a date.
  if (range !== undefined && start !== undefined && isSpanBack(String(values[start.name])))
    return fail('chat.err.twoRanges', { first: echo(String(values[range.name]).trim()), input: String(values[start.name]).trim() });
  for (const spec of list) {
    const missing = out[spec.name] === undefined ? [] : (spec.needs ?? []).filter((n) => out[n] === undefined);
    if (missing.length > 0) return err(missingArgs(missing));
  }
  return ok(out);
}

/**
 * The refusal of a command given only part of what it needs (`/move spx 10`: the days): the
 * arguments still missing, by name, each as `chat.missing.<name>` says it (what it is, an example).
 */
export const missingArgs = (names: readonly string[]): ChatError => ({
  key: 'chat.err.missing',
  params: {},
  terms: { missing: names.map((n) => `chat.missing.${n}`) },
});

/**
 * A date among the words of a command that takes none (`/history 明年`, `/ratio tomorrow`, `/levels spx
 * next year`, `/history 2020`): after today, its refusal as in the future, as /chart's and /power's date
 * says it; else that the command takes no date, with the chart of that time to type. Not an unknown
 * pair or a word too many. Words from each one to the last, then each alone; undefined when none is a date.
 */
export function dateAmong(command: string, typed: readonly string[], c: ArgContext): ChatError | undefined {
  const words = unquoted(typed).map(valueSaid);
  const tries = [...words.map((_, i) => words.slice(i).join(' ')), ...words];
  const pair = words.map((w) => parsePairArg(w)).find((p) => p.ok)?.value;
  for (const said of tries) {
    if (said.trim() === '' || parsePairArg(said).ok) continue;
    const r = parseBaseDate(said, c.today, 'start', c.lang, c.calendarToday);
    if (
      !r.ok &&
      (r.error.key === 'chat.err.dateFuture' ||
        r.error.key === 'chat.err.rocFuture' ||
        r.error.key === 'chat.err.thisWeekNoClose' ||
        r.error.key === 'chat.err.samePeriod')
    )
      return r.error;
    if (r.ok) {
      const example = copyable(`/chart ${(pair ?? 'spx-gold').slice(0, 3)} ${said.trim()}`);
      return { key: 'chat.err.noDateHere', params: { command, input: echo(said.trim()), example } };
    }
  }
  return undefined;
}

/** Telegram's text arguments → validated arguments: bind by position, then the shared validation. */
/**
 * Double quotes around what was typed (`/chart spx "last year"`, `“去年”`, `「去年」`) are no part of it:
 * a reader quotes a phrase as they would in a search box. Only at a word's edges; a single quote stays
 * (an apostrophe, or what the refusal names as typed).
 */
const QUOTES = /^["“”„「」『』]+|["“”„「」『』]+$/g;
export const unquote = (typed: string): string => typed.replace(QUOTES, '');
const unquoted = (words: readonly string[]): string[] => words.map(unquote).filter((w) => w !== '');

/**
 * `implied`: how many of the first words the command put there itself (/move's `add`, which the reader
 * may leave out): read as typed, but never quoted back as the reader's.
 */
export function parseWords(specs: readonly ArgSpec[], typed: readonly string[], c: ArgContext, implied = 0): ArgsResult {
  const words = unquoted(typed);
  const charts = twoCharts(specs, listWords(words));
  if (charts !== undefined) return err(charts);
  const comma = percentCommaDays(specs, words);
  if (comma !== undefined) return err(comma);
  const { out, left } = bind(specs, words, c);
  const parsed = parseArgs(specs, out, c);
  if (left.length === 0) return parsed;
  // Words left over after one the command refused: that one is the first wrong word
  // (`/chart '; DROP TABLE x;--` is an unknown chart "'", not a word "--" too many).
  return !parsed.ok && parsed.error !== undefined ? parsed : extraWords(left, words, implied);
}

function label(command: string, spec: ArgSpec, lang: Lang): string {
  const key = `chat.arglabel.${command}.${spec.name}`;
  const own = t(lang, key);
  if (own !== key) return own;
  const choices = kindChoices(spec, lang);
  // A range by the language's name for it (1年, 全部), as Discord's choices show it: chat/parse.ts
  // reads those names in every chat. In English the name is the code (1Y, MAX).
  if (choices !== undefined) return choices.map((x) => (spec.kind === 'range' ? x.label : x.value)).join('|');
  // A duration by the language's words for it (30分鐘|2小時…), which parseDuration reads in every chat.
  if (spec.kind === 'duration') return t(lang, 'chat.arghint.duration');
  if (spec.kind === 'time') return 'HH:MM';
  // Else its name and what to put in, as a named option's hint says it: `timezone, e.g. Asia/Taipei`,
  // never a bare `[timezone]` that tells a reader nothing of what it takes.
  const name = t(lang, `chat.argname.${spec.name}`);
  const hint = argHint(command, spec, lang);
  if (hint === undefined) return name;
  return `${name}${t(lang, hint.startsWith(t(lang, 'chat.arglabel.example')) ? 'chat.arglabel.sepExample' : 'chat.arglabel.sep')}${hint}`;
}

/** The catalogue's hint of what to put into an argument: this command's own, else its kind's. */
function argHint(command: string, spec: ArgSpec, lang: Lang): string | undefined {
  for (const key of [`chat.arghint.${command}.${spec.name}`, `chat.arghint.${spec.kind}`]) {
    const own = t(lang, key);
    if (own !== key) return own;
  }
  return undefined;
}

/** A name as a client of named options writes it: lowercase, no spaces, ≤ 32 characters (Discord's rule). */
const optionText = (s: string): string => s.toLowerCase().replace(/\s+/g, '-').slice(0, 32);

/**
 * A command's or an option's name as a client of named options shows it in `lang`: the
 * language's own (`chat.name.*`, `chat.argname.*`) where the client has a locale for it, else the
 * declared one. The Discord manifest gives these same names (platforms/discord/manifest.ts).
 */
export function optionName(lang: Lang, key: string, declared: string): string {
  return LANG_INFO[lang].discordLocales.length === 0 ? declared : optionText(t(lang, key));
}
/** A command's name, and an argument's, as a client of named options shows them in `lang`. */
export const shownCommand = (lang: Lang, command: string): string => optionName(lang, `chat.name.${command}`, command);
export const shownArg = (lang: Lang, spec: Pick<ArgSpec, 'name'>): string => optionName(lang, `chat.argname.${spec.name}`, spec.name);

/** What to put into a named option: its choices as the client lists them, a hint of the catalogue's, or nothing (a picker). */
function optionHint(command: string, spec: ArgSpec, lang: Lang): string | undefined {
  // A list of choices (the manifest's), unless the option takes several words (a list of pairs).
  const choices = spec.many === true && spec.kind !== 'pair' ? undefined : kindChoices(spec, lang);
  if (choices !== undefined) return choices.map((x) => x.label).join('|');
  return argHint(command, spec, lang);
}

/**
 * A command with its arguments filled in, as the platform takes it, for a reader to copy: Telegram
 * `/move remove spx 10 20`; Discord `/move action:remove pair:SPX/Gold percent:10 days:20` (the
 * names and choice labels its form shows, in `lang`). `values` are by argument name, as typed.
 */
export function commandLine(command: string, specs: readonly ArgSpec[], lang: Lang, platform: Platform, values: Readonly<Record<string, string>>): string {
  const given = argsOn(specs, platform).filter((s) => values[s.name] !== undefined);
  if (!NAMED_OPTIONS.has(platform)) return [`/${command}`, ...given.map((s) => values[s.name]!)].join(' ');
  const shown = (s: ArgSpec): string => {
    const v = values[s.name]!;
    return kindChoices(s, lang)?.find((c) => c.value.toLowerCase() === v.toLowerCase())?.label ?? v;
  };
  return [`/${shownCommand(lang, command)}`, ...given.map((s) => `${shownArg(lang, s)}:${shown(s)}`)].join(' ');
}

/** `/mylevels [add|remove <spx|qqq> <value, e.g. 1.8>]`: the usage line, from the declaration; on Discord `/mylevels [action:add|remove] [pair:spx|qqq] [value:e.g. 1.8]`. */
export function usageLine(command: string, specs: readonly ArgSpec[], lang: Lang, platform: Platform = 'telegram'): string {
  const list = argsOn(specs, platform);
  if (NAMED_OPTIONS.has(platform)) {
    const named = (s: ArgSpec): string => {
      const name = shownArg(lang, s);
      const hint = optionHint(command, s, lang);
      const body = hint === undefined ? name : `${name}:${hint}`;
      return s.required === true ? body : `[${body}]`;
    };
    return [`/${shownCommand(lang, command)}`, ...list.map(named)].join(' ');
  }
  const inside = new Set(list.flatMap((s) => s.needs ?? []));
  const one = (s: ArgSpec): string => {
    const needed = (s.needs ?? []).map((n) => list.find((x) => x.name === n)).filter((x): x is ArgSpec => x !== undefined);
    const body = [label(command, s, lang), ...needed.map((n) => `<${label(command, n, lang)}>`)].join(' ');
    return s.required === true ? `<${body}>` : `[${body}]`;
  };
  return [`/${command}`, ...list.filter((s) => !inside.has(s.name)).map(one)].join(' ');
}
