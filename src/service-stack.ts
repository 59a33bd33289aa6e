/**
 * The running parts of the bot in the order they started; stop() stops them in the reverse, one
 * after the other, each given the chance to finish (a part that fails to stop is logged and the
 * next is stopped anyway). Starting something registers how it stops, in the same place.
 * An operator at LOG_LEVEL=info reads one line when it has stopped (and a warning per part that
 * failed to, named again in that line); each part's own "stopping: <name>" is debug.
 *
 * A stop may be given a budget (start's STOP_TIMEOUT_SECONDS): a part still stopping when it runs
 * out (the leadership waiting on a PostgreSQL gone silent, whose every query waits out its 30 s
 * deadline) is left, with the parts after it, and the one line names them; the process then ends
 * instead of outlasting its supervisor's grace and being killed mid-way. Nothing is lost by it:
 * what was not sent stays in the outbox, a claim ends with its lease, a leader's lock with its session.
 * But a send on the wire then (a slow webhook receiver, a Telegram call) may already have reached
 * the platform: left unrecorded, the next start would send it again. So the budget is extended for
 * the sends on the wire (`onTheWire`), each bounded by its own call's timeout and its record's grace.
 */
import type { Logger } from './log.ts';
import { spanText } from './store/pg-deadline.ts';
import { NO_ANSWER, within } from './within.ts';

/** What a stop did not finish: the parts left running, in stop order (empty: a clean stop). */
export interface StopResult {
  readonly left: readonly string[];
}

/** Sends on the wire that a stop waits for (Dispatcher.onTheWire): how many, and for how much longer at most. */
export interface OnTheWire {
  readonly sends: number;
  readonly forMs: number;
}

export interface StopOptions {
  /** No "stopped" line (a start that failed: its one line is the failure's). */
  readonly quiet?: boolean;
  /** How long the whole stop may take, in ms; absent: as long as its parts take. */
  readonly budgetMs?: number;
  /** The setting that gave the budget, named in the line when it runs out. */
  readonly budgetName?: string;
  /**
   * Asked when the budget runs out: sends still on the wire and how much longer they may take at
   * most (Dispatcher.onTheWire). The stop waits that long more for the part stopping, then goes on.
   */
  readonly onTheWire?: () => OnTheWire;
}

export class ServiceStack {
  readonly #log: Logger;
  readonly #stack: { readonly name: string; readonly stop: () => unknown }[] = [];
  #stopping: Promise<StopResult> | undefined;

  constructor(log: Logger) {
    this.#log = log;
  }

  /** Registers a started part; `stop` may return a promise, which is awaited. */
  add(name: string, stop: () => unknown): void {
    this.#stack.push({ name, stop });
  }

  /** Names in stop order (tests, logs). */
  get stopOrder(): string[] {
    return this.#stack.map((s) => s.name).reverse();
  }

  /** Stops every part, the last started first; calling it again returns the same promise. */
  stop(o: StopOptions = {}): Promise<StopResult> {
    this.#stopping ??= (async () => {
      const failed: string[] = [];
      const parts = this.#stack.toReversed();
      const budgetEnd = o.budgetMs === undefined ? undefined : performance.now() + o.budgetMs;
      let endAt = budgetEnd;
      /** The stop waited past its budget for sends on the wire. */
      let wired = false;
      for (const [i, s] of parts.entries()) {
        this.#log.debug(`stopping: ${s.name}`);
        const stopped = (async () => {
          try {
            await s.stop();
          } catch (e) {
            failed.push(s.name);
            this.#log.warn(`stopping ${s.name} failed: ${(e as Error).message}`);
          }
        })();
        if (endAt === undefined) {
          await stopped;
          continue;
        }
        const budget = `${spanText(o.budgetMs ?? 0)}${o.budgetName === undefined ? '' : ` (${o.budgetName})`}`;
        while ((await within(Math.max(0, endAt - performance.now()), stopped)) === NO_ANSWER) {
          const wire = o.onTheWire?.();
          if (wire !== undefined && wire.sends > 0 && wire.forMs > 0) {
            if (!wired) {
              this.#log.info(
                `${budget} spent with ${wire.sends} send(s) on the wire: waiting up to ${spanText(Math.ceil(wire.forMs))} more for their answers, so that each is recorded and the next start does not send it again`,
              );
            }
            wired = true;
            endAt = performance.now() + wire.forMs;
            continue;
          }
          const left = parts.slice(i).map((p) => p.name);
          const more = wired ? ` and ${spanText(Math.round(performance.now() - (budgetEnd ?? 0)))} more for the sends on the wire` : '';
          this.#log.warn(
            `stopped after ${budget}${more} without waiting for ${left[0]}${left.length > 1 ? `, nor ${left.slice(1).join(', ')}` : ''}: left for the next start (unsent alerts stay in the outbox)${failed.length > 0 ? `; not cleanly: ${failed.join(', ')} (said above)` : ''}`,
          );
          return { left };
        }
      }
      if (failed.length === 0) {
        if (o.quiet !== true) this.#log.info('stopped');
      } else this.#log.warn(`stopped; not cleanly: ${failed.join(', ')} (said above)`);
      return { left: [] };
    })();
    return this.#stopping;
  }
}
