/** What a chat command runs against: the services (deps) and the chat it answers (context). */
import type { Config } from '../config.ts';
import type { Platform } from '../domain/platform.ts';
import { langFromCode, type Lang } from '../domain/i18n/index.ts';
import type { MarketView } from '../store/market-view.ts';
import type { EventStore } from '../store/events.ts';
import type { Subscription, SubscriptionStore } from '../store/subscriptions.ts';
import type { DigestStore } from '../store/digests.ts';
import type { QuietStore } from '../store/quiet.ts';
import { chatZoneOf } from '../domain/quiet-hours.ts';
import type { MoveStore } from '../store/moves.ts';
import type { HistoryRetry } from '../domain/history-retry.ts';

export interface ChatDeps {
  readonly view: MarketView;
  readonly subs: SubscriptionStore;
  readonly events: EventStore;
  readonly config: Config;
  /** The trading date at a moment (main.ts: the New York date); "today" for dates, ranges and staleness. */
  readonly today: (nowMs: number) => string;
  /** Digest schedules (/digest); without them /digest can only preview. */
  readonly digests?: DigestStore;
  /** Quiet hours (/quiet); without them /quiet says it is not available. */
  readonly quiet?: QuietStore;
  /** Move alerts (/move); without them /move says it is not available. */
  readonly moves?: MoveStore;
  /** True while the first history sync after start-up still runs (/status says so). */
  readonly historyLoading?: () => boolean;
  /** A series still without history after a close that could not reach its sources, and when the next try is (the answers say so). */
  readonly historyRetry?: () => Promise<HistoryRetry | undefined>;
}

export interface ChatContext {
  readonly platform: Platform;
  readonly chatId: string;
  readonly chatType: 'private' | 'group' | 'channel';
  /** From the platform (e.g. 'zh-hant'); used when the chat has no lang yet. */
  readonly userLanguageCode: string | undefined;
  /** Asks the platform whether the sender may change this chat's settings (group admins). Called only when needed. */
  readonly isAdmin: () => Promise<boolean>;
  readonly nowMs: number;
  /**
   * Asks the platform whether the bot may post in this chat now, where no check ran before the
   * command (Telegram: getChatMember for the bot itself, and a group's permissions for members).
   * Asked only before a stop for lost rights is lifted (replies.ts stillNoRights). Undefined: the
   * platform checked already (Discord: handlers.ts checkBotCan) or cannot tell.
   */
  readonly mayPost?: () => Promise<boolean>;
  /**
   * The commands that run here, when not all do (Discord: the app installed to the user's account,
   * not to this server or DM: only the reading ones); /help lists those. Undefined: every command.
   */
  readonly commands?: ReadonlySet<string>;
  /**
   * The name of another chat the sender spoke as (Telegram: a member posting in a group as their
   * channel): who they are is hidden, so an admin check can only refuse, and the refusal says why
   * (replies.ts denied). Undefined: the sender speaks as themselves or as this chat.
   */
  readonly sentAsChat?: string;
  /**
   * The chat's language as read once for this one command or press (withChatLang): its text, chart,
   * card and colours then agree, though a /lang lands while it is answered.
   */
  readonly lang?: Lang;
}

/** The chat's language: as read for this answer (ChatContext.lang), else its subscription's lang, else from userLanguageCode, else config.defaultLang. */
export async function chatLang(deps: ChatDeps, ctx: ChatContext): Promise<Lang> {
  if (ctx.lang !== undefined) return ctx.lang;
  return (await deps.subs.get(ctx.platform, ctx.chatId))?.lang ?? langFromCode(ctx.userLanguageCode, deps.config.defaultLang);
}

/**
 * The context with the chat's language read now, for the whole answer: a /lang answered meanwhile
 * (another member, the same second) changes the chat's next answers, not half of this one (its
 * text in one language, its chart, fields and footer in the other).
 */
export async function withChatLang(deps: ChatDeps, ctx: ChatContext): Promise<ChatContext> {
  return { ...ctx, lang: await chatLang(deps, ctx) };
}

/** The chat's zone (domain/quiet-hours.ts chatZoneOf): its digest's, else its quiet hours' (/quiet 23-7 Asia/Taipei), else UTC. */
export async function chatZone(deps: Pick<ChatDeps, 'quiet'>, sub: Subscription): Promise<string> {
  return chatZoneOf({ time: sub.digestTime, timezone: sub.timezone }, await deps.quiet?.window(sub.id));
}
