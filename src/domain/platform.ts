/** The chat platforms goldratio speaks to; `console` is the embedded default without a bot token. */
export type Platform = 'console' | 'telegram' | 'discord' | 'webhook';
export const PLATFORMS: readonly Platform[] = ['console', 'telegram', 'discord', 'webhook'];
