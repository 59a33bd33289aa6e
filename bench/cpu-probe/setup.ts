/**
 * Per-file CPU of a vitest run (`bench/cpu-probe/vitest.config.ts`): the worker's own CPU from
 * this setup file (before the test file's imports) to its last hook, and the CPU of the children it
 * reaped meanwhile (spawned bins and CLIs), read from /proc/self/stat in clock ticks. A line per
 * file is appended to CPU_PROBE_OUT. The PostgreSQL server's CPU is not in it.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { afterAll, expect } from 'vitest';

const TICK_MS = 10; // USER_HZ is 100 on Linux

function ticks(): { self: number; children: number } {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // Fields after the command's closing parenthesis: utime is the 14th field, stime 15th, cutime 16th, cstime 17th.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const n = (i: number) => Number(rest[i - 3]);
  return { self: n(14) + n(15), children: n(16) + n(17) };
}

const start = ticks();
const startWall = performance.now();
const file = expect.getState().testPath ?? 'unknown';

afterAll(() => {
  const end = ticks();
  const out = process.env['CPU_PROBE_OUT'];
  if (!out) return;
  const row = {
    file: file.slice(file.indexOf('/tests/') + 1),
    wallMs: Math.round(performance.now() - startWall),
    selfMs: (end.self - start.self) * TICK_MS,
    childrenMs: (end.children - start.children) * TICK_MS,
    pid: process.pid,
  };
  appendFileSync(out, `${JSON.stringify(row)}\n`);
});
