import { expect, test } from 'vitest';
import { hanNumber } from '../../src/domain/han-numbers.ts';

test.each([
  ['零', 0],
  ['一', 1],
  ['兩', 2],
  ['两', 2],
  ['八', 8],
  ['十', 10],
  ['十一', 11],
  ['二十', 20],
  ['二十三', 23],
  ['九十九', 99],
])('GIVEN %s THEN %i', (s, n) => expect(hanNumber(s)).toBe(n));

test.each(['', '十十', '百', '一百', '8', '二十三四', '半'])('GIVEN %j THEN no number', (s) => expect(hanNumber(s)).toBeUndefined());
