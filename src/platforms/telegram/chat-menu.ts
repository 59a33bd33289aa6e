/**
 * A chat's own command menu (setMyCommands with the scope {type:'chat', chat_id}) where the menus
 * set per scope and language_code (bot.ts setMenu) would show another language than the chat's.
 * Telegram keys those menus by a two-letter code, so a zh-hans client reads the `zh` list, which is
 * Traditional: a Simplified chat (a private chat whose reader's app is zh-hans, zh-cn or zh-sg, any
 * chat after `/lang 简体`) gets the Simplified menu for itself. A private chat whose language is not
 * its reader's app's menu (an English app's chat set to Traditional, a zh-hans app's chat set back to
 * English) gets its language's too; a group's members' apps differ, so only a Simplified group gets
 * one. A chat whose language the general menus show again has its own deleted (deleteMyCommands with
 * the scope).
 *
 * What each chat was given is kept in meta (CHAT_MENU_PREFIX + chat id: the language and a hash of the
 * list), so a restart asks nothing of a chat already given its menu, and a new version's commands are
 * set at each chat's next update. In memory too, with the chat's subscription language, for the
 * KNOWN_CHATS chats seen last: a chat's next updates read nothing (a burst of 200 readers paid 400
 * reads, and a slow database held each chat's next update). The bot's own writes of a subscription
 * (a /lang, a /digest's first row, a group's move: subsTold) tell it; a language set by another
 * replica answering the same chat (webhook mode) is seen here after a restart, that replica having
 * set the chat's menu itself. The calls are made one at a time, MENU_GAP_MS apart (20 a second,
 * under Telegram's limits, as the chat-type scan's getChat calls), at most MAX_WAITING waiting (beyond
 * that, and while a 429's retry_after runs, a chat is left for its next update). A refusal (the chat
 * blocked the bot, a 400) is logged once and not asked again in this process; a 429 pauses them all
 * for its retry_after, no answer (the network, a 5xx) for UNREACHABLE_PAUSE_S.
 * Nothing else waits on them: the reply was sent before. Only a message, its edit or a button pressed
 * asks (a private chat's my_chat_member is also the reader blocking the bot), and a stop cuts them short.
 */
import { createHash } from 'node:crypto';
import { GrammyError, type Api } from 'grammy';
import type { BotCommand } from 'grammy/types';
import { LANG_INFO, LANGS, type Lang } from '../../domain/i18n/index.ts';
import type { Logger } from '../../log.ts';
import type { MetaStore } from '../../store/meta.ts';
import type { Subscription, SubscriptionStore } from '../../store/subscriptions.ts';
import { LruCache } from '../../charts/cache.ts';
import { oneLine } from '../../one-line.ts';

/** The meta key prefix of a chat's own menu as given: `<lang> <hash>`; no key, none given. */
export const CHAT_MENU_PREFIX = 'telegram.chat_menu:';
/** Between two menu calls: 20 a second at most. */
export const MENU_GAP_MS = 50;
/** The pause after a menu call met no answer (the network, a timeout, a 5xx). */
export const UNREACHABLE_PAUSE_S = 30;
/** Chats waiting for their turn beyond which a chat is left for its next update. */
export const MAX_WAITING = 100;

/** Chats whose menu and language are kept in memory; beyond, the least recently seen is read again at its next update. */
export const KNOWN_CHATS = 5000;

export type MenuChatType = 'private' | 'group';

/** The language of the menu a client of `code` reads where no chat menu is set (bot.ts MENU_LANGS: its first subtag, else the default list's). */
export function generalMenuLang(code: string | undefined): Lang {
  const first = (code ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  const listed = LANGS.find((l) => LANG_INFO[l].telegramMenu === first);
  return listed ?? LANGS.find((l) => LANG_INFO[l].telegramMenu === 'default') ?? 'en';
}

/** The language a chat's own menu should be in, or undefined where the general menus read right. */
export function chatMenuLang(chatType: MenuChatType, chatLang: Lang | undefined, userCode: string | undefined): Lang | undefined {
  if (chatLang === undefined) return undefined;
  // A group's members' apps differ: only a language Telegram has no menu of its own for (Simplified: `zh` is Traditional's) gets the group's.
  if (chatType === 'group') return LANG_INFO[chatLang].telegramMenu === undefined ? chatLang : undefined;
  return chatLang === generalMenuLang(userCode) ? undefined : chatLang;
}

export interface ChatMenuDeps {
  /** An Api without auto-retry: a 429 pauses the menus here rather than holding a chat's updates. */
  readonly api: Api;
  readonly meta: Pick<MetaStore, 'get' | 'set' | 'delete'>;
  readonly log: Logger;
  /** A menu's commands in `lang` as `chatType` reads them (bot.ts menuCommands). */
  readonly commands: (lang: Lang, chatType: MenuChatType) => BotCommand[];
  readonly now?: () => number;
  readonly gapMs?: number;
}

export class ChatMenus {
  readonly #d: ChatMenuDeps;
  /** The last call's turn: each waits for the one before, then MENU_GAP_MS. */
  #turn: Promise<void> = Promise.resolve();
  #waiting = 0;
  /** Until when a 429 asked to wait (ms). */
  #pausedUntil = 0;
  /** `chat lang` refused in this process: not asked, nor logged, again until a restart. */
  readonly #refused = new Set<string>();
  /** Aborted by close: a call on the wire ends at once, and those waiting ask nothing. */
  #stop = new AbortController();
  /** Per chat, its meta `<lang> <hash>` as read or written (undefined: none given). */
  readonly #given = new LruCache<{ readonly has: string | undefined }>(KNOWN_CHATS);
  /** Per chat, its subscription's language as read or written (undefined: no subscription). */
  readonly #langs = new LruCache<{ readonly lang: Lang | undefined }>(KNOWN_CHATS);

  /** Per language and chat type, its commands and their `<lang> <hash>`: the same for the process's life, made once, not at each update. */
  readonly #menus = new Map<string, { readonly commands: BotCommand[]; readonly want: string }>();

  constructor(d: ChatMenuDeps) {
    this.#d = d;
  }

  #menu(lang: Lang, chatType: MenuChatType): { readonly commands: BotCommand[]; readonly want: string } {
    const key = `${lang} ${chatType}`;
    let m = this.#menus.get(key);
    if (m === undefined) {
      const commands = this.#d.commands(lang, chatType);
      m = { commands, want: `${lang} ${createHash('sha256').update(JSON.stringify(commands)).digest('hex').slice(0, 12)}` };
      this.#menus.set(key, m);
    }
    return m;
  }

  /** The bot stops: the call on the wire is cut short and none waiting is made (each chat's next update after a start asks again). */
  close(): void {
    this.#stop.abort();
  }

  /** The bot starts (again, after a stop): menus are asked again. */
  open(): void {
    if (this.#stop.signal.aborted) this.#stop = new AbortController();
  }

  /** The chat's subscription language (undefined: it has none), read by `read` once, then from memory. Throws what `read` throws. */
  async subscriptionLang(chatId: string, read: () => Promise<Subscription | undefined>): Promise<Lang | undefined> {
    const known = this.#langs.get(chatId);
    if (known !== undefined) return known.lang;
    const lang = (await read())?.lang;
    this.#langs.set(chatId, { lang });
    return lang;
  }

  /** A chat's subscription as this bot wrote it (its language kept), or undefined where what it holds is not known (a move, a failed write): read again. */
  told(chatId: string, sub: Subscription | undefined): void {
    if (sub === undefined) this.#langs.delete(chatId);
    else this.#langs.set(chatId, { lang: sub.lang });
  }

  /**
   * After an update of `chatId` was handled: gives the chat its own menu, or takes it away, where
   * what it has differs from what its language wants. Never throws.
   */
  async settle(chatId: string, chatType: MenuChatType, chatLang: Lang | undefined, userCode: string | undefined): Promise<void> {
    try {
      const lang = chatMenuLang(chatType, chatLang, userCode);
      const menu = lang === undefined ? undefined : this.#menu(lang, chatType);
      const commands = menu?.commands;
      const want = menu?.want;
      const key = `${CHAT_MENU_PREFIX}${chatId}`;
      const given = this.#given.get(chatId);
      const has = given !== undefined ? given.has : await this.#d.meta.get(key);
      if (given === undefined) this.#given.set(chatId, { has });
      if (has === want) return;
      const what = `${chatId} ${lang ?? 'none'}`;
      if (this.#refused.has(what)) return;
      const now = this.#d.now ?? Date.now;
      if (now() < this.#pausedUntil || this.#waiting >= MAX_WAITING) return;
      this.#waiting++;
      const before = this.#turn;
      let done!: () => void;
      this.#turn = new Promise((r) => {
        done = r;
      });
      try {
        await before;
        const stop = this.#stop.signal;
        if (now() < this.#pausedUntil || stop.aborted) return;
        const scope = { type: 'chat' as const, chat_id: Number(chatId) };
        // grammY types its signal with the abort-controller package's AbortSignal; Node's is the same at run time.
        const signal = stop as Parameters<Api['deleteMyCommands']>[1];
        try {
          if (commands === undefined) await this.#d.api.deleteMyCommands({ scope }, signal);
          else await this.#d.api.setMyCommands(commands, { scope }, signal);
        } catch (e) {
          if (stop.aborted) return;
          if (!(e instanceof GrammyError) || e.error_code === 429 || e.error_code >= 500) {
            // A 429 says how long; the Bot API out of reach (or a 5xx), a while: meanwhile, no chat waits in line for it.
            const s = e instanceof GrammyError && e.error_code === 429 ? (e.parameters.retry_after ?? 1) : UNREACHABLE_PAUSE_S;
            this.#pausedUntil = now() + s * 1000;
            this.#d.log.info(`chat menus paused for ${s} s (${oneLine(e)}); chat ${chatId}'s is set at its next update`);
            return;
          }
          this.#refused.add(what);
          this.#d.log.info(
            `could not ${commands === undefined ? 'take away' : 'set'} chat ${chatId}'s own command menu${lang === undefined ? '' : ` (${lang})`}: ${oneLine(e)}; its replies are unchanged, and it is asked again after a restart`,
          );
          return;
        }
        // Forgotten first: a write that fails leaves the chat to be read again.
        this.#given.delete(chatId);
        if (want === undefined) await this.#d.meta.delete(key);
        else await this.#d.meta.set(key, want);
        this.#given.set(chatId, { has: want });
        this.#d.log.debug(commands === undefined ? `chat ${chatId}'s own command menu taken away` : `chat ${chatId}'s own command menu set (${lang})`);
      } finally {
        this.#waiting--;
        setTimeout(done, this.#d.gapMs ?? MENU_GAP_MS).unref();
      }
    } catch (e) {
      this.#d.log.warn(`chat ${chatId}'s command menu not checked: ${oneLine(e)}`);
    }
  }
}

/**
 * `subs` as the bot's handlers write through it: each Telegram subscription written (upsert, ensure,
 * endStopPart) tells `menus` its language, a move or a failed write forgets the chats it touched, so
 * a /lang changes the chat's menu at its next update without a read.
 */
export function subsTold(subs: SubscriptionStore, menus: Pick<ChatMenus, 'told'>): SubscriptionStore {
  const writes = new Set<PropertyKey>(['upsert', 'ensure', 'endStopPart']);
  return new Proxy(subs, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      const method = value as (...a: unknown[]) => unknown;
      if (!writes.has(key) && key !== 'move') return method.bind(target);
      return async (...args: unknown[]) => {
        const telegram = args[0] === 'telegram';
        try {
          const r = await method.apply(target, args);
          if (telegram && key === 'move') for (const id of args.slice(1, 3)) menus.told(String(id), undefined);
          else if (telegram) menus.told(String(args[1]), r as Subscription | undefined);
          return r;
        } catch (e) {
          if (telegram) for (const id of args.slice(1, key === 'move' ? 3 : 2)) menus.told(String(id), undefined);
          throw e;
        }
      };
    },
  });
}
