/**
 * One 'abort' listener on a signal, however many wait on it. A drain's sends each waited for their
 * slot with the drain's own signal: one listener per send in flight (64 for webhooks), and past 10
 * Node prints a MaxListenersExceededWarning into the log. Each waiter gets a signal of its own
 * instead, aborted with the shared one; a waiter that is done lets it go.
 */
export class AbortFanOut {
  readonly #signal: AbortSignal | undefined;
  readonly #children = new Set<AbortController>();
  readonly #onAbort = () => {
    for (const c of this.#children) c.abort(this.#signal?.reason);
    this.#children.clear();
  };

  constructor(signal?: AbortSignal) {
    this.#signal = signal;
    signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  /**
   * A signal of the waiter's own (undefined without a shared one); `done()` when it waits no more.
   * Not counted as its run's (run-signal.ts derivedFrom, which linkedSignal does): the waiters run
   * side by side, and one sleeping for its slot while the others send would end their sends at the
   * stop, not after the grace they are given.
   */
  child(): { readonly signal: AbortSignal | undefined; done(): void } {
    if (this.#signal === undefined) return { signal: undefined, done: () => {} };
    const c = new AbortController();
    if (this.#signal.aborted) c.abort(this.#signal.reason);
    else this.#children.add(c);
    return { signal: c.signal, done: () => void this.#children.delete(c) };
  }

  /** Removes the one listener: called when nothing waits any more. */
  close(): void {
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#children.clear();
  }
}
