/**
 * The lease of one claimed batch while it is sent, for a sender that shares the outbox (replicas on
 * PostgreSQL). A fixed lease cannot be sized for every batch: a slow webhook (WEBHOOK_TIMEOUT_SECONDS
 * up to 120), a 429's retry_after on top of a slow send, a short OUTBOX_LEASE_SECONDS or an event
 * loop stalled can each outlast it, and then another sender takes rows this one is still sending.
 * So every third of the lease the rows the batch has not finished get a new lease (one UPDATE, only
 * those still this sender's: store/outbox.ts extendClaims), and a send starts only while the lease
 * known here still runs with a margin and its row is still this sender's. A failed extension (a
 * busy SQLite, an unreachable server) is said once per batch; the sends stop by themselves when the
 * lease known here ends.
 */
import type { Logger } from '../log.ts';
import type { OutboxStore } from '../store/outbox.ts';
import { oneLine } from '../one-line.ts';

const rows = (n: number) => `${n} claimed ${n === 1 ? 'row' : 'rows'}`;

export class BatchLease {
  #end: number;
  /** Rows an extension found no longer this sender's: another sender took them once the lease ran out. */
  readonly #lost = new Set<number>();
  /** Rows whose outcome this sender is writing: an extension that no longer finds one pending found it finished here. */
  readonly #finishing = new Set<number>();
  readonly #timer: NodeJS.Timeout;
  #extending: Promise<void> | undefined;
  #failedOnce = false;
  #lostSaid = false;

  constructor(
    readonly o: {
      readonly platform: string;
      readonly outbox: Pick<OutboxStore, 'extendClaims'>;
      readonly owner: string;
      readonly leaseMs: number;
      /** When the batch was claimed (before the claim was asked: its lease runs from no later). */
      readonly claimedAt: number;
      /** The rows of the batch still claimed and not finished: the ones to extend. */
      readonly unfinished: ReadonlySet<number>;
      readonly now: () => number;
      readonly log: Logger | undefined;
    },
  ) {
    this.#end = o.claimedAt + o.leaseMs;
    this.#timer = setInterval(() => {
      if (this.#extending === undefined) this.#extending = this.#extend().finally(() => (this.#extending = undefined));
    }, o.leaseMs / 3);
    this.#timer.unref();
  }

  /** Until when the batch's rows are known to be this sender's (records of deliveries wait until then). */
  get end(): number {
    return this.#end;
  }

  /**
   * Whether a send of row `id` may start: no other sender took it, and its lease has a sixth of its
   * length still to run. A batch whose extensions go through always has two thirds left; less means
   * they are failing or late, and the send about to start could outlast what remains.
   */
  allows(id: number): boolean {
    return !this.#lost.has(id) && this.o.now() < this.#end - this.o.leaseMs / 6;
  }

  /** Row `id` was taken by another sender: this one never sends it. */
  lost(id: number): boolean {
    return this.#lost.has(id);
  }

  /**
   * This sender is about to write row `id`'s outcome (sent, dead, deferred, held for quiet hours),
   * which ends its claim. The row leaves `unfinished` only once that write has answered, so an
   * extension running meanwhile (on another PostgreSQL connection, or while the outcome's own
   * follow-up waits: a dead chat's unsubscription) finds it neither pending nor claimed and would
   * otherwise call it taken by another sender: the handover's new leader said so of rows it had
   * just sent, with no other sender running.
   */
  finishing(id: number): void {
    this.#finishing.add(id);
  }

  /** The batch is over: no more extensions (one in flight is waited for, so none outlives the drain). */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#extending;
  }

  async #extend(): Promise<void> {
    const ids = [...this.o.unfinished].filter((id) => !this.#lost.has(id));
    if (ids.length === 0) return;
    const until = this.o.now() + this.o.leaseMs;
    try {
      const ours = new Set(await this.o.outbox.extendClaims(ids, this.o.owner, until));
      const lost = ids.filter((id) => !ours.has(id));
      for (const id of lost) this.#lost.add(id);
      // Rows finished meanwhile are not ours to extend either: only unfinished ones count as taken,
      // and of those not the ones whose outcome this sender is writing (finishing).
      const taken = lost.filter((id) => this.o.unfinished.has(id) && !this.#finishing.has(id));
      if (taken.length > 0 && !this.#lostSaid) {
        this.#lostSaid = true;
        this.o.log?.warn(
          `${this.o.platform}: ${rows(taken.length)} of this batch ${taken.length === 1 ? 'was' : 'were'} taken by another sender after this one's lease ran out; left to it, not sent from here`,
        );
      }
      if (ours.size > 0) this.#end = Math.max(this.#end, until);
    } catch (e) {
      if (this.#failedOnce) return;
      this.#failedOnce = true;
      this.o.log?.warn(
        `${this.o.platform}: could not extend the lease of ${rows(ids.length)} (${oneLine(e)}); trying again, and no send starts while the lease may have run out`,
      );
    }
  }
}
