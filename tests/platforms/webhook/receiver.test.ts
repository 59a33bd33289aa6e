/** Outgoing webhooks as the people who receive them see them: odd answers, and what the bot does next. */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { seedEvent } from '../../helpers/telegram-harness.ts';
import { hookWorld, type HookWorld } from '../../helpers/webhook-world.ts';

let w: HookWorld;
beforeEach(async () => {
  w = await hookWorld();
});
afterEach(async () => {
  await w.close();
});

describe('a receiver whose 200 comes with a body that never ends', () => {
  test('GIVEN HTTP 200 then an endless body THEN the message is delivered once, on the status, not failed as "no answer" and sent again', async () => {
    const { id } = await w.add('/endless');
    w.rx.answers.set('/endless', { status: 200, endless: true });
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }]);
    const d = w.dispatcher(w.notifier({ timeoutMs: 1000 }));
    expect(await d.drain()).toMatchObject({ sent: 1, retried: 0 });
    expect(await d.pending()).toBe(0);
    expect(w.rx.at('/endless')).toHaveLength(1);
    expect(await w.hooks.get(id)).toMatchObject({ failures: 0, lastStatus: 200, lastError: null });
  });
});

describe('a receiver that answers 429 for a while', () => {
  test('GIVEN more 429s with Retry-After than a message has attempts, then 200 THEN the message is delivered, not given up: a 429 is no failed attempt', async () => {
    const { id } = await w.add('/busy');
    w.rx.answers.set('/busy', { status: 429, headers: { 'retry-after': '0' } });
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }]);
    const d = w.dispatcher(w.notifier({ maxFailures: 3 }));
    // Past the 10 attempts a message has, and past the hook's 3 failures in a row.
    while (w.rx.at('/busy').length < 12) {
      await d.drain();
      await new Promise((r) => setTimeout(r, 5));
    }
    w.rx.answers.set('/busy', { status: 200 });
    while ((await d.pending()) > 0) {
      await d.drain();
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(w.rx.at('/busy').filter((r) => r.headers['x-goldratio-delivery'] !== w.rx.at('/busy')[0]?.headers['x-goldratio-delivery'])).toEqual([]);
    const row = w.world.db.prepare('SELECT status, attempts FROM outbox WHERE chat_id = ?').get(id);
    expect(row).toMatchObject({ status: 'sent' });
    expect((await w.world.deps.subs.get('webhook', id))?.active).toBe(true);
  });

  test.each([
    ['a far HTTP date', () => new Date(Date.now() + 30 * 86_400_000).toUTCString()],
    ['a year in seconds', () => String(365 * 86_400)],
  ])("GIVEN Retry-After of %s THEN the next try is at most an hour away (the backoff cap), not the receiver's far future", async (_, value) => {
    const { id } = await w.add('/later');
    w.rx.answers.set('/later', { status: 429, headers: { 'retry-after': value() } });
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }]);
    const before = Date.now();
    await w.dispatcher(w.notifier(), 5000).drain();
    const row = w.world.db.prepare("SELECT next_at FROM outbox WHERE chat_id = ? AND status = 'pending'").get(id) as { next_at: number };
    expect(row.next_at - before).toBeGreaterThan(3_500_000);
    expect(row.next_at - before).toBeLessThanOrEqual(3_600_000 + (Date.now() - before));
  });
});
