/**
 * Holds this thread, and so its event loop, for `ms`: no timer, I/O callback or promise runs
 * meanwhile, as under a long synchronous stall (a SQLite lock wait, a big render). It sleeps in
 * Atomics.wait on a cell nobody wakes, instead of spinning on Date.now(): the stall the tests need
 * without spending a core on it (2.5-4 s of CPU each in tests/schedule/scheduler.test.ts).
 */
const cell = new Int32Array(new SharedArrayBuffer(4));

export function blockEventLoop(ms: number): void {
  const until = Date.now() + ms;
  // Atomics.wait may return early ("timed-out" is measured on its own clock): wait out the rest.
  for (let left = ms; left > 0; left = until - Date.now()) Atomics.wait(cell, 0, 0, left);
}
