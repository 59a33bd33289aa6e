/**
 * Chart rendering off the main thread: a small piscina pool of worker threads, each with its own
 * Chart.js, canvas and fonts. Chart.js draws synchronously (~60-150 ms per chart): on the main
 * thread that stalls every other user's command; in a worker it does not.
 *
 * Size: measured with bench/burst.ts (200 users at once, 21 new charts) on this project's 2-core
 * machine under load: 0 workers p95 12.1 s, 1 worker p95 4.2-9.0 s, 2 workers p95 5.6-10.1 s
 * (README, Benchmarks). A second worker competes with the main thread for the two cores. The
 * default is one worker per core minus one for the main thread, at least 1 (so 1 on 2 cores);
 * CHART_WORKERS overrides it.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { ChartSpec } from './spec.ts';

export interface RenderPool {
  readonly size: number;
  /** Renders finished by the workers. */
  completed(): number;
  render(spec: ChartSpec): Promise<Buffer>;
  /** Several specs stacked top to bottom in one PNG (the digest's panels, render.ts renderStack). */
  renderStack(specs: readonly ChartSpec[]): Promise<Buffer>;
  close(): Promise<void>;
}

export function defaultPoolSize(cores = availableParallelism()): number {
  return Math.max(1, cores - 1);
}

/** The worker's PNG bytes (a Uint8Array across the thread boundary) as a Buffer, not copied. */
async function drawn(run: Promise<unknown>): Promise<Buffer> {
  const out = (await run) as Uint8Array;
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

export function createRenderPool(size = defaultPoolSize()): RenderPool {
  const pool = new Piscina({
    filename: new URL('./render-worker.mjs', import.meta.url).href,
    minThreads: size,
    maxThreads: size,
    // A render that never returns must not hold a worker forever.
    idleTimeout: 60_000,
  });
  return {
    size,
    completed: () => pool.completed,
    render: (spec) => drawn(pool.run(spec)),
    // An array is a stack to the worker (render-worker.mjs).
    renderStack: (specs) => drawn(pool.run(specs)),
    close: () => pool.destroy(),
  };
}
