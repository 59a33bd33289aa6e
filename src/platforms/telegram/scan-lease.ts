/**
 * What the start's background scans of Telegram chats share (rights-scan.ts: chats stopped for lost
 * rights; type-scan.ts: chats with no recorded type): the claim in meta that lets one start of
 * several scan, renewed as the scan goes, the ways a scan is cut short, and the paced ask of one
 * chat (PacedAsk) that both make of Telegram.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GrammyError } from 'grammy';
import type { MetaStore } from '../../store/meta.ts';

/** Why a scan stopped before its end: its claim is given back so that the next start scans. */
export class CutShort extends Error {}

/** Telegram's answer for a group upgraded to a supergroup: its new id. */
export class Moved {
  constructor(readonly to: string) {}
}

/** Waits `ms`, or is cut short when the bot stops. */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    throw new CutShort('the bot stopped');
  }
}

/**
 * A scan's claim (`value`, written at `at`) in meta under `key`, renewed when a quarter of its lease
 * has passed; lost to another start meanwhile (this process was stalled past it), the scan stops.
 */
export class ScanClaim {
  #renewedAt: number;
  constructor(
    private readonly meta: Pick<MetaStore, 'update'>,
    private readonly key: string,
    private readonly leaseMs: number,
    private readonly now: () => number,
    private readonly encode: (ms: number) => string,
    /** The claim as this process wrote it last. */
    public mine: string,
    at: number,
  ) {
    this.#renewedAt = at;
  }

  async renew(): Promise<void> {
    const now = this.now();
    if (now - this.#renewedAt < this.leaseMs / 4) return;
    const next = this.encode(now);
    const mine = this.mine;
    if ((await this.meta.update(this.key, (value) => (value === mine ? next : undefined))) === undefined)
      throw new CutShort('another start took the scan over');
    this.mine = next;
    this.#renewedAt = now;
  }
}

/** 429s waited out for one chat before the scan gives up (and gives its claim back). */
export const MAX_WAITS = 5;

/**
 * A scan's asks of Telegram, one chat at a time: `gapMs` between two (20 a second at 50 ms, under
 * Telegram's limits), the claim renewed before each, a 429 waited out as its retry_after says (at
 * most MAX_WAITS times for one chat). What no later chat can fare better at cuts the scan short
 * (CutShort: the bot stopping, Telegram unreachable, a 429 past the waits, a 5xx); a group upgraded
 * to a supergroup is Moved; any other refusal is Telegram's word on that chat alone, handed back
 * for the scan to read (its GrammyError).
 */
export class PacedAsk {
  /** The chats asked so far (a 429's retry counted once). */
  asked = 0;
  constructor(
    private readonly claim: ScanClaim,
    private readonly gapMs: number,
    private readonly signal: AbortSignal,
  ) {}

  async ask<T>(method: string, call: (signal: AbortSignal) => Promise<T>): Promise<T | Moved | GrammyError> {
    if (this.asked > 0) await pause(this.gapMs, this.signal);
    await this.claim.renew();
    this.asked++;
    for (let waits = 0; ; waits++) {
      try {
        return await call(this.signal);
      } catch (e) {
        if (this.signal.aborted) throw new CutShort('the bot stopped');
        if (!(e instanceof GrammyError)) throw new CutShort(`Telegram unreachable: ${e instanceof Error ? e.message : String(e)}`);
        if (e.error_code === 429 && waits < MAX_WAITS) {
          await pause((e.parameters.retry_after ?? 1) * 1000, this.signal);
          continue;
        }
        if (e.error_code === 429 || e.error_code >= 500) throw new CutShort(`Telegram refused ${method}: ${e.error_code} ${e.description}`);
        if (e.parameters.migrate_to_chat_id !== undefined) return new Moved(String(e.parameters.migrate_to_chat_id));
        return e;
      }
    }
  }
}
