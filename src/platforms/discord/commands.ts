/**
 * The slash commands Discord registers (manifest.ts: chat/'s definitions, typed options, choices,
 * zh-TW, the Manage Channels default, /subscribe's channel and role pickers as declared argument
 * kinds), their hash, and an interaction's option values as chat/ validates them.
 */
import { createHash } from 'node:crypto';
import type { ArgValues } from '../../chat/index.ts';
import { discordCommandDefinitions, type DiscordCommandDefinition } from './manifest.ts';

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

/**
 * The JSON body of `PUT /applications/:app/commands` (global or guild). Made once a process: it
 * follows from the command registry and the catalogues alone, and each start asked for it twice
 * (its hash, then the registration's body), 2-10 ms each, in every test that starts a Discord bot.
 * Frozen, being shared.
 */
export function slashDefinitions(): readonly SlashDefinition[] {
  definitions ??= deepFreeze(makeSlashDefinitions());
  return definitions;
}
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
let definitions: readonly SlashDefinition[] | undefined;
let hashOfDefinitions: string | undefined;

function makeSlashDefinitions(): SlashDefinition[] {
  return discordCommandDefinitions().map((d) =>
    USER_INSTALL_COMMANDS.has(d.name)
      ? {
          ...d,
          integration_types: [INTEGRATION.GUILD_INSTALL, INTEGRATION.USER_INSTALL],
          contexts: [CONTEXT.GUILD, CONTEXT.BOT_DM, CONTEXT.PRIVATE_CHANNEL],
        }
      : { ...d, integration_types: [INTEGRATION.GUILD_INSTALL], contexts: d.contexts },
  );
}

/** A stable hash of the definitions: `npm start` registers only when it changed. */
export function definitionsHash(defs?: readonly unknown[]): string {
  if (defs === undefined) return (hashOfDefinitions ??= definitionsHash(slashDefinitions()));
  return createHash('sha256').update(JSON.stringify(defs)).digest('hex').slice(0, 16);
}

/** What a global registration of these definitions for application `appId` records: another application has none of them yet. */
export function registrationHash(appId: string): string {
  return `${appId}:${definitionsHash()}`;
}

/** The interaction's option values by name (a channel or role picker gives its id). */
export function chatValues(options: readonly { name: string; value?: string | number | boolean }[]): ArgValues {
  return Object.fromEntries(options.map((o) => [o.name, o.value]));
}
