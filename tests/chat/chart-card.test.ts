/**
 * The figures beside a chart (Discord's embed fields) on the real history (GOLDRATIO_HISTORY_DIR) as
 * the bot had it at the close of 2011-08-09, real SQLite: QQQ/Gold 53.03 / 1,770.00 = 0.029960, under
 * the 0.03 floor; SPX/Gold 1,172.53 / 1,770.00 = 0.66245, inside the 0.6–0.7 zone.
 */
import { afterEach, expect, test } from 'vitest';
import { findCommand } from '../../src/chat/registry.ts';
import { withChartCard } from '../../src/chat/chart-card.ts';
import { chatCtx, chatWorld, type ChatWorld } from '../helpers/chat.ts';
import { describeWithHistory, loadHistory } from '../helpers/history.ts';

const worlds: ChatWorld[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.close()));

describeWithHistory('the chart card at the close of 2011-08-09', () => {
  test('GIVEN QQQ/Gold at 0.029960 THEN its field says 0.02996, as /ratio does, not 0.0300 (the floor itself)', async () => {
    const w = chatWorld({ seed: false });
    worlds.push(w);
    await loadHistory(w.quotes, '2010-01-01', '2011-08-09');
    const nowMs = Date.parse('2011-08-09T21:30:00Z');
    const reply = await findCommand('chart')!.run(w.deps, chatCtx({ nowMs }), ['qqq-gold']);
    const card = await withChartCard(w.deps, reply, 'en', nowMs);
    const code = (name: string) => {
      const v = card.fields?.find((f) => f.name === name)?.value;
      return Array.isArray(v) ? v.find((x): x is { code: string } => typeof x === 'object' && x !== null && 'code' in x)?.code : undefined;
    };
    expect(code('QQQ/Gold')).toBe('0.02996');
    expect(code('SPX/Gold')).toBe('0.6624');
  });
});
