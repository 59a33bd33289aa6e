/**
 * A chat's type (store/chat-types.ts) is recorded when the chat talks to the bot; a chat subscribed
 * before types were kept, and quiet since, has none, and its alerts name it 本聊天室 where a group
 * would read 本群組. So, at the start of the process that receives updates (bot.ts startScan: with
 * replicas in polling mode the leader, never a standby), in the background (the start waits for
 * none of it), one store read of the active Telegram subscriptions of a group or channel (a negative
 * id: a private chat is known by its id) with no type recorded (ChatTypeStore.untypedActive), then
 * getChat for each, paced (TYPE_SCAN_GAP_MS: 20 a second, under Telegram's limits) and a 429 waited
 * out as its retry_after says, and the type it answers recorded. Once every chat has its type the
 * read finds none and the scan asks nothing: nothing needs remembering that it ran.
 *
 * A chat Telegram refuses as it refuses a send there (403 blocked or kicked, 400 chat not found,
 * notifier.ts chatRefuses) is stopped as a send's refusal stops it (SubscriptionStore.chatGone with
 * notifier.ts telegramStopCause: its pending rows given up, the cause kept for /start), so it is not
 * asked again at the next start. Any other 400 is Telegram's final word on that chat: recorded as
 * scanned with an error (the type UNANSWERED_TYPE, which names no place, so its alerts say 本聊天室
 * as before, and the chat's own next word to the bot records its real type), so that each start
 * does not ask it again; a 400 that says Telegram failed for a moment (transient400) and any other
 * refusal (a 403 other than the bot's removal, a 401 of a revoked token) are skipped with an info
 * line and asked at the next start. A
 * group upgraded to a supergroup while the bot was away (400 with migrate_to_chat_id) has its
 * subscription moved (SubscriptionStore.move), and the new chat is asked once in its place.
 *
 * Replicas serving a webhook each start: the scan is claimed first (meta TYPE_SCAN_KEY, a lease
 * `<ms>` renewed as it goes, given back at its end), so they run one between them; a process that
 * died mid-scan leaves a lease the next start finds older than TYPE_SCAN_LEASE_MS, and scans.
 */
import { GrammyError, type Api } from 'grammy';
import type { ChatFullInfo } from 'grammy/types';
import type { Logger } from '../../log.ts';
import type { MetaStore } from '../../store/meta.ts';
import { UNANSWERED_TYPE, type ChatTypeStore } from '../../store/chat-types.ts';
import type { SubscriptionStore } from '../../store/subscriptions.ts';
import { stopReason } from '../../domain/stop-cause.ts';
import { chatRefuses, telegramStopCause } from './notifier.ts';
import { CutShort, Moved, PacedAsk, ScanClaim } from './scan-lease.ts';

/** The meta key of a running scan's lease (ms since epoch), '0' when none runs. */
export const TYPE_SCAN_KEY = 'telegram.type_scan';
/** Between two getChat calls: 20 a second at most. */
export const TYPE_SCAN_GAP_MS = 50;
/** A lease not renewed for this long was left by a process that died: the next start scans. */
export const TYPE_SCAN_LEASE_MS = 300_000;
/**
 * A 400 that says Telegram failed for a moment, not that the chat cannot be asked (its MTProto
 * backend's timeouts and internal failures surface as 400 now and then): asked again at the next start.
 */
const TRANSIENT_400 = /timeout|timed out|try again|temporar|RPC_CALL_FAIL|INTERNAL/i;
export const transient400 = (description: string): boolean => TRANSIENT_400.test(description);

export interface TypeScanDeps {
  /** Asks getChat: an Api without auto-retry, as this scan waits out a 429 itself (abortably). */
  readonly api: Api;
  readonly chatTypes: Pick<ChatTypeStore, 'untypedActive' | 'record'>;
  readonly subs: Pick<SubscriptionStore, 'chatGone' | 'move'>;
  readonly meta: Pick<MetaStore, 'update'>;
  readonly log: Logger;
  readonly now: () => number;
  readonly gapMs?: number;
}

export async function scanChatTypes(d: TypeScanDeps, signal: AbortSignal): Promise<void> {
  const chats = (await d.chatTypes.untypedActive('telegram')).filter((id) => id.startsWith('-'));
  if (chats.length === 0) {
    d.log.debug('chat-type scan: every subscribed group and channel has its type');
    return;
  }
  const startedAt = d.now();
  const mine = String(startedAt);
  const claimed = await d.meta.update(TYPE_SCAN_KEY, (value) => {
    const at = Number(value ?? '0');
    return Number.isFinite(at) && at > startedAt - TYPE_SCAN_LEASE_MS ? undefined : mine;
  });
  if (claimed === undefined) {
    d.log.debug('chat-type scan: under way in another process');
    return;
  }
  const claim = new ScanClaim(d.meta, TYPE_SCAN_KEY, TYPE_SCAN_LEASE_MS, d.now, String, mine, startedAt);
  const asks = new PacedAsk(claim, d.gapMs ?? TYPE_SCAN_GAP_MS, signal);
  let recorded = 0;
  let stopped = 0;
  let unanswered = 0;
  const ask = async (chatId: string): Promise<ChatFullInfo | Moved | undefined> => {
    const e = await asks.ask('getChat', (s) =>
      // grammY types its signal with the abort-controller package's AbortSignal; Node's is the same at run time.
      d.api.getChat(chatId, s as Parameters<Api['getChat']>[1]),
    );
    if (!(e instanceof GrammyError)) return e;
    if (chatRefuses(e)) {
      // As a send refused for the chat stops it (alerts/dispatcher.ts 'dead').
      await d.subs.chatGone('telegram', chatId, stopReason(telegramStopCause(e.description), e.description));
      stopped++;
      d.log.info(`chat ${chatId} refused the bot (${e.error_code} ${e.description}): its alerts stopped, as a refused send stops them`);
      return undefined;
    }
    if (e.error_code === 400 && !transient400(e.description)) {
      // Telegram's final word on this chat: asked again at every start, it would say the same.
      await d.chatTypes.record('telegram', chatId, UNANSWERED_TYPE);
      unanswered++;
      d.log.info(`could not ask chat ${chatId}'s type (${e.error_code} ${e.description}): not asked again until it talks to the bot`);
      return undefined;
    }
    d.log.info(`could not ask chat ${chatId}'s type, skipped until the next start (${e.error_code} ${e.description})`);
    return undefined;
  };
  try {
    for (const untyped of chats) {
      if (signal.aborted) throw new CutShort('the bot stopped');
      let chatId = untyped;
      let chat = await ask(chatId);
      if (chat instanceof Moved) {
        await d.subs.move('telegram', chatId, chat.to);
        d.log.info(`chat ${chatId} became supergroup ${chat.to} while the bot was away: its subscription moved there`);
        chatId = chat.to;
        chat = await ask(chatId);
        if (chat instanceof Moved) continue;
      }
      if (chat === undefined) continue;
      await d.chatTypes.record('telegram', chatId, chat.type);
      recorded++;
    }
    d.log.info(
      `chat-type scan: ${chats.length} subscribed chat(s) with no type, ${asks.asked} asked, ${recorded} recorded${stopped > 0 ? `, ${stopped} refused the bot and stopped` : ''}${unanswered > 0 ? `, ${unanswered} refused to say (not asked again)` : ''}`,
    );
  } catch (e) {
    if (e instanceof CutShort) d.log.info(`chat-type scan cut short (${e.message}) after ${asks.asked} chat(s); the next start asks the rest`);
    else throw e;
  } finally {
    const held = claim.mine;
    await d.meta.update(TYPE_SCAN_KEY, (value) => (value === held ? '0' : undefined)).catch(() => undefined);
  }
}
