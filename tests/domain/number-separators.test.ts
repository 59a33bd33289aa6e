/** A number's separators as every chat reader of goldratio's (a level, a percent, a count) is read: one table. */
import { describe, expect, test } from 'vitest';
import { numberSeparators } from '../../src/domain/number-separators.ts';

describe('numberSeparators', () => {
  test.each([
    // The point is the decimal mark, as the bot writes every number (SPX/Gold 1.697).
    ['1.5', '1.5'],
    ['1.500', '1.500'],
    ['0.250', '0.250'],
    // A comma before fewer or more digits than a thousands group: a decimal comma.
    ['1,5', '1.5'],
    ['1,50', '1.50'],
    ['0,25', '0.25'],
    [',5', '.5'],
    ['1,5000', '1.5000'],
    ['-1,5', '-1.5'],
    // A leading 0 groups nothing: 0,500 is a half.
    ['0,500', '0.500'],
    // Nobody writes the three zero decimals of a whole one: a thousand.
    ['1,000', '1000'],
    // Grouping shown by a second comma, a point after the commas, or the European way round.
    ['1,234,567', '1234567'],
    ['1,234.5', '1234.5'],
    ['1.234,5', '1234.5'],
    // A space or an apostrophe between groups of three only ever groups.
    ['1 500', '1500'],
    ["1'500", '1500'],
    ['12 345.5', '12345.5'],
    // Not one number: handed back for its reader to refuse as it does.
    ['1.5.0', '1.5.0'],
    ['1,2,3', '1,2,3'],
    ['1 50', '1 50'],
    ['abc', 'abc'],
  ])('GIVEN "%s" THEN it reads as "%s"', (typed, text) => {
    expect(numberSeparators(typed)).toEqual({ ok: true, text });
  });

  test.each([
    ['1,500', '1.5', '1500'],
    ['2,050', '2.05', '2050'],
    ['12,345', '12.345', '12345'],
    ['-1,250', '-1.25', '-1250'],
  ])('GIVEN "%s" (one comma before three digits) THEN both readings, to ask: %s or %s', (typed, asDecimal, asThousands) => {
    expect(numberSeparators(typed)).toEqual({ ok: false, asDecimal, asThousands });
  });
});
