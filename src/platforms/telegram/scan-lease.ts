/**
 * What the start's background scans of Telegram chats share (rights-scan.ts: chats stopped for lost
 * rights; type-scan.ts: chats with no recorded type): the claim in meta that lets one start of
 * several scan, renewed as the scan goes, and the ways a scan is cut short.
 */
import { setTimeout as sleep } from 'node:timers/promises';
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
