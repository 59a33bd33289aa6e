/** The chat platforms goldratio speaks to; `console` is the embedded default without a bot token. */
export const PLATFORMS = ['console', 'telegram', 'discord', 'webhook'] as const;
export type Platform = (typeof PLATFORMS)[number];
/** Platforms with groups or servers, where only administrators change a chat's settings (not the console's one chat). */
export const GROUP_PLATFORMS: ReadonlySet<Platform> = new Set(['telegram', 'discord']);
/** Platforms whose commands take named options filled in the client's form (Discord's slash commands), not words after the command. */
export const NAMED_OPTIONS: ReadonlySet<Platform> = new Set(['discord']);

/** The console's one chat: its alerts (the default subscription without a bot token) and the commands typed into it. */
export const CONSOLE_CHAT_ID = 'console';
