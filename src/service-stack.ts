/**
 * The running parts of the bot in the order they started; stop() stops them in the reverse, one
 * after the other, each given the chance to finish (a part that fails to stop is logged and the
 * next is stopped anyway). Starting something registers how it stops, in the same place.
 * An operator at LOG_LEVEL=info reads one line when it has stopped (and a warning per part that
 * failed to, named again in that line); each part's own "stopping: <name>" is debug.
 */
import type { Logger } from './log.ts';

export class ServiceStack {
  readonly #log: Logger;
  readonly #stack: { readonly name: string; readonly stop: () => unknown }[] = [];
  #stopping: Promise<void> | undefined;

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

  /**
   * Stops every part, the last started first; calling it again returns the same promise.
   * `quiet`: no "stopped" line (a start that failed: its one line is the failure's).
   */
  stop(o: { readonly quiet?: boolean } = {}): Promise<void> {
    this.#stopping ??= (async () => {
      const failed: string[] = [];
      for (const s of this.#stack.toReversed()) {
        this.#log.debug(`stopping: ${s.name}`);
        try {
          await s.stop();
        } catch (e) {
          failed.push(s.name);
          this.#log.warn(`stopping ${s.name} failed: ${(e as Error).message}`);
        }
      }
      if (failed.length === 0) {
        if (o.quiet !== true) this.#log.info('stopped');
      } else this.#log.warn(`stopped; not cleanly: ${failed.join(', ')} (said above)`);
    })();
    return this.#stopping;
  }
}
