/**
 * A batch's deliveries whose record waits for an unreachable database (sent, not yet written), or
 * for a busy one (another process holds SQLite's write lock: an import, a backup). Said once when
 * the first meets it, naming how many of the batch's sends are out, and once when the last of them
 * is written: a paid broadcast has ~100 sends in flight, and a line for each would bury the one
 * thing an operator needs (the database is gone or busy, these wait, none is lost).
 */
import type { Logger } from '../log.ts';

const deliveries = (n: number) => `${n} ${n === 1 ? 'delivery' : 'deliveries'}`;

export class RecordWait {
  /** Rows of the batch being sent or having their outcome written. */
  readonly #out = new Set<number>();
  /** Rows whose record met the unreachable database and is not written yet. */
  readonly #waiting = new Set<number>();
  #recorded = 0;
  #since: number | undefined;
  /** The same for the records that found the database busy. */
  readonly #busy = new Set<number>();
  #busyRecorded = 0;
  #busySince: number | undefined;

  constructor(
    readonly platform: string,
    /** Records are tried again until then (the claim's lease, as extended): before it, no other sender takes the row. */
    readonly leaseEnd: () => number,
    /** Called at each unreachable try: no new send starts. */
    readonly onUnreachable: () => void,
    readonly log: Logger | undefined,
    readonly now: () => number,
  ) {}

  /** Until when records are tried again. */
  get until(): number {
    return this.leaseEnd();
  }

  /** Row `id`'s send starts. */
  sending(id: number): void {
    this.#out.add(id);
  }

  /** Row `id`'s outcome is written (or given up with the batch). */
  settled(id: number): void {
    this.#out.delete(id);
  }

  /** Row `id`'s record met the unreachable database. */
  unreachable(id: number, reason: string): void {
    this.onUnreachable();
    if (this.#waiting.has(id)) return;
    if (this.#since === undefined) {
      this.#since = this.now();
      const n = Math.max(1, this.#out.size);
      this.log?.warn(
        `${this.platform}: the database cannot be reached (${reason}) to record what was sent: ${deliveries(n)} (sent, or still sending) ${n === 1 ? 'waits' : 'wait'} to be recorded and no new send starts; recording ${n === 1 ? 'it' : 'them'} again until the database is back`,
      );
    }
    this.#waiting.add(id);
  }

  /** Row `id`'s record found the database busy; new sends go on (a lock is held for seconds, not minutes). */
  busy(id: number): void {
    if (this.#busy.has(id)) return;
    if (this.#busySince === undefined) {
      this.#busySince = this.now();
      const n = Math.max(1, this.#out.size);
      this.log?.warn(
        `${this.platform}: the database is busy (another process holds its write lock); recording what was sent again until it is stored: ${deliveries(n)} (sent, or still sending) ${n === 1 ? 'waits' : 'wait'}`,
      );
    }
    this.#busy.add(id);
  }

  /** Row `id`'s record, which found the database busy, is written. */
  busyRecorded(id: number): void {
    if (!this.#busy.delete(id)) return;
    this.#busyRecorded++;
    if (this.#busy.size > 0 || this.#busySince === undefined) return;
    this.log?.info(
      `${this.platform}: the database took the waiting records: ${deliveries(this.#busyRecorded)} recorded after ${Math.round((this.now() - this.#busySince) / 1000)} s`,
    );
    this.#busyRecorded = 0;
    this.#busySince = undefined;
  }

  /** Row `id`'s record is written. */
  recorded(id: number): void {
    if (!this.#waiting.delete(id)) return;
    this.#recorded++;
    if (this.#waiting.size > 0 || this.#since === undefined) return;
    this.log?.info(`${this.platform}: the database is back: ${deliveries(this.#recorded)} recorded after ${Math.round((this.now() - this.#since) / 1000)} s`);
    this.#recorded = 0;
    this.#since = undefined;
  }
}
