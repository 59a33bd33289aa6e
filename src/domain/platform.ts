/** The chat platforms goldratio speaks to; `console` is the embedded default without a bot token. */
export type Platform = 'console' | 'telegram' | 'discord' | 'webhook';
export const PLATFORMS: readonly Platform[] = ['console', 'telegram', 'discord', 'webhook'];

/** The console's one chat: its alerts (the default subscription without a bot token) and the commands typed into it. */
export const CONSOLE_CHAT_ID = 'console';
