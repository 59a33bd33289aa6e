/**
 * /history's figures on the real history (GOLDRATIO_HISTORY_DIR): the closes of 2009 decided by the
 * real alert pipeline on a real SQLite file, then the command. QQQ/Gold at the close of 2009-03-10
 * was 27.33 / 911.50 = 0.029984: below the 0.03 floor, approaching it from below.
 */
import { afterEach, expect, test } from 'vitest';
import { onSqlite } from '../../src/store/engine.ts';
import { DecisionStore } from '../../src/store/decisions.ts';
import { AlertPipeline } from '../../src/alerts/pipeline.ts';
import { findCommand } from '../../src/chat/registry.ts';
import { plainText } from '../../src/chat/reply.ts';
import { chatCtx, chatWorld, type ChatWorld } from '../helpers/chat.ts';
import { describeWithHistory, loadHistory } from '../helpers/history.ts';

const worlds: ChatWorld[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.close()));

describeWithHistory('/history on the real closes of early 2009', () => {
  test('GIVEN the approach to 0.03 at 0.029984 on 2009-03-10 THEN /history says 0.02998 (as its alert did), not 0.0300 on the level, in en, zh-TW, zh-CN', async () => {
    const w = chatWorld({ seed: false });
    worlds.push(w);
    for (const lang of ['en', 'zh-TW', 'zh-CN'] as const) await w.deps.subs.upsert('telegram', lang, { lang });
    const pipeline = new AlertPipeline(new DecisionStore(onSqlite(w.db)), w.deps.subs, {
      approachPct: 3,
      hysteresisPct: 1,
      cooldownDays: 14,
      now: () => 1_000_000,
    });
    // The state at the close of 2009-03-04 first, then the closes after it decided as they came.
    await loadHistory(w.quotes, '2009-01-01', '2009-03-04');
    await pipeline.catchUp(await w.deps.view.snapshot());
    await loadHistory(w.quotes, '2009-03-05', '2009-03-10');
    await pipeline.catchUp(await w.deps.view.snapshot());
    const lines = async (lang: string) =>
      plainText(await findCommand('history')!.run(w.deps, chatCtx({ chatId: lang }), ['qqq-gold']))
        .split('\n')
        .filter((l) => l.includes('2009-03-10') || l.includes('2009年3月10日'));
    expect(await lines('en')).toEqual(['2009-03-10 QQQ/Gold approaching 0.03 from below at 0.02998']);
    expect((await lines('zh-TW')).join()).toContain('0.02998');
    expect((await lines('zh-CN')).join()).toContain('0.02998');
    expect([...(await lines('en')), ...(await lines('zh-TW')), ...(await lines('zh-CN'))].join()).not.toContain('0.0300');
  });
});
