/**
 * Which settings commands an edit may still apply: at most one application per message. A command
 * sent and refused (`/quiet 25:00-07:00`) changed nothing, so the edit that fixes it
 * (`/quiet 23:00-07:00`) is applied, once; a command that was applied, or whose edit was, is never
 * applied again by an edit (`/mute 1h` edited to `/mute 2h` would mute twice). Kept in the meta
 * table (keys `telegram.command:<chat>:<message>`), so replicas and a restart agree; a message the
 * ledger does not know (sent before a restart that lost it, or as no settings command) is not
 * applied by an edit.
 */
import type { MetaStore } from '../../store/meta.ts';

const PREFIX = 'telegram.command:';
/** A message's entry once its edits are no longer answered (EDIT_WINDOW_S), and a margin. */
const PRUNE_AFTER_S = 20 * 60;
const PRUNE_EVERY_MS = 60_000;

export interface EditLedger {
  /** Before a settings command sent as a new message runs: its message counts as applied until settled. */
  begin(chatId: number, messageId: number, sentAtS: number, nowMs: number): Promise<void>;
  /** After it ran (or an edit of it): `applied` false when it changed nothing, so an edit may fix it. */
  settle(chatId: number, messageId: number, sentAtS: number, applied: boolean): Promise<void>;
  /** Whether an edit of the message may apply its command: true once, for a message whose command changed nothing. */
  claimEdit(chatId: number, messageId: number, sentAtS: number): Promise<boolean>;
}

const keyOf = (chatId: number, messageId: number) => `${PREFIX}${chatId}:${messageId}`;

/** The ledger over the meta table (compare-and-set: one of two edits arriving together claims). */
export function metaEditLedger(meta: Pick<MetaStore, 'set' | 'update' | 'withPrefix' | 'delete'>): EditLedger {
  let prunedAt = Number.NEGATIVE_INFINITY;
  async function prune(nowMs: number): Promise<void> {
    if (nowMs - prunedAt < PRUNE_EVERY_MS) return;
    prunedAt = nowMs;
    for (const { key, value } of await meta.withPrefix(PREFIX)) {
      const sentAtS = Number(value.split(' ')[1]);
      if (!(sentAtS * 1000 > nowMs - PRUNE_AFTER_S * 1000)) await meta.delete(key);
    }
  }
  return {
    async begin(chatId, messageId, sentAtS, nowMs) {
      await meta.set(keyOf(chatId, messageId), `applied ${sentAtS}`);
      await prune(nowMs);
    },
    async settle(chatId, messageId, sentAtS, applied) {
      await meta.set(keyOf(chatId, messageId), `${applied ? 'applied' : 'refused'} ${sentAtS}`);
    },
    async claimEdit(chatId, messageId, sentAtS) {
      const claimed = await meta.update(keyOf(chatId, messageId), (v) => (v?.startsWith('refused ') === true ? `applied ${sentAtS}` : undefined));
      return claimed !== undefined;
    },
  };
}

/** Messages the memory ledger keeps, the oldest forgotten first (an edit comes within minutes). */
const MEMORY_MAX = 10_000;

/** The same in memory, for a bot run without a database (one process: nothing to agree with). */
export function memoryEditLedger(): EditLedger {
  const states = new Map<string, 'applied' | 'refused'>();
  return {
    async begin(chatId, messageId) {
      states.set(keyOf(chatId, messageId), 'applied');
      if (states.size > MEMORY_MAX) states.delete(states.keys().next().value as string);
    },
    async settle(chatId, messageId, _sentAtS, applied) {
      states.set(keyOf(chatId, messageId), applied ? 'applied' : 'refused');
    },
    async claimEdit(chatId, messageId) {
      if (states.get(keyOf(chatId, messageId)) !== 'refused') return false;
      states.set(keyOf(chatId, messageId), 'applied');
      return true;
    },
  };
}
