/** clipText cuts between whole graphemes: what is left before the … is text a reader sees as written. */
import { describe, expect, test } from 'vitest';
import { clipText } from '../../src/chat/split.ts';

describe('clipText', () => {
  test.each([
    ['fits', 'abc', 3, 'abc'],
    ['plain', 'abcdef', 4, 'abc…'],
    ['an emoji across the cut', 'abc📈def', 5, 'abc…'],
    ['an emoji before the cut', 'ab📈def', 5, 'ab📈…'],
    ['a flag across the cut (two regional letters)', 'ab🇹🇼cd', 5, 'ab…'],
    ['a family joined by ZWJ across the cut', 'ab👨‍👩‍👧z', 8, 'ab…'],
    ['a letter and its combining accent', 'xe\u0301z', 3, 'x…'],
    ['a keycap', 'a1\uFE0F\u20E3b', 4, 'a…'],
    ['no room', 'abc', 0, ''],
  ])('GIVEN %s THEN %j', (_, text, max, want) => {
    const got = clipText(text, max);
    expect(got).toBe(want);
    expect(got.length).toBeLessThanOrEqual(max);
  });
});
