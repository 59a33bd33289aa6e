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
  return {
    async told(chatId, nowMs) {
      const at = Number(await meta.get(`${PREFIX}${chatId}`));
      return Number.isFinite(at) && at > nowMs - NOTE_LASTS_MS;
    },
    tell: (chatId, nowMs) => meta.set(`${PREFIX}${chatId}`, String(nowMs)),
  };
}
