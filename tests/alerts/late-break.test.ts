/**
 * A reverse break held by the cooldown is sent late (crossing.ts: late, never lost). Every place
 * that tells it must say when it happened and that it is reported late: the alert (title and
 * lines, in every language), its chart's marker and /history. Real SQLite, real closes, the
 * pipeline, the dispatcher and the command as they run.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { onSqlite } from '../../src/store/engine.ts';
import { DecisionStore } from '../../src/store/decisions.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { AlertPipeline } from '../../src/alerts/pipeline.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import { findCommand } from '../../src/chat/registry.ts';
import { plainText } from '../../src/chat/reply.ts';
import { alertSpec } from '../../src/charts/spec-alert.ts';
import { PALETTES } from '../../src/charts/theme.ts';
import { parseMessage } from '../../src/domain/message.ts';
import { essayLevels, levelById } from '../../src/domain/levels.ts';
import type { Lang } from '../../src/domain/i18n/index.ts';
import { chatCtx, chatWorld, type ChatWorld } from '../helpers/chat.ts';
import { RecordingNotifier, tradingDayCloses } from '../helpers/recording.ts';

const worlds: ChatWorld[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.close()));

/** SPX/Gold closes on NYSE trading days from 2024-01-02 (gold at 1000, SPX = ratio × 1000). */
const closes = (values: readonly number[]) => tradingDayCloses(values);

async function write(w: ChatWorld, points: readonly { date: string; value: number }[]): Promise<void> {
  await w.quotes.upsertCloses(
    'gold',
    points.map((p) => ({ date: p.date, close: 1000, source: 'yahoo' })),
  );
  await w.quotes.upsertCloses(
    'spx',
    points.map((p) => ({ date: p.date, close: Math.round(p.value * 1e6) / 1e3, source: 'yahoo' })),
  );
}

describe('a break held by the cooldown is told as late, dated by its own close', () => {
  // 2.5: broken upward on 01-03; back below it past the band on 01-05 (within 14 days: held);
  // below at every close since; the cooldown ends on 01-17, whose close (2.45) sends it.
  const path = closes([2.45, 2.52, 2.53, 2.46, 2.45, 2.45, 2.45, 2.45, 2.45, 2.45, 2.45]);

  test('GIVEN the reverse break of 2.5 held from 01-05 to 01-17 THEN the alert, its chart and /history say 01-05 and "reported late", in en, zh-TW, zh-CN', async () => {
    const w = chatWorld({ seed: false });
    worlds.push(w);
    const store = onSqlite(w.db);
    for (const [id, lang] of [
      ['en', 'en'],
      ['tw', 'zh-TW'],
      ['cn', 'zh-CN'],
    ] as const)
      await w.deps.subs.upsert('telegram', id, { lang });
    const pipeline = new AlertPipeline(new DecisionStore(store), w.deps.subs, { approachPct: 3, hysteresisPct: 1, cooldownDays: 14, now: () => 1_000_000 });
    await write(w, path.slice(0, 1));
    await pipeline.catchUp(await w.deps.view.snapshot());
    await write(w, path);
    const r = await pipeline.catchUp(await w.deps.view.snapshot());
    const breaks = r.events.filter((e) => e.kind !== 'approach');
    expect(breaks.map((e) => `${e.date} ${e.kind} ${e.heldSince ?? '-'}`)).toEqual(['2024-01-03 cross-up -', '2024-01-17 cross-down 2024-01-05']);
    expect(breaks[1]!.heldValue).toBeCloseTo(2.46, 6);

    const n = new RecordingNotifier();
    await new Dispatcher(new OutboxStore(store), w.deps.subs, { notifiers: [n], now: () => 1_000_000 }).drain();
    const got = (chat: string) =>
      n
        .texts()
        .filter((g) => g.chatId === chat && !g.text.includes('2.5:') && /below|跌破/.test(g.text))
        .map((g) => g.text);
    expect(got('en')).toHaveLength(1);
    expect(got('en')[0]!.split('\n')).toEqual([
      'SPX/Gold fell below 2.5 on 2024-01-05 (reported late): now 2.450',
      expect.any(String), // the level's note
      expect.any(String), // its era
      'It has stayed past the level at every close since 2024-01-05. A break within 14 days of the alert before it (sent at the close of 2024-01-03) waits for that cooldown to end and is sent only if it still stands: the close of 2024-01-17 confirms it.',
      'Daily close of 2024-01-17',
    ]);
    expect(got('tw')).toHaveLength(1);
    expect(got('tw')[0]).toMatch(/^標普500\/黃金於2024年1月5日跌破 2\.5（延後通報）：目前 2\.450\n/);
    expect(got('tw')[0]).toContain(
      '自2024年1月5日起每次收盤都在水位另一側。距前一次通報（2024年1月3日收盤發出）未滿 14 天的反向突破或跌破，須等冷卻期結束且仍成立才會通報：2024年1月17日收盤確認成立。',
    );
    expect(got('cn')).toHaveLength(1);
    expect(got('cn')[0]).toMatch(/^标普500\/黄金于2024年1月5日跌破 2\.5（延后通知）：当前 2\.450\n/);
    expect(got('cn')[0]).toContain(
      '自2024年1月5日起每次收盘都在点位另一侧。距前一次通知（2024年1月3日收盘发出）不足 14 天的反向突破或跌破，须待冷却期结束且仍成立才会通知：2024年1月17日收盘确认成立。',
    );

    // The chart marks the break where it happened, and says when it was sent.
    const row = w.db.prepare('SELECT body FROM messages WHERE dedupe_key = ?').get(`event:${breaks[1]!.id}`) as { body: string };
    const parsed = parseMessage(row.body);
    if (!parsed.ok || parsed.message.chart?.kind !== 'alert') throw new Error('no alert chart');
    const req = parsed.message.chart;
    const marker = (lang: Lang) =>
      alertSpec({
        lang,
        sources: 'yahoo',
        stale: false,
        palette: PALETTES.light,
        pair: 'spx-gold',
        series: path,
        level: levelById('spx-gold-2.5')!,
        levels: essayLevels('spx-gold'),
        date: req.date,
        value: req.value,
        ...(req.event ? { event: req.event } : {}),
        ...(req.late ? { late: req.late } : {}),
      }).markers?.[0]?.label;
    expect(marker('en')).toBe('Break 2024-01-05: 2.460 (reported 2024-01-17)');
    expect(marker('zh-TW')).toBe('跌破點 2024年1月5日：2.460（2024年1月17日通報）');
    expect(marker('zh-CN')).toBe('跌破点 2024年1月5日：2.460（2024年1月17日通知）');

    // /history: the break's own date and value, and when it was reported.
    const history = findCommand('history')!;
    const en = plainText(await history.run(w.deps, chatCtx({ chatId: 'en' }), [])).split('\n');
    expect(en).toContain('2024-01-05 SPX/Gold broke below 2.5 at 2.460 (reported late, 2024-01-17)');
    expect(en.some((l) => l.startsWith('2024-01-17'))).toBe(false);
    // The story dates the same break by the same close: one line, not a live one and a historic one.
    expect(en.filter((l) => l.startsWith('2024-01-05'))).toHaveLength(1);
    const tw = plainText(await history.run(w.deps, chatCtx({ chatId: 'tw' }), [])).split('\n');
    expect(tw).toContain('2024年1月5日：標普500/黃金跌破 2.5，報 2.460（2024年1月17日延後通報）');
  });
});
