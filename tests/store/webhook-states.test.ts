/** goldratio_webhooks' store read on both engines: hooks by state, a removed hook in none (retries and the log: tests/platforms/webhook/gone-forever.test.ts). */
import { expect, test } from 'vitest';
import { describeOnEngines } from '../helpers/engines.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { addWithSubscription, removeWithSubscription, webhookStates } from '../../src/store/webhooks.ts';
import { addressKey } from '../../src/platforms/webhook/url.ts';
import { stopReason } from '../../src/domain/stop-cause.ts';

const DEFAULTS = { approachPct: 1, lang: 'en' as const };
const DIGEST = { time: '17:30', timezone: 'America/New_York' };

describeOnEngines('webhooks by state', (open) => {
  test('GIVEN three hooks, one deactivated and one removed THEN one ok, one deactivated, the removed in none', async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, DEFAULTS);
    expect(await webhookStates(db)).toEqual([
      { state: 'ok', hooks: 0 },
      { state: 'failing', hooks: 0 },
      { state: 'deactivated', hooks: 0 },
    ]);
    for (const id of ['wh_a', 'wh_b', 'wh_c']) {
      const url = `https://example.com/${id}`;
      const key = addressKey(new URL(url));
      await addWithSubscription(db, subs, { id, url, format: 'json', secret: 's', createdAt: 1 }, 'en', DIGEST, { key, same: (u) => u === url });
    }
    await subs.chatGone('webhook', 'wh_b', stopReason('gone', 'gone for good: HTTP 410 Gone'));
    expect(await removeWithSubscription(db, subs, 'wh_c')).toBe(true);
    expect(await webhookStates(db)).toEqual([
      { state: 'ok', hooks: 1 },
      { state: 'failing', hooks: 0 },
      { state: 'deactivated', hooks: 1 },
    ]);
  });
});
