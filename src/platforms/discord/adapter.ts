/** Discord as a platform: on when both DISCORD_TOKEN and DISCORD_APPLICATION_ID are set; half of them is a warning. */
import { DiscordStore } from '../../store/discord.ts';
import type { PlatformAdapter } from '../adapter.ts';

export const discordAdapter: PlatformAdapter = {
  platform: 'discord',
  chatBot: true,
  enabled: ({ discord: dc }) => {
    if (dc.token !== undefined && dc.applicationId !== undefined) return { on: true };
    if (dc.token === undefined && dc.applicationId === undefined) {
      // The endpoint cannot answer without the bot: Discord would refuse to save the URL, with no hint why.
      if (dc.publicKey !== undefined)
        return { on: false, note: { level: 'warn', text: 'Discord is off: DISCORD_PUBLIC_KEY needs DISCORD_TOKEN and DISCORD_APPLICATION_ID too' } };
      return { on: false };
    }
    return { on: false, note: { level: 'warn', text: 'Discord is off: set both DISCORD_TOKEN and DISCORD_APPLICATION_ID' } };
  },
  create: async (d) => {
    // discord.js is loaded only by a bot that runs Discord (PlatformAdapter.create).
    const { createDiscord } = await import('./client.ts');
    const discord = createDiscord({
      config: d.config,
      deps: d.chat,
      charts: d.charts,
      store: new DiscordStore(d.meta),
      log: d.log,
      now: d.now,
      metrics: d.metrics,
      flood: d.flood,
      // With replicas the gateway (one session per token) is the leader's: leaderOnly logs it in.
      ...(d.replicas === true ? { gateway: false } : {}),
      ...(d.sharedUploads ? { sharedUploads: d.sharedUploads('discord') } : {}),
    });
    if (d.replicas !== true) return discord;
    return Object.assign(discord, { leaderOnly: { start: () => discord.gateway.start(), stop: (reason: string) => discord.gateway.stop(reason) } });
  },
};
