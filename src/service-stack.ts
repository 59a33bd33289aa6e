/**
 * The running parts of the bot in the order they started; stop() stops them in the reverse, one
 * after the other, each given the chance to finish (a part that fails to stop is logged and the
 * next is stopped anyway). Starting something registers how it stops, in the same place.
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

  /** Stops every part, the last started first; calling it again returns the same promise. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      for (const s of this.#stack.toReversed()) {
        this.#log.info(`stopping: ${s.name}`);
        try {
          await s.stop();
        } catch (e) {
          this.#log.warn(`stopping ${s.name} failed: ${(e as Error).message}`);
        }
      }
      this.#log.info('stopped');
    })();
    return this.#stopping;
  }
}
