import { runOf } from './run-signal.ts';

/**
 * The one sleep: waits `ms`; resolves true when the time passed, false as soon as `signal` aborts (it
 * never rejects). A scheduled run's signal (run-signal.ts) is ended by a stop while it sleeps here.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  const run = runOf(signal)?.sleeps();
  return new Promise<boolean>((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  }).finally(() => run?.done());
}
