/**
 * Per-file CPU of a vitest run (`bench/cpu-probe/vitest.config.ts`): the worker's own CPU from
 * this setup file (before the test file's imports) to its last hook, and the CPU of the children it
 * reaped meanwhile (spawned bins and CLIs), read from /proc/self/stat in clock ticks. A line per
 * file is appended to CPU_PROBE_OUT. With CPU_PROBE_PG_PID (the PostgreSQL server's postmaster), the
 * server's CPU meanwhile too: the postmaster's own and reaped children's (backends that ended) plus
 * its live children's, from /proc. The server is shared: what other workers and other users of the
 * server spend meanwhile is in it, so on two workers it ranks files rather than measures them.
 */
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, expect } from 'vitest';

const TICK_MS = 10; // USER_HZ is 100 on Linux

// Fields after the command's closing parenthesis: ppid is the 4th field, utime the 14th, stime 15th,
// cutime 16th, cstime 17th.
function statFields(pid: string): ((i: number) => number) | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // ended meanwhile
  }
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (i: number) => Number(rest[i - 3]);
}

function ticks(): { self: number; children: number } {
  const n = statFields('self')!;
  return { self: n(14) + n(15), children: n(16) + n(17) };
}

const PG_PID = process.env['CPU_PROBE_PG_PID'];

/** The server's ticks: the postmaster's own and reaped children's, and its live children's own. */
function serverTicks(): number {
  if (!PG_PID) return 0;
  const master = statFields(PG_PID);
  if (!master) return 0;
  let sum = master(14) + master(15) + master(16) + master(17);
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const n = statFields(pid);
    if (n && String(n(4)) === PG_PID) sum += n(14) + n(15);
  }
  return sum;
}

const start = ticks();
const startServer = serverTicks();
const startWall = performance.now();
const file = expect.getState().testPath ?? 'unknown';

afterAll(() => {
  const end = ticks();
  const server = serverTicks();
  const out = process.env['CPU_PROBE_OUT'];
  if (!out) return;
  const row = {
    file: file.slice(file.indexOf('/tests/') + 1),
    wallMs: Math.round(performance.now() - startWall),
    selfMs: (end.self - start.self) * TICK_MS,
    childrenMs: (end.children - start.children) * TICK_MS,
    ...(PG_PID ? { serverMs: (server - startServer) * TICK_MS } : {}),
    pid: process.pid,
  };
  appendFileSync(out, `${JSON.stringify(row)}\n`);
});
