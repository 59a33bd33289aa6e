/**
 * The slash commands Discord registers: chat/'s definitions (typed options, choices, zh-TW, the
 * Manage Channels default), plus the two options only Discord has on /subscribe: which channel
 * gets the alerts and which role they mention. Those two are the adapter's: chat/ never sees them.
 */
import { createHash } from 'node:crypto';
import { DISCORD_OPTION, discordCommandDefinitions, type ArgValues, type DiscordCommandDefinition } from '../../chat/index.ts';
import { t } from '../../domain/i18n/index.ts';

/** Options the adapter reads itself (not chat arguments). */
export const ADAPTER_OPTIONS: ReadonlySet<string> = new Set(['channel', 'role']);

function adapterOption(name: 'channel' | 'role', zhName: string) {
  return {
    type: name === 'channel' ? DISCORD_OPTION.CHANNEL : DISCORD_OPTION.ROLE,
    name,
    description: t('en', `discord.opt.${name}`),
    name_localizations: { 'zh-TW': zhName },
    description_localizations: { 'zh-TW': t('zh-TW', `discord.opt.${name}`) },
    required: false,
    ...(name === 'channel' ? { channel_types: [0, 5] } : {}),
  };
}

/** Discord's integration types: installed to a server (0) or to a user's account (1). */
export const INTEGRATION = { GUILD_INSTALL: 0, USER_INSTALL: 1 } as const;
/** Where a command may run: a server (0), the bot's DM (1), a group DM or a DM between users (2). */
export const CONTEXT = { GUILD: 0, BOT_DM: 1, PRIVATE_CHANNEL: 2 } as const;

/**
 * The commands that only read, offered to a user who installs the app to their account: they run
 * in DMs and in servers where the bot is not a member (answered through the interaction, never a
 * channel send). Everything else changes a channel's settings and stays guild-install only.
 */
export const USER_INSTALL_COMMANDS: ReadonlySet<string> = new Set(['ratio', 'chart', 'power', 'history', 'levels', 'help']);

export type SlashDefinition = Omit<DiscordCommandDefinition, 'contexts'> & {
  readonly integration_types: readonly number[];
  readonly contexts: readonly number[];
};

/** The JSON body of `PUT /applications/:app/commands` (global or guild). */
export function slashDefinitions(): SlashDefinition[] {
  return discordCommandDefinitions().map((d) => {
    const withOptions = d.name === 'subscribe' ? { ...d, options: [...d.options, adapterOption('channel', '頻道'), adapterOption('role', '身分組')] } : d;
    return USER_INSTALL_COMMANDS.has(d.name)
      ? {
          ...withOptions,
          integration_types: [INTEGRATION.GUILD_INSTALL, INTEGRATION.USER_INSTALL],
          contexts: [CONTEXT.GUILD, CONTEXT.BOT_DM, CONTEXT.PRIVATE_CHANNEL],
        }
      : { ...withOptions, integration_types: [INTEGRATION.GUILD_INSTALL], contexts: d.contexts };
  });
}

/** A stable hash of the definitions: `npm start` registers only when it changed. */
export function definitionsHash(defs: unknown[] = slashDefinitions()): string {
  return createHash('sha256').update(JSON.stringify(defs)).digest('hex').slice(0, 16);
}

/** The interaction's option values chat/ validates (the adapter's own options left out). */
export function chatValues(options: readonly { name: string; value?: string | number | boolean }[]): ArgValues {
  return Object.fromEntries(options.filter((o) => !ADAPTER_OPTIONS.has(o.name)).map((o) => [o.name, o.value]));
}
