/**
 * The subscription store as the Telegram bot's handlers write through it: each write that changes a
 * chat's language, or which chat holds a row, tells the chat menus' memory (chat-menu.ts), so a /lang
 * changes the chat's menu at its next update without a read.
 *
 * Which methods those are is stated for every method of the store (MENU_EFFECTS): a method added
 * to the store, or renamed, does not compile until it is placed there, and a method placed as one
 * that tells does not compile until it is wrapped here (TOLD). Writes made elsewhere (another
 * replica's /lang, the dispatcher's move of a group to its supergroup) reach the memory when it
 * expires (chat-menu.ts MEMORY_MS), or with replicas, once the marks of change read (subs_version,
 * at most once per chat-menu.ts SHARED_CHECK_MS) say something changed.
 */
import type { Platform } from '../../domain/platform.ts';
import type { PatchOf, Subscription, SubscriptionPatch, SubscriptionStore } from '../../store/subscriptions.ts';
import type { ChatMenus } from './chat-menu.ts';

/** The store's methods, each a name the type checker holds against the class. */
type StoreMethod = { [K in keyof SubscriptionStore]: SubscriptionStore[K] extends (...args: never[]) => unknown ? K : never }[keyof SubscriptionStore];

/**
 * What a method does to what the menus remember of a chat (its subscription's language, or none):
 * `reads` writes nothing; `keeps` writes, leaving every row where it was with its language (a stop
 * keeps both); `tells` writes the chat's row, its language among what a patch may set, and returns
 * it; `moves` moves a chat's row to another chat id (both are read again); `unit` is a step of a
 * larger unit of work that may yet be rolled back (store/webhooks.ts, for webhook rows): nothing is
 * told, and a Telegram row written so is read again when the memory expires.
 */
export type MenuEffect = 'reads' | 'keeps' | 'tells' | 'moves' | 'unit';

export const MENU_EFFECTS = {
  get: 'reads',
  byId: 'reads',
  unchangedSinceCreated: 'reads',
  stoppedForRights: 'reads',
  countActive: 'reads',
  version: 'reads',
  extraWatches: 'reads',
  ready: 'reads',
  deactivate: 'keeps',
  liftDigestStop: 'keeps',
  endStopPart: 'keeps',
  chatGone: 'keeps',
  upsert: 'tells',
  ensure: 'tells',
  move: 'moves',
  upsertOps: 'unit',
  chatGoneOps: 'unit',
} as const satisfies Record<StoreMethod, MenuEffect>;

/** The methods that tell or move: each wrapped in TOLD. */
type Telling = { [K in StoreMethod]: (typeof MENU_EFFECTS)[K] extends 'tells' | 'moves' ? K : never }[StoreMethod];

/** `subs` whose writes of a Telegram chat tell `menus`: a failed write forgets the chats it touched (read again at their next update). */
export function subsTold(subs: SubscriptionStore, menus: Pick<ChatMenus, 'told'>): SubscriptionStore {
  const forget = (platform: Platform, chatIds: readonly string[]) => {
    if (platform === 'telegram') for (const id of chatIds) menus.told(id, undefined);
  };
  async function tell<S extends Subscription | undefined>(platform: Platform, chatId: string, write: Promise<S>): Promise<S> {
    try {
      const sub = await write;
      if (platform === 'telegram') menus.told(chatId, sub);
      return sub;
    } catch (e) {
      forget(platform, [chatId]);
      throw e;
    }
  }
  const told: Pick<SubscriptionStore, Telling> = {
    // Either overload: a patch, or a patch made from the row (the second's type stands for both).
    upsert: ((platform: Platform, chatId: string, patch?: SubscriptionPatch | PatchOf) =>
      tell(platform, chatId, subs.upsert(platform, chatId, patch as PatchOf))) as SubscriptionStore['upsert'],
    ensure: (platform, chatId, patchIfNew) => tell(platform, chatId, subs.ensure(platform, chatId, patchIfNew)),
    move: async (platform, fromChatId, toChatId) => {
      try {
        await subs.move(platform, fromChatId, toChatId);
      } finally {
        forget(platform, [fromChatId, toChatId]);
      }
    },
  };
  return new Proxy(subs, {
    get(target, key) {
      if (typeof key === 'string' && Object.hasOwn(told, key)) return told[key as Telling];
      const value: unknown = Reflect.get(target, key, target);
      // The store's private fields are read through the store itself.
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
