/**
 * A chat that says stop while its alert is still queued: /unsubscribe or /mute after the alert was
 * decided and before it went out (a broadcast to thousands of chats takes minutes; a retried row
 * waits up to the backoff's hour). Alerts decided during a mute are not queued, and held ones are
 * dropped when their window ends on a muted or stopped chat (store/quiet.ts): a queued one is too.
 * A digest still goes to a chat that only unsubscribed from alerts. So with a chat that narrows what
 * it follows (leaves a pair, turns a level off, removes a custom level or a move, approach alerts
 * off): the alerts about what it left are not sent, whether queued or held by quiet hours, on
 * SQLite and PostgreSQL; a message a part of which went out is finished.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { onSqlite } from '../../src/store/engine.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import { RecordingNotifier } from '../helpers/recording.ts';
import { describeOnEngines, type OpenStore } from '../helpers/engines.ts';
import { sql } from 'kysely';
import { MoveStore } from '../../src/store/moves.ts';
import { DecisionStore } from '../../src/store/decisions.ts';
import { AlertPipeline } from '../../src/alerts/pipeline.ts';
import { QuietStore } from '../../src/store/quiet.ts';
import { textOf } from '../helpers/recording.ts';
import { NOW_MS, chatCtx, chatWorld } from '../helpers/chat.ts';
import { answerCommand } from '../../src/chat/answer.ts';
import { findCommand } from '../../src/chat/registry.ts';
import { CROSS_UP_ALERT, outboxOnFile } from '../helpers/outbox-file.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanups.splice(0)) f();
});

const open = () => outboxOnFile('goldratio-stopped-', cleanups);

const ALERT = CROSS_UP_ALERT;

describe('a chat that stops while its alert is queued', () => {
  test('GIVEN an alert queued for three chats THEN the one that unsubscribed and the one that muted before their turn get nothing, the third gets it', async () => {
    const { subs, outbox } = open();
    const ids = await Promise.all(['1', '2', '3'].map(async (c) => (await subs.upsert('telegram', c))!.id));
    const now = 1_000_000;
    await outbox.enqueue('alert', ALERT, ids, { nowMs: now });
    await subs.deactivate('telegram', '1', 'unsubscribed');
    await subs.upsert('telegram', '2', { mutedUntil: now + 3_600_000 });
    const n = new RecordingNotifier();
    await new Dispatcher(outbox, subs, { notifiers: [n], now: () => now }).drain();
    expect(n.got.map((d) => d.chatId)).toEqual(['3']);
    // Not left pending either: a later /subscribe or the mute's end does not bring back an old alert.
    const rows = await outbox.due('telegram', Number.MAX_SAFE_INTEGER, 10);
    expect(rows).toEqual([]);
  });

  test('GIVEN an alert retried (Telegram answered 429) and the chat muting before the retry THEN the retry sends nothing', async () => {
    const { subs, outbox } = open();
    const s = (await subs.upsert('telegram', '7'))!;
    let now = 1_000_000;
    await outbox.enqueue('alert', ALERT, [s.id], { nowMs: now });
    const n = new RecordingNotifier({
      script: (_d, k) => (k.all === 0 ? { kind: 'retry', afterMs: 30_000, reason: 'Too Many Requests: retry after 30' } : { kind: 'sent' }),
    });
    const d = new Dispatcher(outbox, subs, { notifiers: [n], now: () => now });
    expect(await d.drain()).toMatchObject({ retried: 1 });
    await subs.upsert('telegram', '7', { mutedUntil: now + 86_400_000 });
    now += 60_000;
    await d.drain();
    expect(n.got).toHaveLength(1);
  });

  test('GIVEN a digest queued and the chat unsubscribing from alerts THEN the digest still goes out', async () => {
    const { subs, outbox } = open();
    const s = (await subs.upsert('telegram', '9'))!;
    const now = 1_000_000;
    await outbox.enqueue('digest', ALERT, [s.id], { nowMs: now, dedupeKey: 'digest:2026-11-24' });
    await subs.deactivate('telegram', '9', 'unsubscribed');
    await subs.upsert('telegram', '9', { mutedUntil: now + 3_600_000 });
    const n = new RecordingNotifier();
    expect(await new Dispatcher(outbox, subs, { notifiers: [n], now: () => now }).drain()).toMatchObject({ sent: 1 });
  });
});

/** Chats subscribed on one engine, the real pipeline deciding what they get, the real dispatcher sending it. */
async function narrowing(open: OpenStore) {
  const store = await open();
  const subs = new SubscriptionStore(store, { approachPct: 3, lang: 'en' });
  const outbox = new OutboxStore(store);
  const moves = new MoveStore(store);
  const pipeline = new AlertPipeline(new DecisionStore(store), subs, { approachPct: 3, hysteresisPct: 1, now: () => 5 });
  const n = new RecordingNotifier();
  const quiet = new QuietStore(store);
  const clock = { now: 1_000_000 };
  const dispatcher = new Dispatcher(outbox, subs, { notifiers: [n], quiet, now: () => clock.now });
  /** The chats the alerts went to, and the reasons of those given up, by chat. */
  const sent = async () => {
    const drained = await dispatcher.drain();
    const reasons = await sql<{ chat_id: string; last_error: string }>`SELECT chat_id, last_error FROM outbox WHERE status = 'dead' ORDER BY chat_id`.execute(
      store.k,
    );
    return {
      got: [...new Set(n.got.map((d) => d.chatId))].sort(),
      dropped: drained.dropped ?? 0,
      reasons: reasons.rows.map((r) => `${r.chat_id}: ${r.last_error}`),
    };
  };
  return { subs, moves, pipeline, outbox, quiet, clock, n, sent };
}

/** Every essay level of both pairs but SPX/Gold 2.5 (the level keyboard with that one turned off). */
const BUT_2_5 = ['spx-gold-5.5', 'spx-gold-0.6-0.7', 'qqq-gold-0.4', 'qqq-gold-0.25', 'qqq-gold-0.03'];

describeOnEngines('a chat that stops following what its queued alert is about', (open) => {
  test('GIVEN a break of SPX/Gold 2.5 queued THEN a chat that then left SPX/Gold or turned 2.5 off gets nothing; one that turned approach alerts off or changed its approach % still gets the break', async () => {
    const w = await narrowing(open);
    for (const c of ['keep', 'pair', 'level', 'approach-off', 'approach-2']) await w.subs.upsert('telegram', c);
    await w.pipeline.tick('spx-gold', { date: '2024-01-02', value: 2.3 }, 'close');
    expect((await w.pipeline.tick('spx-gold', { date: '2024-01-03', value: 2.6 }, 'close')).queued).toBe(5);
    // What /unsubscribe spx, the level keyboard and /approach write.
    await w.subs.upsert('telegram', 'pair', { pairs: ['qqq-gold'], levelIds: 'all' });
    await w.subs.upsert('telegram', 'level', { levelIds: BUT_2_5 });
    await w.subs.upsert('telegram', 'approach-off', { approachPct: 0 });
    await w.subs.upsert('telegram', 'approach-2', { approachPct: 2 });
    expect(await w.sent()).toEqual({
      got: ['approach-2', 'approach-off', 'keep'],
      dropped: 2,
      reasons: ['level: level turned off before it was sent', 'pair: chat unsubscribed from the pair before it was sent'],
    });
    expect(await w.outbox.pendingCount()).toBe(0);
  });

  test('GIVEN a break whose chart already went out to a chat (a crash before its text) THEN the chat that then left the pair still gets the rest of it', async () => {
    const w = await narrowing(open);
    await w.subs.upsert('telegram', 'half');
    await w.pipeline.tick('spx-gold', { date: '2024-01-02', value: 2.3 }, 'close');
    await w.pipeline.tick('spx-gold', { date: '2024-01-03', value: 2.6 }, 'close');
    const [row] = await w.outbox.due('telegram', Number.MAX_SAFE_INTEGER, 10);
    await w.outbox.markPartsSent(row!.id, 1, 'en');
    await w.subs.upsert('telegram', 'half', { pairs: ['qqq-gold'], levelIds: 'all' });
    expect(await w.sent()).toEqual({ got: ['half'], dropped: 0, reasons: [] });
  });

  test('GIVEN an approach to SPX/Gold 2.5 queued THEN a chat that then turned approach alerts off gets nothing, one that still takes them gets it', async () => {
    const w = await narrowing(open);
    for (const c of ['keep', 'approach-off']) await w.subs.upsert('telegram', c);
    await w.pipeline.tick('spx-gold', { date: '2024-01-02', value: 2.3 }, 'close');
    expect((await w.pipeline.tick('spx-gold', { date: '2024-01-03', value: 2.45 }, 'close')).queued).toBe(2);
    await w.subs.upsert('telegram', 'approach-off', { approachPct: 0 });
    expect(await w.sent()).toEqual({ got: ['keep'], dropped: 1, reasons: ['approach-off: approach alerts turned off before it was sent'] });
  });

  test('GIVEN a break of a custom level queued THEN the chat that then removed it (/mylevels remove) gets nothing, the other chat with that level gets it', async () => {
    const w = await narrowing(open);
    for (const c of ['keep', 'removed']) await w.subs.upsert('telegram', c, { customLevels: [{ pair: 'spx-gold', value: 1.8 }] });
    await w.pipeline.tick('spx-gold', { date: '2024-01-02', value: 1.7 }, 'close');
    expect((await w.pipeline.tick('spx-gold', { date: '2024-01-03', value: 1.9 }, 'close')).queued).toBe(2);
    await w.subs.upsert('telegram', 'removed', { customLevels: [] });
    expect(await w.sent()).toEqual({ got: ['keep'], dropped: 1, reasons: ['removed: custom level removed before it was sent'] });
  });

  test('GIVEN a move alert queued THEN the chat that then removed that move (/move remove) gets nothing, the other gets it', async () => {
    const w = await narrowing(open);
    const move = { pair: 'spx-gold', pct: 10, days: 2 } as const;
    for (const c of ['keep', 'removed']) expect(await w.moves.add((await w.subs.upsert('telegram', c))!.id, move, 5, 1)).toBe('added');
    const closes = [1, 1, 0.88].map((v, i) => ({ date: `2024-01-0${i + 2}`, value: v }));
    await w.pipeline.catchUp({ ratio: (p) => (p === 'spx-gold' ? closes.slice(0, 1) : []) });
    expect((await w.pipeline.catchUp({ ratio: (p) => (p === 'spx-gold' ? closes : []) })).moves).toHaveLength(1);
    await w.moves.remove((await w.subs.get('telegram', 'removed'))!.id, move);
    expect(await w.sent()).toEqual({ got: ['keep'], dropped: 1, reasons: ['removed: move alert removed before it was sent'] });
  });

  test('GIVEN a break of SPX/Gold 2.5 and one of QQQ/Gold 0.25 held by quiet hours THEN a chat that left SPX/Gold meanwhile gets only the QQQ/Gold one when its window ends', async () => {
    const w = await narrowing(open);
    const sub = (await w.subs.upsert('telegram', 'night'))!;
    // 00:16 UTC: inside 00:00-01:00.
    await w.quiet.set(sub.id, { start: '00:00', end: '01:00', zone: 'UTC' }, w.clock.now);
    await w.pipeline.tick('spx-gold', { date: '2024-01-02', value: 2.3 }, 'close');
    await w.pipeline.tick('spx-gold', { date: '2024-01-03', value: 2.6 }, 'close');
    await w.pipeline.tick('qqq-gold', { date: '2024-01-02', value: 0.2 }, 'close');
    await w.pipeline.tick('qqq-gold', { date: '2024-01-03', value: 0.3 }, 'close');
    expect(await w.sent()).toEqual({ got: [], dropped: 0, reasons: [] });
    await w.subs.upsert('telegram', 'night', { pairs: ['qqq-gold'], levelIds: 'all' });
    w.clock.now = Date.parse('1970-01-01T01:00:00Z');
    expect(await w.sent()).toEqual({ got: ['night'], dropped: 0, reasons: ['night: chat unsubscribed from the pair before it was sent'] });
    // The QQQ/Gold alert as itself, not a summary of one.
    expect(w.n.got.map(textOf)).toEqual([expect.stringMatching(/QQQ\/Gold/)]);
  });
});

describe('a chat that narrows what it follows by its commands while alerts are queued', () => {
  test('GIVEN breaks of SPX/Gold 2.5 and of a custom 1.8 queued THEN /unsubscribe spx, /unsubscribe spx 2.5 and /mylevels remove spx 1.8 typed before the send each keep the chat from getting what it left', async () => {
    const w = chatWorld({ seed: false });
    cleanups.push(() => w.close());
    const say = async (chatId: string, name: string, words: string) => {
      const a = await answerCommand(w.deps, chatCtx({ chatId, chatType: 'group' }), findCommand(name)!, { words: words.split(' ').filter((x) => x !== '') });
      expect(a.kind).toBe('message');
    };
    for (const c of ['-1', '-2', '-3', '-4']) {
      await say(c, 'subscribe', '');
      await say(c, 'mylevels', 'add spx 1.8');
    }
    const store = onSqlite(w.db);
    const pipeline = new AlertPipeline(new DecisionStore(store), w.deps.subs, { approachPct: 3, hysteresisPct: 1, now: () => 5 });
    await pipeline.tick('spx-gold', { date: '2024-01-02', value: 1.7 }, 'close');
    await pipeline.tick('spx-gold', { date: '2024-01-03', value: 2.6 }, 'close');
    await say('-2', 'unsubscribe', 'spx');
    await say('-3', 'unsubscribe', 'spx 2.5');
    await say('-4', 'mylevels', 'remove spx 1.8');
    const n = new RecordingNotifier();
    expect(await new Dispatcher(new OutboxStore(store), w.deps.subs, { notifiers: [n], now: () => NOW_MS }).drain()).toMatchObject({ sent: 4, dropped: 4 });
    const got = (chat: string) => n.got.filter((d) => d.chatId === chat).map((d) => (/2\.5/.test(textOf(d)) ? '2.5' : '1.8'));
    expect([got('-1'), got('-2'), got('-3'), got('-4')]).toEqual([['2.5', '1.8'], [], ['1.8'], ['2.5']]);
  });
});
