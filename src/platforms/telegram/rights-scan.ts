/**
 * A chat whose alerts stopped because the bot lost its rights there (domain/stop-cause.ts 'rights')
 * is told, when the bot may post again, through the my_chat_member update (handlers.ts). Telegram
 * keeps a bot's pending updates for 24 hours only: rights given back while the bot was down longer
 * than that send it no update, and the chat would stay silent. So, at the bot's start, in the
 * background (the start waits for none of it), when the last such scan is older than a day or
 * never happened (meta `telegram.rights_scan_at`): one store read of every Telegram chat stopped for
 * 'rights' (store/subscriptions.ts stoppedForRights), then, for each not told within a day (the
 * same note as the handler's, `telegram.rights_back:<chat>`), getChatMember for the bot; where its
 * membership lets it post (handlers.ts postRank, the handler's rule), the handler's own message
 * (tellMayPostAgain: same text, Subscribe button, topic). A restart within a day scans nothing:
 * Telegram's queue covers that gap.
 *
 * The scan is claimed before it runs (a compare-and-set of the meta key: replicas serving a
 * webhook, each starting, run one scan between them) and the claim is given back when the scan is
 * cut short (the bot stopping, Telegram unreachable), so the next start scans. getChatMember calls
 * are paced (RIGHTS_SCAN_GAP_MS: 20 a second, under Telegram's limits) and a 429 is waited out as
 * its retry_after says; a chat Telegram refuses (400 chat not found, 403 kicked) is skipped with an
 * info line, the others are still asked. With replicas in polling mode only the leader starts it
 * (bot.ts leaderOnly), so a standby never scans.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GrammyError, type Api } from 'grammy';
import type { ChatMember } from 'grammy/types';
import type { ChatContext } from '../../chat/registry.ts';
import type { Logger } from '../../log.ts';
import type { MetaStore } from '../../store/meta.ts';
import type { SubscriptionStore } from '../../store/subscriptions.ts';
import type { ToldNote } from '../../store/told-note.ts';
import { postRank, type Handlers } from './handlers.ts';

/** The meta key of the last scan's start (ms since epoch). */
export const RIGHTS_SCAN_KEY = 'telegram.rights_scan_at';
/** How long Telegram keeps a bot's updates: a start within it needs no scan. */
export const RIGHTS_SCAN_EVERY_MS = 86_400_000;
/** Between two getChatMember calls: 20 a second at most. */
export const RIGHTS_SCAN_GAP_MS = 50;
/** 429s waited out for one chat before the scan gives up (and gives its claim back). */
const MAX_WAITS = 5;

export interface RightsScanDeps {
  /** Asks getChatMember: an Api without auto-retry, as this scan waits out a 429 itself (abortably). */
  readonly api: Api;
  /** Sends the message: the bot's Api, as the handler's answers. */
  readonly sendApi: Api;
  readonly botId: number;
  readonly subs: Pick<SubscriptionStore, 'stoppedForRights'>;
  readonly meta: Pick<MetaStore, 'update'>;
  /** The handler's once-a-day note (no-photos-note.ts metaRightsBackNote). */
  readonly note: Pick<ToldNote, 'told'>;
  readonly handlers: Handlers;
  readonly log: Logger;
  readonly now: () => number;
  readonly gapMs?: number;
}

/** Why the scan stopped before its end: given back so that the next start scans. */
class CutShort extends Error {}

/**
 * The chat type a member answer implies, for postRank: an administrator's can_post_messages is sent
 * for channels only; a bot in a channel is never a plain member.
 */
const typeOf = (m: ChatMember): 'channel' | 'supergroup' => (m.status === 'administrator' && m.can_post_messages !== undefined ? 'channel' : 'supergroup');

export async function scanRightsBack(d: RightsScanDeps, signal: AbortSignal): Promise<void> {
  const startedAt = d.now();
  const mine = String(startedAt);
  let before: string | undefined;
  const claimed = await d.meta.update(RIGHTS_SCAN_KEY, (value) => {
    before = value;
    const at = Number(value);
    return value !== undefined && Number.isFinite(at) && at > startedAt - RIGHTS_SCAN_EVERY_MS ? undefined : mine;
  });
  if (claimed === undefined) {
    d.log.debug('rights-back scan: done within a day (Telegram still keeps the updates since)');
    return;
  }
  let asked = 0;
  let told = 0;
  try {
    // Private chats stop as 'blocked', never for 'rights'; their ids are positive.
    const chats = (await d.subs.stoppedForRights('telegram')).filter((id) => id.startsWith('-'));
    for (const chatId of chats) {
      if (signal.aborted) throw new CutShort('the bot stopped');
      if (await d.note.told(chatId, d.now())) continue;
      if (asked > 0) await pause(d.gapMs ?? RIGHTS_SCAN_GAP_MS, signal);
      asked++;
      const member = await memberOf(d, chatId, signal);
      if (member === undefined || postRank(member, typeOf(member)) === 0) continue;
      if (signal.aborted) throw new CutShort('the bot stopped');
      const cc: ChatContext = {
        platform: 'telegram',
        chatId,
        chatType: typeOf(member) === 'channel' ? 'channel' : 'group',
        userLanguageCode: undefined,
        isAdmin: async () => false,
        nowMs: d.now(),
      };
      if (await d.handlers.tellMayPostAgain({ api: d.sendApi }, cc)) {
        told++;
        d.log.info('told a chat whose alerts stopped that the bot may post there again (its rights came back while the bot was down)', { chatId });
      }
    }
    d.log.info(`rights-back scan: ${chats.length} chat(s) stopped for lost rights, ${asked} asked, ${told} told`);
  } catch (e) {
    // Given back only if still ours: the next start scans again.
    await d.meta.update(RIGHTS_SCAN_KEY, (value) => (value === mine ? (before ?? '0') : undefined)).catch(() => undefined);
    if (e instanceof CutShort) d.log.info(`rights-back scan cut short (${e.message}) after ${asked} chat(s); the next start scans again`);
    else throw e;
  }
}

/** The bot's membership of a chat; undefined (one info line) when Telegram refuses to say (chat not found, kicked). */
async function memberOf(d: RightsScanDeps, chatId: string, signal: AbortSignal): Promise<ChatMember | undefined> {
  for (let waits = 0; ; waits++) {
    try {
      // grammY types its signal with the abort-controller package's AbortSignal; Node's is the same at run time.
      return await d.api.getChatMember(chatId, d.botId, signal as Parameters<Api['getChatMember']>[2]);
    } catch (e) {
      if (signal.aborted) throw new CutShort('the bot stopped');
      if (!(e instanceof GrammyError)) throw new CutShort(`Telegram unreachable: ${e instanceof Error ? e.message : String(e)}`);
      if (e.error_code === 429 && waits < MAX_WAITS) {
        await pause((e.parameters.retry_after ?? 1) * 1000, signal);
        continue;
      }
      if (e.error_code === 429 || e.error_code >= 500) throw new CutShort(`Telegram refused getChatMember: ${e.error_code} ${e.description}`);
      d.log.info(`could not ask whether the bot may post again in chat ${chatId}, skipped (${e.error_code} ${e.description})`);
      return undefined;
    }
  }
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    throw new CutShort('the bot stopped');
  }
}
