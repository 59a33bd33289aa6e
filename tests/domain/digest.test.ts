/**
 * The digest built from synthetic closes: what the near-level lines say about where the ratio is.
 */
import { describe, expect, test } from 'vitest';
import { buildDigest, digestText } from '../../src/domain/digest.ts';
import { addDays } from '../../src/domain/dates.ts';
import { ESSAY_LEVELS } from '../../src/domain/levels.ts';
import type { Point } from '../../src/domain/series.ts';

/** SPX/Gold closes one a day, ending at `last`. */
const closes = (last: number): Point[] => [0.8, 0.75, 0.7, last].map((value, i) => ({ date: addDays('2026-12-01', i), value }));
const digestOfSpx = (last: number) =>
  buildDigest({ series: { 'spx-gold': closes(last) }, levels: ESSAY_LEVELS, stories: [], m2: [], power: undefined, approachPct: 3 })!;

describe('approaching a level, in the digest (3%)', () => {
  test.each([
    ['GIVEN SPX/Gold inside the 0.6–0.7 zone, 1% above its floor THEN it is inside, not approaching', 0.606, 'inside the 0.6–0.7 zone', undefined],
    ['GIVEN SPX/Gold just under the 0.6–0.7 zone THEN it is approaching it from below', 0.59, undefined, 'Approaching 0.6–0.7 (within 3%)'],
    ['GIVEN SPX/Gold just over the 0.6–0.7 zone THEN it is approaching it from above', 0.71, undefined, 'Approaching 0.6–0.7 (within 3%)'],
  ])('%s', (_name, last, inside, approaching) => {
    const d = digestOfSpx(last);
    const lines = digestText(d, 'en').head.split('\n');
    expect(lines.some((l) => l.includes('inside the 0.6–0.7 zone'))).toBe(inside !== undefined);
    expect(lines.filter((l) => l.startsWith('Approaching'))).toEqual(approaching === undefined ? [] : [approaching]);
    expect(d.pairs[0]!.approaching.map((l) => l.id)).toEqual(approaching === undefined ? [] : ['spx-gold-0.6-0.7']);
  });

  test('GIVEN SPX/Gold inside the zone THEN neither Chinese text says it is nearing the zone', () => {
    const d = digestOfSpx(0.606);
    expect(digestText(d, 'zh-TW').head).toContain('位於 0.6–0.7 區間內');
    expect(digestText(d, 'zh-TW').head).not.toMatch(/逼近|回測/);
    expect(digestText(d, 'zh-CN').head).toContain('处于 0.6–0.7 区间内');
    expect(digestText(d, 'zh-CN').head).not.toMatch(/逼近|回踩/);
  });
});
