/**
 * The bot's rights in a channel as the gateway's cache has them (the channel's overwrites, the
 * server's roles, the bot's member): no request. What the notifier reads to tell a refusal for Embed
 * Links or Attach Files (the alert goes as text, or without its chart) from one for the channel
 * itself (stopped at once). Undefined where the cache cannot say: no gateway (a standby, a start),
 * a DM, a channel or server it does not hold. A bot timed out in the server (its member's
 * `communication_disabled_until`, kept by the gateway's GUILD_MEMBER_UPDATE) may only view and read
 * there until then, which discord.js's permissionsFor does not count: said as `timedOutUntil`. (Discord
 * sends a bot its own member's updates without the privileged Guild Members intent: discord.js
 * issue 4952, "guildMemberUpdate is only triggered if it is the bot itself".)
 */
import { PermissionFlagsBits, type Client } from 'discord.js';
import type { ChannelRights } from './notifier.ts';

export function channelRights(client: Client | undefined, channelId: string): ChannelRights | undefined {
  const me = client?.user;
  const channel = client?.channels.cache.get(channelId);
  if (me == null || channel === undefined || !('guild' in channel)) return undefined;
  const perms = channel.permissionsFor(me);
  if (perms == null) return undefined;
  const send = channel.isThread() ? PermissionFlagsBits.SendMessagesInThreads : PermissionFlagsBits.SendMessages;
  // An owner or an Administrator cannot be timed out (Discord exempts them).
  const until = channel.guild.members.me?.communicationDisabledUntilTimestamp ?? 0;
  if (until > Date.now() && !perms.has(PermissionFlagsBits.Administrator))
    return { send: false, embedLinks: false, attachFiles: false, timedOutUntil: until, guildId: channel.guild.id };
  return {
    send: perms.has(PermissionFlagsBits.ViewChannel) && perms.has(send),
    embedLinks: perms.has(PermissionFlagsBits.EmbedLinks),
    attachFiles: perms.has(PermissionFlagsBits.AttachFiles),
  };
}
