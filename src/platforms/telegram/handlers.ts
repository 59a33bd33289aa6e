/**
 * Telegram updates → platform-neutral chat answers → rendered messages. Translation only: what a
 * command does, who may do it, and whether the answer is a message, an edit or a notice is
 * decided in src/chat/ (answer.ts); this file builds the ChatContext and renders the answer
 * (photo with caption when there is a chart, text split by chat/split.ts).
 */
import { GrammyError, InputFile, type Bot, type Context } from 'grammy';
import type { Chat, ChatMember, InputMediaPhoto, Message } from 'grammy/types';
import { memoryEditLedger, type EditLedger } from './edit-ledger.ts';
import type { ClaimedNote } from '../../store/told-note.ts';
import {
  answerButton,
  answerCommand,
  answerText,
  chatMoved,
  chatRemoved,
  floodGate,
  floodStill,
  mayPostAgain,
  unknownCommand,
  withChart,
  type Answer,
} from '../../chat/answer.ts';
import { commandsOn, chatLang, findCommand, type ChatCommand, type ChatContext, type ChatDeps } from '../../chat/registry.ts';
import { reply, type Reply } from '../../chat/reply.ts';
import { echo, isNowWord } from '../../chat/parse.ts';
import { commandAtStart, commandWords } from '../../chat/command-words.ts';
import { withChatLang } from '../../chat/context.ts';
import type { ChartRenderer } from '../../domain/chart-request.ts';
import { langFromCode, t, type Lang } from '../../domain/i18n/index.ts';
import { platformText } from '../../chat/replies.ts';
import type { Logger } from '../../log.ts';
import { pressedData, renderReply } from './render.ts';
import type { CommandOutcome, Metrics } from '../../ops/metrics.ts';
import type { FloodLimiter } from '../../chat/flood-limit.ts';
import { escapeHtml } from './html.ts';
import { ChartFileCache } from './chart-files.ts';
import { photosRefused, staleFileId, telegramStopCause, threadGone } from './notifier.ts';
import { stopCause, stopHadAlerts } from '../../domain/stop-cause.ts';
import { isDiskFull } from '../../store/busy.ts';
import { topicsOffKey } from './topic-notice.ts';

export type { ChartRenderer } from '../../domain/chart-request.ts';

export interface HandlerDeps {
  readonly chat: ChatDeps;
  readonly charts: ChartRenderer;
  readonly log: Logger;
  readonly now?: () => number;
  readonly metrics?: Pick<Metrics, 'command' | 'floodDropped'>;
  /** Per-user flood limit on commands and button presses (src/chat/flood-limit.ts). */
  readonly flood?: FloodLimiter;
  /** Shared with the inline answers (inline.ts), which offer a chart sent here as a cached photo. */
  readonly files?: ChartFileCache;
  /** Which settings commands an edit may still apply (edit-ledger.ts); in memory without one. */
  readonly edits?: EditLedger;
  /** Whether a stopped chat was told lately that the bot may post again (no-photos-note.ts metaRightsBackNote); in memory without one. */
  readonly rightsBack?: ClaimedNote;
}

/** Telegram's anonymous group admin and channel posts carry the chat itself as sender. */
function senderIsChat(msg: Message | undefined, chat: Chat): boolean {
  return msg?.sender_chat?.id === chat.id;
}

/** The forum topic a message was sent in (not General, which has no thread id on its messages). */
/** How long after sending a command an edit of it is answered (Telegram's edit_date - date). */
export const EDIT_WINDOW_S = 15 * 60;

/** Whether a command's `@name` is this bot's (Telegram's usernames are case-insensitive). */
const isThisBot = (ctx: Context, name: string): boolean => name.toLowerCase() === ctx.me.username.toLowerCase();

const topicOf = (msg: Message | undefined): number | undefined => (msg?.is_topic_message === true ? msg.message_thread_id : undefined);

/**
 * The language a message's buttons carry (render.ts callbackData): the one it is written in, in a
 * group or channel, where anyone may press them; none in a private chat (or one of unknown type, a
 * private answer), whose presser is its reader.
 */
const keptLang = (chat: Partial<Pick<Chat, 'type'>>, lang: Lang): Lang | undefined => (chat.type === undefined || chat.type === 'private' ? undefined : lang);

const chatTypeOf = (chat: Pick<Chat, 'type'>): ChatContext['chatType'] => (chat.type === 'private' ? 'private' : chat.type === 'channel' ? 'channel' : 'group');

function chatContext(ctx: Context, d: HandlerDeps, chat: Chat, msg: Message | undefined): ChatContext {
  const from = ctx.from;
  return {
    platform: 'telegram',
    chatId: String(chat.id),
    chatType: chatTypeOf(chat),
    userLanguageCode: from?.language_code,
    isAdmin: async () => {
      if (chat.type === 'private') return true;
      // A channel post, or an anonymous group admin, speaks as the chat itself: only admins can.
      // (A button under a channel post can be pressed by any reader: that one is checked below.)
      if (senderIsChat(msg, chat)) return true;
      if (from === undefined) return false;
      const member = await ctx.api.getChatMember(chat.id, from.id);
      return member.status === 'creator' || member.status === 'administrator';
    },
    mayPost: () => botMayPost(ctx, chat),
    nowMs: (d.now ?? Date.now)(),
    // A member posting as their channel (sender_chat another chat than this one): Telegram hides who they are.
    ...(msg?.sender_chat !== undefined && !senderIsChat(msg, chat) ? { sentAsChat: msg.sender_chat.title ?? String(msg.sender_chat.id) } : {}),
  };
}

/**
 * Whether the bot may post in `chat` now, as the Bot API tells it: its own membership (postRank), and
 * for a plain member of a group, the permissions the group gives its members (getChat). A chat that
 * refuses to answer about it (the bot kicked, the chat gone) is one it may not post in.
 */
export async function botMayPost(ctx: Pick<Context, 'api' | 'me'>, chat: Pick<Chat, 'id' | 'type'>): Promise<boolean> {
  if (chat.type === 'private') return true;
  try {
    const me = await ctx.api.getChatMember(chat.id, ctx.me.id);
    const rank = postRank(me, chat.type);
    // A restricted bot's own can_send_messages was read by postRank; an admin posts whatever members may.
    if (rank !== 1 || me.status === 'restricted') return rank > 0;
    const full = await ctx.api.getChat(chat.id);
    return full.permissions?.can_send_messages !== false;
  } catch (e) {
    if (e instanceof GrammyError && (e.error_code === 400 || e.error_code === 403)) return false;
    throw e;
  }
}

/** A reply's chart: its file_id when Telegram has it, else its file; `file()` makes the file. */
interface Photo {
  readonly media: InputFile | string;
  readonly key: string;
  readonly file: () => InputFile;
}

/**
 * How far the bot may post in a chat, by its membership: 0 not at all (left, kicked, restricted from
 * sending, a channel's member or an admin without Post Messages), 1 as a member (a group's
 * permissions may still forbid it), 2 as an admin. A rise is a right given back.
 */
export function postRank(m: ChatMember, type: Chat['type']): number {
  if (m.status === 'creator') return 2;
  if (type === 'channel') return m.status === 'administrator' && m.can_post_messages === true ? 2 : 0;
  if (m.status === 'administrator') return 2;
  if (m.status === 'member') return 1;
  return m.status === 'restricted' && m.is_member && m.can_send_messages ? 1 : 0;
}

/** The note kept in this process alone, for a bot wired without the database's meta. */
function memoryToldNote(): ClaimedNote {
  const told = new Set<string>();
  return {
    told: async (chatId) => told.has(chatId),
    tell: async (chatId) => void told.add(chatId),
    claim: async (chatId) => {
      if (told.has(chatId)) return undefined;
      told.add(chatId);
      return async () => void told.delete(chatId);
    },
  };
}

/** What the bot's start uses of the handlers: telling a stopped chat the bot may post there again (rights-scan.ts). */
export interface Handlers {
  /**
   * `cc`'s chat, stopped without asking, is told that the bot may post there again, why its alerts
   * stopped and that Subscribe starts them again (chat/answer.ts mayPostAgain), in its alerts'
   * topic (General when that topic closed meanwhile), at most once a day (d.rightsBack). Whether it
   * was told; a refusal is one info line.
   */
  tellMayPostAgain(ctx: Pick<Context, 'api'>, cc: ChatContext): Promise<boolean>;
  /** Stops the timers that tell a flooder, once their window ends, how many commands were not run. */
  close(): void;
}

export function registerHandlers(bot: Bot, d: HandlerDeps): Handlers {
  const rightsBack = d.rightsBack ?? memoryToldNote();
  const ledger = d.edits ?? memoryEditLedger();
  // The ledger unwritable (the database busy or away) never stops a command: every failure leaves an
  // edit unapplied, the safe side (a message it has no note of, or one noted as applied).
  const edits = {
    claimEdit: (chatId: number, messageId: number, sentAtS: number) =>
      ledger.claimEdit(chatId, messageId, sentAtS).catch((err: unknown) => {
        d.log.warn('edit ledger: could not read; the edit is not applied', { error: String(err) });
        return false;
      }),
    note: (write: Promise<void>) =>
      write.catch((err: unknown) => {
        // A full disk is said once, with the file, where a write first met it (store/file-identity.ts): not again per command.
        if (!isDiskFull(err)) d.log.warn('edit ledger: could not write; an edit of this command will not apply', { error: String(err) });
      }),
  };
  const files = d.files ?? new ChartFileCache();

  // A channel's post copied by Telegram into the channel's discussion group (is_automatic_forward)
  // was typed in the channel, where it is answered: answering the copy too would post every card
  // twice, and run a settings command in a group nobody there typed it in. Its edits likewise.
  bot.use(async (ctx, next) => {
    if (ctx.msg?.is_automatic_forward === true) return;
    await next();
  });

  // A user going too fast is told once; the rest of their commands are dropped. Others are not slowed.
  const flood = d.flood;
  if (flood !== undefined) {
    bot.use(async (ctx, next) => {
      const from = ctx.from;
      // Commands, presses, and in a private chat any text (it is answered too).
      const answered =
        ctx.callbackQuery !== undefined || ctx.msg?.text?.startsWith('/') === true || (ctx.chat?.type === 'private' && ctx.msg?.text !== undefined);
      if (!answered || from === undefined || ctx.msg?.sender_chat !== undefined) return next();
      const chatId = ctx.chat?.id;
      const gate = await floodGate(d.chat, flood, {
        platform: 'telegram',
        userId: String(from.id),
        chatId: chatId !== undefined ? String(chatId) : undefined,
        userLanguageCode: from.language_code,
      });
      if (gate.run) return next();
      d.metrics?.floodDropped('telegram');
      const text = gate.notice;
      if (ctx.callbackQuery === undefined && chatId !== undefined)
        notRun(`telegram:${from.id}`, chatId, topicOf(ctx.msg), gate.lang ?? langFromCode(from.language_code, d.chat.config.defaultLang), text === undefined);
      if (text === undefined) {
        // A press dropped: answering it is free (no message in the chat, no send against its limits) and ends its spinner.
        if (ctx.callbackQuery !== undefined)
          await ctx.answerCallbackQuery({
            text: floodStill(d.chat, flood, { platform: 'telegram', userId: String(from.id), userLanguageCode: from.language_code }),
          });
        return;
      }
      if (ctx.callbackQuery !== undefined) await ctx.answerCallbackQuery({ text, show_alert: true });
      else if (chatId !== undefined) {
        const thread = topicOf(ctx.msg);
        try {
          await ctx.api.sendMessage(chatId, escapeHtml(text), {
            parse_mode: 'HTML',
            ...(ctx.msg ? { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } } : {}),
            // In the forum topic the commands came from, where the user reads.
            ...(thread !== undefined ? { message_thread_id: thread } : {}),
          });
        } catch (err) {
          // That topic closed to the bot (or deleted): to General, where its command answers go now
          // (send), saying why, quoting nothing (a reply follows its message into the topic). General
          // closed too: bot.catch says so in one info line.
          if (thread === undefined || !threadGone(err)) throw err;
          d.log.info('telegram topic closed to the bot: the flood notice goes to General', { chatId, thread, error: (err as GrammyError).description });
          const general = t(gate.lang ?? d.chat.config.defaultLang, 'telegram.answerInGeneral');
          await ctx.api.sendMessage(chatId, `${escapeHtml(text)}\n<i>${escapeHtml(general)}</i>`, { parse_mode: 'HTML' });
        }
      }
    });
  }

  /**
   * Commands not run while a user was too fast, per user: the notice says those sent until the wait
   * ends are ignored, and each answer on Telegram is a send against the chat's limits, so they get
   * none; once the user's window ends, one line says how many were not run, to send again (only
   * when some came after the notice: the notice alone says all there is). In the chat and topic of the last one.
   */
  interface NotRun {
    chatId: number;
    thread: number | undefined;
    readonly lang: Lang;
    count: number;
    afterNotice: boolean;
    timer?: NodeJS.Timeout;
  }
  const notRunYet = new Map<string, NotRun>();
  function notRun(key: string, chatId: number, thread: number | undefined, lang: Lang, afterNotice: boolean): void {
    const e = notRunYet.get(key) ?? { chatId, thread, lang, count: 0, afterNotice: false };
    e.chatId = chatId;
    e.thread = thread;
    e.count += 1;
    e.afterNotice ||= afterNotice;
    notRunYet.set(key, e);
    if (e.timer === undefined) settleLater(key);
  }
  function settleLater(key: string): void {
    const e = notRunYet.get(key);
    if (e === undefined || flood === undefined) return;
    e.timer = setTimeout(() => void settle(key), Math.max(50, flood.msUntilFree(key)));
    e.timer.unref();
  }
  async function settle(key: string): Promise<void> {
    const e = notRunYet.get(key);
    if (e === undefined || flood === undefined) return;
    // Commands dropped meanwhile pushed the window on: the user is not free yet.
    if (flood.msUntilFree(key) > 0) return settleLater(key);
    notRunYet.delete(key);
    if (!e.afterNotice) return;
    try {
      await bot.api.sendMessage(e.chatId, escapeHtml(t(e.lang, 'flood.dropped', { count: e.count })), {
        parse_mode: 'HTML',
        ...(e.thread !== undefined ? { message_thread_id: e.thread } : {}),
      });
    } catch (err) {
      d.log.info('telegram: the line on commands not run while too fast was not sent', { chatId: e.chatId, error: String(err) });
    }
  }

  /** The reply's chart as an InputFile (first time) or a file_id (seen before); a chart that cannot be drawn is a note in the reply. */
  async function chartOf(r: Reply, lang: Lang): Promise<{ reply: Reply; photo: Photo | undefined }> {
    const { reply, chart } = await withChart(d.charts, r, lang, d.chat.config.chartTheme);
    if (chart === undefined) return { reply, photo: undefined };
    const file = () => new InputFile(chart.png, chart.filename);
    return { reply, photo: { media: (await files.get(chart.key)) ?? file(), key: chart.key, file } };
  }

  /**
   * `put` with the photo's file_id, or its file; a file_id Telegram refuses (another bot's: the
   * database was moved to a new token's bot) is forgotten and the file sent instead, once.
   */
  async function withPhoto<T>(photo: Photo, put: (media: InputFile | string) => Promise<T>): Promise<T> {
    const { media } = photo;
    try {
      return await put(media);
    } catch (err) {
      if (typeof media !== 'string' || !staleFileId(err)) throw err;
      await files.forget(photo.key, media);
      return put(photo.file());
    }
  }

  /**
   * `replyTo`: in a group, answer as a reply to the command so the asker sees which one; `thread`: the
   * forum topic it came from. That topic closed to the bot (or deleted) before the answer: the answer
   * goes to General, saying why, not quoting the command (a reply follows its message into the topic),
   * rather than nowhere with an error logged; only when nothing of it went out yet, never half in each.
   */
  async function send(
    ctx: Context,
    chat: Chat,
    r: Reply,
    lang: Lang,
    replyTo?: number,
    thread?: number,
    inGeneral?: (lines: Reply['lines']) => Promise<Reply['lines']>,
  ): Promise<void> {
    const out = { sent: false };
    try {
      await sendIn(ctx, chat, r, lang, out, replyTo, thread);
    } catch (err) {
      if (thread === undefined || out.sent || !threadGone(err)) throw err;
      d.log.info('telegram topic closed to the bot: the command is answered in General', { chatId: chat.id, thread, error: (err as GrammyError).description });
      const lines = (await inGeneral?.(r.lines)) ?? r.lines;
      await sendIn(ctx, chat, { ...r, lines: [...lines, [{ italic: t(lang, 'telegram.answerInGeneral') }]] }, lang, out);
    }
  }

  /**
   * /subscribe (typed, or its button) in a topic closed to the bot: its answer went to General, and so
   * would every alert, after one refused try each time a process starts sending there. The alerts are
   * kept where they will go, General, and the answer says so in place of "alerts come to this topic".
   */
  const subscribedInGeneral =
    (chat: Chat, thread: number | undefined, lang: Lang) =>
    async (lines: Reply['lines']): Promise<Reply['lines']> => {
      const sub = await d.chat.subs.get('telegram', String(chat.id));
      if (thread === undefined || sub?.threadId !== thread) return lines;
      await d.chat.subs.upsert('telegram', String(chat.id), { threadId: null });
      const moved = t(lang, 'telegram.topicMoved.toTopic');
      const kept = lines.filter((l) => !(l.length === 1 && l[0] === moved));
      return [...kept.slice(0, 1), [t(lang, 'telegram.subscribedInGeneral')], ...kept.slice(1)];
    };

  /** One answer where it is asked; `out.sent` says whether any of it went out. */
  async function sendIn(
    ctx: Pick<Context, 'api'>,
    chat: Pick<Chat, 'id'> & Partial<Pick<Chat, 'type'>>,
    r: Reply,
    lang: Lang,
    out: { sent: boolean },
    replyTo?: number,
    thread?: number,
  ): Promise<void> {
    const quote = {
      ...(replyTo !== undefined ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
      ...(thread !== undefined ? { message_thread_id: thread } : {}),
    };
    const { reply: shown, photo } = await chartOf(r, lang);
    const rendered = renderReply(shown, photo !== undefined, keptLang(chat, lang));
    if (photo !== undefined) {
      // The keyboard rides on the photo: its buttons edit the chart.
      let sent: Message.PhotoMessage;
      try {
        sent = await withPhoto(photo, (media) =>
          ctx.api.sendPhoto(chat.id, media, {
            ...quote,
            ...(rendered.caption !== undefined ? { caption: rendered.caption, parse_mode: 'HTML' as const } : {}),
            ...(rendered.keyboard !== undefined ? { reply_markup: rendered.keyboard } : {}),
          }),
        );
      } catch (err) {
        // A group that takes no photos from members: the answer as text, saying why there is no chart.
        if (!photosRefused(err)) throw err;
        const { chart: _, ...text } = r;
        const note = platformText(
          lang,
          'telegram.noPhotos',
          chat.type === undefined ? 'telegram' : { platform: 'telegram', chatType: chatTypeOf({ type: chat.type }) },
        );
        return sendIn(ctx, chat, { ...text, lines: [...text.lines, [{ italic: note }]] }, lang, out, replyTo, thread);
      }
      out.sent = true;
      files.set(photo.key, sent.photo.at(-1)?.file_id);
    }
    for (const [i, html] of rendered.messages.entries()) {
      const last = i === rendered.messages.length - 1;
      await ctx.api.sendMessage(chat.id, html, {
        ...(i === 0 && photo === undefined ? quote : thread !== undefined ? { message_thread_id: thread } : {}),
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        ...(photo === undefined && last && rendered.keyboard !== undefined ? { reply_markup: rendered.keyboard } : {}),
      });
      out.sent = true;
    }
  }

  /** Replaces the pressed message with the new reply; "message is not modified" is fine. */
  async function edit(ctx: Context, chat: Chat, message: Message, r: Reply, lang: Lang): Promise<void> {
    const { reply: shown, photo } = await chartOf(r, lang);
    const out = renderReply(shown, photo !== undefined, keptLang(chat, lang));
    const markup = out.keyboard !== undefined ? { reply_markup: out.keyboard } : {};
    try {
      if (photo !== undefined && message.photo !== undefined) {
        const edited = await withPhoto(photo, (media) => {
          const input: InputMediaPhoto = {
            type: 'photo',
            media,
            ...(out.caption !== undefined ? { caption: out.caption, parse_mode: 'HTML' } : {}),
          };
          return ctx.api.editMessageMedia(chat.id, message.message_id, input, markup);
        });
        if (typeof edited !== 'boolean') files.set(photo.key, edited.photo?.at(-1)?.file_id);
      } else if (photo === undefined && message.photo === undefined && out.messages.length === 1) {
        await ctx.api.editMessageText(chat.id, message.message_id, out.messages[0] ?? '', {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          ...markup,
        });
      } else if (photo === undefined && message.photo !== undefined && r.chart === undefined && out.messages.length === 1) {
        await ctx.api.editMessageCaption(chat.id, message.message_id, { caption: out.messages[0] ?? '', parse_mode: 'HTML', ...markup });
      } else {
        // Text can't become a photo (nor a too-long caption fit): answer with a new message.
        await send(ctx, chat, r, lang);
      }
    } catch (err) {
      if (err instanceof GrammyError && /message is not modified/i.test(err.description)) return;
      throw err;
    }
  }

  /**
   * /subscribe, typed or its button pressed, inside a forum topic sends the chat's alerts there; in
   * General (or a chat without topics), to the chat. A move is said, with the way back: "already
   * subscribed" alone hid that the alerts left their topic.
   */
  async function subscribedIn(cc: ChatContext, chat: Chat, thread: number | undefined, answer: Answer): Promise<Answer> {
    if (answer.kind !== 'message' || answer.reply.status !== 'ok' || chat.type !== 'supergroup') return answer;
    const row = await d.chat.subs.get('telegram', String(chat.id));
    const before = row?.threadId ?? null;
    await d.chat.subs.upsert('telegram', String(chat.id), { threadId: thread ?? null });
    if (before === (thread ?? null)) return answer;
    // A group that turned topics off has no General: its alerts (and digest, if it has one) come to the chat, and the note says why.
    const gets = row?.digestTime != null ? 'both' : 'alerts';
    const key = thread !== undefined ? 'telegram.topicMoved.toTopic' : chat.is_forum === true ? 'telegram.topicMoved.toGeneral' : topicsOffKey(gets);
    const note = t(await chatLang(d.chat, cc), key);
    const lines = answer.reply.lines;
    return { ...answer, reply: { ...answer.reply, lines: [...lines.slice(0, 1), [note], ...lines.slice(1)] } };
  }

  /**
   * /mylevels read in a forum topic (or General) the chat's alerts do not go to: a line saying where
   * they go, as /digest's note does, since nothing else in the listing tells a reader of this topic.
   */
  async function alertsElsewhere(cc: ChatContext, chat: Chat, thread: number | undefined, answer: Answer): Promise<Answer> {
    if (answer.kind !== 'message' || answer.reply.status !== 'ok') return answer;
    const sub = await d.chat.subs.get('telegram', String(chat.id));
    if (sub?.active !== true || sub.threadId === (thread ?? null)) return answer;
    const note = t(await chatLang(d.chat, cc), sub.threadId === null ? 'telegram.alertsIn.general' : 'telegram.alertsIn.topic');
    return { ...answer, reply: { ...answer.reply, lines: [...answer.reply.lines, [note]] } };
  }

  /**
   * /quiet answered in a forum topic (or General) the chat's alerts do not go to, with hours set: the
   * summary of what they held comes where the alerts go, not here, so the answer says where, as
   * alertsElsewhere does for /mylevels and /move.
   */
  async function summaryElsewhere(cc: ChatContext, chat: Chat, thread: number | undefined, answer: Answer): Promise<Answer> {
    if (answer.kind !== 'message' || answer.reply.status !== 'ok') return answer;
    const sub = await d.chat.subs.get('telegram', String(chat.id));
    if (sub?.active !== true || sub.threadId === (thread ?? null) || (await d.chat.quiet?.window(sub.id)) === undefined) return answer;
    const note = t(await chatLang(d.chat, cc), sub.threadId === null ? 'telegram.quietSummaryIn.general' : 'telegram.quietSummaryIn.topic');
    return { ...answer, reply: { ...answer.reply, lines: [...answer.reply.lines, [note]] } };
  }

  /**
   * One command run and answered: for a message, a channel post, or a recent edit of one (below).
   * `edited`: an edit runs what only reads; a settings change it would make is made only when the
   * command as first sent changed nothing (refused: `/quiet 25:00-07:00` fixed to `/quiet
   * 23:00-07:00`), and once (edit-ledger.ts). Else (the command as first sent, or an earlier edit,
   * changed it already: /mute 1h edited to /mute 2h would mute twice) the answer says to send it anew.
   */
  async function runCommand(ctx: Context, command: ChatCommand, msg: Message, rest: string, edited = false): Promise<void> {
    // Counted whether it was answered or failed (bot.catch then apologises), as Discord counts it.
    const t0 = performance.now();
    let outcome: CommandOutcome = 'failed';
    try {
      await handleCommand(ctx, command, msg, rest, edited);
      outcome = 'ok';
    } finally {
      d.metrics?.command('telegram', command.name, (performance.now() - t0) / 1000, outcome);
    }
  }

  async function handleCommand(ctx: Context, command: ChatCommand, msg: Message, rest: string, edited: boolean): Promise<void> {
    const chat = msg.chat;
    const cc = await withChatLang(d.chat, chatContext(ctx, d, chat, msg));
    // This bot named as a word (`/ratio @goldratio_bot`, addressed with a space in a group) is no argument.
    const me = `@${ctx.me.username.toLowerCase()}`;
    // A comma glued to the command (`/ratio,spx`: bot.command hands over `,spx`) parts it as a space does.
    const words = commandWords(rest).filter((a) => a.toLowerCase() !== me);
    const thread = topicOf(msg);
    const inGroup = chat.type === 'group' || chat.type === 'supergroup';
    // A settings command that only reads as typed (`/move` listing, `/digest now` previewing) sets nothing.
    const preview = command.name === 'digest' && words.length === 1 && isNowWord(words[0]);
    const sets = command.changesSettings && !(command.readsWithoutArgs === true && words.length === 0) && !preview;
    if (sets && edited && !(await edits.claimEdit(chat.id, msg.message_id, msg.date))) {
      const lang = await chatLang(d.chat, cc);
      const typed = echo([`/${command.name}`, ...words].join(' '));
      await send(ctx, chat, reply([[t(lang, 'telegram.editNotApplied', { command: typed })]]), lang, inGroup ? msg.message_id : undefined, thread);
      return;
    }
    // A settings command forwarded into a group or channel (an admin sharing what someone typed, maybe in
    // another chat) is a quote, not an order: not applied, said so. In a private chat forwarding to the bot is asking it.
    if (sets && chat.type !== 'private' && msg.forward_origin !== undefined) {
      const lang = await chatLang(d.chat, cc);
      const typed = echo([`/${command.name}`, ...words].join(' '));
      await send(ctx, chat, reply([[t(lang, 'telegram.forwardNotApplied', { command: typed })]]), lang, inGroup ? msg.message_id : undefined, thread);
      return;
    }
    // Counted as applied while it runs: an edit arriving meanwhile is not applied beside it.
    if (sets && !edited) await edits.note(ledger.begin(chat.id, msg.message_id, msg.date, cc.nowMs));
    // Such a command read changed nothing: an edit of it into a change (`/move` fixed to `/move spx 10 20`)
    // applies, as an edit of a refused one does, where it was told the first had changed something.
    if (command.changesSettings && !sets && !edited) await edits.note(ledger.settle(chat.id, msg.message_id, msg.date, false));
    // Where a forum's alerts went before an /unsubscribe: sent in another topic, it still stops the whole group's.
    const forumUnsub = command.name === 'unsubscribe' && chat.type === 'supergroup' && chat.is_forum === true;
    const alertsBefore = forumUnsub ? await d.chat.subs.get('telegram', String(chat.id)) : undefined;
    let answer = await answerCommand(d.chat, cc, command, { words });
    // Refused (or dropped by the flood gate): it changed nothing, so an edit of the message may fix it.
    if (sets) await edits.note(ledger.settle(chat.id, msg.message_id, msg.date, answer.kind === 'message' && answer.reply.status === 'ok'));
    // The digest goes where the chat's messages go: where /subscribe was sent, or for a chat with
    // a digest alone, where /digest set it last (asked for in a topic, it comes to that topic).
    // Only a /digest that set one (not /digest alone, which shows it, nor /digest off). A chat whose
    // alerts a platform stop holds has alerts still (/subscribe brings them back): their topic is
    // kept, as an active chat's is, and the digest waits for /subscribe, which moves both where it is sent.
    if (chat.type === 'supergroup' && command.name === 'digest' && words.length > 0 && answer.kind === 'message' && answer.reply.status === 'ok') {
      const after = await d.chat.subs.get('telegram', String(chat.id));
      const hasAlerts = after !== undefined && (after.active || (stopCause(after.deactivatedReason) !== undefined && stopHadAlerts(after.stopHad)));
      if (after?.digestTime != null && after.threadId !== (thread ?? null)) {
        // A topic kept from before the group turned topics off is no place to send to: the alerts and the digest come to the chat.
        if (hasAlerts && chat.is_forum !== true) {
          await d.chat.subs.upsert('telegram', String(chat.id), { threadId: null });
          answer = { ...answer, reply: { ...answer.reply, lines: [...answer.reply.lines, [t(await chatLang(d.chat, cc), topicsOffKey('both'))]] } };
        } else if (!hasAlerts) await d.chat.subs.upsert('telegram', String(chat.id), { threadId: thread ?? null });
        else {
          const note = t(await chatLang(d.chat, cc), after.threadId === null ? 'telegram.digestWith.general' : 'telegram.digestWith.topic');
          answer = { ...answer, reply: { ...answer.reply, lines: [...answer.reply.lines, [note]] } };
        }
      }
    }
    if (command.name === 'subscribe') answer = await subscribedIn(cc, chat, thread, answer);
    // A full /unsubscribe in a forum keeps the digest where it went, which may be another topic than
    // this one (or General): said, since "still comes" read here speaks of here.
    if (forumUnsub && answer.kind === 'message' && answer.reply.status === 'ok') {
      const after = await d.chat.subs.get('telegram', String(chat.id));
      // The group has one subscription, so /unsubscribe sent in a topic its alerts did not go to stops
      // them all, as a group admin means by it (asking back would leave them on meanwhile): "no more
      // alerts here" would read as this topic's alone, so the answer says whose and where they went.
      if (alertsBefore?.active === true && after?.active === false && alertsBefore.threadId !== (thread ?? null)) {
        const key = alertsBefore.threadId === null ? 'telegram.unsubElsewhere.general' : 'telegram.unsubElsewhere.topic';
        answer = { ...answer, reply: { ...answer.reply, lines: [[t(await chatLang(d.chat, cc), key)], ...answer.reply.lines.slice(1)] } };
      }
      if (after !== undefined && !after.active && after.digestTime != null && after.threadId !== (thread ?? null)) {
        const key = after.threadId === null ? 'telegram.digestIn.general' : 'telegram.digestIn.topic';
        const note = t(await chatLang(d.chat, cc), key, { time: after.digestTime });
        answer = { ...answer, reply: { ...answer.reply, lines: [...answer.reply.lines, [note]] } };
      }
    }
    // The settings listed (or what /unsubscribe of a pair or level left, or a /move added or listed: its
    // alerts go with the others) in a forum topic other than the one the alerts go to: where they go,
    // and how to have them here.
    if (
      ((command.name === 'mylevels' && words.length === 0) || command.name === 'unsubscribe' || command.name === 'move') &&
      chat.type === 'supergroup' &&
      chat.is_forum === true
    )
      answer = await alertsElsewhere(cc, chat, thread, answer);
    if (command.name === 'quiet' && chat.type === 'supergroup' && chat.is_forum === true) answer = await summaryElsewhere(cc, chat, thread, answer);
    // A command's answer is always a message here (`personal` has no Telegram form); in groups it quotes the command.
    if (answer.kind !== 'message') return;
    const lang = await chatLang(d.chat, cc);
    try {
      await send(
        ctx,
        chat,
        answer.reply,
        lang,
        inGroup ? msg.message_id : undefined,
        thread,
        command.name === 'subscribe' ? subscribedInGeneral(chat, thread, lang) : undefined,
      );
    } catch (err) {
      if (!(await answeredPrivately(ctx, chat, msg, answer, lang, err))) throw err;
    }
  }

  /**
   * A group or channel that refuses the bot's answer for want of rights (the bot restricted: what a
   * stopped chat's /subscribe is told, chat.noRights.*): an answer for the asker alone (a setting's,
   * a refusal) goes to them in their private chat with the bot, saying why, its buttons and chart left
   * out (a press there would act on that chat). Whether it went; false, and nothing sent, when it may
   * not go there (an answer for everyone, a channel's post, another refusal, a user who never started
   * the bot): the refusal then stands (bot.ts onUpdateError, one info line).
   */
  async function answeredPrivately(ctx: Context, chat: Chat, msg: Message, answer: Answer, lang: Lang, err: unknown): Promise<boolean> {
    const from = msg.from;
    if (chat.type === 'private' || answer.kind !== 'message' || !answer.personal || from === undefined || senderIsChat(msg, chat)) return false;
    if (!(err instanceof GrammyError) || (err.error_code !== 400 && err.error_code !== 403) || telegramStopCause(err.description) !== 'rights') return false;
    const { buttons: _buttons, chart: _chart, ...alone } = answer.reply;
    const title = chat.title;
    const told = { ...alone, lines: [[{ italic: t(lang, 'telegram.answeredPrivately', { chat: title }) }], ...alone.lines] };
    try {
      await sendIn(ctx, { id: from.id }, told, lang, { sent: false });
    } catch (e) {
      d.log.info('could not answer privately either', { chatId: chat.id, error: e instanceof GrammyError ? e.description : String(e) });
      return false;
    }
    d.log.info('command answer refused by the chat: answered the asker privately', { chatId: chat.id, error: err.description });
    return true;
  }
  // bot.command also matches `/name@botname` and channel posts. A Chinese IME's full-width ＠ after
  // the name (`/ratio＠goldratio_bot`) is no `@` to Telegram or grammY, which hand `＠goldratio_bot`
  // over as words: read as the `@` it is, this bot's name is left out and another bot's command left to it.
  for (const command of commandsOn('telegram'))
    bot.command(command.name, async (ctx) => {
      const named = ctx.match.startsWith('＠') ? commandAtStart(ctx.msg.text ?? ctx.msg.caption ?? '') : undefined;
      if (named?.bot !== undefined && !isThisBot(ctx, named.bot)) return;
      await runCommand(ctx, command, ctx.msg, named?.bot !== undefined ? named.rest : ctx.match);
    });

  /**
   * The command a text starts with whatever its case (`/Ratio`, `/RATIO`, `/Chart spx`: a phone
   * capitalises the first letter, and bot.command matches case-sensitively), with the words after
   * it, when it is this bot's to run as bot.command would: unaddressed, or addressed to this bot.
   */
  function anyCase(ctx: Context, text: string): { command: ChatCommand; rest: string } | undefined {
    const m = commandAtStart(text);
    if (m === undefined) return undefined;
    if (m.bot !== undefined && !isThisBot(ctx, m.bot)) return undefined;
    const command = commandsOn('telegram').find((c) => c.name === m.name.toLowerCase());
    return command === undefined ? undefined : { command, rest: m.rest };
  }
  bot.on('channel_post:text', async (ctx) => {
    const found = anyCase(ctx, ctx.channelPost.text);
    if (found !== undefined) await runCommand(ctx, found.command, ctx.channelPost, found.rest);
  });

  // The names a mistyped command is compared with, for "did you mean".
  const known = commandsOn('telegram').map((c) => c.name);
  // A command goldratio does not have, typed in a private chat or addressed to it by name in a
  // group: say so (unaddressed in a group it may be another bot's, and one addressed to another
  // bot by name is that bot's).
  bot.on('message:text', async (ctx) => {
    if (await commandText(ctx, ctx.msg, ctx.msg.text)) return;
    // Text that is no command, in a private chat (`spx`, `chart qqq 5y`, `訂閱`, `hello`): a
    // reading command it names runs, else what the bot answers. Not a card posted through this
    // bot's inline mode.
    if (ctx.chat.type !== 'private' || ctx.msg.via_bot !== undefined) return;
    const cc = await withChatLang(d.chat, chatContext(ctx, d, ctx.chat, ctx.msg));
    const answer = await answerText(d.chat, cc, ctx.msg.text, known);
    if (answer.kind === 'message') await send(ctx, ctx.chat, answer.reply, await chatLang(d.chat, cc));
  });

  // A command typed as a photo's caption (a screenshot with `/ratio`): bot.command reads text
  // only, so it is run here as the same text would be. A plain caption asks for nothing.
  bot.on('message:caption', async (ctx) => {
    await commandText(ctx, ctx.msg, ctx.msg.caption);
  });
  bot.on('channel_post:caption', async (ctx) => {
    const found = anyCase(ctx, ctx.channelPost.caption);
    if (found !== undefined) await runCommand(ctx, found.command, ctx.channelPost, found.rest);
  });

  /**
   * A text that starts as a command (a message's, or an edit's): this bot's run whatever its case,
   * one it does not have answered as unknown. False for a text that is no command.
   */
  async function commandText(ctx: Context, msg: Message, text: string, edited = false): Promise<boolean> {
    const m = commandAtStart(text);
    if (m === undefined) return false;
    const found = anyCase(ctx, text);
    if (found !== undefined) await runCommand(ctx, found.command, msg, found.rest, edited);
    else await unknown(ctx, msg, m.name, m.bot);
    return true;
  }

  /** A command goldratio does not have: answered in a private chat, or when addressed to it by name. */
  async function unknown(ctx: Context, msg: Message, name: string, botName: string | undefined): Promise<void> {
    const addressed = botName !== undefined && isThisBot(ctx, botName);
    if (botName !== undefined && !addressed) return;
    if (msg.chat.type !== 'private' && !addressed) return;
    const lang = await chatLang(d.chat, chatContext(ctx, d, msg.chat, msg));
    // In a group, as a command's answer: quoting it, in its topic.
    const inGroup = msg.chat.type !== 'private';
    await send(ctx, msg.chat, unknownCommand(lang, name, known), lang, inGroup ? msg.message_id : undefined, topicOf(msg));
  }

  // A command fixed by editing it (a typo, a wrong argument) is answered as if sent anew, within
  // EDIT_WINDOW_S of sending it: a command edited much later asks for nothing new. The same for a
  // message's text, a photo's caption and a channel post's (as each is answered when sent). Text
  // that is no command is not answered again; a settings change is not made (runCommand).
  bot.on(['edited_message', 'edited_channel_post'], async (ctx) => {
    const msg = ctx.editedMessage ?? ctx.editedChannelPost;
    const text = msg?.text ?? msg?.caption;
    if (msg === undefined || text === undefined || (msg.edit_date ?? msg.date) - msg.date > EDIT_WINDOW_S) return;
    if (msg.chat.type !== 'channel') {
      await commandText(ctx, msg, text, true);
      return;
    }
    // In a channel, as a post is: this bot's commands only, nothing said about another's.
    const found = anyCase(ctx, text);
    if (found !== undefined) await runCommand(ctx, found.command, msg, found.rest, true);
  });

  bot.on('callback_query:data', async (ctx) => {
    const message = ctx.callbackQuery.message;
    if (message === undefined) {
      await ctx.answerCallbackQuery();
      return;
    }
    const chat = message.chat;
    // The press answers in the language its message was written in, which its buttons carry (render.ts
    // callbackData): in a group another member's own language would rewrite it for everyone. Older
    // buttons: the chat's language, never the presser's outside a private chat (there the presser is the reader).
    const { action, lang: written } = pressedData(ctx.callbackQuery.data);
    const pressed = chatContext(ctx, d, chat, undefined);
    const lang = written ?? (await chatLang(d.chat, chat.type === 'private' ? pressed : { ...pressed, userLanguageCode: undefined }));
    const cc: ChatContext = { ...pressed, lang };
    const thread = 'message_id' in message ? topicOf(message as Message) : undefined;
    let answer: Answer = await answerButton(d.chat, cc, action);
    // Subscribe pressed under a message in a topic (/start's welcome there): the alerts go to that topic, as /subscribe typed there sends them.
    if (action === 'cmd:subscribe') answer = await subscribedIn(cc, chat, thread, answer);
    if (answer.kind === 'notice') {
      await ctx.answerCallbackQuery({ text: answer.text, show_alert: answer.alert });
      return;
    }
    await ctx.answerCallbackQuery();
    // An inaccessible message (date 0) cannot be edited: answer with a new one.
    if (answer.kind === 'edit' && 'message_id' in message && message.date !== 0) await edit(ctx, chat, message as Message, answer.reply, lang);
    else await send(ctx, chat, answer.reply, lang, undefined, thread, action === 'cmd:subscribe' ? subscribedInGeneral(chat, thread, lang) : undefined);
  });

  // A group that became a supergroup keeps its subscription under the new id.
  bot.on('message:migrate_to_chat_id', async (ctx) => {
    await chatMoved(d.chat, 'telegram', String(ctx.chat.id), String(ctx.msg.migrate_to_chat_id));
  });

  // Removed from a group or blocked in private ('kicked' there): stop sending there at once. Added to a group: say
  // once what the bot does and how to subscribe (/start's answer, in the language of whoever added
  // it), since nobody there has typed a command yet. Never in a channel: every reader would see it.
  const start = findCommand('start');
  bot.on('my_chat_member', async (ctx) => {
    const { old_chat_member: was, new_chat_member: now } = ctx.myChatMember;
    if (now.status === 'kicked' || now.status === 'left') {
      const cause = ctx.chat.type === 'private' ? 'blocked' : 'removed';
      await chatRemoved(d.chat, 'telegram', String(ctx.chat.id), cause, `bot ${now.status}`);
      return;
    }
    const joined = was.status === 'left' || was.status === 'kicked';
    // Its right to post given back, or promoted where members may not post: a chat whose alerts
    // stopped is told so, there and then (the one moment the bot can say it). A group that added it
    // back is told by /start's welcome below; a private chat by /start, which the user sends.
    if (ctx.chat.type !== 'private' && !(joined && ctx.chat.type !== 'channel') && postRank(now, ctx.chat.type) > postRank(was, ctx.chat.type)) {
      await tellMayPostAgain(ctx, chatContext(ctx, d, ctx.chat, undefined));
      return;
    }
    if (!joined || start === undefined || (ctx.chat.type !== 'group' && ctx.chat.type !== 'supergroup')) return;
    const cc = chatContext(ctx, d, ctx.chat, undefined);
    const answer = await answerCommand(d.chat, cc, start, { words: [] });
    if (answer.kind !== 'message') return;
    try {
      await send(ctx, ctx.chat, answer.reply, await chatLang(d.chat, cc));
    } catch (e) {
      // A group where the bot may not post yet: nothing to repair, the commands still work.
      d.log.info(`no welcome in group ${ctx.chat.id}: ${e instanceof GrammyError ? e.description : String(e)}`);
    }
  });

  async function tellMayPostAgain(ctx: Pick<Context, 'api'>, cc: ChatContext): Promise<boolean> {
    const again = await mayPostAgain(d.chat, cc);
    const chat = { id: Number(cc.chatId) };
    // Claimed first: an update and the start's scan (rights-scan.ts) at once tell the chat once.
    const unclaim = again === undefined ? undefined : await rightsBack.claim(cc.chatId, cc.nowMs);
    if (again === undefined || unclaim === undefined) return false;
    const out = { sent: false };
    try {
      const lang = await chatLang(d.chat, cc);
      const thread = again.threadId ?? undefined;
      try {
        await sendIn(ctx, chat, again.reply, lang, out, undefined, thread);
      } catch (err) {
        // Its alerts' topic closed meanwhile: said in General (no command was sent anywhere, so no
        // "answered here instead" line); Subscribe pressed there brings the alerts to General.
        if (thread === undefined || out.sent || !threadGone(err)) throw err;
        await sendIn(ctx, chat, again.reply, lang, out);
      }
      return true;
    } catch (e) {
      // Nothing went out: the next chance says it. Part of it did: said, not again.
      if (!out.sent) await unclaim().catch(() => undefined);
      d.log.info(`could not tell chat ${cc.chatId} that its alerts stopped: ${e instanceof GrammyError ? e.description : String(e)}`);
      return false;
    }
  }

  return {
    tellMayPostAgain,
    close() {
      for (const e of notRunYet.values()) clearTimeout(e.timer);
      notRunYet.clear();
    },
  };
}
