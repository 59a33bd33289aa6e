/**
 * The slash commands Discord registers: chat/'s definitions (typed options, choices, localizations, the
 * Manage Channels default), plus the two options only Discord has on /subscribe: which channel
 * gets the alerts and which role they mention. Those two are the adapter's: chat/ never sees them.
 */
import { createHash } from 'node:crypto';
import { DISCORD_OPTION, discordCommandDefinitions, localizations, type ArgValues, type DiscordCommandDefinition } from '../../chat/index.ts';
import { t } from '../../domain/i18n/index.ts';

/** Options the adapter reads itself (not chat arguments). */
export const ADAPTER_OPTIONS: ReadonlySet<string> = new Set(['channel', 'role']);

function adapterOption(name: 'channel' | 'role') {
  return {
    type: name === 'channel' ? DISCORD_OPTION.CHANNEL : DISCORD_OPTION.ROLE,
    name,
    description: t('en', `discord.opt.${name}`),
    name_localizations: localizations((lang) => t(lang, `discord.optname.${name}`)),
    description_localizations: localizations((lang) => t(lang, `discord.opt.${name}`)),
    required: false,
    ...(name === 'channel' ? { channel_types: [0, 5] } : {}),
  };
}

/** The JSON body of `PUT /applications/:app/commands` (global or guild). */
export function slashDefinitions(): DiscordCommandDefinition[] {
  return discordCommandDefinitions().map((d) =>
    d.name === 'subscribe' ? { ...d, options: [...d.options, adapterOption('channel'), adapterOption('role')] } : d,
  );
}

/** A stable hash of the definitions: `npm start` registers only when it changed. */
export function definitionsHash(defs: unknown[] = slashDefinitions()): string {
  return createHash('sha256').update(JSON.stringify(defs)).digest('hex').slice(0, 16);
}

/** The interaction's option values chat/ validates (the adapter's own options left out). */
export function chatValues(options: readonly { name: string; value?: string | number | boolean }[]): ArgValues {
  return Object.fromEntries(options.filter((o) => !ADAPTER_OPTIONS.has(o.name)).map((o) => [o.name, o.value]));
}
