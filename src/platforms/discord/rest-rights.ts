/**
 * The bot's rights in a channel as Discord's REST says them now: for a channel the gateway's cache
 * does not hold (channel-rights.ts: a standby sending, a start before the server's GUILD_CREATE, a
 * channel made since) or holds wrong (a right taken between the cache's update and the send). Asked
 * only after a refusal (50013), which never names the permission missing: the channel, its server
 * (its roles and owner) and the bot's member, three reads that Discord does not count as invalid
 * requests (a refused retry does: 10,000 in 10 minutes ban), four in a thread (its parent's
 * overwrites decide). Computed as Discord documents it: @everyone's and the member's roles'
 * permissions, Administrator or ownership all, then the overwrites of @everyone, the roles, the member.
 * A member timed out (`communication_disabled_until` ahead) keeps only View Channel and Read Message
 * History in every channel of the server, an owner or Administrator excepted: `timedOutUntil`.
 */
import { ChannelType, DiscordAPIError, PermissionFlagsBits, Routes, type REST } from 'discord.js';
import { rightsOf } from './channel-rights.ts';
import type { ChannelRights } from './notifier.ts';

interface Overwrite {
  readonly id: string;
  readonly type: number;
  readonly allow: string;
  readonly deny: string;
}
interface ApiChannel {
  readonly id: string;
  readonly type: number;
  readonly guild_id?: string;
  readonly parent_id?: string | null;
  readonly permission_overwrites?: readonly Overwrite[];
}
interface ApiGuild {
  readonly id: string;
  readonly owner_id?: string;
  readonly roles?: readonly { readonly id: string; readonly permissions: string }[];
}
interface ApiMember {
  readonly roles?: readonly string[];
  /** ISO time a timeout ends (a moderator's "Time out"), or null. */
  readonly communication_disabled_until?: string | null;
}

/** Discord's thread types: their overwrites are their parent's. */
const THREAD_TYPES: ReadonlySet<number> = new Set([ChannelType.AnnouncementThread, ChannelType.PublicThread, ChannelType.PrivateThread]);
const ALL = (1n << 64n) - 1n;
/** Answers that say the bot may not see the channel at all. */
const SHUT = new Set([50001, 50013]);

/** The permissions of `member` (the bot, `userId`) in a channel with `overwrites` in `guild` (Discord's algorithm). */
export function permissionsIn(guild: ApiGuild, member: ApiMember, userId: string, overwrites: readonly Overwrite[]): bigint {
  if (guild.owner_id === userId) return ALL;
  const roles = new Map((guild.roles ?? []).map((r) => [r.id, BigInt(r.permissions)]));
  const mine = member.roles ?? [];
  let perms = roles.get(guild.id) ?? 0n;
  for (const id of mine) perms |= roles.get(id) ?? 0n;
  if ((perms & PermissionFlagsBits.Administrator) !== 0n) return ALL;
  const apply = (allow: bigint, deny: bigint) => {
    perms = (perms & ~deny) | allow;
  };
  const everyone = overwrites.find((o) => o.id === guild.id);
  if (everyone !== undefined) apply(BigInt(everyone.allow), BigInt(everyone.deny));
  let allow = 0n;
  let deny = 0n;
  for (const o of overwrites)
    if (o.type === 0 && o.id !== guild.id && mine.includes(o.id)) {
      allow |= BigInt(o.allow);
      deny |= BigInt(o.deny);
    }
  apply(allow, deny);
  const own = overwrites.find((o) => o.type === 1 && o.id === userId);
  if (own !== undefined) apply(BigInt(own.allow), BigInt(own.deny));
  return perms;
}

/**
 * The bot's rights in `channelId` read from REST, or undefined when they cannot be had (not a
 * server's channel, a read failed): the caller then reads the refusal as it did without them. A
 * channel the bot may not even read (50001, 50013) is one it may not post in.
 */
export async function restRights(rest: REST, channelId: string, userId: string): Promise<ChannelRights | undefined> {
  const get = async <T>(route: `/${string}`): Promise<T> => (await rest.get(route)) as T;
  let channel: ApiChannel;
  try {
    channel = await get<ApiChannel>(Routes.channel(channelId));
  } catch (e) {
    if (e instanceof DiscordAPIError && SHUT.has(Number(e.code))) return { send: false, embedLinks: false, attachFiles: false };
    return undefined;
  }
  const guildId = channel.guild_id;
  if (guildId === undefined) return undefined;
  try {
    const thread = THREAD_TYPES.has(channel.type);
    const place = thread && channel.parent_id != null ? await get<ApiChannel>(Routes.channel(channel.parent_id)) : channel;
    // One after another: a refusal is rare, and its reads then come in one order.
    const guild = await get<ApiGuild>(Routes.guild(guildId));
    const member = await get<ApiMember>(Routes.guildMember(guildId, userId));
    const perms = permissionsIn(guild, member, userId, place.permission_overwrites ?? []);
    return rightsOf((flag) => (perms & flag) === flag, thread, Date.parse(member.communication_disabled_until ?? ''), guildId);
  } catch {
    return undefined;
  }
}
