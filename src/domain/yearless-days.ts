/**
 * A day typed without its year (12/25, 25/12, 12-25, 12月25日, Dec 25), read as the latest such day on
 * or before today: what a chart or /power, which read the past, mean by it (chat/parse.ts parseBaseDate).
 */
import { hanMonthDay, isIsoDate, monthNumber } from './dates.ts';
import { numberText } from './han-fold.ts';

const pad2 = (n: string) => n.padStart(2, '0');

/** A day without its year as people type one: 12/25, 25/12, 12-25, 12月25日 (12月25號, 12月25; 十二月二十五日 once in digits), Dec 25, 25 December. */
const YEARLESS_NUMERIC = /^(\d{1,2})[-/](\d{1,2})$/;
const YEARLESS_HAN = /^(\d{1,2})月(\d{1,2})[日號号]?$/;
const YEARLESS_NAMED_FIRST = /^([a-z]+\.?),?(\d{1,2})(?:st|nd|rd|th)?$/;
const YEARLESS_DAY_FIRST = /^(\d{1,2})(?:st|nd|rd|th)?(?:of)?([a-z]+\.?)$/;

/** The latest day `month`/`day` on or before `today` (2/29: the latest 29 February), or undefined when no year has it. */
function latestDay(month: number, day: number, today: string): string | undefined {
  for (let y = Number(today.slice(0, 4)), n = 0; n < 8; y--, n++) {
    const iso = `${y}-${pad2(String(month))}-${pad2(String(day))}`;
    if (isIsoDate(iso) && iso <= today) return iso;
  }
  return undefined;
}

/**
 * The days a date typed without its year may be, each the latest on or before `today` (12/25 on
 * 2026-11-18 is 2025-12-25: a chart or /power reads the past): one when one reading is on the
 * calendar (12/25, 25/12, 12月25日, Dec 25) or both readings are the same day (5/5); two, month first
 * then day first, when it may be either (05/06: May 6 or 5 June), which is asked, never guessed, as a
 * year-last date is (yearLastDays); none for other text, or no such day (2/30).
 */
export function yearlessDays(text: string, today: string): string[] {
  const days = yearlessReadings(text)
    .map(([m, d]) => latestDay(m, d, today))
    .filter((d) => d !== undefined);
  return [...new Set(days)];
}

/** Whether the text is a day without its year in shape whose every reading is on no calendar (2/30, 31/4): to be refused as no such day. */
export const isYearlessNoDay = (text: string): boolean => yearlessReadings(text).length > 0 && yearlessDays(text, '2000-12-31').length === 0;

/** The month and day each reading of a yearless date gives, in range (month 1-12, day 1-31), month first then day first. */
function yearlessReadings(text: string): [number, number][] {
  // 十二月二十五日, 三月十號: as 12月25日 and 3月10號.
  const s = hanMonthDay(numberText(text).replace(/\s+/g, '').toLowerCase());
  const readings: [number, number][] = [];
  const numeric = YEARLESS_NUMERIC.exec(s);
  const han = YEARLESS_HAN.exec(s);
  const named = YEARLESS_NAMED_FIRST.exec(s);
  const dayFirst = YEARLESS_DAY_FIRST.exec(s);
  if (numeric !== null) readings.push([Number(numeric[1]), Number(numeric[2])], [Number(numeric[2]), Number(numeric[1])]);
  else if (han !== null) readings.push([Number(han[1]), Number(han[2])]);
  else if (named !== null && monthNumber(named[1]!) !== undefined) readings.push([monthNumber(named[1]!)!, Number(named[2])]);
  else if (dayFirst !== null && monthNumber(dayFirst[2]!) !== undefined) readings.push([monthNumber(dayFirst[2]!)!, Number(dayFirst[1])]);
  return readings.filter(([m, d]) => m >= 1 && m <= 12 && d >= 1 && d <= 31);
}
