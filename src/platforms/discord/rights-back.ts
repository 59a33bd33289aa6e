/**
 * A channel whose alerts stopped because the bot lost its rights there (50001/50013: View Channel
 * or Send Messages taken; a channel stopped before Embed Links alone was read as such) is told, once
 * the bot may post there again, why its alerts stopped, since when, and that Subscribe starts them
 * again (chat/answer.ts mayPostAgain, the same message Telegram sends on my_chat_member): as plain
 * text where the bot may still not embed links, as its alerts there go. Nothing resumes on its own.
 *
 * What can give the rights back, as the gateway tells it with the Guilds intent alone:
 * CHANNEL_UPDATE (a channel's or its category's permission overwrites), GUILD_ROLE_UPDATE (a role's
 * permissions) and GUILD_MEMBER_UPDATE for the bot itself (its roles: Discord sends the bot's own
 * member update without the privileged GUILD_MEMBERS intent). Each event only schedules one check of
 * its server a moment later: a burst (a category synced to its hundred channels) is one check. The
 * check reads the permissions from discord.js's cache (no REST call), and only for the server's
 * channels whose subscription stopped for 'rights' (one store read, store/discord.ts
 * stoppedForRights, whatever the number of channels); a message goes out only where the bot may post,
 * through the client's REST and so the one GlobalBudget, at most once a day per channel.
 *
 * A thread whose alerts stopped because it was locked (cause 'closed') is told the same way when a
 * THREAD_UPDATE unlocks it (one thread checked, read from the cache the update fills).
 *
 * Rights given back while the bot was away (a restart, a deploy, the lead moving to another
 * replica) send no such event. A resumed session has Discord replay what it missed, so the events
 * above cover it; a new session (READY, then a GUILD_CREATE per server: every start, since a new
 * Client never resumes) is checked from one store query at READY for every channel of this platform
 * stopped for 'rights', by server (store/discord.ts stoppedForRights), and each of those servers is
 * checked once its GUILD_CREATE has filled the cache: no query per server, and none for a server
 * with no such channel. The gateway runs on the leader alone (client.ts gateway), so a standby
 * never posts; the once-a-day note keeps a bot restarting in a loop from repeating itself.
 */
import { PermissionFlagsBits, Routes, type Client, type GuildBasedChannel } from 'discord.js';
import { chatLang, mayPostAgain, type ChatContext } from '../../chat/index.ts';
import { stopCause } from '../../domain/stop-cause.ts';
import { missingSendPermission, type HandlerDeps } from './handlers.ts';
import { renderReply } from './render.ts';
import { plainText } from './notifier.ts';
import { t } from '../../domain/i18n/index.ts';
import type { ToldNote } from '../../store/told-note.ts';

/** How long after an event its server is checked: the rest of a burst joins the same check. */
export const RIGHTS_BACK_SETTLE_MS = 1_000;
/** A channel is told at most once a day. */
export const RIGHTS_BACK_EVERY_MS = 86_400_000;

const EVENTS = new Set(['CHANNEL_UPDATE', 'GUILD_ROLE_UPDATE', 'GUILD_MEMBER_UPDATE']);

/** The channels a check looks at: `'ask'` the store for those stopped for 'rights' in the server now (an event), or those the session's start read. */
type Scope = 'ask' | ReadonlySet<string>;
const joined = (a: Scope | undefined, b: Scope): Scope => (a === undefined ? b : a === 'ask' || b === 'ask' ? 'ask' : new Set([...a, ...b]));

interface Packet {
  readonly t?: string;
  readonly d?: {
    readonly id?: string;
    readonly guild_id?: string;
    readonly unavailable?: boolean;
    readonly user?: { readonly id?: string };
    readonly thread_metadata?: { readonly locked?: boolean };
  };
}

export function registerRightsBack(client: Client, d: HandlerDeps, settleMs = RIGHTS_BACK_SETTLE_MS): void {
  /** Servers with a check scheduled, and those whose check runs (an event meanwhile schedules another after it). */
  const scheduled = new Map<string, { readonly timer: ReturnType<typeof setTimeout>; scope: Scope }>();
  const running = new Set<string>();
  const again = new Map<string, Scope>();
  /** This session's channels stopped for 'rights', by server, as read once at its READY. */
  let stops: Promise<ReadonlyMap<string, readonly string[]>> | undefined;
  const note = d.store.rightsBackNote(RIGHTS_BACK_EVERY_MS);
  const schedule = (guildId: string, scope: Scope): void => {
    if (running.has(guildId)) {
      again.set(guildId, joined(again.get(guildId), scope));
      return;
    }
    const pending = scheduled.get(guildId);
    if (pending !== undefined) {
      pending.scope = joined(pending.scope, scope);
      return;
    }
    const timer = setTimeout(() => {
      const { scope: which } = scheduled.get(guildId) ?? { scope };
      scheduled.delete(guildId);
      running.add(guildId);
      check(client, d, note, guildId, which)
        .catch((e: unknown) => d.log.warn('could not check whether the bot may post again in a server', { guild: guildId, error: String(e) }))
        .finally(() => {
          running.delete(guildId);
          d.log.debug('checked whether the bot may post again in a server', { guild: guildId });
          const next = again.get(guildId);
          if (next === undefined) return;
          again.delete(guildId);
          schedule(guildId, next);
        });
    }, settleMs);
    timer.unref?.();
    scheduled.set(guildId, { timer, scope });
  };
  client.on('raw', (packet: Packet) => {
    if (packet.t === 'READY') {
      stops = d.store.stoppedForRights().catch((e: unknown) => {
        d.log.warn('could not read the channels stopped for lost rights; they are told when their rights change again', { error: String(e) });
        return new Map();
      });
      return;
    }
    if (packet.t === 'GUILD_CREATE') {
      const guildId = packet.d?.id;
      if (guildId === undefined || packet.d?.unavailable === true) return;
      // Handled by discord.js right after this listener: the check, a settle later, reads the cache it filled.
      void stops?.then((byGuild) => {
        const channels = byGuild.get(guildId);
        if (channels !== undefined) schedule(guildId, new Set(channels));
      });
      return;
    }
    if (packet.t === 'THREAD_UPDATE') {
      // A thread unlocked: one whose alerts stopped because it was locked (cause 'closed') is told
      // it may resume. Read before discord.js applies the update: a thread open before it too (a
      // rename, an unarchive of an open one seen in the cache) reopened nothing.
      const { id, guild_id: guildId, thread_metadata: meta } = packet.d ?? {};
      if (id === undefined || guildId === undefined || meta?.locked !== false) return;
      const before = client.channels.cache.get(id);
      if (before?.isThread() === true && before.locked !== true) return;
      schedule(guildId, new Set([id]));
      return;
    }
    if (packet.t === undefined || !EVENTS.has(packet.t) || packet.d?.guild_id === undefined) return;
    // Another member's roles change nothing for the bot (without GUILD_MEMBERS only its own come).
    if (packet.t === 'GUILD_MEMBER_UPDATE' && packet.d.user?.id !== client.user?.id) return;
    schedule(packet.d.guild_id, 'ask');
  });
  client.once('shardDisconnect', () => {
    for (const { timer } of scheduled.values()) clearTimeout(timer);
    scheduled.clear();
  });
}

/** Logged in: discord.js's destroy() clears the token. */
const loggedIn = (client: Client): boolean => client.token !== null;

/**
 * One server: each channel of `scope` stopped for 'rights' where the bot may post again is told,
 * unless told within a day. The cache is asked first: a channel still closed to the bot costs no query.
 */
async function check(client: Client, d: HandlerDeps, note: ToldNote, guildId: string, scope: Scope): Promise<void> {
  // A client destroyed since the event (a stop, a lost lead: destroy() logs it out) says nothing more.
  // Not "ready": a start's Client is ready only once every server's GUILD_CREATE came, seconds for
  // thousands, while the server checked here is complete in the cache since its own.
  const guild = loggedIn(client) ? client.guilds.cache.get(guildId) : undefined;
  const me = client.user;
  if (guild === undefined || !guild.available || me === null) return;
  // An event's check asks for the channels stopped for 'rights' (few, read at once), not for every
  // channel of the server and its subscription one by one: edits in a busy server cost one read.
  for (const channelId of scope === 'ask' ? ((await d.store.stoppedForRights()).get(guildId) ?? []) : scope) {
    const channel: GuildBasedChannel | undefined = guild.channels.cache.get(channelId) ?? undefined;
    const perms = channel?.permissionsFor(me);
    if (channel === undefined || perms == null || missingSendPermission(perms, 'en', channel.isThread()) !== undefined) continue;
    const sub = await d.chat.subs.get('discord', channelId);
    const cause = sub === undefined || sub.active ? undefined : stopCause(sub.deactivatedReason);
    // Stopped for its rights, or a thread stopped for being locked (50083, 160005) that is unlocked now.
    if (sub === undefined || !(cause === 'rights' || (cause === 'closed' && channel.isThread() && channel.locked !== true))) continue;
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
    const lang = await chatLang(d.chat, ctx);
    const payload = renderReply(told.reply, { lang, commandIds: d.commandIds?.forGuild(guildId) });
    const body = { embeds: payload.embeds, components: payload.components, allowed_mentions: payload.allowedMentions };
    // The lead lost meanwhile (the client destroyed): the new leader's start says it.
    if (!loggedIn(client)) return;
    try {
      // Where the bot may not embed (Embed Links), Discord refuses a message of embeds alone: the
      // same words as plain text, saying why, as an alert there goes (its button needs no Embed Links).
      await client.rest.post(Routes.channelMessages(channelId), {
        body: perms.has(PermissionFlagsBits.EmbedLinks) ? body : plainText(body, t(lang, 'discord.noEmbeds')),
      });
      await note.tell(channelId, nowMs);
      d.log.info('told a channel whose alerts stopped that the bot may post there again', { channel: channelId });
    } catch (e) {
      d.log.info(`could not tell channel ${channelId} that its alerts stopped: ${String(e)}`);
    }
  }
}
