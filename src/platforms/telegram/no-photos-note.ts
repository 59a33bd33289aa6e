/**
 * Whether a chat that takes no photos from the bot was told so: its alerts come as text, and the
 * line saying why the chart is left out is said once, not under every alert. Kept in the meta table
 * (keys `telegram.no_photos:<chat>`, the time it was said), so replicas and a restart agree; said
 * again after NOTE_LASTS_MS, for a chat whose admins gave the right back and took it again since.
 */
import type { MetaStore } from '../../store/meta.ts';

const PREFIX = 'telegram.no_photos:';
const NOTE_LASTS_MS = 30 * 86_400_000;

export interface NoPhotosNote {
  /** Whether the chat was told lately that its alerts come without their chart. */
  told(chatId: string, nowMs: number): Promise<boolean>;
  /** The chat was told, now (after the message saying so went out). */
  tell(chatId: string, nowMs: number): Promise<void>;
}

export function metaNoPhotosNote(meta: Pick<MetaStore, 'get' | 'set'>): NoPhotosNote {
  return metaToldNote(meta, PREFIX, NOTE_LASTS_MS);
}

/** A chat told something once per `lastsMs`, kept in meta under `<prefix><chat>` (the time it was said). */
export function metaToldNote(meta: Pick<MetaStore, 'get' | 'set'>, prefix: string, lastsMs: number): NoPhotosNote {
  return {
    async told(chatId, nowMs) {
      const at = Number(await meta.get(`${prefix}${chatId}`));
      return Number.isFinite(at) && at > nowMs - lastsMs;
    },
    tell: (chatId, nowMs) => meta.set(`${prefix}${chatId}`, String(nowMs)),
  };
}

/**
 * Whether a chat whose alerts stopped was told, when the bot could post there again, why and how to
 * resume (handlers.ts my_chat_member): said once, not again on each later rise (unrestricted, then
 * promoted) within a day (keys `telegram.rights_back:<chat>`).
 */
export function metaRightsBackNote(meta: Pick<MetaStore, 'get' | 'set'>): NoPhotosNote {
  return metaToldNote(meta, 'telegram.rights_back:', 86_400_000);
}
