import { describe, expect, test } from 'vitest';
import { afterOption, baseDateArg, parseCli } from '../../src/cli/args.ts';
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

  test.each([
    ['--from', '1000y'],
    ['--from', '1000 years'],
    ['--base', '99999m'],
    ['--from', 'last 1000 weeks'],
    ['--from', '1000天'],
  ])('GIVEN %s %s (a span longer than 3 digits) THEN it is refused as too long a span, naming the limit and where the history starts', (name, typed) => {
    expect(() => baseDateArg(typed, name, evening)).toThrow(
      new UserError(
        `${name} ${typed} is too long a span back: at most 999 (years, months, weeks or days), and the history starts 1999-03-10; for all of it, give ${name} 1999-03-10`,
      ),
    );
  });

  test.each([
    ['999y', '1027-12-04'],
    ['2020年', '2020-01-01'],
  ])('GIVEN %s (a span of 3 digits, a year) THEN it is read as before', (typed, day) => {
    expect(baseDateArg(typed, '--from', evening)).toBe(day);
  });

  test.each([
    ['since last year', '2025-01-01'],
    ['去年底', '2025-12-31'],
    ['end of last year', '2025-12-31'],
    ['上個月', '2026-11-01'],
    ['this year', '2025-12-31'],
    ['2020年上半年', '2020-01-01'],
    ['week', '2026-11-27'],
  ])("GIVEN %s (a start as the chat's /chart takes it) THEN the day the chat's parser reads: %s", (typed, day) => {
    expect(baseDateArg(typed, '--from', evening)).toBe(day);
  });

  test('GIVEN a range (一兩週) THEN one line asking for a single number, its ends the example', () => {
    expect(() => baseDateArg('一兩週', '--base', evening)).toThrow(
      new UserError('--base: "一兩週" is a range, not one length: give a single number, e.g. 1w or 2w'),
    );
  });

  test('GIVEN 10000 (no unit) THEN it is still no date, not a span', () => {
    expect(() => baseDateArg('10000', '--from', evening)).toThrow(/--from must be a date YYYY-MM-DD .* or a span back like 2y/);
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

describe("a chat-side refusal after an option's name", () => {
  test.each([
    ['There is no week 53 in 2025.', '--from: there is no week 53 in 2025'],
    ['"幾月" asks which month.', '--from: "幾月" asks which month'],
    ['SPX has no close on 2025-12-25.', '--from: SPX has no close on 2025-12-25'],
    ['ISO weeks run W01 to W52.', '--from: ISO weeks run W01 to W52'],
    ['QQQ started 1999-03-10.', '--from: QQQ started 1999-03-10'],
    ['M2 is monthly.', '--from: M2 is monthly'],
    ['Yahoo answered 429.', '--from: Yahoo answered 429'],
    ['Date "2099" is in the future.', '--from: date "2099" is in the future'],
    // An ellipsis is no full stop.
    ['Not that one...', '--from: not that one...'],
  ])('GIVEN %s THEN %s (lower case as the CLI goes on, names and acronyms kept, no final full stop)', (sentence, said) => {
    expect(afterOption('--from', sentence)).toBe(said);
  });
});
