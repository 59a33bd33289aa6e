import { onSqlite } from '../../src/store/engine.ts';
import { afterEach, describe, expect, test } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/db.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { EventStore } from '../../src/store/events.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { DecisionStore } from '../../src/store/decisions.ts';
import { AlertPipeline, type RatioSource } from '../../src/alerts/pipeline.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import type { Platform } from '../../src/alerts/notifier.ts';
import type { ChartRenderer } from '../../src/domain/chart-request.ts';
import { ConsoleNotifier } from '../../src/platforms/console/notifier.ts';
import type { PairId } from '../../src/domain/instruments.ts';
import type { Point } from '../../src/domain/series.ts';
import { writeDatabase } from '../helpers/sqlite-image.ts';
import { RecordingNotifier } from '../helpers/recording.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-pipeline-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function setup(path = writeDatabase(join(tempDir(), 'test.db')), now = () => 1_000_000) {
  const db = openDatabase(path);
  const subs = new SubscriptionStore(onSqlite(db), { approachPct: 3, lang: 'en' });
  const pipeline = new AlertPipeline(new DecisionStore(onSqlite(db)), subs, { approachPct: 3, hysteresisPct: 1, now });
  return { db, subs, pipeline, events: new EventStore(onSqlite(db)), outbox: new OutboxStore(onSqlite(db)), close: () => db.close() };
}

/** Daily closes of one pair; the other pair has none. */
function source(pair: PairId, values: readonly number[], from = Date.UTC(2024, 0, 1)): RatioSource & { points: Point[] } {
  const points = values.map((value, i) => ({ date: new Date(from + i * 86_400_000).toISOString().slice(0, 10), value }));
  return { points, ratio: (p: PairId) => (p === pair ? points : []) };
}

/** A chart renderer that records what it was asked to draw. */
function recordingCharts(calls: string[]): ChartRenderer {
  return {
    render: async (req, { lang }) => {
      calls.push(`${req.kind}/${lang}`);
      return { png: Buffer.from('png'), key: `${req.kind}/${lang}`, filename: 'alert.png' };
    },
  };
}

const kinds = (events: readonly { date: string; levelId: string; kind: string }[]) => events.map((e) => `${e.date} ${e.levelId} ${e.kind}`);

describe('alert pipeline', () => {
  test('GIVEN a first start THEN the state is set from the latest close without events for history', async () => {
    const s = setup();
    await s.subs.upsert('console', 'me');
    const r = await s.pipeline.catchUp(source('spx-gold', [2.0, 2.6, 2.4, 2.7]));
    expect(r.events).toEqual([]);
    expect(await s.pipeline.cursor('spx-gold')).toMatchObject({ date: '2024-01-04', lastCloseDate: '2024-01-04' });
    s.close();
  });

  test('GIVEN closes run twice, a restart, and closes added while down THEN nothing re-fires and nothing is missed', async () => {
    const path = join(tempDir(), 'restart.db');
    const a = setup(path);
    await a.subs.upsert('console', 'me');
    const first = source('spx-gold', [2.3, 2.4]);
    await a.pipeline.catchUp(first);
    const more = source('spx-gold', [2.3, 2.4, 2.51, 2.52]);
    expect(kinds((await a.pipeline.catchUp(more)).events)).toEqual(['2024-01-03 spx-gold-2.5 cross-up']);
    expect((await a.pipeline.catchUp(more)).events).toEqual([]);
    a.close();

    const b = setup(path);
    expect((await b.pipeline.catchUp(more)).events).toEqual([]);
    // While "down": a dip inside the band, then a real break below, then a bounce inside the band.
    const later = source('spx-gold', [2.3, 2.4, 2.51, 2.52, 2.49, 2.46, 2.48]);
    expect(kinds((await b.pipeline.catchUp(later)).events)).toEqual(['2024-01-06 spx-gold-2.5 cross-down']);
    expect(kinds(await b.events.recent(10)).reverse()).toEqual(['2024-01-03 spx-gold-2.5 cross-up', '2024-01-06 spx-gold-2.5 cross-down']);
    expect(await b.outbox.pendingCount()).toBe(2);
    b.close();
  });

  test('GIVEN chats with pairs, levels, mutes, custom levels and own approach % THEN each event reaches exactly its chats', async () => {
    let now = 1_000_000;
    const s = setup(undefined, () => now);
    await s.subs.upsert('console', 'all');
    await s.subs.upsert('console', 'qqq-only', { pairs: ['qqq-gold'] });
    await s.subs.upsert('console', 'no-2.5', { levelIds: ['spx-gold-5.5'] });
    await s.subs.upsert('console', 'muted', { mutedUntil: 1_000_500 });
    await s.subs.upsert('console', 'custom', { customLevels: [{ pair: 'spx-gold', value: 2.2 }] });
    await s.subs.upsert('console', 'wide', { approachPct: 10 });
    await s.subs.upsert('console', 'gone');
    await s.subs.deactivate('console', 'gone', 'blocked');
    const points = [2.0, 2.1, 2.28, 2.44, 2.55];
    const src = source('spx-gold', points.slice(0, 1));
    await s.pipeline.catchUp(src);
    const sent = (date: string) =>
      s.db
        .prepare(
          `SELECT e.level_id || ' ' || e.kind AS k, o.chat_id AS c
             FROM outbox o JOIN messages m ON m.id = o.message_id JOIN events e ON m.dedupe_key = 'event:' || e.id
            WHERE e.date = ? ORDER BY o.id`,
        )
        .all(date)
        .map((r) => `${(r as { k: string }).k} → ${(r as { c: string }).c}`);

    // 2.1: 'custom' approaches 2.2 (3%: 2.134 is 3% below 2.2; 2.1 is 4.5% away, no); 'wide' approaches 2.5? 16% away: no.
    expect((await s.pipeline.tick('spx-gold', { date: '2024-01-02', value: 2.1 }, 'close')).events).toEqual([]);
    // 2.28: crosses 2.2 (custom); within 10% of 2.5 (wide's own approach: 9.6%, in % of the ratio as every distance is shown).
    const r3 = await s.pipeline.tick('spx-gold', { date: '2024-01-03', value: 2.28 }, 'close');
    expect(kinds(r3.events)).toEqual(['2024-01-03 spx-gold-2.5 approach', '2024-01-03 spx-gold-custom-2.2 cross-up']);
    expect(sent('2024-01-03')).toEqual(['spx-gold-2.5 approach → wide', 'spx-gold-custom-2.2 cross-up → custom']);
    // 2.44: within 3% of 2.5 for everyone on the default; the muted chat is still muted.
    expect(kinds((await s.pipeline.tick('spx-gold', { date: '2024-01-04', value: 2.44 }, 'close')).events)).toEqual(['2024-01-04 spx-gold-2.5 approach']);
    expect(sent('2024-01-04')).toEqual(['spx-gold-2.5 approach → all', 'spx-gold-2.5 approach → custom']);
    // 2.55: the break; the mute is over by now.
    now = 2_000_000;
    expect(kinds((await s.pipeline.tick('spx-gold', { date: '2024-01-05', value: 2.55 }, 'close')).events)).toEqual(['2024-01-05 spx-gold-2.5 cross-up']);
    expect(sent('2024-01-05')).toEqual([
      'spx-gold-2.5 cross-up → all',
      'spx-gold-2.5 cross-up → muted',
      'spx-gold-2.5 cross-up → custom',
      'spx-gold-2.5 cross-up → wide',
    ]);
    s.close();
  });

  test('GIVEN a custom level added between two ticks that straddle it THEN the break still fires', async () => {
    const s = setup();
    await s.pipeline.tick('spx-gold', { date: '2024-01-02', value: 2.0 }, 'close');
    await s.subs.upsert('telegram', '7', { customLevels: [{ pair: 'spx-gold', value: 1.9 }] });
    expect(kinds((await s.pipeline.tick('spx-gold', { date: '2024-01-03', value: 1.85 }, 'close')).events)).toEqual([
      '2024-01-03 spx-gold-custom-1.9 cross-down',
    ]);
    s.close();
  });

  test("GIVEN an intraday break and the same day's close THEN one event, decided on the live ratio", async () => {
    const s = setup();
    await s.pipeline.tick('qqq-gold', { date: '2024-01-02', value: 0.2 }, 'close');
    const live = await s.pipeline.tick('qqq-gold', { date: '2024-01-03', value: 0.26 }, 'intraday');
    expect(live.events.map((e) => [e.levelId, e.kind, e.basis])).toEqual([['qqq-gold-0.25', 'cross-up', 'intraday']]);
    expect((await s.pipeline.tick('qqq-gold', { date: '2024-01-03', value: 0.255 }, 'close')).events).toEqual([]);
    s.close();
  });

  test('GIVEN only live ticks so far THEN catch-up runs the closes from the live day on, not all of history', async () => {
    const s = setup();
    await s.pipeline.tick('qqq-gold', { date: '2024-01-03', value: 0.2 }, 'intraday');
    // History before the live day crosses 0.25 twice; only 2024-01-04 is new.
    const src = source('qqq-gold', [0.2, 0.3, 0.2, 0.3]);
    expect(kinds((await s.pipeline.catchUp(src)).events)).toEqual(['2024-01-04 qqq-gold-0.25 cross-up']);
    expect((await s.pipeline.cursor('qqq-gold'))?.lastCloseDate).toBe('2024-01-04');
  });
});

describe('dispatcher', () => {
  async function queued(n: number, platform: Platform = 'telegram') {
    const s = setup();
    for (let i = 0; i < n; i++) await s.subs.upsert(platform, `c${i}`, { lang: i % 2 === 0 ? 'en' : 'zh-TW' });
    await s.pipeline.tick('spx-gold', { date: '2024-01-02', value: 2.3 }, 'close');
    await s.pipeline.tick('spx-gold', { date: '2024-01-03', value: 2.6 }, 'close');
    return s;
  }

  test('GIVEN queued rows THEN every chat gets the text in its language and the chart renders once per language', async () => {
    const s = await queued(6);
    const n = new RecordingNotifier();
    const charts: string[] = [];
    const d = new Dispatcher(new OutboxStore(onSqlite(s.db)), s.subs, { notifiers: [n], charts: recordingCharts(charts), now: () => 1_000_000 });
    expect(await d.drain()).toMatchObject({ sent: 6 });
    expect(n.got.map((g) => g.chatId).sort()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5']);
    expect(n.texts().find((g) => g.chatId === 'c0')?.text).toContain('SPX/Gold broke above 2.5: now 2.600');
    expect(n.texts().find((g) => g.chatId === 'c1')?.text).toContain('標普500/黃金向上突破 2.5');
    expect(charts.sort()).toEqual(['alert/en', 'alert/zh-TW']);
    expect(await d.pending()).toBe(0);
    expect((await d.drain()).sent).toBe(0);
    s.close();
  });

  test('GIVEN retry, dead and moved answers THEN rows are rescheduled, chats deactivated or followed', async () => {
    const s = await queued(3);
    let now = 1_000_000;
    const n = new RecordingNotifier({
      script: ({ chatId }, { chat: k }) => {
        if (chatId === 'c0' && k === 0) return { kind: 'retry', afterMs: 2_000, reason: '429' };
        if (chatId === 'c1') return { kind: 'dead', cause: 'blocked', reason: 'bot was blocked' };
        if (chatId === 'c2') return { kind: 'moved', newChatId: 'c2-super' };
        return { kind: 'sent' };
      },
    });
    const d = new Dispatcher(new OutboxStore(onSqlite(s.db)), s.subs, { notifiers: [n], now: () => now, concurrency: 2 });
    expect(await d.drain()).toMatchObject({ sent: 1, retried: 1, dead: 1, moved: 1 });
    expect(await s.subs.get('telegram', 'c1')).toMatchObject({ active: false, deactivatedReason: 'blocked: bot was blocked' });
    expect((await s.subs.get('telegram', 'c2-super'))?.active).toBe(true);
    expect(n.got.map((g) => g.chatId).sort()).toEqual(['c0', 'c1', 'c2', 'c2-super']);
    expect(await d.pending()).toBe(1);
    now += 60_000;
    expect(await d.drain()).toMatchObject({ sent: 1 });
    expect(await d.pending()).toBe(0);
    s.close();
  });

  test('GIVEN a platform-wide 429 longer than the drain waits THEN the platform pauses, then resumes on a later drain', async () => {
    const s = await queued(5);
    let now = 1_000_000;
    const n: RecordingNotifier = new RecordingNotifier({
      script: (_d, k) => (k.all === 0 ? { kind: 'retry', afterMs: 60_000, reason: '429 Too Many Requests', global: true } : { kind: 'sent' }),
    });
    const d = new Dispatcher(new OutboxStore(onSqlite(s.db)), s.subs, { notifiers: [n], now: () => now, concurrency: 1, maxPauseWaitMs: 1_000 });
    expect(await d.drain()).toMatchObject({ sent: 0, retried: 1 });
    expect(await d.pending()).toBe(5);
    now += 30_000;
    expect(await d.drain()).toMatchObject({ sent: 0 });
    now += 31_000;
    expect(await d.drain()).toMatchObject({ sent: 5 });
    expect(new Set(n.got.map((g) => g.chatId)).size).toBe(5);
    s.close();
  });

  test('GIVEN a notifier that keeps failing THEN the row is given up after maxAttempts, the chat stays', async () => {
    const s = await queued(1);
    let now = 0;
    const n = new RecordingNotifier({ script: () => ({ kind: 'retry', afterMs: 0, reason: 'HTTP 502' }) });
    const d = new Dispatcher(new OutboxStore(onSqlite(s.db)), s.subs, { notifiers: [n], now: () => now, maxAttempts: 3, backoffMs: 10 });
    for (let i = 0; i < 5; i++) {
      await d.drain();
      now += 1_000;
    }
    expect(n.got).toHaveLength(3);
    expect(await d.pending()).toBe(0);
    expect((await s.subs.get('telegram', 'c0'))?.active).toBe(true);
    s.close();
  });

  test('GIVEN the console notifier and a data folder THEN the text goes to the output and the chart to a PNG', async () => {
    const s = await queued(1, 'console');
    const dir = tempDir();
    const lines: string[] = [];
    const d = new Dispatcher(new OutboxStore(onSqlite(s.db)), s.subs, {
      notifiers: [new ConsoleNotifier({ out: (t) => lines.push(t), dataDir: dir })],
      charts: { render: async () => ({ png: Buffer.from([0x89, 0x50]), key: 'k', filename: 'spx-gold.png' }) },
    });
    await d.drain();
    expect(lines.join('\n')).toContain('SPX/Gold broke above 2.5');
    expect(readdirSync(join(dir, 'alerts'))).toEqual(['1-c0-spx-gold.png']);
    s.close();
  });
});
