/**
 * Slash-command definitions as data, from CHAT_COMMANDS: typed options with choices, localized
 * into zh-TW. The options map back to the chat command's argument list (`toArgs`), so the chat
 * layer's own parser still decides what is valid: Discord's types only help the user type.
 */
import { createHash } from 'node:crypto';
import { ApplicationCommandOptionType, InteractionContextType, PermissionFlagsBits } from 'discord.js';
import { CHAT_COMMANDS } from '../../chat/commands.ts';
import { CHART_RANGES } from '../../chat/reply.ts';
import { t, type Lang } from '../../domain/i18n/index.ts';

/** Discord's locale for our zh-TW; en is the default text. */
const LOCALES: readonly { locale: 'zh-TW'; lang: Lang }[] = [{ locale: 'zh-TW', lang: 'zh-TW' }];

interface OptionSpec {
  readonly name: string;
  readonly type: ApplicationCommandOptionType;
  readonly descriptionKey: string;
  readonly required?: boolean;
  readonly choices?: readonly string[];
  /** Discord-only options (channel, role): not passed to the chat command as arguments. */
  readonly adapterOnly?: boolean;
}

const S = ApplicationCommandOptionType.String;
const pair: OptionSpec = { name: 'pair', type: S, descriptionKey: 'discord.opt.pair', choices: ['spx', 'qqq'] };

/** Each chat command's arguments, in the order the chat parser reads them. */
export const COMMAND_OPTIONS: Readonly<Record<string, readonly OptionSpec[]>> = {
  ratio: [pair],
  chart: [
    { name: 'target', type: S, descriptionKey: 'discord.opt.target', choices: ['spx', 'qqq', 'power'] },
    { name: 'range', type: S, descriptionKey: 'discord.opt.range', choices: CHART_RANGES },
  ],
  power: [{ name: 'base', type: S, descriptionKey: 'discord.opt.base' }],
  history: [pair],
  subscribe: [
    pair,
    { name: 'levels', type: S, descriptionKey: 'discord.opt.levels' },
    { name: 'channel', type: ApplicationCommandOptionType.Channel, descriptionKey: 'discord.opt.channel', adapterOnly: true },
    { name: 'role', type: ApplicationCommandOptionType.Role, descriptionKey: 'discord.opt.role', adapterOnly: true },
  ],
  mylevels: [
    { name: 'action', type: S, descriptionKey: 'discord.opt.action', choices: ['add', 'remove'] },
    pair,
    { name: 'value', type: S, descriptionKey: 'discord.opt.value' },
  ],
  mute: [{ name: 'duration', type: S, descriptionKey: 'discord.opt.duration', required: true, choices: ['30m', '2h', '1d', '1w'] }],
  lang: [{ name: 'language', type: S, descriptionKey: 'discord.opt.language', required: true, choices: ['en', 'zh-TW'] }],
};

/** ManageChannels as Discord wants it: a bitfield in a string. */
export const MANAGE_CHANNELS = String(PermissionFlagsBits.ManageChannels);

const localized = (key: string, max: number): Record<string, string> =>
  Object.fromEntries(LOCALES.map(({ locale, lang }) => [locale, t(lang, key).slice(0, max)]));

/** The JSON body of `PUT /applications/:app/commands` (global or guild). */
export function slashDefinitions(): unknown[] {
  return CHAT_COMMANDS.map((c) => {
    const options = (COMMAND_OPTIONS[c.name] ?? []).map((o) => ({
      type: o.type,
      name: o.name,
      description: t('en', o.descriptionKey).slice(0, 100),
      description_localizations: localized(o.descriptionKey, 100),
      required: o.required ?? false,
      ...(o.choices ? { choices: o.choices.map((v) => ({ name: v, value: v })) } : {}),
      ...(o.type === ApplicationCommandOptionType.Channel ? { channel_types: [0, 5] } : {}),
    }));
    return {
      type: 1,
      name: c.name,
      description: c.describe('en').slice(0, 100),
      description_localizations: Object.fromEntries(LOCALES.map(({ locale, lang }) => [locale, c.describe(lang).slice(0, 100)])),
      options,
      // A default that server admins may override: the handler checks again at run time.
      default_member_permissions: c.changesSettings && c.name !== 'mylevels' ? MANAGE_CHANNELS : null,
      contexts: [InteractionContextType.Guild],
    };
  });
}

/** A stable hash of the definitions: `npm start` registers only when it changed. */
export function definitionsHash(defs: unknown[] = slashDefinitions()): string {
  return createHash('sha256').update(JSON.stringify(defs)).digest('hex').slice(0, 16);
}

/** The option values as the chat command's argument list (absent options are skipped). */
export function toArgs(name: string, get: (option: string) => string | number | boolean | undefined): string[] {
  const args: string[] = [];
  for (const o of COMMAND_OPTIONS[name] ?? []) {
    if (o.adapterOnly === true) continue;
    const v = get(o.name);
    if (v === undefined) continue;
    // A free-text option may hold several words (levels); the chat parser wants them split.
    args.push(
      ...String(v)
        .split(/\s+/)
        .filter((x) => x !== ''),
    );
  }
  return args;
}
