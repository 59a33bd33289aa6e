import { derivedFrom } from './run-signal.ts';

/**
 * A signal that aborts when any of `signals` does, and a `dispose` that unlinks it from them.
 * Not AbortSignal.any: on Node 20 each call leaves an entry in every source signal that Node never
 * removes, and the sources here live as long as the process (the dispatcher's halt, the scheduler's
 * one signal for every job): a drain every 10 s left 8,640 a day, a quote request one each.
 */
export function linkedSignal(signals: readonly AbortSignal[]): { readonly signal: AbortSignal; dispose(): void } {
  const linked = new AbortController();
  // A sleep on it counts as the run's when one of `signals` is a scheduled run's (run-signal.ts).
  derivedFrom(linked.signal, signals);
  const stop = (e: Event) => linked.abort((e.target as AbortSignal).reason);
  for (const s of signals) {
    if (linked.signal.aborted) break;
    if (s.aborted) linked.abort(s.reason);
    else s.addEventListener('abort', stop, { once: true });
  }
  return {
    signal: linked.signal,
    dispose: () => {
      for (const s of signals) s.removeEventListener('abort', stop);
    },
  };
}
