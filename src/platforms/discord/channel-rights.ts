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
  return rightsOf((flag) => perms.has(flag), channel.isThread(), channel.guild.members.me?.communicationDisabledUntilTimestamp ?? 0, channel.guild.id);
}

/**
 * The rights the notifier reads, from the bot's permissions in a channel (`has`, as the cache or
 * REST computed them), whether it is a thread (Send Messages in Threads is its send), and when a
 * timeout ends (ms; 0 or NaN: none): a bot timed out may only view and read until then, an owner or
 * an Administrator excepted (Discord exempts them). The one rule of channel-rights.ts and rest-rights.ts.
 */
export function rightsOf(has: (flag: bigint) => boolean, thread: boolean, timedOutUntil: number, guildId: string): ChannelRights {
  if (timedOutUntil > Date.now() && !has(PermissionFlagsBits.Administrator))
    return { send: false, embedLinks: false, attachFiles: false, timedOutUntil, guildId };
  const send = thread ? PermissionFlagsBits.SendMessagesInThreads : PermissionFlagsBits.SendMessages;
  return {
    send: has(PermissionFlagsBits.ViewChannel) && has(send),
    embedLinks: has(PermissionFlagsBits.EmbedLinks),
    attachFiles: has(PermissionFlagsBits.AttachFiles),
  };
}
