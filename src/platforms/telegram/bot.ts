/**
 * The Telegram bot: a grammY Bot running the chat commands (long polling, or webhook mode when
 * TELEGRAM_WEBHOOK_URL is set) and the alert notifier. main.ts calls createTelegram only when
 * TELEGRAM_BOT_TOKEN is set.
 */
import { TokenBell } from '../token-bell.ts';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Api, Bot, BotError, GrammyError, HttpError, webhookCallback, type Context, type Transformer } from 'grammy';
import { httpErrorWhy } from './http-error.ts';
import { sequentialize } from '@grammyjs/runner';
import { autoRetry } from '@grammyjs/auto-retry';
import type { BotCommand, UserFromGetMe } from 'grammy/types';
import { commandsOn, type ChatDeps } from '../../chat/registry.ts';
import type { Config } from '../../config.ts';
import { LANG_INFO, LANGS, langFromCode, type Lang } from '../../domain/i18n/index.ts';
import { CHAT_MENUS_CHANGED, ChatMenus } from './chat-menu.ts';
import { subsTold } from './subs-told.ts';
import { apology } from '../../chat/answer.ts';
import { isBusy, isDiskFull, isUnreachable } from '../../store/busy.ts';
import { DatabaseFileGoneError } from '../../store/file-identity.ts';
import { replyHtml } from './render.ts';
import type { Logger } from '../../log.ts';
import { registerHandlers, type ChartRenderer } from './handlers.ts';
import { chatRefuses, TelegramNotifier, threadGone } from './notifier.ts';
import { NoAnswerError, RetryState, START_ANSWER_MS, startWithRetry, type StartupResult } from '../startup.ts';
import { oneLine } from '../../one-line.ts';
import type { PlatformService } from '../adapter.ts';
import { startPolling, type Polling } from './polling.ts';
import type { SharedUploads } from '../../alerts/upload-once.ts';
import type { MetaStore } from '../../store/meta.ts';
import type { ChatTypeStore } from '../../store/chat-types.ts';
import { metaEditLedger } from './edit-ledger.ts';
import { metaNoPhotosNote, metaRightsBackNote } from './no-photos-note.ts';
import { Owner, OwnerChanged } from '../owner.ts';
import { answerRefusedBody, cappedHttp, WebhookBodyError } from './webhook-body.ts';
import type { Metrics } from '../../ops/metrics.ts';
import { FloodLimiter } from '../../chat/flood-limit.ts';
import { ChartFileCache } from './chart-files.ts';
import { registerInline } from './inline.ts';
import { scanRightsBack } from './rights-scan.ts';
import { scanChatTypes } from './type-scan.ts';
import { chatGets } from './topic-notice.ts';

export type { ChartRenderer } from './handlers.ts';

/** The AbortSignal as grammY's Api methods type it. */
type ApiSignal = Parameters<Api['getMe']>[0];

/** The updates the bot handles; anything else Telegram need not send. */
export const ALLOWED_UPDATES = [
  'message',
  'edited_message',
  'channel_post',
  'edited_channel_post',
  'callback_query',
  'my_chat_member',
  'inline_query',
] as const;

/**
 * Menu languages, from domain/i18n/langs.ts: Telegram scopes a menu by a two-letter ISO 639-1
 * language_code only (`default` is the menu for every other code).
 */
export const MENU_LANGS: readonly { code: string | undefined; lang: Lang }[] = LANGS.flatMap((lang) => {
  const menu = LANG_INFO[lang].telegramMenu;
  return menu === undefined ? [] : [{ code: menu === 'default' ? undefined : menu, lang }];
});

export interface TelegramOptions {
  readonly config: Config;
  readonly deps: ChatDeps;
  readonly charts: ChartRenderer;
  readonly log: Logger;
  /** Tests: skip getMe by giving the bot's identity. */
  readonly botInfo?: UserFromGetMe;
  /** Tests: listen on this port (0 = any) instead of config.telegram.webhookPort. */
  readonly webhookPort?: number;
  readonly now?: () => number;
  readonly metrics?: Metrics;
  /** Shared with other platforms if given; one per bot otherwise. */
  readonly flood?: FloodLimiter;
  /** Tests: the wait before polling again after a 409 Conflict (default 30 s). */
  readonly conflictRetryMs?: number;
  /**
   * Replicas: long polling (one poller per token) is left to leaderOnly.start, the leader's; the
   * webhook mode is served by every replica.
   */
  readonly replicas?: boolean;
  readonly sharedUploads?: SharedUploads;
  /** Where the bot this database's chats subscribed through is recorded (BOT_KEY); without it, no check. */
  readonly meta?: Pick<MetaStore, 'get' | 'set' | 'update' | 'withPrefix' | 'delete'>;
  /**
   * Where each chat's type is kept (store/chat-types.ts): recorded from every update of a chat,
   * read by the notifier to name a group a group and a channel a channel. Without it: not kept.
   */
  readonly chatTypes?: Pick<ChatTypeStore, 'get' | 'record' | 'untypedActive'>;
}

/** The meta key of the bot this database's chats subscribed through: `<id> @<username>`. */
export const BOT_KEY = 'telegram.bot';

/**
 * How long one Bot API call of an alert may take (grammY's timeout): a stop waits this long for a
 * send on the wire (Notifier.callTimeoutMs). Telegram answers a send within a second; 15 s, as
 * Discord's REST, keeps half STOP_TIMEOUT_SECONDS' default and a call within Kubernetes' 30 s grace.
 */
export const NOTIFIER_CALL_MS = 15_000;

export interface Telegram extends PlatformService {
  readonly platform: 'telegram';
  readonly bot: Bot;
  readonly notifier: TelegramNotifier;
  /**
   * Identifies the bot, registers the command menu and starts receiving updates; resolves once it
   * receives, or when the start was given up (a refused token, a port in use: one log line) or
   * aborted. An unreachable API is retried with capped backoff, one log line per attempt.
   */
  start(signal?: AbortSignal): Promise<StartupResult>;
  /** Stops receiving (the current update finishes first). */
  stop(): Promise<void>;
  /** Receiving updates (polling running, or the webhook server listening). */
  receiving(): boolean;
  /** For /readyz: undefined while receiving. */
  readiness(): string | undefined;
  /** The webhook server's port once started in webhook mode. */
  webhookPort(): number | undefined;
}

/** Bounds of a command reply's retries after a 429 (alerts have the dispatcher's own policy). */
export const REPLY_RETRIES = 3;
export const REPLY_MAX_DELAY_S = 30;

/**
 * The chats a menu is set for, each named as replies name it: a private chat is a conversation
 * (本對話的訂閱), a group its own word. Telegram shows a menu only in private chats and groups (a
 * channel has none), and picks the narrowest scope set for the chat, so one menu per scope and
 * language. The `default` scope's lists, which versions before scoped menus set, stay on Telegram
 * for good and show where neither applies (a channel's administrators, some clients): made the
 * chat's plain words (this chat, 本聊天室) once, DEFAULT_MENU_KEY.
 */
export const MENU_SCOPES = [
  { scope: 'all_private_chats', chatType: 'private' },
  { scope: 'all_group_chats', chatType: 'group' },
] as const;

/** A menu's commands as `chatType` reads them; without one (the default scope's) in the chat's plain words. */
export function menuCommands(lang: Lang, chatType?: (typeof MENU_SCOPES)[number]['chatType']): BotCommand[] {
  const where = chatType === undefined ? 'telegram' : { platform: 'telegram' as const, chatType };
  return commandsOn('telegram').map((c) => ({ command: c.name, description: c.describe(lang, where).slice(0, 256) }));
}

/**
 * The meta key of the default scope's menus as last set: a hash of the bot and its lists, so a start
 * sets them only when they would change (a new version's commands, another bot), not every time.
 */
export const DEFAULT_MENU_KEY = 'telegram.menu_default';

/**
 * The meta key of the private and group menus as last set (a hash, as DEFAULT_MENU_KEY's): a start
 * sets their four lists only when they would change, not every time.
 */
export const SCOPED_MENU_KEY = 'telegram.menu_scoped';

/** The private and group scopes' lists, per scope and language_code, and their hash for `botId`. */
export function scopedMenus(botId: number): {
  lists: { scope: (typeof MENU_SCOPES)[number]['scope']; code: string | undefined; commands: BotCommand[] }[];
  hash: string;
} {
  const lists = MENU_SCOPES.flatMap(({ scope, chatType }) => MENU_LANGS.map(({ code, lang }) => ({ scope, code, commands: menuCommands(lang, chatType) })));
  return { lists, hash: createHash('sha256').update(JSON.stringify({ botId, lists })).digest('hex').slice(0, 16) };
}

/** The default scope's lists, per language_code (none: every other language), and their hash for `botId`. */
export function defaultMenus(botId: number): { lists: { code: string | undefined; commands: BotCommand[] }[]; hash: string } {
  const lists = MENU_LANGS.map(({ code, lang }) => ({ code, commands: menuCommands(lang) }));
  return { lists, hash: createHash('sha256').update(JSON.stringify({ botId, lists })).digest('hex').slice(0, 16) };
}

export function createTelegram(o: TelegramOptions): Telegram {
  const tg = o.config.telegram;
  if (tg.token === undefined) throw new Error('createTelegram needs TELEGRAM_BOT_TOKEN');
  const log = o.log.child('telegram');
  const client = { apiRoot: tg.apiRoot, timeoutSeconds: 60 };
  const bot = new Bot(tg.token, { client, ...(o.botInfo !== undefined ? { botInfo: o.botInfo } : {}) });
  // Every failed update is handled here, inside grammY's handling of it, in either mode: bot.catch
  // is called in long polling only, and in webhook mode webhookCallback stops waiting after 10 s,
  // answers Telegram and drops what the update does after that; an update failing later (a query
  // on a silent PostgreSQL fails at DATABASE_QUERY_TIMEOUT_MS, 30 s) was an unhandled rejection
  // that ended the process, its asker told nothing.
  bot.use(async (ctx, next) => {
    // Said before anything of it runs: what an operator (and a test that signals the bot while an
    // update waits on the database) hears of an update that has not been answered yet.
    log.debug('update received', { updateId: ctx.update.update_id });
    try {
      await next();
    } catch (e) {
      await onUpdateError(new BotError(e, ctx));
    }
  });
  // Updates run concurrently (runner), but one chat's in order.
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString() ?? ctx.from?.id.toString()));
  // Every chat that talks to the bot (a message, a channel post, a button, the bot's membership
  // changed there) has its type kept, which its alerts name it by (notifier.ts chartPlace): once a
  // process, so a busy group costs no write per message.
  const chatTypes = o.chatTypes;
  if (chatTypes !== undefined)
    bot.use(async (ctx, next) => {
      const chat = ctx.chat;
      if (chat !== undefined) {
        try {
          await chatTypes.record('telegram', String(chat.id), chat.type);
        } catch (e) {
          // The update is still handled (its own reads say what is wrong); the next one records it.
          log.debug("could not record the chat's type", { chatId: chat.id, error: oneLine(e) });
        }
      }
      await next();
    });
  // Every Api of this bot counts the 429s it meets.
  const count429: Transformer = async (prev, method, payload, signal) => {
    const r = await prev(method, payload, signal);
    if (!r.ok && r.error_code === 429) o.metrics?.rateLimited('telegram');
    return r;
  };
  // A chat whose language the menus per language_code cannot show (a Simplified chat reads `zh`'s,
  // Traditional) gets its own (chat-menu.ts), checked after each of its updates was answered.
  let chatMenus: ChatMenus | undefined;
  if (o.meta !== undefined) {
    const menuApi = new Api(tg.token, { apiRoot: tg.apiRoot, timeoutSeconds: START_ANSWER_MS / 1000 });
    menuApi.config.use(count429);
    const menus = new ChatMenus({
      api: menuApi,
      meta: o.meta,
      log: log.child('menu'),
      commands: menuCommands,
      ...(o.now !== undefined ? { now: o.now } : {}),
      // Replicas answer the same chats: what one remembers of a chat may be another's past, so the
      // database's marks of change are read (at most once a second) and a change forgets it.
      ...(o.replicas === true
        ? { shared: true, changes: async () => (await Promise.all([o.deps.subs.version(), o.meta?.get(CHAT_MENUS_CHANGED)])).join(' ') }
        : {}),
    });
    chatMenus = menus;
    bot.use(async (ctx, next) => {
      await next();
      const chat = ctx.chat;
      const from = ctx.from;
      if (ctx.message === undefined && ctx.editedMessage === undefined && ctx.callbackQuery === undefined) return;
      if (chat === undefined || chat.type === 'channel' || from === undefined || from.is_bot) return;
      const chatId = String(chat.id);
      const subLang = await menus.subscriptionLang(chatId, () => o.deps.subs.get('telegram', chatId)).catch(() => null);
      if (subLang === null) return;
      const chatLang = subLang ?? (chat.type === 'private' ? langFromCode(from.language_code, o.deps.config.defaultLang) : undefined);
      await menus.settle(chatId, chat.type === 'private' ? 'private' : 'group', chatLang, from.language_code);
    });
  }
  const files = new ChartFileCache(200, o.sharedUploads ? { uploads: o.sharedUploads, log } : undefined);
  const rightsBack = o.meta !== undefined ? metaRightsBackNote(o.meta) : undefined;
  // The handlers' writes of a subscription (a /lang) tell the chat menus its language: the chat's next update reads nothing for its menu.
  const deps: ChatDeps = chatMenus === undefined ? o.deps : { ...o.deps, subs: subsTold(o.deps.subs, chatMenus) };
  const handlers = registerHandlers(bot, {
    files,
    chat: deps,
    charts: o.charts,
    log,
    ...(o.now !== undefined ? { now: o.now } : {}),
    ...(o.metrics !== undefined ? { metrics: o.metrics } : {}),
    flood: o.flood ?? new FloodLimiter(),
    ...(o.meta !== undefined ? { edits: metaEditLedger(o.meta) } : {}),
    ...(rightsBack !== undefined ? { rightsBack } : {}),
  });
  registerInline(bot, {
    chat: deps,
    charts: o.charts,
    files,
    log: log.child('inline'),
    ...(o.now !== undefined ? { now: o.now } : {}),
    ...(o.metrics !== undefined ? { metrics: o.metrics } : {}),
    ...(tg.inlineChatId !== undefined ? { uploadChatId: tg.inlineChatId } : {}),
  });
  bot.api.config.use(count429);
  // A command reply survives a 429: waits retry_after, a few times at most, never long. Network
  // errors and 5xx are not retried here: start-up has its own backoff, and a reply fails visibly.
  bot.api.config.use(
    autoRetry({ maxRetryAttempts: REPLY_RETRIES, maxDelaySeconds: REPLY_MAX_DELAY_S, rethrowHttpErrors: true, rethrowInternalServerErrors: true }),
  );
  // The start's own calls (getMe, the menu, the webhook) on an Api of their own, whose requests
  // time out after START_ANSWER_MS: the bot's 60 s is for long polling (getUpdates waits 30 s).
  const startApi = new Api(tg.token, { apiRoot: tg.apiRoot, timeoutSeconds: START_ANSWER_MS / 1000 });
  startApi.config.use(count429);
  startApi.config.use(
    autoRetry({ maxRetryAttempts: REPLY_RETRIES, maxDelaySeconds: REPLY_MAX_DELAY_S, rethrowHttpErrors: true, rethrowInternalServerErrors: true }),
  );
  // A failed update, told to its asker (the first middleware above calls it; bot.catch is what grammY
  // would call in long polling, should anything escape it).
  const onUpdateError = async (err: BotError<Context>) => {
    // An answer the chat refused (the bot removed or without the right to post meanwhile, a group
    // that lets members send no text), or refused in its topic and in General (both closed to the
    // bot, handlers.ts send): an apology would be refused the same way, and it is no bug of ours.
    // Said once, at info.
    if (threadGone(err.error) || chatRefuses(err.error)) {
      log.info('command answer refused: the chat does not let the bot post there', {
        update: err.ctx.update.update_id,
        chatId: err.ctx.chat?.id,
        error: (err.error as GrammyError).description,
      });
      return;
    }
    // Refusals the user is told about, whose cause is logged where it is found: a warning each.
    if (isBusy(err.error)) log.warn('update not handled: the database is busy (another process holds its write lock)', { update: err.ctx.update.update_id });
    else if (err.error instanceof DatabaseFileGoneError) log.warn('settings change refused: the database file is gone', { update: err.ctx.update.update_id });
    // Its cause, with the file, was said once as an error when the first write met it (store/file-identity.ts).
    else if (isDiskFull(err.error)) log.warn('update not handled: the disk holding the database is full', { update: err.ctx.update.update_id });
    else if (isUnreachable(err.error))
      log.warn('update not handled: the database cannot be reached', {
        update: err.ctx.update.update_id,
        error: String((err.error as Error).message ?? err.error),
      });
    else log.error('update failed', { update: err.ctx.update.update_id, error: String(err.error) });
    // The user still gets an answer: a bug or a failed IO must not look like silence.
    const ctx = err.ctx;
    const chatId = ctx.chat?.id;
    try {
      // Inside the try: an update still running when the bot stops meets a closed database here; one log line, not grammY's "error handling threw".
      const answer = await apology(
        o.deps,
        { platform: 'telegram', chatId: chatId !== undefined ? String(chatId) : undefined, userLanguageCode: ctx.from?.language_code },
        ctx.callbackQuery !== undefined,
        err.error,
      );
      if (answer.kind === 'notice') await ctx.answerCallbackQuery({ text: answer.text });
      else if (answer.kind === 'message' && chatId !== undefined) {
        // Where the command was: its forum topic (General would hide it from the asker), quoting it in a group.
        const msg = ctx.msg;
        const where = {
          ...(msg?.is_topic_message === true && msg.message_thread_id !== undefined ? { message_thread_id: msg.message_thread_id } : {}),
          ...(msg !== undefined && ctx.chat?.type !== 'private' ? { reply_parameters: { message_id: msg.message_id, allow_sending_without_reply: true } } : {}),
        };
        await ctx.api.sendMessage(chatId, replyHtml(answer.reply.lines), { parse_mode: 'HTML', ...where });
      }
    } catch (e) {
      log.warn('could not tell the user about the failure', { error: String(e) });
    }
  };
  bot.catch(onUpdateError);

  // Alerts use their own Api with a short timeout: a hung send must not hold the outbox, and a stop
  // waits for a send on the wire up to it (Notifier.callTimeoutMs), within Kubernetes' 30 s grace.
  const notifierApi = new Api(tg.token, { apiRoot: tg.apiRoot, timeoutSeconds: NOTIFIER_CALL_MS / 1000 });
  notifierApi.config.use(count429);
  // Rung by the notifier, polling and a leader's start of polling when the token's refusal may have changed.
  const tokenBell = new TokenBell();
  const notifier = new TelegramNotifier({
    api: notifierApi,
    tokenBell,
    callTimeoutMs: NOTIFIER_CALL_MS,
    rate: tg.rate,
    groupPerMinute: tg.groupPerMinute,
    paidBroadcast: tg.paidBroadcast,
    log: log.child('notifier'),
    threadGone: async (chatId, threadId) => {
      const sub = await o.deps.subs.get('telegram', chatId);
      // Moved to another topic since this message was claimed: that choice stands.
      if (sub !== undefined && sub.threadId !== null && sub.threadId !== threadId) return sub.threadId;
      if (sub?.threadId === threadId) await o.deps.subs.upsert('telegram', chatId, { threadId: null });
      return null;
    },
    chatGets: async (chatId) => chatGets(await o.deps.subs.get('telegram', chatId), 'alerts'),
    ...(o.sharedUploads ? { sharedUploads: o.sharedUploads } : {}),
    ...(o.meta !== undefined ? { noPhotos: metaNoPhotosNote(o.meta) } : {}),
    off: () => owner.refused(),
    ...(chatTypes !== undefined ? { chatType: (chatId: string) => chatTypes.get('telegram', chatId) } : {}),
  });

  let server: Server | undefined;
  // The bot this database's chats subscribed through, as `<id> @<username>` (platforms/owner.ts).
  const meta = o.meta;
  const owner = new Owner(meta && { get: () => meta.get(BOT_KEY), set: (v) => meta.set(BOT_KEY, v) }, tg.acceptNewBot, log);
  const checkBot = (me: UserFromGetMe): Promise<void> =>
    owner.check({
      id: String(me.id),
      value: `${me.id} @${me.username}`,
      refusal: (recorded, id) => {
        const name = recorded.split(' ')[1];
        return `TELEGRAM_BOT_TOKEN is @${me.username}'s (bot ${me.id}), but this database's chats subscribed through ${name} (bot ${id}): sending would fail for them and unsubscribe them, so nothing is sent. Use ${name}'s token, or set TELEGRAM_ACCEPT_NEW_BOT=true if the move is meant`;
      },
      moving: (recorded, id) =>
        `TELEGRAM_ACCEPT_NEW_BOT: this database's chats move from ${recorded.split(' ')[1]} (bot ${id}) to @${me.username} (bot ${me.id}); a chat that never started @${me.username} is unsubscribed at its next alert`,
    });
  let polling: Polling | undefined;
  // getChatMember for the rights-back scan: its 429s waited out there (abortably), not by autoRetry.
  const scanApi = new Api(tg.token, { apiRoot: tg.apiRoot, timeoutSeconds: 30 });
  scanApi.config.use(count429);
  let scan: { readonly stop: AbortController; readonly done: Promise<void> } | undefined;
  /**
   * Chats whose rights came back while the bot was down longer than Telegram keeps updates are told
   * (rights-scan.ts), in the background, by the process that receives the updates: never a standby.
   * Then the subscribed groups and channels with no type recorded are asked theirs (type-scan.ts):
   * one after the other, so the two keep to one scan's pace.
   */
  const startScan = (): void => {
    if (meta === undefined || rightsBack === undefined || scan !== undefined) return;
    const stop = new AbortController();
    const now = o.now ?? Date.now;
    const done = scanRightsBack(
      { api: scanApi, sendApi: bot.api, botId: bot.botInfo.id, subs: deps.subs, meta, note: rightsBack, handlers, log, now },
      stop.signal,
    )
      .catch((e: unknown) => log.warn(`rights-back scan failed; the next start scans again: ${oneLine(e)}`))
      .then(async () => {
        if (chatTypes === undefined || stop.signal.aborted) return;
        await scanChatTypes({ api: scanApi, chatTypes, subs: deps.subs, meta, log, now }, stop.signal).catch((e: unknown) =>
          log.warn(`chat-type scan failed; the next start asks again: ${oneLine(e)}`),
        );
      });
    scan = { stop, done };
  };
  const stopScan = async (): Promise<void> => {
    const s = scan;
    scan = undefined;
    s?.stop.abort();
    await s?.done;
  };
  /** The start's call a stop cut short (getMe, setMyCommands, …), said in the start's last line. */
  let cutShort: string | undefined;
  /**
   * One call of the start on startApi, given the start's signal so that a stop (Ctrl-C) ends it at
   * once: without it the call held the process until its START_ANSWER_MS timeout.
   */
  async function ask<T>(method: string, signal: AbortSignal | undefined, call: (signal: ApiSignal) => Promise<T>): Promise<T> {
    try {
      // grammY types its signal with the abort-controller package's AbortSignal; Node's is the same at run time.
      return await call(signal as ApiSignal);
    } catch (e) {
      if (signal?.aborted === true) cutShort = method;
      throw e;
    }
  }

  /**
   * The private and group menus, where what was set last (SCOPED_MENU_KEY) differs: a start of the
   * same version for the same bot makes no call for them. Without meta, set every start.
   */
  async function setMenu(signal: AbortSignal | undefined): Promise<void> {
    const { lists, hash } = scopedMenus(bot.botInfo.id);
    if (meta === undefined || (await meta.get(SCOPED_MENU_KEY)) !== hash) {
      for (const { scope, code, commands } of lists) {
        // language_code is typed as Telegram's list of ISO codes.
        const options = { scope: { type: scope }, ...(code !== undefined ? { language_code: code as 'zh' } : {}) };
        await ask('setMyCommands', signal, (s) => startApi.setMyCommands(commands, options, s));
      }
      await meta?.set(SCOPED_MENU_KEY, hash);
    }
    await setDefaultMenu(signal);
  }

  /**
   * The default scope's lists made the chat's plain words, where what was set last (DEFAULT_MENU_KEY)
   * differs: an older version's lists (their own commands and words, "your subscription") would
   * otherwise stay on Telegram and show where no scoped list applies. Without meta, left as they are.
   */
  async function setDefaultMenu(signal: AbortSignal | undefined): Promise<void> {
    if (meta === undefined) return;
    const { lists, hash } = defaultMenus(bot.botInfo.id);
    if ((await meta.get(DEFAULT_MENU_KEY)) === hash) return;
    for (const { code, commands } of lists) {
      const options = code !== undefined ? { language_code: code as 'zh' } : {};
      await ask('setMyCommands', signal, (s) => startApi.setMyCommands(commands, { scope: { type: 'default' }, ...options }, s));
    }
    await meta.set(DEFAULT_MENU_KEY, hash);
    log.info("the default command menus (shown where no private or group menu applies) set to this version's");
  }

  async function startWebhook(url: string, signal: AbortSignal | undefined): Promise<void> {
    const path = new URL(url).pathname;
    const secret = tg.webhookSecret;
    // config.ts refuses a webhook URL without a secret; check again rather than run unprotected.
    if (secret === undefined) throw new Error('webhook mode needs TELEGRAM_WEBHOOK_SECRET');
    const handle = webhookCallback(bot, cappedHttp(), { secretToken: secret, onTimeout: 'return' });
    const setWebhook = () =>
      ask('setWebhook', signal, (s) => startApi.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] }, s)).then(() => undefined);
    if (server !== undefined) return setWebhook();
    server = createServer((req, res) => {
      if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://x').pathname !== path) {
        res.writeHead(404).end();
        return;
      }
      Promise.resolve(handle(req, res) as Promise<unknown>).catch((err: unknown) => {
        if (err instanceof WebhookBodyError) {
          // A sender's mistake (or abuse) with the right secret: answered, one warning, no stack.
          log.warn(`webhook request refused (${err.status}): ${err.message}`);
          answerRefusedBody(res, err);
          return;
        }
        log.error('webhook update failed', { error: String(err) });
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    const s = server;
    const port = o.webhookPort ?? tg.webhookPort;
    await new Promise<void>((resolve, reject) => {
      s.once('error', (e: NodeJS.ErrnoException) => {
        server = undefined;
        reject(
          new WebhookListenError(
            `cannot listen on TELEGRAM_WEBHOOK_PORT ${port} (${e.code ?? e.message}${e.code === 'EADDRINUSE' ? ': the port is already in use' : ''})`,
          ),
        );
      });
      s.listen(port, () => resolve());
    });
    await setWebhook();
    log.debug('webhook mode', { port: (s.address() as AddressInfo).port });
  }

  const retries = new RetryState();
  /** A step of bringing Telegram up, retried with the start's backoff until it passes, is refused or stopped. */
  const retried = (signal: AbortSignal | undefined, step: () => Promise<unknown>): Promise<StartupResult> =>
    startWithRetry({
      name: 'Telegram',
      log,
      ...(signal !== undefined ? { signal } : {}),
      fatal: telegramRefusal,
      retries,
      attempt: async () => {
        try {
          await step();
        } catch (e) {
          throw unreachable(e, tg);
        }
      },
    });

  async function start(signal: AbortSignal | undefined): Promise<StartupResult> {
    const webhookUrl = tg.webhookUrl;
    const up = await retried(signal, async () => {
      // Not bot.init(): it retries getMe forever, silently and without the signal.
      if (!bot.isInited()) bot.botInfo = await ask('getMe', signal, (s) => startApi.getMe(s));
      await checkBot(bot.botInfo);
      await setMenu(signal);
      if (webhookUrl !== undefined) await startWebhook(webhookUrl, signal);
    });
    if (up.kind !== 'started' && server !== undefined) {
      const s = server;
      server = undefined;
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
    if (up.kind !== 'started' || webhookUrl !== undefined || o.replicas === true) return up;
    return startLongPolling(signal);
  }

  /**
   * Clears any webhook (Telegram delivers no updates to getUpdates while one is set), retried as the
   * start is (a Telegram that answered getMe may fail the next call), then polls.
   */
  async function startLongPolling(signal: AbortSignal | undefined): Promise<StartupResult> {
    if (polling !== undefined) return { kind: 'started', attempts: 1 };
    const cleared = await retried(signal, () => ask('deleteWebhook', signal, (s) => startApi.deleteWebhook({}, s)));
    if (cleared.kind !== 'started' || signal?.aborted === true || polling !== undefined) return cleared;
    polling = startPolling(bot, log, {
      allowedUpdates: ALLOWED_UPDATES,
      onStopped: () => tokenBell.ring(),
      ...(o.conflictRetryMs !== undefined ? { conflictRetryMs: o.conflictRetryMs } : {}),
    });
    log.debug('long polling', { bot: bot.botInfo.username });
    return cleared;
  }

  let startRun: Promise<StartupResult> | undefined;
  /** With replicas: this replica leads, so it polls once start() has identified the bot. */
  let leads = false;
  /** Why this leader's start of polling was given up (the token refused), until it stops leading. */
  let leadRefused: string | undefined;
  /** Ends a leader's start of polling (its webhook clearing, retried) when it stops leading. */
  let leading: AbortController | undefined;
  // With replicas and no webhook, the leader polls: started when it leads (after start() has
  // identified the bot), stopped when it stops leading.
  const leaderOnly: Telegram['leaderOnly'] =
    o.replicas === true && tg.webhookUrl === undefined
      ? {
          start: async () => {
            leads = true;
            leading = new AbortController();
            const signal = leading.signal;
            // start() identifies the bot first (retrying while Telegram is unreachable).
            const up = await startRun;
            if (up?.kind !== 'started' || !leads) return;
            const polled = await startLongPolling(signal);
            // A replica taking the lead after the token was revoked: its deleteWebhook refused, said
            // on /readyz (it leads and polls nothing), where its start's identified bot read ready.
            if (polled.kind === 'refused' && leads) {
              leadRefused = polled.reason;
              tokenBell.ring();
            }
            if (polled.kind !== 'started' || !leads) return;
            log.info(`Telegram bot @${bot.botInfo.username} receiving updates (long polling: this replica leads)`);
            startScan();
          },
          stop: async (reason) => {
            leads = false;
            leadRefused = undefined;
            leading?.abort();
            await stopScan();
            const p = polling;
            polling = undefined;
            await p?.stop();
            // Its refusal (leadRefused, polling's) is no longer this replica's to say.
            tokenBell.ring();
            // Routine at a shutdown; a lost lead is worth an operator's line.
            if (p !== undefined) log[reason === 'stopping' ? 'debug' : 'info'](`long polling stopped (${reason})`);
          },
        }
      : undefined;

  const receiving = (): boolean => polling?.receiving() === true || server?.listening === true;
  /** How updates arrive, for the start's one line. */
  const how = (): string => {
    const port = (server?.address() as AddressInfo | null | undefined)?.port;
    return port !== undefined ? `webhook ${tg.webhookUrl}, listening on port ${port}` : 'long polling';
  };
  return {
    platform: 'telegram',
    bot,
    notifier,
    async start(signal) {
      chatMenus?.open();
      const run = start(signal);
      startRun = run.catch((e: unknown): StartupResult => ({ kind: 'refused', reason: oneLine(e) }));
      try {
        const up = await run;
        // Said as it is: with replicas in polling mode a start only identifies the bot, and the
        // leader's leaderOnly.start polls (and says so). Whether this replica leads is often not
        // known yet here (the election may end a moment later), so this line says who polls, not
        // that this one does not: a standby's leadership says "standing by: another replica leads".
        if (up.kind === 'stopped') log.info(`Telegram's start stopped by the shutdown${cutShort === undefined ? '' : ` (no answer yet to ${cutShort})`}`);
        else if (up.kind === 'started' && leaderOnly === undefined) {
          log.info(`Telegram bot @${bot.botInfo.username} receiving updates (${how()})`);
          startScan();
        } else if (up.kind === 'started' && !leads)
          log.info(
            `Telegram bot @${bot.botInfo.username} is up; with replicas and no TELEGRAM_WEBHOOK_URL only the leading replica polls for updates (set TELEGRAM_WEBHOOK_URL for every replica to receive)`,
          );
        return up;
      } catch (e) {
        // Past the retried part (deleteWebhook, the runner): said once, the rest of the bot runs on.
        log.error(`Telegram stopped: ${oneLine(e)}`);
        return { kind: 'refused', reason: oneLine(e) };
      }
    },
    async stop() {
      await stopScan();
      handlers.close();
      chatMenus?.close();
      if (server !== undefined) {
        const s = server;
        server = undefined;
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
      await polling?.stop();
    },
    webhookPort: () => (server?.address() as AddressInfo | null)?.port,
    receiving,
    // A standby in polling mode receives nothing by design: it is ready once the bot is identified.
    readiness: () => {
      // Polling that ended for good (a token revoked while running) says why, a leader's too.
      const stopped = polling?.stoppedBy();
      if (stopped !== undefined) return `not receiving updates: ${stopped}`;
      if (leadRefused !== undefined) return `not receiving updates: ${leadRefused}`;
      if (receiving() || (leaderOnly !== undefined && bot.isInited())) return undefined;
      return retries.explain('not receiving updates');
    },
    ...(leaderOnly ? { leaderOnly } : {}),
    tokenBell,
  };
}

/**
 * grammY's network failure ("Network request for 'getMe' failed!") as a line that names where
 * (TELEGRAM_API_ROOT) and why, as Discord's does: a request that timed out is a NoAnswerError
 * (`<root> did not answer getMe within 10 s`: it was reached, and said nothing), any other is
 * unreachable. The token, which is in the request's path, is never in it. Anything else is
 * returned as it is.
 */
export function unreachable(e: unknown, tg: { readonly apiRoot: string; readonly token?: string | undefined }): unknown {
  if (!(e instanceof HttpError)) return e;
  const inner = e.error instanceof Error ? e.error : undefined;
  const method = /'(\w+)'/.exec(e.message)?.[1];
  const timedOut = inner && /timed out after ([\d.]+) seconds?/.exec(inner.message)?.[1];
  if (timedOut !== undefined) return new NoAnswerError(tg.apiRoot, method ?? 'the Bot API', Number(timedOut) * 1000, { cause: e });
  const reason = tg.token ? httpErrorWhy(e).replaceAll(tg.token, '…') : httpErrorWhy(e);
  return new Error(`unreachable at ${tg.apiRoot} (${reason}, calling ${method ?? 'the Bot API'})`);
}

class WebhookListenError extends Error {
  override name = 'WebhookListenError';
}

/**
 * A failure no retry can fix, as one line naming the variable to check (never its value), or
 * undefined for one worth retrying (network, 5xx, 429).
 */
export function telegramRefusal(e: unknown): string | undefined {
  if (e instanceof WebhookListenError || e instanceof OwnerChanged) return e.message;
  if (!(e instanceof GrammyError)) return undefined;
  if (e.error_code === 429 || e.error_code >= 500) return undefined;
  // Any call's 401 is the token (a standby taking the lead after it was revoked meets it at deleteWebhook).
  if (e.error_code === 401 || ((e.method === 'getMe' || e.method === 'deleteWebhook') && e.error_code === 404)) {
    return `the Telegram token was refused (${e.error_code} ${e.description}): check TELEGRAM_BOT_TOKEN`;
  }
  if (e.method === 'setWebhook') return `Telegram refused setWebhook (${e.error_code} ${e.description}): check TELEGRAM_WEBHOOK_URL`;
  return `Telegram refused ${e.method} (${e.error_code} ${e.description})`;
}
