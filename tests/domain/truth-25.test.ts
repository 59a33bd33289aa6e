/**
 * What the bot says on days hard for the truth, against the files' own arithmetic (GOLDRATIO_HISTORY_DIR).
 *
 * /history past its ten newest events: an install that decided the real closes from mid-2009 had,
 * by 2021-10-18, alerted SPX/Gold leaving the 0.6-0.7 zone upward at the close of 2011-09-26 (back
 * inside before five closes, out for good from 2011-10-10). That alert was the eleventh newest
 * event: /history listed the break that held as "(history)", a break no alert of this install told.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { onSqlite } from '../../src/store/engine.ts';
import { DecisionStore } from '../../src/store/decisions.ts';
import { AlertPipeline } from '../../src/alerts/pipeline.ts';
import { findCommand } from '../../src/chat/registry.ts';
import { plainText } from '../../src/chat/reply.ts';
import { chatCtx, chatWorld, type ChatWorld } from '../helpers/chat.ts';
import { describeWithHistory, independentRatio, loadHistory } from '../helpers/history.ts';

describeWithHistory('/history of an install that decided the real closes from mid-2009, asked on 2021-10-18: its eleventh newest alert still told', () => {
  let w: ChatWorld;
  beforeAll(async () => {
    w = chatWorld({ seed: false });
    for (const lang of ['en', 'zh-TW', 'zh-CN'] as const) await w.deps.subs.upsert('telegram', lang, { lang });
    const pipeline = new AlertPipeline(new DecisionStore(onSqlite(w.db)), w.deps.subs, {
      approachPct: 3,
      hysteresisPct: 1,
      cooldownDays: 14,
      now: () => 1_000_000,
    });
    await loadHistory(w.quotes, '1995-01-01', '2009-06-30');
    await pipeline.catchUp(await w.deps.view.snapshot());
    await loadHistory(w.quotes, '2009-06-30', '2021-10-18');
    await pipeline.catchUp(await w.deps.view.snapshot());
  }, 120_000);
  afterAll(() => w.close());

  const ask = async (lang: string) =>
    plainText(await findCommand('history')!.run(w.deps, chatCtx({ chatId: lang, nowMs: Date.parse('2021-10-18T23:30:00Z') }), [])).split('\n');

  test('GIVEN the alert of 2011-09-26 older than the ten newest events THEN the break that held on 2011-10-10 names it, in en, zh-TW and zh-CN, and nothing says "history" of it', async () => {
    // Independently: above 0.7 at the close of 2011-09-26, back to 0.7 or under before five closes, above for five from 2011-10-10.
    const s = independentRatio('spx', '2011-09-01', '2011-10-31');
    const at = (d: string) => s.find((p) => p.date === d)!.value;
    expect(at('2011-09-26')).toBeGreaterThan(0.7);
    expect(s.filter((p) => p.date > '2011-09-26' && p.date < '2011-10-10').some((p) => p.value <= 0.7)).toBe(true);
    expect(
      s
        .filter((p) => p.date >= '2011-10-10')
        .slice(0, 5)
        .every((p) => p.value > 0.7),
    ).toBe(true);
    expect(at('2011-10-07')).toBeLessThanOrEqual(0.7);
    // The engine's alert, as the store keeps it: the eleventh newest.
    const alerts = w.db.prepare('SELECT date, kind, direction, level_id AS level FROM events ORDER BY id DESC').all() as {
      date: string;
      kind: string;
      direction: string;
      level: string;
    }[];
    const i = alerts.findIndex((a) => a.level === 'spx-gold-0.6-0.7' && a.kind === 'zone-exit' && a.date === '2011-09-26');
    expect(i, alerts.map((a) => `${a.date} ${a.level} ${a.kind}`).join('\n')).toBeGreaterThanOrEqual(10);

    const en = await ask('en');
    const line = en.find((l) => l.startsWith('2011-10-10'));
    expect(line).toBe(
      `2011-10-10 SPX/Gold left the 0.6–0.7 zone upward at ${at('2011-10-10').toFixed(4)} (alerted 2011-09-26, at an earlier close beyond that did not hold)`,
    );
    expect(en.filter((l) => l.includes('2011-09-26'))).toHaveLength(1);
    expect(
      en.filter((l) => l.endsWith('(history)')),
      'every break listed was alerted by this install',
    ).toEqual([]);
    const value = at('2011-10-10').toFixed(4);
    expect((await ask('zh-TW')).filter((l) => l.startsWith('2011年10月10日'))).toEqual([
      `2011年10月10日：標普500/黃金向上突破 0.6–0.7 區間，報 ${value}（2011年9月26日已通報，當時越過水位的收盤未能持續）`,
    ]);
    expect((await ask('zh-CN')).filter((l) => l.startsWith('2011年10月10日'))).toEqual([
      `2011年10月10日：标普500/黄金向上突破 0.6–0.7 区间，报 ${value}（2011年9月26日已通知，当时越过点位的收盘未能持续）`,
    ]);
  });
});
