/**
 * The shape of one platform-neutral chat command, and the one way every platform runs it:
 * the admin check for settings, then the arguments validated against the command's declaration
 * (chat/args.ts), then the command itself with parsed arguments. A refusal or a usage error
 * has written nothing.
 */
import { matchLang, t, type Lang } from '../domain/i18n/index.ts';
import type { Platform } from '../domain/platform.ts';
import { dateAmong, parseArgs, parseWords, unquote, type ArgContext, type ArgSpec, type ArgsResult, type ArgValues, type ParsedArgs } from './args.ts';
import { fail, isTodayWord, MAX_ECHO, visibleText, type ChatError } from './parse.ts';
import { PAIR_IDS } from '../domain/instruments.ts';
import { err } from '../domain/series.ts';
import { chatLang, type ChatContext, type ChatDeps } from './context.ts';
import { dateInZone } from '../domain/dates.ts';
import { chatZoneOf, isZoneUnset } from '../domain/quiet-hours.ts';
import { denied, mayChangeSettings, usage, type Where } from './replies.ts';
import type { Reply } from './reply.ts';

export interface CommandDefinition {
  /** 'ratio': the platform adds its own prefix (`/ratio`). Lowercase, ≤ 32 characters (Discord). */
  readonly name: string;
  /** Needs an admin in groups/channels (Discord: Manage Channels); checked before the arguments. */
  readonly changesSettings: boolean;
  /** Without arguments it only reads (`/mylevels` lists): no admin needed then. */
  readonly readsWithoutArgs?: boolean;
  /** The arguments, as data: parser, usage line and Discord options all come from here. */
  readonly args: readonly ArgSpec[];
  /** Where the command exists (Telegram's /start). Default: every platform. */
  readonly platforms?: readonly Platform[];
  /**
   * The words after it are not arguments and are ignored: Telegram's deep links
   * (t.me/<bot>?start=<payload>) send `/start <payload>`, which must greet, not answer a usage line.
   */
  readonly ignoresWords?: boolean;
  /**
   * Whether these values (named, as given, before validation) set up something the bot will later
   * post in the chat by itself: alerts, a digest. A platform that can tell the bot may not post
   * there refuses before the command runs (Discord: handlers.ts checkBotCan), rather than confirm a
   * setting whose first message would fail. Default: never.
   */
  readonly postsHere?: (values: ArgValues) => boolean;
  /**
   * The words read when the reader left some out (/move's `spx 10 20` read as `add spx 10 20`): what
   * the command puts before them is read as typed, but a refusal never quotes it back as the reader's.
   */
  readonly impliedWords?: (words: readonly string[]) => readonly string[];
  /** One-line description for the command menu (Telegram setMyCommands, Discord) and /help: a platform, or the chat /help is read in. */
  describe(lang: Lang, where: Where): string;
  /** Runs with arguments already validated against `args`. */
  execute(deps: ChatDeps, ctx: ChatContext, args: ParsedArgs): Promise<Reply>;
}

export interface ChatCommand extends CommandDefinition {
  /** Telegram: the words after the command. */
  run(deps: ChatDeps, ctx: ChatContext, words: readonly string[]): Promise<Reply>;
  /** Discord: option values by name (strings, numbers, booleans), validated exactly like words. */
  runNamed(deps: ChatDeps, ctx: ChatContext, values: ArgValues): Promise<Reply>;
}

async function runWith(
  c: CommandDefinition,
  deps: ChatDeps,
  ctx: ChatContext,
  empty: boolean,
  parse: (lang: Lang, calendarToday: string | undefined) => ArgsResult,
): Promise<Reply> {
  const lang = await chatLang(deps, ctx);
  // A place that offers fewer commands (where only the user installed the app: a DM, a group DM,
  // where the bot may not post and nothing stored would ever arrive) runs only those, as /help there
  // says. Discord sends only the commands registered for it; a wider or older registration's are refused here.
  if (ctx.commands !== undefined && !ctx.commands.has(c.name)) return { status: 'error', lines: [[t(lang, 'chat.help.readOnly')]] };
  if (c.changesSettings && !(c.readsWithoutArgs === true && empty) && !(await mayChangeSettings(ctx))) return denied(lang, ctx);
  const args = parse(lang, !empty && c.args.some((a) => a.kind === 'date') ? await calendarToday(deps, ctx) : undefined);
  if (!args.ok)
    return usage(lang, ctx.platform, c, args.error !== undefined && NAMES_LATEST.has(args.error.key) ? await withLatestClose(deps, args.error) : args.error);
  return c.execute(deps, ctx, args.value);
}

/**
 * A date after today refused naming the latest close the data holds (either ratio's, in the reader's
 * date format), not today's month: the history may end days or months before today (a source
 * unreachable, a database loaded from CSVs). Without any close, the refusal names today alone.
 */
/** The refusals that name the latest close when there is one (as their `.latest` key): a date to come, this week without a close yet. */
const NAMES_LATEST: ReadonlySet<string> = new Set(['chat.err.dateFuture', 'chat.err.thisWeekNoClose']);

async function withLatestClose(deps: ChatDeps, e: ChatError): Promise<ChatError> {
  const snap = await deps.view.snapshot();
  const latest =
    PAIR_IDS.map((p) => snap.ratio(p).at(-1)?.date ?? '')
      .sort()
      .at(-1) ?? '';
  if (latest === '') return e;
  return { ...e, key: `${e.key}.latest`, params: { ...e.params, latest }, dates: [...(e.dates ?? []), 'latest'] };
}

/** Every command's name, as defineCommand met it: `/levels` typed after another command is that command, not a word of the first. */
const COMMAND_NAMES = new Set<string>();

/**
 * Two commands in one message (`/ratio`, then `/levels` on the next line; `/ratio spx /ratio qqq`):
 * refused as such, not as an unknown pair "/levels" or a word too many. Only words refused are asked
 * about: `/help /ratio` reads its command.
 */
function secondCommandFirst(parsed: ArgsResult, words: readonly string[]): ArgsResult {
  if (parsed.ok) return parsed;
  const second = words.map((w) => /^\/([a-z]+)(?:@\w+)?$/i.exec(w)?.[1]?.toLowerCase()).find((n) => n !== undefined && COMMAND_NAMES.has(n));
  return second === undefined ? parsed : fail('chat.err.twoCommands', { command: `/${second}` });
}

/** A command that only reads the market and takes no date (/ratio, /levels, /history, /status): a date after today typed to it is refused as one. */
const readsNoDate = (c: CommandDefinition): boolean => !c.changesSettings && c.ignoresWords !== true && c.args.every((a) => a.kind === 'pair');

/** A refusal of what such a command was typed (an unknown pair, a word too many) that names a date: refused as a date (in the future, or none taken here) instead. */
function futureFirst(c: CommandDefinition, parsed: ArgsResult, words: readonly string[], a: ArgContext): ArgsResult {
  if (parsed.ok || !readsNoDate(c)) return parsed;
  // Today or now (`/ratio today`, `/history qqq 現在`): the latest close, which such a command shows
  // anyway. Read without it; what else was typed keeps its own refusal (`/ratio today hello`: hello).
  const rest = words.filter((w) => !isTodayWord(unquote(w)));
  const read = rest.length < words.length ? parseWords(c.args, rest, a) : parsed;
  if (read.ok) return read;
  const date = dateAmong(c.name, rest, a);
  return date === undefined ? read : err(date);
}

/**
 * Named options, validated. Text typed after a Discord command lands in one option, so
 * `/digest 08:00 Asia/Taipei` (as the help and Telegram write it) arrives as time "08:00
 * Asia/Taipei": when the one option given holds what it does not take, its words are read as
 * Telegram reads words after a command. Anything else (and what that reading refuses too) keeps the
 * option's own refusal. (A window in a start date's option, `/chart chart:qqq from:2007-2009`, is
 * read by parseArgs itself, whatever else is given.)
 */
function parseNamed(specs: readonly ArgSpec[], typed: ArgValues, c: ArgContext): ArgsResult {
  // from:"last year" as from:last year (a quoted phrase, as parseWords reads one).
  const values = Object.fromEntries(Object.entries(typed).map(([k, v]) => [k, typeof v === 'string' ? unquote(v) : v])) as ArgValues;
  const named = parseArgs(specs, values, c);
  if (named.ok) return named;
  const given = Object.values(values).filter((v) => v !== undefined && v !== '');
  const words = given.length === 1 && typeof given[0] === 'string' ? visibleText(given[0]).trim().split(/\s+/) : [];
  if (words.length === 0) return named;
  const asWords = parseWords(specs, words, c);
  return asWords.ok ? asWords : named;
}

/**
 * The chat's own date when it has a zone (a digest's or quiet hours' set; not the UTC every new chat
 * reads): its calendar words (去年, 上個月) are read on it. Else undefined: New York's, as the market's today.
 */
async function calendarToday(deps: ChatDeps, ctx: ChatContext): Promise<string | undefined> {
  const sub = await deps.subs.get(ctx.platform, ctx.chatId);
  if (sub === undefined) return undefined;
  const quiet = await deps.quiet?.window(sub.id);
  if (sub.digestTime === null && isZoneUnset(sub.timezone) && quiet === undefined) return undefined;
  try {
    return dateInZone(new Date(ctx.nowMs), chatZoneOf({ time: sub.digestTime, timezone: sub.timezone }, quiet));
  } catch {
    return undefined;
  }
}

/**
 * The most characters a command's words may hold, together (Telegram: the words after its name;
 * Discord: its options' text). Far over anything a reader types (`until next Monday 08:00
 * Asia/Taipei` is 35, twenty levels to /subscribe about 110), and far under the 4,096 of a
 * Telegram message or Discord's 6,000: several readers (a mute's end tried at each split point, a
 * date's words) cost more than the length, up to seconds on a pasted page, and a bot answering
 * thousands of chats must not spend its main thread on a few (bench/long-input.ts).
 */
export const MAX_ARGS_TEXT = 200;

/**
 * Words longer together than MAX_ARGS_TEXT, refused before any reader sees them, naming the bound,
 * the length and (cut) the longest word, or the text's start when no word alone is long. Named
 * values (a Discord form's options) are said as options: nothing there is typed after a name.
 */
export function tooLongArgs(typed: readonly string[], key: 'chat.err.tooLong' | 'chat.err.tooLongOptions' = 'chat.err.tooLong'): ArgsResult | undefined {
  // Counted as the reader counts: a Chinese character or an emoji is one (UTF-16 counts 🚀 twice, never fewer).
  const text = typed.join(' ');
  if (text.length <= MAX_ARGS_TEXT) return undefined;
  const length = [...text].length;
  if (length <= MAX_ARGS_TEXT) return undefined;
  const longest = typed.reduce((a, w) => (w.length > a.length ? w : a), '');
  return fail(key, { max: MAX_ARGS_TEXT, length, input: longest.length > MAX_ECHO ? longest : text });
}

/**
 * A command's readings of what was typed, by the words (or named values) and the ArgContext: a
 * reading depends on nothing else, and a burst types the same few (200 users at once, 21 distinct
 * /chart subjects: bench/burst.ts), each start or range word tried by the date, range and span
 * readers in turn (~0.7 ms of the main thread). A few hundred kept, all dropped when full.
 */
const READINGS_KEPT = 256;
function readings(): (a: ArgContext, typed: string, read: () => ArgsResult) => ArgsResult {
  const kept = new Map<string, ArgsResult>();
  return (a, typed, read) => {
    const key = `${a.today}\u0001${a.calendarToday ?? ''}\u0001${a.platform}\u0001${a.lang ?? ''}\u0001${a.readerLang ?? ''}\u0001${typed}`;
    let r = kept.get(key);
    if (r === undefined) {
      r = read();
      if (kept.size >= READINGS_KEPT) kept.clear();
      kept.set(key, r);
    }
    return r;
  };
}

export function defineCommand(c: CommandDefinition): ChatCommand {
  COMMAND_NAMES.add(c.name);
  const argCtx = (deps: ChatDeps, ctx: ChatContext, lang: Lang, calendar: string | undefined): ArgContext => {
    const reader = matchLang(ctx.userLanguageCode);
    return {
      today: deps.today(ctx.nowMs),
      platform: ctx.platform,
      lang,
      ...(calendar !== undefined ? { calendarToday: calendar } : {}),
      ...(reader !== undefined ? { readerLang: reader } : {}),
    };
  };
  const read = readings();
  return {
    ...c,
    run: (deps, ctx, typed) => {
      const words = c.ignoresWords === true ? [] : typed;
      // What the command reads before the reader's words (/move's add) follows from the words.
      const said = c.impliedWords?.(words) ?? words;
      return runWith(c, deps, ctx, words.length === 0, (lang, calendar) => {
        const a = argCtx(deps, ctx, lang, calendar);
        return (
          tooLongArgs(words) ??
          read(a, words.join('\u0000'), () => secondCommandFirst(futureFirst(c, parseWords(c.args, said, a, said.length - words.length), words, a), words))
        );
      });
    },
    runNamed: (deps, ctx, values) =>
      runWith(
        c,
        deps,
        ctx,
        Object.values(values).every((v) => v === undefined || v === ''),
        (lang, calendar) => {
          const a = argCtx(deps, ctx, lang, calendar);
          const typed = Object.values(values).filter((v): v is string => typeof v === 'string' && v !== '');
          return (
            tooLongArgs(typed, 'chat.err.tooLongOptions') ??
            read(a, `\u0002${JSON.stringify(values)}`, () =>
              futureFirst(
                c,
                parseNamed(c.args, values, a),
                typed.flatMap((v) => visibleText(v).trim().split(/\s+/)),
                a,
              ),
            )
          );
        },
      ),
  };
}
