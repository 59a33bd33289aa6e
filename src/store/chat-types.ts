/**
 * What kind of chat each chat is, as its platform says (`chat_types`, migration 024): Telegram's
 * private, group, supergroup or channel. Recorded by the platform when a chat talks to the bot (or
 * the bot's membership there changes), read by its notifier to name the place in what it sends
 * (本群組, 本頻道). A chat's type is written once a process: a write where the row already says so
 * changes nothing, and a process remembers what it recorded, so a busy group costs no write per
 * message. The same queries on SQLite and PostgreSQL.
 */
import type { StoreDb } from './engine.ts';
import type { Platform } from '../domain/platform.ts';

/**
 * The type recorded for a chat its platform would not say the type of (Telegram's getChat answered a
 * 400 at the start's scan, platforms/telegram/type-scan.ts): scanned, with an error, so that the scan
 * does not ask it again. It names no place (notifier.ts placeOfType), and the chat's own next word to
 * the bot records its real type over it.
 */
export const UNANSWERED_TYPE = 'unanswered';

/** How many chats' types a process remembers (the least recently used forgotten first). */
export const CHAT_TYPES_REMEMBERED = 10_000;

export class ChatTypeStore {
  readonly #db: StoreDb;
  readonly #now: () => number;
  /**
   * `platform:chat` → the type this process last recorded, the most recently used last: at most
   * `remember` chats (a bot in many groups, or a chat's row pruned by retention, which a chat heard
   * from again after it fell out is recorded again for).
   */
  readonly #known = new Map<string, string>();
  readonly #remember: number;

  constructor(db: StoreDb, now: () => number = Date.now, remember = CHAT_TYPES_REMEMBERED) {
    this.#db = db;
    this.#now = now;
    this.#remember = Math.max(1, remember);
  }

  /** The remembered type, made the most recently used. */
  #recall(key: string): string | undefined {
    const type = this.#known.get(key);
    if (type !== undefined) {
      this.#known.delete(key);
      this.#known.set(key, type);
    }
    return type;
  }

  #note(key: string, type: string): void {
    this.#known.delete(key);
    this.#known.set(key, type);
    if (this.#known.size > this.#remember) this.#known.delete(this.#known.keys().next().value as string);
  }

  /** The chat's type as last recorded; undefined for a chat never recorded (one that has not talked to the bot since types were kept). */
  async get(platform: Platform, chatId: string): Promise<string | undefined> {
    const known = this.#recall(`${platform}:${chatId}`);
    if (known !== undefined) return known;
    const r = await this.#db.k.selectFrom('chat_types').select('type').where('platform', '=', platform).where('chat_id', '=', chatId).executeTakeFirst();
    // Not remembered: another replica may record it meanwhile, and it is read only for a message that names the place.
    return r?.type;
  }

  /**
   * The active subscriptions' chats of `platform` with no type recorded, in one read: those a start
   * asks about (platforms/telegram/type-scan.ts), subscribed before types were kept.
   */
  async untypedActive(platform: Platform): Promise<string[]> {
    const rows = await this.#db.k
      .selectFrom('subscriptions as s')
      .leftJoin('chat_types as c', (j) => j.onRef('c.platform', '=', 's.platform').onRef('c.chat_id', '=', 's.chat_id'))
      .select('s.chat_id')
      .where('s.platform', '=', platform)
      .where('s.active', '=', 1)
      .where('c.chat_id', 'is', null)
      .orderBy('s.chat_id')
      .execute();
    return rows.map((r) => r.chat_id);
  }

  /** Records the chat's type; nothing is written when this process recorded the same already. */
  async record(platform: Platform, chatId: string, type: string): Promise<void> {
    const key = `${platform}:${chatId}`;
    if (this.#recall(key) === type) return;
    const now = this.#now();
    await this.#db.k
      .insertInto('chat_types')
      .values({ platform, chat_id: chatId, type, updated_at: now })
      .onConflict((oc) => oc.columns(['platform', 'chat_id']).doUpdateSet({ type, updated_at: now }).where('chat_types.type', '<>', type))
      .execute();
    this.#note(key, type);
  }
}
