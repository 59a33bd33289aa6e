/**
 * Delivers outbox messages to Telegram chats for the dispatcher. A message is a photo with the
 * text as caption (text past 1024 characters follows as messages; a chat that takes photos but no
 * text gets the photo alone, its caption fitted), or text alone; each part is
 * reported to the dispatcher as it goes out, which stores it, so a retry or a restart resumes at
 * the first part not delivered. The chart is uploaded once per message and language and its
 * file_id reused for every other chat. The pace and every retry decision live in the dispatcher;
 * this notifier keeps Telegram's own per-group limit and translates the API's answers.
 */
import type { TokenBell } from '../token-bell.ts';
import { GrammyError, HttpError, InputFile, type Api } from 'grammy';
import type { ChartFile, Delivery, Notifier, SendResult } from '../../alerts/notifier.ts';
import { UploadOnce, type SharedUploads } from '../../alerts/upload-once.ts';
import { messageReply } from '../../chat/message-lines.ts';
import type { Logger } from '../../log.ts';
import { fittedCaption, messageParts } from './render.ts';
import { httpErrorWhy } from './http-error.ts';
import { escapeHtml } from './html.ts';
import { placeKey, t } from '../../domain/i18n/index.ts';
import type { StopCause } from '../../domain/stop-cause.ts';
import type { ChartPlace } from '../../domain/chart-request.ts';
import type { NoPhotosNote } from './no-photos-note.ts';
import { topicGoneKey, topicsOffKey, type ChatGets } from './topic-notice.ts';

export interface TelegramNotifierOptions {
  readonly api: Api;
  /** Rung when a send's 401/404 refuses the token and when a send is taken again (tokenRefused). */
  readonly tokenBell?: TokenBell;
  /** Messages per second in total (config.telegram.rate); the dispatcher paces by it. */
  readonly rate: number;
  /** At most this many messages per minute into one group (config.telegram.groupPerMinute). */
  readonly groupPerMinute: number;
  readonly paidBroadcast: boolean;
  readonly log: Logger;
  readonly now?: () => number;
  /**
   * The chat's forum topic `threadId` is closed or deleted: a subscription still sending there goes
   * back to General. Answers where the chat's messages go now: null (General), or the topic it chose
   * meanwhile (/subscribe in another topic after this message was claimed). Without it: General.
   */
  readonly threadGone?: (chatId: string, threadId: number) => Promise<number | null>;
  /** What the chat gets (its alerts, its digest, both), for the notice that says where they go now. Without it: what this message is. */
  readonly chatGets?: (chatId: string) => Promise<ChatGets>;
  /** Chart uploads shared with the other replicas (alerts/upload-once.ts sharedUploads): a file_id is reused across processes. */
  readonly sharedUploads?: SharedUploads;
  /** Whether a chat that takes no photos was told so (no-photos-note.ts). Without it: the line goes under every alert sent without its chart. */
  readonly noPhotos?: NoPhotosNote;
  /** Why nothing may be sent now (bot.ts: the token is another bot's), or undefined (Notifier.off). */
  readonly off?: () => string | undefined;
  /** The `api`'s timeout for one call (Notifier.callTimeoutMs), when it has one. */
  readonly callTimeoutMs?: number;
  /**
   * The chat's type as last recorded (store/chat-types.ts: private, group, supergroup, channel), or
   * undefined for one not recorded. Without it: a private chat is told by its positive id, any other chat by the chat's own words.
   */
  readonly chatType?: (chatId: string) => Promise<string | undefined>;
}

/** Where a chat of Telegram's `type` is, as what is sent there names it; undefined for a type not known. */
export function placeOfType(type: string | undefined): ChartPlace | undefined {
  if (type === 'private') return 'dm';
  if (type === 'group' || type === 'supergroup') return 'group';
  return type === 'channel' ? 'channel' : undefined;
}

/** An answer about the chat itself (blocked, gone, moved, no rights), not about Telegram or the network. */
function chatSpecific(err: unknown): boolean {
  return err instanceof GrammyError && (err.error_code === 400 || err.error_code === 403);
}

/**
 * Telegram's answers to a file_id it does not take: a file_id belongs to one bot, so one recorded by
 * another (the database moved to a new token's bot, a staging copy) is refused, as is one Telegram
 * has let expire. The chart is uploaded again.
 */
const FILE_ID_REFUSED = /wrong file identifier|wrong remote file identifier|wrong file_id|file reference|FILE_ID_INVALID|file is temporarily unavailable/i;

export function staleFileId(err: unknown): boolean {
  return err instanceof GrammyError && err.error_code === 400 && FILE_ID_REFUSED.test(err.description);
}

/**
 * What a refusal about the chat says, for the chat to be told later (domain/stop-cause.ts): a user
 * who blocked the bot, a group or channel that removed it or took its right to post, or a chat that
 * is no more.
 */
export function telegramStopCause(description: string): StopCause {
  if (/blocked by the user/i.test(description)) return 'blocked';
  if (/kicked|not a member|bot was removed|CHANNEL_PRIVATE/i.test(description)) return 'removed';
  if (
    /rights|administrator|ADMIN_REQUIRED|CHAT_WRITE_FORBIDDEN|CHAT_SEND_PLAIN_FORBIDDEN|CHAT_GUEST_SEND_FORBIDDEN|CHAT_RESTRICTED|USER_BANNED_IN_CHANNEL/i.test(
      description,
    )
  ) {
    return 'rights';
  }
  if (/TOPIC_CLOSED/i.test(description)) return 'closed';
  return 'gone';
}

/**
 * Telegram's answer to a photo in a chat whose members (the bot among them) may send text but not
 * photos: the message goes as text, without its chart.
 */
const PHOTOS_REFUSED = /not enough rights to send photos|CHAT_SEND_PHOTOS_FORBIDDEN|CHAT_SEND_MEDIA_FORBIDDEN/i;

export function photosRefused(err: unknown): boolean {
  return err instanceof GrammyError && err.error_code === 400 && PHOTOS_REFUSED.test(err.description);
}

/**
 * Telegram's 400s for a chat the bot may no longer post in: a channel that took its Post Messages
 * right, a group that lets members (the bot among them) send nothing, or no text
 * (CHAT_SEND_PLAIN_FORBIDDEN: an alert with its chart still goes, as a photo with its caption fitted, TEXT_REFUSED; a
 * message that is text alone cannot, and is refused alone, the chat kept), a discussion group that asks to join it first, a chat Telegram restricted,
 * a bot banned from posting. As final as a 403: trying again changes nothing until an admin gives
 * the right back (then /start says why alerts stopped, and Subscribe brings them back). Photos
 * alone refused is not this (PHOTOS_REFUSED).
 */
const NO_RIGHT_TO_POST =
  /need administrator rights in the channel|not enough rights to send text|have no rights to send a message|CHAT_WRITE_FORBIDDEN|CHAT_ADMIN_REQUIRED|CHAT_SEND_PLAIN_FORBIDDEN|CHAT_GUEST_SEND_FORBIDDEN|CHAT_RESTRICTED|USER_BANNED_IN_CHANNEL/i;

/**
 * Telegram's 400s for a chat whose members (the bot among them) may send photos but no text: an
 * alert with its chart goes as the photo alone, its caption fitted (render.ts fittedCaption).
 */
const TEXT_REFUSED = /CHAT_SEND_PLAIN_FORBIDDEN|not enough rights to send text/i;

export function textRefused(err: unknown): boolean {
  return err instanceof GrammyError && err.error_code === 400 && TEXT_REFUSED.test(err.description);
}

/**
 * Telegram's 400s for a chat that is no more for this bot: not found, an id it does not know
 * (PEER_ID_INVALID: a user who never started the bot or deleted their account), a private channel
 * the bot is no longer in (CHANNEL_PRIVATE), a deactivated group.
 */
const CHAT_GONE = /chat not found|PEER_ID_INVALID|CHANNEL_PRIVATE|group chat was deactivated|group is deactivated|user is deactivated/i;

/**
 * A forum's General topic closed by its admins: only they may post there. A topic of the
 * subscription's own that is closed moves its alerts to General (THREAD_GONE); General closed, or
 * closed after such a move, leaves nowhere to post until it is reopened (or /subscribe in an open
 * topic moves them there), so the chat's alerts stop with the cause 'closed', as a 403 stops them.
 */
const GENERAL_CLOSED = /TOPIC_CLOSED/i;

/**
 * Whether Telegram refused a send because of the chat (the bot blocked, removed, without the right to
 * post, the chat gone, General closed): final for that chat, and no bug of ours.
 */
export function chatRefuses(err: unknown): boolean {
  if (!(err instanceof GrammyError)) return false;
  if (err.error_code === 403) return true;
  return err.error_code === 400 && (NO_RIGHT_TO_POST.test(err.description) || CHAT_GONE.test(err.description) || GENERAL_CLOSED.test(err.description));
}

/** Telegram's answers for a forum topic that can no longer be posted in. */
const THREAD_GONE = /message thread not found|TOPIC_CLOSED|TOPIC_DELETED|TOPIC_ID_INVALID/i;

export function threadGone(err: unknown): boolean {
  return err instanceof GrammyError && err.error_code === 400 && THREAD_GONE.test(err.description);
}

const GROUP_WINDOW_MS = 60_000;

/**
 * How long a topic found gone is remembered: rows claimed before it was found still carry it (their
 * claim lasts minutes, dispatcher.ts DEFAULT_LEASE_MS), and must go to General without another
 * refused try or a second notice. Not forever: a closed topic may be reopened and chosen again.
 */
const GONE_TOPIC_MEMORY_MS = 10 * 60_000;

/**
 * How long a chat found to take photos but no text is remembered: its long alerts go as one photo
 * with a fitted caption from the start, not as a photo whose caption is edited after the text is
 * refused. Not forever: its admins may give the right back, and the next long alert tries again.
 */
const NO_TEXT_MEMORY_MS = 24 * 3_600_000;

/** Keys noted at some time, known for `lastsMs` after (a key past it is forgotten when next asked about). */
class Remembered {
  readonly #at = new Map<string, number>();
  constructor(
    readonly lastsMs: number,
    readonly now: () => number,
  ) {}

  note(key: string): void {
    this.#at.set(key, this.now());
  }

  knows(key: string): boolean {
    const at = this.#at.get(key);
    if (at === undefined) return false;
    if (at > this.now() - this.lastsMs) return true;
    this.#at.delete(key);
    return false;
  }
}

export class TelegramNotifier implements Notifier {
  readonly platform = 'telegram' as const;
  readonly ratePerSecond: number;
  readonly callTimeoutMs?: number;
  readonly #o: TelegramNotifierOptions;
  readonly #now: () => number;
  /** The chart's file_id, uploaded once per message and language. */
  readonly #files: UploadOnce<string>;
  /** group chat id → send times within the last minute. */
  readonly #groupSends = new Map<string, number[]>();
  /** `chatId:threadId` of topics found gone lately (subscription moved, notice sent). */
  readonly #goneTopics: Remembered;
  /** Chats found lately to take photos but no text. */
  readonly #noText: Remembered;
  /** A send's 401/404 (the token revoked while running), until a send is answered about its chat again (Notifier.tokenRefused). */
  #tokenRefused: string | undefined;

  constructor(options: TelegramNotifierOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#goneTopics = new Remembered(GONE_TOPIC_MEMORY_MS, this.#now);
    this.#noText = new Remembered(NO_TEXT_MEMORY_MS, this.#now);
    this.ratePerSecond = options.rate;
    if (options.callTimeoutMs !== undefined) this.callTimeoutMs = options.callTimeoutMs;
    this.#files = new UploadOnce<string>({
      chatSpecific,
      staleHandle: staleFileId,
      noHandle: 'sendPhoto answered without a file_id',
      ...(options.sharedUploads ? { shared: options.sharedUploads } : {}),
    });
  }

  /**
   * A private chat (Telegram gives a user's chat a positive id, a group's or channel's a negative one)
   * is named as a one-to-one conversation (本對話, not 本聊天室). A group (supergroup too) is named a
   * group (本群組, 本群, this group), a channel a channel (本頻道, this channel), by the type recorded
   * when the chat last talked to the bot: both have ids starting with -100, so the id cannot tell.
   * A chat with no type recorded (none since types were kept) keeps the chat's own words (本聊天室).
   */
  async chartPlace(chatId: string): Promise<ChartPlace | undefined> {
    if (/^[1-9]\d*$/.test(chatId)) return 'dm';
    try {
      return placeOfType(await this.#o.chatType?.(chatId));
    } catch (e) {
      // A label is no reason to hold a message: the chat's own words then.
      this.#o.log.warn("could not read the chat's type: its alert names it as a chat", { chatId, error: String(e) });
      return undefined;
    }
  }

  off(): string | undefined {
    return this.#o.off?.();
  }

  tokenRefused(): string | undefined {
    return this.#tokenRefused;
  }

  /** The message as HTML parts: with a chart, the caption first (≤ 1024 visible characters), then messages (≤ 4096). */
  static parts(d: Pick<Delivery, 'message' | 'chart'>): string[] {
    return messageParts(messageReply(d.message), d.chart !== undefined);
  }

  async send(d: Delivery): Promise<SendResult> {
    // A chat known to take no text gets the photo alone, its caption fitted; one resumed after its photo went out gets nothing more.
    const parts = d.chart !== undefined && this.#noText.knows(d.chatId) ? [fittedCaption(messageReply(d.message))] : TelegramNotifier.parts(d);
    const wait = this.#reserveGroup(d.chatId, Math.max(0, parts.length - d.fromPart));
    // Our own pace, not a failure: no attempt spent on it.
    if (wait > 0) return { kind: 'retry', afterMs: wait, reason: `group limit of ${this.#o.groupPerMinute}/min`, attempt: false };
    const thread = d.threadId ?? undefined;
    // The dispatcher sends one chat's rows one after another: when the topic is gone, the first send
    // finds it, and the chat's other rows (claimed with the topic before it was found) go to General.
    const r = await this.#deliver(d, parts, thread !== undefined && this.#goneTopics.knows(`${d.chatId}:${thread}`) ? undefined : thread);
    // Any answer about the chat (sent, blocked, moved) is Telegram taking the token again.
    if (r.kind !== 'retry' && this.#tokenRefused !== undefined) {
      this.#tokenRefused = undefined;
      this.#o.tokenBell?.ring();
    }
    return r;
  }

  async #deliver(d: Delivery, parts: readonly string[], topic: number | undefined): Promise<SendResult> {
    let thread = topic;
    let i = d.fromPart;
    /** The photo sent in this call, to fit its caption when the text after it is refused. */
    const photo: { id?: number | undefined } = {};
    try {
      for (; i < parts.length; i++) {
        try {
          await this.#sendPart(d, parts, i, thread, photo);
        } catch (err) {
          if (i > 0 && d.chart !== undefined && textRefused(err)) return await this.#photoAlone(d, photo.id);
          // A closed or deleted topic: once per chat, the chat's General thread gets a one-line
          // notice and the subscription follows (the chat stays subscribed); this message goes there.
          // A chat that chose another topic meanwhile gets this message there, and no notice.
          if (thread === undefined || !threadGone(err)) throw err;
          this.#o.log.info('telegram topic gone: falling back to General', { chatId: d.chatId, thread, error: (err as GrammyError).description });
          const now = (await this.#o.threadGone?.(d.chatId, thread)) ?? null;
          this.#goneTopics.note(`${d.chatId}:${thread}`);
          if (now === null) {
            // Named as what the chat gets: a chat with a digest alone is told of its digest, not of alerts.
            const gets = (await this.#o.chatGets?.(d.chatId)) ?? (d.kind === 'digest' ? 'digest' : 'alerts');
            const notice = (await this.#topicsOff(d.chatId)) ? topicsOffKey(gets) : topicGoneKey(gets);
            await this.#o.api.sendMessage(d.chatId, escapeHtml(t(d.lang, notice)), { parse_mode: 'HTML', ...this.#paid() });
          }
          thread = now === null || now === thread ? undefined : now;
          await this.#sendPart(d, parts, i, thread, photo);
        }
        // Stored before the next part starts; the last one is stored with the outcome ('sent').
        if (i + 1 < parts.length) await d.partSent(i);
      }
    } catch (err) {
      // Text alone (a quiet-hours summary, a correction) in a chat that takes no text: this message
      // cannot go, but the chat's alerts with their chart can, so it is refused alone. Its photo
      // refused too, then its text: nothing can go, and the chat stops (#classify: rights).
      const result: SendResult =
        d.chart === undefined && textRefused(err) ? { kind: 'refused', reason: (err as GrammyError).description } : this.#classify(err);
      this.#o.log.debug('telegram send failed', { chatId: d.chatId, message: d.messageKey, result: result.kind, error: String(err) });
      return result;
    }
    return { kind: 'sent' };
  }

  /**
   * Whether a chat whose topic was found gone has turned topics off (no longer a forum: Telegram
   * answers a send into any of its old topics "message thread not found"), so the notice speaks of
   * the chat, not of a General topic it no longer has. Unknown (getChat failed): a forum still.
   */
  async #topicsOff(chatId: string): Promise<boolean> {
    try {
      const chat = await this.#o.api.getChat(chatId);
      return chat.type === 'supergroup' && chat.is_forum !== true;
    } catch (err) {
      this.#o.log.debug('telegram getChat failed: the topic notice speaks of General', { chatId, error: String(err) });
      return false;
    }
  }

  /**
   * The chat took the photo but refuses the text after it (CHAT_SEND_PLAIN_FORBIDDEN): the alert is
   * the photo, its caption (the first lines, cut without a mark) fitted to say '…' where it ends,
   * and the chat stays subscribed. A photo sent by an earlier try (a resume) is left as it went.
   */
  async #photoAlone(d: Delivery, photoId: number | undefined): Promise<SendResult> {
    this.#noText.note(d.chatId);
    this.#o.log.info('telegram chat takes photos but no text: the alert goes as the photo alone', { chatId: d.chatId, message: d.messageKey });
    if (photoId === undefined) return { kind: 'sent' };
    try {
      await this.#o.api.editMessageCaption(d.chatId, photoId, { caption: fittedCaption(messageReply(d.message)), parse_mode: 'HTML' });
    } catch (err) {
      // The photo is out: a caption left as it went is no reason to send it again.
      this.#o.log.warn('could not fit the caption of a photo sent to a chat that takes no text', { chatId: d.chatId, error: String(err) });
    }
    return { kind: 'sent' };
  }

  async #sendPart(d: Delivery, parts: readonly string[], i: number, thread: number | undefined, photo: { id?: number | undefined }): Promise<void> {
    let html = parts[i] ?? '';
    const topic = thread !== undefined ? { message_thread_id: thread } : {};
    let tell = false;
    if (i === 0 && d.chart !== undefined) {
      try {
        photo.id = await this.#sendPhoto(d.chatId, d.messageKey, d.chart, html, topic);
        return;
      } catch (err) {
        // A chat that takes no photos still gets the alert: its text, and once, a line saying why there is no chart.
        if (!photosRefused(err)) throw err;
        this.#o.log.info('telegram chat takes no photos: the alert goes as text', { chatId: d.chatId, error: (err as GrammyError).description });
        tell = !(await this.#noPhotosTold(d.chatId));
        if (tell) html = `${html}\n\n<i>${escapeHtml(t(d.lang, placeKey('telegram.noPhotos', await this.chartPlace(d.chatId))))}</i>`;
      }
    }
    await this.#o.api.sendMessage(d.chatId, html, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...topic, ...this.#paid() });
    if (tell) await this.#noPhotosTell(d.chatId);
  }

  /** Whether the chat was told it gets no charts; a store that cannot say is read as not told (said again, never lost). */
  async #noPhotosTold(chatId: string): Promise<boolean> {
    try {
      return (await this.#o.noPhotos?.told(chatId, this.#now())) ?? false;
    } catch (e) {
      this.#o.log.warn('could not read whether the chat was told it gets no charts', { chatId, error: String(e) });
      return false;
    }
  }

  /** Notes the chat was told; the message is out already, so a failure here is logged, never a failed send (sent twice). */
  async #noPhotosTell(chatId: string): Promise<void> {
    try {
      await this.#o.noPhotos?.tell(chatId, this.#now());
    } catch (e) {
      this.#o.log.warn('could not note that the chat was told it gets no charts', { chatId, error: String(e) });
    }
  }

  /** Uploads done so far (the benchmark and tests read it). */
  get uploads(): number {
    return this.#files.uploads;
  }

  /** The photo: uploaded for the first chat of a message, by file_id for every other. Answers its message_id. */
  async #sendPhoto(chatId: string, messageKey: string, chart: ChartFile, caption: string, topic: { message_thread_id?: number }): Promise<number | undefined> {
    const other = { caption, parse_mode: 'HTML' as const, ...topic, ...this.#paid() };
    let id: number | undefined;
    await this.#files.send(
      messageKey,
      chart,
      async () => {
        const sent = await this.#o.api.sendPhoto(chatId, new InputFile(chart.png, chart.filename), other);
        id = sent.message_id;
        // The largest size comes last; its file_id resends the original upload.
        return sent.photo.at(-1)?.file_id;
      },
      async (fileId) => {
        id = (await this.#o.api.sendPhoto(chatId, fileId, other)).message_id;
      },
    );
    return id;
  }

  /** Telegram's answer as a SendResult; when to try again is the dispatcher's call. */
  #classify(err: unknown): SendResult {
    if (err instanceof GrammyError) {
      const p = err.parameters;
      if (err.error_code === 429) return { kind: 'retry', afterMs: (p.retry_after ?? 1) * 1000, reason: err.description, global: true };
      if (p.migrate_to_chat_id !== undefined) return { kind: 'moved', newChatId: String(p.migrate_to_chat_id) };
      if (
        err.error_code === 403 ||
        NO_RIGHT_TO_POST.test(err.description) ||
        // A closed topic of the chat's own was caught in #deliver: what reaches here was refused where it fell back to.
        GENERAL_CLOSED.test(err.description) ||
        CHAT_GONE.test(err.description)
      ) {
        return { kind: 'dead', cause: telegramStopCause(err.description), reason: err.description };
      }
      // Telegram's own failure, not this chat's: an outage, waited out (alerts/notifier.ts).
      if (err.error_code >= 500) return { kind: 'retry', reason: err.description, outage: true };
      // The bot's token refused (revoked in @BotFather while running: 401; the bot deleted: 404, as
      // getMe and getUpdates read it too): no chat's fault, and every send fails alike. Waited out
      // as an outage that pauses the platform's queue, so the messages keep for a day (not given up
      // after ten tries) and a line per chat is not logged.
      if (err.error_code === 401 || err.error_code === 404) {
        const what = err.error_code === 401 ? 'revoked' : 'revoked or the bot deleted';
        const refused = `the Telegram token was refused (${err.error_code} ${err.description}): ${what} in @BotFather? Set TELEGRAM_BOT_TOKEN and restart goldratio`;
        if (this.#tokenRefused !== refused) {
          this.#tokenRefused = refused;
          this.#o.tokenBell?.ring();
        }
        return { kind: 'retry', reason: refused, outage: true, global: true };
      }
      // Any other 400 is our bug (a bad request stays bad): retry (the backoff makes it late), loudly, rather than drop the chat.
      this.#o.log.error('telegram refused a message', { error: err.description, method: err.method });
      return { kind: 'retry', reason: err.description };
    }
    // No answer (the network, a timeout): an outage.
    if (err instanceof HttpError) return { kind: 'retry', reason: `${err.message} (${httpErrorWhy(err)})`, outage: true };
    throw err;
  }

  #paid(): { allow_paid_broadcast?: true } {
    return this.#o.paidBroadcast ? { allow_paid_broadcast: true } : {};
  }

  /**
   * Reserves `count` sends in the group's minute and returns 0, or returns the ms to wait until they
   * fit. Reserving before sending (not counting after) keeps concurrent sends within the limit.
   */
  #reserveGroup(chatId: string, count: number): number {
    if (!chatId.startsWith('-')) return 0;
    const now = this.#now();
    const recent = (this.#groupSends.get(chatId) ?? []).filter((t) => t > now - GROUP_WINDOW_MS);
    if (recent.length === 0) this.#groupSends.delete(chatId);
    else this.#groupSends.set(chatId, recent);
    const over = recent.length + Math.min(count, this.#o.groupPerMinute) - this.#o.groupPerMinute;
    if (over > 0) return Math.max(1, (recent[over - 1] ?? now) + GROUP_WINDOW_MS - now);
    for (let i = 0; i < count; i++) recent.push(now);
    this.#groupSends.set(chatId, recent);
    return 0;
  }
}
