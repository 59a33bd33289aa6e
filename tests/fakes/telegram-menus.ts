/**
 * The Telegram fake's command menus, kept as the Bot API keeps them: one list per scope and
 * language_code (setMyCommands, getMyCommands, deleteMyCommands), read for a user in a chat in the
 * order the Bot API's "Determining list of commands" gives. A scope is read as the Bot API server
 * reads it (telegram-bot-api's Client::get_bot_command_scope): an unknown type is refused with
 * "can't parse BotCommandScope: Unsupported type specified", and a language_code that is neither
 * empty nor two lower-case letters (ISO 639-1: `zh`, never `zh-hans`) with "invalid language code
 * specified".
 */

export interface MenuCommand {
  readonly command: string;
  readonly description: string;
}

type Scope =
  | { readonly type: 'default' | 'all_private_chats' | 'all_group_chats' | 'all_chat_administrators' }
  | { readonly type: 'chat' | 'chat_administrators'; readonly chatId: string }
  | { readonly type: 'chat_member'; readonly chatId: string; readonly userId: string };

const CHATLESS = ['default', 'all_private_chats', 'all_group_chats', 'all_chat_administrators'] as const;
const WITH_CHAT = ['chat', 'chat_administrators', 'chat_member'] as const;

/** The Bot API's answer to a call it refuses. */
export interface MenuRefusal {
  readonly description: string;
}

function parseJson(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

/** The scope and language a call names, or the Bot API's refusal. */
function readKey(params: Readonly<Record<string, unknown>>): { key: string } | MenuRefusal {
  const raw = parseJson(params.scope);
  let scope: Scope = { type: 'default' };
  if (raw !== undefined) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      return { description: "Bad Request: can't parse BotCommandScope: BotCommandScope must be an Object" };
    const o = raw as Record<string, unknown>;
    if (typeof o.type !== 'string') return { description: `Bad Request: can't parse BotCommandScope: Can't find field "type"` };
    const type = o.type;
    if ((CHATLESS as readonly string[]).includes(type)) scope = { type: type as (typeof CHATLESS)[number] };
    else if ((WITH_CHAT as readonly string[]).includes(type)) {
      if (o.chat_id === undefined || o.chat_id === '') return { description: `Bad Request: can't parse BotCommandScope: Can't find field "chat_id"` };
      const chatId = String(o.chat_id);
      if (type === 'chat_member') {
        if (o.user_id === undefined) return { description: `Bad Request: can't parse BotCommandScope: Can't find field "user_id"` };
        scope = { type, chatId, userId: String(o.user_id) };
      } else scope = { type: type as 'chat' | 'chat_administrators', chatId };
    } else return { description: "Bad Request: can't parse BotCommandScope: Unsupported type specified" };
  }
  const lang = params.language_code === undefined ? '' : String(params.language_code);
  if (lang !== '' && !/^[a-z]{2}$/.test(lang)) return { description: 'Bad Request: invalid language code specified' };
  return { key: keyOf(scope, lang) };
}

function keyOf(scope: Scope, lang: string): string {
  const chat = 'chatId' in scope ? scope.chatId : '';
  const user = 'userId' in scope ? scope.userId : '';
  return JSON.stringify([scope.type, chat, user, lang]);
}

export class FakeMenus {
  readonly #lists = new Map<string, readonly MenuCommand[]>();

  /** setMyCommands, getMyCommands or deleteMyCommands: the result, or the Bot API's refusal. */
  answer(method: 'setMyCommands' | 'getMyCommands' | 'deleteMyCommands', params: Readonly<Record<string, unknown>>): { ok: unknown } | MenuRefusal {
    const k = readKey(params);
    if ('description' in k) return k;
    if (method === 'getMyCommands') return { ok: this.#lists.get(k.key) ?? [] };
    if (method === 'deleteMyCommands') {
      this.#lists.delete(k.key);
      return { ok: true };
    }
    const commands = parseJson(params.commands);
    if (!Array.isArray(commands)) return { description: "Bad Request: can't parse commands JSON object" };
    // An empty list is the same as deleting that scope's (the Bot API's own words for setMyCommands).
    if (commands.length === 0) this.#lists.delete(k.key);
    else this.#lists.set(k.key, commands as MenuCommand[]);
    return { ok: true };
  }

  /**
   * The menu a user sees: in a private chat with the bot (`chatId` the user's), or in a group, as an
   * administrator or not. The Bot API's order: the narrowest scope that has a list wins, each scope
   * first in the user's language, then without one. A user's language is matched by its first
   * subtag (`zh-hans` reads the `zh` list): the Bot API takes two-letter codes only.
   */
  seenBy(o: { chat: 'private' | 'group'; chatId: number | string; userId: number | string; languageCode?: string; admin?: boolean }): readonly MenuCommand[] {
    const lang = (o.languageCode ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
    const chatId = String(o.chatId);
    const scopes: Scope[] =
      o.chat === 'private'
        ? [{ type: 'chat', chatId }, { type: 'all_private_chats' }, { type: 'default' }]
        : [
            { type: 'chat_member', chatId, userId: String(o.userId) },
            ...(o.admin === true ? [{ type: 'chat_administrators' as const, chatId }] : []),
            { type: 'chat', chatId },
            ...(o.admin === true ? [{ type: 'all_chat_administrators' as const }] : []),
            { type: 'all_group_chats' },
            { type: 'default' },
          ];
    for (const scope of scopes) {
      for (const l of lang === '' ? [''] : [lang, '']) {
        const list = this.#lists.get(keyOf(scope, l));
        if (list !== undefined) return list;
      }
    }
    return [];
  }
}
