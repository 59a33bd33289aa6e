/**
 * A channel whose alerts stopped because the bot lost its rights there (50001/50013: View Channel,
 * Send Messages, Embed Links taken) is told, once the bot may post there again, why its alerts
 * stopped, since when, and that Subscribe starts them again (chat/answer.ts mayPostAgain, the same
 * message Telegram sends on my_chat_member). Nothing resumes on its own.
 *
 * What can give the rights back, as the gateway tells it with the Guilds intent alone:
 * CHANNEL_UPDATE (a channel's or its category's permission overwrites), GUILD_ROLE_UPDATE (a role's
 * permissions) and GUILD_MEMBER_UPDATE for the bot itself (its roles: Discord sends the bot's own
 * member update without the privileged GUILD_MEMBERS intent). Each event only schedules one check of
 * its server a moment later: a burst (a category synced to its hundred channels) is one check. The
 * check reads the permissions from discord.js's cache (no REST call), and only for the server's
 * channels whose subscription stopped for 'rights'; a message goes out only where the bot may post,
 * through the client's REST and so the one GlobalBudget, at most once a day per channel.
 */
import { Routes, type Client, type GuildBasedChannel } from 'discord.js';
import { chatLang, mayPostAgain, type ChatContext } from '../../chat/index.ts';
import { stopCause } from '../../domain/stop-cause.ts';
import { missingSendPermission, type HandlerDeps } from './handlers.ts';
import { renderReply } from './render.ts';

/** How long after an event its server is checked: the rest of a burst joins the same check. */
export const RIGHTS_BACK_SETTLE_MS = 1_000;
/** A channel is told at most once a day. */
export const RIGHTS_BACK_EVERY_MS = 86_400_000;

const EVENTS = new Set(['CHANNEL_UPDATE', 'GUILD_ROLE_UPDATE', 'GUILD_MEMBER_UPDATE']);

export function registerRightsBack(client: Client, d: HandlerDeps, settleMs = RIGHTS_BACK_SETTLE_MS): void {
  /** Servers with a check scheduled, and those whose check runs (an event meanwhile schedules another after it). */
  const scheduled = new Map<string, ReturnType<typeof setTimeout>>();
  const running = new Set<string>();
  const again = new Set<string>();
  const schedule = (guildId: string): void => {
    if (running.has(guildId)) {
      again.add(guildId);
      return;
    }
    if (scheduled.has(guildId)) return;
    const timer = setTimeout(() => {
      scheduled.delete(guildId);
      running.add(guildId);
      check(client, d, guildId)
        .catch((e: unknown) => d.log.warn('could not check whether the bot may post again in a server', { guild: guildId, error: String(e) }))
        .finally(() => {
          running.delete(guildId);
          if (again.delete(guildId)) schedule(guildId);
        });
    }, settleMs);
    timer.unref?.();
    scheduled.set(guildId, timer);
  };
  client.on('raw', (packet: { t?: string; d?: { guild_id?: string; user?: { id?: string } } }) => {
    if (packet.t === undefined || !EVENTS.has(packet.t) || packet.d?.guild_id === undefined) return;
    // Another member's roles change nothing for the bot (without GUILD_MEMBERS only its own come).
    if (packet.t === 'GUILD_MEMBER_UPDATE' && packet.d.user?.id !== client.user?.id) return;
    schedule(packet.d.guild_id);
  });
  client.once('shardDisconnect', () => {
    for (const t of scheduled.values()) clearTimeout(t);
    scheduled.clear();
  });
}

/** One server: each channel stopped for 'rights' where the bot may post again is told, unless told within a day. */
async function check(client: Client, d: HandlerDeps, guildId: string): Promise<void> {
  // A client destroyed since the event (a stop, a lost lead) says nothing more.
  const guild = client.isReady() ? client.guilds.cache.get(guildId) : undefined;
  const me = client.user;
  if (guild === undefined || me === null) return;
  const note = d.store.rightsBackNote(RIGHTS_BACK_EVERY_MS);
  for (const channelId of await d.store.channelsOf(guildId)) {
    const sub = await d.chat.subs.get('discord', channelId);
    if (sub === undefined || sub.active || stopCause(sub.deactivatedReason) !== 'rights') continue;
    const channel: GuildBasedChannel | undefined = guild.channels.cache.get(channelId) ?? undefined;
    const perms = channel?.permissionsFor(me);
    if (channel === undefined || perms == null || missingSendPermission(perms, 'en', channel.isThread()) !== undefined) continue;
    const nowMs = (d.now ?? Date.now)();
    if (await note.told(channelId, nowMs)) continue;
    const ctx: ChatContext = {
      platform: 'discord',
      chatId: channelId,
      chatType: 'group',
      userLanguageCode: guild.preferredLocale,
      isAdmin: async () => false,
      nowMs,
    };
    const told = await mayPostAgain(d.chat, ctx);
    if (told === undefined) continue;
    const payload = renderReply(told.reply, { lang: await chatLang(d.chat, ctx), commandIds: d.commandIds?.forGuild(guildId) });
    try {
      await client.rest.post(Routes.channelMessages(channelId), {
        body: { embeds: payload.embeds, components: payload.components, allowed_mentions: payload.allowedMentions },
      });
      await note.tell(channelId, nowMs);
      d.log.info('told a channel whose alerts stopped that the bot may post there again', { channel: channelId });
    } catch (e) {
      d.log.info(`could not tell channel ${channelId} that its alerts stopped: ${String(e)}`);
    }
  }
}
