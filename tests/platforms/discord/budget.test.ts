/**
 * Discord's global budget on a virtual clock: the pace itself (how many requests arrive in any
 * second, how fully the budget is used, a global 429's pause) with exact times. The real-time
 * check against the Discord fake is in discord-notifier.test.ts (60 channels at 20/s).
 */
import { describe, expect, test } from 'vitest';
import { GlobalBudget } from '../../../src/platforms/discord/budget.ts';
import { virtualClock, type VirtualClock } from '../../helpers/virtual-clock.ts';

const API = 'http://127.0.0.1:1/api/v10';

/** A Discord on the virtual clock: a request arrives halfway through its round trip, which varies. */
function discord(clock: VirtualClock, answer: (url: string) => Response = () => new Response(null, { status: 204 })) {
  const arrivals: { url: string; at: number }[] = [];
  let n = 0;
  const fetch = async (url: string): Promise<Response> => {
    const rtt = 20 + ((n++ * 37) % 41); // 20..60 ms, deterministic
    await clock.sleep(rtt / 2);
    arrivals.push({ url, at: clock.now() });
    const res = answer(url);
    await clock.sleep(rtt / 2);
    return res;
  };
  /** The most arrivals in any one-second window. */
  const busiest = () => {
    const at = arrivals.map((a) => a.at).sort((x, y) => x - y);
    return Math.max(0, ...at.map((t) => at.filter((u) => u > t - 1000 && u <= t).length));
  };
  return { fetch, arrivals, busiest };
}

describe('the global budget', () => {
  test("GIVEN a broadcast at the whole limit AND 30 look-ups from another REST instance (the Client's) THEN no second holds more than 20 arrivals, and the budget is used nearly fully", async () => {
    const clock = virtualClock();
    const dc = discord(clock);
    const budget = new GlobalBudget({ rate: 20, fetch: dc.fetch, now: clock.now, sleep: clock.sleep });
    const alerts = Array.from({ length: 40 }, (_, i) => budget.fetch(`${API}/channels/${7000 + i}/messages`, { method: 'POST' }));
    await clock.sleep(300);
    const replies = Array.from({ length: 30 }, (_, i) => budget.fetch(`${API}/guilds/${9000 + i}/members/42`, { method: 'GET' }));
    const done = await Promise.all([...alerts, ...replies]);
    expect(done.every((r) => r.status === 204)).toBe(true);
    expect(budget.started).toBe(70);
    expect(dc.busiest()).toBe(20);
    // 70 requests at 20/s: the last can start after 3 s, plus a round trip's worth of margin.
    expect(clock.now()).toBeGreaterThanOrEqual(3000);
    expect(clock.now()).toBeLessThan(3500);
  });

  test('GIVEN a burst whose requests waited on their way (queued before Discord counted them) and came back quickly THEN still no second holds more than the limit', async () => {
    // bench/discord.ts at 500/s hit this: the first requests of a broadcast queued for ~250 ms on
    // their way and were answered 40 ms after arriving. Half their round trip (~145 ms) was taken
    // for the way back, so each slot ended ~100 ms before a second had passed since its arrival.
    const clock = virtualClock();
    const arrivals: number[] = [];
    let n = 0;
    const fetch = async (): Promise<Response> => {
      const queued = n++ < 10 ? 250 : 1;
      await clock.sleep(queued);
      arrivals.push(clock.now());
      await clock.sleep(40);
      return new Response(null, { status: 204 });
    };
    const budget = new GlobalBudget({ rate: 10, fetch, now: clock.now, sleep: clock.sleep });
    await Promise.all(Array.from({ length: 40 }, (_, i) => budget.fetch(`${API}/channels/${i}/messages`, { method: 'POST' })));
    arrivals.sort((a, b) => a - b);
    const busiest = Math.max(...arrivals.map((t) => arrivals.filter((u) => u > t - 1000 && u <= t).length));
    expect(busiest).toBeLessThanOrEqual(10);
  });

  test('GIVEN a rate of 0.5/s THEN one request per two seconds', async () => {
    const clock = virtualClock();
    const dc = discord(clock);
    const budget = new GlobalBudget({ rate: 0.5, fetch: dc.fetch, now: clock.now, sleep: clock.sleep });
    await Promise.all(Array.from({ length: 4 }, (_, i) => budget.fetch(`${API}/channels/${i}/messages`, { method: 'POST' })));
    const at = dc.arrivals.map((a) => a.at);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(2000);
  });

  test('GIVEN a global 429 with retry_after 1.5 THEN no request starts until it has passed, then the rest go', async () => {
    const clock = virtualClock();
    let first = true;
    const dc = discord(clock, () => {
      if (!first) return new Response(null, { status: 204 });
      first = false;
      return new Response(JSON.stringify({ message: 'You are being rate limited.', retry_after: 1.5, global: true }), {
        status: 429,
        headers: { 'content-type': 'application/json', 'x-ratelimit-global': 'true', 'retry-after': '2' },
      });
    });
    let limited = 0;
    const budget = new GlobalBudget({ rate: 50, fetch: dc.fetch, now: clock.now, sleep: clock.sleep, onRateLimited: () => limited++ });
    const first429 = await budget.fetch(`${API}/channels/1/messages`, { method: 'POST' });
    expect(first429.status).toBe(429);
    const pausedAt = clock.now();
    const rest = await Promise.all(Array.from({ length: 5 }, (_, i) => budget.fetch(`${API}/channels/${10 + i}/messages`, { method: 'POST' })));
    expect(rest.every((r) => r.status === 204)).toBe(true);
    expect(limited).toBe(1);
    expect(budget.globalLimited).toBe(1);
    // Arrivals after the first: none before the pause's end (retry_after from the body, in float seconds).
    expect(Math.min(...dc.arrivals.slice(1).map((a) => a.at))).toBeGreaterThanOrEqual(pausedAt + 1500);
  });

  test('GIVEN the budget full with a broadcast THEN interaction responses (callbacks, and edits and follow-ups by the interaction token) go at once, uncharged; a webhook of another id is charged', async () => {
    const clock = virtualClock();
    const dc = discord(clock);
    const app = '900000000000000001';
    const budget = new GlobalBudget({ rate: 5, fetch: dc.fetch, now: clock.now, sleep: clock.sleep, applicationId: app });
    const alerts = Array.from({ length: 15 }, (_, i) => budget.fetch(`${API}/channels/${7000 + i}/messages`, { method: 'POST' }));
    await clock.sleep(100);
    const start = clock.now();
    const answers = await Promise.all([
      budget.fetch(`${API}/interactions/9001/tok-1/callback`, { method: 'POST' }),
      budget.fetch(`${API}/interactions/9002/tok-2/callback?with_response=false`, { method: 'POST' }),
      budget.fetch(`${API}/webhooks/${app}/tok-1/messages/@original`, { method: 'PATCH' }),
      budget.fetch(`${API}/webhooks/${app}/tok-1`, { method: 'POST' }),
      budget.fetch(`${API}/webhooks/${app}/tok-1/messages/123`, { method: 'PATCH' }),
    ]);
    // Each took one round trip (at most 60 ms here), not a turn after the 15 alerts (two seconds at 5/s).
    expect(clock.now() - start).toBeLessThanOrEqual(60);
    expect(answers.every((r) => r.status === 204)).toBe(true);
    expect(budget.interactionResponses).toBe(5);
    await budget.fetch(`${API}/webhooks/123456789012345678/channel-hook-token`, { method: 'POST' });
    await Promise.all(alerts);
    expect(budget.started).toBe(16);
    expect(budget.interactionResponses).toBe(5);
  });
});
