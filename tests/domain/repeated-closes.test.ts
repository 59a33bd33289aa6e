import { describe, expect, test } from 'vitest';
import { repeatedCloses, repeatsText } from '../../src/domain/repeated-closes.ts';

const rows = (...closes: number[]) => closes.map((close, i) => ({ date: `2026-02-${String(10 + i).padStart(2, '0')}`, close }));

describe('repeatedCloses', () => {
  test.each([
    ['GIVEN no repeat THEN none', rows(1, 2, 3), undefined, []],
    ['GIVEN one equal to the row before THEN that day', rows(1, 2, 2, 3), undefined, ['2026-02-12']],
    ['GIVEN a run of three THEN its second and third', rows(4992, 4992, 4992, 5000), undefined, ['2026-02-11', '2026-02-12']],
    ['GIVEN the first equal to the stored close before THEN it too', rows(7, 8), 7, ['2026-02-10']],
    ['GIVEN a cent apart THEN none', rows(4670.3, 4670.31), undefined, []],
  ] as const)('%s', (_, r, before, want) => {
    expect(repeatedCloses(r, before)).toEqual(want);
  });

  test('GIVEN more than six THEN the first five and the last', () => {
    const d = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    expect(repeatsText(d)).toBe('7 (a, b, c, d, e, ..., g)');
    expect(repeatsText(d.slice(0, 2))).toBe('2 (a, b)');
  });
});
