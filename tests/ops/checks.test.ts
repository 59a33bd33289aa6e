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
