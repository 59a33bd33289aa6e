import { expect, test } from 'vitest';
import { londonHoliday } from '../../src/domain/london-calendar.ts';

/** gov.uk's lists of England and Wales bank holidays (2018-2026), and the one-offs before. */
const GOV_UK = {
  2020: ['2020-01-01', '2020-04-10', '2020-04-13', '2020-05-08', '2020-05-25', '2020-08-31', '2020-12-25', '2020-12-28'],
  2021: ['2021-01-01', '2021-04-02', '2021-04-05', '2021-05-03', '2021-05-31', '2021-08-30', '2021-12-27', '2021-12-28'],
  2022: ['2022-01-03', '2022-04-15', '2022-04-18', '2022-05-02', '2022-06-02', '2022-06-03', '2022-08-29', '2022-09-19', '2022-12-26', '2022-12-27'],
  2023: ['2023-01-02', '2023-04-07', '2023-04-10', '2023-05-01', '2023-05-08', '2023-05-29', '2023-08-28', '2023-12-25', '2023-12-26'],
  2024: ['2024-01-01', '2024-03-29', '2024-04-01', '2024-05-06', '2024-05-27', '2024-08-26', '2024-12-25', '2024-12-26'],
  2025: ['2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26'],
  2026: ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28'],
  2027: ['2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28'],
};

test.each(Object.entries(GOV_UK))('GIVEN every day of %s THEN the English bank holidays are those gov.uk lists, no more', (year, days) => {
  const found: string[] = [];
  for (let t = Date.UTC(Number(year), 0, 1); t < Date.UTC(Number(year) + 1, 0, 1); t += 86_400_000) {
    const d = new Date(t).toISOString().slice(0, 10);
    if (londonHoliday(d) !== undefined) found.push(d);
  }
  expect(found).toEqual(days);
});

test('GIVEN the one-off days THEN each is named; the usual day moved away is none', () => {
  expect(londonHoliday('2011-04-29')).toBe('the wedding of Prince William');
  expect(londonHoliday('1999-12-31')).toBe('the Millennium');
  expect(londonHoliday('2012-05-28')).toBeUndefined();
  expect(londonHoliday('2012-06-04')).toMatch(/Spring bank holiday/);
  // 1977: the Spring bank holiday moved from 30 May to Monday 6 June, the Silver Jubilee the day after.
  expect(londonHoliday('1977-05-30')).toBeUndefined();
  expect(londonHoliday('1977-06-06')).toMatch(/Spring bank holiday/);
  expect(londonHoliday('1977-06-07')).toBe('the Silver Jubilee');
});
