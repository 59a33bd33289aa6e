/**
 * Servers that removed the bot while it was away. Online, GUILD_DELETE (not `unavailable`) stops a
 * server's channels as 'removed' (handlers.ts registerRemovals). A removal during a downtime sends
 * no event: the next session's READY simply does not list that server. Left alone, its channels
 * stayed on, each alert then met 50001/403, stopped the channel for 'rights' (a false cause: it
 * would then be told "the bot lost its rights") and counted toward Discord's invalid-request limit
 * (PLATFORMS.md). So, at each READY (a new session: every start, and a session Discord ended), one
 * store read of every active channel with its recorded server (store/discord.ts activeChannels),
 * and the channels whose server READY does not list are stopped as 'removed', the way GUILD_DELETE
 * stops them (chat/answer.ts chatRemoved), with one info line for the count. No REST call.
 *
 * READY lists every server of its shard, those unavailable in an outage included (they come as
 * `{ id, unavailable: true }`), so an outage is never taken for a removal. A sharded session lists
 * its shard's servers only: only the channels of servers of this shard (READY's `shard` [id, count]:
 * (guild_id >> 22) % count === id) are compared; the others are another shard's to judge.
 *
 * A READY listing no server at all, while channels of this shard are on, is not believed: a Discord
 * incident (an empty or truncated list) would otherwise stop every channel at once, silently, and
 * each server would have to subscribe again without being told, whereas trusting it wrongly the
 * other way costs one refused request per channel and alert, which the send path then stops. That
 * READY deactivates nothing and says so in one warning. A server that added the bot after READY
 * (its GUILD_CREATE seen meanwhile) is never stopped by the check of that READY.
 *
 * The gateway runs on the leader alone (client.ts gateway): a standby checks nothing. A store that
 * cannot be read or written at READY is one warning; the next session's READY (the next start)
 * checks again. Nothing is sent.
 */
import type { Client } from 'discord.js';
import { chatRemoved } from '../../chat/index.ts';
import type { HandlerDeps } from './handlers.ts';

interface ReadyPacket {
  readonly t?: string;
  readonly d?: { readonly id?: string; readonly guilds?: readonly { readonly id?: string }[]; readonly shard?: readonly [number, number] };
}

/** Whether `guildId` is on shard `id` of `count` (Discord's sharding formula). */
export const onShard = (guildId: string, [id, count]: readonly [number, number]): boolean =>
  count <= 1 || (BigInt(guildId) >> 22n) % BigInt(count) === BigInt(id);

export function registerRemovedWhileAway(client: Client, d: Pick<HandlerDeps, 'chat' | 'store' | 'log'>): void {
  /** Servers whose GUILD_CREATE came since the last READY: the bot is in them whatever that READY said. */
  let joined = new Set<string>();
  client.on('raw', (packet: ReadyPacket) => {
    if (packet.t === 'GUILD_CREATE' && packet.d?.id !== undefined) {
      joined.add(packet.d.id);
      return;
    }
    if (packet.t !== 'READY' || packet.d === undefined) return;
    joined = new Set();
    const seen = joined;
    const listed = new Set((packet.d.guilds ?? []).flatMap((g) => (g.id === undefined ? [] : [g.id])));
    const shard = packet.d.shard ?? [0, 1];
    check(d, listed, shard, seen).catch((e: unknown) =>
      d.log.warn('could not check for servers that removed the bot while it was away; the next start checks again', { error: String(e) }),
    );
  });
}

async function check(
  d: Pick<HandlerDeps, 'chat' | 'store' | 'log'>,
  listed: ReadonlySet<string>,
  shard: readonly [number, number],
  seen: ReadonlySet<string>,
): Promise<void> {
  const mine = (await d.store.activeChannels()).filter((c) => onShard(c.guildId, shard));
  if (mine.length === 0) return;
  if (listed.size === 0) {
    const servers = new Set(mine.map((c) => c.guildId)).size;
    d.log.warn(
      `Discord's READY listed no server while ${mine.length} channel(s) in ${servers} server(s) have alerts on: taken for a Discord incident, none stopped (a removal shows at their next alert)`,
    );
    return;
  }
  const gone = mine.filter((c) => !listed.has(c.guildId) && !seen.has(c.guildId));
  if (gone.length === 0) return;
  for (const { channelId } of gone) await chatRemoved(d.chat, 'discord', channelId, 'removed', 'bot removed from the server while away');
  const servers = new Set(gone.map((c) => c.guildId)).size;
  d.log.info(`${servers} server(s) removed the bot while it was away: their ${gone.length} channel(s) stopped`);
}
