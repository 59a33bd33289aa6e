/**
 * A chat's own command menu (setMyCommands with the scope {type:'chat', chat_id}) where the menus
 * set per scope and language_code (bot.ts setMenu) would show another language than the chat's.
 * Telegram keys those menus by a two-letter code, so a zh-hans client reads the `zh` list, which is
 * Traditional: a Simplified chat (a private chat whose reader's app is zh-hans, zh-cn or zh-sg, any
 * chat after `/lang 简体`) gets the Simplified menu for itself. A private chat whose language is not
 * its reader's app's menu (an English app's chat set to Traditional, a zh-hans app's chat set back to
 * English) gets its language's too; a group's members' apps differ, so only a group in a language
 * with no Telegram menu of its own (langs.ts telegramMenu: Simplified) gets one. A chat whose language the general menus show again has its own deleted (deleteMyCommands with
 * the scope).
 *
 * What each chat was given is kept in meta (CHAT_MENU_PREFIX + chat id: the language and a hash of the
 * list), so a restart asks nothing of a chat already given its menu, and a new version's commands are
 * set at each chat's next update. In memory too, with the chat's subscription language, for the
 * KNOWN_CHATS chats seen last and MEMORY_MS at most: a chat's next updates read nothing (a burst of
 * 200 readers paid 400 reads, and a slow database held each chat's next update). The bot's own writes
 * of a subscription (a /lang, a /digest's first row, a group's move: subs-told.ts) tell it; a write
 * made elsewhere (the dispatcher's move of a group, another replica's /lang) is read when the
 * memory expires. Replicas answering the same chats (`shared`: webhook mode, or a standby that led
 * before) each remember what they saw, and each reads the database's marks of change (`changes`:
 * subs_version, bumped by every subscription write on any replica, and CHAT_MENUS_CHANGED, written
 * with every chat menu given or taken away) at most once per SHARED_CHECK_MS, at an update: when
 * either moved, everything remembered before is read again. So a chat whose language or menu another
 * replica changed is weighed as it is within about a second, not up to MEMORY_MS later: a reader's
 * app turned to Traditional after another replica set the chat to Traditional got an English menu
 * set over it. With replicas, a chat's write reads its menu again too
 * (tests/platforms/telegram/chat-menu-replicas.test.ts).
 *
 * The calls are made one at a time, MENU_GAP_MS apart (20 a second, under Telegram's limits, as the chat-type scan's getChat calls), at most MAX_WAITING waiting (beyond
 * that, and while a 429's retry_after runs, a chat is left for its next update). A refusal (the chat
 * blocked the bot, a 400) is logged once and not asked again in this process; a 429 pauses them all
 * for its retry_after, no answer (the network, a 5xx) for UNREACHABLE_PAUSE_S.
 * Nothing else waits on them: the reply was sent before. Only a message, its edit or a button pressed
 * asks (a private chat's my_chat_member is also the reader blocking the bot), and a stop cuts them short.
 */
import { createHash, randomUUID } from 'node:crypto';
import { GrammyError, type Api } from 'grammy';
import type { BotCommand } from 'grammy/types';
import { LANG_INFO, LANGS, type Lang } from '../../domain/i18n/index.ts';
import type { Logger } from '../../log.ts';
import type { MetaStore } from '../../store/meta.ts';
import type { Subscription } from '../../store/subscriptions.ts';
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
/** How long a chat's language and menu are remembered from their read (or the bot's write of the language): then read again at its next update. */
export const MEMORY_MS = 5 * 60_000;
/** With replicas, how often at most the database's marks of change (`changes`) are read: at an update, not on a timer. */
export const SHARED_CHECK_MS = 1000;
/** The meta key written with every chat menu given or taken away: another replica's memory of chats' menus is then stale. */
export const CHAT_MENUS_CHANGED = 'telegram.chat_menus_changed';

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
  /** Other processes answer this bot's chats too (replicas on one database): a chat's write reads its menu as given again. */
  readonly shared?: boolean;
  /**
   * With `shared`: the database's marks of change, read at most once per SHARED_CHECK_MS (bot.ts:
   * subs_version and CHAT_MENUS_CHANGED); a different answer forgets what was remembered before.
   */
  readonly changes?: () => Promise<string>;
}

/** What this process knows of a chat, read (or written) together and forgotten together. */
interface Known {
  /** Its subscription's language (undefined: no subscription). */
  readonly lang: Lang | undefined;
  /** When `lang` was read or written here (ms, the deps' clock). */
  readonly at: number;
  /** The marks of change it was read under (ChatMenus #epoch): another, and it is read again. */
  readonly epoch: number;
  /** Its meta `<lang> <hash>` once read or written (`value` undefined: none given). */
  readonly has?: { readonly value: string | undefined };
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
  /** Per chat, what is known of it, MEMORY_MS at most. */
  readonly #known = new LruCache<Known>(KNOWN_CHATS);
  /** Moved each time the marks of change read differ from the last: what was known before is stale. */
  #epoch = 0;
  /** The marks last read, and when (deps' clock); the read under way, which updates at once share. */
  #mark: string | undefined;
  #checkedAt = Number.NEGATIVE_INFINITY;
  #checking: Promise<void> | undefined;

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

  #now(): number {
    return (this.#d.now ?? Date.now)();
  }

  /**
   * With replicas: the marks of change read, at most once per SHARED_CHECK_MS; moved since the last
   * read, what is remembered is forgotten (unreadable, it stands until the next read). Never throws.
   */
  async #fresh(): Promise<void> {
    const changes = this.#d.changes;
    if (changes === undefined || this.#now() - this.#checkedAt < SHARED_CHECK_MS) return;
    this.#checking ??= (async () => {
      const at = this.#now();
      try {
        const mark = await changes();
        if (mark !== this.#mark) this.#epoch++;
        this.#mark = mark;
        this.#checkedAt = at;
      } catch {
        // The database unreadable: what is remembered stands (reading each chat would fail too, and
        // hold its update as long), and the marks are asked again a second later, not at every update.
        this.#checkedAt = at;
      } finally {
        this.#checking = undefined;
      }
    })();
    await this.#checking;
  }

  /** What is known of the chat, unless it is older than MEMORY_MS or than the last change seen (then forgotten). */
  #knownOf(chatId: string): Known | undefined {
    const known = this.#known.get(chatId);
    if (known === undefined || (this.#now() - known.at < MEMORY_MS && known.epoch === this.#epoch)) return known;
    this.#known.delete(chatId);
    return undefined;
  }

  /** The chat's subscription language (undefined: it has none), read by `read` once, then from memory (MEMORY_MS). Throws what `read` throws. */
  async subscriptionLang(chatId: string, read: () => Promise<Subscription | undefined>): Promise<Lang | undefined> {
    await this.#fresh();
    const known = this.#knownOf(chatId);
    if (known !== undefined) return known.lang;
    const at = this.#now();
    // The marks as they were before the read: a change seen while it runs makes it stale.
    const epoch = this.#epoch;
    const lang = (await read())?.lang;
    this.#known.set(chatId, { lang, at, epoch });
    return lang;
  }

  /**
   * A chat's subscription as this bot wrote it (its language kept), or undefined where what it holds
   * is not known (a move, a failed write): read again. With replicas its menu is read again too:
   * another may have changed it since this one read it.
   */
  told(chatId: string, sub: Subscription | undefined): void {
    if (sub === undefined) {
      this.#known.delete(chatId);
      return;
    }
    const has = this.#d.shared === true ? undefined : this.#knownOf(chatId)?.has;
    this.#known.set(chatId, { lang: sub.lang, at: this.#now(), epoch: this.#epoch, ...(has !== undefined ? { has } : {}) });
  }

  /** The chat's menu as given (meta), remembered with its language where that is known. */
  async #given(chatId: string, key: string): Promise<string | undefined> {
    await this.#fresh();
    const known = this.#knownOf(chatId);
    if (known?.has !== undefined) return known.has.value;
    const value = await this.#d.meta.get(key);
    // Kept only beside the language it was read with (not one a write told meanwhile).
    if (known !== undefined && this.#known.get(chatId) === known) this.#known.set(chatId, { ...known, has: { value } });
    return value;
  }

  /** The chat's menu as just written (or, with `value` null, not known: a write under way or failed). */
  #gave(chatId: string, value: string | undefined | null): void {
    const known = this.#known.get(chatId);
    if (known === undefined) return;
    const { lang, at, epoch } = known;
    this.#known.set(chatId, value === null ? { lang, at, epoch } : { lang, at, epoch, has: { value } });
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
      const has = await this.#given(chatId, key);
      if (has === want) return;
      const what = `${chatId} ${lang ?? 'none'}`;
      if (this.#refused.has(what)) return;
      const now = () => this.#now();
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
        this.#gave(chatId, null);
        if (want === undefined) await this.#d.meta.delete(key);
        else await this.#d.meta.set(key, want);
        // Other replicas read their memory of chats' menus again (#fresh); this one knows what it gave.
        if (this.#d.changes !== undefined) await this.#d.meta.set(CHAT_MENUS_CHANGED, `${chatId} ${want ?? 'none'} ${randomUUID()}`);
        this.#gave(chatId, want);
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
