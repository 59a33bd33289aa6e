/** Replies every command shares: the usage line after a reason, the refusal, and who may change settings. */
import { hasKey, t, type Lang, type Params } from '../domain/i18n/index.ts';
import type { Platform } from '../domain/platform.ts';
import type { ChartPlace } from '../domain/chart-request.ts';
import { stopCause, UNSUBSCRIBED, type StopHad } from '../domain/stop-cause.ts';
import { stoppedOnLines } from './labels.ts';
import { commandLine, usageLine, type ArgSpec } from './args.ts';
import type { ChatContext } from './context.ts';
import { chatMessage, type ChatError } from './parse.ts';
import { copyable, errorReply, usageReply, type Reply } from './reply.ts';

/** The usage line of a command as its platform takes it (words, or Discord's named options), after the parser's reason (or a generic one). Nothing was written. */
export function usage(lang: Lang, platform: Platform, command: { readonly name: string; readonly args: readonly ArgSpec[] }, error?: ChatError): Reply {
  return usageReply(
    error ? chatMessage(lang, withExample(lang, platform, command, error)) : t(lang, 'chat.usage.intro'),
    usageLine(command.name, command.args, lang, platform),
  );
}

/** The error's example (values by argument kind) written as this command on this platform, as its `{example}`. */
function withExample(lang: Lang, platform: Platform, command: { readonly name: string; readonly args: readonly ArgSpec[] }, error: ChatError): ChatError {
  const byKind = error.example;
  if (byKind === undefined) return error;
  const values = Object.fromEntries(command.args.flatMap((s) => (byKind[s.kind] === undefined ? [] : [[s.name, byKind[s.kind]!]])));
  return { ...error, params: { ...error.params, example: copyable(commandLine(command.name, command.args, lang, platform, values)) } };
}

/**
 * Where a text is said: a platform, or a chat of one (its type tells a Discord DM from a server's
 * channel). A platform alone is read as its usual chat (Discord: a server's channel).
 */
export type Where = Platform | { readonly platform: Platform; readonly chatType: ChatContext['chatType'] };

/**
 * A text whose words depend on the platform: its notion of a chat's admin (Discord: Manage Channels),
 * or of the chat itself (Discord's "this channel" for "this chat"): `key.<platform>` when the catalogue has one, else `key`.
 * A one-to-one chat with the bot (a Discord DM or group DM, a Telegram private chat) is no channel
 * and no chat room: `key.dm` ("this chat", 本對話, 本对话) when the catalogue has one, else `key`.
 * A Telegram group reads `key.group` (this group, 本群組, 本群), a Telegram channel `key.channel`
 * (this channel, 本頻道, 本频道), made from `key` (i18n/index.ts registerPlaceWording).
 * The console keeps `key`: it is a terminal, not a conversation anyone joins.
 */
export const platformText = (lang: Lang, key: string, where: Where, params?: Params): string => t(lang, platformKey(key, where), params);

/** The key platformText reads: for a reason passed on as a key (a ChatError's). */
export function platformKey(key: string, where: Where): string {
  const platform = typeof where === 'string' ? where : where.platform;
  if (oneToOne(platform, where)) return hasKey(`${key}.dm`) ? `${key}.dm` : key;
  const own = hasKey(`${key}.${platform}`) ? `${key}.${platform}` : key;
  // A Telegram group is 本群 / 本群組 / this group, a channel 本頻道 / 本频道 / this channel, where other
  // chats are 本聊天 / 本聊天室 / this chat (i18n/index.ts registerPlaceWording).
  if (platform !== 'telegram' || typeof where === 'string' || where.chatType === 'private') return own;
  return hasKey(`${own}.${where.chatType}`) ? `${own}.${where.chatType}` : own;
}

/** A private chat on a platform whose catalogue names it apart (`key.dm`): Discord's DMs, Telegram's private chats. */
const oneToOne = (platform: Platform, where: Where): boolean =>
  (platform === 'discord' || platform === 'telegram') && typeof where !== 'string' && where.chatType === 'private';

/**
 * Where a chart of the chat's own levels is shown, as its label names it: the same rule as
 * platformKey (a Discord server's channel, a DM or Telegram private chat, a Telegram group or
 * channel; elsewhere none: a chat).
 */
export function chartPlace(where: Where): ChartPlace | undefined {
  const platform = typeof where === 'string' ? where : where.platform;
  if (oneToOne(platform, where)) return 'dm';
  if (platform === 'telegram' && typeof where !== 'string') return where.chatType === 'private' ? 'dm' : where.chatType;
  return platform === 'discord' ? 'channel' : undefined;
}

export function denied(lang: Lang, where: Where | ChatContext, key: 'chat.denied' | 'chat.denied.preview' = 'chat.denied'): Reply {
  // Sent as a channel, an admin is refused as anyone would be: the refusal says why, and what works.
  const as = typeof where === 'string' || !('sentAsChat' in where) ? undefined : where.sentAsChat;
  return { status: 'denied', lines: [[as === undefined ? platformText(lang, key, where) : t(lang, 'chat.denied.sentAs', { chat: as })]] };
}

/** In a private chat the sender owns the settings; elsewhere the platform decides (group admins). */
export async function mayChangeSettings(ctx: ChatContext): Promise<boolean> {
  return ctx.chatType === 'private' || (await ctx.isAdmin());
}

/**
 * A chat the platform stopped (blocked, removed, no rights, a closed thread, gone: not one that
 * asked): what stopped (its alerts, its digest, both), why, what starts it again, and since when.
 * Undefined for a chat that is not stopped so. Alerts wait for /subscribe, which brings a digest
 * stopped with them back too (store/digests.ts sends no digest there meanwhile); a digest that
 * stopped alone comes back with /digest and a time (store/subscriptions.ts liftDigestStop).
 */
export function platformStopLines(
  lang: Lang,
  sub: {
    readonly active: boolean;
    readonly deactivatedReason: string | null;
    readonly deactivatedAt: number | null;
    readonly stopHad: StopHad | null;
    readonly timezone: string;
  },
  nowMs: number,
  where: Where,
): string[][] | undefined {
  const line = stopNote(lang, sub, where);
  return line === undefined ? undefined : [[line], ...stoppedOnLines(lang, sub, nowMs)];
}

/**
 * The one line of a platform stop, for a command that sets something the stop keeps from arriving
 * (/quiet: alerts; /lang, /help: anything the chat gets): what stopped, why, and what brings it
 * back. Undefined where nothing is stopped, or (`alerts`) where the stop holds the digest alone.
 */
export function stopNote(
  lang: Lang,
  sub: { readonly active: boolean; readonly deactivatedReason: string | null; readonly stopHad: StopHad | null } | undefined,
  where: Where,
  holding: 'alerts' | 'any' = 'any',
): string | undefined {
  const cause = sub === undefined || sub.active ? undefined : stopCause(sub.deactivatedReason);
  if (cause === undefined) return undefined;
  if (holding === 'alerts' && sub!.stopHad === 'digest') return undefined;
  return platformText(lang, `${stopKey(sub!.stopHad)}.${cause}`, where);
}

/**
 * The one line for a chat whose alerts are off not by a platform stop (stopNote says that) but by its
 * own /unsubscribe: a command that sets what only alerts use (/quiet) or what comes beside them
 * (/digest) would otherwise read as if alerts still came here. `digestOn`: the digest still comes
 * (/unsubscribe keeps it), so the line says it alone does. Undefined for an active chat, no chat, a
 * stopped one, or one that never subscribed (it set a digest or hours alone, knowing).
 */
export function alertsOffNote(
  lang: Lang,
  sub: { readonly active: boolean; readonly deactivatedReason: string | null; readonly stopHad: StopHad | null } | undefined,
  where: Where,
  digestOn = false,
): string | undefined {
  if (sub === undefined || sub.active || sub.deactivatedReason !== UNSUBSCRIBED) return undefined;
  return platformText(lang, digestOn ? 'chat.alertsOff.digestOnly' : 'chat.alertsOff', where);
}

/** The texts of a stop by what it took: `chat.sub.stopped.<cause>` alerts (and a stop kept without saying). */
export const stopKey = (had: StopHad | null): string =>
  had === 'digest' ? 'chat.sub.stoppedDigest' : had === 'both' ? 'chat.sub.stoppedBoth' : 'chat.sub.stopped';

/**
 * A chat stopped for lost rights, about to have its stop lifted (/subscribe; /digest with a time
 * where only the digest stopped), where the platform says the bot still may not post: the one line
 * that says so and what stays stopped (`key`: `chat.noRights.*`), the stop left in place. Undefined
 * where the stop may be lifted (another cause, nothing stopped, the bot may post, or no check here).
 */
export async function stillNoRights(
  lang: Lang,
  sub: { readonly active: boolean; readonly deactivatedReason: string | null } | undefined,
  ctx: ChatContext,
  key: string,
): Promise<Reply | undefined> {
  if (sub === undefined || sub.active || stopCause(sub.deactivatedReason) !== 'rights' || ctx.mayPost === undefined) return undefined;
  return (await ctx.mayPost()) ? undefined : errorReply(platformText(lang, key, ctx));
}
