/**
 * Autocomplete interactions (type 4): the suggestions Discord shows while a user types an option
 * declared with `autocomplete: true` (manifest.ts: the timezone of /digest, the command of /help). Discord
 * wants the answer within 3 s and cannot defer it, so this is pure and cached (no database, no
 * IO): the focused option's kind → a suggester. The value is only a suggestion: the user may send
 * anything, and the command validates it again when it runs.
 */
import type { AutocompleteInteraction } from 'discord.js';
import { commandNamed, commandsOn, findCommand, type ArgKind } from '../../chat/index.ts';
import { AUTOCOMPLETE_KINDS } from './manifest.ts';
import { fixedOffsetOf, suggestTimezones } from '../../domain/digest-schedule.ts';
import type { Logger } from '../../log.ts';

/** Discord's limits on an autocomplete answer. */
export const AUTOCOMPLETE_MAX = 25;
const CHOICE_MAX = 100;

export interface Choice {
  readonly name: string;
  readonly value: string;
}

/** /help's command: the one the text names (a name in any language, a typo, a word people try), then those it begins or is in. */
function suggestCommands(typed: string): string[] {
  const names = commandsOn('discord').map((c) => c.name);
  const word = typed.trim().toLowerCase().replace(/^\//, '');
  const named = word === '' ? undefined : commandNamed(word, names);
  return [...new Set([...(named !== undefined ? [named] : []), ...names.filter((n) => n.startsWith(word)), ...names.filter((n) => n.includes(word))])];
}

const SUGGESTERS: Readonly<Partial<Record<ArgKind, (typed: string) => readonly string[]>>> = {
  timezone: (typed) => suggestTimezones(typed, AUTOCOMPLETE_MAX),
  command: suggestCommands,
};

/** A choice's name: spaces for underscores; an Etc zone by its offset only (Etc/GMT-8 is UTC+8: its sign would confuse). */
function nameOf(value: string): string {
  return fixedOffsetOf(value) ?? value.replaceAll('_', ' ');
}

/**
 * The choices for what the user typed so far in option `option` of `command`: at most 25, each
 * name and value at most 100 characters; none for an unknown command, option or kind. Never throws.
 */
export function autocompleteChoices(command: string, option: string, typed: string): Choice[] {
  try {
    const spec = findCommand(command)?.args.find((a) => a.name === option);
    const suggest = spec !== undefined && AUTOCOMPLETE_KINDS.has(spec.kind) ? SUGGESTERS[spec.kind] : undefined;
    if (suggest === undefined) return [];
    return suggest(typed.slice(0, CHOICE_MAX))
      .filter((v) => v.length <= CHOICE_MAX)
      .slice(0, AUTOCOMPLETE_MAX)
      .map((v) => ({ name: nameOf(v), value: v }));
  } catch {
    return [];
  }
}

/** Answers one autocomplete interaction (type 8 callback); a failure is logged, never thrown. */
export async function onAutocomplete(i: AutocompleteInteraction, log: Logger): Promise<void> {
  let choices: Choice[] = [];
  try {
    const focused = i.options.getFocused(true);
    choices = autocompleteChoices(i.commandName, focused.name, String(focused.value ?? ''));
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
