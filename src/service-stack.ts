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
 */
import type { Logger } from './log.ts';
import { spanText } from './store/pg-deadline.ts';
import { NO_ANSWER, within } from './within.ts';

/** What a stop did not finish: the parts left running, in stop order (empty: a clean stop). */
export interface StopResult {
  readonly left: readonly string[];
}

export interface StopOptions {
  /** No "stopped" line (a start that failed: its one line is the failure's). */
  readonly quiet?: boolean;
  /** How long the whole stop may take, in ms; absent: as long as its parts take. */
  readonly budgetMs?: number;
  /** The setting that gave the budget, named in the line when it runs out. */
  readonly budgetName?: string;
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
      const endAt = o.budgetMs === undefined ? undefined : performance.now() + o.budgetMs;
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
        if (endAt === undefined) await stopped;
        else if ((await within(Math.max(0, endAt - performance.now()), stopped)) === NO_ANSWER) {
          const left = parts.slice(i).map((p) => p.name);
          const budget = `${spanText(o.budgetMs ?? 0)}${o.budgetName === undefined ? '' : ` (${o.budgetName})`}`;
          this.#log.warn(
            `stopped after ${budget} without waiting for ${left[0]}${left.length > 1 ? `, nor ${left.slice(1).join(', ')}` : ''}: left for the next start (unsent alerts stay in the outbox)${failed.length > 0 ? `; not cleanly: ${failed.join(', ')} (said above)` : ''}`,
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
