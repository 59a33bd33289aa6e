/**
 * A scheduled run's signal, which a stop ends in one of two ways: at once while the run only sleeps
 * before its next attempt (a source's backoff: nothing is in flight, nothing is lost), after the
 * stop's grace while it is in flight (a request, a write: it may finish and say what it did). The
 * one sleep (src/sleep.ts) tells it when the run sleeps; a sleep begun after the stop came (a request
 * that failed during the grace, about to wait for another try) ends the run at once too.
 */
export class RunSignal {
  readonly #controller = new AbortController();
  #stopping = false;
  #sleeping = 0;

  constructor() {
    runs.set(this.#controller.signal, this);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The stop came: the run is ended now if it sleeps (true), else at its next sleep or by abort(). */
  stop(): boolean {
    this.#stopping = true;
    if (this.#sleeping > 0) this.abort();
    return this.#controller.signal.aborted;
  }

  /** The grace is over: ended, in flight or not. */
  abort(): void {
    this.#controller.abort();
  }

  /** A sleep on the signal begins (sleep.ts): after the stop it ends the run at once; `done()` when it ends. */
  sleeps(): { done(): void } {
    if (this.#stopping) this.abort();
    this.#sleeping++;
    return { done: () => void this.#sleeping-- };
  }
}

const runs = new WeakMap<AbortSignal, RunSignal>();

/**
 * The run whose signal `signal` is, if it is one (the scheduler's jobs pass theirs down to their
 * sleeps), or the run of a signal it was derived from (derivedFrom).
 */
export function runOf(signal: AbortSignal | undefined): RunSignal | undefined {
  return signal === undefined ? undefined : runs.get(signal);
}

/**
 * `derived` aborts when one of `sources` does (linked-signal.ts): a sleep on it
 * counts as its run's, as a sleep on the run's own signal does. Without this, a job that passes
 * a derived signal down (a drain's sends waiting for their slot) would wait out the stop's grace
 * while it only slept. The first run among the sources, and one at most. Only for a signal the run
 * goes on with, one thing at a time: side-by-side waiters (abort-fan-out.ts) are not counted.
 */
export function derivedFrom(derived: AbortSignal, sources: readonly (AbortSignal | undefined)[]): void {
  for (const s of sources) {
    const run = runOf(s);
    if (run === undefined) continue;
    runs.set(derived, run);
    return;
  }
}
