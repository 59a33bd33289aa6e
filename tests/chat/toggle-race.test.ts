/** Two level buttons pressed at the same moment (two managers, or two replicas answering): neither press is lost. */
import { expect, test } from 'vitest';
import { describeOnEngines } from '../helpers/engines.ts';
import { chatCtx } from '../helpers/chat.ts';
import { loadConfig } from '../../src/config.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { toggleAction } from '../../src/chat/commands/subscription.ts';
import { MarketView } from '../../src/store/market-view.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { EventStore } from '../../src/store/events.ts';
import type { ChatDeps } from '../../src/chat/context.ts';

describeOnEngines('level toggles pressed together', (open) => {
  test('GIVEN 5.5 and 2.5 switched off by two presses whose reads both land before either write THEN both are off', async () => {
    const db = await open();
    const config = loadConfig({});
    const subs = new SubscriptionStore(db, { approachPct: config.approachPct, lang: config.defaultLang });
    await subs.upsert('discord', '700', {});
    // Each press reads the subscription; the second read is let through only once both have read.
    const arrived: (() => void)[] = [];
    const get: SubscriptionStore['get'] = async (...a) => {
      const row = await subs.get(...a);
      await new Promise<void>((go) => {
        arrived.push(go);
        if (arrived.length === 2) for (const f of arrived) f();
      });
      return row;
    };
    const racing = new Proxy(subs, { get: (s, k) => (k === 'get' ? get : (Reflect.get(s, k) as (...x: unknown[]) => unknown).bind(s)) });
    const quotes = new QuoteStore(db);
    const deps: ChatDeps = { view: new MarketView(quotes), subs: racing, events: new EventStore(db), config, today: () => '2026-12-04' };
    const ctx = { ...chatCtx({ platform: 'discord', chatId: '700', chatType: 'group' }), lang: 'en' as const };
    const [a, b] = await Promise.all([toggleAction(deps, ctx, 'spx-gold-5.5'), toggleAction(deps, ctx, 'spx-gold-2.5')]);
    expect([a.status, b.status]).toEqual(['ok', 'ok']);
    const ids = (await subs.get('discord', '700'))!.levelIds;
    expect(ids).not.toContain('spx-gold-5.5');
    expect(ids).not.toContain('spx-gold-2.5');
    expect(ids).toContain('spx-gold-0.6-0.7');
  });
});
