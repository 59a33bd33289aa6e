/**
 * A batch's deliveries whose record waits for an unreachable database (sent, not yet written), for
 * a busy one (another process holds SQLite's write lock: an import, a backup), or for room on a full disk. Said once when
 * the first meets it, naming how many of the batch's sends are out, and once when the last of them
 * is written: a paid broadcast has ~100 sends in flight, and a line for each would bury the one
 * thing an operator needs (the database is gone or busy, these wait, none is lost).
 */
import type { Logger } from '../log.ts';

const deliveries = (n: number) => `${n} ${n === 1 ? 'delivery' : 'deliveries'}`;

/**
 * One kind of wait (the database unreachable, or busy): the deliveries its first line named (those
 * out then) and those that met it later, how many of them waited, and when it began. `wait` says the
 * first line; the last is said once every one of them is settled, so it accounts for each delivery
 * the first named: "40 wait", then "40 recorded", never "14 recorded" for the 26 that were written at
 * their first try, after the database came back (an operator read that as 26 lost).
 */
class Spell {
  readonly #members = new Set<number>();
  readonly #waited = new Set<number>();
  #total = 0;
  #since: number | undefined;

  constructor(readonly now: () => number) {}

  /** Row `id` waits; `say` is called once, when the spell begins, and `out` are the rows it names. */
  wait(id: number, out: ReadonlySet<number>, say: () => void): void {
    if (this.#waited.has(id)) return;
    if (this.#since === undefined) {
      this.#since = this.now();
      say();
      for (const o of out) this.#members.add(o);
      this.#total = this.#members.size;
    }
    if (!this.#members.has(id)) {
      this.#members.add(id);
      this.#total++;
    }
    this.#waited.add(id);
  }

  /**
   * Row `id` is settled (its outcome written); `say` is called when the last of the spell's rows is,
   * with how many there were, how many of them waited, and how long since the first line.
   */
  settle(id: number, say: (total: number, waited: number, seconds: number) => void): void {
    if (!this.#members.delete(id) || this.#members.size > 0 || this.#since === undefined) return;
    say(this.#total, this.#waited.size, Math.round((this.now() - this.#since) / 1000));
    this.#waited.clear();
    this.#total = 0;
    this.#since = undefined;
  }
}

/** "40 deliveries recorded after 3 s", and when some of them were written at their first try, which. */
const recordedLine = (total: number, waited: number, seconds: number): string =>
  `${deliveries(total)} recorded after ${seconds} s${waited < total ? ` (${waited} waited; the other ${total - waited} ${total - waited === 1 ? 'was' : 'were'} recorded at the first try)` : ''}`;

export class RecordWait {
  /** Rows of the batch being sent or having their outcome written. */
  readonly #out = new Set<number>();
  /** Records that met the unreachable database, those that found it busy, and those that found its disk full. */
  readonly #unreachable: Spell;
  readonly #busy: Spell;
  readonly #full: Spell;

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
    this.#full = new Spell(now);
  }

  /** Until when records are tried again. */
  get until(): number {
    return this.leaseEnd();
  }

  /** Row `id`'s send starts. */
  sending(id: number): void {
    this.#out.add(id);
  }

  /** Row `id`'s outcome is written: a spell whose rows are all written says so. */
  settled(id: number): void {
    this.#out.delete(id);
    this.#settle(id);
  }

  /** A write that waited is done: for a row not being sent (a dead one marked), that is the row settled. */
  written(id: number): void {
    if (!this.#out.has(id)) this.#settle(id);
  }

  #settle(id: number): void {
    this.#unreachable.settle(id, (total, waited, seconds) => this.log?.info(`${this.platform}: the database is back: ${recordedLine(total, waited, seconds)}`));
    this.#busy.settle(id, (total, waited, seconds) =>
      this.log?.info(`${this.platform}: the database took the waiting records: ${recordedLine(total, waited, seconds)}`),
    );
    this.#full.settle(id, (total, waited, seconds) =>
      this.log?.info(`${this.platform}: there is room on the disk again: ${recordedLine(total, waited, seconds)}`),
    );
  }

  /** How many of the batch's sends are out, said as "N deliveries … wait(s)". */
  #outNow(): { n: number; text: string } {
    const n = Math.max(1, this.#out.size);
    return { n, text: deliveries(n) };
  }

  /** Row `id`'s record met the unreachable database. */
  unreachable(id: number, reason: string): void {
    this.onUnreachable();
    this.#unreachable.wait(id, this.#out, () => {
      const { n, text } = this.#outNow();
      this.log?.warn(
        `${this.platform}: the database cannot be reached (${reason}) to record what was sent: ${text} (sent, or still sending) ${n === 1 ? 'waits' : 'wait'} to be recorded and no new send starts; recording ${n === 1 ? 'it' : 'them'} again until the database is back`,
      );
    });
  }

  /**
   * Row `id`'s record met a full disk (SQLITE_FULL, PostgreSQL's disk_full): no new send starts (it
   * could not be recorded either), and what was sent waits for room rather than being sent again.
   */
  full(id: number): void {
    this.onUnreachable();
    this.#full.wait(id, this.#out, () => {
      const { n, text } = this.#outNow();
      this.log?.warn(
        `${this.platform}: the disk holding the database is full: ${text} (sent, or still sending) ${n === 1 ? 'waits' : 'wait'} to be recorded and no new send starts; recording ${n === 1 ? 'it' : 'them'} again until there is room`,
      );
    });
  }

  /** Row `id`'s record found the database busy; new sends go on (a lock is held for seconds, not minutes). */
  busy(id: number): void {
    this.#busy.wait(id, this.#out, () => {
      const { n, text } = this.#outNow();
      this.log?.warn(
        `${this.platform}: the database is busy (another process holds its write lock); recording what was sent again until it is stored: ${text} (sent, or still sending) ${n === 1 ? 'waits' : 'wait'}`,
      );
    });
  }
}
