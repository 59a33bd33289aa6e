/**
 * The quotes' freshness check (/freshz, and /readyz's warning) on a real SQLite store: what makes the bot unable to decide a break is
 * named, though no series is past its own staleness yet.
 */
import { afterEach, expect, test } from 'vitest';
import { quotesFresh } from '../../src/ops/checks.ts';
import { weekdays } from '../fakes/quote-server.ts';
import { chatWorld, type ChatWorld } from '../helpers/chat.ts';

const worlds: ChatWorld[] = [];
afterEach(() => {
  for (const w of worlds.splice(0)) w.close();
});

async function world(goldUntil: string): Promise<ChatWorld> {
  const w = chatWorld({ seed: false });
  worlds.push(w);
  const days = weekdays('2025-01-02', '2025-03-14');
  await w.quotes.upsertCloses(
    'spx',
    days.map((date) => ({ date, close: 5600, source: 'test' })),
  );
  await w.quotes.upsertCloses(
    'qqq',
    days.map((date) => ({ date, close: 480, source: 'test' })),
  );
  await w.quotes.upsertCloses(
    'gold',
    days.filter((d) => d <= goldUntil).map((date) => ({ date, close: 2900, source: 'test' })),
  );
  await w.quotes.upsertCloses('m2', [{ date: '2025-01-01', close: 21_500, source: 'test' }]);
  return w;
}

// Friday 2025-03-14, 18:00 New York: after the close, the market shut.
const FRIDAY_EVENING = Date.parse('2025-03-14T22:00:00Z');

test("GIVEN gold's last price a week before the stocks' close THEN the freshness check names it: that day has no ratio, though gold is not yet 7 days old", async () => {
  const w = await world('2025-03-07');
  const check = quotesFresh(w.quotes, w.deps.view, () => FRIDAY_EVENING, 0);
  expect(await check.check()).toBe(
    "gold last price 2025-03-07 is too old to stand in for the stocks' close of 2025-03-14: the ratios have no value for that day",
  );
});

test("GIVEN gold's last price a day or a long weekend behind (it stands in) THEN fresh", async () => {
  for (const goldUntil of ['2025-03-13', '2025-03-10']) {
    const w = await world(goldUntil);
    expect(await quotesFresh(w.quotes, w.deps.view, () => FRIDAY_EVENING, 0).check()).toBeUndefined();
  }
});

test('GIVEN the day after Thanksgiving after its 13:00 early close THEN the live quotes, last at 13:00, are not stale: the market is shut; before 13:00 an old one is', async () => {
  const w = chatWorld({ seed: false });
  worlds.push(w);
  const days = weekdays('2025-10-01', '2025-11-26').filter((d) => d !== '2025-11-27');
  for (const [i, close] of [
    ['spx', 6800],
    ['qqq', 610],
    ['gold', 4100],
  ] as const) {
    await w.quotes.upsertCloses(
      i,
      days.map((date) => ({ date, close, source: 'test' })),
    );
  }
  await w.quotes.upsertCloses('m2', [{ date: '2025-10-01', close: 22_000, source: 'test' }]);
  const quotesAt = async (at: string) => {
    for (const [i, price] of [
      ['spx', 6850],
      ['qqq', 615],
    ] as const)
      await w.quotes.setLatestQuote(i, { price, asOf: Date.parse(at), source: 'test' });
  };
  // 12:50 New York with quotes from 11:00: the session is on, and they are old.
  await quotesAt('2025-11-28T16:00:00Z');
  expect(await quotesFresh(w.quotes, w.deps.view, () => Date.parse('2025-11-28T17:50:00Z'), 0).check()).toMatch(
    /^spx live quote older than \d+ min during market hours; qqq /,
  );
  // The last trades of the session, 13:00; at 14:30, an hour and a half after the close (two before a full day's), nothing is stale.
  await quotesAt('2025-11-28T18:00:00Z');
  expect(await quotesFresh(w.quotes, w.deps.view, () => Date.parse('2025-11-28T19:30:00Z'), 0).check()).toBeUndefined();
});
