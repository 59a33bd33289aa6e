/**
 * Something a chat is told once per period (Telegram's "alerts come without their chart", the
 * rights-back note on Telegram and Discord): the time it was said is kept in the meta table under
 * `<prefix><chat>`, so replicas and a restart agree.
 */
import type { MetaStore } from './meta.ts';

export interface ToldNote {
  /** Whether the chat was told within the period. */
  told(chatId: string, nowMs: number): Promise<boolean>;
  /** The chat was told, now (after the message saying so went out). */
  tell(chatId: string, nowMs: number): Promise<void>;
}

/** A chat told something once per `lastsMs`, kept in meta under `<prefix><chat>` (the time it was said). */
export function metaToldNote(meta: Pick<MetaStore, 'get' | 'set'>, prefix: string, lastsMs: number): ToldNote {
  return {
    async told(chatId, nowMs) {
      const at = Number(await meta.get(`${prefix}${chatId}`));
      return Number.isFinite(at) && at > nowMs - lastsMs;
    },
    tell: (chatId, nowMs) => meta.set(`${prefix}${chatId}`, String(nowMs)),
  };
}
