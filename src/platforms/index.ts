/**
 * Every platform goldratio can run on, in start order (stopped in the reverse). Adding one: its
 * folder under platforms/ with an adapter.ts implementing PlatformAdapter (adapter.ts here), its
 * name in domain/platform.ts's PLATFORMS, its variables in config.ts, and one entry below
 * (docs/architecture.md "Adding a platform").
 */
import type { PlatformAdapter } from './adapter.ts';
import { consoleAdapter } from './console/adapter.ts';
import { discordAdapter } from './discord/adapter.ts';
import { telegramAdapter } from './telegram/adapter.ts';
import { webhookAdapter } from './webhook/adapter.ts';

export const PLATFORM_ADAPTERS: readonly PlatformAdapter[] = [consoleAdapter, telegramAdapter, discordAdapter, webhookAdapter];

export { createPlatforms, sendOnly, type Enablement, type PlatformAdapter, type PlatformDeps, type PlatformService } from './adapter.ts';
