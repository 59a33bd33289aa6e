/**
 * The import format's row checks (domain/close-csv.ts): each refusal names what is wrong with the
 * row, quoting the cell once as it was typed (without the file's own quotes).
 */
import { describe, expect, test } from 'vitest';
import { parseCloseCsv } from '../../src/domain/close-csv.ts';

const TODAY = '2026-12-01';
const HINT = 'goldratio reads comma-separated files with a decimal point (2020-03-05,3023.94)';

describe('parseCloseCsv: what is wrong with a row', () => {
  test.each([
    ['CRLF', '\r\n'],
    ['a lone CR (Excel for Mac\'s "CSV (Macintosh)")', '\r'],
    ['LF', '\n'],
  ])('GIVEN lines ended by %s THEN each line is a row', (_name, eol) => {
    const text = ['date,close', '2026-09-03,8000', '2026-09-04,8100', ''].join(eol);
    expect(parseCloseCsv(text, TODAY)).toEqual({
      rows: [
        { line: 2, date: '2026-09-03', close: 8000, closeText: '8000' },
        { line: 3, date: '2026-09-04', close: 8100, closeText: '8100' },
      ],
      problems: [],
    });
  });

  test('GIVEN one date twice with different closes THEN neither is taken, and both lines say why; the same close twice keeps the first', () => {
    const text = 'date,close\n2026-09-03,8000\n2026-09-04,8100\n2026-09-04,8200\n2026-09-08,8300\n2026-09-08,8300\n2026-09-04,8300\n';
    expect(parseCloseCsv(text, TODAY)).toEqual({
      rows: [
        { line: 2, date: '2026-09-03', close: 8000, closeText: '8000' },
        { line: 5, date: '2026-09-08', close: 8300, closeText: '8300' },
      ],
      problems: [
        { line: 3, message: '2026-09-04 is given again on line 4 with another close: neither is imported' },
        { line: 4, message: '2026-09-04 already given on line 3 with another close (8100): neither is imported' },
        { line: 6, message: '2026-09-08 already given on line 5' },
        { line: 7, message: '2026-09-04 already given on line 3 with another close (8100): neither is imported' },
      ],
    });
  });

  test.each<[string, number, string]>([
    ['a zip (.xlsx)', 1, 'PK\u0003\u0004\u0014\u0000\u0006\u0000'],
    ['a UTF-16 export', 1, 'd\u0000a\u0000t\u0000e\u0000'],
    ['bytes that are not UTF-8', 3, 'date,close\n2026-09-04,8100\n\uFFFD\uFFFD'],
  ])('GIVEN %s THEN one problem on line %i: not text, save it as CSV; not a guess at its separator', (_name, line, text) => {
    expect(parseCloseCsv(`${text};;;,,\n`, TODAY)).toEqual({
      rows: [],
      problems: [
        {
          line,
          message: 'the file is not UTF-8 text (a spreadsheet like .xlsx, a zip, or a UTF-16 export?): save it as CSV (UTF-8), date,close with a decimal point',
        },
      ],
    });
  });

  test.each<[string, string, string]>([
    ['an extra column', '2026-09-04,8100,extra', 'a column too many, "extra" after the close: rows have 2 columns (date,close)'],
    ['two extra columns', '2026-09-04,8100,a,b', 'columns too many, "a,b" after the close: rows have 2 columns (date,close)'],
    ['a quoted close with a thousands separator', '2026-09-04,"8,000.00"', 'close "8,000.00" has a thousands separator: write it as 8000.00'],
    ['an unquoted close with a thousands separator', '2026-09-04,5,960.00', 'close "5,960.00" has a thousands separator: write it as 5960.00'],
    ['a decimal comma', '2026-09-04,3023,94', `close "3023,94" has a decimal comma: ${HINT}`],
    ['a quoted decimal comma', '2026-09-04,"3023,94"', `close "3023,94" has a decimal comma: ${HINT}`],
    ['a comma that may be either', '2026-09-04,5,960', `close "5,960" has a decimal comma or a thousands separator: ${HINT}`],
    ['a word', '2026-09-04,abc', 'close "abc" is not a positive number (write it as a plain decimal like 3023.94)'],
    ['a quoted word', '2026-09-04,"abc"', 'close "abc" is not a positive number (write it as a plain decimal like 3023.94)'],
    ['a quoted bad date', '"2026-13-04",8100', '"2026-13-04" is not a date YYYY-MM-DD'],
    ['a date with slashes', '2026/09/04,8100', '"2026/09/04" is not a date YYYY-MM-DD: write it as 2026-09-04'],
    ['a date with dots, unpadded', '2026.9.4,8100', '"2026.9.4" is not a date YYYY-MM-DD: write it as 2026-09-04'],
    [
      'a day-first date',
      '04.09.2026,8100',
      '"04.09.2026" is not a date YYYY-MM-DD: export the dates as YYYY-MM-DD (goldratio does not guess day-first or month-first)',
    ],
    [
      'a month-first date',
      '09/04/2026,8100',
      '"09/04/2026" is not a date YYYY-MM-DD: export the dates as YYYY-MM-DD (goldratio does not guess day-first or month-first)',
    ],
    ['no such day with slashes', '2026/02/30,8100', '"2026/02/30" is not a date YYYY-MM-DD'],
  ])('GIVEN %s (%s) THEN %s', (_name, row, message) => {
    expect(parseCloseCsv(`date,close\n${row}\n`, TODAY)).toEqual({ rows: [], problems: [{ line: 2, message }] });
  });

  test.each<[string, string]>([
    ['quoted cells', '"2026-09-04","8100.5"'],
    ['a quoted close', '2026-09-04,"8100.5"'],
    ['a tab', '2026-09-04\t8100.5'],
  ])('GIVEN %s THEN the close is read', (_name, row) => {
    expect(parseCloseCsv(`date,close\n${row}\n`, TODAY)).toEqual({ rows: [{ line: 2, date: '2026-09-04', close: 8100.5, closeText: '8100.5' }], problems: [] });
  });

  test('GIVEN a header that names more columns THEN the others are ignored, as before', () => {
    expect(parseCloseCsv('date,close,volume\n2026-09-04,8100,12\n', TODAY)).toEqual({
      rows: [{ line: 2, date: '2026-09-04', close: 8100, closeText: '8100' }],
      problems: [],
    });
  });
});
