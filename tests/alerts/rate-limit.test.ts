/**
 * The dispatcher's pace (RateLimiter) on a virtual clock: spacing, a platform-wide pause, giving up
 * on a long pause, abort. Its real-time test is telegram-broadcast.test.ts (the whole API answers
 * 429 once: the queue pauses for retry_after).
 */
import { describe, expect, test } from 'vitest';
import { RateLimiter } from '../../src/alerts/rate-limit.ts';
import { PlatformPause } from '../../src/alerts/platform-pause.ts';
import { virtualClock } from '../helpers/virtual-clock.ts';

function limiter(rate: number) {
  const clock = virtualClock(1_000_000);
  const t0 = clock.now();
  const limit = new RateLimiter(rate, clock.now, new PlatformPause(clock.now), clock.sleep);
  /** Takes a slot; resolves with the time it was granted (ms after start) or false. */
  const take = async (signal?: AbortSignal, maxWaitMs?: number) => ((await limit.take(signal, maxWaitMs)) ? clock.now() - t0 : false);
  return { clock, limit, take, t0 };
}

describe('the pace', () => {
  test('GIVEN 10 sends at once at 5/s THEN they start 200 ms apart, no burst', async () => {
    const { take } = limiter(5);
    expect(await Promise.all(Array.from({ length: 10 }, () => take()))).toEqual([0, 200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800]);
  });

  test('GIVEN a pause while sends wait for their slot THEN none starts before it ends, and they resume spaced', async () => {
    const { clock, limit, take, t0 } = limiter(10);
    const waiting = Array.from({ length: 6 }, () => take());
    await clock.sleep(250);
    limit.pauseUntil(t0 + 1000);
    const pauses = limit.pauses;
    // Slots 0, 100 and 200 were taken before the pause; the rest wait for it, then go 100 ms apart.
    expect(await Promise.all(waiting)).toEqual([0, 100, 200, 1000, 1100, 1200]);
    expect(pauses).toBe(1);
  });

  test('GIVEN a pause longer than the caller will wait THEN it is told at once (the work goes to a later drain)', async () => {
    const { limit, take, t0 } = limiter(10);
    limit.pauseUntil(t0 + 60_000);
    expect(await take(undefined, 5_000)).toBe(false);
    expect(await take(undefined, 120_000)).toBe(60_000);
  });

  test('GIVEN an abort while waiting THEN take resolves false without waiting for the slot', async () => {
    const { take } = limiter(1);
    const ac = new AbortController();
    expect(await take(ac.signal)).toBe(0);
    const second = take(ac.signal);
    ac.abort();
    expect(await second).toBe(false);
  });
});
