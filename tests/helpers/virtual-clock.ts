/**
 * A clock for pacing tests: `now()` moves only when every caller is waiting in `sleep`, and then
 * jumps to the earliest wake-up. A limiter given this clock and sleep runs seconds of pacing in
 * milliseconds, with exact times (each limiter keeps one real-time test against a real server).
 */
export interface VirtualClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export function virtualClock(start = 0): VirtualClock {
  let now = start;
  let seq = 0;
  const timers: { at: number; seq: number; wake: () => void }[] = [];
  let scheduled = false;
  // setImmediate runs after every promise callback pending now: all callers are parked in sleep.
  const kick = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = timers.shift();
      if (next === undefined) return;
      now = Math.max(now, next.at);
      next.wake();
      if (timers.length > 0) kick();
    });
  };
  return {
    now: () => now,
    sleep(ms, signal) {
      return new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const timer = { at: now + Math.max(0, ms), seq: seq++, wake: resolve };
        timers.push(timer);
        signal?.addEventListener(
          'abort',
          () => {
            const i = timers.indexOf(timer);
            if (i >= 0) timers.splice(i, 1);
            resolve();
          },
          { once: true },
        );
        kick();
      });
    },
  };
}
