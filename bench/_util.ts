/** Small timing helpers for the benchmarks: medians over repeated runs, printed as a table row. */
import { performance } from 'node:perf_hooks';
import { addDays } from '../src/domain/dates.ts';
import type { CloseRow } from '../src/store/quotes.ts';

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

/** `measure` for a call that returns a promise: each run's time includes its awaiting. */
export async function measureAsync(runs: number, fn: () => Promise<unknown>): Promise<{ median: number; min: number; max: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, min: times[0]!, max: times[times.length - 1]! };
}

export function report(name: string, ms: number, target?: string): void {
  const shown = ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`;
  process.stdout.write(`${name.padEnd(58)} ${shown.padStart(12)}${target ? `   (target ${target})` : ''}\n`);
}

/** `days` weekday closes from `start`: a deterministic random walk (±1.5% a day). */
export function walkRows(start: string, days: number, first: number, seed: number): CloseRow[] {
  let x = seed;
  const rnd = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5;
  const rows: CloseRow[] = [];
  let v = first;
  for (let i = 0, d = start; i < days; d = addDays(d, 1)) {
    const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (dow === 0 || dow === 6) continue;
    v *= 1 + rnd() * 0.03;
    rows.push({ date: d, close: Number(v.toFixed(2)), source: 'bench' });
    i++;
  }
  return rows;
}
