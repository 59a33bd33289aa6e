/**
 * Autocomplete interactions (type 4): the suggestions Discord shows while a user types an option
 * declared with `autocomplete: true` (manifest.ts: the timezone of /digest, the command of /help, the
 * days of /move). Discord
 * wants the answer within 3 s and cannot defer it, so this is pure and cached (no database, no
 * IO): the focused option's kind → a suggester. The value is only a suggestion: the user may send
 * anything, and the command validates it again when it runs.
 */
import type { AutocompleteInteraction } from 'discord.js';
import { commandNamed, commandsOn, findCommand, triedAmong, type ArgKind } from '../../chat/index.ts';
import { shownCommand } from '../../chat/args.ts';
import { clockLabel, zoneButtonLabel } from '../../chat/labels.ts';
import { AUTOCOMPLETE_KINDS } from './manifest.ts';
import { fixedOffsetOf, suggestTimezones, twoClocksOf, zoneOffsetMs } from '../../domain/digest-schedule.ts';
import { offsetText } from '../../domain/fixed-offset.ts';
import { foldWord } from '../../domain/han-fold.ts';
import { hasKey, LANG_INFO, langFromCode, t, type Lang } from '../../domain/i18n/index.ts';
import { parseMoveSpan } from '../../chat/parse-alerts.ts';
import type { Logger } from '../../log.ts';

/** Discord's limits on an autocomplete answer. */
export const AUTOCOMPLETE_MAX = 25;
const CHOICE_MAX = 100;

export interface Choice {
  readonly name: string;
  readonly value: string;
}

/**
 * /help's command: the one the text names (a name in any language, a typo, a word people try),
 * then those whose name, or name in the reader's menu (訂閱), it begins or is in, in either script
 * (點位 in a Simplified menu finds 点位 and 频道点位, as 点位 does) and full-width alike; then those a
 * word people try for it begins with (我的 finds /mylevels by its old name 我的水位, which
 * commandNamed finds only whole).
 */
function suggestCommands(typed: string, lang: Lang): string[] {
  const names = commandsOn('discord').map((c) => c.name);
  const word = foldWord(typed.trim().replace(/^[/／]/, ''));
  const named = word === '' ? undefined : commandNamed(word, names);
  const shown = (n: string) => [n, foldWord(shownCommand(lang, n))];
  const tried = Object.entries(triedAmong(names));
  return [
    ...new Set([
      ...(named !== undefined ? [named] : []),
      ...names.filter((n) => shown(n).some((s) => s.startsWith(word))),
      ...(word === '' ? [] : tried.filter(([w]) => w.startsWith(word)).map(([, n]) => n)),
      ...names.filter((n) => shown(n).some((s) => s.includes(word))),
    ]),
  ];
}

/** /move's usual spans in `lang`: a week, a month and a quarter of trading days, and a year as the reader writes one (1y, 1年). */
const moveSpans = (lang: Lang): string[] => ['5', '21', '63', t(lang, 'chat.days.year')];

/**
 * /move's days: what is typed, when Telegram's /move would take it (4w, 3個月, 半年), first; then the
 * usual spans it begins (all of them while nothing is typed).
 */
function suggestSpans(typed: string, lang: Lang): string[] {
  const word = typed.trim();
  const usual = moveSpans(lang).filter((s) => s.startsWith(word.toLowerCase()));
  return word !== '' && parseMoveSpan(word).ok ? [...new Set([word, ...usual])] : usual;
}

const SUGGESTERS: Readonly<Partial<Record<ArgKind, (typed: string, lang: Lang) => readonly string[]>>> = {
  timezone: (typed, lang) => suggestTimezones(typed, AUTOCOMPLETE_MAX, lang),
  command: suggestCommands,
  days: suggestSpans,
};

/**
 * A choice's name: a fixed offset by the offset only (Etc/GMT-8 is UTC+8: its sign would confuse);
 * a place's zone by its city in the reader's language, as the zone buttons name it, and its offset at
 * `nowMs` (台北（UTC+8）, Kolkata (UTC+5:30), Adelaide (UTC+10:30) in its summer; a zone the catalogue names no city of by its
 * region in Chinese, 亞洲 Asia/Yerevan（UTC+4）; the value stays the IANA zone); a command as the reader's slash menu names it
 * (訂閱 in zh-TW: a choice's name is plain text, where Discord draws no command mention; its value
 * stays the declared name); a move's span with the trading days it is read as (1y: 252 trading days).
 * `asClock`: one of a place's two clocks (新疆: 北京时间 and 新疆时间, as its buttons name them), each named
 * as a clock, not a city (北京) beside a clock.
 */
function nameOf(kind: ArgKind, value: string, lang: Lang, nowMs: number, asClock = false): string {
  if (kind === 'command') return shownCommand(lang, value);
  if (kind === 'days') {
    const span = parseMoveSpan(value);
    if (!span.ok) return value;
    const days = span.value.days;
    return String(days) === value ? t(lang, 'chat.days.choice', { days }) : t(lang, 'chat.days.choiceAs', { typed: value, days });
  }
  if (kind !== 'timezone') return value;
  const fixed = fixedOffsetOf(value);
  if (fixed !== undefined || value === 'UTC') return fixed ?? value;
  // One of the ~400 zones the catalogue names no city of (Asia/Yerevan): as the language's unnamedZone says, its region and
  // IANA name (亞洲 Asia/Yerevan（UTC+4）), never an English city alone, or its city (Yerevan (UTC+4)).
  const region = `zone.region.${value.split('/')[0]}`;
  const place = asClock
    ? clockLabel(lang, value)
    : LANG_INFO[lang].unnamedZone === 'region' && !hasKey(`zone.city.${value}`) && hasKey(region)
      ? t(lang, 'zone.inRegion', { region: t(lang, region), zone: value })
      : zoneButtonLabel(lang, value);
  return t(lang, 'chat.zone.choice', { zone: place, offset: offsetText(zoneOffsetMs(nowMs, value)) });
}

/**
 * The choices for what the user typed so far in option `option` of `command`: at most 25, each
 * name and value at most 100 characters, names in `lang` at `nowMs`; none for an unknown command,
 * option or kind. Never throws.
 */
export function autocompleteChoices(command: string, option: string, typed: string, lang: Lang = 'en', nowMs: number = Date.now()): Choice[] {
  try {
    const spec = findCommand(command)?.args.find((a) => a.name === option);
    const suggest = spec !== undefined && AUTOCOMPLETE_KINDS.has(spec.kind) ? SUGGESTERS[spec.kind] : undefined;
    if (spec === undefined || suggest === undefined) return [];
    const clocks = spec.kind === 'timezone' ? twoClocksOf(typed.slice(0, CHOICE_MAX)) : undefined;
    return suggest(typed.slice(0, CHOICE_MAX), lang)
      .filter((v) => v.length <= CHOICE_MAX)
      .slice(0, AUTOCOMPLETE_MAX)
      .map((v) => ({ name: nameOf(spec.kind, v, lang, nowMs, clocks?.includes(v)).slice(0, CHOICE_MAX), value: v }));
  } catch {
    return [];
  }
}

/** Answers one autocomplete interaction (type 8 callback); a failure is logged, never thrown. */
export async function onAutocomplete(i: AutocompleteInteraction, log: Logger, nowMs: number = Date.now()): Promise<void> {
  let choices: Choice[] = [];
  try {
    const focused = i.options.getFocused(true);
    choices = autocompleteChoices(i.commandName, focused.name, String(focused.value ?? ''), langFromCode(i.locale ?? i.guildLocale), nowMs);
  } catch (err) {
    log.warn('autocomplete: could not read the focused option', { id: i.id, error: String(err) });
  }
  try {
    await i.respond(choices);
  } catch (err) {
    // Too late (3 s) or the interaction is gone: nothing to tell the user.
    log.warn('autocomplete answer failed', { id: i.id, error: String(err) });
  }
}
