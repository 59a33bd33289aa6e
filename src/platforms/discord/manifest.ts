/**
 * Discord slash-command definitions, derived from the chat commands' own declarations (pure data;
 * discord.js only names the constants): what `PUT /applications/:id/commands` takes as its body. Types, choices, the
 * localizations (one per Discord locale of each language in domain/i18n/langs.ts) and the Manage Channels default for commands that only change a channel's settings
 * all come from chat/args.ts, the declarations and the i18n catalogues; nothing here is written twice.
 * Discord's alone, so it lives with the Discord adapter: chat/ speaks of no platform.
 */
import { ApplicationCommandOptionType as Opt, ChannelType, InteractionContextType, PermissionFlagsBits } from 'discord.js';
import { LANG_INFO, LANGS, type Lang } from '../../domain/i18n/index.ts';
import { argsOn, DATE_TEXT_MAX, kindChoices, shownArg, shownCommand, type ArgKind, type ArgSpec } from '../../chat/args.ts';
import type { ChatCommand } from '../../chat/define-command.ts';
import { commandsOn } from '../../chat/registry.ts';
import { platformText } from '../../chat/replies.ts';

/** Discord's application command option types (the ones chat/'s argument kinds become). */
export const DISCORD_OPTION = { STRING: Opt.String, INTEGER: Opt.Integer, CHANNEL: Opt.Channel, ROLE: Opt.Role, NUMBER: Opt.Number } as const;
/** Manage Channels, as the bitfield string `default_member_permissions` takes. */
export const MANAGE_CHANNELS = PermissionFlagsBits.ManageChannels.toString();
/** Channel types a subscription can live in: the bot posts alerts there. */
export const ALERT_CHANNEL_TYPES: readonly ChannelType[] = [ChannelType.GuildText, ChannelType.GuildAnnouncement];
/** Where the commands exist: servers and the bot's DMs. */
const CONTEXTS = [InteractionContextType.Guild, InteractionContextType.BotDM] as const;
/**
 * Every language's text under each of its Discord locales (English is the default text, no locale):
 * `{ 'zh-TW': …, 'zh-CN': … }`. A new language in langs.ts appears here with no edit.
 */
export function localizations(text: (lang: Lang) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const lang of LANGS) for (const locale of LANG_INFO[lang].discordLocales) out[locale] = text(lang);
  return out;
}

export interface DiscordChoice {
  readonly name: string;
  readonly name_localizations: Readonly<Record<string, string>>;
  readonly value: string;
}

export interface DiscordOption {
  readonly type: number;
  readonly name: string;
  readonly description: string;
  readonly name_localizations: Readonly<Record<string, string>>;
  readonly description_localizations: Readonly<Record<string, string>>;
  readonly required: boolean;
  readonly choices?: readonly DiscordChoice[];
  readonly channel_types?: readonly number[];
  readonly min_length?: number;
  readonly max_length?: number;
  /** The platform asks as the user types (type 4 interactions); never together with `choices`. */
  readonly autocomplete?: boolean;
}

export interface DiscordCommandDefinition {
  /** CHAT_INPUT (a slash command). */
  readonly type: 1;
  readonly name: string;
  readonly description: string;
  readonly name_localizations: Readonly<Record<string, string>>;
  readonly description_localizations: Readonly<Record<string, string>>;
  readonly options: readonly DiscordOption[];
  /** Bitfield string, or null for everyone. Server admins may override it: chat/ checks again at run time. */
  readonly default_member_permissions: string | null;
  /** Guild (0) and the bot's DMs (1). */
  readonly contexts: readonly number[];
}

/**
 * Kinds whose values Discord suggests as the user types (platforms/discord/autocomplete.ts answers).
 * A move's days too: a string read by Telegram's parser (20, 4w, 3個月, 1y, 半年), so suggestions
 * rather than choices, which would allow nothing else.
 */
export const AUTOCOMPLETE_KINDS: ReadonlySet<ArgKind> = new Set(['timezone', 'command', 'days']);
const autocompletes = (kind: ArgKind): boolean => AUTOCOMPLETE_KINDS.has(kind);

function optionType(kind: ArgKind): number {
  // A move's percent is a string, read by Telegram's parser: `10%`, `7,5`, `百分之十`, `1成` are
  // typed there too, and Discord's number field would refuse them before they reach us.
  if (kind === 'level') return DISCORD_OPTION.NUMBER;
  if (kind === 'channel') return DISCORD_OPTION.CHANNEL;
  if (kind === 'role') return DISCORD_OPTION.ROLE;
  return DISCORD_OPTION.STRING;
}

const discordDescription = (s: string): string => (s.length <= 100 ? s : `${s.slice(0, 99)}…`);

function option(command: string, spec: ArgSpec): DiscordOption {
  const describe = (lang: Lang) => discordDescription(platformText(lang, `chat.arg.${command}.${spec.name}`, 'discord'));
  const choices = spec.many === true && spec.kind !== 'pair' ? undefined : kindChoices(spec, 'en');
  return {
    type: optionType(spec.kind),
    name: spec.name,
    description: describe('en'),
    name_localizations: localizations((lang) => shownArg(lang, spec)),
    description_localizations: localizations(describe),
    required: spec.required === true,
    ...(choices !== undefined
      ? {
          choices: choices.map((c, i) => ({
            name: c.label,
            value: c.value,
            name_localizations: localizations((lang) => kindChoices(spec, lang)?.[i]?.label ?? c.label),
          })),
        }
      : {}),
    ...(spec.kind === 'channel' ? { channel_types: ALERT_CHANNEL_TYPES } : {}),
    // As long as what the parsers take (5y and 2020 to 2020年12月31日; 8 and 8am to 晚上9點半 and
    // 07:30 p.m.), and what is typed after the command, which lands in the first option and is read
    // as words (chat/define-command.ts): `2011-09-06 2020-01-02`, `07:30 p.m. America/Argentina/Buenos_Aires`.
    ...(spec.kind === 'date' ? { min_length: 2, max_length: DATE_TEXT_MAX } : {}),
    ...(spec.kind === 'time' ? { min_length: 1, max_length: 64 } : {}),
    // A move's span as Telegram takes it: `20`, `4w`, `3 months`, `60個交易日`, `over 20 trading days`.
    ...(spec.kind === 'days' ? { min_length: 1, max_length: 40 } : {}),
    ...(spec.kind === 'percent' ? { min_length: 1, max_length: 20 } : {}),
    // Hundreds of IANA names: too many for choices (25 at most); suggested as typed, validated again on run.
    ...(autocompletes(spec.kind) && choices === undefined ? { autocomplete: true } : {}),
  };
}

/**
 * Who sees the command in Discord's menu. A command that only changes settings needs Manage
 * Channels by default. A command that also reads for anyone (`readsWithoutArgs`: /mylevels lists)
 * is offered to everyone, since a default would hide the listing from ordinary members; its
 * writes (add, remove) are refused at run time by define-command.ts's admin check, as every
 * settings command's are (a server admin can change the default anyway).
 */
export function memberPermissions(c: Pick<ChatCommand, 'changesSettings' | 'readsWithoutArgs'>): string | null {
  return c.changesSettings && c.readsWithoutArgs !== true ? MANAGE_CHANNELS : null;
}

export function discordCommandDefinition(c: ChatCommand): DiscordCommandDefinition {
  const specs = argsOn(c.args, 'discord');
  // Discord wants required options first; chat/ reads options by name, so their order is free.
  const ordered = [...specs.filter((s) => s.required === true), ...specs.filter((s) => s.required !== true)];
  return {
    type: 1,
    name: c.name,
    description: discordDescription(c.describe('en', 'discord')),
    name_localizations: localizations((lang) => shownCommand(lang, c.name)),
    description_localizations: localizations((lang) => discordDescription(c.describe(lang, 'discord'))),
    options: ordered.map((s) => option(c.name, s)),
    default_member_permissions: memberPermissions(c),
    contexts: CONTEXTS,
  };
}

/** Every command Discord offers, as the body of a bulk overwrite (`PUT .../commands`). */
export function discordCommandDefinitions(commands: readonly ChatCommand[] = commandsOn('discord')): DiscordCommandDefinition[] {
  return commands.map(discordCommandDefinition);
}
