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
 * A group upgraded to a supergroup while the bot was away answers getChatMember with 400 and
 * parameters.migrate_to_chat_id: its subscription moves to the new chat id as a send's 'moved'
 * does (store/subscriptions.ts move, one unit: the dispatcher's and the migrate message's path),
 * and the new chat is asked once in its place; a second move answered there is skipped.
 *
 * The scan is claimed before it runs (a compare-and-set of the meta key: replicas serving a
 * webhook, each starting, run one scan between them) and the claim is given back when the scan is
 * cut short (the bot stopping, Telegram unreachable), so the next start scans. While it runs the
 * key holds a lease (`<ms>.0`, renewed every RIGHTS_SCAN_LEASE_MS / 4 as chats are asked), and
 * only once it ended the start's time (`<ms>`): a process that died mid-scan (killed, out of memory)
 * cannot give its claim back, and a claim held for a day would leave the chats not yet asked
 * untold until a start a day later, for a bot that runs for weeks maybe never; a lease older than
 * RIGHTS_SCAN_LEASE_MS is that, and the next start scans again (the chats told before the crash
 * are not told twice: the once-a-day note). The lease is a number on purpose: a goldratio from
 * before it (a replica not yet replaced in a rolling deploy) claims the scan unless Number(value)
 * is a time within a day, so it reads `<ms>.0` as a scan started at <ms> and leaves it, where
 * `running@<ms>` (this code's first lease, still read as one) was to it a scan that never happened,
 * run at once beside this one. getChatMember calls
 * are paced (RIGHTS_SCAN_GAP_MS: 20 a second, under Telegram's limits) and a 429 is waited out as
 * its retry_after says; a chat Telegram refuses (400 chat not found, 403 kicked) is skipped with an
 * info line, the others are still asked. With replicas in polling mode only the leader starts it
 * (bot.ts leaderOnly), so a standby never scans. A scan with nothing to do (no chat stopped for
 * lost rights, the common case) says so at debug level: an operator's log keeps the scans that did
 * something.
 */
import { GrammyError, type Api } from 'grammy';
import type { ChatMember } from 'grammy/types';
import type { ChatContext } from '../../chat/registry.ts';
import type { Logger } from '../../log.ts';
import type { MetaStore } from '../../store/meta.ts';
import type { SubscriptionStore } from '../../store/subscriptions.ts';
import type { ToldNote } from '../../store/told-note.ts';
import { postRank, type Handlers } from './handlers.ts';
import { CutShort, Moved, PacedAsk, ScanClaim } from './scan-lease.ts';

/** The meta key of the last scan's start (ms since epoch). */
export const RIGHTS_SCAN_KEY = 'telegram.rights_scan_at';
/** How long Telegram keeps a bot's updates: a start within it needs no scan. */
export const RIGHTS_SCAN_EVERY_MS = 86_400_000;
/** Between two getChatMember calls: 20 a second at most. */
export const RIGHTS_SCAN_GAP_MS = 50;
/** A running scan's claim not renewed for this long was left by a process that died: the next start scans. */
export const RIGHTS_SCAN_LEASE_MS = 300_000;
/** The value of the key while a scan runs, renewed at `ms`: a number to older versions (see above). */
const lease = (ms: number): string => `${Math.trunc(ms)}.0`;
const LEASE = /^(\d+)\.0$/;
/** The lease as this code first wrote it: still read as one (a process of that code may hold it). */
const RUNNING = 'running@';

/** What the key says: a running scan's lease renewed at `at`, or a scan started at `at` that ended (NaN: none). */
function readScan(value: string | undefined): { readonly running: boolean; readonly at: number } {
  if (value === undefined) return { running: false, at: Number.NaN };
  if (value.startsWith(RUNNING)) return { running: true, at: Number(value.slice(RUNNING.length)) };
  const m = LEASE.exec(value);
  return m !== null ? { running: true, at: Number(m[1]) } : { running: false, at: Number(value) };
}

export interface RightsScanDeps {
  /** Asks getChatMember: an Api without auto-retry, as this scan waits out a 429 itself (abortably). */
  readonly api: Api;
  /** Sends the message: the bot's Api, as the handler's answers. */
  readonly sendApi: Api;
  readonly botId: number;
  readonly subs: Pick<SubscriptionStore, 'stoppedForRights' | 'move'>;
  readonly meta: Pick<MetaStore, 'update'>;
  /** The handler's once-a-day note (no-photos-note.ts metaRightsBackNote). */
  readonly note: Pick<ToldNote, 'told'>;
  readonly handlers: Handlers;
  readonly log: Logger;
  readonly now: () => number;
  readonly gapMs?: number;
}

/**
 * The chat type a member answer implies, for postRank: an administrator's can_post_messages is sent
 * for channels only; a bot in a channel is never a plain member.
 */
const typeOf = (m: ChatMember): 'channel' | 'supergroup' => (m.status === 'administrator' && m.can_post_messages !== undefined ? 'channel' : 'supergroup');

export async function scanRightsBack(d: RightsScanDeps, signal: AbortSignal): Promise<void> {
  const startedAt = d.now();
  const mine = lease(startedAt);
  let before: string | undefined;
  let running = false;
  const claimed = await d.meta.update(RIGHTS_SCAN_KEY, (value) => {
    before = value;
    const scan = readScan(value);
    running = scan.running;
    const at = scan.at;
    if (!Number.isFinite(at)) return mine;
    return at > startedAt - (running ? RIGHTS_SCAN_LEASE_MS : RIGHTS_SCAN_EVERY_MS) ? undefined : mine;
  });
  if (claimed === undefined) {
    d.log.debug(running ? 'rights-back scan: under way in another process' : 'rights-back scan: done within a day (Telegram still keeps the updates since)');
    return;
  }
  if (running) d.log.info('the last rights-back scan ended with its process, mid-scan (its claim unrenewed): scanning again');
  const claim = new ScanClaim(d.meta, RIGHTS_SCAN_KEY, RIGHTS_SCAN_LEASE_MS, d.now, lease, mine, startedAt);
  const asks = new PacedAsk(claim, d.gapMs ?? RIGHTS_SCAN_GAP_MS, signal);
  let told = 0;
  let moved = 0;
  /** The bot's membership of `chatId`; Moved for an upgraded group; undefined (one info line) when Telegram refuses to say (chat not found, kicked). */
  const ask = async (chatId: string): Promise<ChatMember | Moved | undefined> => {
    const r = await asks.ask('getChatMember', (s) =>
      // grammY types its signal with the abort-controller package's AbortSignal; Node's is the same at run time.
      d.api.getChatMember(chatId, d.botId, s as Parameters<Api['getChatMember']>[2]),
    );
    if (!(r instanceof GrammyError)) return r;
    d.log.info(`could not ask whether the bot may post again in chat ${chatId}, skipped (${r.error_code} ${r.description})`);
    return undefined;
  };
  try {
    // Private chats stop as 'blocked', never for 'rights'; their ids are positive.
    const chats = (await d.subs.stoppedForRights('telegram')).filter((id) => id.startsWith('-'));
    for (const stopped of chats) {
      if (signal.aborted) throw new CutShort('the bot stopped');
      let chatId = stopped;
      if (await d.note.told(chatId, d.now())) continue;
      let member = await ask(chatId);
      if (member instanceof Moved) {
        // As a send that met the upgrade moves it (alerts/dispatcher.ts 'moved'): one unit, pending rows with it.
        await d.subs.move('telegram', chatId, member.to);
        moved++;
        d.log.info(`chat ${chatId} became supergroup ${member.to} while the bot was away: its subscription moved there`);
        chatId = member.to;
        if (await d.note.told(chatId, d.now())) continue;
        member = await ask(chatId);
        if (member instanceof Moved) {
          d.log.info(`could not ask whether the bot may post again in chat ${chatId}, skipped (it says it moved again, to ${member.to})`);
          continue;
        }
      }
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
    const ended = claim.mine;
    await d.meta.update(RIGHTS_SCAN_KEY, (value) => (value === ended ? String(startedAt) : undefined));
    const line = `rights-back scan: ${chats.length} chat(s) stopped for lost rights, ${asks.asked} asked, ${told} told${moved > 0 ? `, ${moved} moved to their supergroup` : ''}`;
    if (chats.length === 0) d.log.debug(line);
    else d.log.info(line);
  } catch (e) {
    // Given back only if still ours: the next start scans again.
    const held = claim.mine;
    await d.meta.update(RIGHTS_SCAN_KEY, (value) => (value === held ? (before ?? '0') : undefined)).catch(() => undefined);
    if (e instanceof CutShort) d.log.info(`rights-back scan cut short (${e.message}) after ${asks.asked} chat(s); the next start scans again`);
    else throw e;
  }
}
