/** Small timing helpers for the benchmarks: medians over repeated runs, printed as a table row. */
import { performance } from 'node:perf_hooks';

export function measure(runs: number, fn: () => void): { median: number; min: number; max: number } {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, min: times[0]!, max: times[times.length - 1]! };
}

export function report(name: string, ms: number, target?: string): void {
  const shown = ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`;
  process.stdout.write(`${name.padEnd(58)} ${shown.padStart(12)}${target ? `   (target ${target})` : ''}\n`);
}
