import { describe, expect, test } from 'vitest';
import { baseDateArg } from '../../src/cli/args.ts';

describe('a base date on the command line', () => {
  // 02:00 UTC on 2026-12-05 is 21:00 on 2026-12-04 in New York: the trading date, as the chat reads it.
  const evening = Date.parse('2026-12-05T02:00:00Z');

  test('GIVEN the UTC date that is still tomorrow in New York THEN it is in the future, said as the chat says it', () => {
    expect(() => baseDateArg('2026-12-05', '--base', evening)).toThrow('--base 2026-12-05 is in the future (today is 2026-12-04 in New York)');
    expect(baseDateArg('2026-12-04', '--base', evening)).toBe('2026-12-04');
  });

  test('GIVEN a span back THEN it counts from the trading date', () => {
    expect(baseDateArg('1M', '--base', evening)).toBe('2026-11-04');
  });
});
