/**
 * The English bank holidays, when London does not fix gold (the LBMA has no price): the rules since
 * 1971 (the Banking and Financial Dealings Act), each year's moved and one-off days listed. Pure.
 * Before 1971 undefined: no need (a gold day asked of LBMA is one of the last ten days).
 */
import { addDays } from './dates.ts';
import { goodFriday } from './nyse-calendar.ts';

const dayOf = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();
const two = (n: number) => String(n).padStart(2, '0');

/** The first Monday of a month on or after `day`. */
function mondayFrom(year: number, month: number, day: number): string {
  const d = `${year}-${two(month)}-${two(day)}`;
  return addDays(d, (8 - dayOf(d)) % 7);
}

/** The last Monday of a month. */
function lastMonday(year: number, month: number): string {
  const last = `${year}-${two(month)}-${two(new Date(Date.UTC(year, month, 0)).getUTCDate())}`;
  return addDays(last, -((dayOf(last) + 6) % 7));
}

/** One-off and moved days (a moved holiday's usual day is in MOVED_FROM). */
const SPECIAL: Readonly<Record<string, string>> = {
  '1973-11-14': 'the wedding of Princess Anne',
  '1977-06-06': 'the Spring bank holiday (moved for the Silver Jubilee)',
  '1977-06-07': 'the Silver Jubilee',
  '1981-07-29': 'the wedding of the Prince of Wales',
  '1995-05-08': 'VE Day (the Early May bank holiday moved)',
  '1999-12-31': 'the Millennium',
  '2002-06-03': 'the Spring bank holiday (moved for the Golden Jubilee)',
  '2002-06-04': 'the Golden Jubilee',
  '2011-04-29': 'the wedding of Prince William',
  '2012-06-04': 'the Spring bank holiday (moved for the Diamond Jubilee)',
  '2012-06-05': 'the Diamond Jubilee',
  '2020-05-08': 'VE Day (the Early May bank holiday moved)',
  '2022-06-02': 'the Spring bank holiday (moved for the Platinum Jubilee)',
  '2022-06-03': 'the Platinum Jubilee',
  '2022-09-19': 'the state funeral of Queen Elizabeth II',
  '2023-05-08': 'the coronation of King Charles III',
};
/** The usual days not a holiday in those years (moved). */
const MOVED_FROM = new Set(['1977-05-30', '1995-05-01', '2002-05-27', '2012-05-28', '2020-05-04', '2022-05-30']);

/** The English bank holiday on `date` (YYYY-MM-DD), by name, or undefined. */
export function londonHoliday(date: string): string | undefined {
  const year = Number(date.slice(0, 4));
  if (year < 1971) return undefined;
  const special = SPECIAL[date];
  if (special !== undefined) return special;
  if (MOVED_FROM.has(date)) return undefined;
  const day = dayOf(date);
  if (day === 0 || day === 6) return undefined;
  const md = date.slice(5);
  // New Year's Day from 1974, on the Monday when it falls at a weekend.
  if (year >= 1974 && (md === '01-01' || (day === 1 && (md === '01-02' || md === '01-03')))) return "New Year's Day";
  if (date === goodFriday(year)) return 'Good Friday';
  if (date === addDays(goodFriday(year), 3)) return 'Easter Monday';
  if (year >= 1978 && date === mondayFrom(year, 5, 1)) return 'the Early May bank holiday';
  if (date === lastMonday(year, 5)) return 'the Spring bank holiday';
  if (date === lastMonday(year, 8)) return 'the Summer bank holiday';
  // Christmas and Boxing Day, a weekend's moved to the next weekdays (25 on a Saturday: 27 and 28).
  if (md === '12-25' || md === '12-26') return md === '12-25' ? 'Christmas Day' : 'Boxing Day';
  if (md === '12-27' || md === '12-28') {
    const christmas = dayOf(`${year}-12-25`);
    // Christmas on a Saturday: Monday 27 and Tuesday 28; on a Sunday: Tuesday 27 (Boxing Day on Monday 26); Boxing Day on a Saturday: Monday 28.
    if (christmas === 6 || (christmas === 0 && md === '12-27') || (christmas === 5 && md === '12-28'))
      return 'Christmas or Boxing Day (moved from the weekend)';
  }
  return undefined;
}
