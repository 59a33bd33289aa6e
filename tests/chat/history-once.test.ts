/**
 * /history lists each break once. The alert engine decides a break that needs the hysteresis band
 * at the close past the band, or, held by the cooldown, at the cooldown's end; the story (the
 * closes' own account, domain/level-history.ts) dates the same break by its first close beyond the
 * edge. Both are the same run of closes beyond the edge: one line, dated by the story, with the
 * close the alert came at beside it. Real SQLite, real closes, the pipeline and the command.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { onSqlite } from '../../src/store/engine.ts';
import { DecisionStore } from '../../src/store/decisions.ts';
import { AlertPipeline } from '../../src/alerts/pipeline.ts';
import { findCommand } from '../../src/chat/registry.ts';
import { plainText } from '../../src/chat/reply.ts';
import { chatCtx, chatWorld, type ChatWorld } from '../helpers/chat.ts';
import { tradingDayCloses } from '../helpers/recording.ts';

const worlds: ChatWorld[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.close()));

/** SPX/Gold closes on NYSE trading days from 2024-01-02 (gold at 1000, SPX = ratio × 1000). */
const closes = (values: readonly number[]) => tradingDayCloses(values);

/** The world with three chats (en, zh-TW, zh-CN) after the pipeline decided `path`, its first close alone first. */
async function decided(path: readonly { date: string; value: number }[]): Promise<ChatWorld> {
  const w = chatWorld({ seed: false });
  worlds.push(w);
  for (const lang of ['en', 'zh-TW', 'zh-CN'] as const) await w.deps.subs.upsert('telegram', lang, { lang });
  const pipeline = new AlertPipeline(new DecisionStore(onSqlite(w.db)), w.deps.subs, {
    approachPct: 3,
    hysteresisPct: 1,
    cooldownDays: 14,
    now: () => 1_000_000,
  });
  for (const points of [path.slice(0, 1), path]) {
    await w.quotes.upsertCloses(
      'gold',
      points.map((p) => ({ date: p.date, close: 1000, source: 'yahoo' })),
    );
    await w.quotes.upsertCloses(
      'spx',
      points.map((p) => ({ date: p.date, close: Math.round(p.value * 1e6) / 1e3, source: 'yahoo' })),
    );
    await pipeline.catchUp(await w.deps.view.snapshot());
  }
  return w;
}

const history = async (w: ChatWorld, chatId: string): Promise<string[]> =>
  plainText(await findCommand('history')!.run(w.deps, chatCtx({ chatId }), [])).split('\n');

describe('/history lists a break once, dated by its first close beyond the edge', () => {
  test('GIVEN 2.49 → 2.51 → 2.53 → 2.56 across 2.5 after a break down (band 1%: the alert at 2.53) THEN one line, at 2.51, naming the alert’s close, in en, zh-TW, zh-CN', async () => {
    // 01-03 breaks 2.5 downward at the edge itself (the first break needs no band); below it for
    // more than the cooldown; then 2.51 (01-23: beyond the edge, inside the band), 2.53 (01-24:
    // past the band, the alert), and it holds.
    const path = closes([2.6, 2.45, ...Array<number>(11).fill(2.45), 2.49, 2.51, 2.53, 2.56, 2.57, 2.58, 2.58]);
    expect(path[14]).toEqual({ date: '2024-01-23', value: 2.51 });
    const w = await decided(path);
    const up = (lines: string[]) => lines.filter((l) => /broke above 2\.5|向上突破 2\.5/.test(l));
    expect(up(await history(w, 'en'))).toEqual(['2024-01-23 SPX/Gold broke above 2.5 at 2.510 (alerted 2024-01-24)']);
    expect(up(await history(w, 'zh-TW'))).toEqual(['2024年1月23日：標普500/黃金向上突破 2.5，報 2.510（2024年1月24日通報）']);
    expect(up(await history(w, 'zh-CN'))).toEqual(['2024年1月23日：标普500/黄金向上突破 2.5，报 2.510（2024年1月24日通知）']);
    // The break down was decided at the edge, at its own first close: one line, nothing beside it.
    expect((await history(w, 'en')).filter((l) => l.includes('below 2.5'))).toEqual(['2024-01-03 SPX/Gold broke below 2.5 at 2.450']);
  });

  test('GIVEN a reverse break held by the cooldown whose first close beyond (2.49) is inside the band THEN one line at 2.49, reported late, and the alert says that date', async () => {
    // 01-03 breaks 2.5 upward and holds five closes; 01-10 closes at 2.49 (beyond, inside the band),
    // 01-11 at 2.47 (past it) inside the 14-day cooldown; below at every close until 01-17 sends it.
    const path = closes([2.45, 2.52, 2.53, 2.54, 2.55, 2.56, 2.49, 2.47, 2.46, 2.46, 2.45, 2.45]);
    expect(path[6]).toEqual({ date: '2024-01-10', value: 2.49 });
    const w = await decided(path);
    const down = (lines: string[]) => lines.filter((l) => /below 2\.5|跌破 2\.5/.test(l));
    expect(down(await history(w, 'en'))).toEqual(['2024-01-10 SPX/Gold broke below 2.5 at 2.490 (reported late, 2024-01-17)']);
    expect(down(await history(w, 'zh-TW'))).toEqual(['2024年1月10日：標普500/黃金跌破 2.5，報 2.490（2024年1月17日延後通報）']);
    expect(down(await history(w, 'zh-CN'))).toEqual(['2024年1月10日：标普500/黄金跌破 2.5，报 2.490（2024年1月17日延后通知）']);
    // The alert's title names the same day (its close, 01-17, has 01-18's after it: alert.late-past.*).
    const row = w.db.prepare("SELECT body FROM messages WHERE body LIKE '%alert.late-past.cross-down%'").get() as { body: string } | undefined;
    expect(row?.body).toContain('2024-01-10');
  });
});
