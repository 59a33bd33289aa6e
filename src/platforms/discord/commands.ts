/**
 * The slash commands Discord registers (manifest.ts: chat/'s definitions, typed options, choices,
 * zh-TW, the Manage Channels default, /subscribe's channel and role pickers as declared argument
 * kinds), their hash, and an interaction's option values as chat/ validates them.
 */
import { createHash } from 'node:crypto';
import type { ArgValues } from '../../chat/index.ts';
import { discordCommandDefinitions, type DiscordCommandDefinition } from './manifest.ts';

/** The JSON body of `PUT /applications/:app/commands` (global or guild). */
export function slashDefinitions(): DiscordCommandDefinition[] {
  return discordCommandDefinitions();
}

/** A stable hash of the definitions: `npm start` registers only when it changed. */
export function definitionsHash(defs: unknown[] = slashDefinitions()): string {
  return createHash('sha256').update(JSON.stringify(defs)).digest('hex').slice(0, 16);
}

/** The interaction's option values by name (a channel or role picker gives its id). */
export function chatValues(options: readonly { name: string; value?: string | number | boolean }[]): ArgValues {
  return Object.fromEntries(options.map((o) => [o.name, o.value]));
}
