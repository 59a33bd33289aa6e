/** Two writers at one hook at the same moment: `webhook add` of one address twice (one hook, never two), a rotation beside deliveries reporting. */
import { expect, test } from 'vitest';
import { describeOnEngines } from '../helpers/engines.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { WebhookStore, addWithSubscription, removeWithSubscription } from '../../src/store/webhooks.ts';
import { addressKey } from '../../src/platforms/webhook/url.ts';

const DEFAULTS = { approachPct: 1, lang: 'en' as const };
const DIGEST = { time: '17:30', timezone: 'America/New_York' };

describeOnEngines('webhook add of one address at once', (open) => {
  test('GIVEN two adds of one address whose duplicate checks both passed (different spellings) THEN one hook, and the other is told which', async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, DEFAULTS);
    const hooks = new WebhookStore(db);
    // Both `webhook add` checked the list (empty) before either wrote, as the CLI does.
    expect(await hooks.list()).toEqual([]);
    const add = (id: string, url: string) => {
      const key = addressKey(new URL(url));
      return addWithSubscription(db, subs, { id, url, format: 'json', secret: 's', createdAt: 1 }, 'en', DIGEST, {
        key,
        same: (u) => addressKey(new URL(u)) === key,
      });
    };
    const made = await Promise.all([add('wh_a', 'https://example.com/h'), add('wh_b', 'https://EXAMPLE.com/h/')]);
    const list = await hooks.list();
    expect(list.map((h) => h.id)).toHaveLength(1);
    const winner = list[0]!.id;
    expect(made.map((m) => ('added' in m ? `added ${m.added.id}` : `already ${m.already.id}`)).sort()).toEqual([`added ${winner}`, `already ${winner}`]);
    const loser = winner === 'wh_a' ? 'wh_b' : 'wh_a';
    expect(await subs.get('webhook', loser)).toBeUndefined();
    // Removed, the address is free again.
    expect(await removeWithSubscription(db, subs, winner)).toBe(true);
    const again = await add('wh_c', 'https://example.com/h');
    expect('added' in again).toBe(true);
    expect((await hooks.list()).map((h) => h.id)).toEqual(['wh_c']);
  });

  test('GIVEN a hook stored before addresses were claimed THEN adding its address again is refused with it', async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, DEFAULTS);
    const hooks = new WebhookStore(db);
    await hooks.add({ id: 'wh_old', url: 'https://example.com/h', format: 'slack', secret: 's', createdAt: 1 });
    const key = addressKey(new URL('https://example.com/h'));
    const made = await addWithSubscription(db, subs, { id: 'wh_new', url: 'https://example.com/h', format: 'json', secret: 's', createdAt: 2 }, 'en', DIGEST, {
      key,
      same: (u) => addressKey(new URL(u)) === key,
    });
    expect('already' in made && made.already.id).toBe('wh_old');
    expect((await hooks.list()).map((h) => h.id)).toEqual(['wh_old']);
  });
});

describeOnEngines('webhook rotate while deliveries report', (open) => {
  test('GIVEN a rotation and failed deliveries written at the same moment THEN both stand: the new secret, the old one in grace, every failure counted', async () => {
    const db = await open();
    const hooks = new WebhookStore(db);
    await hooks.add({ id: 'wh_r', url: 'https://example.com/r', format: 'json', secret: 'old', createdAt: 1 });
    await Promise.all([
      hooks.failed('wh_r', 500, 'HTTP 500', 10),
      hooks.rotate('wh_r', 'new', 10, 1000),
      hooks.failed('wh_r', 500, 'HTTP 500', 11),
      hooks.failed('wh_r', 0, 'no answer within 10 s', 12),
    ]);
    expect(await hooks.get('wh_r')).toMatchObject({ secret: 'new', previousSecret: 'old', previousUntil: 1000, failures: 3 });
    // A rotation with no grace forgets the old secret at once.
    await hooks.rotate('wh_r', 'newer', 20, 20);
    expect(await hooks.get('wh_r')).toMatchObject({ secret: 'newer', previousSecret: null, previousUntil: null, failures: 3 });
    expect(await hooks.rotate('wh_gone', 'x', 20, 30)).toBeUndefined();
  });
});
