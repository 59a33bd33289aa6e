/**
 * A batch's deliveries whose record waits for an unreachable database (sent, not yet written), or
 * for a busy one (another process holds SQLite's write lock: an import, a backup). Said once when
 * the first meets it, naming how many of the batch's sends are out, and once when the last of them
 * is written: a paid broadcast has ~100 sends in flight, and a line for each would bury the one
 * thing an operator needs (the database is gone or busy, these wait, none is lost).
 */
import type { Logger } from '../log.ts';

const deliveries = (n: number) => `${n} ${n === 1 ? 'delivery' : 'deliveries'}`;

/**
 * One kind of wait (the database unreachable, or busy): the rows waiting, how many were recorded
 * since it began, and when it began. `wait` says the first line, `done` the last.
 */
class Spell {
  readonly #waiting = new Set<number>();
  #recorded = 0;
  #since: number | undefined;

  constructor(readonly now: () => number) {}

  /** Row `id` waits; `say` is called once, when the spell begins. */
  wait(id: number, say: () => void): void {
    if (this.#waiting.has(id)) return;
    if (this.#since === undefined) {
      this.#since = this.now();
      say();
    }
    this.#waiting.add(id);
  }

  /** Row `id`'s record is written; `say` is called when the last waiting one is, with how many and how long. */
  done(id: number, say: (recorded: number, seconds: number) => void): void {
    if (!this.#waiting.delete(id)) return;
    this.#recorded++;
    if (this.#waiting.size > 0 || this.#since === undefined) return;
    say(this.#recorded, Math.round((this.now() - this.#since) / 1000));
    this.#recorded = 0;
    this.#since = undefined;
  }
}

export class RecordWait {
  /** Rows of the batch being sent or having their outcome written. */
  readonly #out = new Set<number>();
  /** Records that met the unreachable database, and those that found it busy. */
  readonly #unreachable: Spell;
  readonly #busy: Spell;

  constructor(
    readonly platform: string,
    /** Records are tried again until then (the claim's lease, as extended): before it, no other sender takes the row. */
    readonly leaseEnd: () => number,
    /** Called at each unreachable try: no new send starts. */
    readonly onUnreachable: () => void,
    readonly log: Logger | undefined,
    readonly now: () => number,
  ) {
    this.#unreachable = new Spell(now);
    this.#busy = new Spell(now);
  }

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

  /** How many of the batch's sends are out, said as "N deliveries … wait(s)". */
  #outNow(): { n: number; text: string } {
    const n = Math.max(1, this.#out.size);
    return { n, text: deliveries(n) };
  }

  /** Row `id`'s record met the unreachable database. */
  unreachable(id: number, reason: string): void {
    this.onUnreachable();
    this.#unreachable.wait(id, () => {
      const { n, text } = this.#outNow();
      this.log?.warn(
        `${this.platform}: the database cannot be reached (${reason}) to record what was sent: ${text} (sent, or still sending) ${n === 1 ? 'waits' : 'wait'} to be recorded and no new send starts; recording ${n === 1 ? 'it' : 'them'} again until the database is back`,
      );
    });
  }

  /** Row `id`'s record found the database busy; new sends go on (a lock is held for seconds, not minutes). */
  busy(id: number): void {
    this.#busy.wait(id, () => {
      const { n, text } = this.#outNow();
      this.log?.warn(
        `${this.platform}: the database is busy (another process holds its write lock); recording what was sent again until it is stored: ${text} (sent, or still sending) ${n === 1 ? 'waits' : 'wait'}`,
      );
    });
  }

  /** Row `id`'s record, which found the database busy, is written. */
  busyRecorded(id: number): void {
    this.#busy.done(id, (recorded, seconds) =>
      this.log?.info(`${this.platform}: the database took the waiting records: ${deliveries(recorded)} recorded after ${seconds} s`),
    );
  }

  /** Row `id`'s record, which met the unreachable database, is written. */
  recorded(id: number): void {
    this.#unreachable.done(id, (recorded, seconds) =>
      this.log?.info(`${this.platform}: the database is back: ${deliveries(recorded)} recorded after ${seconds} s`),
    );
  }
}
