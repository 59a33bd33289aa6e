/**
 * Two settings changed at the same moment (two admins, or two replicas answering), each command
 * having read the chat's settings before either writes: neither change is lost. The racers' writes
 * are held until both have read (tests/helpers/race.ts), then run one after the other.
 */
import { expect, test } from 'vitest';
import { describeOnEngines, type OpenStore } from '../helpers/engines.ts';
import { chatCtx } from '../helpers/chat.ts';
import { readsFirst } from '../helpers/race.ts';
import { loadConfig } from '../../src/config.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { MarketView } from '../../src/store/market-view.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { EventStore } from '../../src/store/events.ts';
import { DigestStore } from '../../src/store/digests.ts';
import { QuietStore } from '../../src/store/quiet.ts';
import { MoveStore } from '../../src/store/moves.ts';
import { findCommand } from '../../src/chat/registry.ts';
import { handleAction } from '../../src/chat/buttons.ts';
import type { ChatContext, ChatDeps } from '../../src/chat/context.ts';
import type { Reply } from '../../src/chat/reply.ts';

async function world(open: OpenStore) {
  const db = await open();
  const config = loadConfig({});
  const subs = new SubscriptionStore(db, { approachPct: config.approachPct, lang: config.defaultLang });
  const deps: ChatDeps = {
    view: new MarketView(new QuoteStore(db)),
    subs,
    events: new EventStore(db),
    config,
    today: () => '2026-11-20',
    digests: new DigestStore(db),
    quiet: new QuietStore(db),
    moves: new MoveStore(db),
  };
  return { db, subs, deps };
}

const ctx: ChatContext = { ...chatCtx({ platform: 'telegram', chatId: '-700', chatType: 'group' }), lang: 'en' };
const run = (deps: ChatDeps, name: string, words: readonly string[], c: ChatContext = ctx): Promise<Reply> => findCommand(name)!.run(deps, c, words);

/** Runs the commands as racers `a`, `b`, …: every one reads before any writes; the writes land in that order. */
async function together(deps: ChatDeps, ...commands: ((d: ChatDeps) => Promise<Reply>)[]): Promise<Reply[]> {
  const names = commands.map((_, i) => String.fromCharCode(97 + i));
  const race = readsFirst(names);
  return Promise.all(commands.map((c, i) => race.run(names[i]!, c(race.deps(deps, names[i]!)))));
}

describeOnEngines('settings changed at the same moment', (open) => {
  test('GIVEN /mylevels add spx 1.8 and /mylevels add qqq 0.2 together THEN both levels are kept', async () => {
    const { deps, subs } = await world(open);
    await run(deps, 'subscribe', []);
    const replies = await together(
      deps,
      (d) => run(d, 'mylevels', ['add', 'spx', '1.8']),
      (d) => run(d, 'mylevels', ['add', 'qqq', '0.2']),
    );
    expect(replies.map((r) => r.status)).toEqual(['ok', 'ok']);
    expect((await subs.get('telegram', '-700'))?.customLevels).toEqual([
      { pair: 'spx-gold', value: 1.8 },
      { pair: 'qqq-gold', value: 0.2 },
    ]);
  });

  test('GIVEN /mylevels add spx 1.8 twice together THEN it is kept once, and the second is told it is there', async () => {
    const { deps, subs } = await world(open);
    await run(deps, 'subscribe', []);
    const replies = await together(
      deps,
      (d) => run(d, 'mylevels', ['add', 'spx', '1.8']),
      (d) => run(d, 'mylevels', ['add', 'spx', '1.8']),
    );
    expect(replies.map((r) => r.status)).toEqual(['ok', 'error']);
    expect((await subs.get('telegram', '-700'))?.customLevels).toEqual([{ pair: 'spx-gold', value: 1.8 }]);
  });

  test('GIVEN /mylevels remove spx 1.8 and /mylevels remove qqq 0.2 together THEN both are gone', async () => {
    const { deps, subs } = await world(open);
    await run(deps, 'subscribe', ['spx', '1.8', 'qqq', '0.2']);
    await together(
      deps,
      (d) => run(d, 'mylevels', ['remove', 'spx', '1.8']),
      (d) => run(d, 'mylevels', ['remove', 'qqq', '0.2']),
    );
    expect((await subs.get('telegram', '-700'))?.customLevels).toEqual([]);
  });

  test('GIVEN /mylevels remove spx 5.5 and /mylevels remove spx 2.5 together THEN both essay levels are off', async () => {
    const { deps, subs } = await world(open);
    await run(deps, 'subscribe', []);
    await together(
      deps,
      (d) => run(d, 'mylevels', ['remove', 'spx', '5.5']),
      (d) => run(d, 'mylevels', ['remove', 'spx', '2.5']),
    );
    const ids = (await subs.get('telegram', '-700'))?.levelIds;
    expect(ids).not.toContain('spx-gold-5.5');
    expect(ids).not.toContain('spx-gold-2.5');
    expect(ids).toContain('spx-gold-0.6-0.7');
  });

  test('GIVEN an SPX-only chat and /subscribe qqq with /subscribe spx 1.8 together THEN both pairs, and the own level', async () => {
    const { deps, subs } = await world(open);
    await run(deps, 'subscribe', ['spx']);
    await together(
      deps,
      (d) => run(d, 'subscribe', ['qqq']),
      (d) => run(d, 'subscribe', ['spx', '1.8']),
    );
    expect(await subs.get('telegram', '-700')).toMatchObject({
      pairs: ['spx-gold', 'qqq-gold'],
      levelIds: 'all',
      customLevels: [{ pair: 'spx-gold', value: 1.8 }],
    });
  });

  test("GIVEN 5.5's button pressed off while /unsubscribe qqq is answered THEN QQQ is gone and 5.5 stays off", async () => {
    const { deps, subs } = await world(open);
    const shown = await run(deps, 'subscribe', []);
    const off = shown.buttons!.flat().find((b) => b.action.endsWith(':spx-gold-5.5'))!.action;
    await together(
      deps,
      (d) => handleAction(d, ctx, off).then((r) => r.reply),
      (d) => run(d, 'unsubscribe', ['qqq']),
    );
    expect(await subs.get('telegram', '-700')).toMatchObject({ active: true, pairs: ['spx-gold'], levelIds: ['spx-gold-2.5', 'spx-gold-0.6-0.7'] });
  });

  test('GIVEN /unsubscribe spx and /unsubscribe qqq together THEN the alerts stop (no pair is left)', async () => {
    const { deps, subs } = await world(open);
    await run(deps, 'subscribe', []);
    const replies = await together(
      deps,
      (d) => run(d, 'unsubscribe', ['spx']),
      (d) => run(d, 'unsubscribe', ['qqq']),
    );
    expect(await subs.get('telegram', '-700')).toMatchObject({ active: false, deactivatedReason: 'unsubscribed' });
    expect(replies.map((r) => r.status)).toEqual(['ok', 'ok']);
  });

  test("GIVEN the same level's button pressed twice at once (two admins) THEN the level is off: both presses meant off", async () => {
    const { deps, subs } = await world(open);
    const shown = await run(deps, 'subscribe', []);
    const action = shown.buttons!.flat().find((b) => b.action.endsWith(':spx-gold-2.5'))!.action;
    await together(
      deps,
      (d) => handleAction(d, ctx, action).then((r) => r.reply),
      (d) => handleAction(d, ctx, action).then((r) => r.reply),
    );
    expect((await subs.get('telegram', '-700'))?.levelIds).toEqual(['spx-gold-5.5', 'spx-gold-0.6-0.7', 'qqq-gold-0.4', 'qqq-gold-0.25', 'qqq-gold-0.03']);
  });

  test('GIVEN quiet hours 23:00-07:00 UTC and /quiet Asia/Taipei with /quiet 22:00-06:00 together THEN 22:00-06:00 in Asia/Taipei', async () => {
    const { deps, subs } = await world(open);
    await run(deps, 'quiet', ['23:00-07:00', 'UTC']);
    await together(
      deps,
      (d) => run(d, 'quiet', ['Asia/Taipei']),
      (d) => run(d, 'quiet', ['22:00-06:00']),
    );
    const sub = (await subs.get('telegram', '-700'))!;
    expect(await deps.quiet!.window(sub.id)).toEqual({ start: '22:00', end: '06:00', zone: 'Asia/Taipei' });
  });

  test('GIVEN quiet hours and /quiet off with /quiet Asia/Taipei together THEN they are off, and the zone alone is told it needs hours', async () => {
    const { deps, subs } = await world(open);
    await run(deps, 'quiet', ['23:00-07:00', 'UTC']);
    const [offReply, zoneReply] = await together(
      deps,
      (d) => run(d, 'quiet', ['off']),
      (d) => run(d, 'quiet', ['Asia/Taipei']),
    );
    const sub = (await subs.get('telegram', '-700'))!;
    expect(await deps.quiet!.window(sub.id)).toBeUndefined();
    expect([offReply!.status, zoneReply!.status]).toEqual(['ok', 'error']);
  });

  test('GIVEN a digest at 08:00 UTC and /digest Asia/Taipei with /digest 09:00 together THEN 09:00 in Asia/Taipei', async () => {
    const { deps, subs } = await world(open);
    await run(deps, 'digest', ['08:00', 'UTC']);
    await together(
      deps,
      (d) => run(d, 'digest', ['Asia/Taipei']),
      (d) => run(d, 'digest', ['09:00']),
    );
    const sub = (await subs.get('telegram', '-700'))!;
    expect(await deps.digests!.get(sub.id)).toMatchObject({ time: '09:00', timezone: 'Asia/Taipei' });
  });

  test.each([
    ['/subscribe', '/lang'],
    ['/lang', '/subscribe'],
  ])(
    'GIVEN a new chat and /subscribe with /lang zh-TW together (%s writing first) THEN the chat is subscribed, in Traditional Chinese',
    async (firstWriter) => {
      const { deps, subs } = await world(open);
      // /subscribe reads the chat's language itself (none yet: the user's, English).
      const subscribe = (d: ChatDeps) => run(d, 'subscribe', [], chatCtx({ platform: 'telegram', chatId: '-700', chatType: 'group' }));
      const lang = (d: ChatDeps) => run(d, 'lang', ['zh-TW']);
      await (firstWriter === '/subscribe' ? together(deps, subscribe, lang) : together(deps, lang, subscribe));
      expect(await subs.get('telegram', '-700')).toMatchObject({ active: true, lang: 'zh-TW' });
    },
  );

  test('GIVEN a new chat and /subscribe with /quiet 23:00-07:00 together THEN the chat is subscribed, with its quiet hours', async () => {
    const { deps, subs } = await world(open);
    await together(
      deps,
      (d) => run(d, 'subscribe', []),
      (d) => run(d, 'quiet', ['23:00-07:00']),
    );
    const sub = (await subs.get('telegram', '-700'))!;
    expect(sub.active).toBe(true);
    expect(await deps.quiet!.window(sub.id)).toMatchObject({ start: '23:00', end: '07:00' });
  });

  test('GIVEN four move alerts and two more added together THEN five: the count and the insert are one locked write (held before this change too)', async () => {
    const { deps, subs } = await world(open);
    await run(deps, 'subscribe', []);
    for (const days of [5, 10, 15, 20]) await run(deps, 'move', ['spx', '10', String(days)]);
    const replies = await together(
      deps,
      (d) => run(d, 'move', ['qqq', '10', '20']),
      (d) => run(d, 'move', ['qqq', '15', '20']),
    );
    expect(replies.map((r) => r.status)).toEqual(['ok', 'usage']);
    expect(await deps.moves!.list((await subs.get('telegram', '-700'))!.id)).toHaveLength(5);
  });
});
