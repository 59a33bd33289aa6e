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

/**
 * A ToldNote whose saying is claimed before it is said: `claim` writes the time (a compare-and-set,
 * so two processes, or the my_chat_member handler and the start's scan in one, never both win
 * within the period), and what it returns gives the claim back when the message could not go out.
 */
export interface ClaimedNote extends ToldNote {
  /** Undefined when told within the period; else the chat is noted as told now, and the function returned undoes that (unless another claim came since). */
  claim(chatId: string, nowMs: number): Promise<(() => Promise<void>) | undefined>;
}

export function metaClaimedNote(meta: Pick<MetaStore, 'get' | 'set' | 'update'>, prefix: string, lastsMs: number): ClaimedNote {
  return {
    ...metaToldNote(meta, prefix, lastsMs),
    async claim(chatId, nowMs) {
      const key = `${prefix}${chatId}`;
      const mine = String(nowMs);
      let was: string | undefined;
      const won = await meta.update(key, (value) => {
        was = value;
        const at = Number(value);
        return value !== undefined && Number.isFinite(at) && at > nowMs - lastsMs ? undefined : mine;
      });
      if (won === undefined) return undefined;
      return async () => void (await meta.update(key, (value) => (value === mine ? (was ?? '0') : undefined)));
    },
  };
}
