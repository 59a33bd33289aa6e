/**
 * One formatter for a level and one distance to it, whoever prints them: the chart, the chat, the
 * alert text and the CLI. Each test goes through the real surface (a chart spec, a chat command,
 * the alert text, `goldratio ratio --json`).
 */
import { afterEach, describe, expect, test } from 'vitest';
import { findCommand } from '../../src/chat/registry.ts';
import { plainText } from '../../src/chat/reply.ts';
import { ratioSpec } from '../../src/charts/spec-ratio.ts';
import { PALETTES } from '../../src/charts/theme.ts';
import { alertMessage, type AlertEvent } from '../../src/domain/alert-message.ts';
import { localize } from '../../src/domain/message.ts';
import { fmtIndex, fmtIndexPct, formatLevel, formatLevelValue, formatPct, formatRatioBeside } from '../../src/domain/i18n/format.ts';
import { distancePct, ESSAY_LEVELS, levelById, nearestLevels } from '../../src/domain/levels.ts';
import { chatCtx, chatWorld, type ChatWorld } from '../helpers/chat.ts';
import { noteFull } from '../../src/charts/note-layout.ts';

let w: ChatWorld | undefined;

/** The alert as a chat reads it: the outbox message, localized. */
const alertText = (e: AlertEvent, lang: 'en' | 'zh-TW') => {
  const m = localize(alertMessage(e), lang);
  return [m.title, ...m.lines].join('\n');
};
afterEach(() => w?.close());

const ZONE = levelById('spx-gold-0.6-0.7')!;

describe('a level prints one way', () => {
  test.each([
    [0.25, '0.25'],
    [2.5, '2.5'],
    [0.03, '0.03'],
    [0.0000001, '0.0000001'],
    [0.000012345678, '0.0000123457'],
    [99.99995, '99.9999'],
    [1.8, '1.8'],
  ])('GIVEN %d THEN %s (never an exponent)', (v, text) => {
    expect(formatLevelValue(v)).toBe(text);
  });

  test('GIVEN every essay level THEN chart labels, chat /levels, and alert text show the same words', async () => {
    w = chatWorld();
    const levels = plainText(await findCommand('levels')!.run(w.deps, chatCtx(), []));
    const series = [
      { date: '2025-01-02', value: 2.0 },
      { date: '2025-01-03', value: 2.1 },
    ];
    const spec = ratioSpec({
      pair: 'spx-gold',
      lang: 'en',
      palette: PALETTES.light,
      sources: 'test',
      stale: false,
      series,
      range: 'MAX',
      levels: ESSAY_LEVELS.filter((l) => l.pair === 'spx-gold'),
    });
    const chartText = JSON.stringify([spec.hlines, spec.hbands, spec.notes.map(noteFull)]);
    for (const l of ESSAY_LEVELS) {
      const text = formatLevel(l, 'en');
      expect(levels).toContain(text);
      if (l.pair === 'spx-gold') expect(chartText).toContain(text);
      const event: AlertEvent = {
        pair: l.pair,
        levelId: l.id,
        kind: 'approach',
        direction: 'up',
        value: l.low * 0.98,
        levelValue: l.low,
        date: '2025-01-03',
        basis: 'close',
      };
      expect(alertText(event, 'en')).toContain(` ${text}`);
      expect(alertText(event, 'zh-TW')).toContain(formatLevel(l, 'zh-TW'));
    }
    expect(formatLevel(ZONE, 'zh-TW')).toBe('0.6–0.7');
  });
});

describe('the distance to a level is to its nearest edge', () => {
  test('GIVEN SPX/Gold at 1.7 THEN the chart note, the nearest-level report and the alert text agree on the 0.6-0.7 zone', () => {
    const value = 1.7;
    const d = distancePct(value, ZONE);
    expect(d).toBeCloseTo(((0.7 - 1.7) / 1.7) * 100, 10); // -58.8%, to the high edge
    expect(nearestLevels(value, [ZONE]).below?.distancePct).toBe(d);
    const series = [
      { date: '2025-01-02', value: 1.69 },
      { date: '2025-01-03', value },
    ];
    const spec = ratioSpec({ pair: 'spx-gold', lang: 'en', palette: PALETTES.light, sources: 'test', stale: false, series, range: 'MAX', levels: [ZONE] });
    expect(spec.notes.map(noteFull).join(' ')).toContain(`0.6–0.7 · Historic support zone: the 2011 bottom (${formatPct(d)})`);
    expect(formatPct(d)).toBe('-58.8%');
    const event: AlertEvent = {
      pair: 'spx-gold',
      levelId: ZONE.id,
      kind: 'approach',
      direction: 'down',
      value: 0.72,
      levelValue: 0.7,
      date: '2025-01-03',
      basis: 'close',
    };
    expect(alertText(event, 'en')).toContain(`${Math.abs(distancePct(0.72, ZONE)).toFixed(2)}%`);
  });

  test('GIVEN a value inside the zone THEN the distance is 0', () => {
    expect(distancePct(0.65, ZONE)).toBe(0);
  });
});

describe('chat input', () => {
  test('GIVEN /mylevels add spx 99.9999999 THEN refused (it would be kept as 100) and nothing written', async () => {
    w = chatWorld();
    await findCommand('subscribe')!.run(w.deps, chatCtx(), []);
    const before = w.dump();
    const r = await findCommand('mylevels')!.run(w.deps, chatCtx(), ['add', 'spx', '99.9999999']);
    expect(r.status).toBe('usage');
    expect(plainText(r)).toMatch(/under 100|below 100|< ?100/);
    expect(w.dump()).toBe(before);
  });

  // Levels below 0.001 are refused as too small (chat/parse.ts MIN_LEVEL); the smallest kept prints plainly.
  test('GIVEN /mylevels add qqq 0.0000001 THEN refused as too small, echoed as typed, never 1e-7; 0.001 is added and listed as 0.001', async () => {
    w = chatWorld();
    await findCommand('subscribe')!.run(w.deps, chatCtx(), []);
    const before = w.dump();
    const refused = plainText(await findCommand('mylevels')!.run(w.deps, chatCtx(), ['add', 'qqq', '0.0000001']));
    expect(refused).toContain('Level must be at least 0.001, got "0.0000001"');
    expect(refused).not.toMatch(/e-7/);
    expect(w.dump()).toBe(before);
    const added = plainText(await findCommand('mylevels')!.run(w.deps, chatCtx(), ['add', 'qqq', '0.001']));
    const list = plainText(await findCommand('mylevels')!.run(w.deps, chatCtx(), []));
    for (const text of [added, list]) expect(text).toContain('0.001');
  });

  test('GIVEN a 4,000-character /ratio argument THEN the reply echoes at most 40 characters of it', async () => {
    w = chatWorld();
    const r = plainText(await findCommand('ratio')!.run(w.deps, chatCtx(), ['y'.repeat(4000)]));
    expect(r).toMatch(/y{39}…/);
    expect(r).not.toMatch(/y{41}/);
    expect(r.length).toBeLessThan(400);
  });
});

describe("an alert's era line", () => {
  test('GIVEN a break of 2.5 in 2026 THEN the era named is where the level comes from, said as such (not the date’s era)', () => {
    const e: AlertEvent = {
      date: '2026-09-11',
      pair: 'spx-gold',
      levelId: 'spx-gold-2.5',
      kind: 'cross-down',
      direction: 'down',
      value: 2.25,
      levelValue: 2.5,
      basis: 'close',
    };
    expect(alertText(e, 'en').split('\n')).toContain('Level from: 2012–2024 QE and tech');
    expect(alertText(e, 'zh-TW')).toMatch(/\n水位出處：2012–2024年：量化寬鬆與科技\n/);
  });
});

describe('a ratio beside a level (formatRatioBeside)', () => {
  test.each([
    [2.44, { low: 2.5, high: 2.5 }, '2.440'],
    [2.49996, { low: 2.5, high: 2.5 }, '2.49996'],
    [2.5, { low: 2.5, high: 2.5 }, '2.500'],
    [2.50000000001, { low: 2.5, high: 2.5 }, '>2.5'],
    // A zone: apart from both edges; inside, its usual digits.
    [0.700004, { low: 0.6, high: 0.7 }, '0.700004'],
    [0.59999, { low: 0.6, high: 0.7 }, '0.59999'],
    [0.65, { low: 0.6, high: 0.7 }, '0.6500'],
    [12.00001, { low: 12, high: 12 }, '12.00001'],
  ])('GIVEN %d beside %j THEN %s', (v, level, shown) => {
    expect(formatRatioBeside(v, level)).toBe(shown);
  });
});

describe('an index (base = 100) and its change, beside 100', () => {
  // Through the one formatter /power, goldratio power, the power chart and the digest share.
  test.each([
    [100, '100.0', '0%'],
    [100 + 1e-13, '100.0', '0%'],
    [100.014, '100.01', '+0.01%'],
    [100.004, '100.004', '+<0.01%'],
    [99.9962, '99.996', '-<0.01%'],
    // Nearer than three decimals show: the side of 100, as the change beside it says it (never 100.0 beside +<0.01%).
    [100.0004, '>100', '+<0.01%'],
    [100.000001, '>100', '+<0.01%'],
    [99.9996, '<100', '-<0.01%'],
    [99.962, '99.96', '-0.04%'],
    [100.06, '100.1', '+0.1%'],
    [596.37, '596.4', '+496%'],
    [1397.19, '1,397.2', '+1,297%'],
  ])('GIVEN %d THEN the index reads %s and its change %s: never 100.0 or 0% for what is not 100', (index, shown, change) => {
    expect(fmtIndex(index, 'en')).toBe(shown);
    expect(fmtIndexPct(index, 'en')).toBe(change);
  });
});

test.each([
  [-0.001, '0.00%'],
  [0.001, '0.00%'],
  [-0.006, '-0.01%'],
  [0.006, '+0.01%'],
])('GIVEN a change of %d%% THEN formatPct writes %s, never -0.00%%', (v, text) => {
  expect(formatPct(v)).toBe(text);
});

test.each([
  // QQQ/Gold at 0.0282 (2011-09-06) and its 0.4 ceiling: /levels, /ratio and the charts' notes.
  [1319.41, '+1,319.4%'],
  [-1319.41, '-1,319.4%'],
  [999.96, '+1,000.0%'],
  [999.94, '+999.9%'],
  [787.1, '+787.1%'],
])('GIVEN a distance of %s percent THEN formatPct groups its thousands as every other number: %s', (v, text) => {
  expect(formatPct(v)).toBe(text);
});
