/**
 * A chat told it may get alerts again (chat/answer.ts mayPostAgain) is told, besides why and since
 * when its alerts stopped, how many alerts the essay's levels it follows triggered meanwhile and the
 * latest: real SQLite, the real alert pipeline deciding real closes, and the message in en, zh-TW, zh-CN.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { onSqlite } from '../../src/store/engine.ts';
import { DecisionStore } from '../../src/store/decisions.ts';
import { AlertPipeline } from '../../src/alerts/pipeline.ts';
import { mayPostAgain } from '../../src/chat/answer.ts';
import { plainText } from '../../src/chat/reply.ts';
import { stopReason } from '../../src/domain/stop-cause.ts';
import type { SubscriptionPatch } from '../../src/store/subscriptions.ts';
import { chatCtx, chatWorld, type ChatWorld } from '../helpers/chat.ts';
import { tradingDayCloses } from '../helpers/recording.ts';

const DAY = 86_400_000;
const worlds: ChatWorld[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.close()));

/**
 * SPX/Gold from 2024-01-02: 2.6, then below 2.5 (the break down, 01-03), back above past the 1%
 * band after the 14-day cooldown (the break up, 01-24), held, then down through it again past the
 * band after another cooldown (the second break down), lower, and back up near it (an approach from below).
 */
const PATH = tradingDayCloses([
  2.6,
  2.45,
  ...Array<number>(11).fill(2.45),
  2.49,
  2.51,
  2.53,
  ...Array<number>(12).fill(2.58),
  2.4,
  2.38,
  2.2,
  2.2,
  2.2,
  2.46,
  2.47,
]);
/** The closes up to the first break down, decided before the chats' alerts stop. */
const BEFORE = 2;

interface Stopped {
  readonly w: ChatWorld;
  /** What the chat is told, as text, `nowMs` now. */
  told(chatId: string): Promise<string>;
}

/**
 * Chats subscribed as `chats` says, an active one beside them; the first `BEFORE` closes decided ten
 * days ago, the chats (all but the active '-1') stopped for rights five days ago, the rest decided a day ago.
 */
async function world(chats: Record<string, SubscriptionPatch>, stoppedAgoMs = 5 * DAY): Promise<Stopped> {
  const w = chatWorld({ seed: false });
  worlds.push(w);
  const now = Date.now();
  let clock = now - 10 * DAY;
  await w.deps.subs.upsert('telegram', '-1', {});
  for (const [id, patch] of Object.entries(chats)) await w.deps.subs.upsert('telegram', id, patch);
  const pipeline = new AlertPipeline(new DecisionStore(onSqlite(w.db)), w.deps.subs, { approachPct: 3, hysteresisPct: 1, cooldownDays: 14, now: () => clock });
  const decide = async (points: readonly { date: string; value: number }[]) => {
    await w.quotes.upsertCloses(
      'gold',
      points.map((p) => ({ date: p.date, close: 1000, source: 'yahoo' })),
    );
    await w.quotes.upsertCloses(
      'spx',
      points.map((p) => ({ date: p.date, close: Math.round(p.value * 1e6) / 1e3, source: 'yahoo' })),
    );
    await pipeline.catchUp(await w.deps.view.snapshot());
  };
  await decide(PATH.slice(0, 1));
  await decide(PATH.slice(0, BEFORE));
  for (const id of Object.keys(chats)) {
    await w.deps.subs.chatGone('telegram', id, stopReason('rights', 'Bad Request: CHAT_SEND_PLAIN_FORBIDDEN'));
    w.db.prepare('UPDATE subscriptions SET deactivated_at = ? WHERE chat_id = ?').run(now - stoppedAgoMs, id);
  }
  clock = now - DAY;
  await decide(PATH);
  return {
    w,
    told: async (chatId) => {
      const said = await mayPostAgain(w.deps, chatCtx({ chatId, chatType: 'group', nowMs: now }));
      return said === undefined ? '' : plainText(said.reply);
    },
  };
}

describe('a chat told it may get alerts again is told what it missed', () => {
  test('GIVEN two breaks of 2.5 decided after the stop (and one before) THEN the count and the latest, in the chat language; approaches not counted', async () => {
    const { w, told } = await world({ '-10': { lang: 'en' }, '-11': { lang: 'zh-TW' }, '-12': { lang: 'zh-CN' } });
    // What the pipeline decided (not withdrawn), to be sure of what the chats missed: the first break before the stop.
    const decided = w.db.prepare("SELECT date, kind, created_at < ? AS before FROM events WHERE kind <> 'approach' ORDER BY id").all(Date.now() - 5 * DAY);
    expect(decided).toEqual([
      { date: '2024-01-03', kind: 'cross-down', before: 1 },
      { date: '2024-01-24', kind: 'cross-up', before: 0 },
      { date: expect.any(String), kind: 'cross-down', before: 0 },
    ]);
    // Approaches were decided meanwhile too: not alerts of a break, not counted.
    expect(
      (w.db.prepare("SELECT count(*) AS n FROM events WHERE kind = 'approach' AND created_at >= ?").get(Date.now() - 5 * DAY) as { n: number }).n,
    ).toBeGreaterThan(0);
    const last = (decided[2] as { date: string }).date;
    const en = await told('-10');
    expect(en).toContain(`While stopped, the essay's levels this group follows triggered 2 alerts; the latest, on ${last}: SPX/Gold broke below 2.5 at 2.400.`);
    const [y, m, d] = last.split('-').map(Number);
    expect(await told('-11')).toContain(`通知停止期間，本群組關注的文章水位共觸發 2 則通知；最近一則在 ${y}年${m}月${d}日：標普500/黃金跌破 2.5，報 2.400。`);
    expect(await told('-12')).toContain(`提醒停止期间，本群关注的文章点位共触发 2 条提醒；最近一条在 ${y}年${m}月${d}日：标普500/黄金跌破 2.5，报 2.400。`);
  });

  test('GIVEN chats that follow no level that broke, or stopped after the last break, or muted past it THEN nothing about missed alerts', async () => {
    const { told } = await world({
      '-20': { levelIds: ['spx-gold-5.5'] },
      '-21': { pairs: ['qqq-gold'] },
      '-22': { mutedUntil: Date.now() },
    });
    for (const id of ['-20', '-21', '-22']) {
      const text = await told(id);
      expect(text).toContain('The bot may post here again.');
      expect(text).not.toContain('While stopped');
    }
    const { told: later } = await world({ '-23': {} }, 0.5 * DAY);
    expect(await later('-23')).not.toContain('While stopped');
  });
});
