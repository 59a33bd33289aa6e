/** A new chat's first two commands at the same moment (two replicas on PostgreSQL): both rows' writes land, neither fails on the chat's unique key. */
import { expect, test } from 'vitest';
import { describeOnEngines } from '../helpers/engines.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';

describeOnEngines("a new chat's row made twice at once", (open) => {
  test('GIVEN ten new chats, each sent /lang zh-TW and /subscribe at the same moment THEN every one is subscribed, in Traditional Chinese', async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, { approachPct: 1, lang: 'en' });
    await subs.ready();
    const chats = Array.from({ length: 10 }, (_, i) => `-9${i}`);
    await Promise.all(
      chats.flatMap((chat) => [
        subs.upsert('telegram', chat, (current) => (current === undefined ? { lang: 'zh-TW', active: false } : { lang: 'zh-TW' })),
        subs.upsert('telegram', chat, { active: true, deactivatedReason: null }),
      ]),
    );
    for (const chat of chats) expect(await subs.get('telegram', chat)).toMatchObject({ active: true, lang: 'zh-TW' });
  });
});
