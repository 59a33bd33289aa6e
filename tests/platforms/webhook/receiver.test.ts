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
