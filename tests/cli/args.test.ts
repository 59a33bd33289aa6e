import { describe, expect, test } from 'vitest';
import { baseDateArg, parseCli } from '../../src/cli/args.ts';
import { UserError } from '../../src/cli/command.ts';

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

describe('a switch given a value', () => {
  // Node says "Option '--json' does not take an argument": said as the other refusals are, with what was typed.
  test.each([
    [['--json=1'], '--json takes no value, got "--json=1"'],
    [['--strict=yes', 'x'], '--strict takes no value, got "--strict=yes"'],
  ])('GIVEN %j THEN one line naming the switch and what was typed', (args, said) => {
    expect(() => parseCli(args, { json: { type: 'boolean' }, strict: { type: 'boolean' } }, 1)).toThrow(new UserError(said));
  });
});
