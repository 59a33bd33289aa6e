/**
 * The essay's story from the whole history, through the same engine as `goldratio replay`.
 * The real-history figures below were read off `goldratio replay` over ../shared/market-history.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type Db } from '../src/store/db.ts';
import { QuoteStore } from '../src/store/quotes.ts';
import { MarketView } from '../src/store/market-view.ts';
import { storyOf } from '../src/store/story-view.ts';
import { pairStory, story } from '../src/domain/story.ts';
import { replay } from '../src/domain/crossing.ts';
import { ESSAY_LEVELS } from '../src/domain/levels.ts';
import { addDays } from '../src/domain/dates.ts';
import type { Point } from '../src/domain/series.ts';
import { hasHistory, loadHistory } from './helpers/history.ts';
import { loadConfig } from '../src/config.ts';
import { EventStore } from '../src/store/events.ts';
import { SubscriptionStore } from '../src/store/subscriptions.ts';
import { findCommand } from '../src/chat/registry.ts';
import { plainText } from '../src/chat/reply.ts';
import { chatCtx } from './helpers/chat.ts';

const O = { approachPct: 3, hysteresisPct: 1, cooldownDays: 14 };
const path = (values: number[]): Point[] => values.map((value, i) => ({ date: addDays('2020-01-01', i * 30), value }));

describe('story rules on a made-up path (SPX/Gold around 2.5)', () => {
  test('GIVEN two approaches after a break THEN two retests that fell back, counted once per episode', () => {
    // start above, break down, come near twice (wiggling inside the 3% band counts once), fall back.
    const s = story({ 'spx-gold': path([2.7, 2.4, 2.0, 2.45, 2.44, 2.46, 2.2, 2.0, 2.43, 2.1]) }, O).pairs[0]!;
    expect(s.lastBreak).toMatchObject({ date: addDays('2020-01-01', 30), kind: 'cross-down', levelId: 'spx-gold-2.5' });
    expect(s.retests).toEqual([expect.objectContaining({ count: 2, first: addDays('2020-01-01', 90), last: addDays('2020-01-01', 240), from: 'below' })]);
    expect(s.approaching).toEqual([]);
    expect(s.daysSinceBreak).toBe(8 * 30);
  });

  test('GIVEN the ratio is near the level today THEN that episode is approaching, not a retest', () => {
    const s = story({ 'spx-gold': path([2.7, 2.4, 2.0, 2.45, 2.1, 2.0, 2.44]) }, O).pairs[0]!;
    expect(s.retests.map((r) => r.count)).toEqual([1]);
    expect(s.approaching.map((l) => l.id)).toEqual(['spx-gold-2.5']);
  });

  test('GIVEN no break at all THEN no last break, and every approach since the start counts', () => {
    const s = story({ 'spx-gold': path([2.0, 2.43, 2.1, 2.44, 2.0]) }, O).pairs[0]!;
    expect(s.lastBreak).toBeUndefined();
    expect(s.daysSinceBreak).toBeUndefined();
    expect(s.retests[0]?.count).toBe(2);
  });

  test('GIVEN no data THEN no story', () => {
    expect(pairStory('spx-gold', [], [], O)).toBeUndefined();
  });
});

describe.skipIf(!hasHistory)('the story in the real history (1995..2026-08-21)', () => {
  let db: Db;
  let view: MarketView;
  beforeAll(() => {
    db = openDatabase(':memory:');
    const store = new QuoteStore(db);
    loadHistory(store);
    view = new MarketView(store);
  });
  afterAll(() => db.close());

  test('SPX/Gold: broke below 2.5 on 2022-01-20, 1,674 days before its last close, and came within 3% of 2.5 three times since, falling back each time', () => {
    const s = storyOf(view, O).pairs.find((p) => p.pair === 'spx-gold')!;
    expect(s.asOf).toBe('2026-08-21');
    expect(s.era?.id).toBe('reset');
    expect(s.lastBreak).toMatchObject({ date: '2022-01-20', levelId: 'spx-gold-2.5', kind: 'cross-down' });
    expect(s.lastBreak!.value).toBeCloseTo(2.4406, 4);
    expect(s.daysSinceBreak).toBe(1674);
    expect(s.retests.map((r) => ({ level: r.level.id, count: r.count, first: r.first, last: r.last, from: r.from }))).toEqual([
      { level: 'spx-gold-2.5', count: 3, first: '2022-08-18', last: '2024-03-20', from: 'below' },
    ]);
    expect(s.approaching).toEqual([]);
  });

  test('QQQ/Gold: its last break is the climb back over the 0.03 floor on 2011-09-26; one retest of 0.03 since (2011-10-03)', () => {
    const s = storyOf(view, O).pairs.find((p) => p.pair === 'qqq-gold')!;
    expect(s.lastBreak).toMatchObject({ date: '2011-09-26', levelId: 'qqq-gold-0.03', kind: 'cross-up' });
    expect(s.daysSinceBreak).toBe(5443);
    expect(s.retests.map((r) => [r.level.id, r.count, r.first])).toEqual([['qqq-gold-0.03', 1, '2011-10-03']]);
  });

  test('the story uses the replay: its breaks are exactly the replay events that are not approaches', () => {
    const series = { 'spx-gold': view.ratio('spx-gold'), 'qqq-gold': view.ratio('qqq-gold') };
    const r = storyOf(view, O);
    expect(r.events).toEqual(replay(series, ESSAY_LEVELS, O));
    expect(r.events.filter((e) => e.kind !== 'approach')).toHaveLength(36);
  });

  test('/history on a fresh install: the historic breaks from the data, marked as history; a live event beside them is not', async () => {
    const config = loadConfig({});
    const events = new EventStore(db);
    const deps = {
      view,
      subs: new SubscriptionStore(db, { approachPct: 3, lang: 'en' }),
      events,
      config,
      today: (ms: number) => new Date(ms).toISOString().slice(0, 10),
    };
    const history = findCommand('history')!;
    const fresh = plainText(await history.run(deps, chatCtx(), []));
    expect(fresh.split('\n')).toEqual([
      'The last 10 level events:',
      '2022-01-20 SPX/Gold broke below 2.5 at 2.441 (history)',
      '2021-10-18 SPX/Gold broke above 2.5 at 2.546 (history)',
      '2021-09-21 SPX/Gold broke below 2.5 at 2.465 (history)',
      '2021-08-09 SPX/Gold broke above 2.5 at 2.545 (history)',
      '2011-11-30 SPX/Gold left the 0.6–0.7 zone upward at 0.7318 (history)',
      '2011-11-09 SPX/Gold entered the 0.6–0.7 zone from above at 0.6905 (history)',
      '2011-09-26 SPX/Gold left the 0.6–0.7 zone upward at 0.7201 (history)',
      '2011-09-26 QQQ/Gold broke above 0.03 at 0.0339 (history)',
      '2011-09-12 QQQ/Gold broke below 0.03 at 0.0292 (history)',
      '2011-09-06 SPX/Gold entered the 0.6–0.7 zone from below at 0.6162 (history)',
    ]);
    events.insert({
      date: '2026-08-21',
      pair: 'qqq-gold',
      levelId: 'qqq-gold-0.25',
      watchKey: 'qqq-gold-0.25',
      kind: 'approach',
      direction: 'up',
      value: 0.2431,
      levelValue: 0.25,
      basis: 'close',
      createdAt: 0,
    });
    const zh = plainText(await history.run(deps, chatCtx({ userLanguageCode: 'zh-TW' }), ['qqq'])).split('\n');
    expect(zh[1]).toBe('2026年8月21日：QQQ/黃金由下方逼近 0.25，報 0.2431');
    expect(zh[2]).toBe('2011年9月26日：QQQ/黃金向上突破 0.03，報 0.0339（歷史）');
    db.prepare('DELETE FROM events').run();
  });
});
