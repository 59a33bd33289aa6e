/**
 * A local fake of the Telegram Bot API (`/bot<token>/<method>`), speaking the real wire format so
 * the real grammY client can be pointed at it with `apiRoot`. It records every call (method,
 * params, uploaded bytes), holds `getUpdates` open like long polling, injects faults with the Bot
 * API's JSON error shapes, and can enforce a global send rate (answering 429 like Telegram).
 */
import { FakeMenus } from './telegram-menus.ts';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { multipartBoundary, parseMultipart, type MultipartFile } from './multipart.ts';
import { faultBody, type ErrorBody, type Fault } from './telegram-errors.ts';
import { parseTelegramHtml } from './telegram-html.ts';
import { WAIT_MS } from './wait.ts';

export type { Fault } from './telegram-errors.ts';

export type ChatType = 'private' | 'group' | 'supergroup' | 'channel';
export type MemberStatus = 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';
/** A member's status, or its status and rights (Telegram's ChatMember fields). */
export type MemberState = MemberStatus | ({ readonly status: MemberStatus } & Readonly<Record<string, boolean | number | string>>);

export interface RecordedCall {
  readonly method: string;
  /** Params as sent; multipart JSON fields (reply_markup, media) are parsed back into objects. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly chatId: string | undefined;
  readonly files: readonly MultipartFile[];
  readonly at: number;
  /** 200, or the error_code the fake answered with. */
  readonly status: number;
  readonly description?: string;
  /** The `result` answered on success. */
  readonly result?: unknown;
}

interface FaultRule {
  readonly target: string;
  readonly fault: Fault;
  remaining: number;
  readonly methods: readonly string[] | undefined;
}

export interface FakeUser {
  readonly id: number;
  readonly first_name: string;
  readonly username?: string;
  readonly language_code?: string;
}

export interface FakeTelegramOptions {
  readonly token?: string;
  readonly username?: string;
  /** Global limit on sends (sendMessage/sendPhoto/copy), messages per second; 429 beyond it. */
  readonly rateLimit?: number;
  /** The rate limit's clock (ms); a test that needs an exact count passes a frozen one. Default Date.now. */
  readonly now?: () => number;
}

const SEND_METHODS = new Set(['sendMessage', 'sendPhoto', 'sendDocument', 'copyMessage', 'forwardMessage']);
const CHAT_METHODS = new Set([...SEND_METHODS, 'editMessageMedia', 'editMessageText', 'editMessageReplyMarkup', 'editMessageCaption']);

/** The id Telegram gives a forum's General topic. */
const GENERAL_TOPIC = 1;

export const DEFAULT_USER: FakeUser = { id: 1001, first_name: 'Ada', username: 'ada', language_code: 'en' };

type Json = Record<string, unknown>;

export class FakeTelegram {
  readonly token: string;
  readonly username: string;
  /** The bot's id: its token's first part, as Telegram's tokens are made. */
  readonly botId: number;
  readonly calls: RecordedCall[] = [];
  /** Sends that arrived while the chat (or everyone) was told to wait after a 429. */
  readonly violations: RecordedCall[] = [];
  /** Sends answered 429 by the rate limit (not by an injected fault). */
  rateLimited = 0;
  webhook: { url: string; secret_token?: string } | undefined;

  readonly #server: Server;
  readonly #updates: Json[] = [];
  #nextUpdateId = 1;
  #confirmed = 0;
  readonly #pollers = new Set<() => void>();
  readonly #faults: FaultRule[] = [];
  readonly #methodFaults: { method: string; fault: Exclude<Fault, { kind: 'network' }>; remaining: number }[] = [];
  /** method → how long its answer is held (slow()). */
  readonly #slow = new Map<string, number>();
  /** Methods whose request has arrived and whose answer is being held (slow()), one entry per request. */
  readonly held: string[] = [];
  readonly #members = new Map<string, MemberState>();
  /** chat id → the permissions a group gives its members (getChat's `permissions`; a member bot's sends obey them). */
  readonly #permissions = new Map<string, Readonly<Record<string, boolean>>>();
  readonly #chatTypes = new Map<string, ChatType>();
  readonly #forums = new Set<string>();
  /** Former forums (topicsOff): a send naming a thread is refused. */
  readonly #topicsOff = new Set<string>();
  /** `${chatId}:${threadId}` → the 400 description sends into that topic get. */
  readonly #closedTopics = new Map<string, string>();
  readonly #messageIds = new Map<string, number>();
  readonly #fileIds = new Set<string>();
  /** `${chatId}:${messageId}` → the last version of each message the bot sent (for callback queries). */
  readonly #sent = new Map<string, Json>();
  #nextFile = 1;
  /** chat id (or '*') → epoch ms before which a send violates a 429 we answered. */
  readonly #waitUntil = new Map<string, number>();
  #rate: { limit: number; tokens: number; at: number } | undefined;
  readonly #now: () => number;
  readonly #listeners = new Set<() => void>();
  defaultMemberStatus: MemberStatus = 'member';
  /** The command menus set, per scope and language_code (telegram-menus.ts); `menus.seenBy(…)` is what a user's menu shows. */
  readonly menus = new FakeMenus();

  private constructor(opts: FakeTelegramOptions) {
    this.token = opts.token ?? '123456:TEST-token';
    this.botId = Number(this.token.split(':')[0]) || 777000;
    this.username = opts.username ?? 'goldratio_test_bot';
    this.#now = opts.now ?? Date.now;
    if (opts.rateLimit !== undefined) this.setRateLimit(opts.rateLimit);
    this.#server = createServer((req, res) => void this.#handle(req, res));
    this.#server.keepAliveTimeout = 60_000;
  }

  static async start(opts: FakeTelegramOptions = {}): Promise<FakeTelegram> {
    const fake = new FakeTelegram(opts);
    await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** The apiRoot to give grammY (no trailing slash). */
  get apiRoot(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    for (const wake of this.#pollers) wake();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  setRateLimit(perSecond: number | undefined): void {
    // A token bucket holding one second's worth: the same shape as the bot's own pacer.
    this.#rate = perSecond === undefined ? undefined : { limit: perSecond, tokens: perSecond, at: this.#now() };
  }

  // ---- test helpers -------------------------------------------------------------------------

  /** Queues an update (update_id is assigned) and wakes a waiting getUpdates. */
  pushUpdate(update: Json): number {
    const id = this.#nextUpdateId++;
    this.#updates.push({ update_id: id, ...update });
    for (const wake of this.#pollers) wake();
    return id;
  }

  /**
   * Queues the bot's own membership change in a chat (added to a group, removed, blocked, its rights
   * changed), as `from` made it: a status, or a status with its rights as Telegram's ChatMember carries
   * them (`{ status: 'restricted', is_member: true, can_send_messages: false }`, `{ status: 'administrator', can_post_messages: true }`).
   */
  botMembership(chatId: number, chatType: ChatType, from: FakeUser, was: MemberState, now: MemberState): number {
    this.#chatTypes.set(String(chatId), chatType);
    const member = (m: MemberState) => ({ user: this.#botUser(), ...(typeof m === 'string' ? { status: m } : m) });
    return this.pushUpdate({
      my_chat_member: {
        chat: this.#chat(String(chatId)),
        from: { is_bot: false, ...from },
        date: Math.floor(Date.now() / 1000),
        old_chat_member: member(was),
        new_chat_member: member(now),
      },
    });
  }

  /** Queues a text message (commands get their bot_command entity) and returns its update_id. */
  textMessage(
    chatId: number,
    text: string,
    from: FakeUser = DEFAULT_USER,
    chatType: ChatType = chatId > 0 ? 'private' : 'supergroup',
    opts: { topic?: number; viaBot?: boolean; forwardedFrom?: FakeUser; asChannel?: { readonly id: number; readonly title: string } } = {},
  ): number {
    this.#chatTypes.set(String(chatId), chatType);
    const message: Json = {
      message_id: this.#mintMessageId(String(chatId)),
      date: Math.floor(Date.now() / 1000),
      chat: this.#chat(String(chatId)),
      text,
      // A message in a forum topic: Telegram marks it and names the thread (General's have neither).
      ...(opts.topic !== undefined ? { message_thread_id: opts.topic, is_topic_message: true } : {}),
      // A card posted through the bot's inline mode.
      ...(opts.viaBot === true ? { via_bot: { id: this.botId, is_bot: true, first_name: 'goldratio', username: this.username } } : {}),
      // Forwarded: another user's message, sent an hour before, as Telegram's forward_origin names it (Bot API 7.0).
      ...(opts.forwardedFrom !== undefined
        ? { forward_origin: { type: 'user', sender_user: { is_bot: false, ...opts.forwardedFrom }, date: Math.floor(Date.now() / 1000) - 3600 } }
        : {}),
    };
    // As Telegram marks one: a slash and Latin letters, digits or _ (`/價格` is plain text), `@bot` after.
    const cmd = /^\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]+)?/.exec(text);
    if (cmd !== null) message.entities = [{ type: 'bot_command', offset: 0, length: cmd[0].length }];
    if (chatType === 'channel') return this.pushUpdate({ channel_post: { ...message, sender_chat: this.#chat(String(chatId)) } });
    // A member posting in a group as their channel: Telegram's Channel_Bot as the sender, the channel as sender_chat.
    if (opts.asChannel !== undefined)
      return this.pushUpdate({
        message: {
          ...message,
          from: { id: 136817688, is_bot: true, first_name: 'Channel', username: 'Channel_Bot' },
          sender_chat: { id: opts.asChannel.id, type: 'channel', title: opts.asChannel.title },
        },
      });
    return this.pushUpdate({ message: { ...message, from: { is_bot: false, ...from } } });
  }

  /**
   * Queues the copy of a channel's post that Telegram forwards into the channel's linked discussion
   * group (is_automatic_forward, sent by the service account 777000 as the channel), or, with
   * `edited`, the edit of that copy when the post is edited.
   */
  automaticForward(groupId: number, channelId: number, text: string, opts: { edited?: boolean } = {}): number {
    this.#chatTypes.set(String(groupId), 'supergroup');
    this.#chatTypes.set(String(channelId), 'channel');
    const now = Math.floor(Date.now() / 1000);
    const channel = this.#chat(String(channelId));
    const cmd = /^\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]+)?/.exec(text);
    const message: Json = {
      message_id: this.#mintMessageId(String(groupId)),
      date: now,
      chat: this.#chat(String(groupId)),
      from: { id: 777000, is_bot: false, first_name: 'Telegram' },
      sender_chat: channel,
      is_automatic_forward: true,
      forward_origin: { type: 'channel', chat: channel, message_id: 1, date: now },
      text,
      ...(cmd !== null ? { entities: [{ type: 'bot_command', offset: 0, length: cmd[0].length }] } : {}),
      ...(opts.edited === true ? { edit_date: now } : {}),
    };
    return this.pushUpdate(opts.edited === true ? { edited_message: message } : { message });
  }

  /** Queues a photo sent with a caption (a command in it gets its bot_command caption entity, as Telegram marks one). */
  captionedPhoto(chatId: number, caption: string, from: FakeUser = DEFAULT_USER, chatType: ChatType = chatId > 0 ? 'private' : 'supergroup'): number {
    this.#chatTypes.set(String(chatId), chatType);
    const cmd = /^\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]+)?/.exec(caption);
    return this.pushUpdate({
      message: {
        message_id: this.#mintMessageId(String(chatId)),
        date: Math.floor(Date.now() / 1000),
        chat: this.#chat(String(chatId)),
        from: { is_bot: false, ...from },
        photo: [{ file_id: 'user-photo', file_unique_id: 'user-photo', width: 90, height: 90 }],
        caption,
        ...(cmd !== null ? { caption_entities: [{ type: 'bot_command', offset: 0, length: cmd[0].length }] } : {}),
      },
    });
  }

  /**
   * Queues a user's edit of a message they sent `sentSecondsAgo` before (an `edited_message`, as
   * Telegram sends one to a bot that asked for them), with its new text.
   */
  editedMessage(
    chatId: number,
    messageId: number,
    text: string,
    from: FakeUser = DEFAULT_USER,
    sentSecondsAgo = 10,
    opts: { caption?: boolean; channel?: boolean } = {},
  ): number {
    const now = Math.floor(Date.now() / 1000);
    const cmd = /^\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]+)?/.exec(text);
    const entities = cmd !== null ? [{ type: 'bot_command', offset: 0, length: cmd[0].length }] : undefined;
    // A photo's caption edited carries the photo and caption_entities; a channel post edited is an edited_channel_post.
    const body: Json =
      opts.caption === true
        ? {
            photo: [{ file_id: 'user-photo', file_unique_id: 'user-photo', width: 90, height: 90 }],
            caption: text,
            ...(entities !== undefined ? { caption_entities: entities } : {}),
          }
        : { text, ...(entities !== undefined ? { entities } : {}) };
    const message: Json = { message_id: messageId, date: now - sentSecondsAgo, edit_date: now, chat: this.#chat(String(chatId)), ...body };
    if (opts.channel === true) {
      this.#chatTypes.set(String(chatId), 'channel');
      return this.pushUpdate({ edited_channel_post: { ...message, chat: this.#chat(String(chatId)), sender_chat: this.#chat(String(chatId)) } });
    }
    return this.pushUpdate({ edited_message: { ...message, from: { is_bot: false, ...from } } });
  }

  /** Queues an inline query (`@bot <query>` typed in any chat) and returns its id, as answerInlineQuery names it. */
  inlineQuery(query: string, from: FakeUser = DEFAULT_USER, chatType: ChatType = 'private'): string {
    const id = `iq${this.#nextUpdateId}`;
    this.pushUpdate({
      inline_query: {
        id,
        from: { is_bot: false, ...from },
        query,
        offset: '',
        chat_type: chatType === 'channel' ? 'channel' : chatType === 'private' ? 'sender' : chatType,
      },
    });
    return id;
  }

  /** The answerInlineQuery call for an inline query id, once it came. */
  inlineAnswer(queryId: string, timeoutMs = WAIT_MS): Promise<RecordedCall> {
    return this.waitFor((c) => c.method === 'answerInlineQuery' && c.params.inline_query_id === queryId, timeoutMs);
  }

  /** Queues a button press on a message the bot sent. */
  callbackQuery(chatId: number, messageId: number, data: string, from: FakeUser = DEFAULT_USER): number {
    const message = this.#sent.get(`${chatId}:${messageId}`) ?? {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat: this.#chat(String(chatId)),
      from: this.#botUser(),
    };
    return this.pushUpdate({
      callback_query: { id: `cq${this.#nextUpdateId}`, from: { is_bot: false, ...from }, chat_instance: `ci${chatId}`, message, data },
    });
  }

  /** Makes a supergroup a forum (its chat object says is_forum). */
  setForum(chatId: number | string): void {
    this.#forums.add(String(chatId));
  }

  /**
   * A forum's admins turn topics off: the chat is a plain supergroup again (no is_forum), and a send
   * naming one of its old topics answers 400 "message thread not found", as Telegram does.
   */
  topicsOff(chatId: number | string): void {
    this.#forums.delete(String(chatId));
    this.#topicsOff.add(String(chatId));
  }

  /** A topic closed or deleted: sends into it answer 400 as Telegram does. */
  closeTopic(chatId: number | string, threadId: number, how: 'closed' | 'deleted'): void {
    this.#closedTopics.set(`${chatId}:${threadId}`, how === 'closed' ? 'Bad Request: TOPIC_CLOSED' : 'Bad Request: message thread not found');
  }

  /**
   * A forum's General topic closed by its admins: only admins may post there, so a send naming no
   * topic answers 400 TOPIC_CLOSED, as Telegram does (General cannot be deleted, only closed).
   */
  closeGeneral(chatId: number | string): void {
    this.#closedTopics.set(`${chatId}:${GENERAL_TOPIC}`, 'Bad Request: TOPIC_CLOSED');
  }

  setChatType(chatId: number | string, type: ChatType): void {
    this.#chatTypes.set(String(chatId), type);
  }

  /** A user's membership as getChatMember answers it: a status, or a status and rights (a restricted bot that may send, a channel admin without Post Messages). */
  setMember(chatId: number | string, userId: number, status: MemberState): void {
    this.#members.set(`${chatId}:${userId}`, status);
  }

  /**
   * What a group lets its members do (getChat's `permissions`, Telegram's ChatPermissions): a bot that
   * is a plain member there is refused a send they forbid, as Telegram refuses it.
   */
  setPermissions(chatId: number | string, permissions: Readonly<Record<string, boolean>>): void {
    this.#permissions.set(String(chatId), permissions);
  }

  /**
   * Injects a fault for one chat (or '*' for every chat) for the next `times` matching calls: sends
   * and edits, or another method naming the chat (getChatMember) when `methods` names it.
   */
  fault(target: number | string, fault: Fault, opts: { times?: number; methods?: readonly string[] } = {}): void {
    this.#faults.push({ target: String(target), fault, remaining: opts.times ?? Infinity, methods: opts.methods });
  }

  /** Injects a fault for a method that names no chat (getMe, setWebhook) for its next `times` calls. */
  failMethod(method: string, fault: Exclude<Fault, { kind: 'network' }>, times = Infinity): void {
    this.#methodFaults.push({ method, fault, remaining: times });
  }

  /**
   * Holds the answer of every call of `method` for `ms` (a slow or stalled Bot API: the connection
   * taken, nothing said); `held` lists the requests waiting meanwhile. 0 ends it for later calls.
   */
  slow(method: string, ms: number): void {
    if (ms > 0) this.#slow.set(method, ms);
    else this.#slow.delete(method);
  }

  clearFaults(): void {
    this.#methodFaults.length = 0;
    this.#faults.length = 0;
  }

  /** The last version of a message the bot sent or edited. */
  message(chatId: number | string, messageId: number): Readonly<Json> | undefined {
    return this.#sent.get(`${chatId}:${messageId}`);
  }

  callsTo(method: string, chatId?: number | string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && (chatId === undefined || c.chatId === String(chatId)));
  }

  /** Successful photo uploads (multipart with file bytes), as opposed to sends by file_id. */
  uploads(): RecordedCall[] {
    return this.calls.filter((c) => c.status === 200 && c.files.length > 0);
  }

  /**
   * Resolves with the first call (past or future) matching `pred`, among the calls from index
   * `from` on; rejects after `timeoutMs` (default WAIT_MS, wait.ts). `pred` runs again over those
   * calls at every new one: a wait for what follows a message passes the calls' count before it
   * rather than looking each call up (`calls.indexOf`), which made a file's waits quadratic.
   */
  waitFor(pred: (c: RecordedCall) => boolean, timeoutMs = WAIT_MS, from = 0): Promise<RecordedCall> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        let hit: RecordedCall | undefined;
        for (let i = from; i < this.calls.length && hit === undefined; i++) if (pred(this.calls[i]!)) hit = this.calls[i];
        if (hit === undefined) return false;
        this.#listeners.delete(check);
        clearTimeout(timer);
        resolve(hit);
        return true;
      };
      const timer = setTimeout(() => {
        this.#listeners.delete(check);
        reject(new Error(`fake telegram: no matching call within ${timeoutMs} ms; calls: ${this.calls.map((c) => c.method).join(', ')}`));
      }, timeoutMs);
      if (!check()) this.#listeners.add(check);
    });
  }

  // ---- the server -----------------------------------------------------------------------------

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (m === null || m[1] !== this.token) return this.#send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const method = m[2] as string;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    let params: Json = {};
    let files: MultipartFile[] = [];
    const boundary = multipartBoundary(req.headers['content-type']);
    if (boundary !== undefined) {
      const parsed = parseMultipart(body, boundary);
      for (const f of parsed.fields) params[f.name] = /^[[{]/.test(f.value) ? JSON.parse(f.value) : f.value;
      files = [...parsed.files];
    } else if (body.length > 0) {
      params = JSON.parse(body.toString('utf8')) as Json;
    }
    const slowMs = this.#slow.get(method);
    if (slowMs !== undefined) {
      this.held.push(method);
      for (const l of [...this.#listeners]) l();
      await new Promise((r) => setTimeout(r, slowMs).unref());
      this.held.splice(this.held.indexOf(method), 1);
      // The client gave up meanwhile (its timeout, or an abort): nothing to answer.
      if (res.destroyed || req.socket.destroyed) return;
    }
    const chatId = params.chat_id !== undefined ? String(params.chat_id) : scopeChat(method, params.scope);
    const record = (status: number, description?: string, result?: unknown): RecordedCall => {
      const call: RecordedCall = {
        method,
        params,
        chatId,
        files,
        at: Date.now(),
        status,
        ...(description !== undefined ? { description } : {}),
        ...(result !== undefined ? { result } : {}),
      };
      this.calls.push(call);
      for (const l of [...this.#listeners]) l();
      return call;
    };

    const methodFault = this.#methodFaults.find((r) => r.remaining > 0 && r.method === method);
    if (methodFault !== undefined) {
      methodFault.remaining--;
      const err = faultBody(methodFault.fault);
      record(err.error_code, err.description);
      return this.#send(res, err.error_code, err);
    }

    // Another method naming a chat (getChatMember) meets a fault only when the rule names it.
    const named =
      chatId !== undefined && !CHAT_METHODS.has(method)
        ? this.#faults.find((r) => r.remaining > 0 && (r.target === chatId || r.target === '*') && r.methods?.includes(method) === true)
        : undefined;
    if (named !== undefined && named.fault.kind !== 'network') {
      named.remaining--;
      const err = faultBody(named.fault);
      record(err.error_code, err.description);
      return this.#send(res, err.error_code, err);
    }

    if (chatId !== undefined && CHAT_METHODS.has(method)) {
      const now = Date.now();
      if (SEND_METHODS.has(method) && Math.max(this.#waitUntil.get(chatId) ?? 0, this.#waitUntil.get('*') ?? 0) > now) {
        this.violations.push({ method, params, chatId, files, at: now, status: 0 });
      }
      const rule = this.#faults.find(
        (r) => r.remaining > 0 && (r.target === chatId || r.target === '*') && (r.methods === undefined || r.methods.includes(method)),
      );
      if (rule !== undefined) {
        rule.remaining--;
        if (rule.fault.kind === 'network') {
          record(0, 'network');
          req.socket.destroy();
          return;
        }
        if (rule.fault.kind === 'too-many') this.#waitUntil.set(rule.target, now + rule.fault.retryAfter * 1000);
        const err = faultBody(rule.fault);
        record(err.error_code, err.description);
        return this.#send(res, err.error_code, err);
      }
      if (SEND_METHODS.has(method) && this.#rate !== undefined && !this.#take(this.#rate, this.#now())) {
        this.rateLimited++;
        const retryAfter = 1;
        this.#waitUntil.set('*', now + retryAfter * 1000);
        const err = faultBody({ kind: 'too-many', retryAfter });
        record(429, err.description);
        return this.#send(res, 429, err);
      }
    }

    // The bot's own membership there (setMember with its id, setPermissions): a send it may not make is refused as Telegram refuses it.
    const refusal = chatId !== undefined && SEND_METHODS.has(method) ? this.#botRefused(chatId, method) : undefined;
    if (refusal !== undefined) {
      record(refusal.error_code, refusal.description);
      return this.#send(res, refusal.error_code, refusal);
    }

    // A send naming no topic goes to a forum's General topic (Telegram's thread 1).
    const thread = params.message_thread_id ?? (chatId !== undefined && this.#forums.has(chatId) ? GENERAL_TOPIC : undefined);
    const topicError =
      thread === undefined
        ? undefined
        : chatId !== undefined && this.#topicsOff.has(chatId)
          ? 'Bad Request: message thread not found'
          : this.#closedTopics.get(`${chatId}:${String(thread)}`);
    if (topicError !== undefined && SEND_METHODS.has(method)) {
      record(400, topicError);
      return this.#send(res, 400, { ok: false, error_code: 400, description: topicError });
    }
    if (method === 'getUpdates') return this.#getUpdates(params, req, res, record);
    const result = this.#answer(method, params, files, chatId);
    if ('error' in result) {
      record(result.error.error_code, result.error.description);
      return this.#send(res, result.error.error_code, result.error);
    }
    record(200, undefined, result.ok);
    const r = result.ok as Json;
    if (typeof r === 'object' && r !== null && 'message_id' in r && chatId !== undefined) this.#sent.set(`${chatId}:${String(r.message_id)}`, r);
    return this.#send(res, 200, { ok: true, result: result.ok });
  }

  #answer(method: string, p: Json, files: MultipartFile[], chatId: string | undefined): { ok: unknown } | { error: ErrorBody } {
    // Telegram reads the request as UTF-8: half of a surrogate pair (a string cut inside an emoji) is refused.
    if (!wellFormed(p)) return { error: { ok: false, error_code: 400, description: 'Bad Request: strings must be encoded in UTF-8' } };
    const refused = refusedText(method, p);
    if (refused !== undefined) return { error: { ok: false, error_code: 400, description: refused } };
    switch (method) {
      case 'getMe':
        return { ok: { ...this.#botUser(), can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: true } };
      case 'deleteWebhook':
        this.webhook = undefined;
        // As Telegram: the updates that came while nobody took them are dropped only when asked.
        if (p.drop_pending_updates === true) this.#updates.length = 0;
        return { ok: true };
      case 'setWebhook':
        this.webhook = { url: String(p.url), ...(p.secret_token !== undefined ? { secret_token: String(p.secret_token) } : {}) };
        if (p.drop_pending_updates === true) this.#updates.length = 0;
        return { ok: true };
      case 'getWebhookInfo':
        return { ok: { url: this.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: 0 } };
      case 'setMyCommands':
      case 'getMyCommands':
      case 'deleteMyCommands': {
        const r = this.menus.answer(method, p);
        return 'ok' in r ? r : { error: { ok: false, error_code: 400, description: r.description } };
      }
      case 'answerCallbackQuery':
        return { ok: true };
      case 'answerInlineQuery':
        return this.#inlineAnswer(p);
      case 'getChat': {
        const chat = this.#chat(chatId ?? '0');
        // A group's answer carries what its members may do (all of it unless setPermissions said otherwise).
        const group = chat.type === 'group' || chat.type === 'supergroup';
        return { ok: group ? { ...chat, permissions: this.#permissions.get(chatId ?? '0') ?? { can_send_messages: true, can_send_photos: true } } : chat };
      }
      case 'getChatMember': {
        const state = this.#members.get(`${chatId}:${String(p.user_id)}`) ?? this.defaultMemberStatus;
        return { ok: { ...(typeof state === 'string' ? { status: state } : state), user: { id: Number(p.user_id), is_bot: false, first_name: 'User' } } };
      }
      case 'sendMessage':
        return { ok: { ...this.#message(chatId ?? '0'), ...topic(p), text: String(p.text ?? ''), ...markup(p) } };
      case 'sendPhoto': {
        const photo = this.#photo(p.photo, files);
        if ('error' in photo) return photo;
        return {
          ok: {
            ...this.#message(chatId ?? '0'),
            ...topic(p),
            photo: photo.ok,
            ...(p.caption !== undefined ? { caption: String(p.caption) } : {}),
            ...markup(p),
          },
        };
      }
      case 'editMessageMedia':
      case 'editMessageText':
      case 'editMessageReplyMarkup':
      case 'editMessageCaption': {
        const key = `${chatId}:${String(p.message_id)}`;
        const before = this.#sent.get(key);
        if (before === undefined) return { error: { ok: false, error_code: 400, description: 'Bad Request: message to edit not found' } };
        const after: Json = { ...before, edit_date: Math.floor(Date.now() / 1000) };
        delete after.reply_markup;
        Object.assign(after, markup(p));
        if (method === 'editMessageMedia') {
          const media = p.media as Json | undefined;
          if (before.photo === undefined)
            return { error: { ok: false, error_code: 400, description: 'Bad Request: there is no media in the message to edit' } };
          const photo = this.#photo(media?.media, files);
          if ('error' in photo) return photo;
          after.photo = photo.ok;
          delete after.caption;
          if (media?.caption !== undefined) after.caption = String(media.caption);
        } else if (method === 'editMessageText') {
          if (before.text === undefined) return { error: { ok: false, error_code: 400, description: 'Bad Request: there is no text in the message to edit' } };
          after.text = String(p.text ?? '');
        } else if (method === 'editMessageCaption') {
          after.caption = String(p.caption ?? '');
        }
        return { ok: after };
      }
      default:
        return { error: { ok: false, error_code: 404, description: 'Not Found: method not found' } };
    }
  }

  /** Checks what Telegram checks of an inline answer: at most 50 results, unique ids, a known file_id for a cached photo. */
  #inlineAnswer(p: Json): { ok: unknown } | { error: ErrorBody } {
    const bad = (d: string) => ({ error: { ok: false as const, error_code: 400, description: `Bad Request: ${d}` } });
    if (typeof p.inline_query_id !== 'string') return bad('QUERY_ID_INVALID');
    const results = p.results as Json[] | undefined;
    if (!Array.isArray(results) || results.length > 50) return bad('RESULTS_TOO_MUCH');
    const ids = results.map((r) => String(r.id));
    if (ids.some((id) => id === '' || Buffer.byteLength(id) > 64)) return bad('RESULT_ID_INVALID');
    if (new Set(ids).size !== ids.length) return bad('RESULT_ID_DUPLICATE');
    for (const r of results) {
      if (r.type === 'photo' && r.photo_file_id !== undefined && !this.#fileIds.has(String(r.photo_file_id))) return bad('wrong file identifier');
      if (r.type === 'article' && typeof (r.input_message_content as Json | undefined)?.message_text !== 'string') return bad('MESSAGE_EMPTY');
    }
    return { ok: true };
  }

  /** An uploaded file (`attach://id`) gets a new file_id; a known file_id is reused; anything else is a 400. */
  #photo(ref: unknown, files: MultipartFile[]): { ok: Json[] } | { error: ErrorBody } {
    let fileId: string;
    if (typeof ref === 'string' && ref.startsWith('attach://')) {
      const file = files.find((f) => f.name === ref.slice('attach://'.length));
      if (file === undefined) return { error: { ok: false, error_code: 400, description: 'Bad Request: there is no photo in the request' } };
      // A file_id is its bot's, as Telegram's are: another bot (another token) is refused it.
      fileId = `AgACfake${this.token.split(':')[0]}x${this.#nextFile++}`;
      this.#fileIds.add(fileId);
    } else if (typeof ref === 'string' && this.#fileIds.has(ref)) {
      fileId = ref;
    } else {
      return { error: { ok: false, error_code: 400, description: 'Bad Request: wrong file identifier/HTTP URL specified' } };
    }
    const unique = fileId.replace('AgAC', 'AQAD');
    return {
      ok: [90, 320, 800].map((w) => ({
        file_id: w === 800 ? fileId : `${fileId}_${w}`,
        file_unique_id: `${unique}_${w}`,
        width: w,
        height: Math.round(w * 0.6),
      })),
    };
  }

  #getUpdates(p: Json, req: IncomingMessage, res: ServerResponse, record: (s: number) => RecordedCall): void {
    const offset = Number(p.offset ?? 0);
    if (offset > 0) this.#confirmed = Math.max(this.#confirmed, offset);
    // Confirmed updates are forgotten, like Telegram does.
    while (this.#updates.length > 0 && Number(this.#updates[0]?.update_id) < this.#confirmed) this.#updates.shift();
    const limit = Number(p.limit ?? 100);
    const timeoutMs = Number(p.timeout ?? 0) * 1000;
    // As Telegram: only the update types the bot asked for (allowed_updates) are delivered.
    const allowed = Array.isArray(p.allowed_updates) ? (p.allowed_updates as string[]) : undefined;
    const wanted = (u: Json) => allowed === undefined || Object.keys(u).some((k) => k !== 'update_id' && allowed.includes(k));
    const take = () => this.#updates.filter((u) => Number(u.update_id) >= offset && wanted(u)).slice(0, limit);
    const onClose = () => {
      this.#pollers.delete(finish);
      clearTimeout(timer);
    };
    const finish = () => {
      this.#pollers.delete(finish);
      clearTimeout(timer);
      // Keep-alive sockets carry many polls: drop this poll's listener.
      req.socket.off('close', onClose);
      if (res.writableEnded || res.destroyed) return;
      record(200);
      this.#send(res, 200, { ok: true, result: take() });
    };
    const timer = setTimeout(finish, timeoutMs);
    if (take().length > 0 || timeoutMs === 0) return finish();
    this.#pollers.add(finish);
    req.socket.once('close', onClose);
  }

  /**
   * Telegram's refusal of a send the bot may not make in a group or channel, by its membership there as
   * setMember gave it (kicked, left, restricted, a channel's admin without Post Messages) and a group's
   * permissions for members; undefined where it may (and in a private chat, where blocking is a fault to inject).
   */
  #botRefused(chatId: string, method: string): ErrorBody | undefined {
    const type = this.#chatTypes.get(chatId) ?? (Number(chatId) > 0 ? 'private' : 'supergroup');
    if (type === 'private') return undefined;
    // No membership set for the bot: as a channel's admin that may post, or a group's member (its permissions apply).
    const state = this.#members.get(`${chatId}:${this.botId}`) ?? (type === 'channel' ? { status: 'administrator', can_post_messages: true } : 'member');
    const m: Readonly<Record<string, unknown>> = typeof state === 'string' ? { status: state } : state;
    const kind = type === 'group' ? 'group' : type === 'channel' ? 'channel' : 'supergroup';
    const refuse = (code: 400 | 403, description: string): ErrorBody => ({ ok: false, error_code: code, description });
    if (m.status === 'kicked') return refuse(403, `Forbidden: bot was kicked from the ${kind} chat`);
    if (m.status === 'left' || (m.status === 'restricted' && m.is_member === false)) return refuse(403, `Forbidden: bot is not a member of the ${kind} chat`);
    if (m.status === 'creator' || m.status === 'administrator') {
      return type === 'channel' && m.status === 'administrator' && m.can_post_messages !== true
        ? refuse(400, 'Bad Request: need administrator rights in the channel chat')
        : undefined;
    }
    if (type === 'channel') return refuse(400, 'Bad Request: need administrator rights in the channel chat');
    // A restricted bot by its own rights; a plain member by what the group lets members do.
    const rights: Readonly<Record<string, unknown>> = m.status === 'restricted' ? m : (this.#permissions.get(chatId) ?? {});
    if (method === 'sendPhoto') return rights.can_send_photos === false ? refuse(400, 'Bad Request: not enough rights to send photos to the chat') : undefined;
    return rights.can_send_messages === false ? refuse(400, 'Bad Request: not enough rights to send text messages to the chat') : undefined;
  }

  #take(bucket: { limit: number; tokens: number; at: number }, now: number): boolean {
    bucket.tokens = Math.min(bucket.limit, bucket.tokens + ((now - bucket.at) / 1000) * bucket.limit);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  #send(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
  }

  #botUser(): Json {
    return { id: this.botId, is_bot: true, first_name: 'Goldratio', username: this.username };
  }

  #chat(chatId: string): Json {
    const type = this.#chatTypes.get(chatId) ?? (Number(chatId) > 0 ? 'private' : 'supergroup');
    if (type === 'private') return { id: Number(chatId), type, first_name: 'Ada' };
    return { id: Number(chatId), type, title: `Chat ${chatId}`, ...(this.#forums.has(chatId) ? { is_forum: true } : {}) };
  }

  #mintMessageId(chatId: string): number {
    const id = (this.#messageIds.get(chatId) ?? 0) + 1;
    this.#messageIds.set(chatId, id);
    return id;
  }

  #message(chatId: string, messageId?: number): Json {
    return {
      message_id: messageId ?? this.#mintMessageId(chatId),
      date: Math.floor(Date.now() / 1000),
      chat: this.#chat(chatId),
      from: this.#botUser(),
    };
  }
}

const topic = (p: Json): Json => (p.message_thread_id !== undefined ? { message_thread_id: Number(p.message_thread_id), is_topic_message: true } : {});
const markup = (p: Json): Json => (p.reply_markup !== undefined ? { reply_markup: p.reply_markup } : {});

/**
 * What Telegram refuses of a message's text or caption before sending it: HTML it cannot parse
 * (parse_mode HTML), an empty text, a text over 4096 or a caption over 1024 characters once parsed.
 */
/** Whether every string in a request's parameters is whole UTF-16 (no lone surrogate), as UTF-8 can carry it. */
function wellFormed(v: unknown): boolean {
  if (typeof v === 'string') return !/\p{Cs}/u.test(v);
  if (Array.isArray(v)) return v.every(wellFormed);
  if (typeof v === 'object' && v !== null && !Buffer.isBuffer(v)) return Object.values(v).every(wellFormed);
  return true;
}

function refusedText(method: string, p: Json): string | undefined {
  const media = p.media as Json | undefined;
  const [value, mode, isCaption] =
    method === 'sendMessage' || method === 'editMessageText'
      ? [p.text, p.parse_mode, false]
      : method === 'sendPhoto' || method === 'editMessageCaption'
        ? [p.caption, p.parse_mode, true]
        : method === 'editMessageMedia'
          ? [media?.caption, media?.parse_mode, true]
          : [undefined, undefined, true];
  if (value === undefined) return isCaption ? undefined : 'Bad Request: message text is empty';
  let text = String(value);
  if (mode === 'HTML') {
    const parsed = parseTelegramHtml(text);
    if (!parsed.ok) return parsed.description;
    text = parsed.text;
  }
  if (!isCaption && text.trim() === '') return 'Bad Request: message text is empty';
  if (isCaption && text.length > 1024) return 'Bad Request: message caption is too long';
  if (!isCaption && text.length > 4096) return 'Bad Request: message is too long';
  return undefined;
}

/**
 * The chat a menu call's scope names (setMyCommands, deleteMyCommands with {type:'chat', chat_id}):
 * recorded as the call's chat, so `callsTo('setMyCommands', chatId)` reads a chat's own menu calls and
 * `fault(chatId, …, { methods: ['setMyCommands'] })` refuses them.
 */
function scopeChat(method: string, scope: unknown): string | undefined {
  if (!method.endsWith('MyCommands')) return undefined;
  let s = scope;
  if (typeof s === 'string') {
    try {
      s = JSON.parse(s) as unknown;
    } catch {
      return undefined;
    }
  }
  const id = typeof s === 'object' && s !== null ? (s as Record<string, unknown>).chat_id : undefined;
  return id === undefined ? undefined : String(id);
}
